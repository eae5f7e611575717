//! The ML engine: models, batching and augmentation, training, evaluation and
//! weights files, in Burn. No UI in here: the native CLI (`src/bin/lab.rs`) and
//! the browser worker both drive it.

pub mod batch;
pub mod compress;
pub mod conv;
pub mod conv_gpu;
pub mod error;
pub mod eval;
pub mod inspect;
pub mod meta;
pub mod model;
pub mod parallel;
pub mod prequential;
pub mod readback;
pub mod relu_gpu;
pub mod train;

/// Weights files live in [`crate::codec`]; the engine's paths stay as they were.
pub use crate::codec::weights;

pub use burn::tensor::Device;
pub use error::Error;

/// Waits for one of the engine's asynchronous results on a native thread (the
/// `lab` CLI, the tests): the engine has one async API, and this is how code
/// outside a browser calls it. Native wgpu polls its device on a thread of its
/// own, so a readback completes while this thread sleeps.
#[cfg(not(target_arch = "wasm32"))]
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

/// The pause an evaluation or training loop takes between batches when no
/// event loop needs a turn (natively).
pub fn no_pause() -> std::future::Ready<()> {
    std::future::ready(())
}

/// The CPU device (Burn's ndarray backend): always available, deterministic.
#[allow(deprecated)] // ndarray is deprecated in favour of `flex` in 0.22, but it is the backend verified in browsers here.
pub fn cpu() -> Device {
    Device::ndarray()
}

/// Burn's wgpu device for the unit tests (Mesa's software Vulkan here), set up
/// once and shared: adapters requested by several test threads at once fail.
#[cfg(test)]
pub(crate) fn test_gpu() -> Device {
    static GPU: std::sync::OnceLock<Result<Device, String>> = std::sync::OnceLock::new();
    match GPU.get_or_init(|| Device::wgpu_options().init().map_err(|e| e.to_string())) {
        Ok(gpu) => gpu.clone(),
        Err(e) => panic!("no wgpu adapter ({e}): install mesa-vulkan-drivers (software Vulkan) — scripts/setup.sh does"),
    }
}

/// The Burn release this build uses, read from `Cargo.lock` (recorded in each
/// trained model's metadata).
pub fn burn_version() -> &'static str {
    const LOCK: &str = include_str!("../../Cargo.lock");
    LOCK.split("[[package]]")
        .find(|p| p.contains("\nname = \"burn\"\n"))
        .and_then(|p| p.split("\nversion = \"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_burn_version_comes_from_the_lock_file() {
        let v = super::burn_version();
        assert!(v.starts_with("0.") && v.split('.').count() == 3, "{v}");
        assert!(include_str!("../../Cargo.toml").contains(&format!("version = \"={v}\"")));
    }
}
