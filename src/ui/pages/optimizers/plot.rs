//! The contour plot: the surface's level bands, its minima, every run's path,
//! and the start (a click moves it).

use super::{color, Tutorial};
use crate::page::optimizers::vec2;
use crate::plot::{self as charts, Frame};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

const W: f64 = 480.0;
const H: f64 = 480.0;

#[component]
pub fn ContourPlot(t: Tutorial) -> impl IntoView {
    let f = t.f;
    let frame = Memo::new(move |_| Frame::for_surface(f.surface.get(), W, H));
    let bands = Memo::new(move |_| charts::contour_bands(f.surface.get(), &frame.get(), 90, 14));
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(el) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return;
        }
        let px = (ev.client_x() as f64 - rect.left()) / rect.width() * W;
        let py = (ev.client_y() as f64 - rect.top()) / rect.height() * H;
        let fr = frame.get_untracked();
        let p = fr.from_px(px, py);
        // Round to about 1/200 of the window: as precise as a click can be.
        let unit = 10f64.powf(((fr.x[1] - fr.x[0]) / 200.0).log10().floor());
        f.start
            .set([(p[0] / unit).round() * unit, (p[1] / unit).round() * unit]);
    };
    let label = move || {
        let (name, at) = (f.surface.get().name(lang()), vec2(&f.start.get()));
        lang().pick(
            format!("Contour plot of {name}; start at {at}. Click to move the start."),
            format!("{name} 的等高线图；起点 {at}。点击可移动起点。"),
        )
    };
    let band_paths = move || {
        bands.get().into_iter().map(|b| {
            let fill = format!("hsl({:.0} 70% {:.0}%)", 220.0 - 180.0 * b.shade, 92.0 - 40.0 * b.shade);
            view! { <path d=b.d fill=fill stroke="rgba(0,0,0,.18)" stroke-width="0.6" fill-rule="evenodd"></path> }
        }).collect_view()
    };
    let minima = move || {
        let fr = frame.get();
        f.surface
            .get()
            .minima()
            .into_iter()
            .map(|m| {
                let (x, y) = fr.to_px(m);
                let d = format!("M{:.1},{:.1}l6,6m0,-6l-6,6", x - 3.0, y - 3.0);
                view! { <path d=d stroke="#111" stroke-width="2"></path> }
            })
            .collect_view()
    };
    let paths = move || {
        let fr = frame.get();
        t.runs.with(|rs| rs.iter().rev().map(|r| {
            let pts = std::iter::once(r.start).chain(r.history.iter().map(|s| [s.theta[0], s.theta[1]]));
            let d = charts::polyline(&fr, pts);
            let (x, y) = fr.to_px(r.theta());
            let c = color(r.opt.method);
            let (cx, cy) = (format!("{x:.1}"), format!("{y:.1}"));
            view! {
                <path d=d fill="none" stroke=c stroke-width="2.2" stroke-linejoin="round"></path>
                <circle cx=cx cy=cy r="4.5" fill=c stroke="#fff" stroke-width="1.5"></circle>
            }
        }).collect_view())
    };
    let start = move || {
        let (x, y) = frame.get().to_px(f.start.get());
        let (cx, cy) = (format!("{x:.1}"), format!("{y:.1}"));
        view! { <circle cx=cx cy=cy r="6" fill="none" stroke="#111" stroke-width="2"></circle> }
    };
    view! {
        <figure class="plot">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label on:click=on_click>
                {band_paths}
                {minima}
                {paths}
                {start}
            </svg>
            <figcaption class="small">
                {tr(
                    "Darker = higher loss (log scale). \u{2715} marks a minimum, \u{25cb} the start.",
                    "颜色越深损失越高（对数刻度）。\u{2715} 标出极小值，\u{25cb} 是起点。",
                )}
            </figcaption>
        </figure>
    }
}
