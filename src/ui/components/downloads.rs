//! Downloads of what a page shows: a file made on demand (CSV, JSON) from the
//! page's own data, in the browser; nothing is sent anywhere.

use crate::ui::download::save_file;
use crate::ui::i18n::tr;
use leptos::prelude::*;

/// A button that saves `make()` as `name`.
#[component]
pub fn DownloadButton(
    label: (&'static str, &'static str),
    name: &'static str,
    make: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="small-button" on:click=move |_| save_file(name, make().as_bytes())>
            {tr(label.0, label.1)}
        </button>
    }
}
