//! The metadata JSON written beside each trained model.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelMeta {
    pub arch: String,
    pub parameters: usize,
    pub weights_file: String,
    pub weights_bytes: usize,
    pub epochs: usize,
    pub batch_size: usize,
    pub peak_lr: f64,
    pub optimizer: String,
    pub augment: bool,
    pub seed: u64,
    pub backend: String,
    pub training_seconds: f64,
    pub train_records: usize,
    pub train_sha256: String,
    pub test_records: usize,
    pub test_sha256: String,
    pub test_accuracy: f64,
    pub per_class_accuracy: Vec<f64>,
    /// Σ −log₂ p(y|x) over the test labels.
    pub test_bits: f64,
    pub burn_version: String,
    /// Knowledge distillation: "file (T = …, α = …)" of the teacher, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distilled_from: Option<String>,
    /// A compressed model: what it was made from, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compressed_from: Option<crate::domain::model_ref::CompressedFrom>,
}
