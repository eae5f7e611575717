//! Small reusable view pieces: formulas, labelled fields, radio groups, share bars.

use leptos::prelude::*;

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
    label: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
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
            <label for=id>{label}</label>
            {input}
            <p class="hint" id=hint_id>{hint}</p>
            <p class="error" id=msg_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A radio group (a segmented control) bound to a signal.
#[component]
pub fn Choice<T>(
    legend: &'static str,
    name: &'static str,
    options: Vec<(T, &'static str)>,
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="choice">
            <legend>{legend}</legend>
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
                                <span>{label}</span>
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
