//! "Copy link": the page's address, which holds its state, to the clipboard.
//! Where the browser refuses the clipboard the link is shown to copy by hand.

use crate::ui::i18n::tr;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, PartialEq)]
enum Copied {
    Not,
    Done,
    /// The clipboard was refused: the link, to select and copy.
    ByHand(String),
}

#[component]
pub fn CopyLink() -> impl IntoView {
    let state = RwSignal::new(Copied::Not);
    let copy = move |_| {
        let href = window().location().href().unwrap_or_default();
        let promise = window().navigator().clipboard().write_text(&href);
        leptos::task::spawn_local(async move {
            state.set(match JsFuture::from(promise).await {
                Ok(_) => Copied::Done,
                Err(_) => Copied::ByHand(href),
            });
        });
    };
    view! {
        <span class="copy-link">
            <button type="button" class="small-button" on:click=copy>
                {tr("Copy link", "复制链接")}
            </button>
            <span role="status">
                {move || match state.get() {
                    Copied::Not => None,
                    Copied::Done => Some(
                        tr(
                            "Link copied: it opens this page with these settings.",
                            "链接已复制：打开它会以这些设置显示本页。",
                        )().into_any(),
                    ),
                    Copied::ByHand(href) => Some(view! {
                        <label>
                            {tr("The browser refused the clipboard; copy this link: ", "浏览器拒绝了剪贴板；请手动复制此链接：")}
                            <input type="text" readonly value=href class="link-text" />
                        </label>
                    }.into_any()),
                }}
            </span>
        </span>
    }
}
