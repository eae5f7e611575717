//! What the run has learned: loss and accuracy charts, then after each epoch
//! the confusion matrix and the model's guesses on test images.

use crate::data::cifar::{class_name, Cifar, CLASSES};
use crate::page::export::{confusion_csv, curves_csv, epochs_csv, run_json};
use crate::page::train::test_points;
use crate::page::train::GRID;
use crate::plot::{line_chart, Chart};
use crate::protocol::{EpochStats, TestLook};
use crate::ui::components::{ChartAxes, DownloadButton};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang, tr};
use crate::ui::net::{asset_url, data_available, fetch_bytes};
use crate::ui::picture;
use leptos::prelude::*;

/// The chart's plot area, in SVG pixels.
const W: f64 = 480.0;
const H: f64 = 180.0;

#[component]
pub fn Results() -> impl IntoView {
    let run = Engine::get().train;
    // Per-batch figures, and the test set's (after each epoch and at each
    // look part-way through one), against the step.
    let series = move |batch: fn(&crate::protocol::BatchStats) -> f64,
                       epoch: fn(&EpochStats) -> f64,
                       look: fn(&TestLook) -> f64| {
        run.with(|t| {
            let b = t
                .batches
                .iter()
                .map(|b| (b.step as f64, batch(b)))
                .collect();
            let e = test_points(&t.epochs, &t.looks, epoch, look);
            [b, e]
        })
    };
    let loss = Memo::new(move |_| {
        let s = series(|b| b.loss, |e| e.test_loss, |l| l.test_loss);
        line_chart(&s, W, H, None)
    });
    let acc = Memo::new(move |_| {
        let s = series(
            |b| 100.0 * b.accuracy,
            |e| 100.0 * e.test_accuracy,
            |l| 100.0 * l.accuracy(),
        );
        line_chart(&s, W, H, Some((0.0, 100.0)))
    });
    let loss_title = tr(
        "Cross-entropy (nats): training batches, and the held-out test set during and after each epoch",
        "交叉熵（奈特）：训练批次，以及周期中和每个周期后的留出测试集",
    );
    let acc_title = tr(
        "Accuracy (%): training batches, and the held-out test set during and after each epoch",
        "准确率（%）：训练批次，以及周期中和每个周期后的留出测试集",
    );
    view! {
        <section class="calculator" aria-labelledby="charts-heading">
            <h2 id="charts-heading">{tr("Loss and accuracy", "损失与准确率")}</h2>
            <div class="chart-pair">
                <TrainChart chart=loss title=Signal::derive(move || loss_title().to_string()) />
                <TrainChart chart=acc title=Signal::derive(move || acc_title().to_string()) />
            </div>
            <RunFiles />
            {move || run.with(|t| t.epochs.last().cloned()).map(|e| view! { <EpochResults e /> })}
        </section>
    }
}

/// The run's numbers as files: every batch, every epoch, the latest
/// confusion matrix (CSV), and all of it with the settings (JSON).
#[component]
fn RunFiles() -> impl IntoView {
    let run = Engine::get().train;
    let json = move || {
        run.with_untracked(|t| {
            let settings = serde_wasm_bindgen::to_value(&t.settings)
                .ok()
                .and_then(|v| js_sys::JSON::stringify(&v).ok())
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| "null".into());
            run_json(&settings, &t.batches, &t.epochs, &t.looks)
        })
    };
    let has_epoch = move || run.with(|t| !t.epochs.is_empty());
    view! {
        <Show when=move || run.with(|t| !t.batches.is_empty())>
            <p class="downloads">
                {tr("Download: ", "下载：")}
                <DownloadButton
                    label=("training curves (CSV)", "训练曲线（CSV）")
                    name="training-curves.csv"
                    make=move || run.with_untracked(|t| curves_csv(&t.batches))
                />
                <Show when=has_epoch>
                    <DownloadButton
                        label=("test results per epoch (CSV)", "每个周期的测试结果（CSV）")
                        name="test-per-epoch.csv"
                        make=move || run.with_untracked(|t| epochs_csv(&t.epochs))
                    />
                    <DownloadButton
                        label=("confusion matrix (CSV)", "混淆矩阵（CSV）")
                        name="confusion-matrix.csv"
                        make=move || run.with_untracked(|t| t.epochs.last().map(confusion_csv).unwrap_or_default())
                    />
                </Show>
                <DownloadButton label=("the whole run (JSON)", "整个训练过程（JSON）") name="training-run.json" make=json />
            </p>
        </Show>
    }
}

#[component]
fn TrainChart(chart: Memo<Chart>, title: Signal<String>) -> impl IntoView {
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox="-40 -8 530 210" role="img" aria-label=title>
                {move || {
                    let c = chart.get();
                    view! {
                        <ChartAxes y_ticks=c.y_ticks x_ticks=c.x_ticks width=W height=H />
                        {c.paths
                            .into_iter()
                            .enumerate()
                            .map(|(k, d)| view! { <path d=d class=format!("series s{k}") /> })
                            .collect_view()}
                        // The test set's results as dots: a lone first one shows too.
                        {c.points
                            .get(1)
                            .into_iter()
                            .flatten()
                            .map(|&(x, y)| {
                                view! { <circle class="point s1" cx=format!("{x:.1}") cy=format!("{y:.1}") r="3" /> }
                            })
                            .collect_view()}
                    }
                }}
            </svg>
        </figure>
    }
}

/// After an epoch: the confusion matrix and the grid of test images.
#[component]
fn EpochResults(e: EpochStats) -> impl IntoView {
    let n: u32 = e.confusion.iter().sum();
    let heading = move || {
        let (k, l) = (e.epoch, lang());
        let correct = (e.test_accuracy * f64::from(n)).round() as usize;
        let acc = crate::math::stats::accuracy_line(correct, n as usize, l);
        l.pick(
            format!("After epoch {k}: {acc} on the test images"),
            format!("第 {k} 个周期后：测试准确率 {acc}"),
        )
    };
    let short = |c: usize| {
        let name = class_name(c, lang());
        name.chars().take(5).collect::<String>()
    };
    let row = {
        let e = e.clone();
        move |r: usize| {
            let cells = (0..CLASSES).map(|c| {
                let v = e.confusion[r * CLASSES + c];
                view! { <td class:diag=r == c class:zero=v == 0>{v}</td> }
            });
            view! {
                <tr>
                    <th scope="row">{move || class_name(r, lang())}</th>
                    {cells.collect_view()}
                    <td class="num">{format!("{:.0}%", 100.0 * e.per_class[r])}</td>
                </tr>
            }
        }
    };
    view! {
        <h3>{heading}</h3>
        <div class="table-wrap">
            <table class="confusion" aria-label=tr("Confusion matrix", "混淆矩阵")>
                <thead>
                    <tr>
                        <th scope="col">{tr("true \\ predicted", "真实 \\ 预测")}</th>
                        {(0..CLASSES).map(|c| view! { <th scope="col">{move || short(c)}</th> }).collect_view()}
                        <th scope="col">{tr("accuracy", "准确率")}</th>
                    </tr>
                </thead>
                <tbody>{(0..CLASSES).map(row).collect_view()}</tbody>
            </table>
        </div>
        <h3>{tr("Test images and the model's current guesses", "测试图片与模型当前的猜测")}</h3>
        <PredictionGrid grid=e.grid />
    }
}

/// The first test images with the model's guess under each.
#[component]
fn PredictionGrid(grid: Vec<u8>) -> impl IntoView {
    let images = LocalResource::new(|| async {
        if !data_available().await {
            return None;
        }
        let bytes = fetch_bytes(&asset_url("data/test-00.bin")).await.ok()?;
        let set = Cifar::parse(&bytes, "test-00.bin").ok()?;
        let n = GRID.min(set.len());
        Some(
            (0..n)
                .map(|i| (picture::data_url(set.image(i)), set.labels[i] as usize))
                .collect::<Vec<_>>(),
        )
    });
    let item = move |i: usize, url: String, truth: usize| {
        let pred = grid.get(i).map(|p| *p as usize);
        let ok = pred == Some(truth);
        let label = move || pred.map_or("\u{2014}", |p| class_name(p, lang()));
        let alt = move || {
            let name = class_name(truth, lang());
            lang().pick(
                format!("test image {}: {name}", i + 1),
                format!("测试图片 {}：{name}", i + 1),
            )
        };
        view! {
            <li class:right=ok class:wrong=!ok>
                <img src=url alt=alt width="48" height="48" />
                <span>{label}</span>
            </li>
        }
    };
    view! {
        <ul class="grid-preds" aria-label=tr("Test image predictions", "测试图片的预测")>
            {move || images.get().flatten().map(|imgs| {
                imgs.into_iter().enumerate().map(|(i, (url, truth))| item(i, url, truth)).collect_view()
            })}
        </ul>
    }
}
