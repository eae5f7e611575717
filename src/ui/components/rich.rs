//! Prose with code and English titles marked: `code` between backticks
//! becomes `<code>`, and 《a title》 written in Latin script inside Chinese
//! text becomes `<cite lang="en">`, so screen readers switch voice (WCAG 3.1.2)
//! and the text reads as Chinese typography expects.

use leptos::prelude::*;

use crate::page::rich::{runs, Run};

/// The runs as views.
pub fn rich(s: &str) -> impl IntoView {
    runs(s)
        .into_iter()
        .map(|r| match r {
            Run::Text(t) => t.into_any(),
            Run::Code(c) => view! { <code>{c}</code> }.into_any(),
            Run::Title(t) => view! { <cite lang="en">{t}</cite> }.into_any(),
        })
        .collect_view()
}

/// A text in the current language (from `tr`) with its code and titles marked.
#[component]
pub fn Rich(text: impl Fn() -> &'static str + Send + Sync + 'static) -> impl IntoView {
    move || rich(text())
}
