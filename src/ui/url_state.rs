//! A page's state in its URL, through the router. Each page model reads its
//! form from the query it opens with (`from_query`, natively tested) and
//! writes it back (`to_query`); the query follows every change (`replace`,
//! so the back button is not flooded).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Keeps the URL's query equal to `query()` (tracked), through the router.
pub fn keep_query(query: impl Fn() -> String + Send + Sync + 'static) {
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let q = query();
        if location.search.get_untracked().trim_start_matches('?') == q.trim_start_matches('?') {
            return;
        }
        let path = location.pathname.get_untracked();
        navigate(
            &format!("{path}{q}"),
            NavigateOptions {
                replace: true,
                scroll: false,
                resolve: false,
                ..Default::default()
            },
        );
    });
}
