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

thread_local! {
    /// The route's static head (`#boot header.page-head`), kept when the app
    /// starts, and the path it was written for.
    static STATIC_HEAD: std::cell::RefCell<Option<(String, web_sys::Element)>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the static HTML's page head before the app removes the rest of it:
/// the first [`PageHead`] of the same path takes its nodes over instead of
/// drawing its own copy.
pub fn keep_static_head(boot: &web_sys::Element) {
    if let Ok(Some(head)) = boot.query_selector("header.page-head[data-path]") {
        let path = head.get_attribute("data-path").unwrap_or_default();
        STATIC_HEAD.set(Some((path, head)));
    }
}

/// A page's head from the site's list ([`crate::site::Section`]): the line
/// above its title, the title and the opening paragraph, then `children`
/// (a copy-link button, a summary). On the page the visitor opened, these
/// are the very nodes the route's static HTML painted (in both languages,
/// the other one hidden by `<html lang>`), moved into the app: the page's
/// largest paint is painted once, before any script, and never again.
#[component]
pub fn PageHead(path: &'static str, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let s = crate::site::section(path);
    let tr = crate::ui::i18n::tr;
    let adopted = STATIC_HEAD.with_borrow_mut(|h| match h.take() {
        Some((p, head)) if p == path => Some(head),
        _ => None,
    });
    let node = NodeRef::<leptos::html::Header>::new();
    let own = adopted.is_none();
    if let Some(head) = adopted {
        node.on_load(move |el| {
            let first = el.first_child();
            while let Some(child) = head.first_child() {
                let _ = el.insert_before(&child, first.as_ref());
            }
        });
    }
    view! {
        <header class="page-head" node_ref=node>
            {own.then(|| view! {
                <p class="eyebrow">
                    // One text in both languages: a quotation of the article's own heading.
                    {if s.eyebrow.0 == s.eyebrow.1 {
                        view! { <cite>{s.eyebrow.0}</cite> }.into_any()
                    } else {
                        tr(s.eyebrow.0, s.eyebrow.1).into_any()
                    }}
                </p>
                <h1>{tr(s.heading.0, s.heading.1)}</h1>
                <p class="lede">{tr(s.lede.0, s.lede.1)}</p>
            })}
            {children.map(|c| c())}
        </header>
    }
}
