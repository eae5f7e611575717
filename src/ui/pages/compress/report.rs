//! One compressed model, measured: accuracy, sizes, where the bytes go, each
//! layer, the weight histogram; and its file, to download or keep.

use super::State;
use crate::math::format::{fmt_int, fmt_percent, fmt_sig};
use crate::page::compress::{accuracy_note, bits, bytes, paired_note, LOG2_10};
use crate::protocol::{CompressReport, ExportCompressed, SaveCompressed, HIST_BINS};
use crate::ui::download::save_file;
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang, lang_now, tr, Lang};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ResultSection(state: State) -> impl IntoView {
    let engine = Engine::get();
    let action = RwSignal::new(None::<Result<String, String>>);
    let download = move |_| {
        let request = ExportCompressed {
            model: state.model_ref(),
            plan: state.plan.get_untracked(),
        };
        spawn_local(async move {
            action.set(Some(match engine.call(request).await {
                Ok(f) => {
                    save_file(&f.name, &f.bytes);
                    let (name, size) = (f.name, bytes(f.bytes.len()));
                    Ok(lang_now().pick(
                        format!("Downloaded {name} ({size})."),
                        format!("已下载 {name}（{size}）。"),
                    ))
                }
                Err(e) => Err(e.message(lang_now())),
            }));
        });
    };
    let save_here = move |_| {
        let plan = state.plan.get_untracked();
        let test_accuracy = state.result.with_untracked(|r| match r {
            Some(Ok(r)) if r.plan == plan => Some(r.accuracy()),
            _ => None,
        });
        let request = SaveCompressed {
            model: state.model_ref(),
            plan,
            test_accuracy,
        };
        spawn_local(async move {
            action.set(Some(match engine.call(request).await {
                Ok(m) => Ok(lang_now().pick(
                    format!(
                        "Saved \u{201c}{name}\u{201d} in this browser: choose it on the Classify page to compare its \
                         answers with the original's.",
                        name = m.label(Lang::En)
                    ),
                    format!(
                        "已把\u{201c}{name}\u{201d}保存在本浏览器中：在分类页面选择它，把它的答案与原模型比较。",
                        name = m.label(Lang::Zh)
                    ),
                )),
                Err(e) => Err(e.message(lang_now())),
            }));
        });
    };
    let no_data = move || !state.has_data.get();
    view! {
        <section class="calculator" aria-labelledby="result-heading" aria-busy=move || state.busy.get().to_string()>
            <h2 id="result-heading">{tr("Result: ", "结果：")} {move || state.plan.get().label_in(lang())}</h2>
            <p class="hint" role="status">
                {move || state.busy.get().then(|| tr("Measuring\u{2026}", "正在测量\u{2026}")())}
            </p>
            {move || state.result.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{move || e.message(lang())}</p> }.into_any(),
                Ok(r) => view! { <ReportView r /> }.into_any(),
            })}
            <div class="toolbar">
                <button type="button" class="button" on:click=download disabled=no_data>
                    {tr("Download the compressed file (.clz)", "下载压缩文件（.clz）")}
                </button>
                <button type="button" class="button secondary" on:click=save_here disabled=no_data>
                    {tr("Save in this browser (for the Classify page)", "保存在本浏览器中（供分类页面使用）")}
                </button>
            </div>
            {move || action.get().map(|a| match a {
                Ok(m) => view! { <p class="note" role="status">{m}</p> }.into_any(),
                Err(e) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ReportView(r: CompressReport) -> impl IntoView {
    let ms = r.millis.round();
    let timing = move || {
        lang().pick(
            format!("Measured in {ms} ms in the engine worker (compress, load, evaluate)."),
            format!("在引擎 worker 中测量用时 {ms} 毫秒（压缩、载入、评估）。"),
        )
    };
    let plan = r.plan.label();
    view! {
        <div id="compress-report" data-plan=plan>
            <Stats r=r.clone() />
            <div class="bytes-and-hist">
                <BytesTable r=r.clone() />
                <Histogram r=r.clone() />
            </div>
            <LayersTable r />
            <p class="hint">{timing}</p>
        </div>
    }
}

/// A figure with its label and a note under it.
#[component]
fn Stat(
    label: [&'static str; 2],
    #[prop(optional)] id: &'static str,
    value: Signal<String>,
    note: Signal<String>,
) -> impl IntoView {
    view! {
        <p class="stat">
            <span class="stat-label">{move || lang().pick(label[0], label[1])}</span>
            <output id=(!id.is_empty()).then_some(id) class="stat-value">{value}</output>
            <span class="stat-note">{note}</span>
        </p>
    }
}

#[component]
fn Stats(r: CompressReport) -> impl IntoView {
    let acc = fmt_percent(r.accuracy());
    let (ratio, orig) = (fmt_sig(r.ratio(), 3), bytes(r.original_bytes));
    let per = fmt_sig(r.label_bits / r.images.max(1) as f64, 3);
    let (label_bits, total) = (r.label_bits, r.total_bits());
    let (uniform, deflate) = (r.images as f64 * LOG2_10, r.deflate_label_bits as f64);
    let u4 = fmt_sig(LOG2_10, 4);
    let (note_of, paired_of) = (r.clone(), r.clone());
    let acc_note = Signal::derive(move || accuracy_note(&note_of, lang()));
    let size_note = Signal::derive(move || {
        lang().pick(
            format!("{ratio}\u{d7} smaller than {orig} of 32-bit floats"),
            format!("只有 {orig} 的 32 位浮点数的 1/{ratio}"),
        )
    });
    let label_note = Signal::derive(move || {
        lang().pick(
            format!("{per} bits per label (uniform: {u4})"),
            format!("每个标签 {per} 比特（均匀编码：{u4}）"),
        )
    });
    let total_note = Signal::derive(move || {
        let (l, (u, d)) = (lang(), (bits(uniform, lang()), bits(deflate, lang())));
        l.pick(
            format!("uniform code {u}; DEFLATE of the labels {d}"),
            format!("均匀编码 {u}；标签的 DEFLATE {d}"),
        )
    });
    view! {
        <div class="stats">
            <Stat label=["Test accuracy", "测试准确率"] id="compress-accuracy" value=acc.into() note=acc_note />
            <Stat label=["File size", "文件大小"] id="compress-size" value=bytes(r.size.file).into() note=size_note />
            <Stat
                label=["Labels given the model", "给定模型后的标签"]
                value=Signal::derive(move || bits(label_bits, lang()))
                note=label_note
            />
            <Stat
                label=["Model + labels", "模型 + 标签"]
                value=Signal::derive(move || bits(total, lang()))
                note=total_note
            />
        </div>
        <p class="hint" id="compress-paired">{move || paired_note(&paired_of, lang())}</p>
    }
}

#[component]
fn BytesTable(r: CompressReport) -> impl IntoView {
    let z = r.size;
    let parts = [
        (
            [
                "Header (architecture, plan, tensor names and shapes)",
                "头部（架构、方案、张量名称和形状）",
            ],
            z.header,
        ),
        (
            ["Pruning masks (arithmetic-coded)", "剪枝掩码（算术编码）"],
            z.masks,
        ),
        (
            ["Scales, offsets and codebooks", "缩放因子、偏移和码本"],
            z.side,
        ),
        (
            [
                "Surviving conv/linear weights (arithmetic-coded up to 8 bits)",
                "保留的卷积/全连接权重（不超过 8 位时算术编码）",
            ],
            z.values,
        ),
        (
            [
                "Biases and batch-norm tensors (32-bit floats)",
                "偏置和批归一化张量（32 位浮点数）",
            ],
            z.other,
        ),
        (
            ["Container before DEFLATE", "DEFLATE 之前的容器"],
            z.payload,
        ),
        (
            [
                "File after DEFLATE (LZ77 + Huffman), with its 8-byte frame",
                "DEFLATE（LZ77 + 霍夫曼）之后的文件，含 8 字节帧",
            ],
            z.file,
        ),
    ];
    let row = |(k, ([en, zh], n)): (usize, ([&'static str; 2], usize))| {
        let sum = k >= 5;
        view! {
            <tr class:sum=sum>
                <td>{move || lang().pick(en, zh)}</td>
                <td class="num">{fmt_int(n as u64)}</td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="terms">
                <caption>{tr("Where the bytes go", "字节花在哪里")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr("Part", "部分")}</th>
                        <th scope="col">{tr("Bytes", "字节")}</th>
                    </tr>
                </thead>
                <tbody>{parts.into_iter().enumerate().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn LayersTable(r: CompressReport) -> impl IntoView {
    let rows = r.layers.into_iter().map(|l| {
        let share = fmt_percent(l.kept as f64 / l.weights.max(1) as f64);
        view! {
            <tr>
                <td>{l.name.trim_end_matches(".weight").to_string()}</td>
                <td class="num">{fmt_int(l.weights as u64)}</td>
                <td class="num">{format!("{} ({share})", fmt_int(l.kept as u64))}</td>
                <td class="num">{l.value_bits}</td>
                <td class="num">{fmt_int(l.distinct as u64)}</td>
                <td class="num">{fmt_int((l.entropy_bits / 8.0).ceil() as u64)}</td>
                <td class="num">{fmt_int(l.coded_bytes as u64)}</td>
            </tr>
        }
    });
    view! {
        <div class="table-wrap">
            <table class="terms layers">
                <caption>
                    {tr(
                        "Per layer. Entropy: the order-0 entropy of the layer's mask and values, in bytes; \
                         written: what the arithmetic coder wrote for them.",
                        "逐层。熵：该层掩码和取值的零阶熵（字节）；写入：算术编码器为它们实际写出的字节数。",
                    )}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{tr("Layer", "层")}</th>
                        <th scope="col">{tr("Weights", "权重数")}</th>
                        <th scope="col">{tr("Kept", "保留")}</th>
                        <th scope="col">{tr("Bits per kept weight", "每个保留权重的位数")}</th>
                        <th scope="col">{tr("Distinct values", "不同取值数")}</th>
                        <th scope="col" title=tr("Order-0 entropy of the mask and values", "掩码和取值的零阶熵")>
                            {tr("Entropy (B)", "熵（字节）")}
                        </th>
                        <th scope="col">{tr("Written (B)", "写入（字节）")}</th>
                    </tr>
                </thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
    }
}

/// Weight histograms before (grey) and after (colour) compression.
#[component]
fn Histogram(r: CompressReport) -> impl IntoView {
    let (w, h) = (480.0, 150.0);
    let max = r
        .hist_before
        .iter()
        .chain(&r.hist_after)
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let bw = w / HIST_BINS as f64;
    // Square-root scale: the tails stay visible.
    let bar = move |(i, &c): (usize, &u32), inset: f64, class: &'static str| {
        let bh = (c as f64 / max).sqrt() * h;
        let (x, width) = (i as f64 * bw + inset, (bw - 2.0 * inset).max(0.5));
        view! { <rect x=x y=h - bh width=width height=bh class=class /> }
    };
    let range = fmt_sig(r.range as f64, 3);
    let (before, kept) = (
        r.hist_before.iter().sum::<u32>(),
        r.hist_after.iter().sum::<u32>(),
    );
    let distinct = r.layers.iter().map(|l| l.distinct).max().unwrap_or(0);
    let (before_n, kept_n, zeros) = (
        fmt_int(before as u64),
        fmt_int(kept as u64),
        fmt_int(r.zeros_after as u64),
    );
    let (r2, r3) = (range.clone(), range.clone());
    let desc = Signal::derive(move || {
        lang().pick(
        format!(
            "Histogram of the conv and linear weights on [\u{2212}{range}, {range}]: before, {before_n} weights; \
             after, {kept_n} non-zero weights in {distinct} distinct values at most per layer, and {zeros} \
             pruned to zero."
        ),
        format!(
            "卷积和全连接权重在 [\u{2212}{range}, {range}] 上的直方图：压缩前 {before_n} 个权重；压缩后 {kept_n} 个非零权重，\
             每层最多 {distinct} 个不同取值，另有 {zeros} 个被剪为零。"
        ),
    )
    });
    view! {
        <figure class="chart">
            <figcaption>
                {tr("Weights before (grey) and after (colour), square-root scale", "压缩前（灰）与压缩后（彩）的权重，平方根刻度")}
            </figcaption>
            <svg viewBox="-4 -4 488 176" role="img" aria-label=desc>
                {r.hist_before.iter().enumerate().map(|b| bar(b, 0.0, "hist-before")).collect_view()}
                {r.hist_after.iter().enumerate().map(|b| bar(b, bw * 0.25, "hist-after")).collect_view()}
                <line x1="240" x2="240" y1="0" y2="150" class="grid-line" />
                <text x="0" y="166">{format!("\u{2212}{r2}")}</text>
                <text x="240" y="166" text-anchor="middle">"0"</text>
                <text x="480" y="166" text-anchor="end">{r3}</text>
            </svg>
            <p class="chart-text">{desc}</p>
        </figure>
    }
}
