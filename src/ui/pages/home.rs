use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::{href, sections::SECTIONS};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero">
            <p class="eyebrow">"An interactive course, running entirely in your browser"</p>
            <h1>"A model is a compressed program for its data."</h1>
            <p class="lede">
                "If a model predicts the next label well, an encoder that uses its predictions needs "
                "fewer bits to write the labels down. The loss you minimise in training "
                "\u{2014} cross-entropy, measured in bits \u{2014} is exactly that code length. "
                "Learning is compression, and the best model is the shortest description of the data: "
                "the model itself plus what it still gets wrong."
            </p>
            <p class="lede">
                "This site follows the article "
                <cite>"The Essence of Large Models: Compressing to the Shortest Program that Captures Your Data"</cite>
                " (大模型的本质). It shows what the article says, recomputes every example, "
                "and marks where its numbers or formulas are wrong."
            </p>
        </section>
        <section class="sections" aria-labelledby="sections-heading">
            <h2 id="sections-heading">"What you can do here"</h2>
            <ul class="cards">
                {SECTIONS
                    .iter()
                    .map(|s| {
                        view! {
                            <li class="card">
                                <h3>
                                    <a href=href(s.path)>{s.title}</a>
                                </h3>
                                <p>{s.summary}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
