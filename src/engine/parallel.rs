//! Training on several CPU cores, data-parallel: each batch is cut into parts,
//! helpers (Web Workers in a browser, threads natively) compute the gradient of
//! their part's mean loss at the model's current weights, and the trainer adds
//! them, each weighted by its share of the batch, to the gradient of its own
//! part — the gradient of the whole batch's mean loss — before one optimizer
//! step ([`super::train::Trainer::step`]).
//!
//! For a model without batch norm this is the single-core step up to float
//! rounding (a test holds the two together). With batch norm each part is
//! normalized by its own statistics, as in multi-GPU training without
//! synchronized batch norm, and the running statistics follow the trainer's
//! own part.
//!
//! What crosses between cores is plain numbers: the weights (every tensor of
//! [`Classifier::tensors`], in that order, concatenated), a part's normalized
//! images and labels, and back its mean loss, logits and gradient (every
//! trainable parameter in the model's visiting order, concatenated).
//!
//! The test set is evaluated the same way ([`evaluate_on`]): its records cut
//! in parts, each helper returning its part's log-probabilities under the
//! model in inference mode.

use super::batch;
use super::eval::{evaluate, log_probs, Evaluation, BATCH};
use super::model::{AnyModel, Classifier};
use super::readback::read;
use super::{Device, Error};
use crate::data::cifar::{Cifar, CLASSES, PIXELS};
use crate::domain::Arch;
use burn::module::{ModuleVisitor, Param};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::GradientsParams;
use burn::prelude::*;
use std::future::Future;
use std::ops::Range;

/// Fewest images a part is given: smaller parts cost more per image than a
/// second core gains (`lab train --cores`, docs/benchmarks.md).
pub const MIN_PART: usize = 4;

/// A batch's part for a helper.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// `[n, 3, 32, 32]` normalized images, row-major.
    pub images: Vec<f32>,
    pub labels: Vec<u8>,
    pub work: Work,
}

/// What a [`Part`] asks a helper for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// A training step's: the gradient of the part's mean loss, the loss and
    /// the logits, the model in training mode.
    Gradient,
    /// An evaluation's: the part's log-probabilities, the model in inference
    /// mode (no gradient).
    LogProbs,
}

/// What a helper computes for a [`Part`].
#[derive(Clone, Debug, PartialEq)]
pub struct PartGrad {
    /// The part's mean cross-entropy (nats); NaN for [`Work::LogProbs`] (the
    /// evaluation counts the costs from the log-probabilities itself).
    pub loss: f64,
    /// `[n, 10]` logits, row-major ([`Work::LogProbs`]: log-probabilities).
    pub logits: Vec<f32>,
    /// ∂ loss / ∂ θ for every trainable parameter, in the model's visiting
    /// order (empty for [`Work::LogProbs`]).
    pub grads: Vec<f32>,
}

/// Where a batch's parts are computed besides the trainer's own core.
pub trait Helpers {
    /// How many parts the helpers take at once (0: the trainer works alone).
    fn count(&self) -> usize;
    /// Starts computing `parts` (at most [`Helpers::count`]) at the weights `params`.
    fn send(&mut self, arch: Arch, params: &[f32], parts: Vec<Part>) -> Result<(), Error>;
    /// The results of the parts last sent, in their order.
    fn receive(&mut self) -> impl Future<Output = Result<Vec<PartGrad>, Error>>;
}

/// The one check of every [`Helpers::send`]: no more parts than helpers.
pub fn room(parts: usize, helpers: usize) -> Result<(), Error> {
    if parts > helpers {
        return Err(Error::Helper(HelperProblem::Count {
            sent: parts,
            helpers,
        }));
    }
    Ok(())
}

/// No helpers: every part on the trainer's core (the GPU, or one CPU core).
pub struct Alone;

impl Helpers for Alone {
    fn count(&self) -> usize {
        0
    }

    fn send(&mut self, _: Arch, _: &[f32], parts: Vec<Part>) -> Result<(), Error> {
        room(parts.len(), 0)
    }

    async fn receive(&mut self) -> Result<Vec<PartGrad>, Error> {
        Ok(Vec::new())
    }
}

/// Why a helper's part did not come back.
#[derive(Clone, Debug, PartialEq)]
pub enum HelperProblem {
    /// More parts than helpers.
    Count { sent: usize, helpers: usize },
    /// A helper stopped (its worker failed or its thread ended), in the platform's words.
    Lost(String),
    /// A result of the wrong size: `what` had `got` numbers, `want` expected.
    Size {
        what: &'static str,
        got: usize,
        want: usize,
    },
    /// A label that is no class (0–9).
    Label(u8),
}

impl std::fmt::Display for HelperProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HelperProblem::Count { sent, helpers } => {
                write!(f, "{sent} parts sent to {helpers} helpers")
            }
            HelperProblem::Lost(why) => write!(f, "a helper stopped: {why}"),
            HelperProblem::Size { what, got, want } => {
                write!(f, "a helper's {what} had {got} numbers, not {want}")
            }
            HelperProblem::Label(y) => write!(f, "a helper was sent label {y}, which is no class"),
        }
    }
}

/// `n` images cut into at most `parts` contiguous ranges of at least
/// [`MIN_PART`] images (one range when `n` is smaller), sizes differing by at
/// most one, the larger first.
pub fn split(n: usize, parts: usize) -> Vec<Range<usize>> {
    let k = parts.min(n / MIN_PART).max(1);
    let (base, extra) = (n / k, n % k);
    let mut start = 0;
    (0..k)
        .map(|i| {
            let len = base + usize::from(i < extra);
            start += len;
            start - len..start
        })
        .collect()
}

/// `model` (in inference mode) evaluated on every record of `data`, the
/// records cut in parts as a batch is: the first evaluated here (awaiting
/// `pause()` after each of its batches), the others by `helpers` at the same
/// weights, at the same time. The evaluation [`evaluate`] gives alone, up to
/// float rounding, in record order.
pub async fn evaluate_on<M: Classifier, F: Future<Output = ()>>(
    model: &M,
    data: &Cifar,
    device: &Device,
    helpers: &mut impl Helpers,
    pause: impl FnMut() -> F,
) -> Result<Evaluation, Error> {
    let ranges = split(data.len(), helpers.count() + 1);
    if ranges.len() == 1 {
        return evaluate(model, data, device, pause).await;
    }
    let params = params(model).await?;
    let parts = ranges[1..]
        .iter()
        .map(|r| Part {
            images: batch::pixels(data, &r.clone().collect::<Vec<_>>(), None),
            labels: data.labels[r.clone()].to_vec(),
            work: Work::LogProbs,
        })
        .collect();
    helpers.send(model.arch(), &params, parts)?;
    let mut ev = evaluate(model, &data.slice(ranges[0].clone()), device, pause).await?;
    let results = helpers.receive().await?;
    room(ranges.len() - 1, results.len())?;
    for (r, range) in results.iter().zip(&ranges[1..]) {
        if r.logits.len() != range.len() * CLASSES {
            return Err(Error::Helper(HelperProblem::Size {
                what: "log-probabilities",
                got: r.logits.len(),
                want: range.len() * CLASSES,
            }));
        }
        ev.add(&r.logits, &data.labels[range.clone()]);
    }
    Ok(ev)
}

/// Every tensor of `m` ([`Classifier::tensors`]) in one vector, read back at once.
pub async fn params<M: Classifier>(m: &M) -> Result<Vec<f32>, Error> {
    let values: Vec<Tensor<1>> = m.tensors().into_iter().map(|t| t.values).collect();
    read(Tensor::cat(values, 0)).await
}

/// The trainable parameters' gradients in `grads`, in `m`'s visiting order,
/// each flattened (still on the device).
pub fn flat_grads<M: Module>(m: &M, grads: &GradientsParams) -> Vec<Tensor<1>> {
    struct Collect<'a> {
        grads: &'a GradientsParams,
        out: Vec<Tensor<1>>,
    }
    impl ModuleVisitor for Collect<'_> {
        fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
            if let Some(g) = self.grads.get::<D>(p.id) {
                self.out.push(g.flatten(0, D - 1));
            }
        }
    }
    let mut c = Collect {
        grads,
        out: Vec::new(),
    };
    m.visit(&mut c);
    c.out
}

/// `grads` plus `extra` (numbers in [`flat_grads`]' order), for `m`'s parameters.
pub fn add_grads<M: Module>(
    m: &M,
    grads: GradientsParams,
    extra: &[f32],
) -> Result<GradientsParams, Error> {
    struct Add<'a> {
        grads: GradientsParams,
        extra: &'a [f32],
        at: usize,
    }
    impl ModuleVisitor for Add<'_> {
        fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
            let Some(g) = self.grads.remove::<D>(p.id) else {
                return;
            };
            let n = g.shape().num_elements();
            let Some(values) = self.extra.get(self.at..self.at + n) else {
                self.at += n;
                self.grads.register(p.id, g);
                return;
            };
            self.at += n;
            let more = Tensor::<1>::from_data(TensorData::new(values.to_vec(), [n]), &g.device());
            let dims = g.dims();
            self.grads.register(p.id, g + more.reshape(dims));
        }
    }
    let mut a = Add {
        grads,
        extra,
        at: 0,
    };
    m.visit(&mut a);
    if a.at != extra.len() {
        return Err(Error::Helper(HelperProblem::Size {
            what: "gradient",
            got: extra.len(),
            want: a.at,
        }));
    }
    Ok(a.grads)
}

/// A helper's side: a model of its own on the CPU, loaded with each part's
/// weights, and the gradient of the part's mean loss.
pub struct PartTrainer {
    model: Option<AnyModel>,
    device: Device,
}

impl Default for PartTrainer {
    fn default() -> Self {
        PartTrainer {
            model: None,
            device: super::cpu().autodiff(),
        }
    }
}

impl PartTrainer {
    /// What `part` asks for ([`Work`]) at the weights `params` (in
    /// [`params`]' order for `arch`).
    pub async fn answer(
        &mut self,
        arch: Arch,
        params: &[f32],
        part: &Part,
    ) -> Result<PartGrad, Error> {
        let n = part.labels.len();
        if part.images.len() != n * PIXELS {
            return Err(Error::Helper(HelperProblem::Size {
                what: "images",
                got: part.images.len(),
                want: n * PIXELS,
            }));
        }
        if let Some(&y) = part.labels.iter().find(|&&y| usize::from(y) >= CLASSES) {
            return Err(Error::Helper(HelperProblem::Label(y)));
        }
        let model = self.load(arch, params)?;
        let answer = match part.work {
            Work::Gradient => gradient(&model, part, &self.device).await,
            Work::LogProbs => log_probs_of(&model.valid(), part).await,
        };
        self.model = Some(model);
        answer
    }

    /// The helper's model for `arch` with the weights `params`.
    fn load(&mut self, arch: Arch, params: &[f32]) -> Result<AnyModel, Error> {
        let model = match self.model.take() {
            Some(m) if m.arch() == arch => m,
            _ => AnyModel::new(arch, &self.device),
        };
        let mut w = crate::codec::weights::Weights::default();
        let mut at = 0;
        for t in model.tensors() {
            let len: usize = t.shape.iter().product();
            let values = params
                .get(at..at + len)
                .ok_or(Error::Helper(HelperProblem::Size {
                    what: "weights",
                    got: params.len(),
                    want: at + len,
                }))?;
            w.push(&t.name, t.shape, values.to_vec());
            at += len;
        }
        if at != params.len() {
            return Err(Error::Helper(HelperProblem::Size {
                what: "weights",
                got: params.len(),
                want: at,
            }));
        }
        Ok(model.load_weights(&w, &self.device)?)
    }
}

/// The gradient of `part`'s mean cross-entropy under `model` (on the
/// autodiff `device`), with the loss and logits.
async fn gradient(model: &AnyModel, part: &Part, device: &Device) -> Result<PartGrad, Error> {
    let n = part.labels.len();
    let images = batch::from_pixels(part.images.clone(), n, device);
    let logits = model.forward(images); // [n, 10]
    let loss = CrossEntropyLossConfig::new()
        .init(device)
        .forward(logits.clone(), batch::targets(&part.labels, device)); // [1]
    let grads = GradientsParams::from_grads(loss.backward(), model);
    let mut out = vec![loss.inner(), logits.inner().flatten(0, 1)];
    out.extend(flat_grads(model, &grads));
    let mut v = read(Tensor::cat(out, 0)).await?;
    let grads = v.split_off(1 + n * CLASSES);
    let logits = v.split_off(1);
    Ok(PartGrad {
        loss: v[0] as f64,
        logits,
        grads,
    })
}

/// `part`'s log-probabilities under `model` in inference mode, in batches
/// of the evaluation's size.
async fn log_probs_of(model: &AnyModel, part: &Part) -> Result<PartGrad, Error> {
    let device = super::cpu();
    let mut out = Vec::with_capacity(part.labels.len() * CLASSES);
    for images in part.images.chunks(BATCH * PIXELS) {
        let x = batch::from_pixels(images.to_vec(), images.len() / PIXELS, &device);
        out.extend(log_probs(model, x).await?);
    }
    Ok(PartGrad {
        loss: f64::NAN,
        logits: out,
        grads: Vec::new(),
    })
}

/// A part for a helper thread: the architecture, the weights, the part.
#[cfg(not(target_arch = "wasm32"))]
type Job = (Arch, std::sync::Arc<[f32]>, Part);

/// Native helpers: one thread each, for `lab train --cores` and the tests.
#[cfg(not(target_arch = "wasm32"))]
pub struct Threads {
    jobs: Vec<std::sync::mpsc::Sender<Job>>,
    results: std::sync::mpsc::Receiver<(usize, Result<PartGrad, Error>)>,
    sent: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl Threads {
    /// `count` helper threads.
    pub fn new(count: usize) -> Self {
        use std::sync::mpsc::channel;
        let (done, results) = channel();
        let jobs = (0..count)
            .map(|i| {
                let (tx, rx) = channel::<Job>();
                let done = done.clone();
                std::thread::spawn(move || {
                    let mut helper = PartTrainer::default();
                    for (arch, params, part) in rx {
                        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            super::block_on(helper.answer(arch, &params, &part))
                        }))
                        .unwrap_or_else(|_| {
                            Err(Error::Helper(HelperProblem::Lost(
                                "the thread panicked".into(),
                            )))
                        });
                        if done.send((i, r)).is_err() {
                            break;
                        }
                    }
                });
                tx
            })
            .collect();
        Threads {
            jobs,
            results,
            sent: 0,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Helpers for Threads {
    fn count(&self) -> usize {
        self.jobs.len()
    }

    fn send(&mut self, arch: Arch, params: &[f32], parts: Vec<Part>) -> Result<(), Error> {
        room(parts.len(), self.jobs.len())?;
        let params: std::sync::Arc<[f32]> = params.into();
        self.sent = parts.len();
        for (job, part) in self.jobs.iter().zip(parts) {
            job.send((arch, params.clone(), part))
                .map_err(|_| Error::Helper(HelperProblem::Lost("thread ended".into())))?;
        }
        Ok(())
    }

    async fn receive(&mut self) -> Result<Vec<PartGrad>, Error> {
        // Every part's answer is taken, failed or not, so none is left for
        // the next step to misread.
        let mut got: Vec<Option<Result<PartGrad, Error>>> = vec![None; self.sent];
        for _ in 0..std::mem::take(&mut self.sent) {
            let (i, r) = self
                .results
                .recv()
                .map_err(|_| Error::Helper(HelperProblem::Lost("thread ended".into())))?;
            got[i] = Some(r);
        }
        got.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_cuts_contiguous_parts_of_at_least_min_part() {
        assert_eq!(split(16, 2), vec![0..8, 8..16]);
        assert_eq!(split(17, 3), vec![0..6, 6..12, 12..17]);
        // Never a part under MIN_PART: 7 images stay in one part.
        assert_eq!(split(7, 4), vec![0..7]);
        assert_eq!(split(8, 8), vec![0..4, 4..8]);
        assert_eq!(split(3, 1), vec![0..3]);
        assert_eq!(split(0, 4), vec![0..0]);
        for n in 0..70 {
            for k in 1..9 {
                let s = split(n, k);
                assert_eq!(s.first().map(|r| r.start), Some(0));
                assert_eq!(s.last().map(|r| r.end), Some(n));
                assert!(s.windows(2).all(|w| w[0].end == w[1].start));
                assert!(s.len() <= k);
                assert!(s.len() == 1 || s.iter().all(|r| r.len() >= MIN_PART));
            }
        }
    }
}
