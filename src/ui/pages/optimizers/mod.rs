//! Step-through optimizer tutorials: a contour plot with live trajectories,
//! a per-step state table, a loss chart, a race between optimizers, and the
//! article's GD, SGD and Adam examples reproduced and corrected. The setup lives
//! in the URL so a teacher can share it; its logic is [`crate::page::optimizers`].

mod charts;
mod controls;
mod examples;
mod plot;
mod side;

use crate::lens;
use crate::math::optim::{Method, Run, Status};
use crate::math::surface::Surface;
use crate::page::optimizers::{Setup, MAX_STEPS};
use crate::ui::components::{CopyLink, Lens};
use crate::ui::i18n::tr;
use crate::ui::url_state::keep_query;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::ui::{
    components::{Later, PageHead, PageMeta},
    sections::{summary, title},
};
use std::time::Duration;

const COLORS: [&str; 8] = [
    "#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563",
];

/// Each optimizer's colour in the plot, the chart and the race list.
fn color(m: Method) -> &'static str {
    COLORS[Method::ALL.iter().position(|x| *x == m).unwrap_or(0)]
}

/// The setup's controls: each binds one field of the page's one [`Setup`].
#[derive(Clone, Copy)]
struct Fields {
    surface: Lens<Surface>,
    method: Lens<Method>,
    start: Lens<[f64; 2]>,
    lr: Lens<f64>,
    beta1: Lens<f64>,
    beta2: Lens<f64>,
    rho: Lens<f64>,
    eps: Lens<f64>,
    momentum: Lens<f64>,
    dampening: Lens<f64>,
    weight_decay: Lens<f64>,
    batch: Lens<f64>,
    seed: Lens<f64>,
}

impl Fields {
    fn new(form: RwSignal<Setup>) -> Self {
        Fields {
            surface: lens!(form.surface),
            method: lens!(form.method),
            start: lens!(form.start),
            lr: lens!(form.hyper.lr),
            beta1: lens!(form.hyper.beta1),
            beta2: lens!(form.hyper.beta2),
            rho: lens!(form.hyper.rho),
            eps: lens!(form.hyper.eps),
            momentum: lens!(form.hyper.momentum),
            dampening: lens!(form.hyper.dampening),
            weight_decay: lens!(form.hyper.weight_decay),
            batch: Lens::new(
                form,
                |s| s.hyper.batch as f64,
                |s, v| s.hyper.batch = v as usize,
            ),
            seed: Lens::new(
                form,
                |s| s.hyper.seed as f64,
                |s, v| s.hyper.seed = v as u64,
            ),
        }
    }
}

/// The tutorial: the setup, its runs, and playback.
#[derive(Clone, Copy)]
struct Tutorial {
    /// The page model: the setup (the link is its query).
    form: RwSignal<Setup>,
    f: Fields,
    setup: Memo<Setup>,
    runs: RwSignal<Vec<Run>>,
    playing: RwSignal<bool>,
    /// The step count written to the URL: updated on Step and Pause, not during Play.
    shared_steps: RwSignal<usize>,
    interval: StoredValue<Option<IntervalHandle>>,
}

impl Tutorial {
    fn new(initial: Setup, steps: usize) -> Self {
        let mut runs = initial.runs();
        let form = RwSignal::new(initial);
        runs.iter_mut().for_each(|r| r.run(steps));
        Tutorial {
            form,
            f: Fields::new(form),
            setup: Memo::new(move |_| form.get()),
            runs: RwSignal::new(runs),
            playing: RwSignal::new(false),
            shared_steps: RwSignal::new(steps),
            interval: StoredValue::new(None),
        }
    }

    fn steps_taken(self) -> usize {
        self.runs
            .with(|rs| rs.first().map_or(0, |r| r.history.len()))
    }

    fn finished(self) -> bool {
        let stopped = self
            .runs
            .with(|rs| rs.iter().all(|r| r.status != Status::Running));
        stopped || self.steps_taken() >= MAX_STEPS
    }

    fn stop(self) {
        if let Some(h) = self.interval.get_value() {
            h.clear();
        }
        self.interval.set_value(None);
        self.playing.set(false);
    }

    fn step_all(self) {
        self.runs.update(|rs| {
            rs.iter_mut()
                .filter(|r| r.history.len() < MAX_STEPS)
                .for_each(|r| {
                    r.step();
                })
        });
    }

    fn step(self) {
        self.stop();
        self.step_all();
        self.shared_steps.set(self.steps_taken());
    }

    fn reset(self) {
        self.stop();
        self.runs.set(self.setup.get_untracked().runs());
        self.shared_steps.set(0);
    }

    /// Plays (two steps every 40 ms) until every run stops, or pauses.
    fn play(self) {
        if self.playing.get_untracked() {
            self.stop();
            return self.shared_steps.set(self.steps_taken());
        }
        if self.finished() {
            return;
        }
        self.playing.set(true);
        let tick = move || {
            self.step_all();
            self.step_all();
            if self.finished() {
                self.stop();
                self.shared_steps.set(self.steps_taken());
            }
        };
        let handle = set_interval_with_handle(tick, Duration::from_millis(40));
        self.interval.set_value(handle.ok());
    }

    /// Loads an example's setup and scrolls to the explorer.
    fn load(self, surface: Surface, method: Method, from: [f64; 2], lr: f64) {
        self.form
            .update(|s| s.load_example(surface, method, from, lr));
        if let Some(el) = document().get_element_by_id("explorer-heading") {
            el.scroll_into_view();
        }
    }
}

/// A new setup restarts the runs (not on the first pass, which may have
/// replayed steps from the URL); the URL follows the setup.
fn follow_setup(t: Tutorial) {
    Effect::new(move |prev: Option<()>| {
        let s = t.setup.get();
        if prev.is_some() {
            t.stop();
            t.runs.set(s.runs());
            t.shared_steps.set(0);
        }
    });
    keep_query(move || t.setup.get().link_query(t.shared_steps.get()));
    on_cleanup(move || {
        if let Some(h) = t.interval.get_value() {
            h.clear();
        }
    });
}

#[component]
pub fn Optimizers() -> impl IntoView {
    let (initial, steps) = Setup::from_query(&use_location().search.get_untracked());
    let t = Tutorial::new(initial, steps);
    follow_setup(t);
    controls::keyboard(t);
    view! {
        <PageMeta title=title("/optimizers") description=summary("/optimizers") />
        <article class="page">
            <PageHead path="/optimizers">
                <CopyLink />
            </PageHead>

            <section class="calculator explorer" aria-labelledby="explorer-heading">
                <h2 id="explorer-heading" class="visually-hidden">{tr("Optimizer explorer", "优化器探索")}</h2>
                <controls::Toolbar t />
                <controls::Divergences t />
                <div class="explorer-grid">
                    <Later>
                        <plot::ContourPlot t />
                    </Later>
                    <div class="side">
                        <Later>
                            <side::Hyperparameters t />
                        </Later>
                        <Later>
                            <side::Race t />
                            <side::Defaults t />
                        </Later>
                    </div>
                </div>
                <Later>
                    <charts::LossChart runs=t.runs />
                </Later>
                <Later>
                    <charts::StateTable runs=t.runs />
                </Later>
            </section>
            <Later>
                <examples::ArticleExamples t />
            </Later>
        </article>
    }
}
