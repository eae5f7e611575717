//! What the site is about, as plain types: architectures, model references,
//! training settings and their validation, compression plans and reports.
//! No UI, no ML framework: the page, the worker, the engine and `lab` share
//! them, and native tests reach all of it.

pub mod arch;
pub mod compression;
pub mod files;
pub mod inspect;
pub mod labels;
pub mod model_ref;
pub mod train;

pub use arch::{Arch, FileProblem, UnknownArch};
pub use compression::*;
pub use files::{FileKind, Oversized};
pub use labels::LabelsProblem;
pub use model_ref::ModelRef;
pub use train::{CodeMeter, Diverged, Optimizer, SettingsError, Teacher, TrainSettings};
