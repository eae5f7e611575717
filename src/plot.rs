//! Plot geometry in SVG pixel space: contour bands of a loss surface (marching
//! squares from the `contour` crate), trajectories, and line charts. Pure, so it
//! is tested natively; the UI only pastes the path strings into `<svg>`.

use crate::math::surface::Surface;
use contour::ContourBuilder;
use std::fmt::Write;

/// Maps parameter space (θ₁ right, θ₂ up) to pixels (x right, y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub x: [f64; 2],
    pub y: [f64; 2],
    pub width: f64,
    pub height: f64,
}

impl Frame {
    pub fn for_surface(surface: Surface, width: f64, height: f64) -> Self {
        let (x, y) = surface.window();
        Frame {
            x,
            y,
            width,
            height,
        }
    }

    pub fn to_px(&self, t: [f64; 2]) -> (f64, f64) {
        (
            (t[0] - self.x[0]) / (self.x[1] - self.x[0]) * self.width,
            (self.y[1] - t[1]) / (self.y[1] - self.y[0]) * self.height,
        )
    }

    pub fn from_px(&self, px: f64, py: f64) -> [f64; 2] {
        [
            self.x[0] + px / self.width * (self.x[1] - self.x[0]),
            self.y[1] - py / self.height * (self.y[1] - self.y[0]),
        ]
    }
}

/// One filled band between two contour levels; `shade` in [0, 1] from low to high.
#[derive(Clone, Debug, PartialEq)]
pub struct BandPath {
    pub d: String,
    pub shade: f64,
}

/// Filled contour bands of J over the frame, on a log scale so that both the
/// valley floor and the walls show structure.
pub fn contour_bands(surface: Surface, frame: &Frame, grid: usize, levels: usize) -> Vec<BandPath> {
    let grid = grid.max(8);
    let (nx, ny) = (grid, grid);
    let mut raw = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let px = i as f64 / (nx - 1) as f64 * frame.width;
            let py = j as f64 / (ny - 1) as f64 * frame.height;
            raw.push(surface.loss(frame.from_px(px, py)));
        }
    }
    let lo = raw.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let delta = ((hi - lo) * 1e-4).max(1e-12);
    let values: Vec<f64> = raw.iter().map(|v| (v - lo + delta).log10()).collect();
    let (wlo, whi) = ((delta).log10(), (hi - lo + delta).log10());
    let thresholds: Vec<f64> = (0..=levels)
        .map(|k| wlo + (whi - wlo) * k as f64 / levels as f64)
        .collect();
    let builder = ContourBuilder::new(nx, ny, true)
        .x_step(frame.width / (nx - 1) as f64)
        .y_step(frame.height / (ny - 1) as f64);
    let Ok(bands) = builder.isobands(&values, &thresholds) else {
        return Vec::new();
    };
    bands
        .into_iter()
        .map(|b| {
            let shade = ((b.min_v() - wlo) / (whi - wlo)).clamp(0.0, 1.0);
            let mut d = String::new();
            for poly in b.geometry().0.iter() {
                ring(&mut d, poly.exterior().0.iter().map(|c| (c.x, c.y)));
                for hole in poly.interiors() {
                    ring(&mut d, hole.0.iter().map(|c| (c.x, c.y)));
                }
            }
            BandPath { d, shade }
        })
        .collect()
}

fn ring(d: &mut String, points: impl Iterator<Item = (f64, f64)>) {
    for (k, (x, y)) in points.enumerate() {
        let _ = write!(d, "{}{:.1},{:.1}", if k == 0 { "M" } else { "L" }, x, y);
    }
    d.push('Z');
}

/// An SVG path through the points, in pixels.
pub fn polyline(frame: &Frame, points: impl IntoIterator<Item = [f64; 2]>) -> String {
    let mut d = String::new();
    for (k, t) in points.into_iter().enumerate() {
        let (x, y) = frame.to_px(t);
        // Far-off points are clamped so the path stays drawable.
        let (x, y) = (x.clamp(-1e4, 1e4), y.clamp(-1e4, 1e4));
        let _ = write!(d, "{}{:.1},{:.1}", if k == 0 { "M" } else { "L" }, x, y);
    }
    d
}

/// A line chart of loss against step, log-scaled in y.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub paths: Vec<String>,
    /// Each series' points in pixels (for markers where points are few; empty
    /// for log charts).
    pub points: Vec<Vec<(f64, f64)>>,
    /// (y pixel, label) for y-axis ticks.
    pub y_ticks: Vec<(f64, String)>,
    /// (x pixel, label) for x-axis ticks.
    pub x_ticks: Vec<(f64, String)>,
}

/// Lays out series of positive values (e.g. losses) on a shared log scale.
/// Non-positive values are clamped to the smallest positive one shown.
pub fn log_chart(series: &[Vec<f64>], width: f64, height: f64) -> Chart {
    let all = series
        .iter()
        .flatten()
        .copied()
        .filter(|v| *v > 0.0 && v.is_finite());
    let (mut lo, mut hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (1e-3, 1.0);
    }
    let (llo, mut lhi) = (lo.log10().floor().max(-16.0), hi.log10().ceil());
    if lhi <= llo {
        lhi = llo + 1.0;
    }
    let n = series.iter().map(Vec::len).max().unwrap_or(0).max(2);
    let xp = |i: usize| i as f64 / (n - 1) as f64 * width;
    let yp = |v: f64| {
        let l = v.max(lo).log10();
        height - (l - llo) / (lhi - llo) * height
    };
    let paths = series
        .iter()
        .map(|s| {
            let mut d = String::new();
            for (i, v) in s.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.1},{:.1}",
                    if i == 0 { "M" } else { "L" },
                    xp(i),
                    yp(*v)
                );
            }
            d
        })
        .collect();
    let step = ((lhi - llo) / 5.0).ceil().max(1.0);
    let mut y_ticks = Vec::new();
    let mut e = llo;
    while e <= lhi + 1e-9 {
        y_ticks.push((
            height - (e - llo) / (lhi - llo) * height,
            format!("1e{}", e as i64),
        ));
        e += step;
    }
    let x_ticks = (0..=4)
        .map(|k| {
            let i = (n - 1) * k / 4;
            (xp(i), i.to_string())
        })
        .collect();
    Chart {
        paths,
        points: Vec::new(),
        y_ticks,
        x_ticks,
    }
}

/// Series of (x, y) points on shared linear axes, y in `y_range` when given
/// (else the data's range, padded). Points that are not finite are skipped.
pub fn line_chart(
    series: &[Vec<(f64, f64)>],
    width: f64,
    height: f64,
    y_range: Option<(f64, f64)>,
) -> Chart {
    let pts = || {
        series
            .iter()
            .flatten()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
    };
    let (mut x0, mut x1) = pts().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
        (a.min(p.0), b.max(p.0))
    });
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    } else if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let (y0, y1) = y_range.unwrap_or_else(|| {
        let (lo, hi) = pts().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi - lo < 1e-12 {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo.min(0.0), hi + 0.05 * (hi - lo))
        }
    });
    let xp = |x: f64| (x - x0) / (x1 - x0) * width;
    let yp = |y: f64| height - (y.clamp(y0, y1) - y0) / (y1 - y0) * height;
    let points: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| {
            s.iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|p| (xp(p.0), yp(p.1)))
                .collect()
        })
        .collect();
    let paths = points
        .iter()
        .map(|s| {
            let mut d = String::new();
            for (k, (x, y)) in s.iter().enumerate() {
                let _ = write!(d, "{}{x:.1},{y:.1}", if k == 0 { "M" } else { "L" });
            }
            d
        })
        .collect();
    let tick = |v: f64| {
        if v.abs() >= 100.0 || v == v.round() {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    };
    let y_ticks = (0..=4)
        .map(|k| {
            let v = y0 + (y1 - y0) * k as f64 / 4.0;
            (yp(v), tick(v))
        })
        .collect();
    let x_ticks = (0..=4)
        .map(|k| {
            let v = x0 + (x1 - x0) * k as f64 / 4.0;
            (xp(v), tick(v))
        })
        .collect();
    Chart {
        paths,
        points,
        y_ticks,
        x_ticks,
    }
}

/// Axes for a scatter plot: x on a log scale (sizes span decades), y linear.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axes {
    pub width: f64,
    pub height: f64,
    /// log10 of the x range.
    pub lx: (f64, f64),
    pub y: (f64, f64),
}

impl Axes {
    /// Fits positive x values (log scale, whole decades) and y values; `y_min`
    /// forces the bottom of the y axis (e.g. 0 for accuracy).
    pub fn fit(points: &[(f64, f64)], width: f64, height: f64, y_min: Option<f64>) -> Axes {
        let ok = || {
            points
                .iter()
                .filter(|p| p.0 > 0.0 && p.0.is_finite() && p.1.is_finite())
        };
        let (x0, x1) = ok().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.0), b.max(p.0))
        });
        let (mut lx0, mut lx1) = if x0.is_finite() {
            (x0.log10().floor(), x1.log10().ceil())
        } else {
            (0.0, 1.0)
        };
        if lx1 <= lx0 {
            lx1 = lx0 + 1.0;
        }
        lx0 = lx0.max(-300.0);
        let (y0, y1) = ok().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
        let (mut y0, mut y1) = if y0.is_finite() { (y0, y1) } else { (0.0, 1.0) };
        if let Some(m) = y_min {
            y0 = y0.min(m);
        }
        if y1 - y0 < 1e-12 {
            y1 = y0 + 1.0;
        }
        y1 += 0.05 * (y1 - y0);
        Axes {
            width,
            height,
            lx: (lx0, lx1),
            y: (y0, y1),
        }
    }

    /// Pixel position of (x, y).
    pub fn px(&self, x: f64, y: f64) -> (f64, f64) {
        let lx = x.max(1e-300).log10();
        (
            (lx - self.lx.0) / (self.lx.1 - self.lx.0) * self.width,
            self.height - (y - self.y.0) / (self.y.1 - self.y.0) * self.height,
        )
    }

    /// x ticks at 1, 2 and 5 times powers of ten (labelled with `fmt`).
    pub fn x_ticks(&self, fmt: impl Fn(f64) -> String) -> Vec<(f64, String)> {
        let mut out = Vec::new();
        let decades = (self.lx.1 - self.lx.0).round() as i32;
        let mults: &[f64] = if decades <= 2 {
            &[1.0, 2.0, 5.0]
        } else {
            &[1.0]
        };
        let mut e = self.lx.0;
        while e <= self.lx.1 + 1e-9 {
            for m in mults {
                let v = m * 10f64.powf(e);
                if v.log10() <= self.lx.1 + 1e-9 {
                    out.push((self.px(v, self.y.0).0, fmt(v)));
                }
            }
            e += 1.0;
        }
        out
    }

    /// Five y ticks.
    pub fn y_ticks(&self, fmt: impl Fn(f64) -> String) -> Vec<(f64, String)> {
        (0..=4)
            .map(|k| {
                let v = self.y.0 + (self.y.1 - self.y.0) * k as f64 / 4.0;
                (self.px(1.0, v).1, fmt(v))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scatter_axes_are_log_in_x() {
        let a = Axes::fit(&[(1e3, 0.5), (1e5, 0.8)], 200.0, 100.0, Some(0.0));
        assert_eq!(a.lx, (3.0, 5.0));
        assert_eq!(a.px(1e3, 0.0), (0.0, 100.0));
        assert!((a.px(1e4, 0.0).0 - 100.0).abs() < 1e-9);
        assert_eq!(a.x_ticks(|v| format!("{v}")).len(), 7);
        assert!(a.px(1e5, 0.8).1 > 0.0, "headroom above the top point");
        let empty = Axes::fit(&[], 10.0, 10.0, None);
        assert!(empty.px(1.0, 0.5).0.is_finite());
    }

    #[test]
    fn line_chart_maps_ranges_to_pixels() {
        let c = line_chart(
            &[vec![(0.0, 0.0), (10.0, 1.0)], vec![(5.0, 0.5)]],
            200.0,
            100.0,
            Some((0.0, 1.0)),
        );
        assert_eq!(c.paths[0], "M0.0,100.0L200.0,0.0");
        assert_eq!(c.paths[1], "M100.0,50.0");
        assert_eq!(
            c.points[1],
            vec![(100.0, 50.0)],
            "a lone point, for a marker"
        );
        assert_eq!(c.x_ticks.last().unwrap().1, "10");
        assert_eq!(c.y_ticks[2].1, "0.50");
        // NaN points are skipped, empty series still give axes.
        let c = line_chart(&[vec![(0.0, f64::NAN), (1.0, 2.0)]], 10.0, 10.0, None);
        assert!(c.paths[0].starts_with('M'));
        let empty = line_chart(&[], 10.0, 10.0, None);
        assert_eq!(empty.y_ticks.len(), 5);
        assert!(empty.x_ticks.iter().all(|t| t.0.is_finite()));
        let one = line_chart(&[vec![(3.0, 1.0)]], 10.0, 10.0, None);
        assert!(one.x_ticks.iter().all(|t| t.0.is_finite()) && !one.paths[0].contains("NaN"));
    }

    #[test]
    fn frame_round_trips_and_flips_y() {
        let f = Frame::for_surface(Surface::DocQuadratic, 600.0, 600.0);
        let (x, y) = f.to_px([1.0, 2.0]);
        assert!((x - 300.0).abs() < 1e-9 && (y - 300.0).abs() < 1e-9);
        let (_, top) = f.to_px([0.0, 5.0]);
        assert!(top.abs() < 1e-9);
        let t = f.from_px(123.0, 456.0);
        let (x, y) = f.to_px(t);
        assert!((x - 123.0).abs() < 1e-9 && (y - 456.0).abs() < 1e-9);
    }

    #[test]
    fn every_surface_gets_nested_bands() {
        for s in Surface::ALL {
            let f = Frame::for_surface(s, 400.0, 400.0);
            let bands = contour_bands(s, &f, 60, 12);
            assert!(bands.len() >= 8, "{s:?}: {} bands", bands.len());
            assert!(bands
                .iter()
                .all(|b| b.d.starts_with('M') && b.d.ends_with('Z')));
            assert!(bands.iter().any(|b| b.shade == 0.0));
        }
    }

    #[test]
    fn chart_scales_and_ticks() {
        let c = log_chart(
            &[vec![100.0, 10.0, 1.0, 0.1], vec![50.0, 0.0]],
            300.0,
            100.0,
        );
        assert_eq!(c.paths.len(), 2);
        assert!(c.paths[0].starts_with("M0.0,0.0"), "{}", c.paths[0]);
        assert!(c.paths[0].ends_with("L300.0,100.0"), "{}", c.paths[0]);
        assert_eq!(c.y_ticks.first().unwrap().1, "1e-1");
        assert_eq!(c.x_ticks.last().unwrap().1, "3");
        // No data at all still gives a drawable frame.
        let empty = log_chart(&[], 300.0, 100.0);
        assert!(empty.paths.is_empty() && !empty.y_ticks.is_empty());
    }
}
