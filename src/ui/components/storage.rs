//! The storage line under the saved models: how much this site stores here,
//! of how much, and whether the browser keeps it. The first time a model is
//! saved the page asks for persistent storage (`navigator.storage.persist()`,
//! a window-only call), so the browser does not clear saved work when the
//! disk runs low.

use crate::page::storage::StorageUse;
use crate::ui::engine::Engine;
use crate::ui::i18n::lang;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Asked once per page: a refusal is the browser's answer, not a retry's.
    static ASKED: Cell<bool> = const { Cell::new(false) };
}

async fn call(promise: Result<js_sys::Promise, JsValue>) -> Option<JsValue> {
    JsFuture::from(promise.ok()?).await.ok()
}

/// The storage figures; asks for persistence first when models are saved.
async fn storage_use(models: usize) -> Option<StorageUse> {
    let storage = window().navigator().storage();
    let mut persisted = call(storage.persisted()).await?.as_bool() == Some(true);
    if models > 0 && !persisted && !ASKED.replace(true) {
        persisted = call(storage.persist()).await.and_then(|v| v.as_bool()) == Some(true);
    }
    let estimate = call(storage.estimate()).await?;
    let number = |k: &str| js_sys::Reflect::get(&estimate, &k.into()).ok()?.as_f64();
    Some(StorageUse {
        used: number("usage")?,
        quota: number("quota")?,
        persisted,
    })
}

/// "This site uses 2.6 MB of the 1.2 GB …", re-read when the models change.
#[component]
pub fn StorageLine(models: Signal<usize>) -> impl IntoView {
    let engine = Engine::get();
    let figures = LocalResource::new(move || {
        engine.models_changed.track();
        let n = models.get();
        async move { storage_use(n).await }
    });
    view! {
        <p class="hint" id="storage-use">
            {move || figures.get().flatten().map(|s| s.line(lang()))}
        </p>
    }
}
