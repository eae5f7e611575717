//! A page's `<title>` and meta description, in the visitor's language.

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the document title (the site's name is added by the app's formatter;
/// an empty title is the home page) and the `<meta name="description">` that
/// `index.html` carries for crawlers without JavaScript, both following the
/// language.
#[component]
pub fn PageMeta(
    title: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
    description: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    Effect::new(move |_| {
        let text = description();
        if let Ok(Some(meta)) = document().query_selector("meta[name=\"description\"]") {
            meta.set_attribute("content", text).ok();
        }
    });
    view! { <Title text=title /> }
}
