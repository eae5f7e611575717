//! Section 2: the fit by gradient descent, animated: the data against the
//! current model, and the current parameters.

use super::State;
use crate::math::format::fmt_sig;
use crate::math::theorem::{Dataset, GdPoint, Law};
use crate::ui::i18n::{lang, tr, Lang};
use leptos::prelude::*;

const W: f64 = 420.0;
const H: f64 = 260.0;

/// The data as dots and the current fit as a line: ln a against ln T for
/// Kepler, the model's prediction against y for the linear law.
fn chart(d: &Dataset, pt: &GdPoint) -> AnyView {
    let pred = |row: &Vec<f64>| row.iter().zip(&pt.theta).map(|(a, b)| a * b).sum::<f64>();
    let xs: Vec<f64> = match d.law {
        Law::Kepler => d.x.iter().map(|r| r[0]).collect(),
        Law::Linear => d.x.iter().map(pred).collect(),
    };
    let all = xs.iter().chain(&d.y).copied().filter(|v| v.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let sx = move |v: f64| (v - lo) / (hi - lo) * W;
    let sy = move |v: f64| H - (v - lo) / (hi - lo) * H;
    let dots = xs.iter().zip(&d.y).take(400).map(|(x, y)| {
        view! { <circle cx=format!("{:.1}", sx(*x)) cy=format!("{:.1}", sy(*y)) r="2.2" /> }
    });
    let (y0, y1) = match d.law {
        Law::Kepler => (
            pt.theta[0] * lo + pt.theta[1],
            pt.theta[0] * hi + pt.theta[1],
        ),
        Law::Linear => (lo, hi),
    };
    let line = format!("M{:.1},{:.1}L{:.1},{:.1}", sx(lo), sy(y0), sx(hi), sy(y1));
    view! {
        <g class="dots">{dots.collect_view()}</g>
        <path class="fit-line" d=line />
    }
    .into_any()
}

#[component]
pub fn FitView(s: State) -> impl IntoView {
    let point = move || s.path.with(|p| p.get(s.shown.get()).or(p.last()).cloned());
    let law = move || {
        s.data
            .with(|d| d.as_ref().map(|d| d.law).unwrap_or(Law::Linear))
    };
    let drawing = move || match (s.data.get(), point()) {
        (Ok(d), Some(pt)) => chart(&d, &pt),
        _ => view! { <g></g> }.into_any(),
    };
    let caption = move || {
        match (law(), lang()) {
        (Law::Kepler, Lang::En) => "Each dot is an orbit: ln a across, ln T up; the line is the current fit.",
        (Law::Kepler, Lang::Zh) => "每个点是一条轨道：横轴ln a，纵轴ln T；直线是当前的拟合。",
        (Law::Linear, Lang::En) => {
            "Each dot is an observation: the model's prediction across, the recorded y up; a perfect fit puts \
             every dot on the diagonal."
        }
        (Law::Linear, Lang::Zh) => "每个点是一次观测：横轴为模型预测，纵轴为记录的y；完美拟合时所有点都落在对角线上。",
    }
    };
    let step =
        move || point().map(|p| lang().pick(format!("Step {}", p.step), format!("第{}步", p.step)));
    let formula = move || {
        let theta = point()?.theta;
        Some(
            law().formula(
                &theta
                    .iter()
                    .map(|v| fmt_sig(*v, 5).replace('-', "\u{2212}"))
                    .collect::<Vec<_>>(),
            ),
        )
    };
    let state = move || {
        match s.fitting() {
        true => tr("Descending\u{2026}", "正在下降\u{2026}")(),
        false => tr(
            "Converged: the gradient is below 10\u{207b}\u{2079}. Every parameter is now a 32-bit float, as a \
             trained network stores it.",
            "已收敛：梯度小于10\u{207b}\u{2079}。现在每个参数都是32位浮点数，与训练好的网络存储参数的方式相同。",
        )(),
    }
    };
    view! {
        <section class="calculator" aria-labelledby="fit-heading">
            <h2 id="fit-heading">{tr("2. Gradient descent", "2. 梯度下降")}</h2>
            <div class="calc-grid">
                <figure class="chart">
                    <svg viewBox=format!("-4 -4 {} {}", W + 8.0, H + 8.0) role="img" aria-label=caption>
                        {drawing}
                    </svg>
                    <figcaption class="small">{caption}</figcaption>
                </figure>
                <div class="result" aria-live="polite">
                    <p class="result-label">{step}</p>
                    <p id="fit-formula" class="formula-line">{formula}</p>
                    <p class="small">"MSE = " {move || point().map(|p| fmt_sig(p.mse, 5))}</p>
                    <p class="small">{state}</p>
                </div>
            </div>
        </section>
    }
}
