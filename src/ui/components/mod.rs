//! Small reusable view pieces: formulas, labelled fields, radio groups, share bars.

use crate::lang::Localized;
use crate::math::format::plain_number;
use crate::ui::i18n::lang_now;
use leptos::prelude::*;

mod chart;
mod copy_link;
mod downloads;
mod engine_status;
mod later;
mod lens;
mod models;
mod page_meta;
mod rich;
mod storage;
pub use chart::ChartAxes;
pub use copy_link::CopyLink;
pub use downloads::DownloadButton;
pub use engine_status::EngineStatus;
pub use later::Later;
pub use lens::Lens;
pub use models::{saved_models, ModelOptions, SavedModels};
pub use page_meta::{keep_static_head, PageHead, PageMeta};
pub use rich::{rich, Rich};
pub use storage::StorageLine;

/// A LaTeX formula rendered as MathML (see [`crate::tex`]).
#[component]
pub fn Formula(tex: &'static str, #[prop(optional)] block: bool) -> impl IntoView {
    let html = crate::tex::to_mathml(tex, block);
    view! { <span class=if block { "formula block" } else { "formula" } inner_html=html></span> }
}

/// A labelled text field with a hint and an inline error message. The message
/// is tied to the field with `aria-describedby` and announced when it appears.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(into)] hint: TextProp,
    #[prop(into)] value: Lens<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let msg_id = format!("{id}-msg");
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {msg_id}");
    let on_input = move |ev| value.set(event_target_value(&ev));
    let invalid = move || error.with(|e| e.is_some()).then_some("true");
    let input = if multiline {
        view! {
            <textarea
                id=id
                rows="4"
                spellcheck="false"
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=on_input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=on_input
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id>{move || label.get()}</label>
            {input}
            <p class="hint" id=hint_id>{move || hint.get()}</p>
            <p class="error" id=msg_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A radio group (a segmented control) bound to a signal. Each option's label
/// is `[English, Chinese]`.
#[component]
pub fn Choice<T>(
    #[prop(into)] legend: TextProp,
    name: &'static str,
    options: Vec<(T, [&'static str; 2])>,
    #[prop(into)] value: Lens<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="choice">
            <legend>{move || legend.get()}</legend>
            <div class="segmented">
                {options
                    .into_iter()
                    .map(|(v, label)| {
                        view! {
                            <label>
                                <input
                                    type="radio"
                                    name=name
                                    prop:checked=move || value.get() == v
                                    on:change=move |_| value.set(v)
                                />
                                <span>{move || crate::ui::i18n::lang().pick(label[0], label[1])}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// A term's share of a total, as text and a bar.
#[component]
pub fn ShareCell(share: Option<f64>) -> impl IntoView {
    match share {
        Some(s) => {
            let width = format!("width: {:.1}%", (s * 100.0).clamp(0.0, 100.0));
            view! {
                <td class="share">
                    <span class="bar" aria-hidden="true">
                        <span style=width></span>
                    </span>
                    <span class="num">{crate::math::format::fmt_percent(s)}</span>
                </td>
            }
            .into_any()
        }
        None => view! { <td class="share">"\u{2014}"</td> }.into_any(),
    }
}

/// A labelled single-number field bound to an `f64` signal. Text that is not a
/// valid value shows a message and leaves the signal (and the run) untouched.
#[component]
pub fn NumField<E: Localized + 'static>(
    id: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(into)] value: Lens<f64>,
    /// Says why a value is out of range.
    check: fn(f64) -> Result<(), E>,
    /// A tooltip, `[English, Chinese]`.
    #[prop(optional)]
    hint: Option<[&'static str; 2]>,
) -> impl IntoView {
    let text = RwSignal::new(plain_number(value.get_untracked()));
    let error = RwSignal::new(None::<String>);
    // Follow changes made elsewhere (presets, URL), unless the text already says so.
    Effect::new(move |_| {
        let v = value.get();
        if text.with_untracked(|t| crate::math::parse::parse_scalar(t).ok()) != Some(v) {
            text.set(plain_number(v));
            error.set(None);
        }
    });
    let on_input = move |ev| {
        let s = event_target_value(&ev);
        text.set(s.clone());
        let l = lang_now();
        let checked = crate::math::parse::parse_scalar(&s)
            .map_err(|e| e.message(l))
            .and_then(|v| check(v).map(|()| v).map_err(|e| e.message(l)));
        match checked {
            Ok(v) => {
                error.set(None);
                value.set(v);
            }
            Err(m) => error.set(Some(m)),
        }
    };
    let msg_id = format!("{id}-msg");
    view! {
        <div class="field compact" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id>{move || label.get()}</label>
            <input
                id=id
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                title=move || hint.map(|[en, zh]| crate::ui::i18n::lang().pick(en, zh))
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                aria-describedby=msg_id.clone()
                prop:value=move || text.get()
                on:input=on_input
            />
            <p class="error" id=msg_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
