//! Model menus and the list of models saved in this browser, shared by the
//! training, compression and classify pages.

use crate::domain::model_ref::{shipped_name, SHIPPED};
use crate::domain::FileKind;
use crate::lang::Localized;
use crate::protocol::{DeleteModel, ExportModel, ImportModel, ListModels, SavedModel};
use crate::ui::download::{picked_bytes, save_file};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang, lang_now, tr, Lang};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The models saved in this browser, re-read whenever they change.
pub fn saved_models() -> LocalResource<Vec<SavedModel>> {
    let engine = Engine::get();
    LocalResource::new(move || {
        engine.models_changed.track();
        async move { engine.call(ListModels {}).await.unwrap_or_default() }
    })
}

/// The `<option>`s of a model menu: the shipped models, then every model saved
/// in this browser (`value` = a [`crate::domain::ModelRef`]'s text form),
/// optionally without the compressed ones.
#[component]
pub fn ModelOptions(
    saved: LocalResource<Vec<SavedModel>>,
    #[prop(optional)] uncompressed_only: bool,
) -> impl IntoView {
    view! {
        {SHIPPED
            .iter()
            .map(|stem| view! { <option value=*stem>{move || shipped_name(stem, lang())}</option> })
            .collect_view()}
        {move || {
            saved
                .get()
                .unwrap_or_default()
                .into_iter()
                .filter(|m| !(uncompressed_only && m.compressed))
                .map(|m| {
                    let value = m.model_ref().to_string();
                    let text = move || format!("{}{}", tr("Saved here: ", "本浏览器保存：")(), m.label(lang()));
                    view! { <option value=value>{text}</option> }
                })
                .collect_view()
        }}
    }
}

/// One saved model's line: "name (arch, 123 kB, 71.2% on the test set)".
fn saved_line(m: &SavedModel, lang: Lang) -> String {
    let kb = m.bytes / 1000;
    // With its test-image count, the accuracy carries its 95 % interval.
    if let (Some(a), Some(n)) = (m.test_accuracy, m.test_images) {
        let acc = crate::math::stats::accuracy_line((a * n as f64).round() as usize, n, lang);
        return lang.pick(
            format!(
                "{} ({}, {kb} kB, {acc} on the test set)",
                m.label(lang),
                m.arch
            ),
            format!(
                "{}（{}，{kb} kB，测试集准确率 {acc}）",
                m.label(lang),
                m.arch
            ),
        );
    }
    match (lang, m.test_accuracy) {
        (Lang::En, Some(a)) => format!(
            "{} ({}, {kb} kB, {:.1}% on the test set)",
            m.label(lang),
            m.arch,
            100.0 * a
        ),
        (Lang::En, None) => format!("{} ({}, {kb} kB)", m.label(lang), m.arch),
        (Lang::Zh, Some(a)) => format!(
            "{}（{}，{kb} kB，测试集准确率 {:.1}%）",
            m.label(lang),
            m.arch,
            100.0 * a
        ),
        (Lang::Zh, None) => format!("{}（{}，{kb} kB）", m.label(lang), m.arch),
    }
}

/// Loads a weights file the visitor picked and saves it here; what happened, in words.
async fn import_file(engine: Engine, file: web_sys::File) -> String {
    let name = file.name();
    let l = lang_now();
    let bytes = match picked_bytes(&file, FileKind::Model).await {
        Ok(b) => b,
        Err(e) => return e.message(l),
    };
    match engine
        .call(ImportModel {
            name: name.clone(),
            bytes,
        })
        .await
    {
        Ok(m) => l.pick(
            format!("Loaded {name} ({}); it is saved in this browser.", m.arch),
            format!("已载入 {name}（{}），并保存在本浏览器中。", m.arch),
        ),
        Err(e) => e.message(l),
    }
}

/// Models saved in this browser: download, delete; load a weights file.
#[component]
pub fn SavedModels() -> impl IntoView {
    let engine = Engine::get();
    let message = RwSignal::new(None::<String>);
    let list = saved_models();
    let download = move |m: SavedModel| {
        spawn_local(async move {
            match engine.call(ExportModel { key: m.key.clone() }).await {
                Ok(f) => save_file(
                    &format!(
                        "{}.{}",
                        m.key,
                        if m.compressed { "clz" } else { "safetensors" }
                    ),
                    &f.bytes,
                ),
                Err(e) => message.set(Some(e.message(lang_now()))),
            }
        })
    };
    let remove = move |key: String| {
        spawn_local(async move {
            if let Err(e) = engine.call(DeleteModel { key }).await {
                message.set(Some(e.message(lang_now())));
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move { message.set(Some(import_file(engine, file).await)) });
    };
    let items = move |ms: Vec<SavedModel>| {
        ms.into_iter()
            .map(|m| {
                let key = m.key.clone();
                let (m1, m2) = (m.clone(), m.clone());
                let text = {
                    let m = m.clone();
                    move || saved_line(&m, lang())
                };
                view! {
                    <li>
                        <span>{text}</span>
                        <button
                            type="button"
                            class="small-button"
                            aria-label=move || format!("{} {}", tr("Download", "下载")(), m1.label(lang()))
                            on:click=move |_| download(m.clone())
                        >
                            {tr("Download", "下载")}
                        </button>
                        <button
                            type="button"
                            class="small-button"
                            aria-label=move || format!("{} {}", tr("Delete", "删除")(), m2.label(lang()))
                            on:click=move |_| remove(key.clone())
                        >
                            {tr("Delete", "删除")}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="calculator" aria-labelledby="saved-heading">
            <h2 id="saved-heading">{tr("Models saved in this browser", "保存在本浏览器中的模型")}</h2>
            <p class="hint">
                {tr(
                    "Every epoch is saved here (IndexedDB) as it finishes, so a reload or a lost GPU keeps \
                     the work. Saved models appear on the classify page.",
                    "每个周期结束时都会保存在这里（IndexedDB），所以重新加载或 GPU 丢失都不会丢掉已完成的工作。\
                     保存的模型会出现在分类页面上。",
                )}
            </p>
            <Suspense fallback=|| {
                view! { <p class="hint">{tr("Reading saved models\u{2026}", "正在读取保存的模型\u{2026}")}</p> }
            }>
                {move || list.get().map(|ms| if ms.is_empty() {
                    view! { <p id="saved-none">{tr("None yet.", "还没有。")}</p> }.into_any()
                } else {
                    view! { <ul class="saved" aria-label=tr("Saved models", "保存的模型")>{items(ms)}</ul> }.into_any()
                })}
            </Suspense>
            <super::StorageLine models=Signal::derive(move || list.get().map_or(0, |m| m.len())) />
            <div class="field">
                <label for="model-file">
                    {tr(
                        "Load a weights file (.safetensors or a compressed .clz from this site)",
                        "载入权重文件（.safetensors，或本站生成的压缩 .clz 文件）",
                    )}
                </label>
                <input id="model-file" type="file" accept=".safetensors,.clz" on:change=on_file />
            </div>
            <p class="error" id="saved-message" role="alert">{move || message.get()}</p>
        </section>
    }
}
