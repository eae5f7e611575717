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
    /// A model saved in this browser (trained here, or a file loaded here), by key.
    Saved(String),
}

impl ModelRef {
    pub fn key(&self) -> String {
        match self {
            ModelRef::Shipped(name) => format!("shipped:{name}"),
            ModelRef::Saved(key) => format!("saved:{key}"),
        }
    }
}

/// Page → worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Start (or switch) the backend. `None`: WebGPU when the browser offers an
    /// adapter, else the CPU.
    Start {
        prefer: Option<Backend>,
    },
    /// Classify one 32×32 image, CIFAR-10 layout (R plane, G plane, B plane).
    Classify {
        id: u32,
        model: ModelRef,
        #[serde(with = "serde_bytes")]
        image: Vec<u8>,
    },
    /// Start training (one run at a time).
    Train(TrainSettings),
    Pause,
    Resume,
    Stop,
    ListModels {
        id: u32,
    },
    /// The saved model's weights file, for a download.
    ExportModel {
        id: u32,
        key: String,
    },
    DeleteModel {
        id: u32,
        key: String,
    },
    /// A weights file the visitor chose: checked, then saved in this browser.
    ImportModel {
        id: u32,
        name: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
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
    Failed {
        id: Option<u32>,
        message: String,
    },
    /// Training data: records received so far, of the run's total.
    Data {
        loaded: usize,
        total: usize,
    },
    Batch(BatchStats),
    Epoch(EpochStats),
    Paused(bool),
    /// A checkpoint was saved in this browser.
    Saved(SavedModel),
    /// The run ended: "Finished", "Stopped", or why it failed; the model saved.
    TrainEnded {
        outcome: String,
        saved: Option<SavedModel>,
    },
    Models {
        id: u32,
        list: Vec<SavedModel>,
    },
    Exported {
        id: u32,
        name: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    Imported {
        id: u32,
        model: SavedModel,
    },
    Done {
        id: u32,
    },
    /// The engine panicked (a bug, or the GPU was lost); the worker is gone and
    /// the page starts a new one.
    Panicked(String),
}

/// The optimizers the training page offers (Burn's, with textbook settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Plain SGD: θ ← θ − α g.
    Sgd,
    /// Heavy-ball momentum, no dampening (Burn's default dampening is 0.1).
    Momentum,
    /// Adam with bias correction (AdamW with decay 0; ε = 1e-5, Burn's default).
    Adam,
}

/// A training run, as chosen on the training page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    /// "lab-cnn" or "doc-cnn".
    pub arch: String,
    /// Training images to use (the first `subset` of the training set).
    pub subset: usize,
    pub optimizer: Optimizer,
    /// Peak learning rate (linear warm-up over the first epoch, cosine decay).
    pub lr: f64,
    /// Momentum coefficient (for [`Optimizer::Momentum`]).
    pub momentum: f64,
    pub epochs: usize,
    pub batch_size: usize,
    pub augment: bool,
    pub seed: u64,
}

/// One optimizer step, for the live charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchStats {
    pub epoch: usize,
    pub epochs: usize,
    pub batch: usize,
    pub batches: usize,
    pub step: usize,
    pub total_steps: usize,
    /// Mean cross-entropy of the batch before the step (nats).
    pub loss: f64,
    pub accuracy: f64,
    pub lr: f64,
    /// Prequential code length so far: Σ −log₂ p(y|x) of every label, each
    /// measured before the model learned from it.
    pub total_bits: f64,
    pub total_labels: usize,
    pub images_per_second: f64,
    pub eta_seconds: f64,
}

/// The held-out test set after an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    pub epoch: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub test_loss: f64,
    pub test_accuracy: f64,
    pub per_class: Vec<f64>,
    /// `confusion[true * 10 + predicted]`.
    pub confusion: Vec<u32>,
    /// Predicted class of each test image in the page's grid.
    pub grid: Vec<u8>,
}

/// A model saved in this browser (IndexedDB).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    pub key: String,
    pub name: String,
    pub arch: String,
    pub parameters: usize,
    pub test_accuracy: Option<f64>,
    pub bytes: usize,
    /// Milliseconds since 1970.
    pub created: f64,
}
