//! Choosing the surface and the optimizer; Step, Play, Reset (and their keys);
//! what went wrong when a run diverged.

use super::Tutorial;
use crate::lang::Localized;
use crate::math::optim::{Method, Status};
use crate::math::surface::Surface;
use crate::ui::components::Formula;
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;

#[component]
pub fn Toolbar(t: Tutorial) -> impl IntoView {
    let f = t.f;
    let on_surface = move |ev| {
        if let Some(s) = Surface::from_key(&event_target_value(&ev)) {
            t.form.update(|setup| setup.choose_surface(s));
        }
    };
    let on_method = move |ev| {
        if let Some(m) = Method::from_key(&event_target_value(&ev)) {
            f.method.set(m);
        }
    };
    let play_label = move || {
        if t.playing.get() {
            tr("Pause", "暂停")()
        } else {
            tr("Play", "播放")()
        }
    };
    view! {
        <div class="toolbar">
            <div class="field compact">
                <label for="opt-surface">{tr("Surface", "曲面")}</label>
                <select id="opt-surface" on:change=on_surface prop:value=move || f.surface.get().key().to_string()>
                    {Surface::ALL
                        .iter()
                        .map(|s| view! { <option value=s.key()>{move || s.name(lang())}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field compact">
                <label for="opt-method">{tr("Optimizer", "优化器")}</label>
                <select id="opt-method" on:change=on_method prop:value=move || f.method.get().key().to_string()>
                    {Method::ALL
                        .iter()
                        .map(|m| view! { <option value=m.key()>{move || m.name(lang())}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="buttons" role="group" aria-label=tr("Run controls", "运行控制")>
                <button type="button" class="button" aria-keyshortcuts="S ArrowRight" on:click=move |_| t.step()>
                    {tr("Step", "单步")}
                </button>
                <button type="button" class="button secondary" aria-keyshortcuts="Space P" on:click=move |_| t.play()>
                    {play_label}
                </button>
                <button type="button" class="button secondary" aria-keyshortcuts="R" on:click=move |_| t.reset()>
                    {tr("Reset", "重置")}
                </button>
            </div>
            <p class="step-count" aria-live="polite">
                "t = " <span aria-label=tr("Steps taken", "已走步数")>{move || t.steps_taken()}</span>
            </p>
        </div>
        <p class="small">
            {tr(
                "Keys: S or \u{2192} steps, Space or P plays and pauses, R resets. ",
                "按键：S 或 \u{2192} 单步，空格或 P 播放/暂停，R 重置。",
            )}
            {move || f.surface.get().name(lang())} ": "
            {move || view! { <Formula tex=f.surface.get().tex() /> }}
        </p>
    }
}

/// One alert per run that diverged, with why and what to change.
#[component]
pub fn Divergences(t: Tutorial) -> impl IntoView {
    move || {
        t.runs.with(|rs| {
            rs.iter()
                .filter_map(|r| match &r.status {
                    Status::Diverged { t, reason } => Some((r.opt.method, *t, reason.clone())),
                    _ => None,
                })
                .map(|(m, step, reason)| {
                    let head = move || {
                        let l = lang();
                        let name = m.name(l);
                        l.pick(
                            format!("{name} diverged at step {step}. "),
                            format!("{name} 在第 {step} 步发散。"),
                        )
                    };
                    view! {
                        <p class="alert" role="alert">
                            <strong>{head}</strong>
                            {move || reason.message(lang())}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}

/// S or → steps, Space or P plays and pauses, R resets (not while typing).
pub fn keyboard(t: Tutorial) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|e| {
                matches!(
                    e.tag_name().as_str(),
                    "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON"
                )
            });
        if typing {
            return;
        }
        let action: Option<fn(Tutorial)> = match ev.key().as_str() {
            "s" | "S" | "ArrowRight" => Some(Tutorial::step),
            " " | "p" | "P" => Some(Tutorial::play),
            "r" | "R" => Some(Tutorial::reset),
            _ => None,
        };
        if let Some(act) = action {
            ev.prevent_default();
            act(t);
        }
    });
    on_cleanup(move || keys.remove());
}
