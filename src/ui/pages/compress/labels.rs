//! The labels as a real file: the test labels arithmetic-coded with the
//! model's probabilities, offered as a download, and decoded back here from
//! a file the visitor picks, with the model and the images alone. The sizes
//! and sentences are in [`crate::page::compress`]; the coder in `math::arith`.

use super::State;
use crate::domain::FileKind;
use crate::lang::Localized;
use crate::page::compress::{coded_line, coded_rows, decoded_line};
use crate::protocol::{CodeLabels, CodedLabels, DecodeLabels, EngineError};
use crate::ui::components::{Choice, Rich};
use crate::ui::download::{picked_bytes, save_file};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang, lang_now, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which model codes the labels: as trained, or compressed with the plan above.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Trained,
    Compressed,
}

#[component]
pub fn LabelsSection(state: State) -> impl IntoView {
    let engine = Engine::get();
    let which = RwSignal::new(Which::Compressed);
    let coded = RwSignal::new(None::<Result<CodedLabels, EngineError>>);
    let busy = RwSignal::new(false);
    let plan =
        move || (which.get_untracked() == Which::Compressed).then(|| state.plan.get_untracked());
    let code = move |_| {
        let request = CodeLabels {
            model: state.model_ref(),
            plan: plan(),
            images: state.images.get_untracked(),
        };
        busy.set(true);
        coded.set(None);
        spawn_local(async move {
            coded.set(Some(engine.call(request).await));
            busy.set(false);
        });
    };
    let download = move |_| {
        coded.with_untracked(|c| {
            if let Some(Ok(c)) = c {
                save_file(&c.file.name, &c.file.bytes);
            }
        })
    };
    let options = vec![
        (
            Which::Compressed,
            [
                "The compressed model (the plan above)",
                "压缩后的模型（上面的方案）",
            ],
        ),
        (Which::Trained, ["The model as trained", "训练好的原模型"]),
    ];
    let result = move || {
        coded.get().map(|r| match r {
            Ok(c) => {
                let rows = coded_rows(&c, lang());
                view! {
                    <p id="labels-line" role="status">{coded_line(&c, lang())}</p>
                    <div class="table-wrap">
                        <table class="terms" id="labels-sizes">
                            <caption>{tr("The labels file", "标签文件")}</caption>
                            <tbody>
                                {rows.into_iter().map(|(k, v)| view! {
                                    <tr><td>{k}</td><td class="num">{v}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <button id="labels-download" type="button" class="button secondary" on:click=download>
                        {tr("Download the labels file", "下载标签文件")}
                    </button>
                }
                .into_any()
            }
            Err(e) => view! { <p class="error" role="alert">{e.message(lang())}</p> }.into_any(),
        })
    };
    view! {
        <section class="calculator" aria-labelledby="labels-heading">
            <h2 id="labels-heading">{tr("The labels as a file you can decode", "把标签变成可以解码的文件")}</h2>
            <p>
                <Rich text=tr(
                    "L(labels | model) is not only a number. An arithmetic coder (Witten, Neal & Cleary, 1987) \
                     turns the model's probabilities into bits. It codes each label under q, the model's \
                     probability rounded to a multiple of 2\u{207b}\u{b9}\u{2076} and at least \
                     2\u{207b}\u{b9}\u{2076}, \
                     so a label costs \u{2212}log\u{2082} q bits (never more than 16), and the file ends at most two \
                     bits above their sum, plus the padding to a byte and the header. For a confidently wrong \
                     model the file can be shorter than \u{3a3} \u{2212}log\u{2082} p, which is no bound on it. \
                     Whoever has the same model and the images, but not the labels, \
                     decodes them exactly. Both ends run on the CPU backend: the coder needs bit-identical \
                     probabilities, which GPU kernels do not promise from one run to the next.",
                    "L(标签 | 模型) 不只是一个数。算术编码器（Witten, Neal & Cleary, 1987）把模型的概率变成比特：\
                     它用 q 编码每个标签：q 是模型的概率取整到 2\u{207b}\u{b9}\u{2076} 的倍数、且至少为 \
                     2\u{207b}\u{b9}\u{2076}，所以一个标签花 \u{2212}log\u{2082} q 比特（最多 16 比特），整个文件\
                     最多比它们的和多两个比特，另加补齐到整字节的位和文件头。对于自信地判错的模型，文件可能比 \
                     \u{3a3} \u{2212}log\u{2082} p 还短：后者并不是它的下界。拥有同一个模型和这些图片\
                     （但没有标签）的人能把标签一个不差地解码出来。两端都在 CPU 后端上运行：编码器需要逐位相同的\
                     概率，而 GPU 内核不保证每次运行都给出相同的结果。",
                ) />
            </p>
            <Choice legend=tr("Code with", "编码所用模型") name="labels-model" options value=which />
            <button
                id="labels-code"
                type="button"
                class="button"
                on:click=code
                prop:disabled=move || busy.get() || !state.has_data.get()
            >
                {move || if busy.get() {
                    tr("Coding\u{2026}", "正在编码\u{2026}").into_any()
                } else {
                    lang().pick("Code the test labels", "编码测试标签").into_any()
                }}
            </button>
            {result}
            <DecodeField state which />
        </section>
    }
}

/// Picks a labels file and decodes it with the chosen model.
#[component]
fn DecodeField(state: State, which: RwSignal<Which>) -> impl IntoView {
    let engine = Engine::get();
    let message = RwSignal::new(None::<Result<String, String>>);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let plan = (which.get_untracked() == Which::Compressed).then(|| state.plan.get_untracked());
        let model = state.model_ref();
        message.set(None);
        spawn_local(async move {
            let name = file.name();
            let bytes = match picked_bytes(&file, FileKind::Labels).await {
                Ok(b) => b,
                Err(e) => return message.set(Some(Err(e.message(lang_now())))),
            };
            let reply = engine
                .call(DecodeLabels {
                    model,
                    plan,
                    name,
                    bytes,
                })
                .await;
            let l = lang_now();
            message.set(Some(
                reply.map(|d| decoded_line(&d, l)).map_err(|e| e.message(l)),
            ));
        });
    };
    view! {
        <div class="field">
            <label for="labels-file">
                {tr(
                    "Decode a labels file with the model chosen above (nothing is uploaded)",
                    "用上面选择的模型解码一个标签文件（不会上传任何东西）",
                )}
            </label>
            <input id="labels-file" type="file" accept=".cll" on:change=on_file />
        </div>
        {move || message.get().map(|m| match m {
            Ok(s) => view! { <p id="labels-decoded" role="status">{s}</p> }.into_any(),
            Err(s) => view! { <p id="labels-decoded" class="error" role="alert">{s}</p> }.into_any(),
        })}
    }
}
