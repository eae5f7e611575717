//! Fetching the site's own files from the page (never anything uploaded).

use crate::protocol::EngineError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The site's root URL, ending in `/` (from Trunk's `<base href>`).
pub fn site_url(path: &str) -> String {
    let base = leptos::prelude::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default();
    format!("{base}{}", path.trim_start_matches('/'))
}

/// The URL of one of the site's files by its plain name (`worker_bg.wasm`,
/// `data/samples.bin`): under the versioned name this build gave it, from the
/// `<script id="assets">` map that scripts/post-build.mjs writes into every
/// page. An open page thus only ever fetches its own build's engine, models
/// and data, even after a new version is deployed.
pub fn asset_url(path: &str) -> String {
    thread_local! {
        static ASSETS: Option<wasm_bindgen::JsValue> = leptos::prelude::document()
            .get_element_by_id("assets")
            .and_then(|e| e.text_content())
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .filter(|m| m.is_object());
    }
    let versioned = ASSETS.with(|a| {
        a.as_ref()
            .and_then(|m| js_sys::Reflect::get(m, &path.into()).ok())
            .and_then(|v| v.as_string())
    });
    site_url(versioned.as_deref().unwrap_or(path))
}

pub use crate::net::js_error;

/// GET one of the site's files.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, EngineError> {
    crate::net::fetch_bytes(&leptos::prelude::window().fetch_with_str(url), url).await
}

/// GET `url` into an `ArrayBuffer` (kept in JS memory), calling `progress`
/// with (bytes received, bytes expected if the server said) as chunks arrive.
pub async fn fetch_with_progress(
    url: &str,
    mut progress: impl FnMut(f64, Option<f64>),
) -> Result<js_sys::ArrayBuffer, EngineError> {
    let fail = |detail: String| EngineError::Fetch {
        url: url.to_string(),
        detail,
    };
    let resp = crate::net::response(&leptos::prelude::window().fetch_with_str(url), url).await?;
    let total = resp
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse::<f64>().ok())
        // A compressed response's length is not the length of what we read.
        .filter(|_| {
            resp.headers()
                .get("content-encoding")
                .ok()
                .flatten()
                .is_none_or(|e| e.is_empty() || e == "identity")
        });
    let body = resp.body().ok_or_else(|| fail("empty response".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| fail("cannot read the response".into()))?;
    let chunks = js_sys::Array::new();
    let mut received = 0.0;
    progress(0.0, total);
    loop {
        let step = JsFuture::from(reader.read())
            .await
            .map_err(|e| fail(js_error(&e)))?;
        let done = js_sys::Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let chunk: js_sys::Uint8Array = js_sys::Reflect::get(&step, &"value".into())
            .map_err(|e| fail(js_error(&e)))?
            .unchecked_into();
        received += chunk.length() as f64;
        chunks.push(&chunk);
        progress(received, total);
    }
    let all = js_sys::Uint8Array::new_with_length(received as u32);
    let mut at = 0;
    for chunk in chunks.iter() {
        let chunk: js_sys::Uint8Array = chunk.unchecked_into();
        all.set(&chunk, at);
        at += chunk.length();
    }
    Ok(all.buffer())
}

/// Whether this build of the site has the CIFAR-10 data: `data/manifest.json`
/// (always present) says so. Checked before fetching any data file, so a site
/// built without data never requests a missing file.
pub async fn data_available() -> bool {
    let Ok(bytes) = fetch_bytes(&asset_url("data/manifest.json")).await else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    js_sys::JSON::parse(&text)
        .ok()
        .and_then(|m| js_sys::Reflect::get(&m, &"available".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
