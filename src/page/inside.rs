//! "Inside the network" on `/classify`, as plain code: which stage and map the
//! visitor looks at, the overlay chosen, the sentences, and the pictures
//! (RGBA pixels) drawn from activations, kernels and saliency maps. The view
//! components in `ui::pages::classify::inside` only bind these to the DOM.

use crate::domain::inspect::{Inspection, Stage, StageKind, SIDE};
use crate::lang::Lang;
use crate::math::format::fmt_int;

/// What lies over the picture: nothing, the gradient, or the occlusion map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Overlay {
    #[default]
    Off,
    Gradient,
    Occlusion,
}

/// What the visitor is looking at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Looking {
    /// Index into [`Inspection::stages`].
    pub stage: usize,
    /// The map opened large, if any.
    pub channel: Option<usize>,
}

impl Default for Looking {
    /// The first convolution, nothing opened.
    fn default() -> Self {
        Looking {
            stage: 1,
            channel: None,
        }
    }
}

impl Looking {
    /// Another stage: the opened map closes.
    pub fn at_stage(self, stage: usize) -> Self {
        Looking {
            stage,
            channel: None,
        }
    }

    /// Keeps the choice inside a (new) inspection: another model has other stages.
    pub fn fit(self, ins: &Inspection) -> Self {
        let last = ins.stages.len().saturating_sub(1);
        let stage = self.stage.min(last);
        let channels = ins.stages.get(stage).map_or(0, Stage::channels);
        Looking {
            stage,
            channel: self.channel.filter(|&c| c < channels),
        }
    }
}

/// "Convolution b1", "Pooling", "Scores" (and in Chinese).
pub fn stage_name(s: &Stage, lang: Lang) -> String {
    let layer = &s.layer;
    match (s.kind, lang) {
        (StageKind::Input, l) => l.pick("Input (R, G, B)", "输入（R、G、B）").into(),
        (StageKind::Conv, Lang::En) => format!("Convolution {layer}"),
        (StageKind::Conv, Lang::Zh) => format!("卷积 {layer}"),
        (StageKind::Pool, l) => l.pick("Max pooling", "最大池化").into(),
        (StageKind::Dense, Lang::En) => format!("Dense {layer}"),
        (StageKind::Dense, Lang::Zh) => format!("全连接 {layer}"),
        (StageKind::Scores, l) => l.pick("Ten scores", "十个得分").into(),
    }
}

/// `32×30×30`, or `64` for a vector.
pub fn shape_text(s: &Stage) -> String {
    let [c, h, w] = s.shape;
    if s.is_spatial() {
        format!("{c}\u{d7}{h}\u{d7}{w}")
    } else {
        c.to_string()
    }
}

/// `3,072 → 28,800 → … → 10`: how many numbers each stage holds.
pub fn flow(ins: &Inspection) -> String {
    ins.stages
        .iter()
        .map(|s| fmt_int(s.numbers() as u64))
        .collect::<Vec<_>>()
        .join(" \u{2192} ")
}

/// The picture's own compression, in a sentence.
pub fn flow_sentence(ins: &Inspection, lang: Lang) -> String {
    let first = ins.stages.first().map_or(0, Stage::numbers);
    let last = ins.stages.last().map_or(1, Stage::numbers).max(1);
    // The first of equally large stages: `max_by_key` keeps the last, so look from the end.
    let (peak, at) = ins
        .stages
        .iter()
        .rev()
        .map(|s| (s.numbers(), stage_name(s, lang)))
        .max_by_key(|p| p.0)
        .unwrap_or((0, String::new()));
    let (f, p, l) = (fmt_int(first as u64), fmt_int(peak as u64), last);
    let (grow, shrink) = (
        peak as f64 / first.max(1) as f64,
        first as f64 / last as f64,
    );
    match lang {
        Lang::En => format!(
            "The picture enters as {f} numbers. The network first spreads it out \u{2014} {at} holds \
             {p}, {grow:.1}\u{d7} as many \u{2014} then pooling and the dense layer squeeze it down to \
             {l} scores, {shrink:.0}\u{d7} fewer numbers than the picture."
        ),
        Lang::Zh => format!(
            "图片以 {f} 个数进入网络。网络先把它展开——{at} 有 {p} 个数，是原来的 {grow:.1} 倍——\
             然后池化和全连接层把它压缩成 {l} 个得分，只有图片的 1/{shrink:.0}。"
        ),
    }
}

/// The smallest and largest value of a stage: one colour scale for all its maps.
pub fn range(values: &[f32]) -> (f32, f32) {
    values
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// A dark-to-bright heat scale (black, purple, orange, pale yellow) for `t` in [0, 1].
fn heat_colour(t: f32) -> [u8; 3] {
    const STOPS: [[f32; 3]; 4] = [
        [0.0, 0.0, 4.0],
        [120.0, 28.0, 109.0],
        [237.0, 105.0, 37.0],
        [252.0, 255.0, 164.0],
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f32;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f32;
    std::array::from_fn(|k| (STOPS[i][k] + f * (STOPS[i + 1][k] - STOPS[i][k])).round() as u8)
}

/// A map as RGBA pixels on the heat scale between `lo` and `hi`.
pub fn heat(values: &[f32], (lo, hi): (f32, f32)) -> Vec<u8> {
    let span = (hi - lo).max(f32::EPSILON);
    values
        .iter()
        .flat_map(|&v| {
            let [r, g, b] = heat_colour((v - lo) / span);
            [r, g, b, 255]
        })
        .collect()
}

/// Signed values as RGBA: blue below zero, white at zero, red above, scaled by `max_abs`.
pub fn diverging(values: &[f32], max_abs: f32) -> Vec<u8> {
    let m = max_abs.max(f32::EPSILON);
    values
        .iter()
        .flat_map(|&v| {
            let t = (v / m).clamp(-1.0, 1.0);
            let fade = (255.0 * (1.0 - t.abs())).round() as u8;
            if t >= 0.0 {
                [255, fade, fade, 255]
            } else {
                [fade, fade, 255, 255]
            }
        })
        .collect()
}

/// The largest magnitude in `values`.
pub fn max_abs(values: &[f32]) -> f32 {
    values.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

/// A first-layer kernel (`3 × 3 × 3`: R, G, B planes) as a 3×3 RGB patch:
/// mid-grey is zero, brighter in a colour means the kernel adds that colour.
/// `scale` is the largest magnitude over all kernels, so patches compare.
pub fn rgb_patch(kernel: &[f32], scale: f32) -> Vec<u8> {
    let s = scale.max(f32::EPSILON);
    (0..9)
        .flat_map(|p| {
            let ch = |c: usize| {
                let v = kernel.get(c * 9 + p).copied().unwrap_or(0.0);
                (127.5 + 127.5 * (v / s).clamp(-1.0, 1.0)).round() as u8
            };
            [ch(0), ch(1), ch(2), 255]
        })
        .collect()
}

/// The picture (planar RGB) dimmed to grey with `map` laid over it in heat
/// colours, scaled to the map's largest value; negative values show as none.
pub fn overlay(planar: &[u8], map: &[f32]) -> Vec<u8> {
    let top = map.iter().fold(0.0f32, |m, &v| m.max(v)).max(f32::EPSILON);
    (0..SIDE * SIDE)
        .flat_map(|i| {
            let grey = (0..3)
                .map(|c| planar.get(c * SIDE * SIDE + i).copied().unwrap_or(0) as f32)
                .sum::<f32>()
                / 3.0;
            let t = (map.get(i).copied().unwrap_or(0.0) / top).clamp(0.0, 1.0);
            let h = heat_colour(t);
            let mix = |k: usize| {
                (0.35 * grey + 0.65 * h[k] as f32 * t + 0.65 * grey * (1.0 - t)).round() as u8
            };
            [mix(0), mix(1), mix(2), 255]
        })
        .collect()
}

/// Square tiles (`side × side` RGBA each) laid out `cols` to a row with a
/// one-pixel transparent gap: one picture instead of many. Returns the
/// pixels, the width and the height.
pub fn mosaic(tiles: &[Vec<u8>], side: usize, cols: usize) -> (Vec<u8>, usize, usize) {
    let cols = cols.clamp(1, tiles.len().max(1));
    let rows = tiles.len().div_ceil(cols).max(1);
    let (w, h) = (cols * (side + 1) - 1, rows * (side + 1) - 1);
    let mut out = vec![0u8; w * h * 4];
    for (i, tile) in tiles.iter().enumerate() {
        let (x0, y0) = ((i % cols) * (side + 1), (i / cols) * (side + 1));
        for y in 0..side {
            let from = &tile[(y * side * 4).min(tile.len())..((y + 1) * side * 4).min(tile.len())];
            let at = ((y0 + y) * w + x0) * 4;
            out[at..at + from.len()].copy_from_slice(from);
        }
    }
    (out, w, h)
}

/// A convolution kernel `in × 3 × 3` as one picture: each input channel's
/// 3×3 weights on the diverging scale, 16 to a row.
pub fn kernel_mosaic(kernel: &[f32]) -> (Vec<u8>, usize, usize) {
    let scale = max_abs(kernel);
    let tiles: Vec<Vec<u8>> = kernel.chunks(9).map(|k| diverging(k, scale)).collect();
    mosaic(&tiles, 3, 16)
}

/// A first layer's kernels (`out × 3 × 3 × 3`) as RGB patches, 8 to a row,
/// on one scale.
pub fn filter_mosaic(kernels: &[f32]) -> (Vec<u8>, usize, usize) {
    let scale = max_abs(kernels);
    let tiles: Vec<Vec<u8>> = kernels.chunks(27).map(|k| rgb_patch(k, scale)).collect();
    mosaic(&tiles, 3, 8)
}

/// What the overlay shows, and its limits, for the class named.
pub fn overlay_caption(o: Overlay, class: &str, probability: f32, lang: Lang) -> String {
    let p = 100.0 * probability;
    match (o, lang) {
        (Overlay::Off, _) => String::new(),
        (Overlay::Gradient, Lang::En) => format!(
            "Bright where a small change to the pixel would move the score of \u{201c}{class}\u{201d} most \
             (the largest magnitude of the gradient of its score, |\u{2202}logit/\u{2202}pixel|, over R, G and B; \
             Simonyan et al. 2014). It shows sensitivity, not evidence: \
             gradients of ReLU networks are noisy and can light up pixels the answer does not rest on."
        ),
        (Overlay::Gradient, Lang::Zh) => format!(
            "亮处表示：像素的微小变化会让\u{201c}{class}\u{201d}的得分变化最大（其得分梯度的最大幅值 |\u{2202}logit/\u{2202}像素|，取 R、G、B 中的最大者；\
             Simonyan 等 2014）。\
             它显示的是敏感度而不是证据：ReLU 网络的梯度噪声很大，可能照亮答案并不依赖的像素。"
        ),
        (Overlay::Occlusion, Lang::En) => format!(
            "Bright where covering the pixel with a grey 8\u{d7}8 patch lowers the probability of \
             \u{201c}{class}\u{201d} (now {p:.1}%) most. Pixels whose covering makes it more likely stay dark, \
             and the patch is coarse: it moves 4 pixels at a time, so finer detail is not resolved."
        ),
        (Overlay::Occlusion, Lang::Zh) => format!(
            "亮处表示：用 8\u{d7}8 的灰色方块盖住该像素时，\u{201c}{class}\u{201d}的概率（现为 {p:.1}%）下降最多。\
             盖住后概率反而上升的像素保持暗色；方块较粗，每次移动 4 个像素，更细的细节无法分辨。"
        ),
    }
}

/// What the kernels show of compression: the share of weights that are
/// exactly zero (pruned) and how many distinct values they take.
pub fn kernel_facts(kernels: &[f32], lang: Lang) -> String {
    let zeros = kernels.iter().filter(|v| **v == 0.0).count();
    let mut distinct: Vec<u32> = kernels.iter().map(|v| (v + 0.0).to_bits()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let (n, d) = (
        fmt_int(kernels.len() as u64),
        fmt_int(distinct.len() as u64),
    );
    let share = 100.0 * zeros as f64 / kernels.len().max(1) as f64;
    match lang {
        Lang::En => format!(
            "{n} weights: {share:.0}% exactly zero, {d} distinct values. A pruned model shows grey \
             (zero) pixels; a quantized one shows few distinct shades."
        ),
        Lang::Zh => format!(
            "{n} 个权重：{share:.0}% 恰好为零，共 {d} 个不同的值。剪枝后的模型会出现灰色（零）像素；\
             量化后的模型只有少数几种深浅。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(kind: StageKind, layer: &str, shape: [usize; 3]) -> Stage {
        Stage {
            kind,
            layer: layer.into(),
            shape,
            values: vec![0.0; shape.iter().product()],
            kernels: Vec::new(),
        }
    }

    fn doc() -> Inspection {
        Inspection {
            stages: vec![
                stage(StageKind::Input, "", [3, 32, 32]),
                stage(StageKind::Conv, "conv1", [32, 30, 30]),
                stage(StageKind::Conv, "conv2", [32, 30, 30]),
                stage(StageKind::Pool, "", [32, 15, 15]),
                stage(StageKind::Dense, "fc1", [64, 1, 1]),
                stage(StageKind::Scores, "", [10, 1, 1]),
            ],
            millis: 1.0,
        }
    }

    #[test]
    fn the_flow_counts_numbers_stage_by_stage() {
        let ins = doc();
        assert_eq!(flow(&ins), "3,072 → 28,800 → 28,800 → 7,200 → 64 → 10");
        let en = flow_sentence(&ins, Lang::En);
        assert!(
            en.contains("Convolution conv1 holds 28,800, 9.4× as many"),
            "{en}"
        );
        assert!(en.contains("10 scores, 307× fewer"), "{en}");
        let zh = flow_sentence(&ins, Lang::Zh);
        assert!(zh.contains("卷积 conv1 有 28,800 个数"), "{zh}");
        assert!(zh.contains("10 个得分，只有图片的 1/307。"), "{zh}");
        assert_eq!(shape_text(&ins.stages[1]), "32×30×30");
        assert_eq!(shape_text(&ins.stages[4]), "64");
        assert_eq!(stage_name(&ins.stages[3], Lang::Zh), "最大池化");
    }

    #[test]
    fn looking_stays_inside_the_inspection() {
        let ins = doc();
        let far = Looking {
            stage: 9,
            channel: Some(3),
        };
        let fitted = far.fit(&ins);
        assert_eq!(fitted.stage, 5);
        assert_eq!(fitted.channel, Some(3), "the scores have 10 channels");
        let open = Looking {
            stage: 1,
            channel: Some(40),
        };
        assert_eq!(open.fit(&ins).channel, None, "conv1 has 32 maps");
        assert_eq!(open.at_stage(2).channel, None);
    }

    #[test]
    fn pictures_have_four_bytes_a_pixel_and_the_right_ends() {
        let h = heat(&[0.0, 1.0, 2.0], (0.0, 2.0));
        assert_eq!(h.len(), 12);
        assert_eq!(&h[..4], &[0, 0, 4, 255]);
        assert_eq!(&h[8..], &[252, 255, 164, 255]);
        // A flat map does not divide by zero.
        assert!(heat(&[3.0; 4], (3.0, 3.0))
            .chunks(4)
            .all(|p| p == [0, 0, 4, 255]));
        assert_eq!(
            diverging(&[-1.0, 0.0, 1.0], 1.0),
            [0, 0, 255, 255, 255, 255, 255, 255, 255, 0, 0, 255]
        );
        // A kernel of zeros is mid-grey; a pure-red kernel is red.
        assert!(rgb_patch(&[0.0; 27], 1.0)
            .chunks(4)
            .all(|p| p == [128, 128, 128, 255]));
        let mut red = [0.0; 27];
        red[..9].fill(1.0);
        assert_eq!(&rgb_patch(&red, 1.0)[..4], &[255, 128, 128, 255]);
        assert_eq!(overlay(&[0; 3072], &[0.0; 1024]).len(), 4096);
        assert_eq!(range(&[2.0, -1.0, 5.0]), (-1.0, 5.0));
    }

    #[test]
    fn overlay_captions_name_the_class_in_both_languages() {
        assert_eq!(overlay_caption(Overlay::Off, "cat", 0.5, Lang::En), "");
        let en = overlay_caption(Overlay::Occlusion, "cat", 0.625, Lang::En);
        assert!(en.contains("\u{201c}cat\u{201d} (now 62.5%)"), "{en}");
        let zh = overlay_caption(Overlay::Gradient, "猫", 0.5, Lang::Zh);
        assert!(zh.contains("\u{201c}猫\u{201d}的得分"), "{zh}");
    }

    #[test]
    fn mosaics_lay_tiles_out_with_gaps() {
        let tiles: Vec<Vec<u8>> = (1..=3u8).map(|i| vec![i; 4 * 4]).collect();
        let (px, w, h) = mosaic(&tiles, 2, 2);
        assert_eq!((w, h), (5, 5));
        assert_eq!(px.len(), 5 * 5 * 4);
        let at = |x: usize, y: usize| px[(y * w + x) * 4];
        assert_eq!(
            (at(0, 0), at(1, 1), at(2, 0), at(3, 0), at(4, 1)),
            (1, 1, 0, 2, 2)
        );
        assert_eq!((at(0, 3), at(1, 4), at(3, 3)), (3, 3, 0));
        // 32 first-layer kernels: 8 a row, 4 rows of 3×3 patches.
        let (_, w, h) = filter_mosaic(&[0.1; 32 * 27]);
        assert_eq!((w, h), (31, 15));
        // A 64-input kernel: 16 a row, 4 rows.
        let (_, w, h) = kernel_mosaic(&[0.1; 64 * 9]);
        assert_eq!((w, h), (63, 15));
    }

    #[test]
    fn kernel_facts_count_zeros_and_distinct_values() {
        let k = [0.0, 0.0, 0.5, 0.5, -0.5, 0.25, 0.0, 0.0];
        let en = kernel_facts(&k, Lang::En);
        assert!(
            en.starts_with("8 weights: 50% exactly zero, 4 distinct values."),
            "{en}"
        );
        assert!(kernel_facts(&k, Lang::Zh).starts_with("8 个权重：50% 恰好为零，共 4 个不同的值"));
    }
}
