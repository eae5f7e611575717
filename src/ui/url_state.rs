//! A page's state in its URL, through the router: each bound field takes its
//! value from the query when the page opens (a value that does not read
//! keeps the default), and the query follows every change (`replace`, so the
//! back button is not flooded). The encoding is [`crate::page::url`]'s.

use crate::page::url::{query_pairs, to_query};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::str::FromStr;

type Getter = Box<dyn Fn() -> String + Send + Sync>;

/// The fields of one page bound to its URL; [`UrlState::keep`] starts the sync.
/// Only values that differ from the page's defaults are written, so a page
/// as it opens has a plain address.
pub struct UrlState {
    initial: Vec<(String, String)>,
    fields: Vec<(&'static str, Getter, String)>,
}

impl UrlState {
    /// Reads the query the page was opened with.
    pub fn read() -> Self {
        let search = use_location().search.get_untracked();
        UrlState {
            initial: query_pairs(&search),
            fields: vec![],
        }
    }

    /// The opening query's value for `key`.
    pub fn initial(&self, key: &str) -> Option<&str> {
        self.initial
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn bind(&mut self, key: &'static str, get: Getter) {
        let default = untrack(&get);
        self.fields.push((key, get, default));
    }

    /// A text field, as typed (the page checks it like any typed text).
    pub fn text(&mut self, key: &'static str, s: RwSignal<String>) {
        self.bind(key, Box::new(move || s.get()));
        if let Some(v) = self.initial(key) {
            s.set(v.to_string());
        }
    }

    /// A number, kept only if it reads and `valid` accepts it.
    pub fn number<T>(&mut self, key: &'static str, s: RwSignal<T>, valid: fn(&T) -> bool)
    where
        T: FromStr + ToString + Clone + Send + Sync + 'static,
    {
        self.bind(key, Box::new(move || s.get().to_string()));
        if let Some(v) = self
            .initial(key)
            .and_then(|v| v.parse::<T>().ok())
            .filter(valid)
        {
            s.set(v);
        }
    }

    /// One of named values (`options`: the URL's word for each).
    pub fn choice<T>(
        &mut self,
        key: &'static str,
        s: RwSignal<T>,
        options: &'static [(&'static str, T)],
    ) where
        T: Copy + PartialEq + Send + Sync + 'static,
    {
        let word = move || {
            let now = s.get();
            options
                .iter()
                .find(|(_, v)| *v == now)
                .map_or("", |(k, _)| k)
                .to_string()
        };
        self.bind(key, Box::new(word));
        if let Some((_, v)) = self
            .initial(key)
            .and_then(|v| options.iter().find(|(k, _)| *k == v))
        {
            s.set(*v);
        }
    }

    /// A field the page reads itself from [`UrlState::initial`].
    pub fn derived(&mut self, key: &'static str, get: impl Fn() -> String + Send + Sync + 'static) {
        self.bind(key, Box::new(get));
    }

    /// From now on the URL's query follows the fields. Other keys in the
    /// query stay (several parts of a page may bind their own fields).
    pub fn keep(self) {
        let fields = self.fields;
        keep_query(move || {
            let values: Vec<(&str, String, bool)> = fields
                .iter()
                .map(|(k, get, default)| {
                    let v = get();
                    let d = v == *default;
                    (*k, v, d)
                })
                .collect();
            // The address as it is now (the router writes it synchronously).
            let mut pairs = query_pairs(&window().location().search().unwrap_or_default());
            for (k, v, is_default) in values {
                pairs.retain(|(pk, _)| pk != k);
                if !is_default {
                    pairs.push((k.to_string(), v));
                }
            }
            to_query(&pairs)
        });
    }
}

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
