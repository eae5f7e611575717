//! Compression Lab: an in-browser course on one idea, *a model is a compressed
//! program for its data*.
//!
//! * [`math`]: pure math (losses, code lengths, input parsing, checks of the
//!   source document's numbers). No UI, no ML framework; tested natively.
//! * [`data`]: the CIFAR-10 format and image preprocessing (no framework).
//! * `codec` (feature `codec`): weights files, the `.clz` format, compression
//!   and the architectures' tensor lists, framework-free.
//! * `engine` (feature `engine`): models, training, evaluation in Burn.
//! * `domain` (features `codec` or `ui`): architectures, model references,
//!   training settings, compression plans: plain types both sides share.
//! * `page`: each page's state and logic as plain types, tested natively.
//! * [`site`]: the site's pages as plain data (routes, titles, descriptions).
//! * [`lang`]: the two languages, for messages rendered outside the UI.
//! * `protocol`: the messages between the page and the engine worker.
//! * `lab` (native, feature `cli`): the command line's arguments and commands.
//! * `worker` (wasm32, feature `engine`): the engine's Web Worker.
//! * [`text`]: language-model text coders, their `.lmz` file and the
//!   standard compressors beside them; `text::worker` (wasm32, feature
//!   `textworker`) is their own Web Worker, without Burn.
//! * `ui` (wasm32, feature `ui`): the Leptos single-page app, kept thin.

pub mod data;
pub mod glossary;
pub mod lang;
pub mod math;
pub mod plot;
pub mod site;
pub mod tex;
pub mod text;
#[cfg(any(feature = "ui", test))]
pub mod tour;

#[cfg(feature = "codec")]
pub mod codec;

#[cfg(any(feature = "codec", feature = "ui"))]
pub mod domain;

#[cfg(any(feature = "codec", feature = "ui"))]
pub mod page;

#[cfg(feature = "engine")]
pub mod engine;

#[cfg(any(feature = "codec", feature = "ui"))]
pub mod protocol;

#[cfg(all(not(target_arch = "wasm32"), feature = "cli"))]
pub mod lab;

#[cfg(all(
    target_arch = "wasm32",
    any(feature = "engine", feature = "ui", feature = "textworker")
))]
pub mod net;

#[cfg(all(target_arch = "wasm32", feature = "engine"))]
pub mod worker;

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod ui;
