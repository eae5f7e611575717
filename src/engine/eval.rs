//! Evaluation: accuracy, per-class accuracy, confusion matrix, and the code
//! length of the labels under the model (Σ −log₂ p(y|x), in bits).

use super::batch;
use super::model::Classifier;
use super::readback::read;
use super::Error;
use crate::data::cifar::{Cifar, CLASSES};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;

/// Images per forward pass when evaluating (natively and in the worker).
pub const BATCH: usize = 200;

#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub n: usize,
    pub correct: usize,
    /// `confusion[true][predicted]`
    pub confusion: [[u32; CLASSES]; CLASSES],
    /// Σ −log₂ p(true label | image) over all images.
    pub total_bits: f64,
    /// The predicted class of every image, in order.
    pub predicted: Vec<u8>,
    /// Natural-log probabilities of every image, `[n, 10]` row-major: what an
    /// arithmetic coder needs to code the labels ([`crate::codec::labels`]).
    pub log_probs: Vec<f32>,
}

impl Default for Evaluation {
    fn default() -> Self {
        Evaluation {
            n: 0,
            correct: 0,
            confusion: [[0; CLASSES]; CLASSES],
            total_bits: 0.0,
            predicted: Vec::new(),
            log_probs: Vec::new(),
        }
    }
}

impl Evaluation {
    /// Adds a batch: log-probabilities `[n, 10]` (natural log) and the true labels.
    pub fn add(&mut self, log_probs: &[f32], labels: &[u8]) {
        for (row, &y) in log_probs.chunks(CLASSES).zip(labels) {
            let (truth, pred) = (y as usize, argmax(row));
            self.confusion[truth][pred] += 1;
            self.correct += usize::from(pred == truth);
            self.total_bits -= row[truth] as f64 / std::f64::consts::LN_2;
            self.predicted.push(pred as u8);
            self.n += 1;
        }
        let rows = labels.len().min(log_probs.len() / CLASSES);
        self.log_probs
            .extend_from_slice(&log_probs[..rows * CLASSES]);
    }

    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.n.max(1) as f64
    }

    pub fn class_accuracy(&self, c: usize) -> f64 {
        let row: u32 = self.confusion[c].iter().sum();
        self.confusion[c][c] as f64 / row.max(1) as f64
    }

    /// Mean cross-entropy in nats.
    pub fn mean_loss_nats(&self) -> f64 {
        self.total_bits * std::f64::consts::LN_2 / self.n.max(1) as f64
    }

    /// The confusion matrix as text, with per-class accuracy.
    pub fn report(&self) -> String {
        use crate::data::cifar::CLASS_NAMES;
        let mut s = format!("{:>11} ", "true \\ pred");
        for name in CLASS_NAMES {
            s += &format!("{:>6}", &name[..name.len().min(5)]);
        }
        s += "   acc\n";
        for (c, row) in self.confusion.iter().enumerate() {
            s += &format!("{:>11} ", CLASS_NAMES[c]);
            for v in row {
                s += &format!("{v:>6}");
            }
            s += &format!("  {:>5.1}%\n", 100.0 * self.class_accuracy(c));
        }
        s
    }
}

/// Log-probabilities `[n, 10]` (natural log) for a batch of normalized images.
pub async fn log_probs<M: Classifier>(model: &M, images: Tensor<4>) -> Result<Vec<f32>, Error> {
    read(log_softmax(model.forward(images), 1)).await
}

/// Evaluates `model` (in inference mode) on every record of `data`, awaiting
/// `pause()` after each batch (the worker yields to its message loop there;
/// native callers pass [`super::no_pause`]).
pub async fn evaluate<M: Classifier, F: std::future::Future<Output = ()>>(
    model: &M,
    data: &Cifar,
    device: &Device,
    mut pause: impl FnMut() -> F,
) -> Result<Evaluation, Error> {
    let mut ev = Evaluation::default();
    let idx: Vec<usize> = (0..data.len()).collect();
    for chunk in idx.chunks(BATCH) {
        let lp = log_probs(model, batch::images(data, chunk, None, device)).await?;
        ev.add(&lp, &data.labels[chunk[0]..chunk[0] + chunk.len()]);
        pause().await;
    }
    Ok(ev)
}

pub use crate::math::argmax;
