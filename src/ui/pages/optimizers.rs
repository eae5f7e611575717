//! Step-through optimizer tutorials: a contour plot with live trajectories,
//! a per-step state table, a loss chart, a race between optimizers, and the
//! article's GD, SGD and Adam examples reproduced and corrected. The setup lives
//! in the URL so a teacher can share it.

use leptos::prelude::*;

use crate::ui::i18n::tr;
use leptos_meta::Title;
use std::time::Duration;

use crate::math::doc_check::{adam_example as ex, reproduces};
use crate::math::format::{fmt_num, fmt_sig};
use crate::math::optim::{Hyper, Method, Optimizer, Run, StepState};
use crate::math::surface::Surface;
use crate::plot::{self, Frame};
use crate::ui::components::{plain_number, Formula, NumField};

const W: f64 = 480.0;
const H: f64 = 480.0;
const MAX_STEPS: usize = 3000;
const TABLE_ROWS: usize = 60;

const COLORS: [&str; 8] = [
    "#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563",
];

fn color(m: Method) -> &'static str {
    COLORS[Method::ALL.iter().position(|x| *x == m).unwrap_or(0)]
}

/// Everything that defines a tutorial run (and goes into the URL).
#[derive(Clone, Debug, PartialEq)]
struct Setup {
    surface: Surface,
    method: Method,
    race: Vec<Method>,
    hyper: Hyper,
    start: [f64; 2],
}

impl Setup {
    fn methods(&self) -> Vec<Method> {
        let mut v = vec![self.method];
        v.extend(self.race.iter().copied().filter(|m| *m != self.method));
        v
    }

    fn runs(&self) -> Vec<Run> {
        self.methods()
            .into_iter()
            .map(|m| Run::new(self.surface, m, self.hyper, self.start))
            .collect()
    }

    fn query(&self, steps: usize) -> String {
        let h = &self.hyper;
        let race: Vec<&str> = self.race.iter().map(|m| m.key()).collect();
        format!(
            "?surface={}&method={}&lr={}&b1={}&b2={}&eps={}&mu={}&damp={}&wd={}&batch={}&seed={}&start={},{}&race={}&steps={}",
            self.surface.key(),
            self.method.key(),
            plain_number(h.lr),
            plain_number(h.beta1),
            plain_number(h.beta2),
            plain_number(h.eps),
            plain_number(h.momentum),
            plain_number(h.dampening),
            plain_number(h.weight_decay),
            h.batch,
            h.seed,
            fmt_sig(self.start[0], 6).replace('\u{2212}', "-"),
            fmt_sig(self.start[1], 6).replace('\u{2212}', "-"),
            race.join(","),
            steps
        )
    }

    /// Reads a setup from a query string; anything missing or invalid keeps its default.
    fn from_query(search: &str) -> (Setup, usize) {
        let params = web_sys::UrlSearchParams::new_with_str(search).ok();
        let get = |k: &str| params.as_ref().and_then(|p| p.get(k));
        let num = |k: &str, ok: fn(f64) -> bool| {
            get(k)
                .and_then(|s| crate::math::parse::parse_scalar(&s).ok())
                .filter(|v| ok(*v))
        };
        let surface = get("surface")
            .and_then(|s| Surface::from_key(&s))
            .unwrap_or(Surface::Rosenbrock);
        let method = get("method")
            .and_then(|s| Method::from_key(&s))
            .unwrap_or(Method::Adam);
        let mut hyper = Hyper::textbook(if method == Method::Gd || method == Method::Sgd {
            surface.default_lr()
        } else {
            0.05
        });
        if let Some(v) = num("lr", valid_lr) {
            hyper.lr = v;
        }
        if let Some(v) = num("b1", unit_open) {
            hyper.beta1 = v;
        }
        if let Some(v) = num("b2", unit_open) {
            hyper.beta2 = v;
        }
        if let Some(v) = num("eps", |v| v > 0.0 && v < 1.0) {
            hyper.eps = v;
        }
        if let Some(v) = num("mu", unit_open) {
            hyper.momentum = v;
        }
        if let Some(v) = num("damp", |v| (0.0..=1.0).contains(&v)) {
            hyper.dampening = v;
        }
        if let Some(v) = num("wd", |v| (0.0..=1.0).contains(&v)) {
            hyper.weight_decay = v;
        }
        if let Some(v) = num("batch", |v| (1.0..=24.0).contains(&v) && v.fract() == 0.0) {
            hyper.batch = v as usize;
        }
        if let Some(v) = num("seed", |v| v >= 0.0 && v.fract() == 0.0 && v < 1e15) {
            hyper.seed = v as u64;
        }
        let start = get("start")
            .and_then(|s| crate::math::parse::parse_list(&s).ok())
            .filter(|v| v.len() == 2 && v.iter().all(|x| x.abs() < 1e3))
            .map(|v| [v[0], v[1]])
            .unwrap_or(surface.default_start());
        let race = get("race")
            .map(|s| s.split(',').filter_map(Method::from_key).collect())
            .unwrap_or_default();
        let steps = num("steps", |v| v >= 0.0 && v.fract() == 0.0)
            .map(|v| (v as usize).min(MAX_STEPS))
            .unwrap_or(0);
        (
            Setup {
                surface,
                method,
                race,
                hyper,
                start,
            },
            steps,
        )
    }
}

fn valid_lr(v: f64) -> bool {
    v > 0.0 && v <= 10.0
}

fn unit_open(v: f64) -> bool {
    (0.0..1.0).contains(&v)
}

fn check_lr(v: f64) -> Result<(), String> {
    valid_lr(v)
        .then_some(())
        .ok_or_else(|| "The learning rate must be above 0 and at most 10.".into())
}

fn check_unit(v: f64) -> Result<(), String> {
    unit_open(v)
        .then_some(())
        .ok_or_else(|| "Use a value in [0, 1).".into())
}

fn check_eps(v: f64) -> Result<(), String> {
    (v > 0.0 && v < 1.0)
        .then_some(())
        .ok_or_else(|| "\u{3b5} must be positive (and below 1).".into())
}

fn check_damp(v: f64) -> Result<(), String> {
    (0.0..=1.0)
        .contains(&v)
        .then_some(())
        .ok_or_else(|| "Use a value in [0, 1].".into())
}

fn check_batch(v: f64) -> Result<(), String> {
    ((1.0..=24.0).contains(&v) && v.fract() == 0.0)
        .then_some(())
        .ok_or_else(|| "A whole number from 1 to 24 (the data set has 24 points).".into())
}

fn check_seed(v: f64) -> Result<(), String> {
    (v >= 0.0 && v.fract() == 0.0 && v < 1e15)
        .then_some(())
        .ok_or_else(|| "A whole number \u{2265} 0.".into())
}

fn vec2(v: &[f64]) -> String {
    match v {
        [a, b] => format!("({}, {})", fmt_sig(*a, 5), fmt_sig(*b, 5)),
        _ => v
            .iter()
            .map(|x| fmt_sig(*x, 5))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A table cell with one line per component, so the state table stays narrow.
fn vec_cell(v: Option<&[f64]>) -> impl IntoView {
    match v {
        Some(v) => view! {
            <td class="vec">
                {v.iter().map(|x| view! { <span>{fmt_sig(*x, 5)}</span> }).collect_view()}
            </td>
        }
        .into_any(),
        None => view! { <td class="vec">"\u{2014}"</td> }.into_any(),
    }
}

#[component]
pub fn Optimizers() -> impl IntoView {
    let search = window().location().search().unwrap_or_default();
    let (initial, initial_steps) = Setup::from_query(&search);

    let surface = RwSignal::new(initial.surface);
    let method = RwSignal::new(initial.method);
    let race = RwSignal::new(initial.race.clone());
    let start = RwSignal::new(initial.start);
    let lr = RwSignal::new(initial.hyper.lr);
    let beta1 = RwSignal::new(initial.hyper.beta1);
    let beta2 = RwSignal::new(initial.hyper.beta2);
    let eps = RwSignal::new(initial.hyper.eps);
    let momentum = RwSignal::new(initial.hyper.momentum);
    let dampening = RwSignal::new(initial.hyper.dampening);
    let weight_decay = RwSignal::new(initial.hyper.weight_decay);
    let batch = RwSignal::new(initial.hyper.batch as f64);
    let seed = RwSignal::new(initial.hyper.seed as f64);

    let setup = Memo::new(move |_| Setup {
        surface: surface.get(),
        method: method.get(),
        race: race.get(),
        start: start.get(),
        hyper: Hyper {
            lr: lr.get(),
            beta1: beta1.get(),
            beta2: beta2.get(),
            eps: eps.get(),
            momentum: momentum.get(),
            dampening: dampening.get(),
            weight_decay: weight_decay.get(),
            batch: batch.get() as usize,
            seed: seed.get() as u64,
        },
    });

    let runs = RwSignal::new({
        let mut r = initial.runs();
        r.iter_mut().for_each(|run| run.run(initial_steps));
        r
    });
    let playing = RwSignal::new(false);
    // The step count written to the URL: updated on Step and Pause, not during Play.
    let shared_steps = RwSignal::new(initial_steps);
    let interval = StoredValue::new(None::<IntervalHandle>);

    let stop = move || {
        if let Some(h) = interval.get_value() {
            h.clear();
        }
        interval.set_value(None);
        playing.set(false);
    };
    let steps_taken = move || runs.with(|rs| rs.first().map_or(0, |r| r.history.len()));
    let all_stopped = move || {
        runs.with(|rs| {
            rs.iter()
                .all(|r| r.status != crate::math::optim::Status::Running)
        })
    };
    let step_all = move || {
        runs.update(|rs| {
            for r in rs.iter_mut() {
                if r.history.len() < MAX_STEPS {
                    r.step();
                }
            }
        });
    };

    // A new setup restarts the runs (skipping the very first pass, which may
    // have replayed steps from the URL).
    Effect::new(move |prev: Option<()>| {
        let s = setup.get();
        if prev.is_some() {
            stop();
            runs.set(s.runs());
            shared_steps.set(0);
        }
    });
    // Keep the URL in step with the setup.
    Effect::new(move |_| {
        let q = setup.get().query(shared_steps.get());
        let path = window().location().pathname().unwrap_or_default();
        if let Ok(h) = window().history() {
            let _ = h.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{path}{q}")),
            );
        }
    });

    let do_step = move || {
        stop();
        step_all();
        shared_steps.set(steps_taken());
    };
    let do_reset = move || {
        stop();
        runs.set(setup.get_untracked().runs());
        shared_steps.set(0);
    };
    let do_play = move || {
        if playing.get_untracked() {
            stop();
            shared_steps.set(steps_taken());
            return;
        }
        if all_stopped() || steps_taken() >= MAX_STEPS {
            return;
        }
        playing.set(true);
        let handle = set_interval_with_handle(
            move || {
                for _ in 0..2 {
                    step_all();
                }
                if all_stopped() || steps_taken() >= MAX_STEPS {
                    stop();
                    shared_steps.set(steps_taken());
                }
            },
            Duration::from_millis(40),
        );
        interval.set_value(handle.ok());
    };
    on_cleanup(move || {
        if let Some(h) = interval.get_value() {
            h.clear();
        }
    });

    // Keyboard: S or → steps, Space or P plays/pauses, R resets (not while typing).
    let keys = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|e| {
                matches!(
                    e.tag_name().as_str(),
                    "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON"
                )
            })
            .unwrap_or(false);
        if typing {
            return;
        }
        match ev.key().as_str() {
            "s" | "S" | "ArrowRight" => {
                ev.prevent_default();
                do_step();
            }
            " " | "p" | "P" => {
                ev.prevent_default();
                do_play();
            }
            "r" | "R" => {
                ev.prevent_default();
                do_reset();
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    let on_surface = move |ev| {
        if let Some(s) = Surface::from_key(&event_target_value(&ev)) {
            // Each surface opens at its own start and a learning rate that works there.
            start.set(s.default_start());
            lr.set(match method.get_untracked() {
                Method::Gd | Method::Sgd | Method::Momentum | Method::Nesterov => s.default_lr(),
                _ if s == Surface::ConstantGradient => s.default_lr(),
                _ => 0.05,
            });
            surface.set(s);
        }
    };
    let on_method = move |ev| {
        if let Some(m) = Method::from_key(&event_target_value(&ev)) {
            method.set(m);
        }
    };
    let use_burn_defaults = move |_| {
        eps.set(1e-5);
        dampening.set(0.1);
    };
    let use_textbook = move |_| {
        eps.set(1e-8);
        dampening.set(0.0);
    };

    let frame = Memo::new(move |_| Frame::for_surface(surface.get(), W, H));
    let bands = Memo::new(move |_| plot::contour_bands(surface.get(), &frame.get(), 90, 14));
    let on_plot_click = move |ev: web_sys::MouseEvent| {
        let Some(el) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return;
        }
        let px = (ev.client_x() as f64 - rect.left()) / rect.width() * W;
        let py = (ev.client_y() as f64 - rect.top()) / rect.height() * H;
        let f = frame.get_untracked();
        let t = f.from_px(px, py);
        // Round to about 1/200 of the window: as precise as a click can be.
        let unit = 10f64.powf(((f.x[1] - f.x[0]) / 200.0).log10().floor());
        start.set([(t[0] / unit).round() * unit, (t[1] / unit).round() * unit]);
    };

    let shows =
        move |pred: fn(Method) -> bool| move || setup.with(|s| s.methods().into_iter().any(pred));

    view! {
        <Title text=tr("Optimizers, step by step", "逐步演示优化器") />
        <article class="page">
            <header class="page-head">
                <p class="eyebrow">"数学模型和公式 · 2\u{2013}4. 梯度下降 · SGD · Adam"</p>
                <h1>{tr("Optimizers, one step at a time", "优化器，一步一步来")}</h1>
                <p class="lede">
                    "Training is a walk downhill on the loss surface. Pick a surface and an optimizer, click the plot "
                    "to choose where to start, then step through: every quantity the update uses is in the table. "
                    "Race several optimizers from the same start. The link in your address bar reproduces this exact setup."
                </p>
            </header>

            <section class="calculator explorer" aria-labelledby="explorer-heading">
                <h2 id="explorer-heading" class="visually-hidden">{tr("Optimizer explorer", "优化器探索")}</h2>
                <div class="toolbar">
                    <div class="field compact">
                        <label for="opt-surface">"Surface"</label>
                        <select id="opt-surface" on:change=on_surface prop:value=move || surface.get().key().to_string()>
                            {Surface::ALL
                                .iter()
                                .map(|s| view! { <option value=s.key()>{s.name()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field compact">
                        <label for="opt-method">"Optimizer"</label>
                        <select id="opt-method" on:change=on_method prop:value=move || method.get().key().to_string()>
                            {Method::ALL
                                .iter()
                                .map(|m| view! { <option value=m.key()>{m.name()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="buttons" role="group" aria-label="Run controls">
                        <button type="button" class="button" aria-keyshortcuts="S ArrowRight" on:click=move |_| do_step()>
                            "Step"
                        </button>
                        <button type="button" class="button secondary" aria-keyshortcuts="Space P" on:click=move |_| do_play()>
                            {move || if playing.get() { "Pause" } else { "Play" }}
                        </button>
                        <button type="button" class="button secondary" aria-keyshortcuts="R" on:click=move |_| do_reset()>
                            "Reset"
                        </button>
                    </div>
                    <p class="step-count" aria-live="polite">
                        "t = " <span aria-label="Steps taken">{steps_taken}</span>
                    </p>
                </div>
                <p class="small">
                    "Keys: S or \u{2192} steps, Space or P plays and pauses, R resets. "
                    {move || surface.get().name()} ": "
                    {move || view! { <Formula tex=surface.get().tex() /> }}
                </p>
                {move || {
                    runs.with(|rs| {
                        rs.iter()
                            .filter_map(|r| match &r.status {
                                crate::math::optim::Status::Diverged { t, reason } => Some((r.opt.method, *t, reason.clone())),
                                _ => None,
                            })
                            .map(|(m, t, reason)| {
                                view! {
                                    <p class="alert" role="alert">
                                        <strong>{format!("{} diverged at step {t}. ", m.name())}</strong>
                                        {reason}
                                    </p>
                                }
                            })
                            .collect_view()
                    })
                }}
                <div class="explorer-grid">
                    <figure class="plot">
                        <svg
                            viewBox=format!("0 0 {W} {H}")
                            role="img"
                            aria-label=move || {
                                format!(
                                    "Contour plot of {}; start at {}. Click to move the start.",
                                    surface.get().name(),
                                    vec2(&start.get()),
                                )
                            }
                            on:click=on_plot_click
                        >
                            {move || {
                                bands
                                    .get()
                                    .into_iter()
                                    .map(|b| {
                                        let fill = format!(
                                            "hsl({:.0} 70% {:.0}%)",
                                            220.0 - 180.0 * b.shade,
                                            92.0 - 40.0 * b.shade,
                                        );
                                        view! { <path d=b.d fill=fill stroke="rgba(0,0,0,.18)" stroke-width="0.6" fill-rule="evenodd"></path> }
                                    })
                                    .collect_view()
                            }}
                            {move || {
                                let f = frame.get();
                                surface
                                    .get()
                                    .minima()
                                    .into_iter()
                                    .map(|m| {
                                        let (x, y) = f.to_px(m);
                                        view! {
                                            <path
                                                d=format!("M{:.1},{:.1}l6,6m0,-6l-6,6", x - 3.0, y - 3.0)
                                                stroke="#111"
                                                stroke-width="2"
                                            ></path>
                                        }
                                    })
                                    .collect_view()
                            }}
                            {move || {
                                let f = frame.get();
                                runs.with(|rs| {
                                    rs.iter()
                                        .rev()
                                        .map(|r| {
                                            let pts = std::iter::once(r.start)
                                                .chain(r.history.iter().map(|s| [s.theta[0], s.theta[1]]));
                                            let d = plot::polyline(&f, pts);
                                            let (x, y) = f.to_px(r.theta());
                                            let c = color(r.opt.method);
                                            view! {
                                                <path d=d fill="none" stroke=c stroke-width="2.2" stroke-linejoin="round"></path>
                                                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="4.5" fill=c stroke="#fff" stroke-width="1.5"></circle>
                                            }
                                        })
                                        .collect_view()
                                })
                            }}
                            {move || {
                                let (x, y) = frame.get().to_px(start.get());
                                view! {
                                    <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="6" fill="none" stroke="#111" stroke-width="2"></circle>
                                }
                            }}
                        </svg>
                        <figcaption class="small">
                            "Darker = higher loss (log scale). \u{2715} marks a minimum, \u{25cb} the start."
                        </figcaption>
                    </figure>
                    <div class="side">
                        <fieldset class="hyper">
                            <legend>"Hyperparameters"</legend>
                            <NumField id="hp-lr" label=tr("Learning rate \u{3b1}", "学习率 \u{3b1}") value=lr check=check_lr hint="Shared by every optimizer in a race" />
                            <input
                                type="range"
                                class="lr-slider"
                                aria-label="Learning rate, log scale"
                                min="-5"
                                max="1"
                                step="0.05"
                                prop:value=move || format!("{:.2}", lr.get().log10())
                                on:input=move |ev| {
                                    if let Ok(e) = event_target_value(&ev).parse::<f64>() {
                                        // Snap to 2 significant digits so the field shows a readable value.
                                        let v = 10f64.powf(e);
                                        let p = 10f64.powf(v.log10().floor() - 1.0);
                                        lr.set(((v / p).round() * p).min(10.0));
                                    }
                                }
                            />
                            <Show when=shows(|m| matches!(m, Method::Adam | Method::AdamW | Method::ArticleAdam))>
                                <NumField id="hp-b1" label="\u{3b2}\u{2081}" value=beta1 check=check_unit />
                            </Show>
                            <Show when=shows(|m| m.has_v())>
                                <NumField id="hp-b2" label="\u{3b2}\u{2082} (RMSProp: \u{3c1})" value=beta2 check=check_unit />
                                <NumField id="hp-eps" label="\u{3b5}" value=eps check=check_eps />
                            </Show>
                            <Show when=shows(|m| matches!(m, Method::Momentum | Method::Nesterov))>
                                <NumField id="hp-mu" label=tr("Momentum \u{3bc}", "动量 \u{3bc}") value=momentum check=check_unit />
                                <NumField id="hp-damp" label=tr("Dampening d", "阻尼 d") value=dampening check=check_damp />
                            </Show>
                            <Show when=shows(|m| m == Method::AdamW)>
                                <NumField id="hp-wd" label=tr("Weight decay \u{3bb}", "权重衰减 \u{3bb}") value=weight_decay check=check_damp />
                            </Show>
                            <Show when=shows(|m| m == Method::Sgd)>
                                <NumField id="hp-batch" label=tr("Mini-batch size", "小批量大小") value=batch check=check_batch />
                                <NumField id="hp-seed" label=tr("Seed", "随机种子") value=seed check=check_seed />
                            </Show>
                        </fieldset>
                        <Show when=move || method.get() == Method::Sgd && !surface.get().has_data()>
                            <p class="note">
                                "This surface has no data to sample, so SGD's gradient is the exact gradient and it moves "
                                "exactly like gradient descent. Choose the least-squares fit to see real mini-batches."
                            </p>
                        </Show>
                        <fieldset class="race">
                            <legend>"Race against"</legend>
                            {Method::ALL
                                .iter()
                                .map(|&m| {
                                    view! {
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                prop:checked=move || race.with(|r| r.contains(&m))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    race.update(|r| {
                                                        r.retain(|x| *x != m);
                                                        if on {
                                                            r.push(m);
                                                        }
                                                    });
                                                }
                                            />
                                            <span class="swatch" style=format!("background:{}", color(m))></span>
                                            {m.name()}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <div class="defaults">
                            <p class="small">
                                <strong>"Burn's defaults differ from the textbook: "</strong>
                                "Adam's \u{3b5} is 10\u{207b}\u{2075} in Burn (Kingma & Ba: 10\u{207b}\u{2078}), and Burn's momentum "
                                "damps each new gradient by d = 0.1 (textbook and PyTorch: 0). The training page uses Burn's."
                            </p>
                            <button type="button" class="button secondary small-button" on:click=use_burn_defaults>
                                "Use Burn's defaults"
                            </button>
                            " "
                            <button type="button" class="button secondary small-button" on:click=use_textbook>
                                "Use the textbook's"
                            </button>
                        </div>
                    </div>
                </div>
                <LossChart runs=runs />
                <StateTable runs=runs />
            </section>
            <ArticleExamples
                surface=surface
                method=method
                race=race
                start=start
                lr=lr
            />
        </article>
    }
}

#[component]
fn LossChart(runs: RwSignal<Vec<Run>>) -> impl IntoView {
    let (w, h) = (640.0, 180.0);
    let chart = Memo::new(move |_| {
        runs.with(|rs| {
            let series: Vec<Vec<f64>> = rs
                .iter()
                .map(|r| {
                    std::iter::once(r.start_loss())
                        .chain(r.history.iter().filter_map(|s| s.loss))
                        .collect()
                })
                .collect();
            (
                plot::log_chart(&series, w, h),
                rs.iter().map(|r| r.opt.method).collect::<Vec<_>>(),
            )
        })
    });
    let summary = move || {
        runs.with(|rs| {
            rs.iter()
                .map(|r| {
                    let last = r
                        .history
                        .last()
                        .and_then(|s| s.loss)
                        .unwrap_or_else(|| r.start_loss());
                    format!(
                        "{}: J = {} after {} steps",
                        r.opt.method.name(),
                        fmt_num(last),
                        r.history.len()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
    };
    view! {
        <figure class="chart">
            <figcaption>"Loss J(\u{3b8}) against step (log scale)"</figcaption>
            <svg viewBox=format!("-44 -8 {} {}", w + 56.0, h + 30.0) role="img" aria-label=summary>
                {move || {
                    let (c, methods) = chart.get();
                    view! {
                        {c
                            .y_ticks
                            .into_iter()
                            .map(|(y, label)| {
                                view! {
                                    <line x1="0" x2=w.to_string() y1=format!("{y:.1}") y2=format!("{y:.1}") class="grid"></line>
                                    <text x="-6" y=format!("{:.1}", y + 4.0) text-anchor="end" class="tick">{label}</text>
                                }
                            })
                            .collect_view()}
                        {c
                            .x_ticks
                            .into_iter()
                            .map(|(x, label)| {
                                view! {
                                    <text x=format!("{x:.1}") y=format!("{}", h + 18.0) text-anchor="middle" class="tick">{label}</text>
                                }
                            })
                            .collect_view()}
                        {c
                            .paths
                            .into_iter()
                            .zip(methods)
                            .map(|(d, m)| view! { <path d=d fill="none" stroke=color(m) stroke-width="2"></path> })
                            .collect_view()}
                    }
                }}
            </svg>
            <p class="small chart-text">{summary}</p>
        </figure>
    }
}

#[component]
fn StateTable(runs: RwSignal<Vec<Run>>) -> impl IntoView {
    let title = move || runs.with(|rs| rs.first().map(|r| r.opt.method.name()).unwrap_or_default());
    let rows = move || {
        runs.with(|rs| {
            rs.first()
                .map(|r| {
                    let skip = r.history.len().saturating_sub(TABLE_ROWS);
                    r.history[skip..].to_vec()
                })
                .unwrap_or_default()
        })
    };
    let hidden = move || {
        runs.with(|rs| {
            rs.first()
                .map_or(0, |r| r.history.len().saturating_sub(TABLE_ROWS))
        })
    };
    view! {
        <div class="table-wrap state-table">
            <table aria-label="Optimizer state per step">
                <caption>
                    {move || format!("Every step of {}", title())}
                    {move || {
                        let h = hidden();
                        (h > 0).then(|| format!(" (the last {TABLE_ROWS}; {h} earlier steps not shown)"))
                    }}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"t"</th>
                        <th scope="col">"gradient g"</th>
                        <th scope="col">"m"</th>
                        <th scope="col">"v"</th>
                        <th scope="col">"m\u{302}"</th>
                        <th scope="col">"v\u{302}"</th>
                        <th scope="col">"update \u{394}\u{3b8}"</th>
                        <th scope="col">"\u{3b8}"</th>
                        <th scope="col">"J(\u{3b8})"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        rows()
                            .into_iter()
                            .map(|s: StepState| {
                                view! {
                                    <tr>
                                        <td>{s.t}</td>
                                        {vec_cell(Some(&s.grad))}
                                        {vec_cell(s.m.as_deref())}
                                        {vec_cell(s.v.as_deref())}
                                        {vec_cell(s.m_hat.as_deref())}
                                        {vec_cell(s.v_hat.as_deref())}
                                        {vec_cell(Some(&s.update))}
                                        {vec_cell(Some(&s.theta))}
                                        <td>{s.loss.map(fmt_num).unwrap_or_default()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            <Show when=move || rows().is_empty()>
                <p class="small">"No steps yet: press Step (or S)."</p>
            </Show>
        </div>
    }
}

/// The article's three optimizer examples, reproduced and corrected.
#[component]
fn ArticleExamples(
    surface: RwSignal<Surface>,
    method: RwSignal<Method>,
    race: RwSignal<Vec<Method>>,
    start: RwSignal<[f64; 2]>,
    lr: RwSignal<f64>,
) -> impl IntoView {
    let gd_at = |from: [f64; 2]| {
        let mut r = Run::new(
            Surface::DocQuadratic,
            Method::Gd,
            Hyper::textbook(0.1),
            from,
        );
        r.run(2);
        r.history
    };
    let at_optimum = gd_at([1.0, 2.0]);
    let away = gd_at([-1.0, 0.0]);
    let load = move |s: Surface, m: Method, from: [f64; 2], rate: f64| {
        race.set(Vec::new());
        surface.set(s);
        method.set(m);
        start.set(from);
        lr.set(rate);
        if let Some(el) = document().get_element_by_id("explorer-heading") {
            el.scroll_into_view();
        }
    };

    // Adam on the article's numbers: the article's formula (no bias correction,
    // μₜ = 0 as its example uses) and Kingma & Ba's, with the constant gradient.
    let h = Hyper {
        beta1: ex::BETA1,
        beta2: ex::BETA2,
        eps: ex::EPS,
        ..Hyper::textbook(ex::LR)
    };
    let steps = |m: Method| {
        let mut o = Optimizer::new(m, h, ex::THETA.to_vec());
        (0..5).map(|_| o.apply(&ex::GRAD)).collect::<Vec<_>>()
    };
    let article = steps(Method::ArticleAdam);
    let kb = steps(Method::Adam);
    let a1 = article[0].clone();
    let k1 = kb[0].clone();
    let own_v_theta1 = ex::THETA[0]
        - ex::LR * 0.05 / (ex::PRINTED_V1.parse::<f64>().unwrap_or(0.005).sqrt() + ex::EPS);
    let verdict = |v: f64, printed: &str| {
        if reproduces(v, printed) {
            "matches"
        } else {
            "differs"
        }
    };
    let v_kb = k1.v.clone().unwrap_or_default();
    let m_kb = k1.m.clone().unwrap_or_default();

    view! {
        <section class="calculator" aria-labelledby="article-opt-heading">
            <h2 id="article-opt-heading">{tr("The article's examples, reproduced and corrected", "文章的算例：重现与修正")}</h2>

            <h3>{tr("Gradient descent (梯度下降)", "梯度下降（Gradient descent）")}</h3>
            <p>
                "The article minimises " <Formula tex=Surface::DocQuadratic.tex() /> " with \u{3b1} = 0.1, "
                <em>"starting from \u{3b8} = (1, 2)"</em>
                " \u{2014} which is the minimum. The gradient there is "
                {vec2(&at_optimum.first().map(|s| s.grad.clone()).unwrap_or_default())}
                ", so both updates it prints leave \u{3b8} at "
                {vec2(&at_optimum.last().map(|s| s.theta.clone()).unwrap_or_default())}
                ": the example shows nothing moving, and its closing line (\u{201c}the parameters gradually approach the optimum\u{201d}) "
                "is not what it computed. Started at (\u{2212}1, 0) instead, the same two steps give "
                {away.iter().map(|s| vec2(&s.theta)).collect::<Vec<_>>().join(" then ")}
                ": each step shrinks the distance to (1, 2) by the factor |1 \u{2212} 2\u{3b1}| = 0.8."
            </p>
            <p>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| load(Surface::DocQuadratic, Method::Gd, [1.0, 2.0], 0.1)
                >
                    "Run the article's GD example above"
                </button>
                " "
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| load(Surface::DocQuadratic, Method::Gd, [-1.0, 0.0], 0.1)
                >
                    "Start away from the optimum"
                </button>
            </p>

            <h3>{tr("Stochastic gradient descent (随机梯度下降)", "随机梯度下降（SGD）")}</h3>
            <p>
                "The article draws a sample x\u{2081} = [1, 2], y\u{2081} = 0 and writes its \u{201c}stochastic gradient\u{201d} as "
                "2(\u{3b8}\u{2081} \u{2212} 1), 2(\u{3b8}\u{2082} \u{2212} 2) \u{2014} but the sample never appears in that loss, "
                "so this is the full gradient and the step is plain gradient descent (again from the optimum, so again nothing moves). "
                "SGD only means something when the loss is an average over data, "
                <Formula tex=r"J(\theta) = \frac{1}{N}\sum_i \ell(\theta; x_i, y_i)" />
                ", and each step uses the gradient of a random mini-batch of the terms. The least-squares surface is such a loss: "
                "with SGD its path wanders, because each mini-batch points a little differently."
            </p>
            <p>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| load(Surface::LeastSquares, Method::Sgd, Surface::LeastSquares.default_start(), 0.1)
                >
                    "Try real SGD on the least-squares fit"
                </button>
            </p>

            <h3>"Adam"</h3>
            <div class="formula-pair">
                <div>
                    <p class="formula-title">"As the article writes it"</p>
                    <Formula tex=r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,[g_t - \mu_t]" block=true />
                    <Formula tex=r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\,[g_t^2 - \mu_t^2]" block=true />
                    <Formula tex=r"\theta \leftarrow \theta - \alpha \frac{m_t}{\sqrt{v_t} + \epsilon}" block=true />
                </div>
                <div>
                    <p class="formula-title">"Kingma & Ba (2014), Algorithm 1"</p>
                    <Formula tex=r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t" block=true />
                    <Formula tex=r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2" block=true />
                    <Formula tex=r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t}" block=true />
                    <Formula tex=r"\theta_t = \theta_{t-1} - \alpha \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}" block=true />
                </div>
            </div>
            <p>
                "Two differences. The undefined \u{3bc}\u{209c} terms are not in Adam (the article\u{2019}s own example sets them to 0), "
                "and the bias correction is missing: m and v start at 0, so without dividing by 1 \u{2212} \u{3b2}\u{1d57} "
                "the early moments are too small. On the article's numbers (\u{3b8} = [1, 2], g = [0.5, \u{2212}0.3], "
                "\u{3b2}\u{2081} = 0.9, \u{3b2}\u{2082} = 0.99, \u{3b1} = 0.001) the first step happens to agree, because "
                "1 \u{2212} \u{3b2}\u{2081} = \u{221a}(1 \u{2212} \u{3b2}\u{2082}) = 0.1; from step 2 on they part."
            </p>
            <div class="table-wrap">
                <table aria-label="Adam first step, the article against the computation">
                    <caption>"Step 1 on the article's numbers"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"quantity"</th>
                            <th scope="col">"article prints"</th>
                            <th scope="col">"correct (Kingma & Ba)"</th>
                            <th scope="col">"verdict"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <td>"m\u{2081} (first parameter)"</td>
                            <td>{ex::PRINTED_M1}</td>
                            <td>{fmt_num(m_kb[0])}</td>
                            <td>{verdict(m_kb[0], ex::PRINTED_M1)}</td>
                        </tr>
                        <tr>
                            <td>"v\u{2081} = (1 \u{2212} \u{3b2}\u{2082}) g\u{b2} = 0.01 \u{b7} 0.25"</td>
                            <td>{ex::PRINTED_V1}</td>
                            <td>{fmt_num(v_kb[0])}</td>
                            <td>{verdict(v_kb[0], ex::PRINTED_V1)}</td>
                        </tr>
                        <tr>
                            <td>"\u{3b8}\u{2081} after step 1"</td>
                            <td>{ex::PRINTED_THETA1}</td>
                            <td>{fmt_num(k1.theta[0])}</td>
                            <td>{verdict(k1.theta[0], ex::PRINTED_THETA1)}</td>
                        </tr>
                        <tr>
                            <td>"\u{3b8}\u{2082} after step 1 (g\u{2082} = \u{2212}0.3 < 0, so \u{3b8}\u{2082} must rise)"</td>
                            <td>{ex::PRINTED_THETA2}</td>
                            <td>{fmt_num(k1.theta[1])}</td>
                            <td>{verdict(k1.theta[1], ex::PRINTED_THETA2)}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
            <p>
                "Where the arithmetic goes wrong: v\u{2081} is 0.01 \u{b7} 0.5\u{b2} = " {fmt_num(v_kb[0])}
                ", not " {ex::PRINTED_V1} ". Even with its own v\u{2081} = " {ex::PRINTED_V1}
                " the update would be 0.001 \u{b7} 0.05 / \u{221a}0.005 = 0.000707, giving \u{3b8}\u{2081} = "
                {fmt_num(own_v_theta1)} ", not " {ex::PRINTED_THETA1}
                ". And it copies \u{3b8}\u{2081}'s numbers into \u{3b8}\u{2082}, ignoring that g\u{2082} = \u{2212}0.3: \u{3b8}\u{2082} moves up to "
                {fmt_num(k1.theta[1])} ". The article's own formula gives " {vec2(&a1.theta)}
                " here, the same as Adam's, as explained above."
            </p>
            <div class="table-wrap">
                <table aria-label="Adam, five steps, with and without bias correction">
                    <caption>"Five steps with the same gradient: \u{3b8}\u{2081} with and without bias correction"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"t"</th>
                            <th scope="col">"article (no correction)"</th>
                            <th scope="col">"step"</th>
                            <th scope="col">"Kingma & Ba"</th>
                            <th scope="col">"step"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {article
                            .iter()
                            .zip(&kb)
                            .map(|(a, k)| {
                                view! {
                                    <tr>
                                        <td>{a.t}</td>
                                        <td>{fmt_sig(a.theta[0], 7)}</td>
                                        <td>{fmt_sig(a.update[0], 4)}</td>
                                        <td>{fmt_sig(k.theta[0], 7)}</td>
                                        <td>{fmt_sig(k.update[0], 4)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="small">
                "With a constant gradient, bias-corrected Adam moves exactly \u{3b1} per step (m\u{302}/\u{221a}v\u{302} = g/|g|); "
                "the uncorrected form's step m\u{209c}/\u{221a}v\u{209c} = (1 \u{2212} \u{3b2}\u{2081}\u{1d57})/\u{221a}(1 \u{2212} \u{3b2}\u{2082}\u{1d57}) "
                "drifts until both corrections reach 1. With the usual \u{3b2}\u{2082} = 0.999 its first step is 3.16\u{b7}\u{3b1}. "
                "Pick \u{201c}Adam as the article writes it\u{201d} above and race it against Adam to see the difference on a real surface."
            </p>
        </section>
    }
}
