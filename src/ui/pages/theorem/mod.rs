//! The exact-theorem demo: noisy data from an exact law, a gradient-descent fit
//! (animated), then incremental modifications that snap parameters to simple
//! numbers while the total description length shrinks and the fit stays within
//! the noise. All numbers come from [`crate::math::theorem`]; the page's
//! sentences and checks from [`crate::page::theorem`].

mod data;
mod fit;
mod steps;

use crate::lens;
use crate::math::parse::parse_list;
use crate::math::theorem::{
    generate, gradient_descent, simplify, Dataset, GdPoint, Law, Simplification,
};
use crate::page::theorem::{frames, wrong_count, TheoremForm};
use crate::ui::components::{CopyLink, Lens};
use crate::ui::i18n::lang;
use crate::ui::url_state::keep_query;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::ui::{
    components::{PageHead, PageMeta},
    sections::{summary, title},
};
use std::time::Duration;

fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// The page's state, shared by its sections.
#[derive(Clone, Copy)]
struct State {
    /// The page model: the data controls (the link is its query).
    form: RwSignal<TheoremForm>,
    /// Choosing a law brings its own parameters ([`TheoremForm::choose_law`]).
    law: Lens<Law>,
    n: Lens<f64>,
    noise: Lens<f64>,
    seed: Lens<f64>,
    truth_text: Lens<String>,
    truth: Memo<Result<Vec<f64>, String>>,
    data: Memo<Result<Dataset, String>>,
    /// The fit's path (thinned to frames) and the frame shown.
    path: RwSignal<Vec<GdPoint>>,
    shown: RwSignal<usize>,
    result: RwSignal<Option<Simplification>>,
    /// Rows of the modification table shown so far.
    revealed: RwSignal<usize>,
    timer: StoredValue<Option<IntervalHandle>>,
}

impl State {
    fn new(form: TheoremForm) -> Self {
        let form = RwSignal::new(form);
        let law = Lens::new(form, |f| f.law, |f, l| f.choose_law(l));
        let (n, noise, seed) = (lens!(form.n), lens!(form.noise), lens!(form.seed));
        let truth_text = lens!(form.truth);
        let truth = Memo::new(move |_| -> Result<Vec<f64>, String> {
            let l = law.get();
            let v = parse_list(&truth_text.get()).map_err(|e| e.to_string())?;
            match v.len() == l.params().len() {
                true => Ok(v),
                false => Err(wrong_count(l, v.len(), lang())),
            }
        });
        let data = Memo::new(move |_| -> Result<Dataset, String> {
            let t = truth.get()?;
            generate(
                law.get(),
                &t,
                n.get() as usize,
                noise.get(),
                seed.get() as u64,
            )
            .map_err(|e| e.to_string())
        });
        State {
            form,
            law,
            n,
            noise,
            seed,
            truth_text,
            truth,
            data,
            path: RwSignal::new(Vec::new()),
            shown: RwSignal::new(0),
            result: RwSignal::new(None),
            revealed: RwSignal::new(0),
            timer: StoredValue::new(None),
        }
    }

    fn stop_timer(self) {
        if let Some(h) = self.timer.get_value() {
            h.clear();
        }
        self.timer.set_value(None);
    }

    /// Fits by gradient descent, simplifies, and animates the fit.
    fn fit(self) {
        let Ok(d) = self.data.get_untracked() else {
            return;
        };
        self.stop_timer();
        let full = gradient_descent(&d, 200_000, 10);
        let final_theta = full.last().map(|p| p.theta.clone()).unwrap_or_default();
        let fr = frames(&full);
        let last = fr.len().saturating_sub(1);
        self.path.set(fr);
        self.result.set(Some(simplify(&d, &final_theta)));
        self.revealed.set(1);
        if reduced_motion() {
            return self.shown.set(last);
        }
        self.shown.set(0);
        let tick = move || {
            let next = self.shown.get_untracked() + 1;
            self.shown.set(next.min(last));
            if next >= last {
                self.stop_timer();
            }
        };
        self.timer
            .set_value(set_interval_with_handle(tick, Duration::from_millis(40)).ok());
    }

    /// Whether the animation still runs.
    fn fitting(self) -> bool {
        let p = self.path.with(Vec::len);
        p > 0 && self.shown.get() + 1 < p
    }
}

/// Any change of the data invalidates the fit.
fn follow_data(s: State) {
    Effect::new(move |_| {
        let _ = s.data.get();
        s.stop_timer();
        s.path.set(Vec::new());
        s.shown.set(0);
        s.result.set(None);
        s.revealed.set(0);
    });
    on_cleanup(move || s.stop_timer());
}

/// The law, its parameters, the data's size, noise and seed, and whether
/// the fit was run: in the URL, so a link opens the same demonstration.
fn bind_url(s: State, fitted: bool) {
    keep_query(move || s.form.with(|f| f.to_query(s.result.with(Option::is_some))));
    // After `follow_data` has seen the data once (it clears any fit).
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() && fitted {
            s.fit();
        }
    });
}

#[component]
pub fn Theorem() -> impl IntoView {
    let (form, fitted) = TheoremForm::from_query(&use_location().search.get_untracked());
    let s = State::new(form);
    follow_data(s);
    bind_url(s, fitted);
    view! {
        <PageMeta title=title("/theorem") description=summary("/theorem") />
        <article class="page theorem">
            <PageHead path="/theorem">
                <CopyLink />
            </PageHead>

            <data::DataSection s />
            <Show when=move || s.path.with(|p| !p.is_empty())>
                <fit::FitView s />
            </Show>
            <Show when=move || s.result.with(Option::is_some) && !s.fitting()>
                <steps::Modifications s />
            </Show>
        </article>
    }
}
