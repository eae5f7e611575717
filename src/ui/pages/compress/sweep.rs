//! The sweep: a family of settings measured on the same model and images,
//! drawn as accuracy against size (with the Pareto frontier) and as the
//! two-part description length against model size (with its minimum).

use super::State;
use crate::domain::Sweep;
use crate::math::format::{fmt_int, fmt_percent, fmt_sig};
use crate::page::compress::{bits, bytes, signed, two_part, SweepPoints, SweepProgress, LOG2_10};
use crate::page::export::sweep_csv;
use crate::plot::Axes;
use crate::protocol::Compress as CompressRequest;
use crate::ui::components::{ChartAxes, DownloadButton};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang, lang_now, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The charts' plot area, in SVG pixels.
const W: f64 = 480.0;
const H: f64 = 200.0;

#[component]
pub fn SweepSection(state: State) -> impl IntoView {
    let engine = Engine::get();
    let points = RwSignal::new(SweepPoints::default());
    let kind = RwSignal::new(Sweep::Quantization);
    let progress = RwSignal::new(SweepProgress::default());
    let error = RwSignal::new(None::<String>);
    let stop = RwSignal::new(false);
    // The points belong to one model and one number of test images.
    Effect::new(move |_| {
        state.model.track();
        state.images.track();
        points.set(SweepPoints::default());
    });
    let run = move |_| {
        let plans = kind.get_untracked().plans();
        stop.set(false);
        error.set(None);
        progress.set(SweepProgress {
            running: true,
            done: 0,
            total: plans.len(),
        });
        let (m, n) = (state.model.get_untracked(), state.images.get_untracked());
        spawn_local(async move {
            for plan in plans {
                let still = state.model.get_untracked() == m && state.images.get_untracked() == n;
                if stop.get_untracked() || !still {
                    break;
                }
                match engine
                    .call(CompressRequest {
                        model: state.model_ref(),
                        plan,
                        images: n,
                    })
                    .await
                {
                    Ok(r) => {
                        points.update(|p| p.add(*r));
                        progress.update(|s| s.done += 1);
                    }
                    Err(e) => {
                        error.set(Some(e.message(lang_now())));
                        break;
                    }
                }
            }
            progress.update(|s| s.running = false);
        });
    };
    let running = move || progress.with(|s| s.running);
    let choose = move |ev| {
        let v = event_target_value(&ev);
        if let Some(s) = Sweep::ALL.iter().find(|s| s.label() == v) {
            kind.set(*s);
        }
    };
    let option = move |s: Sweep| {
        let text = move || format!("{} ({})", s.label_in(lang()), s.plans().len());
        view! { <option value=s.label() selected=s == Sweep::Quantization>{text}</option> }
    };
    view! {
        <section class="calculator" aria-labelledby="sweep-heading">
            <h2 id="sweep-heading">{tr("Sweep: accuracy against size", "扫描：准确率与大小")}</h2>
            <p>
                {tr(
                    "Measure a whole family of settings on the same model and test images. Every point is a real \
                     compressed file; the Pareto frontier joins the settings that no other setting beats on both \
                     size and accuracy.",
                    "在同一个模型和同一批测试图片上测量一整族设置。每个点都是一个真实的压缩文件；帕累托前沿连接那些在\
                     大小和准确率上都没有被其他设置同时超过的设置。",
                )}
            </p>
            <div class="toolbar">
                <div class="field compact">
                    <label for="sweep-kind">{tr("Sweep", "扫描")}</label>
                    <select id="sweep-kind" on:change=choose>{Sweep::ALL.map(option).collect_view()}</select>
                </div>
                <button type="button" class="button" on:click=run disabled=move || running() || !state.has_data.get()>
                    {tr("Run sweep", "运行扫描")}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| stop.set(true)
                    disabled=move || !running()
                >
                    {tr("Stop", "停止")}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| points.set(SweepPoints::default())
                    disabled=move || running() || points.with(|p| p.0.is_empty())
                >
                    {tr("Clear points", "清除所有点")}
                </button>
            </div>
            <p class="hint" role="status">{move || progress.with(|s| s.line(lang()))}</p>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {move || points.with(|p| !p.0.is_empty()).then(|| view! { <SweepView points /> })}
        </section>
    }
}

#[component]
fn SweepView(points: RwSignal<SweepPoints>) -> impl IntoView {
    let labels = RwSignal::new(0usize); // 0: the measured test images
    let set_labels = move |ev| labels.set(event_target_value(&ev).parse().unwrap_or(0));
    let choices = [
        (0, ["the measured test images", "实测的测试图片"]),
        (10_000, ["10,000 (extrapolated)", "10,000（外推）"]),
        (
            60_000,
            [
                "60,000, all of CIFAR-10 (extrapolated)",
                "60,000，即全部 CIFAR-10（外推）",
            ],
        ),
        (1_000_000, ["1,000,000 (extrapolated)", "1,000,000（外推）"]),
    ];
    view! {
        <div class="chart-pair">
            <AccuracyChart points />
            <LengthChart points labels />
        </div>
        <div class="field compact">
            <label for="labels-n">{tr("Labels to explain", "要解释的标签数")}</label>
            <select id="labels-n" on:change=set_labels>
                {choices
                    .map(|(n, [en, zh])| view! { <option value=n.to_string()>{move || lang().pick(en, zh)}</option> })
                    .collect_view()}
            </select>
        </div>
        <p id="dl-explain" class="explain">{move || points.with(|p| p.explain(labels.get(), lang()))}</p>
        <p class="downloads">
            {tr("Download: ", "下载：")}
            <DownloadButton
                label=("the sweep's points (CSV)", "扫描的所有点（CSV）")
                name="compression-sweep.csv"
                make=move || points.with_untracked(sweep_csv)
            />
        </p>
        <SweepTable points />
    }
}

#[component]
fn AccuracyChart(points: RwSignal<SweepPoints>) -> impl IntoView {
    let chart = move || {
        points.with(|p| {
        let xy: Vec<(f64, f64)> = p.0.iter().map(|r| (r.size.file as f64, 100.0 * r.accuracy())).collect();
        let front = p.frontier();
        let ax = Axes::fit(&xy, W, H, Some(0.0));
        let line: String = front.iter().enumerate().map(|(k, &i)| {
            let (x, y) = ax.px(xy[i].0, xy[i].1);
            format!("{}{x:.1},{y:.1}", if k == 0 { "M" } else { "L" })
        }).collect();
        let base = p.0.first().map_or(0.0, |r| 100.0 * r.base_accuracy());
        let by = ax.px(1.0, base).1;
        let dots = p.0.iter().enumerate().map(|(i, r)| {
            let (x, y) = ax.px(xy[i].0, xy[i].1);
            let on = front.contains(&i);
            let (plan, size, acc) = (r.plan.label_in(lang_now()), bytes(r.size.file), fmt_percent(r.accuracy()));
            view! {
                <circle cx=x cy=y r=if on { 5.0 } else { 3.5 } class=if on { "pt front" } else { "pt" }>
                    <title>{format!("{plan}: {size}, {acc}")}</title>
                </circle>
            }
        }).collect_view();
        view! {
            <ChartAxes
                y_ticks=ax.y_ticks(|v| format!("{v:.0}%"))
                x_ticks=ax.x_ticks(|v| bytes(v as usize))
                width=W
                height=H
            />
            <line x1="0" x2=W y1=by y2=by class="base-line" />
            <path d=line class="series s1" />
            {dots}
        }
    })
    };
    view! {
        <figure class="chart">
            <figcaption>
                {tr(
                    "Test accuracy against file size (log scale); frontier in green, original accuracy dashed",
                    "测试准确率与文件大小（对数刻度）；绿色为前沿，虚线为原模型准确率",
                )}
            </figcaption>
            <svg
                viewBox="-44 -8 540 232"
                role="img"
                aria-label=tr(
                    "Accuracy against compressed file size; the table below lists every point",
                    "准确率与压缩文件大小；下表列出每个点",
                )
            >
                {chart}
            </svg>
        </figure>
    }
}

#[component]
fn LengthChart(points: RwSignal<SweepPoints>, labels: RwSignal<usize>) -> impl IntoView {
    let chart = move || {
        points.with(|p| {
        let n = p.labels(labels.get());
        let rows: Vec<(f64, f64, f64)> = p.0.iter().map(|r| two_part(r, n)).collect();
        let xy: Vec<(f64, f64)> = rows.iter().map(|&(m, _, t)| (m, t.max(1.0).log10())).collect();
        let best = p.best(n);
        let uniform = n as f64 * LOG2_10;
        let mut all = xy.clone();
        all.push((xy.first().map_or(1.0, |q| q.0), uniform.log10()));
        let ax = Axes::fit(&all, W, H, None);
        let uy = ax.px(1.0, uniform.log10()).1;
        let l = lang_now();
        let dots = xy.iter().enumerate().map(|(i, q)| {
            let (x, y) = ax.px(q.0, q.1);
            let star = Some(i) == best;
            let title = format!("{}: {}", p.0[i].plan.label_in(l), bits(rows[i].2, l));
            view! {
                <circle cx=x cy=y r=if star { 6.0 } else { 3.5 } class=if star { "pt best" } else { "pt" }>
                    <title>{title}</title>
                </circle>
            }
        }).collect_view();
        let y_ticks = ax.y_ticks(|v| bits(10f64.powf(v), l));
        let x_ticks = ax.x_ticks(|v| format!("{} kbit", fmt_sig(v / 1e3, 3)));
        view! {
            <ChartAxes y_ticks x_ticks width=W height=H />
            <line x1="0" x2=W y1=uy y2=uy class="base-line" />
            <text x=W y=uy - 4.0 text-anchor="end">{l.pick("uniform code", "均匀编码")}</text>
            {dots}
        }
    })
    };
    view! {
        <figure class="chart">
            <figcaption>
                {tr(
                    "Two-part description length L(model) + L(labels | model) against model size; minimum largest",
                    "两部分描述长度 L(模型) + L(标签 | 模型) 与模型大小；最大的点是最小值",
                )}
            </figcaption>
            <svg
                viewBox="-70 -8 566 232"
                role="img"
                aria-label=tr(
                    "Description length against model size; the table below lists every point",
                    "描述长度与模型大小；下表列出每个点",
                )
            >
                {chart}
            </svg>
        </figure>
    }
}

#[component]
fn SweepTable(points: RwSignal<SweepPoints>) -> impl IntoView {
    let heads = [
        ["Setting", "设置"],
        ["File", "文件"],
        ["Ratio", "压缩比"],
        ["Accuracy", "准确率"],
        ["Change", "变化"],
        ["Label bits", "标签比特"],
        ["Model + labels", "模型 + 标签"],
        ["Frontier", "前沿"],
    ];
    let rows = move || {
        points.with(|p| {
            let front = p.frontier();
            p.by_size().into_iter().map(|i| {
            let r = &p.0[i];
            view! {
                <tr>
                    <td>{r.plan.label_in(lang())}</td>
                    <td class="num">{bytes(r.size.file)}</td>
                    <td class="num">{format!("{}\u{d7}", fmt_sig(r.ratio(), 3))}</td>
                    <td class="num">{fmt_percent(r.accuracy())}</td>
                    <td class="num">{signed(100.0 * (r.accuracy() - r.base_accuracy()))}</td>
                    <td class="num">{fmt_int(r.label_bits.round() as u64)}</td>
                    <td class="num">{fmt_int(r.total_bits().round() as u64)}</td>
                    <td>{if front.contains(&i) { "\u{2713}" } else { "" }}</td>
                </tr>
            }
        }).collect_view()
        })
    };
    view! {
        <div class="table-wrap">
            <table class="terms" id="sweep-table">
                <caption>{tr("Every measured setting", "所有测量过的设置")}</caption>
                <thead>
                    <tr>
                        {heads
                            .map(|[en, zh]| view! { <th scope="col">{move || lang().pick(en, zh)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
