//! What can go wrong in the engine, typed to the bottom: a weights file that
//! does not fit (the codec's [`FileError`]), a compression plan out of range
//! ([`PlanError`]), or the backend failing (a readback, a device), in its own
//! words. The worker turns each into the page's [`EngineError`]; nothing
//! decides on message text.

use crate::codec::FileError;
use crate::domain::{LabelsProblem, PlanError};
use crate::protocol::EngineError;

#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// Weights that do not load into their model.
    File(FileError),
    /// A compression plan out of its ranges.
    Plan(PlanError),
    /// Reading a result back from the device failed (the backend's words).
    Readback(String),
    /// A coded-labels file that does not decode.
    Labels(LabelsProblem),
    /// A helper core's part of a batch did not come back ([`super::parallel`]).
    Helper(super::parallel::HelperProblem),
}

impl From<LabelsProblem> for Error {
    fn from(e: LabelsProblem) -> Self {
        Error::Labels(e)
    }
}

impl From<FileError> for Error {
    fn from(e: FileError) -> Self {
        Error::File(e)
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Self {
        Error::Plan(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::lang::{Lang, Localized};
        match self {
            Error::File(e) => write!(f, "{e}"),
            Error::Plan(e) => f.write_str(&e.message(Lang::En)),
            Error::Readback(d) => write!(f, "reading a result back from the device failed: {d}"),
            Error::Labels(p) => f.write_str(&p.message(Lang::En)),
            Error::Helper(p) => write!(f, "{p}"),
        }
    }
}

impl std::error::Error for Error {}

/// For the page (a model the engine holds, as for [`Error::File`]).
impl From<FileError> for EngineError {
    fn from(e: FileError) -> Self {
        Error::File(e).into()
    }
}

/// For the page. A file error here is a model the engine holds (a shipped or
/// saved one); the worker names a visitor's own file where it reads one.
impl From<Error> for EngineError {
    fn from(e: Error) -> Self {
        match e {
            Error::File(f) => EngineError::BadFile {
                name: "the model".into(),
                problem: f.problem,
                detail: f.detail,
            },
            Error::Plan(p) => EngineError::Plan(p),
            Error::Readback(d) => EngineError::Engine(d),
            Error::Labels(problem) => EngineError::Labels {
                name: "the labels".into(),
                problem,
            },
            Error::Helper(p) => EngineError::CoresLost(p.to_string()),
        }
    }
}
