use leptos::prelude::*;

use crate::site::HOME_DESCRIPTION;
use crate::ui::{components::PageMeta, href, i18n::tr, sections::SECTIONS};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <PageMeta
            title=|| ""
            description=tr(HOME_DESCRIPTION.0, HOME_DESCRIPTION.1)
        />
        <section class="hero">
            <p class="eyebrow">{tr("An interactive course, running entirely in your browser", "一门完全在浏览器中运行的交互式课程")}</p>
            <h1>{tr("A model is a compressed program for its data.", "模型是其数据的压缩程序。")}</h1>
            <p class="lede">
                {tr(
                    "If a model predicts the next label well, an encoder that uses its predictions needs \
                     fewer bits to write the labels down. The loss you minimise in training \
                     \u{2014} cross-entropy, measured in bits \u{2014} is exactly that code length. \
                     Learning is compression, and the best model gives the shortest description of the data: \
                     the model itself plus the labels coded with its predictions \u{2014} every label, the ones it \
                     gets right too (a label it gives p = 0.6 still costs 0.74 bit). That second part is a code \
                     length only for labels the model was not fitted to.",
                    "如果一个模型能很好地预测下一个标签，那么利用它的预测进行编码，写下这些标签所需的比特就更少。\
                     训练中最小化的损失——以比特计的交叉熵——恰好就是这个编码长度。\
                     学习就是压缩，最好的模型给出数据的最短描述：模型本身，加上用它的预测编码的标签——每一个标签，\
                     包括它预测对的（它给出 p = 0.6 的标签仍要 0.74 比特）。只有对模型没有拟合过的标签，\
                     第二部分才是编码长度。",
                )}
            </p>
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
