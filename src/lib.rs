//! Compression Lab: an in-browser course on one idea, *a model is a compressed
//! program for its data*.
//!
//! * [`math`]: pure math (losses, code lengths, input parsing, checks of the
//!   source document's numbers). No UI, no ML framework; tested natively.
//! * `ui` (wasm32 only): the Leptos single-page app, kept thin over `math`.

pub mod math;
pub mod plot;
pub mod tex;

#[cfg(target_arch = "wasm32")]
pub mod ui;
