//! Compression in the engine: fine-tuning a pruned model with its masks held,
//! and measuring a compressed model on test images ([`report`], [`measure`]):
//! accuracy, and the two-part description length L(model) + L(labels | model),
//! the "shortest program" measure. The format and the compression themselves
//! are framework-free, in [`crate::codec::clz`] (re-exported here).

pub use crate::codec::clz::*;

use super::eval::{evaluate, Evaluation};
use super::model::{to_weights, AnyModel, Classifier};
use super::weights::Weights;
use super::Device;
use crate::data::cifar::Cifar;
use crate::domain::{CompressReport, Plan, PruneScope};
use crate::math::stats::Paired;
use burn::module::{Module, ModuleMapper, Param};
use burn::prelude::*;

/// Sets every conv / linear weight to given values, keeping parameter ids (so
/// an optimizer's state survives) and whether each takes gradients. Values
/// come in [`Classifier::tensors`] order, which is the order Burn visits the
/// rank ≥ 2 parameters in.
struct SetWeights {
    values: Vec<Tensor<1>>,
    at: usize,
}

impl ModuleMapper for SetWeights {
    fn map_float<const D: usize>(&mut self, p: Param<Tensor<D>>) -> Param<Tensor<D>> {
        if D < 2 {
            return p;
        }
        let v = self.values.get(self.at).cloned();
        self.at += 1;
        let Some(v) = v else { return p };
        p.map(|t| {
            let v = v.reshape(t.shape());
            if t.is_autodiff() {
                let grad = t.is_require_grad();
                let v = v.autodiff();
                if grad {
                    v.require_grad()
                } else {
                    v
                }
            } else {
                v
            }
        })
    }
}

/// `model` with its conv / linear weights replaced by those of `w` (values on
/// the model's inner `device`).
fn set_weights<M: Classifier>(model: M, w: &Weights, device: &Device) -> M {
    let values = w
        .tensors
        .iter()
        .filter(|t| is_compressible(t))
        .map(|t| Tensor::from_data(TensorData::new(t.data.clone(), [t.data.len()]), device))
        .collect();
    model.map(&mut SetWeights { values, at: 0 })
}

/// Settings of the compression-aware fine-tune.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Finetune {
    pub steps: usize,
    pub batch_size: usize,
    /// Peak learning rate of SGD with momentum 0.9 (no dampening), decayed to
    /// zero over the steps on a half cosine.
    pub lr: f64,
    pub seed: u64,
    /// Share of the steps over which the sparsity rises from 0 to the plan's,
    /// as s·(1 − (1 − t/n)³) (Zhu & Gupta 2017, "To prune, or not to prune");
    /// 0 prunes everything at the first step.
    pub ramp: f64,
    /// Quantization-aware: every forward pass runs on the plan's coded weights
    /// (what the file will hold), with the gradient passed straight through
    /// the rounding to float weights (the straight-through estimator, Bengio,
    /// Léonard & Courville 2013). Otherwise only the pruning is applied.
    pub quantized: bool,
    /// Distillation from the original model (temperature, weight of the soft
    /// term) instead of the labels alone.
    pub distill: Option<(f64, f64)>,
}

impl Default for Finetune {
    fn default() -> Self {
        // Measured on lab-cnn: 60 steps of 32 at 1e-3 recover 50 % pruning to −1.4
        // points (at 1e-2 the same run lost 15 points).
        Finetune {
            steps: 60,
            batch_size: 32,
            lr: 1e-3,
            seed: 7,
            ramp: 0.0,
            quantized: false,
            distill: None,
        }
    }
}

impl Finetune {
    /// The sparsity step `t` trains at, reaching `target` after the ramp.
    pub fn sparsity_at(&self, t: usize, target: f64) -> f64 {
        let n = (self.ramp * self.steps as f64).round();
        if n < 1.0 || t as f64 >= n {
            return target;
        }
        target * (1.0 - (1.0 - (t + 1) as f64 / n).powi(3))
    }

    /// The learning rate of step `t` (half cosine from `lr` towards 0).
    pub fn lr_at(&self, t: usize) -> f64 {
        let x = t as f64 / self.steps.max(1) as f64;
        self.lr * 0.5 * (1.0 + (std::f64::consts::PI * x).cos())
    }
}

/// Prunes `w` in place (the pruned weights become 0) and returns the masks.
fn zero_pruned(w: &mut Weights, sparsity: f64, scope: PruneScope) -> Vec<Option<Vec<bool>>> {
    let masks = prune_masks(w, sparsity, scope);
    for (t, m) in w.tensors.iter_mut().zip(&masks) {
        for (v, keep) in t.data.iter_mut().zip(m.iter().flatten()) {
            if !keep {
                *v = 0.0;
            }
        }
    }
    masks
}

/// Fine-tunes `w` for compression with `plan`: the pruning (on a schedule, the
/// pruned weights held at zero) and, when `quantized`, the coding are applied
/// in every forward pass, so the network learns to work with what the file
/// will hold. Float weights are kept beside the model: each step runs on their
/// coded form `q`, and the optimizer's change to `q` is added to them
/// (`w ← w + (step(q) − q)`, the straight-through estimator). Batch-norm
/// statistics follow the data. The result, compressed with the same plan,
/// gives exactly the weights the last steps trained (the zeros are the
/// smallest magnitudes, so the same weights are pruned again). `progress`
/// hears each step's number (from 1) and loss.
pub async fn finetune(
    w: &Weights,
    plan: &Plan,
    train: &Cifar,
    f: &Finetune,
    device: &Device,
    progress: &mut dyn FnMut(usize, f32),
) -> Result<Weights, super::Error> {
    use super::train::{Distill, OptimizerKind, TrainConfig, Trainer};
    plan.check()?;
    let ad = device.clone().autodiff();
    // SGD with momentum 0.9; the learning rate is the fine-tune's own schedule.
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: f.batch_size,
        lr: f.lr,
        optimizer: OptimizerKind::Momentum { momentum: 0.9 },
        augment: true,
        seed: f.seed,
    };
    let mut t = Trainer::new(AnyModel::from_weights(w, &ad)?, &cfg, train.len(), &ad);
    if let Some((temperature, alpha)) = f.distill {
        let teacher = AnyModel::from_weights(w, device)?;
        t = t.with_distillation(Distill {
            teacher: Box::new(move |x| teacher.forward(x)),
            temperature,
            alpha,
        });
    }
    let mut rng = crate::math::rng::SplitMix64::new(f.seed);
    // The float copy, in the model's tensor order (a file's may differ).
    let mut master = to_weights(&t.model().valid()).await?;
    for step in 0..f.steps {
        let stage = Plan {
            sparsity: f.sparsity_at(step, plan.sparsity),
            coding: if f.quantized {
                plan.coding
            } else {
                crate::domain::Coding::Float
            },
            ..*plan
        };
        // The masks that zeroed the pruned weights code them too: they are
        // chosen once per step (the plan was checked above).
        let masks = zero_pruned(&mut master, stage.sparsity, stage.scope);
        let q = reconstruct_masked(&master, &masks, stage.coding);
        t.set_model(|m| set_weights(m, &q, device));
        let idx: Vec<usize> = (0..f.batch_size.min(train.len()))
            .map(|_| rng.below(train.len()))
            .collect();
        let p = t.forward_on(train, &idx, None, Some(&mut rng), &ad);
        let (value, _) = p.read().await?;
        t.learn(p, f.lr_at(step));
        progress(step + 1, value as f32);
        let stepped = to_weights(&t.model().valid()).await?;
        for ((m, (s, q)), mask) in master
            .tensors
            .iter_mut()
            .zip(stepped.tensors.iter().zip(&q.tensors))
            .zip(&masks)
        {
            match mask {
                Some(mask) => {
                    for (((v, s), q), keep) in m.data.iter_mut().zip(&s.data).zip(&q.data).zip(mask)
                    {
                        if *keep {
                            *v += s - q;
                        }
                    }
                }
                // Biases and batch norm: trained (or, for the running
                // statistics, updated) in the model directly.
                None => m.data.clone_from(&s.data),
            }
        }
    }
    zero_pruned(&mut master, plan.sparsity, plan.scope);
    master.metadata = w.metadata.clone();
    Ok(master)
}

/// A model's score on labelled images: how many it gets right, the code
/// length of their labels under it, Σ −log₂ p(y|x) (bits), and its answer for
/// each image (for the paired comparison of two models on the same images).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scored {
    pub images: usize,
    pub correct: usize,
    pub label_bits: f64,
    pub predicted: Vec<u8>,
}

impl From<&Evaluation> for Scored {
    fn from(e: &Evaluation) -> Self {
        Scored {
            images: e.n,
            correct: e.correct,
            label_bits: e.total_bits,
            predicted: e.predicted.clone(),
        }
    }
}

/// Everything the page shows about one compressed model.
pub fn report(
    plan: &Plan,
    original: &Weights,
    c: &Compressed,
    scored: &Scored,
    base: &Scored,
    labels: &[u8],
    millis: f64,
) -> CompressReport {
    let pair = Paired::count(&base.predicted, &scored.predicted, labels);
    let range = compressible_values(original).fold(0.0f32, |m, v| m.max(v.abs()));
    let after: Vec<f32> = compressible_values(&c.weights).collect();
    CompressReport {
        plan: *plan,
        // The original loaded, so its declared architecture is known.
        arch: crate::codec::arch::declared(original).unwrap_or(crate::domain::Arch::LabCnn),
        parameters: original.len(),
        original_bytes: 4 * original.len(),
        size: c.size,
        layers: c.layers.clone(),
        images: scored.images,
        correct: scored.correct,
        label_bits: scored.label_bits,
        base_correct: base.correct,
        base_label_bits: base.label_bits,
        only_base_right: pair.only_a,
        only_compressed_right: pair.only_b,
        deflate_label_bits: deflate_bits(labels),
        range,
        hist_before: histogram(compressible_values(original), range),
        hist_after: histogram(after.iter().copied().filter(|v| *v != 0.0), range),
        zeros_after: after.iter().filter(|v| **v == 0.0).count(),
        millis,
    }
}

/// A model's score on `test` (awaiting `pause()` between batches).
pub async fn score<F: std::future::Future<Output = ()>>(
    w: &Weights,
    test: &Cifar,
    device: &Device,
    pause: impl FnMut() -> F,
) -> Result<Scored, super::Error> {
    let model = AnyModel::from_weights(w, device)?;
    Ok(Scored::from(&evaluate(&model, test, device, pause).await?))
}

/// Compresses `w` with `plan` and measures it on `test`, for `lab` and the
/// worker alike. `original` is the model before any change (`w` itself, or
/// what `w` was fine-tuned from); `base` is its score. The report's time is
/// the caller's to fill in (`millis`).
pub async fn measure<F: std::future::Future<Output = ()>>(
    w: &Weights,
    original: &Weights,
    plan: &Plan,
    test: &Cifar,
    base: &Scored,
    device: &Device,
    pause: impl FnMut() -> F,
) -> Result<(Compressed, CompressReport), super::Error> {
    let c = compress(w, plan)?;
    let scored = score(&c.weights, test, device, pause).await?;
    let r = report(plan, original, &c, &scored, base, &test.labels, 0.0);
    Ok((c, r))
}
