//! Data handling with no ML framework in it: the CIFAR-10 binary format, shard
//! manifests, and image preprocessing (center crop + area-averaged resize).

pub mod cifar;
pub mod image;

#[cfg(not(target_arch = "wasm32"))]
pub mod local;
