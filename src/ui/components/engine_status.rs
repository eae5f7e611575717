//! The engine's state for the visitor: download progress, the backend in use and
//! why, a switch between WebGPU and the CPU, and a retry after a failure.

use crate::protocol::Backend;
use crate::ui::engine::{Engine, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

#[component]
pub fn EngineStatus() -> impl IntoView {
    let engine = Engine::get();
    let status = engine.status;
    let line = move || match status.get() {
        Status::Idle => "Not loaded yet: it loads when this page needs it.".to_string(),
        Status::Downloading { received, total } => match total {
            Some(t) if t > 0.0 => format!(
                "Downloading the engine: {} of {} ({:.0}%)",
                mb(received),
                mb(t),
                100.0 * received / t
            ),
            _ => format!("Downloading the engine: {}", mb(received)),
        },
        Status::Starting => "Starting the engine\u{2026}".to_string(),
        Status::Ready {
            backend, detail, ..
        } => format!("Running on {} \u{2014} {detail}", backend.label()),
        Status::Failed(e) => e.message(crate::ui::i18n::lang()),
    };
    let why = move || match status.get() {
        Status::Ready { why, .. } => why,
        _ => String::new(),
    };
    let progress = move || match status.get() {
        Status::Downloading { received, total } => Some(
            view! {
                <progress
                    aria-label="Engine download"
                    max=total.unwrap_or(0.0).max(received)
                    value=received
                ></progress>
            }
            .into_any(),
        ),
        Status::Starting => {
            Some(view! { <progress aria-label="Engine starting"></progress> }.into_any())
        }
        _ => None,
    };
    // The backend asked for, shown as chosen while the engine switches to it.
    let chosen = RwSignal::new(None::<Backend>);
    let current = move || match status.get() {
        Status::Ready { backend, .. } => Some(backend),
        _ => chosen.get(),
    };
    let webgpu_ok = move || match status.get() {
        Status::Ready {
            webgpu_available, ..
        } => webgpu_available,
        _ => true,
    };
    let switching = move || !matches!(status.get(), Status::Ready { .. });
    let option = move |b: Backend, label: &'static str| {
        view! {
            <label>
                <input
                    type="radio"
                    name="engine-backend"
                    prop:checked=move || current() == Some(b)
                    prop:disabled=move || switching() || (b == Backend::WebGpu && !webgpu_ok())
                    on:change=move |_| {
                        chosen.set(Some(b));
                        engine.switch(b);
                    }
                />
                <span>{label}</span>
            </label>
        }
    };
    let failed = move || matches!(status.get(), Status::Failed(_));
    view! {
        <section class="engine-status" aria-labelledby="engine-heading">
            <div class="engine-line">
                <h2 id="engine-heading">"Engine"</h2>
                <p id="engine-state" role="status" class:error-text=failed>
                    {line}
                </p>
                {progress}
                <Show when=failed>
                    <button
                        type="button"
                        class="button secondary small-button"
                        on:click=move |_| {
                            spawn_local(async move {
                                let _ = engine.ready().await;
                            })
                        }
                    >
                        "Start the engine again"
                    </button>
                </Show>
            </div>
            <div class="engine-line">
                <fieldset class="choice">
                    <legend>"Backend"</legend>
                    <div class="segmented">
                        {option(Backend::WebGpu, "WebGPU")} {option(Backend::Cpu, "CPU")}
                    </div>
                </fieldset>
                <p class="hint" id="engine-why">{why}</p>
            </div>
        </section>
    }
}
