//! Choosing the model(s) and the picture: a file, a drop, or a paste.

use super::{Shown, State};
use crate::lang::Localized;
use crate::ui::components::{saved_models, ModelOptions};
use crate::ui::i18n::{lang_now, tr};
use crate::ui::picture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, FileList, HtmlInputElement};

#[component]
pub fn ModelMenus(state: State) -> impl IntoView {
    let saved = saved_models();
    let pick = move |signal: RwSignal<String>| {
        move |ev| {
            signal.set(event_target_value(&ev));
            state.run();
        }
    };
    view! {
        <div class="toolbar">
            <div class="field compact">
                <label for="classify-model">{tr("Model", "模型")}</label>
                <select id="classify-model" prop:value=move || state.model.get() on:change=pick(state.model)>
                    <ModelOptions saved />
                </select>
            </div>
            <div class="field compact">
                <label for="classify-compare">{tr("Compare with", "与之比较")}</label>
                <select id="classify-compare" prop:value=move || state.compare.get() on:change=pick(state.compare)>
                    <option value="">{tr("No second model", "不比较")}</option>
                    <ModelOptions saved />
                </select>
            </div>
        </div>
    }
}

/// Decodes a picture in the browser and shows it; a picture that cannot be
/// read leaves the previous one and its result in place. A newer pick, drop
/// or paste wins: an older picture still decoding is dropped.
fn take_blob(state: State, blob: Blob, file: Option<String>) {
    state.busy.set(true);
    let ticket = state.new_pick();
    spawn_local(async move {
        let decoded = picture::from_blob(&blob).await;
        if !state.is_latest_pick(ticket) {
            return;
        }
        match decoded {
            Ok(p) => {
                let original = web_sys::Url::create_object_url_with_blob(&blob).unwrap_or_default();
                if let Some(old) = state.shown.get_untracked() {
                    if old.original.starts_with("blob:") {
                        let _ = web_sys::Url::revoke_object_url(&old.original);
                    }
                }
                let size = format!("{} {}\u{d7}{}", p.format, p.width, p.height);
                let source = match file {
                    Some(_) => [format!("({size})"), format!("（{size}）")],
                    None => [
                        format!("Pasted image ({size})"),
                        format!("粘贴的图片（{size}）"),
                    ],
                };
                state.show(Shown {
                    picture: p,
                    file,
                    source,
                    original,
                    truth: None,
                });
            }
            Err(e) => {
                let l = lang_now();
                let name = file.unwrap_or_else(|| l.pick("Pasted image", "粘贴的图片").into());
                state.error.set(Some(format!("{name}: {}", e.message(l))));
                state.busy.set(false);
            }
        }
    });
}

#[component]
pub fn ImageInput(state: State) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let take_files = move |files: Option<FileList>| match files.and_then(|f| f.get(0)) {
        Some(file) => {
            let name = file.name();
            take_blob(state, File::unchecked_into(file), Some(name))
        }
        None => state.error.set(Some(
            lang_now()
                .pick(
                    "That was not a file: choose or drop an image file.",
                    "那不是文件：请选择或拖入一个图片文件。",
                )
                .into(),
        )),
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        take_files(input.files());
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        take_files(ev.data_transfer().and_then(|d| d.files()));
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let paste = window_event_listener(leptos::ev::paste, move |ev| {
        if let Some(file) = ev
            .clipboard_data()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            ev.prevent_default();
            take_blob(state, File::unchecked_into(file), None);
        }
    });
    on_cleanup(move || paste.remove());
    view! {
        <div
            class="dropzone"
            class:dragging=move || dragging.get()
            on:dragover=on_dragover
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="classify-file" class="button">{tr("Choose an image", "选择图片")}</label>
            <input id="classify-file" class="visually-hidden" type="file" accept="image/*" on:change=on_pick />
            <p>
                {tr(
                    "\u{2026}or drop one here, or paste it (Ctrl+V / \u{2318}V).",
                    "\u{2026}或拖到这里，或粘贴（Ctrl+V / \u{2318}V）。",
                )}
            </p>
            <p class="hint">
                {tr(
                    "PNG, JPEG, WebP, GIF, BMP or AVIF, up to 40 megapixels. The largest centered square is \
                     reduced to 32\u{d7}32.",
                    "支持 PNG、JPEG、WebP、GIF、BMP 或 AVIF，最多 4000 万像素。取居中的最大正方形，缩小到 32\u{d7}32。",
                )}
            </p>
        </div>
        <p class="error" id="classify-error" role="alert">{move || state.error.get()}</p>
    }
}
