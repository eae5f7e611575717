//! What the coder did: the file against the standard compressors, the
//! Chinese and English parts, bits per byte along the text, and the text
//! coloured character by character by what it cost.

use super::{Run, State};
use crate::math::format::{fmt_int, fmt_sig};
use crate::page::text::{
    char_detail, coloured_html, parts, rows, script_name, shade_labels, timing, two_part, verdict,
    MAX_DRAWN,
};
use crate::plot::line_chart;
use crate::text::report::{self, order0_bits, Char};
use crate::ui::components::{ChartAxes, ShareCell};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Results(s: State) -> impl IntoView {
    move || {
        s.run.get().map(|r| match r {
            Ok(run) => view! { <RunView run /> }.into_any(),
            Err(e) => view! { <p class="error" role="alert" id="text-error">{e}</p> }.into_any(),
        })
    }
}

#[component]
fn RunView(run: Run) -> impl IntoView {
    let chars: Arc<Vec<Char>> = Arc::new(report::chars(&run.text, &run.coded.bits));
    let order0 = order0_bits(&run.text);
    let run = Arc::new(run);
    let sizes = {
        let run = run.clone();
        move || {
            let rows = rows(
                run.text.len(),
                order0,
                &run.baselines,
                Some(&run.coded),
                lang(),
            );
            let top = rows.first().map_or(1.0, |r| r.bytes).max(1.0);
            rows.into_iter()
                .map(|r| {
                    view! {
                        <tr class:ours=r.ours>
                            <td>{r.label}<small class="hint">{r.how}</small></td>
                            <td class="num">{fmt_int(r.bytes.round() as u64)}</td>
                            <td class="num">{fmt_sig(r.bpb, 3)}</td>
                            <ShareCell share=Some(r.bytes / top) />
                        </tr>
                    }
                })
                .collect_view()
        }
    };
    let (r1, r2, r3) = (run.clone(), run.clone(), run.clone());
    view! {
        <section class="calculator" aria-labelledby="text-result-heading">
            <h2 id="text-result-heading">{tr("The file, against the standard compressors", "编码文件与标准压缩器的比较")}</h2>
            <p id="text-verdict" role="status">{move || verdict(&r1.coded, &r1.baselines, lang())}</p>
            <p id="text-two-part">{move || two_part(&r2.coded, &r2.baselines, lang())}</p>
            <p class="hint" id="text-timing">{move || timing(&r3.coded, r3.text.len(), lang())}</p>
            <div class="table-wrap">
                <table class="terms" id="text-sizes">
                    <caption>{tr("Sizes in bytes, and bits per byte of the text", "大小（字节）与每字节比特数")}</caption>
                    <thead><tr>
                        <th scope="col">{tr("coded with", "编码方式")}</th>
                        <th scope="col" class="num">{tr("bytes", "字节")}</th>
                        <th scope="col" class="num">{tr("bits/byte", "比特/字节")}</th>
                        <th scope="col"><span class="visually-hidden">{tr("size", "大小")}</span></th>
                    </tr></thead>
                    <tbody>{sizes}</tbody>
                </table>
            </div>
            <p class="hint">{tr(
                "Every compressor here ran in this browser on the same bytes. brotli carries a prior of its own: \
                 a built-in \
                 dictionary of 122,784 bytes of common words and phrases (RFC 7932) that every decoder has.",
                "这里的每个压缩器都在这个浏览器里对同样的字节运行。brotli 自带先验：一个 122,784 字节的内置字典，\
                 收录常见单词和短语（RFC 7932），每个解码器都有。",
            )}</p>
            <Parts chars=chars.clone() />
            <Along bits=run.coded.bits.clone() />
            <Coloured chars />
        </section>
    }
}

/// The Chinese and English parts, reported apart.
#[component]
fn Parts(chars: Arc<Vec<Char>>) -> impl IntoView {
    let rows = move || {
        parts(&chars)
            .into_iter()
            .map(|(script, p)| {
                view! {
                    <tr>
                        <td>{script_name(script, lang())}</td>
                        <td class="num">{fmt_int(p.chars as u64)}</td>
                        <td class="num">{fmt_int(p.bytes as u64)}</td>
                        <td class="num">{fmt_int((p.bits / 8.0).round() as u64)}</td>
                        <td class="num">{p.bits_per_byte().map(|b| fmt_sig(b, 3))}</td>
                        <td class="num">{p.bits_per_char().map(|b| fmt_sig(b, 3))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-wrap">
            <table class="terms" id="text-parts">
                <caption>{tr("What each part of the text cost", "文本各部分的编码代价")}</caption>
                <thead><tr>
                    <th scope="col">{tr("characters", "字符")}</th>
                    <th scope="col" class="num">{tr("count", "个数")}</th>
                    <th scope="col" class="num">{tr("bytes (UTF-8)", "字节（UTF-8）")}</th>
                    <th scope="col" class="num">{tr("coded bytes", "编码后字节")}</th>
                    <th scope="col" class="num">{tr("bits/byte", "比特/字节")}</th>
                    <th scope="col" class="num">{tr("bits/character", "比特/字符")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

const W: f64 = 560.0;
const H: f64 = 160.0;

/// Bits per byte along the text: where the model learns, and where it is surprised.
#[component]
fn Along(bits: Vec<f32>) -> impl IntoView {
    let pts: Vec<(f64, f64)> = report::along(&bits, 120)
        .into_iter()
        .map(|(x, y)| (x as f64, y))
        .collect();
    let chart = line_chart(&[pts], W, H, Some((0.0, 8.0)));
    let path = chart.paths.first().cloned().unwrap_or_default();
    view! {
        <figure class="chart">
            <svg viewBox=format!("-44 -8 {} {}", W + 56.0, H + 36.0) role="img" id="text-along"
                aria-label=move || lang().pick("Bits per byte along the text", "沿文本的每字节比特数")>
                <ChartAxes y_ticks=chart.y_ticks x_ticks=chart.x_ticks width=W height=H />
                <path d=path class="series s0" fill="none" />
            </svg>
            <figcaption>{tr(
                "Bits per byte along the text (the mean over each 1/120 of it; byte position across). \
                 A model that learns \
                 as it goes starts near 8 and falls as it learns the text's words.",
                "沿文本的每字节比特数（每 1/120 段的平均；横轴为字节位置）。边编码边学习的模型从 8 附近开始，随着学会文本里的词而下降。",
            )}</figcaption>
        </figure>
    }
}

/// The text, each character shaded by its bits per byte; pointing at one
/// (or tapping, or moving the keyboard focus onto the text) says what it cost.
#[component]
fn Coloured(chars: Arc<Vec<Char>>) -> impl IntoView {
    let html = coloured_html(&chars);
    let more = chars.len().saturating_sub(MAX_DRAWN);
    let picked = RwSignal::new(None::<usize>);
    let on_point = move |ev: leptos::ev::MouseEvent| {
        let i = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|e| e.get_attribute("data-i"))
            .and_then(|i| i.parse::<usize>().ok());
        if i.is_some() {
            picked.set(i);
        }
    };
    let detail = move || {
        let l = lang();
        match picked.get().and_then(|i| chars.get(i)) {
            Some(c) => char_detail(c, l),
            None => l
                .pick(
                    "Point at or tap a character to see what it cost.",
                    "指向或轻点一个字符，看它的编码代价。",
                )
                .into(),
        }
    };
    view! {
        <h3>{tr("The text, coloured by what each character cost", "按每个字符的编码代价着色的文本")}</h3>
        <ol class="shade-legend" aria-label=move || lang().pick("Bits per byte", "每字节比特数")>
            {shade_labels()
                .into_iter()
                .enumerate()
                .map(|(i, l)| view! { <li class=format!("s{i}")>{l}</li> })
                .collect_view()}
        </ol>
        <p id="text-char" class="hint" aria-live="polite">{detail}</p>
        <div id="text-coloured" class="coloured-text" tabindex="0" translate="no" inner_html=html
            on:mouseover=on_point on:click=on_point></div>
        {(more > 0).then(|| view! {
            <p class="hint">{move || lang().pick(
                format!("The last {} characters are counted above but not drawn.", fmt_int(more as u64)),
                format!("最后 {} 个字符计入了上面的统计，但没有画出。", fmt_int(more as u64)),
            )}</p>
        })}
    }
}
