use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::site::NOT_FOUND;
use crate::ui::{components::PageMeta, href, i18n::tr};

#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <PageMeta
            title=tr(NOT_FOUND.0 .0, NOT_FOUND.0 .1)
            description=tr(NOT_FOUND.1 .0, NOT_FOUND.1 .1)
        />
        <section class="page narrow not-found">
            <h1>{tr("Page not found", "页面不存在")}</h1>
            <p>
                {tr("There is no page at ", "这个地址没有页面：")}
                <code>{move || location.pathname.get()}</code>
                {tr(". It may have moved, or the link has a typo.", "。它可能已被移动，或者链接有误。")}
            </p>
            <p>
                <a class="button" href=href("/")>{tr("Go to the home page", "回到首页")}</a>
            </p>
        </section>
    }
}
