//! The Leptos single-page app. Thin: every number comes from [`crate::math`].
//!
//! Adding a section = one file under `pages/`, one entry in [`sections::SECTIONS`]
//! and one `<Route>` below.

mod components;
pub mod engine;
mod net;
mod pages;
mod picture;
mod sections;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path,
};

/// The path the site is served under ("" at the root, "/compression-lab" on a
/// sub-path), read from the `<base href>` that Trunk writes from `public_url`.
#[derive(Clone, Debug)]
pub struct BasePath(pub String);

fn base_path() -> String {
    let from_base = || -> Option<String> {
        let uri = document().base_uri().ok()??;
        let url = web_sys::Url::new(&uri).ok()?;
        Some(url.pathname())
    };
    from_base()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string()
}

/// An absolute in-site link, prefixed with the base path.
pub fn href(path: &str) -> String {
    let base = use_context::<BasePath>().map(|b| b.0).unwrap_or_default();
    format!("{base}{path}")
}

/// Boots the app: panic reporting, then mount.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_error();
    }));
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// A bug must never leave a white page: say so and offer a reload.
fn show_fatal_error() {
    let doc = document();
    if doc.get_element_by_id("fatal").is_some() {
        return;
    }
    if let (Ok(div), Some(body)) = (doc.create_element("div"), doc.body()) {
        div.set_id("fatal");
        div.set_attribute("role", "alert").ok();
        div.set_inner_html(
            "<strong>Something went wrong in this page.</strong> \
             Your inputs are still in the fields; \
             <a href=\"\">reload</a> to continue. Details are in the browser console.",
        );
        body.prepend_with_node_1(&div).ok();
    }
}

#[component]
fn App() -> impl IntoView {
    provide_meta_context();
    engine::Engine::provide();
    let base = base_path();
    provide_context(BasePath(base.clone()));
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Compression Lab".to_string() } else { format!("{page} · Compression Lab") }
        } />
        <Router base=base>
            <a class="skip" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <pages::not_found::NotFound /> }>
                    <Route path=path!("/") view=pages::home::Home />
                    <Route path=path!("/losses") view=pages::losses::Losses />
                    <Route path=path!("/optimizers") view=pages::optimizers::Optimizers />
                    <Route path=path!("/classify") view=pages::classify::Classify />
                    <Route path=path!("/train") view=pages::train::Train />
                    <Route path=path!("/compress") view=pages::compress::Compress />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>
                    "Compression Lab teaches from the article "
                    <cite>"The Essence of Large Models (大模型的本质)"</cite>
                    " and checks every number it prints. Everything runs in your browser."
                </p>
            </footer>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <A href=href("/") exact=true>
                <span class="brand">
                    <span class="brand-mark" aria-hidden="true">"\u{25e7}"</span>
                    "Compression Lab"
                </span>
            </A>
            <nav aria-label="Sections">
                <ul>
                    {sections::SECTIONS
                        .iter()
                        .map(|s| {
                            view! {
                                <li>
                                    <A href=href(s.path)>{s.nav}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}
