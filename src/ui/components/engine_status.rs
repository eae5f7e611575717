//! The engine's state for the visitor: download progress, the backend in use and
//! why, a switch between WebGPU and the CPU, and a retry after a failure.

use crate::lang::Lang;
use crate::protocol::Backend;
use crate::ui::engine::{Engine, Status};
use crate::ui::i18n::{lang, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

/// The engine's state in a line.
fn status_line(s: &Status, lang: Lang) -> String {
    match s {
        Status::Idle => lang
            .pick(
                "Not loaded yet: it loads when this page needs it.",
                "尚未载入：本页需要时才会载入。",
            )
            .into(),
        Status::Downloading { received, total } => {
            let got = mb(*received);
            match total.filter(|t| *t > 0.0) {
                Some(t) => {
                    let (all, pct) = (mb(t), 100.0 * received / t);
                    lang.pick(
                        format!("Downloading the engine: {got} of {all} ({pct:.0}%)"),
                        format!("正在下载引擎：{got} / {all}（{pct:.0}%）"),
                    )
                }
                None => lang.pick(
                    format!("Downloading the engine: {got}"),
                    format!("正在下载引擎：{got}"),
                ),
            }
        }
        Status::Starting => lang
            .pick("Starting the engine\u{2026}", "正在启动引擎\u{2026}")
            .into(),
        Status::Ready { backend, .. } => {
            let b = backend.label();
            lang.pick(
                format!("Running on {b} \u{2014} "),
                format!("运行于 {b} \u{2014} "),
            )
        }
        Status::Failed(e) => e.message(lang),
    }
}

#[component]
pub fn EngineStatus() -> impl IntoView {
    let engine = Engine::get();
    let status = engine.status;
    let line = move || status.with(|s| status_line(s, lang()));
    // The adapter's name is the browser's own words: shown as they are.
    let adapter = move || match status.get() {
        Status::Ready { adapter, .. } => Some(adapter),
        _ => None,
    };
    let adapter_name = move || adapter().map(|a| a.name);
    let adapter_note = move || {
        let a = adapter()?;
        let l = lang();
        let note = a.note(l)?;
        let gap = if a.name.is_empty() {
            ""
        } else {
            l.pick(" ", "")
        };
        Some(format!("{gap}{note}"))
    };
    let why = move || match status.get() {
        Status::Ready { why, .. } => why.message(lang()),
        _ => String::new(),
    };
    // The bar keeps its place while idle (hidden), so nothing below moves
    // when a download starts or ends.
    let received = move || match status.get() {
        Status::Downloading { received, total } => {
            Some((received, total.unwrap_or(0.0).max(received)))
        }
        _ => None,
    };
    let busy = move || matches!(status.get(), Status::Downloading { .. } | Status::Starting);
    let progress = move || {
        view! {
            <progress
                class:idle=move || !busy()
                aria-hidden=move || (!busy()).then_some("true")
                aria-label=move || match status.get() {
                    Status::Starting => tr("Engine starting", "引擎启动")(),
                    _ => tr("Engine download", "引擎下载")(),
                }
                max=move || received().map(|(_, max)| max)
                value=move || received().map(|(r, _)| r)
            ></progress>
        }
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
            <div class="engine-line state">
                <h2 id="engine-heading">{tr("Engine", "引擎")}</h2>
                <p id="engine-state" role="status" class:error-text=failed>
                    {line}
                    <span translate="no">{adapter_name}</span>
                    {adapter_note}
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
                        {tr("Start the engine again", "重新启动引擎")}
                    </button>
                </Show>
            </div>
            <div class="engine-line">
                <fieldset class="choice">
                    <legend>{tr("Backend", "后端")}</legend>
                    <div class="segmented">
                        {option(Backend::WebGpu, "WebGPU")} {option(Backend::Cpu, "CPU")}
                    </div>
                </fieldset>
                <p class="hint" id="engine-why">{why}</p>
            </div>
        </section>
    }
}
