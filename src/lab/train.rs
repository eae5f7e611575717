//! `lab train`: trains a model natively and writes it, with its metadata, for
//! the site.

use super::{write, BackendArg, DataArgs, Failure};
use crate::data::cifar::Cifar;
use crate::data::local::{load_sets, root, sha256_hex};
use crate::domain::{Arch, Optimizer, SettingsError, TrainSettings};
use crate::engine::eval::evaluate;
use crate::engine::meta::ModelMeta;
use crate::engine::model::{init_seeded, to_weights, AnyModel, Classifier};
use crate::engine::parallel::Threads;
use crate::engine::train::{train, Distill, EpochReport, TrainConfig};
use crate::engine::weights::Weights;
use crate::engine::{block_on, burn_version, cpu, no_pause};
use burn::module::Module;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `lab`, `doc`, `student`, or an architecture's full name.
pub(super) fn parse_arch(s: &str) -> Result<Arch, Failure> {
    match s {
        "lab" => Ok(Arch::LabCnn),
        "doc" => Ok(Arch::DocCnn),
        "student" => Ok(Arch::LabCnnS),
        other => Ok(other.parse()?),
    }
}

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// lab (the default CNN), doc (the article's) or student (half width).
    #[arg(long, default_value = "lab", value_parser = parse_arch)]
    pub arch: Arch,
    /// A trained model to distil from (a weights file).
    #[arg(long)]
    pub teacher: Option<PathBuf>,
    /// Distillation temperature T.
    #[arg(long, default_value_t = 4.0, requires = "teacher")]
    pub temperature: f64,
    /// Distillation weight α of the soft term.
    #[arg(long, default_value_t = 0.9, requires = "teacher")]
    pub alpha: f64,
    /// File stem of the output (default: the architecture's name).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub epochs: Option<usize>,
    #[arg(long)]
    pub batch: Option<usize>,
    /// Peak learning rate.
    #[arg(long)]
    pub lr: Option<f64>,
    /// AdamW's decoupled weight decay.
    #[arg(long, default_value_t = 5e-4)]
    pub weight_decay: f64,
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long)]
    pub no_augment: bool,
    #[arg(long, value_enum, default_value_t)]
    pub backend: BackendArg,
    /// Train on the first N training images only.
    #[arg(long)]
    pub limit: Option<usize>,
    /// CPU cores to train on (data-parallel: each batch in parts, one per
    /// core); the CPU backend only.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub cores: u16,
    /// Where the model goes (default: public/models).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

impl TrainArgs {
    /// Checks the settings with the one validation the training page and the
    /// worker use ([`TrainSettings::validate`]).
    /// The run as [`TrainSettings`], checked by the one validation the training
    /// page and the worker use: what is validated is what trains (AdamW with
    /// weight decay 5e-4 unless given otherwise, 30 epochs of 128 at 3e-3).
    pub fn settings(&self, train_images: usize) -> Result<TrainSettings, SettingsError> {
        let settings = TrainSettings {
            arch: self.arch,
            subset: self.limit.unwrap_or(train_images).min(train_images),
            optimizer: Optimizer::Adam,
            lr: self.lr.unwrap_or(3e-3),
            epochs: self.epochs.unwrap_or(30),
            batch_size: self.batch.unwrap_or(128),
            augment: !self.no_augment,
            seed: self.seed.unwrap_or(1),
            weight_decay: self.weight_decay,
            ..TrainSettings::default()
        };
        settings.validate()?;
        if self.teacher.is_some() {
            SettingsError::check_temperature(self.temperature)?;
            SettingsError::check_alpha(self.alpha)?;
        }
        Ok(settings)
    }
}

fn print_epoch(r: &EpochReport) {
    let test = r
        .test
        .as_ref()
        .map(|t| {
            let bits = t.total_bits / t.n as f64;
            format!(
                ", test acc {:.2}%, test bits/label {bits:.3}",
                100.0 * t.accuracy()
            )
        })
        .unwrap_or_default();
    println!(
        "epoch {:>3}: loss {:.4}, train acc {:.2}%{test}  ({:.1} s, {:.0} img/s)",
        r.epoch,
        r.train_loss,
        100.0 * r.train_accuracy,
        r.seconds,
        r.images_per_second
    );
}

pub fn run(a: &TrainArgs) -> Result<(), Failure> {
    let (mut train_set, test_set) = load_sets(&a.data.dir())?;
    let settings = a.settings(train_set.len())?;
    let (device, backend) = a.backend.device()?;
    let limit = a.limit.unwrap_or(train_set.len()).min(train_set.len());
    train_set = train_set.slice(0..limit);
    let cfg = TrainConfig::from(&settings);
    device.seed(cfg.seed);
    let ad = device.clone().autodiff();
    println!(
        "training {} on {} images ({backend}), {} epochs, batch {}, peak lr {}, augment {}",
        a.arch,
        train_set.len(),
        cfg.epochs,
        cfg.batch_size,
        cfg.lr,
        cfg.augment
    );
    let (distill, teacher_note) = match &a.teacher {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let teacher = AnyModel::from_weights(&Weights::from_bytes(&bytes)?, &device)?;
            let file = path
                .file_name()
                .map_or(path.display().to_string(), |f| f.to_string_lossy().into());
            let note = format!("{file} (T = {}, α = {})", a.temperature, a.alpha);
            println!("distilling from {note}");
            let d = Distill {
                teacher: Box::new(move |x| teacher.forward(x)),
                temperature: a.temperature,
                alpha: a.alpha,
            };
            (Some(d), Some(note))
        }
        None => (None, None),
    };
    // Helper threads for the other cores: the CPU backend's parts only.
    // (A teacher is held by this thread alone: distillation trains on one.)
    let helpers = match (a.backend, &a.teacher) {
        (BackendArg::Cpu, None) => usize::from(a.cores) - 1,
        _ => 0,
    };
    if helpers > 0 {
        println!("on {} cores", helpers + 1);
    }
    let mut helpers = Threads::new(helpers);
    let started = Instant::now();
    let m = init_seeded(AnyModel::new(a.arch, &ad), cfg.seed, &ad);
    let trained = block_on(train(
        m,
        &train_set,
        Some(&test_set),
        &cfg,
        &ad,
        distill,
        &mut helpers,
        |_| {},
        |r, _| print_epoch(r),
    ))?;
    let run = Run {
        cfg,
        backend,
        seconds: started.elapsed().as_secs_f64(),
        distilled_from: teacher_note,
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| root().join("public/models"));
    save(
        &block_on(to_weights(&trained.valid()))?,
        a.name.as_deref(),
        &out,
        &run,
        &train_set,
        &test_set,
    )
}

/// How a model was trained, for its metadata.
struct Run {
    cfg: TrainConfig,
    backend: String,
    seconds: f64,
    distilled_from: Option<String>,
}

/// Writes `{stem}.safetensors` and `{stem}.json`, evaluating the saved bytes on
/// the CPU exactly as a visitor would load them.
fn save(
    w: &Weights,
    stem: Option<&str>,
    out: &Path,
    run: &Run,
    train_set: &Cifar,
    test_set: &Cifar,
) -> Result<(), Failure> {
    let arch = w.metadata.get("arch").cloned().unwrap_or_default();
    let stem = stem.unwrap_or(&arch);
    let bytes = w.to_bytes()?;
    let model = AnyModel::from_weights(&Weights::from_bytes(&bytes)?, &cpu())?;
    let ev = block_on(evaluate(&model, test_set, &cpu(), no_pause))?;
    let cfg = &run.cfg;
    let meta = ModelMeta {
        arch: arch.clone(),
        parameters: w.len(),
        weights_file: format!("{stem}.safetensors"),
        weights_bytes: bytes.len(),
        epochs: cfg.epochs,
        batch_size: cfg.batch_size,
        peak_lr: cfg.lr,
        optimizer: format!("{:?}", cfg.optimizer),
        augment: cfg.augment,
        seed: cfg.seed,
        backend: run.backend.clone(),
        training_seconds: run.seconds,
        train_records: train_set.len(),
        train_sha256: sha256_hex(&train_set.to_bytes()),
        test_records: test_set.len(),
        test_sha256: sha256_hex(&test_set.to_bytes()),
        test_accuracy: ev.accuracy(),
        per_class_accuracy: (0..10).map(|c| ev.class_accuracy(c)).collect(),
        test_bits: ev.total_bits,
        burn_version: burn_version().into(),
        distilled_from: run.distilled_from.clone(),
        compressed_from: None,
    };
    write(&out.join(&meta.weights_file), &bytes)?;
    let json = serde_json::to_string_pretty(&meta).map_err(|e| e.to_string())?;
    write(&out.join(format!("{stem}.json")), json.as_bytes())?;
    println!("{}", ev.report());
    println!(
        "saved {} ({} parameters, {} bytes): test accuracy {:.2}% in {:.0} s",
        out.join(&meta.weights_file).display(),
        meta.parameters,
        meta.weights_bytes,
        100.0 * meta.test_accuracy,
        run.seconds
    );
    Ok(())
}
