//! Which model a request means: one shipped with the site, or one saved in this
//! browser. Its text form (`lab-cnn`, `saved:run-17…`) is what model menus use
//! as `<option value>` and what the worker keys its caches by; it is written
//! and parsed here only.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The models shipped with the site (`public/models/{stem}.safetensors`, or
/// `.clz` for a compressed one, beside `{stem}.json`), in the order menus list them.
pub const SHIPPED: [&str; 5] = [
    "lab-cnn",
    COMPRESSED,
    "doc-cnn",
    "lab-cnn-s-distilled",
    "lab-cnn-s",
];

/// The shipped compressed model: `lab-cnn`, pruned, fine-tuned and quantized
/// by `lab compress --ship` (see the README).
pub const COMPRESSED: &str = "lab-cnn-p80q4";

/// A shipped model's file name.
pub fn shipped_file(stem: &str) -> String {
    if stem == COMPRESSED {
        format!("{stem}.clz")
    } else {
        format!("{stem}.safetensors")
    }
}

/// How a shipped compressed model was made (in its metadata JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompressedFrom {
    /// The file it was compressed from.
    pub source: String,
    pub source_bytes: usize,
    pub source_accuracy: f64,
    pub plan: crate::domain::Plan,
    /// Fine-tuning steps between pruning and quantization (0: none).
    pub finetune_steps: usize,
    pub finetune_seconds: f64,
    /// The fine-tune ran its forward passes through the quantized weights.
    #[serde(default)]
    pub quantization_aware: bool,
    /// The fine-tune learned from the original model's outputs (temperature,
    /// weight of that term) as well as the labels.
    #[serde(default)]
    pub distilled: Option<(f64, f64)>,
    /// The command that made it.
    pub command: String,
    /// The source and this model on the same test images, for the paired
    /// comparison (a native test scores both and checks these).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paired: Option<PairedScore>,
}

/// Two models scored on the same images: how many there were, and how many
/// only the source, or only the compressed model, gets right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PairedScore {
    pub images: usize,
    pub only_source: usize,
    pub only_this: usize,
}

/// A shipped model's name in the menus.
pub fn shipped_name(stem: &str, lang: crate::lang::Lang) -> &'static str {
    let [en, zh] = match stem {
        "lab-cnn" => [
            "Default CNN (pretrained, batch norm)",
            "默认 CNN（预训练，批归一化）",
        ],
        "doc-cnn" => ["The article's CNN (pretrained)", "文章中的 CNN（预训练）"],
        "lab-cnn-s-distilled" => [
            "Student CNN, distilled from the default CNN",
            "学生 CNN，由默认 CNN 蒸馏而来",
        ],
        "lab-cnn-s" => [
            "Student CNN, trained on labels alone",
            "学生 CNN，只用标签训练",
        ],
        COMPRESSED => [
            "Default CNN, compressed (pruned, 4-bit)",
            "默认 CNN，压缩版（剪枝，4 位）",
        ],
        _ => ["A model shipped with the site", "随站提供的模型"],
    };
    lang.pick(en, zh)
}

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
