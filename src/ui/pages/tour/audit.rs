//! The end of the tour: every sentence of the article and what checks it
//! (the list and its test are in [`crate::tour::audit`]).

use crate::tour::all_claims;
use crate::tour::audit::{counts, shown, Cover, SPANS};
use crate::ui::i18n::{lang, tr, Lang};
use leptos::prelude::*;

#[component]
pub fn Audit() -> impl IntoView {
    let [cards, framing, listing, opinion, colophon] = counts();
    let total = cards + framing + listing + opinion + colophon;
    let summary = move || {
        match lang() {
        Lang::En => format!(
            "The article's prose has {total} sentences (code and headings aside). {cards} state something \
             checkable, and every one of them is checked on a card above; the other {} are framing \
             ({framing}), entries of reading and tool lists ({listing}), forecasts ({opinion}) and a closing \
             note to whoever commissioned the text ({colophon}).",
            total - cards
        ),
        Lang::Zh => format!(
            "文章正文（不计代码和标题）共有 {total} 句。其中 {cards} 句说了可以核查的内容，每一句都在上面的某张卡片上\
             核查过；其余 {} 句是铺垫（{framing}）、书目和工具列表的条目（{listing}）、对未来的预测（{opinion}），\
             以及文末写给委托人的话（{colophon}）。",
            total - cards
        ),
    }
    };
    view! {
        <section class="chapter" id="audit" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{tr("Every sentence, accounted for", "每一句话都有着落")}</h2>
            <p id="audit-summary">{summary}</p>
            <details>
                <summary>{tr("The list, run by run of sentences", "清单：按连续的句子逐段列出")}</summary>
                <div class="table-wrap">
                    <table class="terms audit">
                        <thead>
                            <tr>
                                <th scope="col">{tr("The article's words", "原文")}</th>
                                <th scope="col">{tr("Sentences", "句数")}</th>
                                <th scope="col">{tr("What checks it", "由什么核查")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {SPANS
                                .iter()
                                .map(|s| view! { <Row from=s.from n=s.sentences cover=s.cover /> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

#[component]
fn Row(from: &'static str, n: usize, cover: Cover) -> impl IntoView {
    let english = from.is_ascii();
    let what = match cover {
        Cover::Card(q) => {
            let found = all_claims().find(|(_, c)| c.quote.contains(q));
            found
                .map(|(ch, c)| {
                    let i = ch.claims.iter().position(|x| x.quote == c.quote).unwrap_or(0);
                    let verdict = c.verdict;
                    let quote: String = c.quote.chars().take(14).collect();
                    view! {
                        <a href=format!("#{}", super::claim_id(ch, i))>
                            {move || lang().pick(format!("{}: ", verdict.en()), format!("{}：", verdict.zh()))}
                            <q lang="zh-Hans">{quote}"\u{2026}"</q>
                        </a>
                    }
                    .into_any()
                })
                .unwrap_or_else(|| ().into_any())
        }
        other => view! { <span>{move || other.name(lang() == Lang::Zh)}</span> }.into_any(),
    };
    view! {
        <tr class=format!("audit-{}", if matches!(cover, Cover::Card(_)) { "card" } else { "other" })>
            <td>
                <q lang=if english { "en" } else { "zh-Hans" }>{shown(from)}"\u{2026}"</q>
            </td>
            <td class="num">{n}</td>
            <td>{what}</td>
        </tr>
    }
}
