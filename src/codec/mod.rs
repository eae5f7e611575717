//! Model files without an ML framework: named f32 tensors in safetensors
//! ([`weights`]), the compressed `.clz` format and the compression itself
//! ([`clz`]), and the tensors each architecture must hold ([`arch`]). The
//! engine builds on this; the fuzz targets use it alone, so they build no Burn.

pub mod arch;
pub mod clz;
pub mod labels;
pub mod weights;

pub use crate::domain::FileProblem;

/// A model file that cannot be read: the problem, and exactly what was found
/// (a technical sentence in English: tensor names, the parser's words).
#[derive(Clone, Debug, PartialEq)]
pub struct FileError {
    pub problem: FileProblem,
    pub detail: String,
}

impl FileError {
    pub fn new(problem: FileProblem, detail: impl Into<String>) -> Self {
        FileError {
            problem,
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for FileError {}

impl From<FileError> for String {
    fn from(e: FileError) -> String {
        e.detail
    }
}
