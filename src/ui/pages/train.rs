//! Train a CNN in this browser: the engine worker trains batch by batch while
//! the page draws the loss, the accuracy on held-out test images, and the
//! prequential code length: learning, measured as compression.

use crate::data::cifar::{Cifar, CLASSES, CLASS_NAMES};
use crate::math::format::fmt_int;
use crate::plot::{line_chart, Chart};
use crate::protocol::{CodeMeter, Optimizer, SavedModel, Teacher, ToWorker, TrainSettings};
use crate::ui::components::{EngineStatus, ModelOptions, NumField};
use crate::ui::engine::Engine;
use crate::ui::net::{data_available, fetch_bytes, js_error, site_url};
use crate::ui::picture;
use leptos::prelude::*;

use crate::ui::i18n::{lang_signal, tr, Lang};
use leptos::task::spawn_local;
use leptos_meta::Title;
use wasm_bindgen::JsCast;

const GRID: usize = 24;

fn check_lr(v: f64) -> Result<(), String> {
    if v > 0.0 && v <= 10.0 {
        Ok(())
    } else {
        Err("A learning rate between 0 and 10.".into())
    }
}

fn check_temperature(v: f64) -> Result<(), String> {
    if (0.1..=100.0).contains(&v) {
        Ok(())
    } else {
        Err("A temperature between 0.1 and 100.".into())
    }
}

fn check_alpha(v: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err("\u{3b1} between 0 (labels only) and 1 (teacher only).".into())
    }
}

fn check_momentum(v: f64) -> Result<(), String> {
    if (0.0..1.0).contains(&v) {
        Ok(())
    } else {
        Err("Momentum in [0, 1).".into())
    }
}

fn check_epochs(v: f64) -> Result<(), String> {
    if (1.0..=200.0).contains(&v) && v.fract() == 0.0 {
        Ok(())
    } else {
        Err("A whole number of epochs, 1 to 200.".into())
    }
}

fn check_seed(v: f64) -> Result<(), String> {
    if (0.0..1e15).contains(&v) && v.fract() == 0.0 {
        Ok(())
    } else {
        Err("A whole number \u{2265} 0.".into())
    }
}

fn duration(s: f64) -> String {
    if !s.is_finite() {
        return "\u{2014}".into();
    }
    let s = s.round() as u64;
    if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

#[component]
pub fn Train() -> impl IntoView {
    let engine = Engine::get();
    let view_state = engine.train;
    let arch = RwSignal::new("lab-cnn".to_string());
    let subset = RwSignal::new(1000usize);
    let opt = RwSignal::new(Optimizer::Adam);
    let lr = RwSignal::new(3e-3);
    let momentum = RwSignal::new(0.9);
    let epochs = RwSignal::new(3.0);
    let batch_size = RwSignal::new(64usize);
    let augment = RwSignal::new(true);
    let seed = RwSignal::new(1.0);
    // Distillation: "" (none), a shipped model's name, or "saved:KEY".
    let teacher = RwSignal::new(String::new());
    let temperature = RwSignal::new(4.0);
    let alpha = RwSignal::new(0.9);
    let saved_models = LocalResource::new(move || {
        engine.models_changed.track();
        async move { engine.models().await.unwrap_or_default() }
    });
    let error = RwSignal::new(None::<String>);
    let running = move || view_state.with(|t| t.running);
    let paused = move || view_state.with(|t| t.paused);

    spawn_local(async move {
        let _ = engine.ready().await;
    });

    let start = move |_| {
        let settings = TrainSettings {
            arch: arch.get_untracked(),
            subset: subset.get_untracked(),
            optimizer: opt.get_untracked(),
            lr: lr.get_untracked(),
            momentum: momentum.get_untracked(),
            epochs: epochs.get_untracked() as usize,
            batch_size: batch_size.get_untracked(),
            augment: augment.get_untracked(),
            seed: seed.get_untracked() as u64,
            teacher: teacher.with_untracked(|t| {
                (!t.is_empty()).then(|| Teacher {
                    model: crate::ui::pages::classify::model_ref(t),
                    temperature: temperature.get_untracked(),
                    alpha: alpha.get_untracked(),
                })
            }),
        };
        error.set(None);
        spawn_local(async move {
            if let Err(e) = engine.start_training(settings).await {
                error.set(Some(e));
            }
        });
    };

    let progress_line = move || {
        view_state.with(|t| {
            t.batches.last().map(|b| {
                format!(
                    "Epoch {}/{} \u{b7} batch {}/{} \u{b7} step {}/{} \u{b7} {:.1} images/s \u{b7} about {} left",
                    b.epoch,
                    b.epochs,
                    b.batch,
                    b.batches,
                    b.step,
                    b.total_steps,
                    b.images_per_second,
                    duration(b.eta_seconds)
                )
            })
        })
    };
    let data_line = move || {
        view_state.with(|t| {
            t.data.map(|(l, n)| {
                format!(
                    "Training images received: {} of {}",
                    fmt_int(l as u64),
                    fmt_int(n as u64)
                )
            })
        })
    };
    let steps = move || {
        view_state.with(|t| {
            t.batches
                .last()
                .map(|b| (b.step as f64, b.total_steps.max(1) as f64))
        })
    };

    let meter = Signal::derive(move || view_state.with(|t| t.batches.last().map(|b| b.meter)));

    let loss_chart = Memo::new(move |_| {
        view_state.with(|t| {
            let batch: Vec<(f64, f64)> =
                t.batches.iter().map(|b| (b.step as f64, b.loss)).collect();
            let per_epoch = t.batches.first().map_or(1, |b| b.batches.max(1));
            let test: Vec<(f64, f64)> = t
                .epochs
                .iter()
                .map(|e| ((e.epoch * per_epoch) as f64, e.test_loss))
                .collect();
            line_chart(&[batch, test], 480.0, 180.0, None)
        })
    });
    let acc_chart = Memo::new(move |_| {
        view_state.with(|t| {
            let batch: Vec<(f64, f64)> = t
                .batches
                .iter()
                .map(|b| (b.step as f64, 100.0 * b.accuracy))
                .collect();
            let per_epoch = t.batches.first().map_or(1, |b| b.batches.max(1));
            let test: Vec<(f64, f64)> = t
                .epochs
                .iter()
                .map(|e| ((e.epoch * per_epoch) as f64, 100.0 * e.test_accuracy))
                .collect();
            line_chart(&[batch, test], 480.0, 180.0, Some((0.0, 100.0)))
        })
    });

    let grid_images = LocalResource::new(|| async {
        if !data_available().await {
            return None;
        }
        let bytes = fetch_bytes(&site_url("data/test-00.bin")).await.ok()?;
        let set = Cifar::parse(&bytes, "test-00.bin").ok()?;
        Some(
            (0..GRID.min(set.len()))
                .map(|i| (picture::data_url(set.image(i)), set.labels[i] as usize))
                .collect::<Vec<_>>(),
        )
    });

    view! {
        <Title text=tr("Train a CNN in your browser", "在浏览器中训练CNN") />
        <article class="page">
            <header class="page-head">
                <p class="eyebrow">"Learning is compression"</p>
                <h1>{tr("Train a CNN in your browser", "在浏览器中训练CNN")}</h1>
                <p class="lede">
                    "Train the article's CNN or this site's default on real CIFAR-10 images, here, on WebGPU or "
                    "the CPU, in a background worker: the page stays responsive. Watch the loss fall, the test "
                    "accuracy rise, and the labels' code length shrink."
                </p>
            </header>
            <EngineStatus />
            <section class="calculator" aria-labelledby="settings-heading">
                <h2 id="settings-heading">{tr("Settings", "设置")}</h2>
                <fieldset class="train-settings" prop:disabled=running>
                    <div class="toolbar">
                        <div class="field compact">
                            <label for="train-arch">"Model"</label>
                            <select id="train-arch" prop:value=move || arch.get() on:change=move |ev| arch.set(event_target_value(&ev))>
                                <option value="lab-cnn">"Default CNN (batch norm, 308,842 parameters)"</option>
                                <option value="doc-cnn">"The article's CNN (122,570 parameters)"</option>
                                <option value="lab-cnn-s">"Student CNN (half width, 83,002 parameters)"</option>
                            </select>
                        </div>
                        <div class="field compact">
                            <label for="train-teacher">"Teacher (distillation)"</label>
                            <select id="train-teacher" prop:value=move || teacher.get() on:change=move |ev| teacher.set(event_target_value(&ev))>
                                <option value="">"None: labels only"</option>
                                <ModelOptions saved=saved_models />
                            </select>
                        </div>
                        <Show when=move || !teacher.get().is_empty()>
                            <NumField id="train-temperature" label=tr("Temperature T", "温度 T") value=temperature check=check_temperature />
                            <NumField id="train-alpha" label=tr("Soft-target weight \u{3b1}", "软目标权重 \u{3b1}") value=alpha check=check_alpha />
                        </Show>
                        <div class="field compact">
                            <label for="train-subset">"Training images"</label>
                            <select id="train-subset" prop:value=move || subset.get().to_string() on:change=move |ev| subset.set(event_target_value(&ev).parse().unwrap_or(1000))>
                                {[1000, 2000, 5000, 10000].iter().map(|n| view! { <option value=n.to_string()>{fmt_int(*n as u64)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field compact">
                            <label for="train-opt">"Optimizer"</label>
                            <select
                                id="train-opt"
                                on:change=move |ev| {
                                    let (o, l) = match event_target_value(&ev).as_str() {
                                        "sgd" => (Optimizer::Sgd, 0.05),
                                        "momentum" => (Optimizer::Momentum, 0.02),
                                        _ => (Optimizer::Adam, 3e-3),
                                    };
                                    opt.set(o);
                                    lr.set(l);
                                }
                            >
                                <option value="adam" selected>"Adam"</option>
                                <option value="momentum">"SGD with momentum"</option>
                                <option value="sgd">"SGD"</option>
                            </select>
                        </div>
                        <NumField id="train-lr" label=tr("Learning rate", "学习率") value=lr check=check_lr />
                        <Show when=move || opt.get() == Optimizer::Momentum>
                            <NumField id="train-momentum" label=tr("Momentum", "动量") value=momentum check=check_momentum />
                        </Show>
                        <NumField id="train-epochs" label=tr("Epochs", "训练周期数") value=epochs check=check_epochs />
                        <div class="field compact">
                            <label for="train-batch">"Batch size"</label>
                            <select id="train-batch" prop:value=move || batch_size.get().to_string() on:change=move |ev| batch_size.set(event_target_value(&ev).parse().unwrap_or(64))>
                                {[16, 32, 64, 128, 256].iter().map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
                            </select>
                        </div>
                        <NumField id="train-seed" label=tr("Seed", "随机种子") value=seed check=check_seed />
                        <label class="check">
                            <input type="checkbox" prop:checked=move || augment.get() on:change=move |ev| augment.set(event_target_checked(&ev)) />
                            {tr(" Augmentation (shifts and mirror images)", " 数据增强（平移和镜像）")}
                        </label>
                    </div>
                </fieldset>
                <p class="hint">
                    "The learning rate warms up over the first epoch, then decays along a cosine. Adam here is Kingma & Ba's, "
                    "with bias correction, but with Burn's \u{3b5} = 1e-5 (the paper: 1e-8); momentum uses no dampening "
                    "(Burn's default dampening is 0.1, the textbook's 0)."
                </p>
                <div class="buttons">
                    <button type="button" class="button" on:click=start prop:disabled=running>{tr("Start", "开始")}</button>
                    <button
                        type="button"
                        class="button secondary"
                        prop:disabled=move || !running()
                        on:click=move |_| engine.control(if paused() { ToWorker::Resume } else { ToWorker::Pause })
                    >
                        {move || if paused() { tr("Resume", "继续")() } else { tr("Pause", "暂停")() }}
                    </button>
                    <button type="button" class="button secondary" prop:disabled=move || !running() on:click=move |_| engine.control(ToWorker::Stop)>
                        {tr("Stop", "停止")}
                    </button>
                </div>
                <p class="error" role="alert">{move || error.get()}</p>
            </section>

            <section class="calculator" aria-labelledby="progress-heading">
                <h2 id="progress-heading">{tr("Progress", "进度")}</h2>
                <p id="train-data">{data_line}</p>
                <progress
                    aria-label="Training progress"
                    max=move || steps().map_or(1.0, |s| s.1)
                    value=move || steps().map_or(0.0, |s| s.0)
                ></progress>
                <p id="train-progress" role="status">
                    {move || {
                        if paused() {
                            "Paused.".to_string()
                        } else {
                            progress_line().unwrap_or_else(|| if running() { "Loading data\u{2026}".into() } else { "Not started.".into() })
                        }
                    }}
                </p>
                <p id="train-outcome" class="note" role="alert">
                    {move || view_state.with(|t| t.outcome.clone())}
                </p>
                <CompressionMeter meter />
            </section>

            <section class="calculator" aria-labelledby="charts-heading">
                <h2 id="charts-heading">{tr("Loss and accuracy", "损失与准确率")}</h2>
                <div class="chart-pair">
                    <TrainChart chart=loss_chart title="Cross-entropy (nats): training batches, and held-out test after each epoch" />
                    <TrainChart chart=acc_chart title="Accuracy (%): training batches, and held-out test after each epoch" />
                </div>
                {move || view_state.with(|t| t.epochs.last().cloned()).map(|e| {
                    view! {
                        <h3>{format!("After epoch {}: {:.1}% on {} test images", e.epoch, 100.0 * e.test_accuracy, e.confusion.iter().sum::<u32>())}</h3>
                        <div class="table-wrap">
                            <table class="confusion" aria-label="Confusion matrix">
                                <thead>
                                    <tr>
                                        <th scope="col">"true \\ predicted"</th>
                                        {CLASS_NAMES.iter().map(|c| view! { <th scope="col">{&c[..c.len().min(5)]}</th> }).collect_view()}
                                        <th scope="col">"accuracy"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {(0..CLASSES).map(|r| view! {
                                        <tr>
                                            <th scope="row">{CLASS_NAMES[r]}</th>
                                            {(0..CLASSES).map(|c| {
                                                let v = e.confusion[r * CLASSES + c];
                                                view! { <td class:diag=r == c class:zero=v == 0>{v}</td> }
                                            }).collect_view()}
                                            <td class="num">{format!("{:.0}%", 100.0 * e.per_class[r])}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <h3>{tr("Test images and the model's current guesses", "测试图片与模型当前的猜测")}</h3>
                        <ul class="grid-preds" aria-label="Test image predictions">
                            {move || grid_images.get().flatten().map(|imgs| {
                                imgs.into_iter().enumerate().map(|(i, (url, truth))| {
                                    let pred = e.grid.get(i).map(|p| *p as usize);
                                    let ok = pred == Some(truth);
                                    let label = pred.map_or("\u{2014}", |p| CLASS_NAMES[p]);
                                    view! {
                                        <li class:right=ok class:wrong=!ok>
                                            <img src=url alt=format!("test image {}: {}", i + 1, CLASS_NAMES[truth]) width="48" height="48" />
                                            <span>{label}</span>
                                        </li>
                                    }
                                }).collect_view()
                            })}
                        </ul>
                    }
                })}
            </section>

            <SavedModels />
        </article>
    }
}

#[component]
fn TrainChart(chart: Memo<Chart>, title: &'static str) -> impl IntoView {
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox="-40 -8 530 210" role="img" aria-label=title>
                {move || {
                    let c = chart.get();
                    view! {
                        <g class="axes">
                            {c.y_ticks.iter().map(|(y, l)| view! {
                                <line x1="0" x2="480" y1=*y y2=*y class="grid-line" />
                                <text x="-6" y=*y + 4.0 text-anchor="end">{l.clone()}</text>
                            }).collect_view()}
                            {c.x_ticks.iter().map(|(x, l)| view! {
                                <text x=*x y="198" text-anchor="middle">{l.clone()}</text>
                            }).collect_view()}
                        </g>
                        {c.paths.iter().enumerate().map(|(k, d)| view! {
                            <path d=d.clone() class=format!("series s{k}") />
                        }).collect_view()}
                    }
                }}
            </svg>
        </figure>
    }
}

/// Models saved in this browser: use, download, delete; load a weights file.
#[component]
pub fn SavedModels() -> impl IntoView {
    let engine = Engine::get();
    let message = RwSignal::new(None::<String>);
    let list = LocalResource::new(move || {
        engine.models_changed.track();
        async move { engine.models().await }
    });
    let download = move |m: SavedModel| {
        spawn_local(async move {
            match engine.export(m.key.clone()).await {
                Ok((_, bytes)) => save_file(
                    &format!(
                        "{}.{}",
                        m.key,
                        if m.compressed { "clz" } else { "safetensors" }
                    ),
                    &bytes,
                ),
                Err(e) => message.set(Some(e)),
            }
        })
    };
    let remove = move |key: String| {
        spawn_local(async move {
            if let Err(e) = engine.delete(key).await {
                message.set(Some(e));
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            let name = file.name();
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(b) => js_sys::Uint8Array::new(&b).to_vec(),
                Err(e) => return message.set(Some(format!("{name}: {}", js_error(&e)))),
            };
            match engine.import(name.clone(), bytes).await {
                Ok(m) => message.set(Some(format!(
                    "Loaded {} ({}); it is saved in this browser.",
                    name, m.arch
                ))),
                Err(e) => message.set(Some(e)),
            }
        });
    };
    view! {
        <section class="calculator" aria-labelledby="saved-heading">
            <h2 id="saved-heading">{tr("Models saved in this browser", "保存在本浏览器中的模型")}</h2>
            <p class="hint">
                "Every epoch is saved here (IndexedDB) as it finishes, so a reload or a lost GPU keeps the work. "
                "Saved models appear on the classify page."
            </p>
            <Suspense fallback=|| view! { <p class="hint">"Reading saved models\u{2026}"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="note">{e}</p> }.into_any(),
                    Ok(ms) if ms.is_empty() => view! { <p id="saved-none">"None yet."</p> }.into_any(),
                    Ok(ms) => view! {
                        <ul class="saved" aria-label="Saved models">
                            {ms.into_iter().map(|m| {
                                let acc = m.test_accuracy.map(|a| format!(", {:.1}% on the test set", 100.0 * a)).unwrap_or_default();
                                let text = format!("{} ({}, {} kB{acc})", m.name, m.arch, m.bytes / 1000);
                                let key = m.key.clone();
                                let name = m.name.clone();
                                view! {
                                    <li>
                                        <span>{text}</span>
                                        <button type="button" class="small-button" aria-label=format!("Download {name}") on:click=move |_| download(m.clone())>"Download"</button>
                                        <button type="button" class="small-button" aria-label=format!("Delete {name}") on:click=move |_| remove(key.clone())>"Delete"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <div class="field">
                <label for="model-file">"Load a weights file (.safetensors or a compressed .clz from this site)"</label>
                <input id="model-file" type="file" accept=".safetensors,.clz" on:change=on_file />
            </div>
            <p class="error" id="saved-message" role="alert">{move || message.get()}</p>
        </section>
    }
}

/// Offers `bytes` as a download named `name` (nothing is uploaded).
pub fn save_file(name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The compression meter: the prequential code of the run so far (each training
/// label sent once, before the model learns from it) and, kept apart, what the
/// labels already sent cost the model in later epochs.
#[component]
fn CompressionMeter(meter: Signal<Option<CodeMeter>>) -> impl IntoView {
    let lang = lang_signal();
    let zh = move || lang.map(|s| s.get()) == Some(Lang::Zh);
    let uniform = (CLASSES as f64).log2();
    let code = move || {
        meter.get().map(|m| {
            let (per, n) = (m.per_label(), fmt_int(m.labels as u64));
            let ratio = uniform / per;
            let bits = fmt_int(m.bits.round() as u64);
            let none = fmt_int((uniform * m.labels as f64).round() as u64);
            let text = match (zh(), ratio < 1.0) {
                (false, no) => format!(
                    "{}: {n} labels cost {bits} bits under the model ({per:.3} bits each), against {none} bits ({uniform:.3} each) with no model.",
                    if no { " (no compression yet: the untrained model\u{2019}s guesses cost more than uniform ones)" } else { " compression" }
                ),
                (true, no) => format!(
                    "{}：{n} 个标签在模型下共 {bits} 比特（每个 {per:.3} 比特），不用模型需 {none} 比特（每个 {uniform:.3} 比特）。",
                    if no { "（尚未压缩：未训练模型的猜测比均匀猜测更费比特）" } else { " 压缩" }
                ),
            };
            (format!("{ratio:.2}\u{d7}"), text)
        })
    };
    let sent = move || {
        meter.get().map(|m| {
            let (n, total) = (fmt_int(m.labels as u64), fmt_int(m.train_size as u64));
            let bits = fmt_int(m.bits.round() as u64);
            match (zh(), m.complete()) {
                (false, false) => format!("Prequential code: {n} of {total} training labels sent, each once."),
                (true, false) => format!("预测序贯（prequential）编码：已发送 {n}/{total} 个训练标签，每个只发送一次。"),
                (false, true) => format!("All {total} training labels sent: the prequential code length of the training set is {bits} bits."),
                (true, true) => format!("全部 {total} 个训练标签已发送：训练集的预测序贯编码长度为 {bits} 比特。"),
            }
        })
    };
    let resent = move || {
        meter.get().filter(|m| m.epoch_labels > 0).map(|m| {
            let (e, k, per) = (m.epoch, fmt_int(m.epoch_labels as u64), m.epoch_per_label());
            if zh() {
                format!("第 {e} 轮：之前已发送的 {k} 个标签在当前模型下每个 {per:.3} 比特。这不属于编码——模型已经学过这些标签，所以它衡量的是对训练集的拟合，过拟合时还会继续下降。")
            } else {
                format!("Epoch {e}: the {k} labels sent before cost {per:.3} bits each under the model now. This is not part of the code \u{2014} the model has learned these labels already, so it measures how well it fits the training set, and keeps falling as it over-fits.")
            }
        })
    };
    view! {
        <div class="meter" aria-labelledby="meter-heading">
            <h3 id="meter-heading">{tr("Compression meter", "压缩计量表")}</h3>
            {move || match code() {
                None => view! { <p class="hint">{tr("Starts with the first batch.", "第一个批次之后开始。")}</p> }.into_any(),
                Some((ratio, text)) => view! {
                    <p id="train-meter" class="meter-line"><strong>{ratio}</strong>{text}</p>
                    <p id="train-meter-sent" class="meter-line">{sent}</p>
                }.into_any(),
            }}
            {move || resent().map(|t| view! { <p id="train-meter-resent" class="hint">{t}</p> })}
            <p class="hint">
                {tr(
                    "Before the model learns from a batch, it predicts the batch\u{2019}s labels. A sender and a receiver who run the same training could transmit each label with \u{2212}log\u{2082} p(y|x) bits by arithmetic coding; summed over the first pass through the data \u{2014} each label sent once \u{2014} this is the prequential code length (Blier & Ollivier, 2018). A model that learns makes later labels cheaper than the 3.32 bits a uniform guess needs: learning is compression, and this ratio is how much.",
                    "模型在从一个批次学习之前，先预测这个批次的标签。运行同样训练过程的发送方和接收方可以用算术编码以 \u{2212}log\u{2082} p(y|x) 比特传送每个标签；对数据的第一遍（每个标签只发送一次）求和，就是预测序贯编码长度（Blier & Ollivier, 2018）。会学习的模型让后面的标签比均匀猜测所需的 3.32 比特更便宜：学习就是压缩，这个比值就是压缩了多少。",
                )}
            </p>
        </div>
    }
}
