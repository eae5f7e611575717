use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::ui::href;

#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <Title text="Page not found" />
        <section class="page narrow not-found">
            <h1>"Page not found"</h1>
            <p>
                "There is no page at "
                <code>{move || location.pathname.get()}</code>
                ". It may have moved, or the link has a typo."
            </p>
            <p>
                <a class="button" href=href("/")>"Go to the home page"</a>
            </p>
        </section>
    }
}
