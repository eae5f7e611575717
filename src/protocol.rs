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
    /// Compress `model` with `plan` and measure it on the first `images` test images.
    Compress {
        id: u32,
        model: ModelRef,
        plan: Plan,
        images: usize,
    },
    /// The compressed model's `.clz` file, for a download.
    ExportCompressed {
        id: u32,
        model: ModelRef,
        plan: Plan,
    },
    /// Save the compressed model in this browser (the classify page lists it).
    SaveCompressed {
        id: u32,
        model: ModelRef,
        plan: Plan,
        name: String,
        test_accuracy: Option<f64>,
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
    /// The WebGPU device was lost (sent by the JS loader, which watches every
    /// device the engine opens).
    DeviceLost(String),
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
    Compressed {
        id: u32,
        report: Box<CompressReport>,
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
    /// Knowledge distillation from a trained model, when set.
    #[serde(default)]
    pub teacher: Option<Teacher>,
}

/// The teacher of a distillation run and its softening.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Teacher {
    pub model: ModelRef,
    /// Temperature T > 0 of the softened outputs.
    pub temperature: f64,
    /// Weight α ∈ [0, 1] of the soft term (0: labels alone).
    pub alpha: f64,
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
    /// The compression meter after this step.
    pub meter: CodeMeter,
    pub images_per_second: f64,
    pub eta_seconds: f64,
}

/// The compression meter of a training run.
///
/// The prequential code (Dawid 1984; Blier & Ollivier 2018) sends each training
/// label once, coded with the model's probabilities *before* the model learns
/// from it: a receiver who runs the same training decodes it label by label.
/// Its length is Σ −log₂ p(y|x) over each label's first appearance — the first
/// pass over the data (records that arrive later join at their first epoch).
/// From the second epoch on, the labels were already sent and learned from:
/// what they cost then is the training set's code length under the current
/// model, an over-fitting-prone number, kept apart here as `epoch_*`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeMeter {
    /// The prequential code so far (bits) and the labels it has sent.
    pub bits: f64,
    pub labels: usize,
    /// Labels in the training set: the code is complete when all are sent.
    pub train_size: usize,
    /// The current epoch, and the labels of it that were sent before (in an
    /// earlier epoch) with their Σ −log₂ p(y|x) under the model as it trains.
    pub epoch: usize,
    pub epoch_bits: f64,
    pub epoch_labels: usize,
}

impl CodeMeter {
    pub fn new(train_size: usize) -> Self {
        CodeMeter {
            train_size,
            ..CodeMeter::default()
        }
    }

    /// Adds one batch: `labels` labels costing `bits` in all, of which
    /// `first_labels` (costing `first_bits`) are sent for the first time.
    pub fn add(
        &mut self,
        epoch: usize,
        labels: usize,
        bits: f64,
        first_labels: usize,
        first_bits: f64,
    ) {
        self.bits += first_bits;
        self.labels += first_labels;
        if epoch != self.epoch {
            (self.epoch, self.epoch_bits, self.epoch_labels) = (epoch, 0.0, 0);
        }
        self.epoch_bits += bits - first_bits;
        self.epoch_labels += labels - first_labels;
    }

    /// Every training label has been sent: the prequential code is complete.
    pub fn complete(&self) -> bool {
        self.train_size > 0 && self.labels >= self.train_size
    }

    /// Bits per label: of the prequential code, and of the labels re-sent this epoch.
    pub fn per_label(&self) -> f64 {
        self.bits / self.labels.max(1) as f64
    }
    pub fn epoch_per_label(&self) -> f64 {
        self.epoch_bits / self.epoch_labels.max(1) as f64
    }
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
    /// Stored as a compressed `.clz` file (else safetensors).
    #[serde(default)]
    pub compressed: bool,
}

/// Which weights magnitude pruning ranks together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PruneScope {
    /// One threshold for every layer: layers with small weights lose more.
    Global,
    /// Every layer loses the same share.
    PerLayer,
}

/// One scale (and offset) per tensor, or per output channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Granularity {
    PerTensor,
    PerChannel,
}

/// Symmetric: a grid centred on zero (zero exact). Affine: from the minimum to
/// the maximum (scale plus offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuantMode {
    Symmetric,
    Affine,
}

/// How the surviving weights of each conv / linear layer are stored.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Coding {
    /// 32-bit floats, as trained.
    Float,
    /// Uniform post-training quantization to `bits` bits (1–16).
    Quantize {
        bits: u32,
        granularity: Granularity,
        mode: QuantMode,
    },
    /// Weight sharing: k-means of each layer's weights into `k` shared values
    /// (2–256); each weight stores an index into the layer's codebook.
    Share { k: u32 },
}

/// A compression setting: pruning, then a coding of what survives.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Share of the conv / linear weights set to zero, 0–0.99.
    pub sparsity: f64,
    pub scope: PruneScope,
    pub coding: Coding,
}

impl Plan {
    /// The uncompressed model.
    pub const NONE: Plan = Plan {
        sparsity: 0.0,
        scope: PruneScope::Global,
        coding: Coding::Float,
    };

    /// Short words for the plan, e.g. "50 % pruned (global) · 8-bit affine per channel".
    pub fn label(&self) -> String {
        let prune = if self.sparsity > 0.0 {
            format!(
                "{}% pruned{}",
                crate::math::format::fmt_sig(self.sparsity * 100.0, 3),
                match self.scope {
                    PruneScope::Global => "",
                    PruneScope::PerLayer => " per layer",
                }
            )
        } else {
            String::new()
        };
        let code = match self.coding {
            Coding::Float => String::new(),
            Coding::Quantize {
                bits,
                granularity,
                mode,
            } => format!(
                "{bits}-bit {}{}",
                match mode {
                    QuantMode::Symmetric => "symmetric",
                    QuantMode::Affine => "affine",
                },
                match granularity {
                    Granularity::PerTensor => "",
                    Granularity::PerChannel => " per channel",
                }
            ),
            Coding::Share { k } => format!("{k} shared values"),
        };
        match (prune.is_empty(), code.is_empty()) {
            (true, true) => "original (32-bit floats)".into(),
            (false, true) => format!("{prune} · 32-bit floats"),
            (true, false) => code,
            (false, false) => format!("{prune} · {code}"),
        }
    }
}

/// Where a compressed model's bytes go. `payload` is the sum of the parts (the
/// container before entropy coding); `file` is what is written: the payload
/// after DEFLATE (Huffman + LZ77), plus an 8-byte frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeAccount {
    /// The container's JSON header (architecture, plan, tensor names and shapes).
    pub header: usize,
    /// Which weights survived pruning: one bit per conv / linear weight.
    pub masks: usize,
    /// Scales, offsets and codebooks.
    pub side: usize,
    /// The surviving conv / linear weights (floats, or packed indices).
    pub values: usize,
    /// Biases and batch-norm tensors, kept as 32-bit floats.
    pub other: usize,
    pub payload: usize,
    pub file: usize,
}

/// One conv / linear layer after compression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerStats {
    pub name: String,
    pub weights: usize,
    pub kept: usize,
    /// Bits per surviving weight (32, the quantization bits, or ⌈log₂ k⌉).
    pub value_bits: u32,
    /// Distinct values among the surviving weights.
    pub distinct: usize,
}

/// A compressed model, measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompressReport {
    pub plan: Plan,
    pub arch: String,
    pub parameters: usize,
    /// The uncompressed model as 32-bit floats, in bytes (4 per parameter).
    pub original_bytes: usize,
    pub size: SizeAccount,
    pub layers: Vec<LayerStats>,
    /// Test images evaluated, correct answers and Σ −log₂ p(y|x) (bits).
    pub images: usize,
    pub correct: usize,
    pub label_bits: f64,
    /// The same for the uncompressed model on the same images.
    pub base_correct: usize,
    pub base_label_bits: f64,
    /// The test labels as bytes, DEFLATE-compressed (bits): a code without a model.
    pub deflate_label_bits: usize,
    /// Histograms of every conv / linear weight on [−range, range] (`HIST_BINS` bins).
    pub range: f32,
    pub hist_before: Vec<u32>,
    /// Surviving weights only; `zeros_after` counts the pruned ones.
    pub hist_after: Vec<u32>,
    pub zeros_after: usize,
    pub millis: f64,
}

impl CompressReport {
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.images.max(1) as f64
    }
    pub fn base_accuracy(&self) -> f64 {
        self.base_correct as f64 / self.images.max(1) as f64
    }
    pub fn ratio(&self) -> f64 {
        self.original_bytes as f64 / self.size.file.max(1) as f64
    }
    /// Two-part code length: L(model) + L(labels | model), in bits.
    pub fn total_bits(&self) -> f64 {
        8.0 * self.size.file as f64 + self.label_bits
    }
}

/// Bins of the weight histograms.
pub const HIST_BINS: usize = 61;

/// The sweeps the compression page (and `lab compress`) run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sweep {
    /// Global magnitude pruning, 0–98 %, weights kept as floats.
    Pruning,
    /// Affine per-channel quantization, 16 down to 1 bit.
    Quantization,
    /// Weight sharing, 256 down to 2 values per layer.
    Sharing,
    /// Deep-Compression style: pruning, then quantization or sharing, a grid.
    Combined,
}

impl Sweep {
    pub const ALL: [Sweep; 4] = [
        Sweep::Pruning,
        Sweep::Quantization,
        Sweep::Sharing,
        Sweep::Combined,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Sweep::Pruning => "Pruning",
            Sweep::Quantization => "Quantization",
            Sweep::Sharing => "Weight sharing",
            Sweep::Combined => "Pruning + quantization or sharing",
        }
    }

    pub fn plans(self) -> Vec<Plan> {
        let prune = |sparsity: f64, coding: Coding| Plan {
            sparsity,
            scope: PruneScope::Global,
            coding,
        };
        match self {
            Sweep::Pruning => [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98]
                .map(|s| prune(s, Coding::Float))
                .to_vec(),
            Sweep::Quantization => [16, 8, 6, 5, 4, 3, 2, 1]
                .map(|bits| {
                    prune(
                        0.0,
                        Coding::Quantize {
                            bits,
                            granularity: Granularity::PerChannel,
                            mode: QuantMode::Affine,
                        },
                    )
                })
                .to_vec(),
            Sweep::Sharing => [256, 64, 32, 16, 8, 4, 2]
                .map(|k| prune(0.0, Coding::Share { k }))
                .to_vec(),
            Sweep::Combined => [0.2, 0.3, 0.4, 0.5]
                .iter()
                .flat_map(|&s| {
                    [
                        Coding::Quantize {
                            bits: 5,
                            granularity: Granularity::PerChannel,
                            mode: QuantMode::Affine,
                        },
                        Coding::Quantize {
                            bits: 4,
                            granularity: Granularity::PerChannel,
                            mode: QuantMode::Affine,
                        },
                        Coding::Share { k: 32 },
                        Coding::Share { k: 16 },
                    ]
                    .map(|c| prune(s, c))
                })
                .collect(),
        }
    }
}

/// Indices of the points on the Pareto frontier of (size, accuracy): no other
/// point is at least as small and at least as accurate, and better in one.
pub fn pareto(points: &[(f64, f64)]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..points.len()).collect();
    idx.sort_by(|&a, &b| {
        points[a]
            .0
            .total_cmp(&points[b].0)
            .then(points[b].1.total_cmp(&points[a].1))
    });
    let mut best = f64::NEG_INFINITY;
    let mut out = Vec::new();
    for i in idx {
        if points[i].1 > best {
            best = points[i].1;
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_counts_each_label_once_and_keeps_later_epochs_apart() {
        let mut m = CodeMeter::new(6);
        // Epoch 1: six new labels in two batches.
        m.add(1, 4, 12.0, 4, 12.0);
        m.add(1, 2, 5.0, 2, 5.0);
        assert!(m.complete());
        assert_eq!((m.labels, m.bits), (6, 17.0));
        assert_eq!(m.epoch_labels, 0);
        // Epoch 2: the same labels again, cheaper now; the code does not change.
        m.add(2, 4, 2.0, 0, 0.0);
        m.add(2, 2, 1.0, 0, 0.0);
        assert_eq!((m.labels, m.bits), (6, 17.0));
        assert_eq!((m.epoch, m.epoch_labels, m.epoch_bits), (2, 6, 3.0));
        assert!((m.epoch_per_label() - 0.5).abs() < 1e-12);
        // Epoch 3 starts its own count; a record arriving late is sent once.
        m.add(3, 3, 4.0, 1, 3.0);
        assert_eq!((m.labels, m.bits), (7, 20.0));
        assert_eq!((m.epoch_labels, m.epoch_bits), (2, 1.0));
        assert!(!CodeMeter::new(0).complete());
    }
}
