//! Classify your own images: pick, drop or paste a picture; see the 32×32 image
//! the model sees, its top five classes and how long inference took. Nothing
//! leaves the browser: decoding is the browser's, inference is the engine
//! worker's.

use crate::data::cifar::{Cifar, CLASS_NAMES};
use crate::protocol::ModelRef;
use crate::ui::components::{EngineStatus, ModelOptions};
use crate::ui::engine::{Classification, Engine, Status};
use crate::ui::net::{data_available, fetch_bytes, site_url};
use crate::ui::picture::{self, Picture};
use leptos::prelude::*;

use crate::ui::i18n::tr;
use leptos::task::spawn_local;
use leptos_meta::Title;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, FileList, HtmlInputElement};

/// The models shipped with the site: (file stem, name in the menu).
pub const SHIPPED: [(&str, &str); 4] = [
    ("lab-cnn", "Default CNN (pretrained, batch norm)"),
    ("doc-cnn", "The article's CNN (pretrained)"),
    (
        "lab-cnn-s-distilled",
        "Student CNN, distilled from the default CNN",
    ),
    ("lab-cnn-s", "Student CNN, trained on labels alone"),
];

/// The menu's value: a shipped model's name, or `saved:KEY`.
pub fn model_ref(value: &str) -> ModelRef {
    match value.strip_prefix("saved:") {
        Some(key) => ModelRef::Saved(key.to_string()),
        None => ModelRef::Shipped(value.to_string()),
    }
}

/// Where the current picture came from.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    picture: Picture,
    source: String,
    /// Object URL of the original file, or the sample's data URL.
    original: String,
    /// The true class, for a CIFAR-10 test image.
    truth: Option<usize>,
}

#[component]
pub fn Classify() -> impl IntoView {
    let engine = Engine::get();
    let model = RwSignal::new(SHIPPED[0].0.to_string());
    let shown = RwSignal::new(None::<Shown>);
    let result = RwSignal::new(None::<Classification>);
    // A second model to compare with ("" for none), and its answer.
    let compare = RwSignal::new(String::new());
    let second = RwSignal::new(None::<Result<Classification, String>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let dragging = RwSignal::new(false);

    // This page needs the engine: start fetching it now (the landing page never does).
    spawn_local(async move {
        let _ = engine.ready().await;
    });

    let run = move || {
        let Some(planar) = shown.with_untracked(|s| s.as_ref().map(|s| s.picture.planar.clone()))
        else {
            return;
        };
        let m = model_ref(&model.get_untracked());
        let other = compare.with_untracked(|c| (!c.is_empty()).then(|| model_ref(c)));
        busy.set(true);
        spawn_local(async move {
            match engine.classify(m, planar.clone()).await {
                Ok(c) => {
                    error.set(None);
                    result.set(Some(c));
                }
                Err(e) => error.set(Some(e)),
            }
            match other {
                Some(o) => second.set(Some(engine.classify(o, planar).await)),
                None => second.set(None),
            }
            busy.set(false);
        });
    };

    let take_blob = move |blob: Blob, name: String| {
        busy.set(true);
        spawn_local(async move {
            match picture::from_blob(&blob).await {
                Ok(p) => {
                    let original =
                        web_sys::Url::create_object_url_with_blob(&blob).unwrap_or_default();
                    if let Some(old) = shown.get_untracked() {
                        if old.original.starts_with("blob:") {
                            let _ = web_sys::Url::revoke_object_url(&old.original);
                        }
                    }
                    let source = format!("{name} ({} {}\u{d7}{})", p.format, p.width, p.height);
                    shown.set(Some(Shown {
                        picture: p,
                        source,
                        original,
                        truth: None,
                    }));
                    run();
                }
                Err(e) => {
                    // The previous picture and result stay: nothing is lost.
                    error.set(Some(format!("{name}: {e}")));
                    busy.set(false);
                }
            }
        });
    };
    let take_files = move |files: Option<FileList>| match files.and_then(|f| f.get(0)) {
        Some(file) => {
            let name = file.name();
            take_blob(File::unchecked_into(file), name)
        }
        None => error.set(Some(
            "That was not a file: choose or drop an image file.".into(),
        )),
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        take_files(input.files());
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        take_files(ev.data_transfer().and_then(|d| d.files()));
    };
    let paste = window_event_listener(leptos::ev::paste, move |ev| {
        if let Some(file) = ev
            .clipboard_data()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            ev.prevent_default();
            take_blob(File::unchecked_into(file), "Pasted image".into());
        }
    });
    on_cleanup(move || paste.remove());

    // Switching the backend re-runs the current picture, to compare.
    Effect::new(move |prev: Option<Option<crate::protocol::Backend>>| {
        let now = match engine.status.get() {
            Status::Ready { backend, .. } => Some(backend),
            _ => None,
        };
        if let (Some(Some(before)), Some(now)) = (prev, now) {
            if before != now {
                run();
            }
        }
        now.or(prev.flatten())
    });

    let saved = LocalResource::new(move || {
        engine.models_changed.track();
        async move { engine.models().await.unwrap_or_default() }
    });

    let samples = LocalResource::new(|| async {
        let missing = || {
            "No CIFAR-10 test images in this build of the site. To add them, put the data in \
             ../shared/cifar10 or set CIFAR10_DIR (see the README), then rebuild."
                .to_string()
        };
        if !data_available().await {
            return Err(missing());
        }
        let bytes = fetch_bytes(&site_url("data/samples.bin"))
            .await
            .map_err(|_| missing())?;
        let set = Cifar::parse(&bytes, "samples.bin").map_err(|e| e.to_string())?;
        Ok::<_, String>(
            (0..set.len())
                .map(|i| {
                    (
                        set.image(i).to_vec(),
                        set.labels[i] as usize,
                        picture::data_url(set.image(i)),
                    )
                })
                .collect::<Vec<_>>(),
        )
    });
    let pick_sample = move |k: usize, planar: Vec<u8>, label: usize, url: String| {
        shown.set(Some(Shown {
            picture: Picture {
                planar,
                format: "CIFAR-10",
                width: 32,
                height: 32,
            },
            source: format!("CIFAR-10 test sample {} ({})", k + 1, CLASS_NAMES[label]),
            original: url,
            truth: Some(label),
        }));
        run();
    };

    view! {
        <Title text=tr("Classify your own images", "分类你自己的图片") />
        <article class="page">
            <header class="page-head">
                <p class="eyebrow">"The model at work"</p>
                <h1>{tr("Classify your own images", "分类你自己的图片")}</h1>
                <p class="lede">
                    "Give the trained CNN any picture. It sees only 32\u{d7}32 pixels and knows ten classes: "
                    "airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck. "
                    "Everything runs in this browser: your image is never uploaded."
                </p>
            </header>

            <EngineStatus />

            <section class="calculator" aria-labelledby="input-heading">
                <h2 id="input-heading">{tr("Your image", "你的图片")}</h2>
                <div class="toolbar">
                    <div class="field compact">
                        <label for="classify-model">"Model"</label>
                        <select
                            id="classify-model"
                            prop:value=move || model.get()
                            on:change=move |ev| {
                                model.set(event_target_value(&ev));
                                run();
                            }
                        >
                            <ModelOptions saved=saved />
                        </select>
                    </div>
                    <div class="field compact">
                        <label for="classify-compare">"Compare with"</label>
                        <select
                            id="classify-compare"
                            prop:value=move || compare.get()
                            on:change=move |ev| {
                                compare.set(event_target_value(&ev));
                                run();
                            }
                        >
                            <option value="">"No second model"</option>
                            <ModelOptions saved=saved />
                        </select>
                    </div>
                </div>
                <div
                    class="dropzone"
                    class:dragging=move || dragging.get()
                    on:dragover=move |ev: leptos::ev::DragEvent| {
                        ev.prevent_default();
                        dragging.set(true);
                    }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop
                >
                    <label for="classify-file" class="button">"Choose an image"</label>
                    <input
                        id="classify-file"
                        class="visually-hidden"
                        type="file"
                        accept="image/*"
                        on:change=on_pick
                    />
                    <p>"\u{2026}or drop one here, or paste it (Ctrl+V / \u{2318}V)."</p>
                    <p class="hint">
                        "PNG, JPEG, WebP, GIF, BMP or AVIF, up to 40 megapixels. "
                        "The largest centered square is reduced to 32\u{d7}32."
                    </p>
                </div>
                <p class="error" id="classify-error" role="alert">
                    {move || error.get()}
                </p>

                <h3>{tr("Or a CIFAR-10 test image", "或者一张CIFAR-10测试图片")}</h3>
                <Suspense fallback=|| view! { <p class="hint">"Loading sample images\u{2026}"</p> }>
                    {move || {
                        samples
                            .get()
                            .map(|r| match r {
                                Ok(list) => {
                                    view! {
                                        <ul class="samples" aria-label="Sample test images">
                                            {list
                                                .into_iter()
                                                .enumerate()
                                                .map(|(k, (planar, label, url))| {
                                                    let alt = format!(
                                                        "Test sample {}: {}",
                                                        k + 1,
                                                        CLASS_NAMES[label],
                                                    );
                                                    let src = url.clone();
                                                    let title = alt.clone();
                                                    view! {
                                                        <li>
                                                            <button
                                                                type="button"
                                                                class="sample"
                                                                title=title
                                                                on:click=move |_| pick_sample(
                                                                    k,
                                                                    planar.clone(),
                                                                    label,
                                                                    url.clone(),
                                                                )
                                                            >
                                                                <img src=src alt=alt width="48" height="48" />
                                                            </button>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }
                                Err(e) => view! { <p class="note" id="samples-missing">{e}</p> }.into_any(),
                            })
                    }}
                </Suspense>
            </section>

            <section class="calculator" aria-labelledby="result-heading" aria-busy=move || busy.get().to_string()>
                <h2 id="result-heading">{tr("What the model says", "模型怎么说")}</h2>
                <Show
                    when=move || shown.with(|s| s.is_some())
                    fallback=|| view! { <p class="hint">"Choose an image or a sample above."</p> }
                >
                    <Result shown=shown result=result busy=busy />
                    <p class="hint" id="classify-compared" role="status">{move || compared(result.get(), second.get())}</p>
                </Show>
            </section>
        </article>
    }
}

/// The second model's answer beside the first's.
fn compared(
    first: Option<Classification>,
    second: Option<Result<Classification, String>>,
) -> String {
    let (Some(a), Some(b)) = (first, second) else {
        return String::new();
    };
    let b = match b {
        Ok(b) => b,
        Err(e) => return format!("The second model failed: {e}"),
    };
    let top = |c: &Classification| {
        c.probs
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1))
            .map_or(0, |(i, _)| i)
    };
    let (ta, tb) = (top(&a), top(&b));
    let gap = a
        .probs
        .iter()
        .zip(&b.probs)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max);
    format!(
        "Second model ({}, {} parameters): {} at {:.1}% \u{2014} {}; the ten probabilities differ by at most {:.1} points.",
        b.model.arch,
        crate::math::format::fmt_int(b.model.parameters as u64),
        CLASS_NAMES[tb],
        100.0 * b.probs[tb],
        if ta == tb { "the same top answer" } else { "a different top answer" },
        100.0 * gap
    )
}

#[component]
fn Result(
    shown: RwSignal<Option<Shown>>,
    result: RwSignal<Option<Classification>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let seen = move || shown.with(|s| s.as_ref().map(|s| picture::data_url(&s.picture.planar)));
    let original = move || shown.with(|s| s.as_ref().map(|s| s.original.clone()));
    let source = move || shown.with(|s| s.as_ref().map(|s| s.source.clone()));
    let truth = move || shown.with(|s| s.as_ref().and_then(|s| s.truth));
    let top5 = move || {
        result.with(|r| {
            r.as_ref().map(|c| {
                let mut ranked: Vec<(usize, f32)> = c.probs.iter().copied().enumerate().collect();
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
                ranked.truncate(5);
                ranked
            })
        })
    };
    let timing = move || {
        result.with(|r| {
            r.as_ref().map(|c| {
                let mut s = format!(
                    "Inference: {:.1} ms on {} ({}, {} parameters",
                    c.millis,
                    c.backend.label(),
                    c.model.arch,
                    crate::math::format::fmt_int(c.model.parameters as u64)
                );
                if let Some(a) = c.model.test_accuracy {
                    s += &format!(", {:.1}% on the test set", 100.0 * a);
                }
                s += ")";
                if c.load_millis > 0.5 {
                    s += &format!(". Loading the model took {:.0} ms first.", c.load_millis);
                }
                s
            })
        })
    };
    view! {
        <div class="classify-grid">
            <figure class="seen">
                <div class="pair">
                    <img class="original" src=original alt="Your image" />
                    <img class="pixelated" src=seen alt="The 32 by 32 image the model sees" width="128" height="128" />
                </div>
                <figcaption>
                    {source} <br />
                    "Right: the 32\u{d7}32 pixels the model sees."
                    {move || truth().map(|t| format!(" True class: {}.", CLASS_NAMES[t]))}
                </figcaption>
            </figure>
            <div class="top5-box">
                <ol class="top5" aria-label="Top 5 classes" class:stale=move || busy.get()>
                    {move || {
                        top5()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(c, p)| {
                                let width = format!("width: {:.1}%", 100.0 * p);
                                let hit = truth() == Some(c);
                                view! {
                                    <li class:hit=hit>
                                        <span class="name">{CLASS_NAMES[c]}</span>
                                        <span class="bar" aria-hidden="true">
                                            <span style=width></span>
                                        </span>
                                        <span class="num">{format!("{:.1}%", 100.0 * p)}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
                <p class="hint" id="classify-timing">{timing}</p>
            </div>
        </div>
    }
}
