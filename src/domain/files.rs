//! What a visitor's file may be, checked before it is read: the largest
//! model and coded-labels files this site can have written. A file above its
//! limit is refused by its size (`File.size`) before a byte of it is read,
//! and again by the worker and every decoder, so no header can make the
//! browser allocate more than a real file of that kind needs.

use crate::lang::{Lang, Localized};
use crate::math::format::{fmt_bytes, fmt_int};
use serde::{Deserialize, Serialize};

/// The largest model file (safetensors or `.clz`) this site reads: 4 MB.
/// The largest architecture (`lab-cnn`, every value as f32) is a 1.24 MB
/// file; `codec::arch`'s tests hold every architecture against this limit.
pub const MAX_MODEL_FILE_BYTES: u64 = 4_000_000;

/// The most labels a coded-labels file may declare: CIFAR-10's whole test set.
pub const MAX_LABELS: u64 = 10_000;

/// The largest coded-labels file: every label at the coder's most expensive
/// (16 bits: no probability is coded below 2⁻¹⁶), plus the header and the
/// ending. `codec::labels`'s tests code 10,000 maximally wrong labels under it.
pub const MAX_LABELS_FILE_BYTES: u64 = 2 * MAX_LABELS + 64;

/// Which kind of file a limit is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Model,
    Labels,
    /// A text to code (at most `text::file::MAX_TEXT`).
    Text,
    /// A coded text, `.lmz` (at most `text::file::MAX_FILE`).
    CodedText,
}

impl FileKind {
    pub fn limit(self) -> u64 {
        match self {
            FileKind::Model => MAX_MODEL_FILE_BYTES,
            FileKind::Labels => MAX_LABELS_FILE_BYTES,
            FileKind::Text => crate::text::file::MAX_TEXT as u64,
            FileKind::CodedText => crate::text::file::MAX_FILE as u64,
        }
    }
}

/// A file refused before it is read: its name, its size and the limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oversized {
    pub name: String,
    pub kind: FileKind,
    pub bytes: u64,
}

impl Oversized {
    /// `Err` when a file of `bytes` is over the limit for its kind.
    pub fn check(name: &str, kind: FileKind, bytes: u64) -> Result<(), Oversized> {
        if bytes > kind.limit() {
            return Err(Oversized {
                name: name.to_string(),
                kind,
                bytes,
            });
        }
        Ok(())
    }
}

impl Localized for Oversized {
    fn message(&self, lang: Lang) -> String {
        let (name, size) = (&self.name, fmt_bytes(self.bytes as f64));
        let limit = fmt_bytes(self.kind.limit() as f64);
        let labels = fmt_int(MAX_LABELS);
        match (self.kind, lang) {
            (FileKind::Model, Lang::En) => format!(
                "{name} is {size}; a model file for this site is at most {limit}, so it was not read."
            ),
            (FileKind::Model, Lang::Zh) => {
                format!("{name} 有 {size}；本站的模型文件最大 {limit}，所以没有读取它。")
            }
            (FileKind::Labels, Lang::En) => format!(
                "{name} is {size}; a coded-labels file holds at most {labels} labels ({limit}), so it was not read."
            ),
            (FileKind::Labels, Lang::Zh) => format!(
                "{name} 有 {size}；标签编码文件最多存 {labels} 个标签（{limit}），所以没有读取它。"
            ),
            (FileKind::Text, Lang::En) => format!(
                "{name} is {size}; the text coders here take at most {limit} (1 MiB), so it was not read. \
                 Pick a shorter text, or paste a part of it."
            ),
            (FileKind::Text, Lang::Zh) => format!(
                "{name} 有 {size}；这里的文本编码器最多处理 {limit}（1 MiB），所以没有读取它。请选更短的文本，或粘贴其中一段。"
            ),
            (FileKind::CodedText, Lang::En) => format!(
                "{name} is {size}; a coded text from this site is at most {limit}, so it was not read."
            ),
            (FileKind::CodedText, Lang::Zh) => {
                format!("{name} 有 {size}；本站编码的文本文件最大 {limit}，所以没有读取它。")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_file_its_size_and_the_limit() {
        assert_eq!(
            Oversized::check("a.clz", FileKind::Model, MAX_MODEL_FILE_BYTES),
            Ok(())
        );
        let e = Oversized::check("big.clz", FileKind::Model, 200 << 20).unwrap_err();
        assert_eq!(
            e.message(Lang::En),
            "big.clz is 210 MB; a model file for this site is at most 4 MB, so it was not read."
        );
        assert_eq!(
            e.message(Lang::Zh),
            "big.clz 有 210 MB；本站的模型文件最大 4 MB，所以没有读取它。"
        );
        // Sizes past 4 GiB (a 32-bit size would wrap) read as they are.
        let e = Oversized::check("x.cll", FileKind::Labels, 5 << 30).unwrap_err();
        assert!(
            e.message(Lang::En).starts_with(
                "x.cll is 5.37 GB; a coded-labels file holds at most 10,000 labels (20.1 kB)"
            ),
            "{}",
            e.message(Lang::En)
        );
    }
}
