//! Train a CNN in this browser: the engine worker trains batch by batch while
//! the page draws the loss, the accuracy on held-out test images, and the
//! prequential code length: learning, measured as compression. The page's
//! logic is in [`crate::page::train`]; these components bind it.

mod progress;
mod results;
mod settings;

use crate::ui::components::{CopyLink, EngineStatus, Later, SavedModels};
use crate::ui::engine::Engine;
use leptos::prelude::*;

use crate::ui::{
    components::{PageHead, PageMeta},
    sections::{summary, title},
};
use leptos::task::spawn_local;

#[component]
pub fn Train() -> impl IntoView {
    let engine = Engine::get();
    // The engine downloads while the visitor reads the settings (once the page
    // has loaded and is idle: its own first paint comes first).
    spawn_local(async move {
        let _ = engine.ready().await;
    });
    view! {
        <PageMeta title=title("/train") description=summary("/train") />
        <article class="page">
            <PageHead path="/train">
                <CopyLink />
            </PageHead>

            <Later>
                <EngineStatus />
            </Later>
            <Later>
                <settings::Settings />
            </Later>
            <Later>
                <progress::Progress />
            </Later>
            <Later>
                <results::Results />
            </Later>
            <Later>
                <SavedModels />
            </Later>
        </article>
    }
}
