//! Evaluation: accuracy, per-class accuracy, confusion matrix, and the code
//! length of the labels under the model (Σ −log₂ p(y|x), in bits).

use super::batch;
use super::model::Classifier;
use crate::data::cifar::{Cifar, CLASSES};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;

#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub n: usize,
    pub correct: usize,
    /// `confusion[true][predicted]`
    pub confusion: [[u32; CLASSES]; CLASSES],
    /// Σ −log₂ p(true label | image) over all images.
    pub total_bits: f64,
}

impl Evaluation {
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
pub fn log_probs<M: Classifier>(model: &M, images: Tensor<4>) -> Vec<f32> {
    log_softmax(model.forward(images), 1)
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap_or_default()
}

/// [`log_probs`] with an asynchronous readback: the only kind browsers allow on WebGPU.
pub async fn log_probs_async<M: Classifier>(
    model: &M,
    images: Tensor<4>,
) -> Result<Vec<f32>, String> {
    log_softmax(model.forward(images), 1)
        .into_data_async()
        .await
        .map_err(|e| format!("reading the result back failed: {e:?}"))?
        .try_into_vec_as::<f32>()
        .map_err(|e| format!("unexpected result type: {e:?}"))
}

/// Evaluates `model` (in inference mode) on every record of `data`.
pub fn evaluate<M: Classifier>(
    model: &M,
    data: &Cifar,
    device: &Device,
    batch_size: usize,
) -> Evaluation {
    let mut ev = Evaluation {
        n: 0,
        correct: 0,
        confusion: [[0; CLASSES]; CLASSES],
        total_bits: 0.0,
    };
    let idx: Vec<usize> = (0..data.len()).collect();
    for chunk in idx.chunks(batch_size.max(1)) {
        let lp = log_probs(model, batch::images(data, chunk, None, device));
        for (k, &i) in chunk.iter().enumerate() {
            let row = &lp[k * CLASSES..(k + 1) * CLASSES];
            let truth = data.labels[i] as usize;
            let pred = argmax(row);
            ev.confusion[truth][pred] += 1;
            ev.correct += usize::from(pred == truth);
            ev.total_bits += -(row[truth] as f64) / std::f64::consts::LN_2;
            ev.n += 1;
        }
    }
    ev
}

pub fn argmax(row: &[f32]) -> usize {
    row.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}
