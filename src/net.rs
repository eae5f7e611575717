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
