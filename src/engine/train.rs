//! The training loop, written out as in Burn's `custom-training-loop` example:
//! forward → cross-entropy → backward → optimizer step, with a warm-up then
//! cosine learning-rate schedule, seeded shuffling and augmentation, and the
//! prequential code length of every batch (its labels' cost in bits under the
//! model *before* it learns from them).

use super::batch;
use super::eval::{argmax, evaluate, Evaluation};
use super::model::Classifier;
use crate::data::cifar::{Cifar, CLASSES};
use crate::math::rng::SplitMix64;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamWConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use std::time::Instant;

/// Which optimizer, with Burn's parameters stated explicitly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerKind {
    /// SGD with momentum μ; Burn damps new gradients by 0.1 by default, we say 0 (textbook).
    Momentum { momentum: f64 },
    /// AdamW (β₁ 0.9, β₂ 0.999, ε 1e-5 = Burn's default; Kingma & Ba use 1e-8).
    AdamW { weight_decay: f32 },
}

impl OptimizerKind {
    fn init(self) -> ModuleOptimizer {
        match self {
            OptimizerKind::Momentum { momentum } => SgdConfig::new()
                .with_momentum(Some(
                    MomentumConfig::new()
                        .with_momentum(momentum)
                        .with_dampening(0.0)
                        .with_nesterov(false),
                ))
                .init(),
            OptimizerKind::AdamW { weight_decay } => AdamWConfig::new()
                .with_beta_1(0.9)
                .with_beta_2(0.999)
                .with_epsilon(1e-5)
                .with_weight_decay(weight_decay)
                .init(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    pub epochs: usize,
    pub batch_size: usize,
    /// Peak learning rate (after one epoch of linear warm-up; cosine decay to 0).
    pub lr: f64,
    pub optimizer: OptimizerKind,
    pub augment: bool,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 30,
            batch_size: 128,
            lr: 3e-3,
            optimizer: OptimizerKind::AdamW { weight_decay: 5e-4 },
            augment: true,
            seed: 1,
        }
    }
}

impl TrainConfig {
    /// The learning rate at global step `t` of `total`.
    pub fn lr_at(&self, t: usize, per_epoch: usize) -> f64 {
        let total = (self.epochs * per_epoch).max(1);
        let warm = per_epoch.min(total);
        if t < warm {
            self.lr * (t + 1) as f64 / warm as f64
        } else {
            let p = (t - warm) as f64 / (total - warm).max(1) as f64;
            self.lr * 0.5 * (1.0 + (std::f64::consts::PI * p).cos())
        }
    }
}

/// One optimizer step.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchReport {
    pub epoch: usize,
    pub batch: usize,
    pub batches: usize,
    pub size: usize,
    /// Mean cross-entropy of the batch (nats) before the step.
    pub loss: f64,
    pub correct: usize,
    /// Σ −log₂ p(y|x) over the batch before the step: its prequential code length.
    pub bits: f64,
    pub lr: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EpochReport {
    pub epoch: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub test: Option<Evaluation>,
    pub seconds: f64,
    pub images_per_second: f64,
}

/// Trains `model` (which must live on an autodiff device). `on_batch` sees every
/// step, `on_epoch` every epoch with the model in inference mode. Stops with an
/// error if the loss becomes NaN or infinite.
pub fn train<M: Classifier>(
    mut model: M,
    data: &Cifar,
    test: Option<&Cifar>,
    cfg: &TrainConfig,
    device: &Device,
    mut on_batch: impl FnMut(&BatchReport),
    mut on_epoch: impl FnMut(&EpochReport, &M),
) -> Result<M, String> {
    let mut optim = cfg.optimizer.init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let mut rng = SplitMix64::new(cfg.seed);
    let n = data.len();
    let per_epoch = n.div_ceil(cfg.batch_size.max(1));
    let mut step = 0;
    for epoch in 1..=cfg.epochs {
        let started = Instant::now();
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let (mut loss_sum, mut correct) = (0.0, 0usize);
        for (b, idx) in order.chunks(cfg.batch_size.max(1)).enumerate() {
            let images = batch::images(data, idx, cfg.augment.then_some(&mut rng), device);
            let targets = batch::labels(data, idx, device);
            let logits = model.forward(images); // [b, 10]
            let loss = loss_fn.forward(logits.clone(), targets); // [1]
            let loss_value = loss.clone().into_scalar::<f32>() as f64;
            if !loss_value.is_finite() {
                return Err(format!(
                    "Training diverged at epoch {epoch}, batch {}: the loss became {loss_value}. \
                     Lower the learning rate (now {}).",
                    b + 1,
                    cfg.lr
                ));
            }
            let preds = logits
                .detach()
                .into_data()
                .try_into_vec_as::<f32>()
                .unwrap_or_default();
            let batch_correct = idx
                .iter()
                .enumerate()
                .filter(|(k, &i)| {
                    argmax(&preds[k * CLASSES..(k + 1) * CLASSES]) == data.labels[i] as usize
                })
                .count();
            let lr = cfg.lr_at(step, per_epoch);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optim.step(lr, model, grads);
            step += 1;
            loss_sum += loss_value * idx.len() as f64;
            correct += batch_correct;
            on_batch(&BatchReport {
                epoch,
                batch: b + 1,
                batches: per_epoch,
                size: idx.len(),
                loss: loss_value,
                correct: batch_correct,
                bits: loss_value * idx.len() as f64 / std::f64::consts::LN_2,
                lr,
            });
        }
        let seconds = started.elapsed().as_secs_f64();
        let valid = model.valid();
        let eval_device = valid
            .devices()
            .first()
            .cloned()
            .unwrap_or_else(|| device.clone());
        let test_eval = test.map(|t| evaluate(&valid, t, &eval_device, 250));
        on_epoch(
            &EpochReport {
                epoch,
                train_loss: loss_sum / n as f64,
                train_accuracy: correct as f64 / n as f64,
                test: test_eval,
                seconds,
                images_per_second: n as f64 / seconds.max(1e-9),
            },
            &valid,
        );
    }
    Ok(model)
}
