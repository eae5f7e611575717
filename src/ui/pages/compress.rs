//! The compression lab: prune, quantize and share the weights of a real
//! trained model, measure every setting on held-out test images in the engine
//! worker, and find the shortest two-part description of the labels.

use crate::math::format::{fmt_int, fmt_percent, fmt_sig};
use crate::plot::Axes;
use crate::protocol::{
    pareto, Coding, CompressReport, Granularity, Plan, PruneScope, QuantMode, Sweep, HIST_BINS,
};
use crate::ui::components::{Choice, EngineStatus, ModelOptions};
use crate::ui::engine::Engine;
use crate::ui::net::data_available;
use crate::ui::pages::classify::model_ref;
use crate::ui::pages::train::save_file;
use leptos::prelude::*;

use crate::ui::i18n::tr;
use leptos::task::spawn_local;
use leptos_meta::Title;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Float,
    Quantize,
    Share,
}

const LOG2_10: f64 = std::f64::consts::LOG2_10;

fn bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{} MB", fmt_sig(n as f64 / 1e6, 3))
    } else if n >= 1000 {
        format!("{} kB", fmt_sig(n as f64 / 1e3, 3))
    } else {
        format!("{n} B")
    }
}

fn bits(b: f64) -> String {
    format!("{} bits", fmt_int(b.round().max(0.0) as u64))
}

/// Where a sweep stands.
#[derive(Clone, Debug, Default, PartialEq)]
struct SweepState {
    running: bool,
    done: usize,
    total: usize,
    error: Option<String>,
}

#[component]
pub fn Compress() -> impl IntoView {
    let engine = Engine::get();
    let model = RwSignal::new("lab-cnn".to_string());
    let images = RwSignal::new(200usize);
    let sparsity = RwSignal::new(0.0f64);
    let scope = RwSignal::new(PruneScope::Global);
    let kind = RwSignal::new(Kind::Quantize);
    let qbits = RwSignal::new(8u32);
    let granularity = RwSignal::new(Granularity::PerChannel);
    let mode = RwSignal::new(QuantMode::Affine);
    let k = RwSignal::new(16u32);

    let plan = Memo::new(move |_| Plan {
        sparsity: sparsity.get() / 100.0,
        scope: scope.get(),
        coding: match kind.get() {
            Kind::Float => Coding::Float,
            Kind::Quantize => Coding::Quantize {
                bits: qbits.get(),
                granularity: granularity.get(),
                mode: mode.get(),
            },
            Kind::Share => Coding::Share { k: k.get() },
        },
    });

    let data = LocalResource::new(data_available);
    let has_data = move || data.get() == Some(true);
    let saved = LocalResource::new(move || {
        engine.models_changed.track();
        async move { engine.models().await.unwrap_or_default() }
    });

    // One measurement at a time; a change while one runs asks for another.
    let result = RwSignal::new(None::<Result<CompressReport, String>>);
    let busy = RwSignal::new(false);
    let again = RwSignal::new(false);
    let measure = move || {
        if busy.get_untracked() {
            again.set(true);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            loop {
                again.set(false);
                let (m, p, n) = (
                    model_ref(&model.get_untracked()),
                    plan.get_untracked(),
                    images.get_untracked(),
                );
                let r = engine.compress(m, p, n).await;
                result.set(Some(r));
                if !again.get_untracked() {
                    break;
                }
            }
            busy.set(false);
        });
    };
    Effect::new(move |_| {
        plan.track();
        model.track();
        images.track();
        if has_data() {
            measure();
        }
    });

    // The sweep: its points belong to one model and one number of test images.
    let points = RwSignal::new(Vec::<CompressReport>::new());
    let sweep_kind = RwSignal::new(Sweep::Quantization);
    let sweep = RwSignal::new(SweepState::default());
    let stop = RwSignal::new(false);
    Effect::new(move |_| {
        model.track();
        images.track();
        points.set(Vec::new());
    });
    let run_sweep = move |_| {
        let plans = sweep_kind.get_untracked().plans();
        stop.set(false);
        sweep.set(SweepState {
            running: true,
            done: 0,
            total: plans.len(),
            error: None,
        });
        let (m, n) = (model.get_untracked(), images.get_untracked());
        spawn_local(async move {
            for p in plans {
                if stop.get_untracked() {
                    break;
                }
                match engine.compress(model_ref(&m), p, n).await {
                    Ok(r) => {
                        if model.get_untracked() != m || images.get_untracked() != n {
                            break;
                        }
                        points.update(|v| {
                            v.retain(|q| q.plan != r.plan);
                            v.push(r);
                        });
                        sweep.update(|s| s.done += 1);
                    }
                    Err(e) => {
                        sweep.update(|s| s.error = Some(e));
                        break;
                    }
                }
            }
            sweep.update(|s| s.running = false);
        });
    };

    let labels_n = RwSignal::new(0usize); // 0: the measured test images
    let action = RwSignal::new(None::<Result<String, String>>);
    let download = move |_| {
        let (m, p) = (model_ref(&model.get_untracked()), plan.get_untracked());
        spawn_local(async move {
            match engine.export_compressed(m, p).await {
                Ok((name, b)) => {
                    save_file(&name, &b);
                    action.set(Some(Ok(format!("Downloaded {name} ({}).", bytes(b.len())))));
                }
                Err(e) => action.set(Some(Err(e))),
            }
        });
    };
    let save_here = move |_| {
        let (m, p) = (model_ref(&model.get_untracked()), plan.get_untracked());
        let acc = result.with_untracked(|r| match r {
            Some(Ok(r)) if r.plan == p => Some(r.accuracy()),
            _ => None,
        });
        let name = format!("{} \u{b7} {}", model.get_untracked(), p.label());
        spawn_local(async move {
            match engine.save_compressed(m, p, name.clone(), acc).await {
                Ok(_) => action.set(Some(Ok(format!(
                    "Saved \u{201c}{name}\u{201d} in this browser: choose it on the Classify page to compare its answers with the original's."
                )))),
                Err(e) => action.set(Some(Err(e))),
            }
        });
    };

    view! {
        <Title text=tr("Compress the trained model", "压缩训练好的模型") />
        <article class="page">
            <header class="page-head">
                <p class="eyebrow">"A model is a compressed program"</p>
                <h1>{tr("Compress the trained model", "压缩训练好的模型")}</h1>
                <p class="lede">
                    "The article says compression is the essence of large models, but its section on it (2.5) is an empty comment. "
                    "Here the real trained CNN is pruned, quantized and clustered; every setting is measured on held-out test images, "
                    "its size counted bit by bit in a real file, and the shortest description of the labels found."
                </p>
            </header>

            <EngineStatus />

            {move || (data.get() == Some(false)).then(|| view! {
                <p class="note" role="status">
                    "This build of the site has no CIFAR-10 test images, so nothing can be measured. Put the data in ../shared/cifar10 "
                    "or set CIFAR10_DIR (see the README), then rebuild."
                </p>
            })}

            <section class="calculator" aria-labelledby="settings-heading">
                <h2 id="settings-heading">{tr("Settings", "设置")}</h2>
                <div class="toolbar">
                    <div class="field compact">
                        <label for="compress-model">"Model"</label>
                        <select id="compress-model" prop:value=move || model.get() on:change=move |ev| model.set(event_target_value(&ev))>
                            <ModelOptions saved=saved uncompressed_only=true />
                        </select>
                    </div>
                    <div class="field compact">
                        <label for="compress-images">"Test images to measure on"</label>
                        <select id="compress-images" prop:value=move || images.get().to_string()
                            on:change=move |ev| images.set(event_target_value(&ev).parse().unwrap_or(200))>
                            <option value="100">"100 (fast)"</option>
                            <option value="200">"200"</option>
                            <option value="430">"430"</option>
                            <option value="860">"all 860"</option>
                        </select>
                    </div>
                </div>

                <div class="compress-controls">
                    <fieldset class="side">
                        <legend>"1. Prune"</legend>
                        <div class="field">
                            <label for="sparsity">{move || format!("Sparsity: {}% of conv and linear weights set to zero", sparsity.get())}</label>
                            <input id="sparsity" type="range" min="0" max="99" step="1"
                                prop:value=move || sparsity.get().to_string()
                                on:input=move |ev| sparsity.set(event_target_value(&ev).parse().unwrap_or(0.0)) />
                        </div>
                        <Choice legend=tr("Rank weights", "权重排序范围") name="scope"
                            options=vec![(PruneScope::Global, "Globally"), (PruneScope::PerLayer, "Per layer")] value=scope />
                        <p class="hint">"The smallest weights in magnitude go first. Per layer: every layer loses the same share. "
                            "Globally: one threshold for all layers, so small layers with large weights (the first convolution) keep theirs; on the default CNN it loses far less accuracy."</p>
                    </fieldset>
                    <fieldset class="side">
                        <legend>"2. Store what survives"</legend>
                        <Choice legend=tr("Coding", "编码") name="coding"
                            options=vec![(Kind::Float, "32-bit floats"), (Kind::Quantize, "Quantize"), (Kind::Share, "Share (k-means)")] value=kind />
                        {move || match kind.get() {
                            Kind::Quantize => view! {
                                <div class="field">
                                    <label for="qbits">{move || format!("Bits per weight: {}", qbits.get())}</label>
                                    <input id="qbits" type="range" min="1" max="16" step="1"
                                        prop:value=move || qbits.get().to_string()
                                        on:input=move |ev| qbits.set(event_target_value(&ev).parse().unwrap_or(8)) />
                                </div>
                                <Choice legend=tr("Scale", "缩放粒度") name="granularity"
                                    options=vec![(Granularity::PerChannel, "Per output channel"), (Granularity::PerTensor, "Per tensor")] value=granularity />
                                <Choice legend=tr("Grid", "网格") name="qmode"
                                    options=vec![(QuantMode::Affine, "Affine (min to max)"), (QuantMode::Symmetric, "Symmetric (zero exact)")] value=mode />
                                <p class="hint">"Affine: w \u{2248} lo + q\u{b7}s with q in 0\u{2026}2\u{1d47}\u{2212}1. Symmetric: w \u{2248} q\u{b7}s with |q| \u{2264} 2\u{1d47}\u{207b}\u{b9}\u{2212}1; "
                                    "at 1 bit it keeps the sign times the mean magnitude (BinaryConnect). Each scale is a 32-bit float and is counted."</p>
                            }.into_any(),
                            Kind::Share => view! {
                                <div class="field">
                                    <label for="kshare">{move || format!("Shared values per layer: k = {}", k.get())}</label>
                                    <input id="kshare" type="range" min="1" max="8" step="1"
                                        prop:value=move || (k.get() as f64).log2().round().to_string()
                                        on:input=move |ev| k.set(1 << event_target_value(&ev).parse::<u32>().unwrap_or(4).clamp(1, 8)) />
                                </div>
                                <p class="hint">"k-means (Lloyd's algorithm, linear initialisation as in Deep Compression) groups each layer's weights into k clusters; "
                                    "a weight stores only its cluster's index (\u{2308}log\u{2082} k\u{2309} bits) and the layer stores the k centroids."</p>
                            }.into_any(),
                            Kind::Float => view! { <p class="hint">"Surviving weights stay 32-bit floats; only pruning and DEFLATE save space."</p> }.into_any(),
                        }}
                    </fieldset>
                </div>
            </section>

            <section class="calculator" aria-labelledby="result-heading" aria-busy=move || busy.get().to_string()>
                <h2 id="result-heading">"Result: " {move || plan.get().label()}</h2>
                <p class="hint" role="status">{move || if busy.get() { "Measuring\u{2026}".to_string() } else { String::new() }}</p>
                {move || result.get().map(|r| match r {
                    Err(e) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                    Ok(r) => view! { <ReportView r=r /> }.into_any(),
                })}
                <div class="toolbar">
                    <button type="button" class="button" on:click=download disabled=move || !has_data()>"Download the compressed file (.clz)"</button>
                    <button type="button" class="button secondary" on:click=save_here disabled=move || !has_data()>"Save in this browser (for the Classify page)"</button>
                </div>
                {move || action.get().map(|a| match a {
                    Ok(m) => view! { <p class="note" role="status">{m}</p> }.into_any(),
                    Err(e) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                })}
            </section>

            <section class="calculator" aria-labelledby="sweep-heading">
                <h2 id="sweep-heading">{tr("Sweep: accuracy against size", "扫描：准确率与大小")}</h2>
                <p>"Measure a whole family of settings on the same model and test images. Every point is a real compressed file; "
                   "the Pareto frontier joins the settings that no other setting beats on both size and accuracy."</p>
                <div class="toolbar">
                    <div class="field compact">
                        <label for="sweep-kind">"Sweep"</label>
                        <select id="sweep-kind" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(s) = Sweep::ALL.iter().find(|s| s.label() == v) { sweep_kind.set(*s); }
                        }>
                            {Sweep::ALL.iter().map(|s| view! {
                                <option value=s.label() selected=*s == Sweep::Quantization>{format!("{} ({} settings)", s.label(), s.plans().len())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="button" class="button" on:click=run_sweep disabled=move || sweep.with(|s| s.running) || !has_data()>"Run sweep"</button>
                    <button type="button" class="button secondary" on:click=move |_| stop.set(true) disabled=move || !sweep.with(|s| s.running)>"Stop"</button>
                    <button type="button" class="button secondary" on:click=move |_| points.set(Vec::new()) disabled=move || sweep.with(|s| s.running) || points.with(Vec::is_empty)>"Clear points"</button>
                </div>
                <p class="hint" role="status">{move || sweep.with(|s| {
                    if s.total == 0 { String::new() }
                    else if s.running { format!("Sweep: {} of {} settings measured\u{2026}", s.done, s.total) }
                    else { format!("Sweep finished: {} of {} settings measured.", s.done, s.total) }
                })}</p>
                {move || sweep.with(|s| s.error.clone()).map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                {move || (!points.with(Vec::is_empty)).then(|| view! {
                    <SweepView points=points labels_n=labels_n />
                })}
            </section>

            <section class="prose" aria-labelledby="distill-heading">
                <h2 id="distill-heading">{tr("Distillation: a smaller network taught by the big one", "蒸馏：由大网络教出的小网络")}</h2>
                <p>"Pruning and quantization shrink the same network. Knowledge distillation (Hinton, Vinyals & Dean, 2015) trains a "
                   "different, smaller network on the big one's softened answers: the student minimises"</p>
                <p class="formula block">"\u{3b1}\u{b7}T\u{b2}\u{b7}KL(softmax(z\u{209c}/T) \u{2016} softmax(z\u{209b}/T)) + (1\u{2212}\u{3b1})\u{b7}CE(z\u{209b}, y)"</p>
                <p>"The temperature T > 1 exposes how the teacher ranks the wrong classes (a cat looks more like a dog than a truck), "
                   "information a one-hot label does not carry; the factor T\u{b2} keeps the soft term's gradients the same size at any temperature. "
                   "Two students ship with the site, trained by this project's "<code>"lab train"</code>" with the same seed, 2,000 training images and 3 epochs: "
                   "one distilled from the default CNN (T = 4, \u{3b1} = 0.9), one on the labels alone. Each is a quarter of the default CNN's size (83,002 parameters); "
                   "choose them in the model menus here and on the "<a href=crate::ui::href("/classify")>"Classify page"</a>" (which can show two models' answers side by side) to see their test accuracy. "
                   "To distil your own, choose the student CNN and a teacher on the "<a href=crate::ui::href("/train")>"Train page"</a>"; train it again with \u{3b1} = 0 to compare."</p>
            </section>
        </article>
    }
}

/// One compressed model: accuracy, sizes, layers, histogram.
#[component]
fn ReportView(r: CompressReport) -> impl IntoView {
    let delta = 100.0 * (r.accuracy() - r.base_accuracy());
    let z = r.size;
    let parts = [
        (
            "Header (architecture, plan, tensor names and shapes)",
            z.header,
        ),
        ("Pruning masks (1 bit per conv/linear weight)", z.masks),
        ("Scales, offsets and codebooks", z.side),
        ("Surviving conv/linear weights", z.values),
        ("Biases and batch-norm tensors (32-bit floats)", z.other),
    ];
    let total_bits = r.total_bits();
    let uniform = r.images as f64 * LOG2_10;
    view! {
        <div id="compress-report" data-plan=r.plan.label()>
        <div class="stats">
            <p class="stat"><span class="stat-label">"Test accuracy"</span>
                <output id="compress-accuracy" class="stat-value">{fmt_percent(r.accuracy())}</output>
                <span class="stat-note">{format!("original {} \u{b7} {}{} points \u{b7} {} images",
                    fmt_percent(r.base_accuracy()), if delta >= 0.0 { "+" } else { "\u{2212}" }, fmt_sig(delta.abs(), 3), r.images)}</span></p>
            <p class="stat"><span class="stat-label">"File size"</span>
                <output id="compress-size" class="stat-value">{bytes(z.file)}</output>
                <span class="stat-note">{format!("{}\u{d7} smaller than {} of 32-bit floats", fmt_sig(r.ratio(), 3), bytes(r.original_bytes))}</span></p>
            <p class="stat"><span class="stat-label">"Labels given the model"</span>
                <output class="stat-value">{bits(r.label_bits)}</output>
                <span class="stat-note">{format!("{} bits per label (uniform: {})", fmt_sig(r.label_bits / r.images.max(1) as f64, 3), fmt_sig(LOG2_10, 4))}</span></p>
            <p class="stat"><span class="stat-label">"Model + labels"</span>
                <output class="stat-value">{bits(total_bits)}</output>
                <span class="stat-note">{format!("uniform code {}; DEFLATE of the labels {}", bits(uniform), bits(r.deflate_label_bits as f64))}</span></p>
        </div>
        <div class="bytes-and-hist">
            <div class="table-wrap"><table class="terms">
                <caption>"Where the bytes go"</caption>
                <thead><tr><th scope="col">"Part"</th><th scope="col">"Bytes"</th></tr></thead>
                <tbody>
                    {parts.into_iter().map(|(name, n)| view! { <tr><td>{name}</td><td class="num">{fmt_int(n as u64)}</td></tr> }).collect_view()}
                    <tr class="sum"><td>"Container before entropy coding"</td><td class="num">{fmt_int(z.payload as u64)}</td></tr>
                    <tr class="sum"><td>"File after DEFLATE (LZ77 + Huffman), with its 8-byte frame"</td><td class="num">{fmt_int(z.file as u64)}</td></tr>
                </tbody>
            </table></div>
            <Histogram r=r.clone() />
        </div>
        <div class="table-wrap"><table class="terms layers">
            <caption>"Per layer"</caption>
            <thead><tr><th scope="col">"Layer"</th><th scope="col">"Weights"</th><th scope="col">"Kept"</th><th scope="col">"Bits per kept weight"</th><th scope="col">"Distinct values"</th></tr></thead>
            <tbody>
                {r.layers.iter().map(|l| view! {
                    <tr>
                        <td>{l.name.trim_end_matches(".weight").to_string()}</td>
                        <td class="num">{fmt_int(l.weights as u64)}</td>
                        <td class="num">{format!("{} ({})", fmt_int(l.kept as u64), fmt_percent(l.kept as f64 / l.weights.max(1) as f64))}</td>
                        <td class="num">{l.value_bits}</td>
                        <td class="num">{fmt_int(l.distinct as u64)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
        <p class="hint">{format!("Measured in {} ms in the engine worker (compress, load, evaluate).", r.millis.round())}</p>
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
    let bar = |i: usize, c: u32, inset: f64| {
        let bh = (c as f64 / max).sqrt() * h; // square-root scale: the tails stay visible
        (
            i as f64 * bw + inset,
            h - bh,
            (bw - 2.0 * inset).max(0.5),
            bh,
        )
    };
    let before: Vec<_> = r
        .hist_before
        .iter()
        .enumerate()
        .map(|(i, &c)| bar(i, c, 0.0))
        .collect();
    let after: Vec<_> = r
        .hist_after
        .iter()
        .enumerate()
        .map(|(i, &c)| bar(i, c, bw * 0.25))
        .collect();
    let kept: u32 = r.hist_after.iter().sum();
    let desc = format!(
        "Histogram of the conv and linear weights on [\u{2212}{0}, {0}]: before, {1} weights; after, {2} non-zero weights in {3} distinct values at most per layer, and {4} pruned to zero.",
        fmt_sig(r.range as f64, 3),
        fmt_int(r.hist_before.iter().sum::<u32>() as u64),
        fmt_int(kept as u64),
        r.layers.iter().map(|l| l.distinct).max().unwrap_or(0),
        fmt_int(r.zeros_after as u64)
    );
    view! {
        <figure class="chart">
            <figcaption>"Weights before (grey) and after (colour), square-root scale"</figcaption>
            <svg viewBox="-4 -4 488 176" role="img" aria-label=desc.clone()>
                {before.into_iter().map(|(x, y, bw, bh)| view! { <rect x=x y=y width=bw height=bh class="hist-before" /> }).collect_view()}
                {after.into_iter().map(|(x, y, bw, bh)| view! { <rect x=x y=y width=bw height=bh class="hist-after" /> }).collect_view()}
                <line x1="240" x2="240" y1="0" y2="150" class="grid-line" />
                <text x="0" y="166">{format!("\u{2212}{}", fmt_sig(r.range as f64, 3))}</text>
                <text x="240" y="166" text-anchor="middle">"0"</text>
                <text x="480" y="166" text-anchor="end">{fmt_sig(r.range as f64, 3)}</text>
            </svg>
            <p class="chart-text">{desc}</p>
        </figure>
    }
}

/// The sweep's points: accuracy against size with the Pareto frontier, and the
/// two-part description length against model size with its minimum.
#[component]
fn SweepView(points: RwSignal<Vec<CompressReport>>, labels_n: RwSignal<usize>) -> impl IntoView {
    let (w, h) = (480.0, 200.0);
    let acc_chart = move || {
        points.with(|ps| {
            let xy: Vec<(f64, f64)> = ps.iter().map(|r| (r.size.file as f64, 100.0 * r.accuracy())).collect();
            let front = pareto(&xy);
            let ax = Axes::fit(&xy, w, h, Some(0.0));
            let mut line = String::new();
            for &i in &front {
                let (x, y) = ax.px(xy[i].0, xy[i].1);
                line += &format!("{}{x:.1},{y:.1}", if line.is_empty() { "M" } else { "L" });
            }
            let base = ps.first().map(|r| 100.0 * r.base_accuracy()).unwrap_or(0.0);
            let by = ax.px(1.0, base).1;
            view! {
                <g class="axes">
                    {ax.y_ticks(|v| format!("{v:.0}%")).into_iter().map(|(y, l)| view! {
                        <line x1="0" x2=w y1=y y2=y class="grid-line" />
                        <text x="-6" y=y + 4.0 text-anchor="end">{l}</text>
                    }).collect_view()}
                    {ax.x_ticks(|v| bytes(v as usize)).into_iter().map(|(x, l)| view! {
                        <text x=x y="216" text-anchor="middle">{l}</text>
                    }).collect_view()}
                </g>
                <line x1="0" x2=w y1=by y2=by class="base-line" />
                <path d=line class="series s1" />
                {xy.iter().zip(ps.iter()).enumerate().map(|(i, (p, r))| {
                    let (x, y) = ax.px(p.0, p.1);
                    let on = front.contains(&i);
                    view! { <circle cx=x cy=y r=if on { 5.0 } else { 3.5 } class=if on { "pt front" } else { "pt" }>
                        <title>{format!("{}: {}, {}", r.plan.label(), bytes(r.size.file), fmt_percent(r.accuracy()))}</title>
                    </circle> }
                }).collect_view()}
            }
        })
    };
    // Two-part code for N labels: model bits + N × (label bits per test label).
    let dl = move || {
        points.with(|ps| {
            let n_meas = ps.first().map_or(1, |r| r.images.max(1));
            let n = match labels_n.get() {
                0 => n_meas,
                n => n,
            };
            let per = |r: &CompressReport| r.label_bits / r.images.max(1) as f64;
            let rows: Vec<(f64, f64, f64)> = ps
                .iter()
                .map(|r| {
                    let m = 8.0 * r.size.file as f64;
                    let l = per(r) * n as f64;
                    (m, l, m + l)
                })
                .collect();
            (n, n == n_meas, rows)
        })
    };
    let dl_chart = move || {
        let (n, _, rows) = dl();
        let xy: Vec<(f64, f64)> = rows
            .iter()
            .map(|&(m, _, t)| (m, t.max(1.0).log10()))
            .collect();
        let best = (0..rows.len()).min_by(|&a, &b| rows[a].2.total_cmp(&rows[b].2));
        let uniform = n as f64 * LOG2_10;
        let mut all = xy.clone();
        all.push((xy.first().map_or(1.0, |p| p.0), uniform.log10()));
        let ax = Axes::fit(&all, w, h, None);
        let uy = ax.px(1.0, uniform.log10()).1;
        view! {
            <g class="axes">
                {ax.y_ticks(|v| bits(10f64.powf(v))).into_iter().map(|(y, l)| view! {
                    <line x1="0" x2=w y1=y y2=y class="grid-line" />
                    <text x="-6" y=y + 4.0 text-anchor="end">{l}</text>
                }).collect_view()}
                {ax.x_ticks(|v| format!("{} kbit", fmt_sig(v / 1e3, 3))).into_iter().map(|(x, l)| view! {
                    <text x=x y="216" text-anchor="middle">{l}</text>
                }).collect_view()}
            </g>
            <line x1="0" x2=w y1=uy y2=uy class="base-line" />
            <text x=w y=uy - 4.0 text-anchor="end">"uniform code"</text>
            {xy.iter().enumerate().map(|(i, p)| {
                let (x, y) = ax.px(p.0, p.1);
                let star = Some(i) == best;
                view! { <circle cx=x cy=y r=if star { 6.0 } else { 3.5 } class=if star { "pt best" } else { "pt" }>
                    <title>{format!("{}: {}", points.with(|ps| ps[i].plan.label()), bits(rows[i].2))}</title>
                </circle> }
            }).collect_view()}
        }
    };
    let explain = move || {
        let (n, measured, rows) = dl();
        let ps = points.get();
        let Some(b) = (0..rows.len()).min_by(|&a, &c| rows[a].2.total_cmp(&rows[c].2)) else {
            return String::new();
        };
        let uniform = n as f64 * LOG2_10;
        let (m, l, t) = rows[b];
        let mut s = format!(
            "With {} labels to explain{}, the shortest two-part code is \u{201c}{}\u{201d}: {} of model plus {} of labels = {}. ",
            fmt_int(n as u64),
            if measured { " (measured)" } else { " (label cost extrapolated from the measured images)" },
            ps[b].plan.label(),
            bits(m),
            bits(l),
            bits(t)
        );
        if t > uniform {
            s += &format!(
                "That is still longer than simply writing each label with log\u{2082} 10 bits ({}): a network of this size only pays for itself \
                 when it explains many more labels. Every bit of model must save more than one bit of labels, so with few labels the \
                 smallest model that still predicts something wins; raise the number of labels and the minimum moves to larger, more accurate models.",
                bits(uniform)
            );
        } else {
            s += &format!(
                "That beats writing each label with log\u{2082} 10 bits ({}). The minimum sits where one more bit of model would save less \
                 than one bit of labels: smaller models lose accuracy and pay for it in every label; larger ones cost more bits than they save.",
                bits(uniform)
            );
        }
        s
    };
    view! {
        <div class="chart-pair">
            <figure class="chart">
                <figcaption>"Test accuracy against file size (log scale); frontier in green, original accuracy dashed"</figcaption>
                <svg viewBox="-44 -8 540 232" role="img" aria-label="Accuracy against compressed file size; the table below lists every point">{acc_chart}</svg>
            </figure>
            <figure class="chart">
                <figcaption>"Two-part description length L(model) + L(labels | model) against model size; minimum largest"</figcaption>
                <svg viewBox="-70 -8 566 232" role="img" aria-label="Description length against model size; the table below lists every point">{dl_chart}</svg>
            </figure>
        </div>
        <div class="field compact">
            <label for="labels-n">"Labels to explain"</label>
            <select id="labels-n" on:change=move |ev| labels_n.set(event_target_value(&ev).parse().unwrap_or(0))>
                <option value="0">"the measured test images"</option>
                <option value="10000">"10,000 (extrapolated)"</option>
                <option value="60000">"60,000, all of CIFAR-10 (extrapolated)"</option>
                <option value="1000000">"1,000,000 (extrapolated)"</option>
            </select>
        </div>
        <p id="dl-explain" class="explain">{explain}</p>
        <div class="table-wrap"><table class="terms" id="sweep-table">
            <caption>"Every measured setting"</caption>
            <thead><tr>
                <th scope="col">"Setting"</th><th scope="col">"File"</th><th scope="col">"Ratio"</th>
                <th scope="col">"Accuracy"</th><th scope="col">"Change"</th><th scope="col">"Label bits"</th>
                <th scope="col">"Model + labels"</th><th scope="col">"Frontier"</th>
            </tr></thead>
            <tbody>
                {move || {
                    let ps = points.get();
                    let xy: Vec<(f64, f64)> = ps.iter().map(|r| (r.size.file as f64, r.accuracy())).collect();
                    let front = pareto(&xy);
                    let mut order: Vec<usize> = (0..ps.len()).collect();
                    order.sort_by_key(|&i| std::cmp::Reverse(ps[i].size.file));
                    order.into_iter().map(|i| {
                        let r = &ps[i];
                        let d = 100.0 * (r.accuracy() - r.base_accuracy());
                        view! { <tr>
                            <td>{r.plan.label()}</td>
                            <td class="num">{bytes(r.size.file)}</td>
                            <td class="num">{format!("{}\u{d7}", fmt_sig(r.ratio(), 3))}</td>
                            <td class="num">{fmt_percent(r.accuracy())}</td>
                            <td class="num">{format!("{}{}", if d >= 0.0 { "+" } else { "\u{2212}" }, fmt_sig(d.abs(), 3))}</td>
                            <td class="num">{fmt_int(r.label_bits.round() as u64)}</td>
                            <td class="num">{fmt_int(r.total_bits().round() as u64)}</td>
                            <td>{if front.contains(&i) { "\u{2713}" } else { "" }}</td>
                        </tr> }
                    }).collect_view()
                }}
            </tbody>
        </table></div>
    }
}
