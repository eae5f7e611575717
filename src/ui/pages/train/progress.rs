//! The run as it goes: data received, the progress bar, how it ended, and the
//! compression meter.

use crate::page::train::{data_line, latest_test_line, progress_line, MeterText};
use crate::protocol::{CodeMeter, RunOutcome};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn Progress() -> impl IntoView {
    let run = Engine::get().train;
    let cores = window().navigator().hardware_concurrency().max(1.0) as u32;
    let steps = move || {
        run.with(|t| {
            t.batches
                .last()
                .map(|b| (b.step as f64, b.total_steps.max(1) as f64))
        })
    };
    let status = move || {
        let l = lang();
        run.with(|t| match t.batches.last() {
            _ if t.paused => l.pick("Paused.", "已暂停。").to_string(),
            Some(b) => progress_line(b, cores, l),
            None if t.running => l
                .pick("Loading data\u{2026}", "正在载入数据\u{2026}")
                .to_string(),
            None => l.pick("Not started.", "尚未开始。").to_string(),
        })
    };
    let outcome = move || {
        let l = lang();
        run.with(|t| {
            let problem = t.problem.as_ref().map(|e| {
                let goes_on = l.pick(
                    " Training continues with the data it has.",
                    "训练会用已有的数据继续。",
                );
                format!("{}{goes_on}", e.message(l))
            });
            let ended = t.outcome.as_ref().map(|o| {
                let kept = matches!(o, RunOutcome::Failed(_)) && t.saved.is_some();
                let note = l.pick(
                    " The last finished epoch is saved in this browser.",
                    "最后完成的周期已保存在本浏览器中。",
                );
                format!("{}{}", o.message(l), if kept { note } else { "" })
            });
            [problem, ended]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let meter = Signal::derive(move || run.with(|t| t.batches.last().map(|b| b.meter)));
    let teacher = Signal::derive(move || {
        run.with(|t| t.settings.as_ref().is_some_and(|s| s.teacher.is_some()))
    });
    view! {
        <section class="calculator" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{tr("Progress", "进度")}</h2>
            <p id="train-data">{move || run.with(|t| t.data.map(|(l, n)| data_line(l, n, lang())))}</p>
            <progress
                aria-label=tr("Training progress", "训练进度")
                max=move || steps().map_or(1.0, |s| s.1)
                value=move || steps().map_or(0.0, |s| s.0)
            ></progress>
            <p id="train-progress" role="status">{status}</p>
            <p id="train-test">
                {move || run.with(|t| latest_test_line(&t.epochs, &t.looks, lang()))}
            </p>
            <p id="train-outcome" class="note" role="alert">{outcome}</p>
            <CompressionMeter meter teacher />
        </section>
    }
}

/// The compression meter: the prequential code of the run so far (each training
/// label sent once, before the model learns from it) and, kept apart, what the
/// labels already sent cost the model in later epochs.
#[component]
fn CompressionMeter(meter: Signal<Option<CodeMeter>>, teacher: Signal<bool>) -> impl IntoView {
    let text = move || {
        meter
            .get()
            .map(|m| MeterText::new(&m, teacher.get(), lang()))
    };
    view! {
        <div class="meter" aria-labelledby="meter-heading">
            <h3 id="meter-heading">{tr("Compression meter", "压缩计量表")}</h3>
            {move || match text() {
                None => view! { <p class="hint">{tr("Starts with the first batch.", "第一个批次之后开始。")}</p> }
                    .into_any(),
                Some(t) => view! {
                    <p id="train-meter" class="meter-line"><strong>{t.ratio}</strong>{t.code}</p>
                    <p id="train-meter-sent" class="meter-line">{t.sent}</p>
                    {t.resent.map(|r| view! { <p id="train-meter-resent" class="hint">{r}</p> })}
                    {t.given.map(|g| view! { <p id="train-meter-teacher" class="note">{g}</p> })}
                }
                    .into_any(),
            }}
            <p class="hint">
                {move || lang().pick(
                    "Before the model learns from a batch, it predicts the batch\u{2019}s labels. A sender and a \
                     receiver who run the same training could transmit each label with \u{2212}log\u{2082} p(y|x) \
                     bits by arithmetic coding; summed over the first pass through the data \u{2014} each label \
                     sent once \u{2014} this is a prequential code (Dawid, 1984) in its online form: one optimizer \
                     step per batch, predictions made in training mode. Blier & Ollivier (2018) code blocks of \
                     the data with a model retrained on everything before each block, and switch between models, \
                     which gives much shorter codes. A model that learns makes later labels cheaper than the 3.32 \
                     bits a uniform guess needs: learning is compression, and this ratio is how much.",
                    "模型在从一个批次学习之前，先预测这个批次的标签。运行同样训练过程的发送方和接收方可以用算术编码以 \
                     \u{2212}log\u{2082} p(y|x) 比特传送每个标签；对数据的第一遍（每个标签只发送一次）求和，就是一种\
                     在线形式的预测序贯编码（Dawid, 1984）：每个批次做一次优化步，预测在训练模式下给出。Blier 与 \
                     Ollivier（2018）则把数据分块，每块用在此前全部数据上重新训练的模型编码，并在模型之间切换，\
                     得到的编码要短得多。会学习的模型让后面的标签比均匀猜测所需的 3.32 比特更便宜：\
                     学习就是压缩，这个比值就是压缩了多少。",
                )}
            </p>
        </div>
    }
}
