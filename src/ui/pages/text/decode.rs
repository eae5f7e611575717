//! The coded text as a real file: a download, and a file picked here decoded
//! back with the model alone, checked byte for byte (and by its CRC-32).

use super::State;
use crate::domain::FileKind;
use crate::lang::Localized;
use crate::page::text::decode_check;
use crate::protocol::DecodeText;
use crate::ui::download::{picked_bytes, save_file};
use crate::ui::engine::Engine;
use crate::ui::i18n::{lang_now, tr};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What decoding a file gave: the check, and the start of the text.
#[derive(Clone)]
enum Outcome {
    Decoded {
        ok: bool,
        line: String,
        preview: String,
    },
    Failed(String),
}

#[component]
pub fn DecodeSection(s: State) -> impl IntoView {
    let engine = Engine::text();
    let outcome = RwSignal::new(None::<Outcome>);
    let decoding = RwSignal::new(false);
    let download = move |_| {
        s.run.with_untracked(|r| {
            if let Some(Ok(run)) = r {
                save_file(&run.source.coded_name(), &run.coded.file);
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        outcome.set(None);
        decoding.set(true);
        spawn_local(async move {
            let name = file.name();
            let result = match picked_bytes(&file, FileKind::CodedText).await {
                Err(e) => Outcome::Failed(e.message(lang_now())),
                Ok(bytes) => match engine.call(DecodeText { name, file: bytes }).await {
                    Err(e) => Outcome::Failed(e.message(lang_now())),
                    Ok(d) => {
                        let original = s.run.with_untracked(|r| match r {
                            Some(Ok(run)) => Some(run.text.clone()),
                            _ => None,
                        });
                        let (ok, line) = decode_check(
                            &d.text,
                            original.as_deref().map(|t| t.as_slice()),
                            lang_now(),
                        );
                        let preview: String =
                            String::from_utf8_lossy(&d.text).chars().take(600).collect();
                        Outcome::Decoded { ok, line, preview }
                    }
                },
            };
            outcome.set(Some(result));
            decoding.set(false);
        });
    };
    view! {
        <section class="calculator" aria-labelledby="text-decode-heading">
            <h2 id="text-decode-heading">{tr("The file, and decoding it back", "文件，以及把它解码回来")}</h2>
            <p>{tr(
                "The .lmz file holds a 20-byte header (the coder, the model's id, the text's length and CRC-32) \
                 and the \
                 arithmetic code. Whoever has the same model decodes it byte for byte: the decoder makes the same \
                 predictions, in the same order, with integer and fixed-order arithmetic on the CPU, and learns from \
                 each byte it decodes exactly as the coder learned from it. A damaged file, or one coded with another \
                 model, is refused, never turned into wrong text.",
                "这个 .lmz 文件包含 20 字节的文件头（编码器、模型编号、文本长度和 CRC-32）和算术编码。拥有同一模型的人能逐字节解码：\
                 解码器在 CPU 上用整数和固定顺序的运算，按同样的顺序做出同样的预测，并像编码器那样从每个解出的字节中学习。\
                 损坏的文件、或用另一个模型编码的文件会被拒绝，绝不会变成错误的文本。",
            )}</p>
            <button id="text-download" type="button" class="button secondary" on:click=download
                prop:disabled=move || !s.run.with(|r| matches!(r, Some(Ok(_))))>
                {tr("Download the .lmz file", "下载 .lmz 文件")}
            </button>
            <div class="field">
                <label for="text-file">{tr(
                    "Decode a .lmz file with this page's model (read here, never uploaded)",
                    "用本页的模型解码一个 .lmz 文件（只在这里读取，从不上传）",
                )}</label>
                <input id="text-file" type="file" accept=".lmz" on:change=on_file />
            </div>
            <Show when=move || decoding.get()>
                <p role="status">{tr("Decoding\u{2026}", "正在解码\u{2026}")}</p>
            </Show>
            {move || outcome.get().map(|o| match o {
                Outcome::Decoded { ok, line, preview } => view! {
                    <p id="text-decoded" role="status" class:ok=ok>{line}</p>
                    <pre class="decoded-preview" id="text-decoded-preview" translate="no">{preview}</pre>
                }.into_any(),
                Outcome::Failed(e) => view! { <p id="text-decoded" class="error" role="alert">{e}</p> }.into_any(),
            })}
        </section>
    }
}
