use leptos::prelude::*;

use crate::site::{HOME_DESCRIPTION, HOME_HEAD};
use crate::ui::{components::PageMeta, href, i18n::tr, sections::SECTIONS};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <PageMeta
            title=|| ""
            description=tr(HOME_DESCRIPTION.0, HOME_DESCRIPTION.1)
        />
        <section class="hero">
            <p class="eyebrow">{tr(HOME_HEAD[0].0, HOME_HEAD[0].1)}</p>
            <h1>{tr(HOME_HEAD[1].0, HOME_HEAD[1].1)}</h1>
            <p class="lede">{tr(HOME_HEAD[2].0, HOME_HEAD[2].1)}</p>
            <p class="lede">
                {tr("This site follows the article ", "本站以文章 ")}
                <cite lang="en">
                    "The Essence of Large Models: Compressing to the Shortest Program that Captures Your Data"
                </cite>
                {tr(
                    " (大模型的本质). It shows what the article says, recomputes every example, \
                     and marks where its numbers or formulas are wrong. ",
                    "（大模型的本质）为线索：呈现文章的原意，重新计算每个例子，并标出其数字或公式错误之处。",
                )}
                <a href=href("/tour")>{tr("Start the guided tour.", "从导读开始。")}</a>
            </p>
        </section>
        <section class="sections" aria-labelledby="sections-heading">
            <h2 id="sections-heading">{tr("What you can do here", "你可以在这里做什么")}</h2>
            <ul class="cards">
                {SECTIONS
                    .iter()
                    .map(|s| {
                        view! {
                            <li class="card">
                                <h3>
                                    <a href=href(s.path)>{tr(s.title.0, s.title.1)}</a>
                                </h3>
                                <p>{tr(s.summary.0, s.summary.1)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
