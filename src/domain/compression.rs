//! Compression as a domain: a plan (pruning, then a coding of what survives),
//! the sweeps the compression page and `lab compress` run, what a compressed
//! model's bytes are spent on, and the Pareto frontier of size against
//! accuracy. Framework-free: `codec` writes the files, `engine` measures them,
//! `protocol` carries the reports.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

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

/// A plan out of its ranges (the worker checks whatever a page sends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanError {
    /// Sparsity outside 0–99 %.
    Sparsity,
    /// Quantization outside 1–16 bits.
    Bits,
    /// Weight sharing outside 2–256 values.
    SharedValues,
}

impl crate::lang::Localized for PlanError {
    fn message(&self, lang: Lang) -> String {
        match self {
            PlanError::Sparsity => lang.pick(
                "Sparsity must be between 0 % and 99 %.",
                "稀疏度必须在 0% 到 99% 之间。",
            ),
            PlanError::Bits => {
                lang.pick("Quantization needs 1 to 16 bits.", "量化需要 1 到 16 位。")
            }
            PlanError::SharedValues => lang.pick(
                "Weight sharing needs 2 to 256 shared values.",
                "参数共享需要 2 到 256 个共享值。",
            ),
        }
        .to_string()
    }
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::lang::Localized;
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// Checks the plan's numbers: the one validation of a plan.
    pub fn check(&self) -> Result<(), PlanError> {
        if !(self.sparsity.is_finite() && (0.0..=0.99).contains(&self.sparsity)) {
            return Err(PlanError::Sparsity);
        }
        match self.coding {
            Coding::Quantize { bits, .. } if !(1..=16).contains(&bits) => Err(PlanError::Bits),
            Coding::Share { k } if !(2..=256).contains(&k) => Err(PlanError::SharedValues),
            _ => Ok(()),
        }
    }

    /// The uncompressed model.
    pub const NONE: Plan = Plan {
        sparsity: 0.0,
        scope: PruneScope::Global,
        coding: Coding::Float,
    };

    /// Short words for the plan, e.g. "50% pruned · 8-bit affine per channel".
    /// (English: file names, saved models' names and `lab` use it.)
    pub fn label(&self) -> String {
        self.label_in(Lang::En)
    }

    /// [`Plan::label`] in `lang`.
    pub fn label_in(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let prune = if self.sparsity > 0.0 {
            let pct = crate::math::format::fmt_sig(self.sparsity * 100.0, 3);
            match (zh, self.scope) {
                (false, PruneScope::Global) => format!("{pct}% pruned"),
                (false, PruneScope::PerLayer) => format!("{pct}% pruned per layer"),
                (true, PruneScope::Global) => format!("剪枝 {pct}%"),
                (true, PruneScope::PerLayer) => format!("逐层剪枝 {pct}%"),
            }
        } else {
            String::new()
        };
        let code = match self.coding {
            Coding::Float => String::new(),
            Coding::Quantize {
                bits,
                granularity,
                mode,
            } => {
                let m = match mode {
                    QuantMode::Symmetric => lang.pick("symmetric", "对称"),
                    QuantMode::Affine => lang.pick("affine", "仿射"),
                };
                match (zh, granularity) {
                    (false, Granularity::PerTensor) => format!("{bits}-bit {m}"),
                    (false, Granularity::PerChannel) => format!("{bits}-bit {m} per channel"),
                    (true, Granularity::PerTensor) => format!("{bits} 位{m}量化"),
                    (true, Granularity::PerChannel) => format!("{bits} 位逐通道{m}量化"),
                }
            }
            Coding::Share { k } => lang.pick(format!("{k} shared values"), format!("{k} 个共享值")),
        };
        let floats = lang.pick("32-bit floats", "32 位浮点数");
        match (prune.is_empty(), code.is_empty()) {
            (true, true) => lang
                .pick("original (32-bit floats)", "原始模型（32 位浮点数）")
                .into(),
            (false, true) => format!("{prune} · {floats}"),
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
    /// Which weights survived pruning: arithmetic-coded (about h(kept share) bits a weight).
    pub masks: usize,
    /// Scales, offsets and codebooks.
    pub side: usize,
    /// The surviving conv / linear weights: arithmetic-coded indices (at most 8
    /// bits), else packed indices or floats.
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
    /// The order-0 empirical entropy of the layer's mask and values (bits):
    /// what an ideal coder of independent symbols would need.
    pub entropy_bits: f64,
    /// Bytes the file spends on the layer's mask and values.
    pub coded_bytes: usize,
}

/// A compressed model, measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompressReport {
    pub plan: Plan,
    pub arch: super::Arch,
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
    /// Images only the uncompressed model gets right, and only the compressed
    /// one: the paired comparison of the two on the same images.
    #[serde(default)]
    pub only_base_right: usize,
    #[serde(default)]
    pub only_compressed_right: usize,
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

    /// The sweep's name (English; also its stable key in menus).
    pub fn label(self) -> &'static str {
        self.label_in(Lang::En)
    }

    pub fn label_in(self, lang: Lang) -> &'static str {
        match self {
            Sweep::Pruning => lang.pick("Pruning", "剪枝"),
            Sweep::Quantization => lang.pick("Quantization", "量化"),
            Sweep::Sharing => lang.pick("Weight sharing", "参数共享"),
            Sweep::Combined => lang.pick("Pruning + quantization or sharing", "剪枝 + 量化或共享"),
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
