//! The ML engine: models, batching and augmentation, training, evaluation and
//! weights files, in Burn. No UI in here: the native CLI (`src/bin/lab.rs`) and
//! the browser worker both drive it.

pub mod batch;
pub mod compress;
pub mod eval;
pub mod meta;
pub mod model;
pub mod readback;
pub mod train;

/// Weights files live in [`crate::codec`]; the engine's paths stay as they were.
pub use crate::codec::weights;

pub use burn::tensor::Device;

/// The CPU device (Burn's ndarray backend): always available, deterministic.
#[allow(deprecated)] // ndarray is deprecated in favour of `flex` in 0.22, but it is the backend verified in browsers here.
pub fn cpu() -> Device {
    Device::ndarray()
}
