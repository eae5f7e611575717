//! The loss of every run against the step, and every step of the chosen
//! optimizer's state.

use super::color;
use crate::math::format::{fmt_num, fmt_sig};
use crate::math::optim::{Run, StepState};
use crate::page::optimizers::{loss_summary, TABLE_ROWS};
use crate::plot;
use crate::ui::components::ChartAxes;
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn LossChart(runs: RwSignal<Vec<Run>>) -> impl IntoView {
    let (w, h) = (640.0, 180.0);
    let chart = move || {
        runs.with(|rs| {
            let series: Vec<Vec<f64>> = rs
                .iter()
                .map(|r| std::iter::once(r.start_loss()).chain(r.history.iter().filter_map(|s| s.loss)).collect())
                .collect();
            let c = plot::log_chart(&series, w, h);
            let paths = c.paths.into_iter().zip(rs.iter().map(|r| r.opt.method));
            view! {
                <ChartAxes y_ticks=c.y_ticks x_ticks=c.x_ticks width=w height=h />
                {paths
                    .map(|(d, m)| view! { <path d=d fill="none" stroke=color(m) stroke-width="2"></path> })
                    .collect_view()}
            }
        })
    };
    let summary = move || runs.with(|rs| loss_summary(rs, lang()));
    view! {
        <figure class="chart">
            <figcaption>{tr("Loss J(\u{3b8}) against step (log scale)", "损失 J(\u{3b8}) 随步数的变化（对数刻度）")}</figcaption>
            <svg viewBox=format!("-44 -8 {} {}", w + 56.0, h + 30.0) role="img" aria-label=summary>
                {chart}
            </svg>
            <p class="small chart-text">{summary}</p>
        </figure>
    }
}

/// A table cell with one line per component, so the state table stays narrow.
fn vec_cell(v: Option<&[f64]>) -> impl IntoView {
    match v {
        Some(v) => view! {
            <td class="vec">{v.iter().map(|x| view! { <span>{fmt_sig(*x, 5)}</span> }).collect_view()}</td>
        }
        .into_any(),
        None => view! { <td class="vec">"\u{2014}"</td> }.into_any(),
    }
}

#[component]
pub fn StateTable(runs: RwSignal<Vec<Run>>) -> impl IntoView {
    let title = move || {
        runs.with(|rs| {
            rs.first()
                .map(|r| r.opt.method.name(lang()))
                .unwrap_or_default()
        })
    };
    let hidden = move || {
        runs.with(|rs| {
            rs.first()
                .map_or(0, |r| r.history.len().saturating_sub(TABLE_ROWS))
        })
    };
    let rows = move || {
        runs.with(|rs| {
            rs.first()
                .map(|r| r.history[r.history.len().saturating_sub(TABLE_ROWS)..].to_vec())
        })
        .unwrap_or_default()
    };
    let caption = move || {
        let (name, h) = (title(), hidden());
        match (lang(), h > 0) {
            (crate::lang::Lang::En, false) => format!("Every step of {name}"),
            (crate::lang::Lang::En, true) => {
                format!("Every step of {name} (the last {TABLE_ROWS}; {h} earlier steps not shown)")
            }
            (crate::lang::Lang::Zh, false) => format!("{name} 的每一步"),
            (crate::lang::Lang::Zh, true) => {
                format!("{name} 的每一步（最后 {TABLE_ROWS} 步；前面 {h} 步未显示）")
            }
        }
    };
    let row = |s: StepState| {
        view! {
            <tr>
                <td>{s.t}</td>
                {vec_cell(Some(&s.grad))}
                {vec_cell(s.m.as_deref())}
                {vec_cell(s.v.as_deref())}
                {vec_cell(s.m_hat.as_deref())}
                {vec_cell(s.v_hat.as_deref())}
                {vec_cell(Some(&s.update))}
                {vec_cell(Some(&s.theta))}
                <td>{s.loss.map(fmt_num).unwrap_or_default()}</td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap state-table">
            <table aria-label=tr("Optimizer state per step", "每一步的优化器状态")>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"t"</th>
                        <th scope="col">{tr("gradient g", "梯度 g")}</th>
                        <th scope="col">"m"</th>
                        <th scope="col">"v"</th>
                        <th scope="col">"m\u{302}"</th>
                        <th scope="col">"v\u{302}"</th>
                        <th scope="col">{tr("update \u{394}\u{3b8}", "更新 \u{394}\u{3b8}")}</th>
                        <th scope="col">"\u{3b8}"</th>
                        <th scope="col">"J(\u{3b8})"</th>
                    </tr>
                </thead>
                <tbody>{move || rows().into_iter().map(row).collect_view()}</tbody>
            </table>
            <Show when=move || rows().is_empty()>
                <p class="small">{tr("No steps yet: press Step (or S).", "还没有步骤：请按“单步”（或 S）。")}</p>
            </Show>
        </div>
    }
}
