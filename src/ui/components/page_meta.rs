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

/// A page's head from the site's list ([`crate::site::Section`]): the line
/// above its title, the title and the opening paragraph, then `children`
/// (a copy-link button, a summary). The route's static HTML carries the same
/// three, so the app's first render takes their place without moving them.
#[component]
pub fn PageHead(path: &'static str, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let s = crate::site::section(path);
    let tr = crate::ui::i18n::tr;
    view! {
        <header class="page-head">
            <p class="eyebrow">{tr(s.eyebrow.0, s.eyebrow.1)}</p>
            <h1>{tr(s.heading.0, s.heading.1)}</h1>
            <p class="lede">{tr(s.lede.0, s.lede.1)}</p>
            {children.map(|c| c())}
        </header>
    }
}
