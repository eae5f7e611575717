//! Model files without an ML framework: named f32 tensors in safetensors
//! ([`weights`]), the compressed `.clz` format and the compression itself
//! ([`clz`]), and the tensors each architecture must hold ([`arch`]). The
//! engine builds on this; the fuzz targets use it alone, so they build no Burn.

pub mod arch;
pub mod clz;
pub mod weights;
