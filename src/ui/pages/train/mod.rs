//! Train a CNN in this browser: the engine worker trains batch by batch while
//! the page draws the loss, the accuracy on held-out test images, and the
//! prequential code length: learning, measured as compression. The page's
//! logic is in [`crate::page::train`]; these components bind it.

mod progress;
mod results;
mod settings;

use crate::ui::components::{CopyLink, EngineStatus, SavedModels};
use crate::ui::engine::Engine;
use crate::ui::i18n::tr;
use leptos::prelude::*;

use crate::ui::{
    components::PageMeta,
    sections::{summary, title},
};
use leptos::task::spawn_local;

#[component]
pub fn Train() -> impl IntoView {
    let engine = Engine::get();
    // The engine downloads while the visitor reads the settings.
    spawn_local(async move {
        let _ = engine.ready().await;
    });
    view! {
        <PageMeta title=title("/train") description=summary("/train") />
        <article class="page">
            <header class="page-head">
                <p class="eyebrow">{tr("Learning is compression", "学习就是压缩")}</p>
                <h1>{tr("Train a CNN in your browser", "在浏览器中训练CNN")}</h1>
                <p class="lede">
                    {tr(
                        "Train the article's CNN or this site's default on real CIFAR-10 images, here, on WebGPU \
                         or the CPU, in a background worker: the page stays responsive. Watch the loss fall, the \
                         test accuracy rise, and the labels' code length shrink.",
                        "在这里用真实的 CIFAR-10 图片训练文章中的 CNN 或本站的默认 CNN：在后台 worker 中运行于 \
                         WebGPU 或 CPU，页面始终可以操作。看着损失下降、测试准确率上升、标签的编码长度缩短。",
                    )}
                </p>
                <CopyLink />
            </header>
            <EngineStatus />
            <settings::Settings />
            <progress::Progress />
            <results::Results />
            <SavedModels />
        </article>
    }
}
