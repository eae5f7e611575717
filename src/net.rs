//! Fetching from JavaScript, shared by the page and the engine worker (each
//! starts the request from its own global: `window` or the worker's scope).

use crate::protocol::EngineError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A JavaScript exception's message, in the browser's words.
pub fn js_error(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

fn fetch_error(url: &str, detail: String) -> EngineError {
    EngineError::Fetch {
        url: url.to_string(),
        detail,
    }
}

/// Awaits `request` (a `fetch()` promise for `url`); an HTTP error is an error.
pub async fn response(
    request: &js_sys::Promise,
    url: &str,
) -> Result<web_sys::Response, EngineError> {
    let resp = JsFuture::from(request.clone())
        .await
        .map_err(|e| fetch_error(url, js_error(&e)))?;
    let resp: web_sys::Response = resp.unchecked_into();
    if !resp.ok() {
        return Err(fetch_error(url, format!("HTTP {}", resp.status())));
    }
    Ok(resp)
}

/// Awaits `request` (a `fetch()` promise for `url`) and reads the whole body.
pub async fn fetch_bytes(request: &js_sys::Promise, url: &str) -> Result<Vec<u8>, EngineError> {
    let resp = response(request, url).await?;
    let body = resp
        .array_buffer()
        .map_err(|e| fetch_error(url, js_error(&e)))?;
    let buf = JsFuture::from(body)
        .await
        .map_err(|e| fetch_error(url, js_error(&e)))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// What both Web Workers (the engine and the text coder) need of their
/// global scope: sending to the page, the clock, and the site's files under
/// this build's versioned names.
#[cfg(any(feature = "engine", feature = "textworker"))]
pub mod worker {
    use crate::protocol::{EngineError, FromWorker};
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, WorkerGlobalScope};

    pub fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Sends `msg` to the page.
    pub fn post(msg: &FromWorker) {
        match serde_wasm_bindgen::to_value(msg) {
            Ok(v) => {
                let _ = scope().post_message(&v);
            }
            Err(e) => {
                web_sys::console::error_1(&format!("worker: cannot send {msg:?}: {e}").into())
            }
        }
    }

    pub fn now_ms() -> f64 {
        scope()
            .unchecked_into::<WorkerGlobalScope>()
            .performance()
            .map_or(0.0, |p| p.now())
    }

    /// The URL of one of the site's files by its plain name (`models/x.json`,
    /// `data/train-00.bin`): under the versioned name this build gave it
    /// (`self.__ASSETS`, written into the worker's loader by
    /// scripts/post-build.mjs), so a worker only ever reads files of its own build.
    pub fn site_file(path: &str) -> String {
        let versioned = js_sys::Reflect::get(&scope(), &"__ASSETS".into())
            .ok()
            .filter(|m| m.is_object())
            .and_then(|m| js_sys::Reflect::get(&m, &path.into()).ok())
            .and_then(|v| v.as_string());
        format!("{}{}", base_url(), versioned.as_deref().unwrap_or(path))
    }

    /// The folder the worker was loaded from (the site's root), ending in `/`.
    fn base_url() -> String {
        let href = js_sys::Reflect::get(&scope(), &"location".into())
            .and_then(|l| js_sys::Reflect::get(&l, &"href".into()))
            .ok()
            .and_then(|h| h.as_string())
            .unwrap_or_default();
        match href.rfind('/') {
            Some(i) => href[..=i].to_string(),
            None => href,
        }
    }

    /// A file of the site, by URL.
    pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, EngineError> {
        let global: WorkerGlobalScope = scope().unchecked_into();
        super::fetch_bytes(&global.fetch_with_str(url), url).await
    }
}
