//! The site's sections (listed once, in [`crate::site`]) as the UI reads them:
//! the header, the home page and each page's title and meta description.

use crate::site::section;
pub use crate::site::SECTIONS;

/// The page title of the section at `path`, in the current language.
pub fn title(path: &str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let s = section(path);
    crate::ui::i18n::tr(s.page_title.0, s.page_title.1)
}

/// The summary of the section at `path`, in the current language: the page's
/// meta description.
pub fn summary(path: &str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let s = section(path);
    crate::ui::i18n::tr(s.summary.0, s.summary.1)
}
