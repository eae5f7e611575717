//! Training in the worker: data shards fetched one by one (training starts with
//! the first), one batch at a time with asynchronous readback, pause / resume /
//! stop between batches, the held-out test set after every epoch (and looks at
//! it part-way through the first two, [`LookClock`]), and a checkpoint in
//! IndexedDB after every epoch and at the end.

use super::cores::{self, Cores};
use super::{current, fetch_bytes, now_ms, post, site_file, sleep, store, STATE};
use crate::data::cifar::{Cifar, CLASSES};
use crate::domain::train::LookClock;
use crate::engine::eval::evaluate as evaluate_model;
use crate::engine::eval::Evaluation;
use crate::engine::model::{init_seeded, to_weights, AnyModel, Classifier};
use crate::engine::parallel::{evaluate_on, split, Helpers};
use crate::engine::train::{Batch, BatchReport, Distill, EpochSums, TrainConfig, Trainer};
use crate::engine::{cpu, Device};
use crate::lang::Lang;
use crate::protocol::{
    Backend, BatchStats, CodeMeter, EngineError, EpochStats, FromWorker, ModelRef, Origin,
    RunOutcome, SavedModel, TestLook, TrainSettings,
};
use burn::module::Module;
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;

/// Test images shown with their predictions on the training page.
pub const GRID: usize = 24;

#[derive(Deserialize)]
struct Manifest {
    available: bool,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    train: Option<Set>,
    #[serde(default)]
    test: Option<Set>,
}

#[derive(Deserialize)]
struct Set {
    shards: Vec<Shard>,
}

#[derive(Deserialize)]
struct Shard {
    file: String,
    records: usize,
}

/// Starts a run unless one is going; the settings are checked first (the
/// page checks too; the worker trusts no one).
pub fn start(settings: TrainSettings) -> Result<(), EngineError> {
    settings.validate().map_err(EngineError::Settings)?;
    STATE.with_borrow_mut(|s| {
        if s.training {
            return Err(EngineError::Busy);
        }
        (s.training, s.paused, s.stop) = (true, false, false);
        Ok(())
    })?;
    wasm_bindgen_futures::spawn_local(run(settings));
    Ok(())
}

async fn run(s: TrainSettings) {
    let (outcome, saved) = match train(&s).await {
        Ok(ended) => ended,
        Err(e) => (RunOutcome::Failed(e), None),
    };
    STATE.with_borrow_mut(|st| st.training = false);
    post(&FromWorker::TrainEnded { outcome, saved });
}

/// The data manifest; an error that says how to add data when the build has none.
async fn manifest() -> Result<Manifest, EngineError> {
    let bytes = fetch_bytes(&site_file("data/manifest.json")).await?;
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| bad_data("manifest.json", e))?;
    if !m.available {
        return Err(EngineError::NoData { reason: m.reason });
    }
    Ok(m)
}

fn bad_data(name: &str, detail: impl ToString) -> EngineError {
    EngineError::BadFile {
        name: format!("data/{name}"),
        problem: crate::protocol::FileProblem::Damaged,
        detail: detail.to_string(),
    }
}

/// One data shard, fetched and parsed.
async fn shard(file: &str) -> Result<Cifar, EngineError> {
    let bytes = fetch_bytes(&site_file(&format!("data/{file}"))).await?;
    Cifar::parse(&bytes, file).map_err(|e| bad_data(file, e))
}

/// The held-out test set (fetched once per worker).
pub(crate) async fn test_set() -> Result<Rc<Cifar>, EngineError> {
    if let Some(t) = STATE.with_borrow(|st| st.test.clone()) {
        return Ok(t);
    }
    let m = manifest().await?;
    let mut test_set = Cifar::default();
    let test = m
        .test
        .ok_or_else(|| bad_data("manifest.json", "no test set"))?;
    for sh in &test.shards {
        test_set.extend(&shard(&sh.file).await?);
    }
    let t = Rc::new(test_set);
    STATE.with_borrow_mut(|st| st.test = Some(t.clone()));
    Ok(t)
}

/// Starts loading the training images into `data`; returns the test set and
/// how many training images the run will have.
async fn load_data(
    s: &TrainSettings,
    data: Rc<RefCell<Cifar>>,
) -> Result<(Cifar, usize), EngineError> {
    let m = manifest().await?;
    let train = m
        .train
        .ok_or_else(|| bad_data("manifest.json", "no training set"))?;
    let test_set = test_set().await?.as_ref().clone();
    let wanted: Vec<&Shard> = {
        let mut n = 0;
        train
            .shards
            .iter()
            .take_while(|sh| {
                let take = n < s.subset;
                n += sh.records;
                take
            })
            .collect()
    };
    let total = s.subset.min(wanted.iter().map(|sh| sh.records).sum());
    post(&FromWorker::Data { loaded: 0, total });
    // The first shard before training starts; the rest arrive while it runs.
    let first = wanted
        .first()
        .ok_or_else(|| bad_data("manifest.json", "no training shards"))?;
    let part = shard(&first.file).await?;
    let add = move |data: &Rc<RefCell<Cifar>>, part: Cifar, total: usize| {
        let mut d = data.borrow_mut();
        let room = total.saturating_sub(d.len()).min(part.len());
        d.extend(&part.slice(0..room));
        post(&FromWorker::Data {
            loaded: d.len(),
            total,
        });
    };
    add(&data, part, total);
    let rest: Vec<String> = wanted[1..].iter().map(|sh| sh.file.clone()).collect();
    wasm_bindgen_futures::spawn_local(async move {
        for file in rest {
            match shard(&file).await {
                Ok(part) => add(&data, part, total),
                Err(e) => {
                    // Training goes on with the records it has.
                    post(&FromWorker::Problem(e));
                    break;
                }
            }
        }
    });
    Ok((test_set, total))
}

/// The run's trainer on `device`: the same initial weights on every backend
/// (drawn on the CPU from the seed), and the teacher when there is one.
async fn trainer(
    s: &TrainSettings,
    device: &Device,
    records: usize,
) -> Result<Trainer<AnyModel>, EngineError> {
    let cpu_model = init_seeded(AnyModel::new(s.arch, &cpu()), s.seed, &cpu());
    let init = to_weights(&cpu_model).await?;
    let ad = device.clone().autodiff();
    let model = AnyModel::new(s.arch, &ad).load_weights(&init, &ad)?;
    let mut t = Trainer::new(model, &TrainConfig::from(s), records, &ad);
    if let Some(teacher) = &s.teacher {
        let (w, _) = super::weights_of(&teacher.model).await?;
        let tm = AnyModel::from_weights(&w, device)
            .map_err(|e| super::bad_file(teacher.model.to_string(), e))?;
        t = t.with_distillation(Distill {
            teacher: Box::new(move |x| tm.forward(x)),
            temperature: teacher.temperature,
            alpha: teacher.alpha,
        });
    }
    Ok(t)
}

async fn train(s: &TrainSettings) -> Result<(RunOutcome, Option<SavedModel>), EngineError> {
    // The run's clock from Start, moved on by each pause: each epoch's result
    // says when it came.
    let mut started = now_ms();
    let (backend, device) = current().await;
    let data = Rc::new(RefCell::new(Cifar::default()));
    let (test, train_size) = load_data(s, data.clone()).await?;
    let records = data.borrow().len();
    let mut t = trainer(s, &device, records).await?;
    t.expect_records(train_size);
    let ad = device.clone().autodiff();
    let key = format!("run-{}", js_sys::Date::now() as u64);
    let origin = Origin::Trained {
        arch: s.arch,
        images: s.subset,
        optimizer: s.optimizer,
        lr: s.lr,
        distilled: s.teacher.as_ref().map(|t| (t.temperature, t.alpha)),
        backend,
        epoch: None,
    };
    let mut helpers = helpers_for(backend, s).await;
    let mut outbox = Outbox::default();
    let mut meter = CodeMeter::new(train_size);
    let (mut busy_ms, mut images) = (0.0, 0usize);
    let mut sums = EpochSums::default();
    let mut saved = None;
    let mut last_test = None;
    let mut looks = LookClock::starting_at((now_ms() - started) / 1000.0);
    let outcome = loop {
        if STATE.with_borrow(|st| st.stop) {
            break RunOutcome::Stopped;
        }
        if STATE.with_borrow(|st| st.paused) {
            outbox.flush();
            started += pause().await;
            continue;
        }
        if t.done() {
            break RunOutcome::Finished;
        }
        let t0 = now_ms();
        t.set_records(data.borrow().len());
        let b = t.next_batch(&data.borrow());
        let r = match step(&mut t, &b, &mut helpers, &ad, &mut outbox).await {
            Ok(Ok(r)) => r,
            Ok(Err(d)) => break RunOutcome::Diverged(d),
            Err(e) => {
                outbox.flush();
                return Err(e.into());
            }
        };
        busy_ms += now_ms() - t0;
        images += r.size;
        meter.add(r.epoch, r.size, r.bits, r.first_labels, r.first_bits);
        sums.add(&r);
        let ips = images as f64 / (busy_ms / 1000.0).max(1e-9);
        let cores = match backend {
            Backend::Cpu => split(s.batch_size, helpers.count() + 1).len(),
            Backend::WebGpu => 0,
        };
        outbox.push(batch_stats(&r, &t, s, meter, ips, cores));
        if r.batch == r.batches {
            outbox.flush();
            let (ev, seconds) = test_now(&t, &test, &mut helpers, &mut looks, started).await?;
            let stats = epoch_stats(&ev, &r, t.steps(), &sums, seconds);
            last_test = Some((stats.test_accuracy, test.len()));
            post(&FromWorker::Epoch(stats));
            sums = EpochSums::default();
            // A checkpoint: a lost GPU or a closed tab keeps the epochs done.
            // A checkpoint the browser refuses (a full quota) is a problem
            // shown with the run, which goes on.
            match save(&t, &key, origin.at_epoch(r.epoch), last_test).await {
                Ok(m) => {
                    post(&FromWorker::Saved(m.clone()));
                    saved = Some(m);
                }
                Err(e) => post(&FromWorker::Problem(e)),
            }
        } else {
            let clocks = (&mut looks, started);
            look_if_due(&t, &test, &r, &mut helpers, clocks, &mut outbox).await?;
        }
        sleep(0).await;
    };
    outbox.flush();
    if t.steps() > 0 && !matches!(outcome, RunOutcome::Diverged(_)) {
        match save(&t, &key, origin.clone(), last_test).await {
            Ok(m) => saved = Some(m),
            Err(e) => post(&FromWorker::Problem(e)),
        }
    }
    if helpers.count() > 0 {
        STATE.with_borrow_mut(|st| st.cores = Some(helpers));
    }
    Ok((outcome, saved))
}

/// One step on `b`; when a helper core fails, the problem is shown and the
/// run goes on alone, from this batch.
async fn step(
    t: &mut Trainer<AnyModel>,
    b: &Batch,
    helpers: &mut Cores,
    device: &Device,
    outbox: &mut Outbox,
) -> Result<Result<BatchReport, crate::domain::Diverged>, crate::engine::Error> {
    match t.step(b, helpers, device).await {
        Err(e @ crate::engine::Error::Helper(_)) => {
            outbox.flush();
            post(&FromWorker::Problem(e.into()));
            *helpers = Cores::alone();
            t.step(b, helpers, device).await
        }
        other => other,
    }
}

/// The steps' figures on their way to the page: sent together at most every
/// [`Outbox::EVERY_MS`], so that a fast run does not redraw the page at every
/// step (its main thread would take a share of the cores the run trains on).
#[derive(Default)]
struct Outbox {
    pending: Vec<BatchStats>,
    sent_ms: f64,
}

impl Outbox {
    const EVERY_MS: f64 = 250.0;

    fn push(&mut self, b: BatchStats) {
        self.pending.push(b);
        if now_ms() - self.sent_ms >= Self::EVERY_MS {
            self.flush();
        }
    }

    /// Sends what waits (before a message that must follow it).
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            post(&FromWorker::Batches(std::mem::take(&mut self.pending)));
            self.sent_ms = now_ms();
        }
    }
}

/// What the page shows of a step: `r`, the run so far, its speed (`ips`,
/// images/s) and the CPU cores it trains on (0 on the GPU).
fn batch_stats(
    r: &BatchReport,
    t: &Trainer<AnyModel>,
    s: &TrainSettings,
    meter: CodeMeter,
    ips: f64,
    cores: usize,
) -> BatchStats {
    let remaining = t.total_steps().saturating_sub(t.steps()) * s.batch_size;
    BatchStats {
        epoch: r.epoch,
        epochs: s.epochs,
        batch: r.batch,
        batches: r.batches,
        step: t.steps(),
        total_steps: t.total_steps(),
        loss: r.loss,
        accuracy: r.correct as f64 / r.size.max(1) as f64,
        lr: r.lr,
        meter,
        images_per_second: ips,
        eta_seconds: remaining as f64 / ips.max(1e-9),
        cores,
    }
}

/// Waits while the run is paused (and not stopped); the milliseconds it waited.
async fn pause() -> f64 {
    post(&FromWorker::Paused(true));
    let p0 = now_ms();
    while STATE.with_borrow(|st| st.paused && !st.stop) {
        sleep(100).await;
    }
    post(&FromWorker::Paused(false));
    now_ms() - p0
}

/// The other cores, on the CPU backend, unless the visitor asked for one or a
/// teacher is distilled (only this worker holds it). Started once, kept
/// between runs.
async fn helpers_for(backend: Backend, s: &TrainSettings) -> Cores {
    if backend != Backend::Cpu || s.teacher.is_some() || s.one_core {
        return Cores::alone();
    }
    // As many as the batch has parts for, on the cores the browser reports.
    let reported = cores::reported().min(cores::MAX_HELPERS + 1);
    let wanted = split(s.batch_size, reported).len() - 1;
    match STATE.with_borrow_mut(|st| st.cores.take()) {
        Some(c) if c.count() >= wanted => c,
        _ => Cores::start(wanted).await,
    }
}

/// A look at the test set part-way through an epoch, after step `r`, when
/// one is due.
async fn look_if_due(
    t: &Trainer<AnyModel>,
    test: &Cifar,
    r: &BatchReport,
    helpers: &mut Cores,
    (looks, started): (&mut LookClock, f64),
    outbox: &mut Outbox,
) -> Result<(), EngineError> {
    if !looks.due((now_ms() - started) / 1000.0, r.epoch, r.batch, r.batches) {
        return Ok(());
    }
    outbox.flush();
    let (ev, seconds) = test_now(t, test, helpers, looks, started).await?;
    post(&FromWorker::Look(TestLook {
        epoch: r.epoch,
        batch: r.batch,
        batches: r.batches,
        step: t.steps(),
        test_loss: ev.mean_loss_nats(),
        correct: ev.correct,
        n: ev.n,
        seconds,
    }));
    Ok(())
}

/// The held-out test set under the model as it is now, on every core the run
/// trains on, and the run's clock (seconds since `started`, in ms) when it is
/// done; `looks` learns when and what it cost. When a helper fails, the
/// problem is shown and the run goes on alone, from this evaluation.
async fn test_now(
    t: &Trainer<AnyModel>,
    test: &Cifar,
    helpers: &mut Cores,
    looks: &mut LookClock,
    started: f64,
) -> Result<(Evaluation, f64), EngineError> {
    let t0 = now_ms();
    let valid = t.model().valid();
    let device = valid.devices().first().cloned().unwrap_or_else(cpu);
    let ev = match evaluate_on(&valid, test, &device, helpers, || sleep(0)).await {
        Err(e @ crate::engine::Error::Helper(_)) => {
            post(&FromWorker::Problem(e.into()));
            *helpers = Cores::alone();
            evaluate_model(&valid, test, &device, || sleep(0)).await?
        }
        other => other?,
    };
    let end = now_ms();
    let seconds = (end - started) / 1000.0;
    looks.tested(seconds, (end - t0) / 1000.0);
    Ok((ev, seconds))
}

/// An epoch's result: the test set's evaluation `ev` after the epoch's last
/// step `r` (the run's `step`), the epoch's training figures, and `seconds`
/// on the run's clock.
fn epoch_stats(
    ev: &Evaluation,
    r: &BatchReport,
    step: usize,
    sums: &EpochSums,
    seconds: f64,
) -> EpochStats {
    EpochStats {
        epoch: r.epoch,
        step,
        train_loss: sums.loss(),
        train_accuracy: sums.accuracy(),
        test_loss: ev.mean_loss_nats(),
        test_accuracy: ev.accuracy(),
        per_class: (0..CLASSES).map(|c| ev.class_accuracy(c)).collect(),
        confusion: ev.confusion.iter().flatten().copied().collect(),
        grid: ev.predicted.iter().take(GRID).copied().collect(),
        seconds,
    }
}

async fn save(
    t: &Trainer<AnyModel>,
    key: &str,
    origin: Origin,
    test: Option<(f64, usize)>,
) -> Result<SavedModel, EngineError> {
    let valid = t.model().valid();
    let name = origin.label(Lang::En);
    let mut w = to_weights(&valid).await?;
    w.metadata.insert("name".into(), name.clone());
    let bytes = w.to_bytes()?;
    let meta = SavedModel {
        key: key.to_string(),
        name,
        arch: valid.arch(),
        parameters: valid.num_params(),
        test_accuracy: test.map(|(a, _)| a),
        test_images: test.map(|(_, n)| n),
        bytes: bytes.len(),
        created: js_sys::Date::now(),
        compressed: false,
        origin: Some(origin),
    };
    store::put(&meta, &bytes).await?;
    let saved = ModelRef::Saved(key.to_string());
    STATE.with_borrow_mut(|st| {
        st.models.retain(|(k, _), _| k != &saved);
        st.weights.remove(&saved);
        st.base_scores.retain(|(k, _, _), _| k != &saved);
    });
    Ok(meta)
}
