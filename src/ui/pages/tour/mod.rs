//! The guided tour: the document chapter by chapter (content in [`crate::tour`]),
//! each claim with its verdict, links into the live pages, and the Keras model
//! beside the project's Burn code.

mod audit;

use leptos::prelude::*;

use crate::ui::{
    components::{rich, Later, PageHead, PageMeta, Rich},
    sections::{summary, title},
};

use crate::tour::{
    all_claims, burn_model, Chapter, Claim, Ref, Verdict, CHAPTERS, DIFFERENCES, KERAS_MODEL,
};
use crate::ui::{
    href,
    i18n::{lang, tr, Lang},
};

#[component]
pub fn Tour() -> impl IntoView {
    let count = |v: Verdict| all_claims().filter(|(_, c)| c.verdict == v).count();
    let (ok, partly, unsupported, wrong) = (
        count(Verdict::Correct),
        count(Verdict::Partly),
        count(Verdict::Unsupported),
        count(Verdict::Wrong),
    );
    let total = ok + partly + unsupported + wrong;
    view! {
        <PageMeta title=title("/tour") description=summary("/tour") />
        <article class="page tour">
            <PageHead path="/tour">
                <p class="verdict-summary">
                    {move || {
                        match lang() {
                            Lang::En => format!(
                                "{total} claims checked: {ok} correct, {partly} partly correct, {unsupported} \
                                 unsupported, {wrong} wrong."
                            ),
                            Lang::Zh => format!(
                                "共核查{total}个论断：{ok}个正确，{partly}个部分正确，{unsupported}个缺乏依据，{wrong}个错误。"
                            ),
                        }
                    }}
                </p>
            </PageHead>

            <nav class="toc" aria-label=tr("Chapters", "章节")>
                <ol>
                    {CHAPTERS
                        .iter()
                        .map(|c| {
                            view! {
                                <li>
                                    <a href=format!("#{}", c.id)>
                                        <span lang="zh-Hans">{c.zh}</span>
                                        " \u{b7} "
                                        <span lang="en">{c.en}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </nav>
            {CHAPTERS
                .iter()
                .enumerate()
                .map(|(i, c)| view! { <Later><ChapterView chapter=c next=CHAPTERS.get(i + 1) /></Later> })
                .collect_view()}
            <Later>
                <audit::Audit />
            </Later>
        </article>
    }
}

#[component]
fn ChapterView(chapter: &'static Chapter, next: Option<&'static Chapter>) -> impl IntoView {
    let heading = format!("{}-heading", chapter.id);
    let heading_id = heading.clone();
    let code = (chapter.id == "practice").then(|| view! { <CodeCompare /> });
    view! {
        <section class="chapter" id=chapter.id aria-labelledby=heading.clone()>
            <h2 id=heading_id>
                <span lang="zh-Hans">{chapter.zh}</span>
                <span class="en-heading" lang="en">{chapter.en}</span>
            </h2>
            <p>
                <Rich text=tr(chapter.summary_en, chapter.summary_zh) />
            </p>
            {(!chapter.live.is_empty())
                .then(|| {
                    view! {
                        <p class="live-links">
                            <span class="small">{tr("Try it live: ", "动手试试：")}</span>
                            {chapter
                                .live
                                .iter()
                                .map(|l| view! { <a class="chip" href=href(l.path)>{tr(l.en, l.zh)}</a> })
                                .collect_view()}
                        </p>
                    }
                })}
            <ul class="claims">
                {chapter
                    .claims
                    .iter()
                    .enumerate()
                    .map(|(i, c)| view! { <ClaimView claim=c id=claim_id(chapter, i) /> })
                    .collect_view()}
            </ul>
            {code}
            {next
                .map(|n| {
                    view! {
                        <p class="next-chapter">
                            <a href=format!("#{}", n.id)>
                                {tr("Next chapter: ", "下一章：")}
                                <span lang="zh-Hans">{n.zh}</span>
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}

/// The anchor of a chapter's `i`-th card (the audit at the end links to it).
pub(crate) fn claim_id(chapter: &Chapter, i: usize) -> String {
    format!("claim-{}-{}", chapter.id, i + 1)
}

#[component]
fn ClaimView(claim: &'static Claim, id: String) -> impl IntoView {
    let v = claim.verdict;
    view! {
        <li class=format!("claim verdict-{}", v.key()) id=id>
            <p class="verdict">
                <span class="badge">{tr(v.en(), v.zh())}</span>
            </p>
            <blockquote lang="zh-Hans">{claim.quote}</blockquote>
            <Show when=move || lang() == Lang::En>
                <p class="claim-en" lang="en">
                    <strong>"Claim: "</strong>
                    {claim.claim_en}
                </p>
            </Show>
            <p class="check">{move || rich(&claim.check(lang() == Lang::Zh))}</p>
            <p class="reference small">
                <span>{tr("Reference: ", "参考文献：")}</span>
                {match claim.reference {
                    Ref::Work(w) => view! { <cite lang="en">{w}</cite> }.into_any(),
                    Ref::Own(en, zh) => tr(en, zh).into_any(),
                }}
            </p>
            {claim
                .live
                .map(|l| {
                    view! {
                        <p class="live-link">
                            <a href=href(l.path)>{tr(l.en, l.zh)} " \u{2192}"</a>
                        </p>
                    }
                })}
        </li>
    }
}

#[component]
fn CodeCompare() -> impl IntoView {
    view! {
        <section class="code-compare" aria-labelledby="code-compare-heading">
            <h3 id="code-compare-heading">{tr("The same model in Keras and in Burn", "同一个模型：Keras与Burn")}</h3>
            <div class="code-pair">
                <figure>
                    <figcaption>{tr("The article (Python, Keras)", "原文（Python，Keras）")}</figcaption>
                    <pre tabindex="0"><code>{KERAS_MODEL}</code></pre>
                </figure>
                <figure>
                    <figcaption>
                        {tr("This project (Rust, Burn), from ", "本项目（Rust，Burn），摘自 ")}
                        <code>"src/engine/model.rs"</code>
                    </figcaption>
                    <pre tabindex="0"><code>{burn_model()}</code></pre>
                </figure>
            </div>
            <h4>{tr("What differs", "有哪些不同")}</h4>
            <ul class="differences">
                {DIFFERENCES
                    .iter()
                    .map(|(en, zh)| view! { <li><Rich text=tr(en, zh) /></li> })
                    .collect_view()}
            </ul>
        </section>
    }
}
