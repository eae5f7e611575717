//! Text compression with a language model: the article's thesis on language.
//!
//! A model that predicts the next byte of a text well is a short code for
//! it: an arithmetic coder spends −log₂ p bits on a byte the model gave
//! probability p (Shannon 1948; Delétang et al. 2023, "Language Modeling Is
//! Compression"). The coders here predict each byte one bit at a time and mix
//! several predictors, as PAQ and cmix do (Mahoney 2005; Knoll 2014):
//!
//! * [`cm`]: context statistics (order-0…6 counts, words, long matches) mixed
//!   by a learned logistic mixer: pure integer arithmetic, so a sender and a
//!   receiver on any platform compute the same probabilities.
//! * [`nn`]: a small neural network over bytes whose prediction is one more
//!   input of that mixer.
//! * [`file`]: the `.lmz` file, whose header a decoder checks before it
//!   allocates, and whose CRC refuses a damaged file instead of printing
//!   wrong text.
//! * [`report`]: what each character cost, by script (Chinese, English).
//! * `baselines` (feature `baselines`): the standard compressors, for comparison.
//!
//! No UI and no ML framework: the engine worker runs these in the browser,
//! `lab` natively, and the tests reach everything.

pub mod cm;
pub mod code;
pub mod detmath;
pub mod file;
pub mod nn;
#[cfg(not(target_arch = "wasm32"))]
pub mod quant;
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod train;

#[cfg(feature = "baselines")]
pub mod baselines;

#[cfg(all(target_arch = "wasm32", feature = "textworker"))]
pub mod worker;

pub use code::{code, decode, Prior};
pub use file::FileError;

use crate::lang::Lang;

/// How the text is coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    any(feature = "codec", feature = "ui"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub enum Coder {
    /// Learn as you go (prequential): the model starts knowing nothing, and
    /// each byte is coded with the prediction made before the model learns it.
    Learn,
    /// Start from the model the site ships, pretrained on two books, and keep
    /// adapting while coding.
    Pretrained,
}

impl Coder {
    pub const ALL: [Coder; 2] = [Coder::Learn, Coder::Pretrained];

    /// Its number in a file's header.
    pub fn id(self) -> u8 {
        match self {
            Coder::Learn => 1,
            Coder::Pretrained => 2,
        }
    }

    pub fn from_id(id: u8) -> Option<Coder> {
        Coder::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Its word in a page's link.
    pub fn key(self) -> &'static str {
        match self {
            Coder::Learn => "learn",
            Coder::Pretrained => "pretrained",
        }
    }
}

/// A coded text, as the engine returns it.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    any(feature = "codec", feature = "ui"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub struct Coded {
    pub coder: Coder,
    /// The `.lmz` file.
    #[cfg_attr(any(feature = "codec", feature = "ui"), serde(with = "serde_bytes"))]
    pub file: Vec<u8>,
    /// What each byte cost under the mixed model: −log₂ of the probability
    /// the coder gave it, summed over its 8 bits.
    pub bits: Vec<f32>,
    /// The neural network alone, on the same bytes: Σ −log₂ p(byte).
    pub neural_bits: f64,
    /// The context statistics alone (their mixer without the network).
    pub stats_bits: f64,
    /// The pretrained model's file size (0 when learning from nothing).
    pub model_bytes: usize,
    pub millis: f64,
}

/// A decoded text.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    any(feature = "codec", feature = "ui"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub struct Decoded {
    pub coder: Coder,
    #[cfg_attr(any(feature = "codec", feature = "ui"), serde(with = "serde_bytes"))]
    pub text: Vec<u8>,
    pub millis: f64,
}

/// A standard compressor, as the page names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    any(feature = "codec", feature = "ui"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub enum Compressor {
    Gzip,
    Zstd,
    Xz,
    Bzip2,
    Brotli,
}

impl Compressor {
    pub const ALL: [Compressor; 5] = [
        Compressor::Gzip,
        Compressor::Zstd,
        Compressor::Xz,
        Compressor::Bzip2,
        Compressor::Brotli,
    ];

    /// Its name and the setting used, as on a command line.
    pub fn label(self) -> &'static str {
        match self {
            Compressor::Gzip => "gzip -9",
            Compressor::Zstd => "zstd -19",
            Compressor::Xz => "xz -9e",
            Compressor::Bzip2 => "bzip2 -9",
            Compressor::Brotli => "brotli -q 11",
        }
    }
}

/// One compressor's result on a text.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    any(feature = "codec", feature = "ui"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub struct Baseline {
    pub compressor: Compressor,
    /// The crate and setting that produced it (e.g. "brotli 8.0, quality 11, window 2²⁴").
    pub how: String,
    pub bytes: usize,
    pub millis: f64,
}

impl FileError {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            FileError::TooLarge { bytes, limit } if zh => {
                format!("文件有 {bytes} 字节，超过本站编码文件的上限（{limit} 字节）：未读取。")
            }
            FileError::TooLarge { bytes, limit } => format!(
                "The file has {bytes} bytes, more than any file this site's coder writes ({limit} bytes): not read."
            ),
            FileError::NotOurs if zh => "这不是本站文本编码器生成的 .lmz 文件。".into(),
            FileError::NotOurs => "This is not a .lmz file made by this site's text coder.".into(),
            FileError::Version(v) if zh => format!("文件格式版本 {v} 是本站这个版本不认识的。"),
            FileError::Version(v) => format!("The file's format version {v} is one this build does not read."),
            FileError::UnknownCoder(c) if zh => format!("文件声明的编码器（{c}）本站不认识。"),
            FileError::UnknownCoder(c) => format!("The file names a coder ({c}) this build does not know."),
            FileError::OtherModel { file, ours } if zh => format!(
                "这个文件是用另一个模型（{file:08x}）编码的，本页的模型是 {ours:08x}：用错的模型解码只会得到乱码，所以不解码。"
            ),
            FileError::OtherModel { file, ours } => format!(
                "This file was coded with another model ({file:08x}) than this page's ({ours:08x}): \
                 decoding it with the wrong model would give garbage, so it is not decoded."
            ),
            FileError::TooLong { declared, limit } if zh => {
                format!("文件声明的文本有 {declared} 字节，超过上限 {limit} 字节：未解码。")
            }
            FileError::TooLong { declared, limit } => format!(
                "The file declares a text of {declared} bytes, over the limit of {limit}: not decoded."
            ),
            FileError::Damaged if zh => {
                "解码出的文本与文件记录的校验和（CRC-32）不符：文件已损坏或被截断。".into()
            }
            FileError::Damaged => {
                "The decoded text does not match the file's checksum (CRC-32): the file is damaged or truncated."
                    .into()
            }
        }
    }
}

/// A text refused by its length.
pub fn too_long_message(bytes: usize, limit: usize, lang: Lang) -> String {
    lang.pick(
        format!(
            "The text has {bytes} bytes; the coders here take at most {limit} bytes (1 MiB). \
             Pick a shorter text or a part of it."
        ),
        format!(
            "文本有 {bytes} 字节；这里的编码器最多处理 {limit} 字节（1 MiB）。请选一段更短的文本。"
        ),
    )
}
