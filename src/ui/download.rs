//! Offering bytes made in this browser as a download, and reading a file the
//! visitor picked (nothing is uploaded either way).

use crate::domain::{FileKind, Oversized};
use crate::lang::{Lang, Localized};
use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `name`.
pub fn save_file(name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Why a picked file was not read.
pub enum PickError {
    /// Larger than any file of its kind: refused by its size, unread.
    Oversized(Oversized),
    /// The browser could not read it (its own words).
    Browser { name: String, detail: String },
}

impl Localized for PickError {
    fn message(&self, lang: Lang) -> String {
        match self {
            PickError::Oversized(o) => o.message(lang),
            PickError::Browser { name, detail } => lang.pick(
                format!("{name}: the browser could not read the file ({detail})."),
                format!("{name}：浏览器无法读取该文件（{detail}）。"),
            ),
        }
    }
}

/// The bytes of a file the visitor picked, once its size (`File.size`, read
/// before any byte is) is within the limit for its kind.
pub async fn picked_bytes(file: &web_sys::File, kind: FileKind) -> Result<Vec<u8>, PickError> {
    let name = file.name();
    Oversized::check(&name, kind, file.size() as u64).map_err(PickError::Oversized)?;
    let b = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| PickError::Browser {
            name,
            detail: crate::ui::net::js_error(&e),
        })?;
    Ok(js_sys::Uint8Array::new(&b).to_vec())
}
