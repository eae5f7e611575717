//! The two languages of the site. Plain Rust (no UI framework), so messages
//! built outside the page — engine errors, validation — are rendered and tested
//! natively in both; `ui::i18n` keeps the visitor's choice as a signal.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A message that can be written in either language.
pub trait Localized {
    fn message(&self, lang: Lang) -> String;
}

/// Text that exists in one language only (a library's own words).
impl Localized for String {
    fn message(&self, _: Lang) -> String {
        self.clone()
    }
}
