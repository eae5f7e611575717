//! What the model says: the picture as the model sees it, the top five
//! classes, the timing, and a second model's answer.

use super::State;
use crate::data::cifar::class_name;
use crate::page::classify::{compared, compressed_note, timing, top5};
use crate::ui::i18n::{lang, tr};
use crate::ui::picture;
use leptos::prelude::*;

#[component]
pub fn Answer(state: State) -> impl IntoView {
    let compared = move || {
        let (a, b) = (state.result.get(), state.second.get());
        a.zip(b).map(|(a, b)| compared(&a, &b, lang()))
    };
    view! {
        <section class="calculator" aria-labelledby="result-heading" aria-busy=move || state.busy.get().to_string()>
            <h2 id="result-heading">{tr("What the model says", "模型怎么说")}</h2>
            <Show
                when=move || state.shown.with(|s| s.is_some())
                fallback=|| view! { <p class="hint">{tr("Choose an image or a sample above.", "请在上面选择一张图片或样本。")}</p> }
            >
                <div class="classify-grid">
                    <Seen state />
                    <Top5 state />
                </div>
                <p class="hint" id="classify-compared" role="status">{compared}</p>
            </Show>
        </section>
    }
}

/// The original beside the 32×32 pixels the model sees.
#[component]
fn Seen(state: State) -> impl IntoView {
    let shown = state.shown;
    let seen = move || shown.with(|s| s.as_ref().map(|s| picture::data_url(&s.picture.planar)));
    let original = move || shown.with(|s| s.as_ref().map(|s| s.original.clone()));
    let file = move || shown.with(|s| s.as_ref().and_then(|s| s.file.clone()));
    let source = move || {
        let l = lang();
        shown.with(|s| {
            s.as_ref()
                .map(|s| l.pick(&s.source[0], &s.source[1]).clone())
        })
    };
    let truth = move || {
        let t = shown.with(|s| s.as_ref().and_then(|s| s.truth))?;
        let name = class_name(t, lang());
        Some(lang().pick(
            format!(" True class: {name}."),
            format!(" 真实类别：{name}。"),
        ))
    };
    view! {
        <figure class="seen">
            <div class="pair">
                <img class="original" src=original alt=tr("Your image", "你的图片") />
                <img
                    class="pixelated"
                    src=seen
                    alt=tr("The 32 by 32 image the model sees", "模型看到的 32×32 图像")
                    width="128"
                    height="128"
                />
            </div>
            <figcaption>
                <span class="filename" translate="no">{file}</span>
                " "
                {source}
                <br />
                {tr("Right: the 32\u{d7}32 pixels the model sees.", "右：模型看到的 32\u{d7}32 像素。")}
                {truth}
            </figcaption>
        </figure>
    }
}

#[component]
fn Top5(state: State) -> impl IntoView {
    let truth = move || state.shown.with(|s| s.as_ref().and_then(|s| s.truth));
    let rows = move || {
        let ranked = state
            .result
            .with(|r| r.as_ref().map(|c| top5(&c.probs)))
            .unwrap_or_default();
        ranked
            .into_iter()
            .map(|(c, p)| {
                let width = format!("width: {:.1}%", 100.0 * p);
                view! {
                    <li class:hit=move || truth() == Some(c)>
                        <span class="name">{move || class_name(c, lang())}</span>
                        <span class="bar" aria-hidden="true">
                            <span style=width></span>
                        </span>
                        <span class="num">{format!("{:.1}%", 100.0 * p)}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let timing = move || state.result.with(|r| r.as_ref().map(|c| timing(c, lang())));
    let note = move || {
        state
            .result
            .with(|r| r.as_ref().and_then(|c| compressed_note(&c.model, lang())))
    };
    view! {
        <div class="top5-box">
            <ol class="top5" aria-label=tr("Top 5 classes", "前 5 个类别") class:stale=move || state.busy.get()>
                {rows}
            </ol>
            <p class="hint" id="classify-timing">{timing}</p>
            <p class="hint" id="classify-model-note">{note}</p>
        </div>
    }
}
