//! The messages between the page and the engine worker. Both sides are Rust:
//! the page (feature `ui`) and the worker (feature `engine`) share these types,
//! sent as structured clones through `serde-wasm-bindgen`.

use serde::{Deserialize, Serialize};

/// Which Burn backend runs the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Backend {
    /// `burn-wgpu` on the browser's WebGPU.
    WebGpu,
    /// Burn's ndarray backend on the CPU (in the worker's thread).
    Cpu,
}

impl Backend {
    pub fn label(self) -> &'static str {
        match self {
            Backend::WebGpu => "WebGPU",
            Backend::Cpu => "CPU",
        }
    }
}

/// A model the worker can run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelRef {
    /// A model shipped with the site: `models/{name}.safetensors` beside `{name}.json`.
    Shipped(String),
}

impl ModelRef {
    pub fn key(&self) -> String {
        match self {
            ModelRef::Shipped(name) => format!("shipped:{name}"),
        }
    }
}

/// Page → worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Start (or switch) the backend. `None`: WebGPU when the browser offers an
    /// adapter, else the CPU.
    Start { prefer: Option<Backend> },
    /// Classify one 32×32 image, CIFAR-10 layout (R plane, G plane, B plane).
    Classify {
        id: u32,
        model: ModelRef,
        #[serde(with = "serde_bytes")]
        image: Vec<u8>,
    },
}

/// What the worker says about a model it has loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub arch: String,
    pub parameters: usize,
    /// Test accuracy recorded in the model's metadata, when it has one.
    pub test_accuracy: Option<f64>,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is running and waits for `Start`.
    Booted,
    /// The loader could not start the engine (sent by the JS loader).
    BootFailed(String),
    /// The backend in use, in words (adapter name), and why it was chosen.
    Started {
        backend: Backend,
        detail: String,
        why: String,
        webgpu_available: bool,
    },
    Classified {
        id: u32,
        /// Probabilities of the ten classes.
        probs: Vec<f32>,
        /// Milliseconds for the forward pass and readback (model loading excluded).
        millis: f64,
        /// Milliseconds spent loading the model first (0 when it was cached).
        load_millis: f64,
        backend: Backend,
        model: ModelInfo,
    },
    /// A request failed; the worker carries on.
    Failed { id: Option<u32>, message: String },
    /// The engine panicked (a bug, or the GPU was lost); the worker is gone and
    /// the page starts a new one.
    Panicked(String),
}
