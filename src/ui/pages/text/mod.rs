//! The text page: a language model in the engine worker codes a text into a
//! `.lmz` file, beside the standard compressors run on the same bytes, and
//! decodes a picked file back. The figures and sentences come from
//! [`crate::page::text`]; the coders from [`crate::text`].

mod decode;
mod results;

use crate::domain::FileKind;
use crate::lang::Localized;
use crate::page::text::{check_length, Source, TextForm};
use crate::protocol::{Baseline, CodeText, CodedText, EngineError, TextBaselines};
use crate::ui::components::{Choice, CopyLink, Later, PageHead, PageMeta};
use crate::ui::download::picked_bytes;
use crate::ui::engine::Engine;
use crate::ui::engine::Status;
use crate::ui::i18n::{lang, lang_now, tr};
use crate::ui::net::{asset_url, fetch_with_progress};
use crate::ui::sections::{summary, title};
use crate::ui::url_state::keep_query;
use crate::{lens, text::Coder};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use std::sync::Arc;

/// A finished run: the text, its coded file and the compressors' sizes.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub source: Source,
    pub text: Arc<Vec<u8>>,
    pub coded: CodedText,
    pub baselines: Vec<Baseline>,
}

/// The page's state, shared by its sections.
#[derive(Clone, Copy)]
pub struct State {
    form: RwSignal<TextForm>,
    source: RwSignal<Source>,
    /// What the visitor typed or pasted.
    typed: RwSignal<String>,
    /// The file picked last: its name and bytes (coded with `Source::File`).
    picked: RwSignal<Option<(String, Arc<Vec<u8>>)>>,
    run: RwSignal<Option<Result<Run, String>>>,
    busy: RwSignal<bool>,
    /// The text coder's worker.
    coder: Engine,
}

impl State {
    /// The text to code, from where the visitor chose.
    async fn text(self) -> Result<Arc<Vec<u8>>, String> {
        let l = lang_now();
        match self.source.get_untracked() {
            Source::Article => {
                let buf = fetch_with_progress(&asset_url("data/article.md"), |_, _| {})
                    .await
                    .map_err(|e| {
                        l.pick(
                            format!(
                                "This build has no copy of the article ({}); paste a text or pick a file instead.",
                                e.message(l)
                            ),
                            format!("这个构建没有文章的副本（{}）；请粘贴文本或选择文件。", e.message(l)),
                        )
                    })?;
                Ok(Arc::new(js_sys::Uint8Array::new(&buf).to_vec()))
            }
            Source::Typed => Ok(Arc::new(self.typed.get_untracked().into_bytes())),
            Source::File(_) => self
                .picked
                .get_untracked()
                .map(|(_, b)| b)
                .ok_or_else(|| l.pick("Pick a file first.", "请先选择一个文件。").into()),
        }
    }

    fn start(self) {
        self.busy.set(true);
        self.run.set(None);
        let coder = self.form.get_untracked().coder;
        let source = self.source.get_untracked();
        spawn_local(async move {
            let result = self.code(source, coder).await;
            self.run.set(Some(result));
            self.busy.set(false);
        });
    }

    async fn code(self, source: Source, coder: Coder) -> Result<Run, String> {
        let text = self.text().await?;
        let message = |e: EngineError| e.message(lang_now());
        check_length(text.len()).map_err(message)?;
        if text.is_empty() {
            return Err(lang_now().pick("The text is empty.", "文本是空的。").into());
        }
        let engine = self.coder;
        engine.text_progress.set(None);
        let baselines = engine
            .call(TextBaselines {
                text: text.to_vec(),
            })
            .await
            .map_err(message)?;
        let coded = engine
            .call(CodeText {
                coder,
                text: text.to_vec(),
            })
            .await
            .map_err(message)?;
        Ok(Run {
            source,
            text,
            coded: *coded,
            baselines,
        })
    }
}

#[component]
pub fn Text() -> impl IntoView {
    let form = TextForm::from_query(&use_location().search.get_untracked());
    let s = State {
        form: RwSignal::new(form),
        source: RwSignal::new(Source::Article),
        typed: RwSignal::new(String::new()),
        picked: RwSignal::new(None),
        run: RwSignal::new(None),
        busy: RwSignal::new(false),
        coder: Engine::text(),
    };
    keep_query(move || s.form.with(TextForm::to_query));
    view! {
        <PageMeta title=title("/text") description=summary("/text") />
        <article class="page text-page">
            <PageHead path="/text">
                <CopyLink />
            </PageHead>
            <Later>
                <SourceSection s />
                <results::Results s />
                <decode::DecodeSection s />
            </Later>
        </article>
    }
}

/// Which text, which coder, and the button.
#[component]
fn SourceSection(s: State) -> impl IntoView {
    let form = s.form;
    let coder = lens!(form.coder);
    let coders = vec![
        (
            Coder::Learn,
            [
                "Learn as you go (starts knowing nothing)",
                "边编码边学习（从零开始）",
            ],
        ),
        (
            Coder::Pretrained,
            [
                "The pretrained model (read two books first)",
                "预训练模型（先读过两本书）",
            ],
        ),
    ];
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            let name = file.name();
            match picked_bytes(&file, FileKind::Text).await {
                Ok(b) => {
                    s.picked.set(Some((name.clone(), Arc::new(b))));
                    s.source.set(Source::File(name));
                }
                Err(e) => s.run.set(Some(Err(e.message(lang_now())))),
            }
        });
    };
    let is = move |want: fn(&Source) -> bool| move || s.source.with(want);
    view! {
        <section class="calculator" aria-labelledby="text-source-heading">
            <h2 id="text-source-heading">{tr("Code a text", "编码一段文本")}</h2>
            <fieldset class="choice">
                <legend>{tr("The text", "文本")}</legend>
                <label>
                    <input type="radio" name="text-source" id="text-source-article"
                        prop:checked=is(|s| *s == Source::Article)
                        on:change=move |_| s.source.set(Source::Article) />
                    {tr(
                        "The article this course reads (36,512 bytes, Chinese and English)",
                        "本课程所读的文章（36,512 字节，中英混排）",
                    )}
                </label>
                <label>
                    <input type="radio" name="text-source" id="text-source-typed"
                        prop:checked=is(|s| *s == Source::Typed)
                        on:change=move |_| s.source.set(Source::Typed) />
                    {tr("A text typed or pasted below", "在下面输入或粘贴的文本")}
                </label>
                <label>
                    <input type="radio" name="text-source" id="text-source-file"
                        disabled=move || s.picked.with(Option::is_none)
                        prop:checked=is(|s| matches!(s, Source::File(_)))
                        on:change=move |_| if let Some((name, _)) = s.picked.get_untracked() {
                            s.source.set(Source::File(name))
                        } />
                    {move || match s.picked.get() {
                        Some((name, _)) => lang().pick(format!("The file {name}"), format!("文件 {name}")),
                        None => lang().pick("A file you pick below".to_string(), "你在下面选择的文件".to_string()),
                    }}
                </label>
            </fieldset>
            <div class="field">
                <label for="text-typed">
                    {tr("Your text (up to 1 MiB; nothing leaves this browser)", "你的文本（最多 1 MiB；不会离开这个浏览器）")}
                </label>
                <textarea id="text-typed" rows="4" prop:value=move || s.typed.get()
                    on:input=move |ev| {
                        s.typed.set(event_target_value(&ev));
                        s.source.set(Source::Typed);
                    }></textarea>
            </div>
            <div class="field">
                <label for="text-pick">{tr(
                    "Or pick a text file (up to 1 MiB; read here, never uploaded)",
                    "或选择一个文本文件（最多 1 MiB；只在这里读取，从不上传）",
                )}</label>
                <input id="text-pick" type="file" accept=".txt,.md,text/*" on:change=on_file />
            </div>
            <Choice legend=tr("Coder", "编码器") name="text-coder" options=coders value=coder />
            <button id="text-code" type="button" class="button" on:click=move |_| s.start()
                prop:disabled=move || s.busy.get()>
                {move || if s.busy.get() {
                    tr("Coding\u{2026}", "正在编码\u{2026}").into_any()
                } else {
                    tr("Code it", "编码").into_any()
                }}
            </button>
            <Progress s />
            <CoderStatus />
        </section>
    }
}

/// The coder's progress through the text.
#[component]
fn Progress(s: State) -> impl IntoView {
    let engine = s.coder;
    view! {
        <Show when=move || s.busy.get()>
            {move || {
                let (done, total) = engine.text_progress.get().unwrap_or((0, 1));
                view! {
                    <progress id="text-progress" max=total.max(1) value=done
                        aria-label=move || lang().pick("Bytes coded", "已编码字节")></progress>
                }
            }}
        </Show>
    }
}

/// The text coder's download and start, and why it failed (it has no
/// backend to choose: it runs on the CPU).
#[component]
fn CoderStatus() -> impl IntoView {
    let status = Engine::text().status;
    let line = move || {
        let l = lang();
        match status.get() {
            Status::Idle => l
                .pick(
                    "The text coder (about 0.8 MB) loads when you press Code it.",
                    "文本编码器（约 0.8 MB）在你按下“编码”时载入。",
                )
                .to_string(),
            Status::Downloading { received, total } => {
                let mb = |b: f64| format!("{:.1} MB", b / 1e6);
                match total.filter(|t| *t > 0.0) {
                    Some(t) => l.pick(
                        format!("Downloading the text coder: {} of {}", mb(received), mb(t)),
                        format!("正在下载文本编码器：{} / {}", mb(received), mb(t)),
                    ),
                    None => l.pick(
                        format!("Downloading the text coder: {}", mb(received)),
                        format!("正在下载文本编码器：{}", mb(received)),
                    ),
                }
            }
            Status::Starting => l
                .pick(
                    "Starting the text coder\u{2026}",
                    "正在启动文本编码器\u{2026}",
                )
                .to_string(),
            Status::Ready { .. } => l
                .pick(
                    "The text coder runs in this browser, on the CPU, in one thread.",
                    "文本编码器在这个浏览器里、在 CPU 上单线程运行。",
                )
                .to_string(),
            Status::Failed(e) => e.message(l),
        }
    };
    view! { <p class="hint engine-line" id="text-coder-status">{line}</p> }
}
