//! The training loop, written out as in Burn's `custom-training-loop` example:
//! forward → cross-entropy → backward → optimizer step, with a warm-up then
//! cosine learning-rate schedule, seeded shuffling and augmentation, and each
//! batch's labels' cost in bits under the model *before* it learns from them —
//! split into the labels sent for the first time (the prequential code) and
//! the ones seen in an earlier epoch (see [`crate::domain::CodeMeter`]).

use super::batch;
use super::eval::{argmax, Evaluation};
use super::model::Classifier;
use super::parallel::{self, Helpers, Part};
use super::readback::read;
use crate::data::cifar::{Cifar, CLASSES, PIXELS};
use crate::domain::Diverged;
use crate::math::rng::SplitMix64;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamWConfig, GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax};
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
    pub fn init(self) -> ModuleOptimizer {
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
    /// Peak learning rate (after a linear warm-up over the first 5 % of the
    /// steps, at most an epoch; then cosine decay to 0).
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

/// A run's settings as the engine trains them: the one conversion, for the
/// worker and `lab train` alike. Adam is AdamW with the settings' weight decay
/// (0 is plain Adam's update); plain SGD is momentum 0.
impl From<&crate::domain::TrainSettings> for TrainConfig {
    fn from(s: &crate::domain::TrainSettings) -> Self {
        use crate::domain::Optimizer;
        TrainConfig {
            epochs: s.epochs,
            batch_size: s.batch_size,
            lr: s.lr,
            optimizer: match s.optimizer {
                Optimizer::Sgd => OptimizerKind::Momentum { momentum: 0.0 },
                Optimizer::Momentum => OptimizerKind::Momentum {
                    momentum: s.momentum,
                },
                Optimizer::Adam => OptimizerKind::AdamW {
                    weight_decay: s.weight_decay as f32,
                },
            },
            augment: s.augment,
            seed: s.seed,
        }
    }
}

impl TrainConfig {
    /// The learning rate at global step `t` of a run of `total` steps whose
    /// whole epochs have `per_epoch` steps (the first can be shorter: it has
    /// the records that had arrived): a linear warm-up over the first 5 % of
    /// the steps (at most one epoch), then half a cosine down to 0. (Measured on the page's default
    /// run, natively on two cores: a whole epoch of warm-up left the first
    /// epoch at 35.6 % test accuracy, 5 % of the steps at 42.6 %; the last
    /// epoch's 60.4 % and 59.9 % are the same to the test set's resolution.)
    pub fn lr_at(&self, t: usize, total: usize, per_epoch: usize) -> f64 {
        let total = total.max(1);
        let warm = total.div_ceil(20).min(per_epoch);
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
    /// Σ −log₂ p(y|x) over the batch before the step.
    pub bits: f64,
    /// The labels of the batch sent for the first time (their records were in
    /// no earlier epoch) and their Σ −log₂ p(y|x): the batch's share of the
    /// prequential code. Later epochs' labels were learned from already.
    pub first_labels: usize,
    pub first_bits: f64,
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

/// A batch's forward pass, waiting for its loss and logits to be read back
/// (synchronously natively, asynchronously in a browser) before the step.
pub struct Pending {
    /// The training objective `[1]` (mean cross-entropy, or the distillation
    /// loss), on the autodiff graph.
    pub loss: Tensor<1>,
    /// `[b, 10]` logits, detached.
    pub logits: Tensor<2>,
}

impl Pending {
    /// The loss and the logits in one tensor `[1 + b·10]`: one readback a step.
    fn readout(&self) -> Tensor<1> {
        Tensor::cat(
            vec![
                self.loss.clone().detach(),
                self.logits.clone().flatten(0, 1),
            ],
            0,
        )
    }

    /// (loss, logits), read back in one transfer.
    pub async fn read(&self) -> Result<(f64, Vec<f32>), super::Error> {
        Ok(split_readout(read(self.readout()).await?))
    }
}

fn split_readout(mut v: Vec<f32>) -> (f64, Vec<f32>) {
    let loss = if v.is_empty() { f32::NAN } else { v.remove(0) };
    (loss as f64, v)
}

/// Knowledge distillation (Hinton, Vinyals & Dean 2015): the student also learns
/// the teacher's softened output distribution. The loss is
/// `α · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α) · CE(s, y)`; the T²
/// keeps the soft term's gradients the same size whatever the temperature.
pub struct Distill {
    /// The teacher's logits `[b, 10]` for normalized images `[b, 3, 32, 32]`;
    /// it runs without autodiff (inference mode: no dropout, batch-norm running
    /// statistics).
    pub teacher: Box<dyn Fn(Tensor<4>) -> Tensor<2>>,
    pub temperature: f64,
    /// Weight of the soft term, in [0, 1]; 0 is training on labels alone.
    pub alpha: f64,
}

impl Distill {
    /// The distillation loss `[1]` for student logits on the autodiff graph.
    pub fn loss(&self, student: Tensor<2>, images: Tensor<4>, ce: Tensor<1>) -> Tensor<1> {
        let t = self.temperature;
        let teacher = (self.teacher)(images.inner()).div_scalar(t); // [b, 10], constant
        let p_t = softmax(teacher.clone(), 1).autodiff();
        let log_p_t = log_softmax(teacher, 1).autodiff();
        let log_p_s = log_softmax(student.div_scalar(t), 1); // [b, 10]
        let kl = (p_t * (log_p_t - log_p_s)).sum_dim(1).mean(); // [1]
        kl.mul_scalar(self.alpha * t * t) + ce.mul_scalar(1.0 - self.alpha)
    }
}

/// One training run, advanced a batch at a time, so that a caller can read
/// values back however its platform allows, pause between batches, and add
/// data that arrives later (it joins at the next epoch).
pub struct Trainer<M: Classifier> {
    model: Option<M>,
    optim: ModuleOptimizer,
    loss_fn: burn::nn::loss::CrossEntropyLoss,
    rng: SplitMix64,
    cfg: TrainConfig,
    /// Records available; the epoch in progress uses `order`.
    n: usize,
    /// Records the run expects once all have arrived (at least `n`): the
    /// epochs to come, the step count and the schedule plan for them.
    expected: usize,
    order: Vec<usize>,
    cursor: usize,
    /// Records `0..sent` were in an earlier epoch: their labels were sent.
    sent: usize,
    epoch: usize,
    step: usize,
    distill: Option<Distill>,
}

impl<M: Classifier> Trainer<M> {
    /// Trains against a teacher as well as the labels.
    pub fn with_distillation(mut self, d: Distill) -> Self {
        self.distill = Some(d);
        self
    }

    /// `model` must live on an autodiff device; `n` records are available now.
    pub fn new(model: M, cfg: &TrainConfig, n: usize, device: &Device) -> Self {
        Trainer {
            model: Some(model),
            optim: cfg.optimizer.init(),
            loss_fn: CrossEntropyLossConfig::new().init(device),
            rng: SplitMix64::new(cfg.seed),
            cfg: cfg.clone(),
            n,
            expected: n,
            order: Vec::new(),
            cursor: 0,
            sent: 0,
            epoch: 0,
            step: 0,
            distill: None,
        }
    }

    /// More records arrived: they join from the next epoch on.
    pub fn set_records(&mut self, n: usize) {
        self.n = n;
    }

    /// `n` records will arrive in all (the rest while the first epoch
    /// trains): the step count and the learning-rate schedule count them
    /// from the first step, not only once they are there.
    pub fn expect_records(&mut self, n: usize) {
        self.expected = n;
    }

    /// Steps in an epoch of every record expected.
    fn per_epoch(&self) -> usize {
        self.n
            .max(self.expected)
            .div_ceil(self.cfg.batch_size.max(1))
            .max(1)
    }

    /// Every epoch has been trained.
    pub fn done(&self) -> bool {
        self.epoch >= self.cfg.epochs && self.cursor >= self.order.len()
    }

    pub fn model(&self) -> &M {
        self.model
            .as_ref()
            .expect("the model is always present between steps")
    }

    pub fn into_model(self) -> M {
        self.model
            .expect("the model is always present between steps")
    }

    /// Global step count so far.
    pub fn steps(&self) -> usize {
        self.step
    }

    /// Batches in the whole run: those already trained, the rest of this
    /// epoch, and the epochs to come at the records expected (records that
    /// arrive during an epoch join from the next one, so an early epoch can be
    /// shorter than the later ones).
    pub fn total_steps(&self) -> usize {
        let bs = self.cfg.batch_size.max(1);
        let this_epoch = (self.order.len() - self.cursor).div_ceil(bs);
        let epochs_to_come = self.cfg.epochs.saturating_sub(self.epoch);
        self.step + this_epoch + epochs_to_come * self.per_epoch()
    }

    /// The loss of `images` `[b, 3, 32, 32]` labelled `labels` under the model
    /// (with the teacher's term when distilling): the one forward pass of
    /// every training step here.
    fn pending(&self, images: Tensor<4>, labels: &[u8], device: &Device) -> Pending {
        let targets = batch::targets(labels, device);
        let logits = self.model().forward(images.clone()); // [b, 10]
        let ce = self.loss_fn.forward(logits.clone(), targets); // [1]
        let loss = match &self.distill {
            Some(d) => d.loss(logits.clone(), images, ce),
            None => ce,
        };
        Pending {
            loss,
            logits: logits.detach(),
        }
    }

    /// The forward pass of a batch the caller chose: records `idx` of `data`,
    /// labelled `labels` (the data's own when `None`: a receiver decoding a
    /// prequential code has other labels than its placeholder data), augmented
    /// from `rng` when given. For training loops with their own batches
    /// (prequential coding, compression-aware fine-tuning); [`Trainer::learn`]
    /// then steps on it.
    pub fn forward_on(
        &self,
        data: &Cifar,
        idx: &[usize],
        labels: Option<&[u8]>,
        rng: Option<&mut SplitMix64>,
        device: &Device,
    ) -> Pending {
        let images = batch::images(data, idx, rng, device);
        let labels = labels.map_or_else(
            || idx.iter().map(|&i| data.labels[i]).collect(),
            <[u8]>::to_vec,
        );
        self.pending(images, &labels, device)
    }

    /// One optimizer step on `p` at learning rate `lr` (the loops with
    /// batches of their own).
    pub fn learn(&mut self, p: Pending, lr: f64) {
        let grads = GradientsParams::from_grads(p.loss.backward(), self.model());
        self.descend(grads, lr);
    }

    /// The optimizer's step with `grads` at `lr`: the one update of every
    /// training loop here.
    fn descend(&mut self, grads: GradientsParams, lr: f64) {
        let model = self
            .model
            .take()
            .expect("the model is always present between steps");
        self.model = Some(self.optim.step(lr, model, grads));
        self.step += 1;
    }

    /// Changes the model between steps (fine-tuning sets the coded weights).
    pub fn set_model(&mut self, f: impl FnOnce(M) -> M) {
        let model = self
            .model
            .take()
            .expect("the model is always present between steps");
        self.model = Some(f(model));
    }

    /// The next batch (shuffling at the start of an epoch), drawn and
    /// augmented; [`Trainer::step`] learns from it.
    pub fn next_batch(&mut self, data: &Cifar) -> Batch {
        if self.cursor >= self.order.len() {
            self.epoch += 1;
            self.sent = self.sent.max(self.order.len());
            let n = self.n.min(data.len());
            self.order = (0..n).collect();
            for i in (1..n).rev() {
                self.order.swap(i, self.rng.below(i + 1));
            }
            self.cursor = 0;
        }
        let end = (self.cursor + self.cfg.batch_size.max(1)).min(self.order.len());
        let idx = self.order[self.cursor..end].to_vec();
        let batch = self.cursor / self.cfg.batch_size.max(1) + 1;
        self.cursor = end;
        let augment = self.cfg.augment.then_some(&mut self.rng);
        Batch {
            pixels: batch::pixels(data, &idx, augment),
            labels: idx.iter().map(|&i| data.labels[i]).collect(),
            first: idx.iter().map(|&i| i >= self.sent).collect(),
            epoch: self.epoch,
            batch,
        }
    }

    /// One training step on `b`, the one of every run (the page's, `lab
    /// train`'s): the batch is cut into parts ([`parallel::split`]), the
    /// helpers take all but the first at the current weights, this core the
    /// first; the gradients, each weighted by its part's share, make the
    /// whole batch's, and the optimizer steps once. With [`parallel::Alone`]
    /// (or a teacher, which only this core holds) it is one part.
    ///
    /// A non-finite loss is `Ok(Err(Diverged))` and the model stays as it
    /// was before this batch. The batch is only borrowed: after a helper's
    /// failure (`Err(Error::Helper)`) the caller can step on it again alone. The report's cross-entropy and bits come from
    /// the logits (so a distilled student is measured on the labels, like
    /// any model).
    pub async fn step(
        &mut self,
        b: &Batch,
        helpers: &mut impl Helpers,
        device: &Device,
    ) -> Result<Result<BatchReport, Diverged>, super::Error> {
        let n = b.labels.len();
        let parts = if self.distill.is_some() {
            1
        } else {
            helpers.count() + 1
        };
        let ranges = parallel::split(n, parts);
        let pixels =
            |r: &std::ops::Range<usize>| b.pixels[r.start * PIXELS..r.end * PIXELS].to_vec();
        if ranges.len() > 1 {
            let params = parallel::params(self.model()).await?;
            let parts = ranges[1..]
                .iter()
                .map(|r| Part {
                    images: pixels(r),
                    labels: b.labels[r.clone()].to_vec(),
                    work: parallel::Work::Gradient,
                })
                .collect();
            helpers.send(self.model().arch(), &params, parts)?;
        }
        let own = ranges[0].clone();
        let share = |r: &std::ops::Range<usize>| r.len() as f64 / n.max(1) as f64;
        let images = batch::from_pixels(pixels(&own), own.len(), device);
        let p = self.pending(images, &b.labels[own.clone()], device);
        let mut grads = GradientsParams::from_grads(
            p.loss.clone().mul_scalar(share(&own)).backward(),
            self.model(),
        );
        let (own_loss, mut logits) = p.read().await?;
        let mut loss = own_loss * share(&own);
        if ranges.len() > 1 {
            let results = helpers.receive().await?;
            // Every part answered (fewer answers: a helper went missing).
            parallel::room(ranges.len() - 1, results.len())?;
            let len = results.first().map_or(0, |r| r.grads.len());
            let mut sum = vec![0.0f32; len];
            for (r, range) in results.iter().zip(&ranges[1..]) {
                let w = share(range);
                if r.grads.len() != len || r.logits.len() != range.len() * CLASSES {
                    return Err(super::Error::Helper(parallel::HelperProblem::Size {
                        what: "result",
                        got: r.grads.len() + r.logits.len(),
                        want: len + range.len() * CLASSES,
                    }));
                }
                loss += r.loss * w;
                logits.extend_from_slice(&r.logits);
                sum.iter_mut()
                    .zip(&r.grads)
                    .for_each(|(s, g)| *s += g * w as f32);
            }
            grads = parallel::add_grads(self.model(), grads, &sum)?;
        }
        Ok(self.update(b, loss, &logits, grads))
    }

    /// The step's end: the report from the whole batch's loss and logits, and
    /// the optimizer's step with its gradients unless the loss diverged.
    fn update(
        &mut self,
        b: &Batch,
        loss: f64,
        logits: &[f32],
        grads: GradientsParams,
    ) -> Result<BatchReport, Diverged> {
        let diverged = |loss| Diverged {
            epoch: b.epoch,
            batch: b.batch,
            lr: self.cfg.lr,
            loss,
        };
        if !loss.is_finite() {
            return Err(diverged(Some(loss)));
        }
        assert_eq!(
            logits.len(),
            b.labels.len() * CLASSES,
            "the logits read back are the batch's: [batch, 10]"
        );
        let (mut correct, mut nats, mut first_nats) = (0usize, 0.0f64, 0.0f64);
        for (k, (&y, row)) in b.labels.iter().zip(logits.chunks(CLASSES)).enumerate() {
            correct += usize::from(argmax(row) == y as usize);
            let cost = neg_log_softmax(row, y as usize);
            nats += cost;
            if b.first[k] {
                first_nats += cost;
            }
        }
        if !nats.is_finite() {
            return Err(diverged(None));
        }
        let lr = self
            .cfg
            .lr_at(self.step, self.total_steps(), self.per_epoch());
        self.descend(grads, lr);
        let size = b.labels.len();
        Ok(BatchReport {
            epoch: b.epoch,
            batch: b.batch,
            batches: self.order.len().div_ceil(self.cfg.batch_size.max(1)),
            size,
            loss: nats / size.max(1) as f64,
            correct,
            bits: nats / std::f64::consts::LN_2,
            first_labels: b.first.iter().filter(|&&f| f).count(),
            first_bits: first_nats / std::f64::consts::LN_2,
            lr,
        })
    }
}

/// A batch drawn by [`Trainer::next_batch`], for [`Trainer::step`].
pub struct Batch {
    /// `[n, 3, 32, 32]` normalized (and augmented) images, row-major.
    pixels: Vec<f32>,
    labels: Vec<u8>,
    /// Whether each label is sent for the first time.
    first: Vec<bool>,
    epoch: usize,
    batch: usize,
}

/// An epoch's training figures so far, summed over its batches (both
/// training drivers, native and the worker's, keep them this one way).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EpochSums {
    loss_sum: f64,
    correct: usize,
    seen: usize,
}

impl EpochSums {
    pub fn add(&mut self, r: &BatchReport) {
        self.loss_sum += r.loss * r.size as f64;
        self.correct += r.correct;
        self.seen += r.size;
    }

    /// Mean cross-entropy over the epoch's images (nats).
    pub fn loss(&self) -> f64 {
        self.loss_sum / self.seen.max(1) as f64
    }

    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.seen.max(1) as f64
    }

    pub fn images(&self) -> usize {
        self.seen
    }
}

/// −log softmax(row)[y] in f64 (nats), computed stably.
pub fn neg_log_softmax(row: &[f32], y: usize) -> f64 {
    let max = row.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v as f64));
    let sum: f64 = row.iter().map(|&v| (v as f64 - max).exp()).sum();
    max + sum.ln() - row.get(y).map_or(f64::NAN, |&v| v as f64)
}

/// Why [`train`] stopped early.
#[derive(Clone, Debug, PartialEq)]
pub enum Stopped {
    /// The loss became NaN or infinite.
    Diverged(Diverged),
    /// The backend failed (a readback).
    Engine(super::Error),
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stopped::Diverged(d) => write!(f, "{d}"),
            Stopped::Engine(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Stopped {}

impl From<super::Error> for Stopped {
    fn from(e: super::Error) -> Self {
        Stopped::Engine(e)
    }
}

/// Trains `model` (which must live on an autodiff device), against a teacher
/// too when `distill` is given. `on_batch` sees every step, `on_epoch` every
/// epoch with the model in inference mode. Stops with an error if the loss
/// becomes NaN or infinite.
#[allow(clippy::too_many_arguments)]
pub async fn train<M: Classifier>(
    model: M,
    data: &Cifar,
    test: Option<&Cifar>,
    cfg: &TrainConfig,
    device: &Device,
    distill: Option<Distill>,
    helpers: &mut impl Helpers,
    mut on_batch: impl FnMut(&BatchReport),
    mut on_epoch: impl FnMut(&EpochReport, &M),
) -> Result<M, Stopped> {
    let mut t = Trainer::new(model, cfg, data.len(), device);
    if let Some(d) = distill {
        t = t.with_distillation(d);
    }
    let mut sums = EpochSums::default();
    let mut started = Instant::now();
    while !t.done() {
        let b = t.next_batch(data);
        let r = t
            .step(&b, helpers, device)
            .await?
            .map_err(Stopped::Diverged)?;
        sums.add(&r);
        on_batch(&r);
        if r.batch == r.batches {
            let seconds = started.elapsed().as_secs_f64();
            let valid = t.model().valid();
            let eval_device = valid
                .devices()
                .first()
                .cloned()
                .unwrap_or_else(|| device.clone());
            let test_eval = match test {
                Some(d) => Some(
                    parallel::evaluate_on(&valid, d, &eval_device, helpers, super::no_pause)
                        .await?,
                ),
                None => None,
            };
            on_epoch(
                &EpochReport {
                    epoch: r.epoch,
                    train_loss: sums.loss(),
                    train_accuracy: sums.accuracy(),
                    test: test_eval,
                    seconds,
                    images_per_second: sums.images() as f64 / seconds.max(1e-9),
                },
                &valid,
            );
            sums = EpochSums::default();
            started = Instant::now();
        }
    }
    Ok(t.into_model())
}
