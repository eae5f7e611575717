//! Classify your own images: pick, drop or paste a picture; see the 32×32 image
//! the model sees, its top five classes and how long inference took. Nothing
//! leaves the browser: decoding is the browser's, inference is the engine
//! worker's. Sentences and ranking: [`crate::page::classify`].

mod decide;
mod input;
mod inside;
mod result;
mod samples;

use crate::domain::ModelRef;
use crate::page::inside::{Looking, Overlay};
use crate::protocol::{
    Backend, Classification, Classify as ClassifyRequest, EngineError, Inspect, Inspection,
    Saliency, SaliencyMaps,
};
use crate::ui::components::{EngineStatus, Later};
use crate::ui::engine::{Engine, Status};
use crate::ui::i18n::{lang_now, tr};
use crate::ui::picture::Picture;
use leptos::prelude::*;

use crate::ui::{
    components::{PageHead, PageMeta},
    sections::{summary, title},
};
use leptos::task::spawn_local;

/// Where the current picture came from.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    picture: Picture,
    /// The visitor's file name (shown as it is, never translated).
    file: Option<String>,
    /// What it is, in English and Chinese.
    source: [String; 2],
    /// Object URL of the original file, or the sample's data URL.
    original: String,
    /// The true class, for a CIFAR-10 test image.
    truth: Option<usize>,
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct State {
    engine: Engine,
    /// Menu values ([`ModelRef`] text); `compare` is empty for no second model.
    model: RwSignal<String>,
    compare: RwSignal<String>,
    shown: RwSignal<Option<Shown>>,
    result: RwSignal<Option<Classification>>,
    second: RwSignal<Option<Result<Classification, EngineError>>>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    /// Inside the network: the layer view of the current picture, what the
    /// visitor looks at, and the saliency maps of the top class.
    layers: RwSignal<Option<Result<Inspection, EngineError>>>,
    looking: RwSignal<Looking>,
    overlay: RwSignal<Overlay>,
    saliency: RwSignal<Option<Result<SaliencyMaps, EngineError>>>,
    /// The latest picture asked for (a pick, drop, paste or sample) and the
    /// latest classification: an older one that ends later is dropped.
    picks: StoredValue<u64>,
    runs: StoredValue<u64>,
}

impl State {
    fn new() -> Self {
        State {
            engine: Engine::get(),
            // The compressed default CNN: a 21× smaller first download (the page says what it costs).
            model: RwSignal::new(crate::domain::model_ref::COMPRESSED.to_string()),
            compare: RwSignal::new(String::new()),
            shown: RwSignal::new(None),
            result: RwSignal::new(None),
            second: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            layers: RwSignal::new(None),
            looking: RwSignal::new(Looking::default()),
            overlay: RwSignal::new(Overlay::Off),
            saliency: RwSignal::new(None),
            picks: StoredValue::new(0),
            runs: StoredValue::new(0),
        }
    }

    /// A new picture is asked for: any older one still decoding is dropped.
    fn new_pick(self) -> u64 {
        self.picks.update_value(|n| *n += 1);
        self.picks.get_value()
    }

    fn is_latest_pick(self, ticket: u64) -> bool {
        self.picks.get_value() == ticket
    }

    /// The current picture's planar pixels.
    fn image(self) -> Option<Vec<u8>> {
        self.shown
            .with_untracked(|s| s.as_ref().map(|s| s.picture.planar.clone()))
    }

    /// The layer view of the current picture with `model`, then its saliency
    /// maps when an overlay is chosen.
    async fn look_inside(self, model: ModelRef, image: Vec<u8>) {
        let layers = self.engine.call(Inspect { model, image }).await.map(|b| *b);
        if let Ok(ins) = &layers {
            self.looking.update(|l| *l = l.fit(ins));
        }
        self.layers.set(Some(layers));
        self.saliency.set(None);
        if self.overlay.get_untracked() != Overlay::Off {
            self.explain().await;
        }
    }

    /// The saliency maps of the top class, unless they are there already.
    pub(super) async fn explain(self) {
        let class = self.layers.with_untracked(|l| {
            l.as_ref()
                .and_then(|l| l.as_ref().ok())
                .map(Inspection::top)
        });
        let (Some(class), Some(image)) = (class, self.image()) else {
            return;
        };
        if self.saliency.with_untracked(|s| s.is_some()) {
            return;
        }
        let model = ModelRef::parse(&self.model.get_untracked());
        let maps = self
            .engine
            .call(Saliency {
                model,
                image,
                class,
            })
            .await;
        self.saliency.set(Some(maps));
    }

    /// Shows a new picture and classifies it.
    fn show(self, s: Shown) {
        self.new_pick();
        self.shown.set(Some(s));
        self.run();
    }

    /// Classifies the current picture with the chosen model(s).
    fn run(self) {
        let Some(image) = self.image() else {
            return;
        };
        let model = ModelRef::parse(&self.model.get_untracked());
        let other = self
            .compare
            .with_untracked(|c| (!c.is_empty()).then(|| ModelRef::parse(c)));
        let engine = self.engine;
        self.busy.set(true);
        self.runs.update_value(|n| *n += 1);
        let run = self.runs.get_value();
        let current = move || self.runs.get_value() == run;
        spawn_local(async move {
            let first = engine
                .call(ClassifyRequest {
                    model: model.clone(),
                    image: image.clone(),
                })
                .await;
            if !current() {
                return;
            }
            match first {
                Ok(c) => {
                    self.error.set(None);
                    self.result.set(Some(c));
                }
                Err(e) => self.error.set(Some(e.message(lang_now()))),
            }
            let worked = self.error.with_untracked(Option::is_none);
            let second = match other {
                Some(model) => Some(
                    engine
                        .call(ClassifyRequest {
                            model,
                            image: image.clone(),
                        })
                        .await,
                ),
                None => None,
            };
            if !current() {
                return;
            }
            self.second.set(second);
            self.busy.set(false);
            if worked {
                self.look_inside(model, image).await;
            }
        });
    }
}

#[component]
pub fn Classify() -> impl IntoView {
    let engine = Engine::get();
    let state = State::new();
    // This page needs the engine: it starts once the page has loaded and is idle.
    spawn_local(async move {
        let _ = engine.ready().await;
    });
    // Switching the backend re-runs the current picture, to compare.
    Effect::new(move |prev: Option<Option<Backend>>| {
        let now = match engine.status.get() {
            Status::Ready { backend, .. } => Some(backend),
            _ => None,
        };
        if let (Some(Some(before)), Some(now)) = (prev, now) {
            if before != now {
                state.run();
            }
        }
        now.or(prev.flatten())
    });
    view! {
        <PageMeta title=title("/classify") description=summary("/classify") />
        <article class="page">
            <PageHead path="/classify" />

            <Later>
                <EngineStatus />
            </Later>
            <Later>
                <section class="calculator" aria-labelledby="input-heading">
                    <h2 id="input-heading">{tr("Your image", "你的图片")}</h2>
                    <input::ModelMenus state />
                    <input::ImageInput state />
                    <h3>{tr("Or a CIFAR-10 test image", "或者一张CIFAR-10测试图片")}</h3>
                    <samples::Samples state />
                </section>
            </Later>
            <Later>
                <result::Answer state />
            </Later>
            <Later>
                <inside::Inside state />
            </Later>
            <Later>
                <decide::Decide state />
            </Later>
        </article>
    }
}
