//! The coded-labels file as the visitor meets it: what can be wrong with one.
//! The format itself is in `codec::labels` (arithmetic coding with a model's
//! probabilities); this type travels from the worker to the page.

use super::files::MAX_LABELS;
use crate::lang::{Lang, Localized};
use crate::math::format::fmt_int;
use serde::{Deserialize, Serialize};

/// Why a coded-labels file cannot be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelsProblem {
    /// It does not start like a labels file this site writes.
    NotALabelsFile,
    /// It ends before its header does.
    Truncated,
    /// Its header declares more labels than a test set holds ([`MAX_LABELS`]).
    TooMany { declared: u64 },
    /// It holds `file` labels; the receiver has `images` images to decode them with.
    Count { file: usize, images: usize },
    /// Decoding gave labels that fail the file's checksum, or that do not code
    /// back to the same bits: the file was damaged, or it was coded with another
    /// model (or the same model on another backend, whose probabilities differ
    /// in the last bits).
    DoesNotCheckOut,
}

impl Localized for LabelsProblem {
    fn message(&self, lang: Lang) -> String {
        use LabelsProblem::*;
        match (self, lang) {
            (NotALabelsFile, Lang::En) => "This is not a coded-labels file from this site.".into(),
            (NotALabelsFile, Lang::Zh) => "这不是本站生成的标签编码文件。".into(),
            (Truncated, Lang::En) => "The file ends before its header does: it is truncated.".into(),
            (Truncated, Lang::Zh) => "文件在文件头结束之前就断了：文件不完整。".into(),
            (TooMany { declared }, Lang::En) => format!(
                "The file declares {} labels; a coded-labels file holds at most {} (CIFAR-10's test set), \
                 so it was not decoded.",
                fmt_int(*declared),
                fmt_int(MAX_LABELS)
            ),
            (TooMany { declared }, Lang::Zh) => format!(
                "文件声称有 {} 个标签；标签编码文件最多存 {} 个（CIFAR-10 的测试集），所以没有解码。",
                fmt_int(*declared),
                fmt_int(MAX_LABELS)
            ),
            (Count { file, images }, Lang::En) => format!(
                "The file holds {file} labels, but {images} test images are here to decode them with."
            ),
            (Count { file, images }, Lang::Zh) => {
                format!("文件里有 {file} 个标签，但这里只有 {images} 张测试图像可用来解码。")
            }
            (DoesNotCheckOut, Lang::En) => "The decoded labels do not check out: the file is damaged, or it was \
                coded with another model (or on another backend, whose probabilities differ in the last bits). \
                Nothing was decoded."
                .into(),
            (DoesNotCheckOut, Lang::Zh) => "解码出的标签未通过校验：文件已损坏，或它是用另一个模型（或另一个后端，\
                其概率在最后几位上不同）编码的。没有给出任何解码结果。"
                .into(),
        }
    }
}
