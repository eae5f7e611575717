//! The Leptos single-page app. Thin: every number comes from [`crate::math`].
//!
//! Adding a section = one file under `pages/`, one entry in [`sections::SECTIONS`]
//! and one `<Route>` below.

mod components;
mod download;
pub mod engine;
pub mod i18n;
mod net;
mod pages;
mod picture;
mod sections;
mod update;
pub mod url_state;

use i18n::tr;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};
use wasm_bindgen::JsCast;

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
    boot();
    leptos::mount::mount_to_body(App);
}

/// Boots the reading pages' app (bin `read`).
pub fn start_read() {
    boot();
    leptos::mount::mount_to_body(Reading);
}

/// Boots the landing page's own small app (bin `landing`): the home page and
/// the site's frame, without the other pages, the router or the engine's
/// protocol, so the first page a visitor opens downloads a fraction of the
/// site. Its links load the full app (`scripts/post-build.mjs` writes the
/// loader that picks one of the two by the address).
pub fn start_landing() {
    boot();
    leptos::mount::mount_to_body(Landing);
}

fn boot() {
    START_PATH.with(|_| ());
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_error();
    }));
    if let Some(boot) = document().get_element_by_id("boot") {
        components::keep_static_head(&boot);
        boot.remove();
    }
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
        // The language from `<html lang>` (kept in step with the choice): the
        // reactive system may be what failed.
        let zh = doc
            .document_element()
            .and_then(|h| h.get_attribute("lang"))
            .is_some_and(|l| l.starts_with("zh"));
        div.set_inner_html(if zh {
            "<strong>本页出错了。</strong>你输入的内容仍在输入框中；\
             <a href=\"\">重新加载</a>即可继续。详细信息见浏览器控制台。"
        } else {
            "<strong>Something went wrong in this page.</strong> \
             Your inputs are still in the fields; \
             <a href=\"\">reload</a> to continue. Details are in the browser console."
        });
        body.prepend_with_node_1(&div).ok();
    }
}

/// The site's name (English, Chinese).
use crate::site::NAME as BRAND;

/// What both apps provide before rendering: the page title's context, the
/// language, the service worker and the base path.
fn provide_common() {
    provide_meta_context();
    i18n::provide();
    let base = base_path();
    update::register(&base);
    provide_context(BasePath(base));
}

/// The tab's title: "page · site", or the site's name alone at home.
#[component]
fn SiteTitle() -> impl IntoView {
    view! {
        <Title formatter=|page: String| {
            let site = i18n::lang().pick(BRAND.0, BRAND.1);
            if page.is_empty() { site.to_string() } else { format!("{page} · {site}") }
        } />
    }
}

/// The pages that run the ML engine (bin `app`): they share one engine
/// worker, so a model trained on one page is there on the others, and a
/// training run goes on while the visitor moves between them.
#[component]
fn App() -> impl IntoView {
    engine::Engine::provide();
    provide_common();
    let base = expect_context::<BasePath>().0;
    let train = engine::Engine::get().train;
    let busy = Signal::derive(move || train.with(|t| t.running && !t.paused));
    view! {
        <SiteTitle />
        <Router base=base>
            <ScrollToHash />
            <Frame path=routed_path() busy=busy>
                <Routes fallback=|| view! { <Elsewhere /> }>
                    <Route path=path!("/classify") view=pages::classify::Classify />
                    <Route path=path!("/train") view=pages::train::Train />
                    <Route path=path!("/compress") view=pages::compress::Compress />
                </Routes>
            </Frame>
        </Router>
    }
}

/// The reading pages (bin `read`): the tour, the formulas and the text coder,
/// without the ML engine's pages.
#[component]
fn Reading() -> impl IntoView {
    engine::Engine::provide();
    provide_common();
    let base = expect_context::<BasePath>().0;
    view! {
        <SiteTitle />
        <Router base=base>
            <ScrollToHash />
            <Frame path=routed_path() busy=Signal::stored(false)>
                <Routes fallback=|| view! { <Elsewhere /> }>
                    <Route path=path!("/tour") view=pages::tour::Tour />
                    <Route path=path!("/theorem") view=pages::theorem::Theorem />
                    <Route path=path!("/losses") view=pages::losses::Losses />
                    <Route path=path!("/optimizers") view=pages::optimizers::Optimizers />
                    <Route path=path!("/text") view=pages::text::Text />
                </Routes>
            </Frame>
        </Router>
    }
}

/// A path this app has no route for. A page of the site that another of its
/// apps draws (the home page, or a page of [`crate::site::App`]'s other app)
/// is loaded from its own HTML, which runs that app, as a plain link would.
/// Anything else, or the very address this app started at, is not found.
#[component]
fn Elsewhere() -> impl IntoView {
    let loc = use_location();
    let full = loc.pathname.get_untracked();
    let path = site_path(&full, &expect_context::<BasePath>().0);
    let known = path == "/" || crate::site::SECTIONS.iter().any(|s| s.path == path);
    if !known || START_PATH.with(|p| *p == path) {
        return view! { <pages::not_found::NotFound /> }.into_any();
    }
    let search = loc.search.get_untracked();
    let target = format!(
        "{full}{}{}",
        if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        },
        loc.hash.get_untracked()
    );
    // After the router's own step (it writes the address once the new view is
    // drawn), so the browser's navigation is the last word.
    set_timeout(
        move || {
            let location = window().location();
            if location.pathname().ok().as_deref() == Some(full.as_str()) {
                location.reload().ok();
            } else {
                location.assign(&target).ok();
            }
        },
        std::time::Duration::ZERO,
    );
    view! { <p class="page narrow" role="status">{tr("Loading…", "正在加载…")}</p> }.into_any()
}

thread_local! {
    /// The path the app was started at ([`Elsewhere`] never reloads it).
    static START_PATH: String = current_path();
}

/// The landing page's app: the same frame and home page as [`App`]'s "/".
#[component]
fn Landing() -> impl IntoView {
    provide_common();
    view! {
        <SiteTitle />
        <Frame path=Signal::stored("/".to_string()) busy=Signal::stored(false)>
            <pages::home::Home />
        </Frame>
    }
}

/// The address's path without the base path ("/" at home), tracking the router.
fn routed_path() -> Signal<String> {
    let loc = use_location();
    Signal::derive(move || {
        let _ = loc.pathname.get();
        current_path()
    })
}

/// The address's path without the base path ("/" at home).
fn current_path() -> String {
    site_path(
        &window().location().pathname().unwrap_or_default(),
        &base_path(),
    )
}

/// A full path's page under `base` ("/" at home).
fn site_path(full: &str, base: &str) -> String {
    match full
        .strip_prefix(base)
        .unwrap_or(full)
        .trim_end_matches('/')
    {
        "" | "/index.html" => "/".to_string(),
        p => p.to_string(),
    }
}

/// Every page's frame: skip link, header, update notice, the page, footer.
/// `path` marks the current section in the header; `busy` holds back the
/// update's reload during a training run.
#[component]
fn Frame(path: Signal<String>, busy: Signal<bool>, children: Children) -> impl IntoView {
    view! {
        <a class="skip" href="#main" on:click=skip_to_main>
            {tr(crate::site::SKIP_LINK.0, crate::site::SKIP_LINK.1)}
        </a>
        <Header path=path />
        <update::UpdateNotice busy=busy />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                {tr("Compression Lab teaches from the article ", "压缩实验室以文章 ")}
                <cite>
                    <span lang="en">"The Essence of Large Models"</span>
                    {tr(" (大模型的本质)", "（大模型的本质）")}
                </cite>
                {tr(
                    " and checks every number it prints. Everything runs in your browser.",
                    "为教材，并核查它印出的每个数字。一切都在你的浏览器中运行。",
                )}
            </p>
        </footer>
    }
}

/// The header's links are plain anchors: the full app's router takes their
/// clicks; on the landing app they load the page.
#[component]
fn Header(path: Signal<String>) -> impl IntoView {
    let current = move |p: &'static str| move || (path.get() == p).then_some("page");
    view! {
        <header class="site-header">
            <a href=href("/") aria-current=current("/")>
                <span class="brand">
                    <span class="brand-mark" aria-hidden="true">"\u{25e7}"</span>
                    {tr(BRAND.0, BRAND.1)}
                </span>
            </a>
            <nav aria-label=tr(crate::site::NAV_LABEL.0, crate::site::NAV_LABEL.1)>
                <ul>
                    {sections::SECTIONS
                        .iter()
                        .map(|s| {
                            view! {
                                <li>
                                    <a href=href(s.path) aria-current=current(s.path)>
                                        {tr(s.nav.0, s.nav.1)}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <i18n::LangSwitch />
        </header>
    }
}

/// The skip link moves keyboard focus to the page's content (the router would
/// otherwise treat `#main` as a navigation).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        main.focus().ok();
        main.scroll_into_view();
    }
}

/// Scrolls to `#anchor` after in-site navigation (the router changes the page
/// without the browser's own jump), once the new page has drawn it (sections
/// below the first screen appear a task or two later: see `components::Later`).
#[component]
fn ScrollToHash() -> impl IntoView {
    let loc = use_location();
    Effect::new(move |_| {
        let hash = loc.hash.get();
        let _ = loc.pathname.get();
        if let Some(id) = hash
            .strip_prefix('#')
            .filter(|h| !h.is_empty())
            .map(str::to_string)
        {
            scroll_when_drawn(id, 40);
        }
    });
}

/// Scrolls to the element `id` once it exists, looking every 50 ms, `tries` times.
fn scroll_when_drawn(id: String, tries: u32) {
    set_timeout(
        move || match document().get_element_by_id(&id) {
            Some(el) => el.scroll_into_view(),
            None if tries > 1 => scroll_when_drawn(id, tries - 1),
            None => {}
        },
        std::time::Duration::from_millis(50),
    );
}
