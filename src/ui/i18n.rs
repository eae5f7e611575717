//! English / Chinese. Every translatable string is written in place as a pair,
//! `tr("Train", "训练")`, so a page's two languages are read side by side and
//! cannot drift apart; the choice is a signal in context, remembered in
//! `localStorage` and mirrored in `<html lang>`.
//!
//! (A catalogue crate such as `leptos_i18n` pays off with many languages,
//! plurals and translators working from files; with two languages written by
//! the same people, pairs in place are simpler and checked by the compiler.)

use leptos::prelude::*;

pub use crate::lang::Lang;

const KEY: &str = "compression-lab.lang";

#[derive(Clone, Copy)]
struct LangSignal(RwSignal<Lang>);

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Reads the remembered language (else the browser's), provides it, and keeps
/// `<html lang>` and storage in step.
pub fn provide() {
    let stored = storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|c| Lang::from_code(&c));
    let browser = window().navigator().language().map(|l| {
        if l.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    });
    let lang = RwSignal::new(stored.or(browser).unwrap_or(Lang::En));
    provide_context(LangSignal(lang));
    // Also kept outside the component tree: code that runs after an `.await`
    // (replies from the engine) has no reactive owner to find a context in.
    LANG.set(Some(lang));
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(html) = document().document_element() {
            html.set_attribute("lang", l.pick("en", "zh-Hans")).ok();
        }
    });
}

/// The current language (reactive when read inside a closure).
pub fn lang() -> Lang {
    lang_signal().map_or(Lang::En, |s| s.get())
}

/// The current language, read without tracking (for event handlers).
pub fn lang_now() -> Lang {
    lang_signal().map_or(Lang::En, |s| s.get_untracked())
}

thread_local! {
    static LANG: std::cell::Cell<Option<RwSignal<Lang>>> = const { std::cell::Cell::new(None) };
}

/// The language signal, also for code that runs outside the component tree.
pub fn lang_signal() -> Option<RwSignal<Lang>> {
    use_context::<LangSignal>()
        .map(|s| s.0)
        .or_else(|| LANG.get())
}

/// Sets and remembers the language.
pub fn set_lang(l: Lang) {
    if let Some(s) = lang_signal() {
        s.set(l);
    }
    if let Some(st) = storage() {
        st.set_item(KEY, l.code()).ok();
    }
}

/// A reactive string in the current language.
pub fn tr(
    en: &'static str,
    zh: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let sig = lang_signal();
    move || match sig.map(|s| s.get()).unwrap_or(Lang::En) {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The language menu in the header; its name is the same in both languages.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let sig = lang_signal();
    view! {
        <div class="lang-switch">
            <label for="lang">
                <span lang="en">"Language"</span>
                " \u{b7} 语言"
            </label>
            <select
                id="lang"
                prop:value=move || sig.map(|s| s.get()).unwrap_or(Lang::En).code()
                on:change=move |ev| {
                    if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                        set_lang(l);
                    }
                }
            >
                <option value="en" lang="en">"English"</option>
                <option value="zh" lang="zh-Hans">"中文"</option>
            </select>
        </div>
    }
}
