//! Training in the worker: data shards fetched one by one (training starts with
//! the first), one batch at a time with asynchronous readback, pause / resume /
//! stop between batches, the held-out test set after every epoch, and a
//! checkpoint in IndexedDB after every epoch and at the end.

use super::{base_url, current, fetch_bytes, now_ms, post, sleep, store, STATE};
use crate::data::cifar::{Cifar, CLASSES};
use crate::engine::eval::{argmax, log_probs_async};
use crate::engine::model::{init_seeded, to_weights_async, AnyModel, Classifier};
use crate::engine::train::{Distill, OptimizerKind, TrainConfig, Trainer};
use crate::engine::{batch, cpu};
use crate::protocol::{
    BatchStats, CodeMeter, EpochStats, FromWorker, Optimizer, SavedModel, TrainSettings,
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

fn optimizer(s: &TrainSettings) -> OptimizerKind {
    match s.optimizer {
        Optimizer::Sgd => OptimizerKind::Momentum { momentum: 0.0 },
        Optimizer::Momentum => OptimizerKind::Momentum {
            momentum: s.momentum,
        },
        Optimizer::Adam => OptimizerKind::AdamW { weight_decay: 0.0 },
    }
}

/// Validates the settings (the page checks too; the worker trusts no one).
fn check(s: &TrainSettings) -> Result<(), String> {
    if !(s.lr.is_finite() && s.lr > 0.0) {
        return Err("The learning rate must be a positive number.".into());
    }
    if !(1..=200).contains(&s.epochs) {
        return Err("Epochs must be between 1 and 200.".into());
    }
    if !(1..=1024).contains(&s.batch_size) {
        return Err("The batch size must be between 1 and 1024.".into());
    }
    if !(1..=10_000).contains(&s.subset) {
        return Err("The training subset must be between 1 and 10,000 images.".into());
    }
    if !(0.0..1.0).contains(&s.momentum) {
        return Err("Momentum must be in [0, 1).".into());
    }
    if let Some(t) = &s.teacher {
        if !(t.temperature.is_finite() && (0.1..=100.0).contains(&t.temperature)) {
            return Err("The distillation temperature must be between 0.1 and 100.".into());
        }
        if !(0.0..=1.0).contains(&t.alpha) {
            return Err("The distillation weight \u{3b1} must be between 0 and 1.".into());
        }
    }
    Ok(())
}

pub async fn run(s: TrainSettings) {
    let outcome = match train(&s).await {
        Ok((outcome, saved)) => FromWorker::TrainEnded { outcome, saved },
        Err(e) => FromWorker::TrainEnded {
            outcome: e,
            saved: None,
        },
    };
    STATE.with_borrow_mut(|st| st.training = false);
    post(&outcome);
}

/// The data manifest; an error that says how to add data when the build has none.
async fn manifest() -> Result<Manifest, String> {
    let bytes = fetch_bytes(&format!("{}data/manifest.json", base_url())).await?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| format!("data/manifest.json is damaged: {e}"))?;
    if !m.available {
        return Err(format!(
            "This build of the site has no CIFAR-10 data ({}). Put the data in ../shared/cifar10 or \
             set CIFAR10_DIR (see the README), then rebuild.",
            m.reason
        ));
    }
    Ok(m)
}

/// The held-out test set (fetched once per worker).
pub(crate) async fn test_set() -> Result<Rc<Cifar>, String> {
    if let Some(t) = STATE.with_borrow(|st| st.test.clone()) {
        return Ok(t);
    }
    let base = base_url();
    let m = manifest().await?;
    let mut test_set = Cifar::default();
    for sh in &m.test.ok_or("the manifest lists no test set")?.shards {
        let bytes = fetch_bytes(&format!("{base}data/{}", sh.file)).await?;
        test_set.extend(&Cifar::parse(&bytes, &sh.file).map_err(|e| e.to_string())?);
    }
    let t = Rc::new(test_set);
    STATE.with_borrow_mut(|st| st.test = Some(t.clone()));
    Ok(t)
}

/// Starts loading the training images into `data`; returns the test set and
/// how many training images the run will have.
async fn load_data(s: &TrainSettings, data: Rc<RefCell<Cifar>>) -> Result<(Cifar, usize), String> {
    let m = manifest().await?;
    let train = m.train.ok_or("no train set")?;
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
        .ok_or("the manifest lists no training shards")?;
    let fetch_shard = |file: String| async move {
        let bytes = fetch_bytes(&format!("{base_url}data/{file}", base_url = base_url())).await?;
        Cifar::parse(&bytes, &file).map_err(|e| e.to_string())
    };
    let part = fetch_shard(first.file.clone()).await?;
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
            match fetch_shard(file.clone()).await {
                Ok(part) => add(&data, part, total),
                Err(e) => {
                    post(&FromWorker::Failed {
                        id: None,
                        message: format!("{file}: {e}; training continues with the data it has."),
                    });
                    break;
                }
            }
        }
    });
    Ok((test_set, total))
}

async fn train(s: &TrainSettings) -> Result<(String, Option<SavedModel>), String> {
    check(s)?;
    let (backend, device) = current().await;
    let data = Rc::new(RefCell::new(Cifar::default()));
    let (test, train_size) = load_data(s, data.clone()).await?;
    // The same initial weights on every backend: drawn on the CPU from the seed.
    let cpu_model = init_seeded(AnyModel::new(&s.arch, &cpu())?, s.seed, &cpu())?;
    let init = cpu_model.to_weights();
    let ad = device.clone().autodiff();
    let model = AnyModel::new(&s.arch, &ad)?.load_weights(&init, &ad)?;
    let cfg = TrainConfig {
        epochs: s.epochs,
        batch_size: s.batch_size,
        lr: s.lr,
        optimizer: optimizer(s),
        augment: s.augment,
        seed: s.seed,
    };
    let records = data.borrow().len();
    let mut t = Trainer::new(model, &cfg, records, &ad);
    if let Some(teacher) = &s.teacher {
        let (w, _) = super::weights_of(&teacher.model).await?;
        let tm = AnyModel::from_weights(&w, &device)?;
        t = t.with_distillation(Distill {
            teacher: Box::new(move |x| tm.forward(x)),
            temperature: teacher.temperature,
            alpha: teacher.alpha,
        });
    }
    let key = format!("run-{}", js_sys::Date::now() as u64);
    let name = format!(
        "{} · {} images · {:?} lr {}{} · {}",
        s.arch,
        s.subset,
        s.optimizer,
        s.lr,
        s.teacher.as_ref().map_or(String::new(), |t| format!(
            " · distilled T {} α {}",
            t.temperature, t.alpha
        )),
        backend.label()
    );
    let mut meter = CodeMeter::new(train_size);
    let (mut busy_ms, mut images) = (0.0, 0usize);
    let (mut epoch_loss, mut epoch_correct, mut epoch_seen) = (0.0, 0usize, 0usize);
    let mut saved = None;
    let mut last_test = None;
    let outcome = loop {
        if STATE.with_borrow(|st| st.stop) {
            break "Stopped".to_string();
        }
        if STATE.with_borrow(|st| st.paused) {
            post(&FromWorker::Paused(true));
            while STATE.with_borrow(|st| st.paused && !st.stop) {
                sleep(100).await;
            }
            post(&FromWorker::Paused(false));
            continue;
        }
        if t.done() {
            break "Finished".to_string();
        }
        let t0 = now_ms();
        t.set_records(data.borrow().len());
        let pending = {
            let d = data.borrow();
            t.forward(&d, &ad)
        };
        let loss = read_scalar(pending.loss.clone()).await?;
        let logits = pending
            .logits
            .clone()
            .into_data_async()
            .await
            .map_err(|e| format!("{e:?}"))?
            .try_into_vec_as::<f32>()
            .map_err(|e| format!("{e:?}"))?;
        let r = match t.apply(pending, loss, &logits) {
            Ok(r) => r,
            Err(diverged) => break diverged,
        };
        busy_ms += now_ms() - t0;
        images += r.size;
        meter.add(r.epoch, r.size, r.bits, r.first_labels, r.first_bits);
        epoch_loss += r.loss * r.size as f64;
        epoch_correct += r.correct;
        epoch_seen += r.size;
        let ips = images as f64 / (busy_ms / 1000.0).max(1e-9);
        let remaining = t.total_steps().saturating_sub(t.steps()) * s.batch_size;
        post(&FromWorker::Batch(BatchStats {
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
        }));
        if r.batch == r.batches {
            let stats = evaluate(&t, &test, r.epoch, epoch_loss, epoch_correct, epoch_seen).await?;
            last_test = Some(stats.test_accuracy);
            post(&FromWorker::Epoch(stats));
            (epoch_loss, epoch_correct, epoch_seen) = (0.0, 0, 0);
            // A checkpoint: a lost GPU or a closed tab keeps the epochs done.
            saved = Some(save(&t, &key, &format!("{name} · epoch {}", r.epoch), last_test).await?);
            post(&FromWorker::Saved(saved.clone().expect("just saved")));
        }
        sleep(0).await;
    };
    if t.steps() > 0 && !outcome.starts_with("Training diverged") {
        saved = Some(save(&t, &key, &name, last_test).await?);
    }
    Ok((outcome, saved))
}

async fn read_scalar(t: burn::tensor::Tensor<1>) -> Result<f64, String> {
    let v = t
        .into_data_async()
        .await
        .map_err(|e| format!("{e:?}"))?
        .try_into_vec_as::<f32>()
        .map_err(|e| format!("{e:?}"))?;
    Ok(v.first().copied().unwrap_or(f32::NAN) as f64)
}

async fn evaluate(
    t: &Trainer<AnyModel>,
    test: &Cifar,
    epoch: usize,
    loss_sum: f64,
    correct: usize,
    seen: usize,
) -> Result<EpochStats, String> {
    let valid = t.model().valid();
    let device = valid.devices().first().cloned().unwrap_or_else(cpu);
    let mut confusion = vec![0u32; CLASSES * CLASSES];
    let (mut bits, mut right) = (0.0, 0usize);
    let mut grid = Vec::new();
    let idx: Vec<usize> = (0..test.len()).collect();
    for chunk in idx.chunks(215) {
        let lp = log_probs_async(&valid, batch::images(test, chunk, None, &device)).await?;
        for (k, &i) in chunk.iter().enumerate() {
            let row = &lp[k * CLASSES..(k + 1) * CLASSES];
            let (y, p) = (test.labels[i] as usize, argmax(row));
            confusion[y * CLASSES + p] += 1;
            right += usize::from(y == p);
            bits -= row[y] as f64 / std::f64::consts::LN_2;
            if i < GRID {
                grid.push(p as u8);
            }
        }
        sleep(0).await;
    }
    let per_class = (0..CLASSES)
        .map(|c| {
            let row: u32 = confusion[c * CLASSES..(c + 1) * CLASSES].iter().sum();
            confusion[c * CLASSES + c] as f64 / row.max(1) as f64
        })
        .collect();
    let n = test.len().max(1) as f64;
    Ok(EpochStats {
        epoch,
        train_loss: loss_sum / seen.max(1) as f64,
        train_accuracy: correct as f64 / seen.max(1) as f64,
        test_loss: bits * std::f64::consts::LN_2 / n,
        test_accuracy: right as f64 / n,
        per_class,
        confusion,
        grid,
    })
}

async fn save(
    t: &Trainer<AnyModel>,
    key: &str,
    name: &str,
    test_accuracy: Option<f64>,
) -> Result<SavedModel, String> {
    let valid = t.model().valid();
    let mut w = to_weights_async(&valid).await?;
    w.metadata.insert("name".into(), name.into());
    let bytes = w.to_bytes()?;
    let meta = SavedModel {
        key: key.to_string(),
        name: name.to_string(),
        arch: valid.arch().to_string(),
        parameters: valid.num_params(),
        test_accuracy,
        bytes: bytes.len(),
        created: js_sys::Date::now(),
        compressed: false,
    };
    store::put(&meta, &bytes).await?;
    let saved = format!("saved:{key}");
    STATE.with_borrow_mut(|st| {
        st.models.retain(|(k, _), _| k != &saved);
        st.weights.remove(&saved);
        st.base_scores.retain(|(k, _, _), _| k != &saved);
    });
    Ok(meta)
}
