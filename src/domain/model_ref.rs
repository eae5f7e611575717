//! Which model a request means: one shipped with the site, or one saved in this
//! browser. Its text form (`lab-cnn`, `saved:run-17…`) is what model menus use
//! as `<option value>` and what the worker keys its caches by; it is written
//! and parsed here only.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The models shipped with the site (`public/models/{stem}.safetensors` beside
/// `{stem}.json`), in the order menus list them.
pub const SHIPPED: [&str; 4] = ["lab-cnn", "doc-cnn", "lab-cnn-s-distilled", "lab-cnn-s"];

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelRef {
    /// A model shipped with the site, by file stem.
    Shipped(String),
    /// A model saved in this browser (trained here, or a file loaded here), by key.
    Saved(String),
}

const SAVED: &str = "saved:";

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelRef::Shipped(stem) => f.write_str(stem),
            ModelRef::Saved(key) => write!(f, "{SAVED}{key}"),
        }
    }
}

impl FromStr for ModelRef {
    type Err = std::convert::Infallible;
    /// `saved:KEY` is a saved model; anything else names a shipped one (the
    /// worker answers "not found" for a stem it does not have).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.strip_prefix(SAVED) {
            Some(key) => ModelRef::Saved(key.to_string()),
            None => ModelRef::Shipped(s.to_string()),
        })
    }
}

impl ModelRef {
    /// Parses a menu value (never fails: see [`FromStr`]).
    pub fn parse(s: &str) -> ModelRef {
        match s.parse() {
            Ok(m) => m,
            Err(never) => match never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        for m in [
            ModelRef::Shipped("lab-cnn".into()),
            ModelRef::Saved("run-17".into()),
            ModelRef::Saved("saved:odd".into()),
        ] {
            assert_eq!(ModelRef::parse(&m.to_string()), m);
        }
        assert_eq!(ModelRef::parse("saved:k").to_string(), "saved:k");
        assert_eq!(
            ModelRef::parse("doc-cnn"),
            ModelRef::Shipped("doc-cnn".into())
        );
    }
}
