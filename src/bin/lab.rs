//! `lab`: the native command line of Compression Lab.
//!
//! ```text
//! lab shards   [--data DIR] [--out public/data]      data directory → site shards
//! lab train    [--arch lab|doc|student] [--teacher FILE --temperature T --alpha A] [--name STEM] [--epochs N] [--batch B] [--lr X] [--seed S]
//!              [--no-augment] [--backend cpu|wgpu] [--limit N] [--out public/models]
//! lab eval     [--model public/models/lab-cnn.safetensors] [--backend cpu|wgpu]
//! lab classify IMAGE [--model …]
//! lab compress [--model …] [--backend cpu|wgpu] [--sweep all|pruning|quantization|sharing|combined]
//!              [--limit N] [--finetune STEPS [--ft-batch B] [--ft-lr X]] [--scope global|per-layer] [--out DIR]
//!              [--plans 30:q4ac,50:k16,…]       (instead of --sweep: SPARSITY%:CODING)
//!                                                 compression sweep: size, accuracy, bits
//! ```
//! The data directory is `$CIFAR10_DIR`, else `../shared/cifar10` beside the
//! repository. Training reads only `train.bin`; `test.bin` is for evaluation.

use burn::module::Module;
use compression_lab::data::cifar::{Cifar, CLASS_NAMES};
use compression_lab::data::image::rgba_to_cifar;
use compression_lab::data::local::{
    default_data_dir, load_sets, root, sha256_hex, write_if_changed, write_shards, Shards,
    SHARD_RECORDS,
};
use compression_lab::engine::eval::{evaluate, log_probs};
use compression_lab::engine::meta::ModelMeta;
use compression_lab::engine::model::{init_seeded, AnyModel, Classifier};
use compression_lab::engine::train::{train, TrainConfig};
use compression_lab::engine::weights::Weights;
use compression_lab::engine::{batch, cpu, Device};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first().cloned() else {
        eprintln!("usage: lab shards|train|eval|classify|compress … (see src/bin/lab.rs)");
        return ExitCode::from(2);
    };
    let (opts, positional) = parse_opts(&args[1..]);
    let result = match cmd.as_str() {
        "shards" => shards(&opts),
        "train" => train_cmd(&opts),
        "eval" => eval_cmd(&opts),
        "classify" => classify_cmd(&opts, &positional),
        "compress" => compress_cmd(&opts),
        other => Err(format!(
            "unknown command {other:?}: use shards, train, eval, classify or compress"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lab {cmd}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_opts(args: &[String]) -> (HashMap<String, String>, Vec<String>) {
    let mut opts = HashMap::new();
    let mut pos = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if let Some(key) = args[i].strip_prefix("--") {
            if key.starts_with("no-") || i + 1 >= args.len() || args[i + 1].starts_with("--") {
                opts.insert(key.to_string(), "true".to_string());
            } else {
                opts.insert(key.to_string(), args[i + 1].clone());
                i += 1;
            }
        } else {
            pos.push(args[i].clone());
        }
        i += 1;
    }
    (opts, pos)
}

fn opt<T: std::str::FromStr>(
    opts: &HashMap<String, String>,
    key: &str,
    default: T,
) -> Result<T, String> {
    match opts.get(key) {
        Some(v) => v.parse().map_err(|_| format!("--{key} {v:?} is not valid")),
        None => Ok(default),
    }
}

fn data_dir(opts: &HashMap<String, String>) -> PathBuf {
    opts.get("data")
        .map(PathBuf::from)
        .unwrap_or_else(default_data_dir)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_if_changed(path, bytes).map(|_| ())
}

/// Writes the site's data shards and a manifest (see `compression_lab::data::local`).
fn shards(opts: &HashMap<String, String>) -> Result<(), String> {
    let out = opts
        .get("out")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("public/data"));
    match write_shards(&data_dir(opts), &out)? {
        Shards::Written(s) => println!(
            "wrote {} train and {} test records in shards of {SHARD_RECORDS} to {} ({} files updated)",
            s.train,
            s.test,
            out.display(),
            s.files_written
        ),
        Shards::NoData(why) => {
            eprintln!("lab shards: {why}; the site will work without the data-driven parts")
        }
    }
    Ok(())
}

fn backend(opts: &HashMap<String, String>) -> Result<(Device, String), String> {
    match opts.get("backend").map(String::as_str).unwrap_or("cpu") {
        "cpu" => Ok((cpu(), "cpu (ndarray)".into())),
        "wgpu" => Device::wgpu_options()
            .init()
            .map(|d| (d, "wgpu".into()))
            .map_err(|e| format!("no wgpu device: {e}")),
        other => Err(format!("unknown backend {other:?}: cpu or wgpu")),
    }
}

fn train_cmd(opts: &HashMap<String, String>) -> Result<(), String> {
    let arch: String = opt(opts, "arch", "lab".to_string())?;
    let (device, backend_name) = backend(opts)?;
    let (mut train_set, test_set) = load_sets(&data_dir(opts))?;
    let limit: usize = opt(opts, "limit", train_set.len())?;
    train_set = train_set.slice(0..limit.min(train_set.len()));
    let defaults = TrainConfig::default();
    let cfg = TrainConfig {
        epochs: opt(opts, "epochs", defaults.epochs)?,
        batch_size: opt(opts, "batch", defaults.batch_size)?,
        lr: opt(opts, "lr", defaults.lr)?,
        optimizer: defaults.optimizer,
        augment: !opts.contains_key("no-augment"),
        seed: opt(opts, "seed", defaults.seed)?,
    };
    device.seed(cfg.seed);
    let ad = device.clone().autodiff();
    println!(
        "training {arch} on {} images ({backend_name}), {} epochs, batch {}, peak lr {}, augment {}",
        train_set.len(),
        cfg.epochs,
        cfg.batch_size,
        cfg.lr,
        cfg.augment
    );
    let out = opts
        .get("out")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("public/models"));
    let started = Instant::now();
    let report = |r: &compression_lab::engine::train::EpochReport| {
        let test = r
            .test
            .as_ref()
            .map(|t| {
                format!(
                    ", test acc {:.2}%, test bits/label {:.3}",
                    100.0 * t.accuracy(),
                    t.total_bits / t.n as f64
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
    };
    use compression_lab::domain::Arch;
    let arch_name = match arch.as_str() {
        "lab" => Arch::LabCnn,
        "doc" => Arch::DocCnn,
        "student" => Arch::LabCnnS,
        other => return Err(format!("unknown --arch {other:?}: lab, doc or student")),
    };
    let mut teacher_note = None;
    let distill = match opts.get("teacher") {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let teacher = AnyModel::from_weights(&Weights::from_bytes(&bytes)?, &device)?;
            let temperature: f64 = opt(opts, "temperature", 4.0)?;
            let alpha: f64 = opt(opts, "alpha", 0.9)?;
            let note = format!(
                "{} (T = {temperature}, α = {alpha})",
                Path::new(path)
                    .file_name()
                    .map_or(path.clone(), |f| f.to_string_lossy().into_owned())
            );
            println!("distilling from {note}");
            teacher_note = Some(note);
            Some(compression_lab::engine::train::Distill {
                teacher: Box::new(move |x| teacher.forward(x)),
                temperature,
                alpha,
            })
        }
        None => None,
    };
    let m = init_seeded(AnyModel::new(arch_name, &ad), cfg.seed, &ad)?;
    let weights = train(
        m,
        &train_set,
        Some(&test_set),
        &cfg,
        &ad,
        distill,
        |_| {},
        |r, _| report(r),
    )
    .map_err(|d| d.to_string())?
    .valid()
    .to_weights();
    let seconds = started.elapsed().as_secs_f64();
    let stem = opts.get("name").cloned();
    save_model(
        &weights,
        stem.as_deref(),
        teacher_note.as_deref(),
        &out,
        &cfg,
        &backend_name,
        seconds,
        &train_set,
        &test_set,
    )
}

#[allow(clippy::too_many_arguments)]
fn save_model(
    weights: &Weights,
    stem: Option<&str>,
    distilled_from: Option<&str>,
    out: &Path,
    cfg: &TrainConfig,
    backend_name: &str,
    seconds: f64,
    train_set: &Cifar,
    test_set: &Cifar,
) -> Result<(), String> {
    let arch = weights.metadata.get("arch").cloned().unwrap_or_default();
    // Evaluate the saved bytes, on the CPU, exactly as a user would load them.
    let bytes = weights.to_bytes()?;
    let model = AnyModel::from_weights(&Weights::from_bytes(&bytes)?, &cpu())?;
    let ev = evaluate(&model, test_set, &cpu());
    let meta = ModelMeta {
        arch: arch.clone(),
        parameters: weights.len(),
        weights_file: format!("{}.safetensors", stem.unwrap_or(&arch)),
        weights_bytes: bytes.len(),
        epochs: cfg.epochs,
        batch_size: cfg.batch_size,
        peak_lr: cfg.lr,
        optimizer: format!("{:?}", cfg.optimizer),
        augment: cfg.augment,
        seed: cfg.seed,
        backend: backend_name.into(),
        training_seconds: seconds,
        train_records: train_set.len(),
        train_sha256: sha256_hex(&train_set.to_bytes()),
        test_records: test_set.len(),
        test_sha256: sha256_hex(&test_set.to_bytes()),
        test_accuracy: ev.accuracy(),
        per_class_accuracy: (0..10).map(|c| ev.class_accuracy(c)).collect(),
        test_bits: ev.total_bits,
        burn_version: "0.22.1".into(),
        distilled_from: distilled_from.map(String::from),
    };
    write(&out.join(&meta.weights_file), &bytes)?;
    write(
        &out.join(format!("{}.json", stem.unwrap_or(&arch))),
        serde_json::to_string_pretty(&meta)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    println!("{}", ev.report());
    println!(
        "saved {} ({} parameters, {} bytes): test accuracy {:.2}% in {:.0} s",
        out.join(&meta.weights_file).display(),
        meta.parameters,
        meta.weights_bytes,
        100.0 * meta.test_accuracy,
        seconds
    );
    Ok(())
}

fn load_weights_file(opts: &HashMap<String, String>) -> Result<Weights, String> {
    let path = opts
        .get("model")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("public/models/lab-cnn.safetensors"));
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Weights::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn eval_cmd(opts: &HashMap<String, String>) -> Result<(), String> {
    let w = load_weights_file(opts)?;
    let (device, name) = backend(opts)?;
    let (_, test) = load_sets(&data_dir(opts))?;
    let started = Instant::now();
    let model = AnyModel::from_weights(&w, &device)?;
    let ev = evaluate(&model, &test, &device);
    println!("{}", ev.report());
    println!(
        "test accuracy {:.2}% on {} images; {:.3} bits per label (uniform: {:.3}); {name}, {:.2} s",
        100.0 * ev.accuracy(),
        ev.n,
        ev.total_bits / ev.n as f64,
        10f64.log2(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn classify_cmd(opts: &HashMap<String, String>, positional: &[String]) -> Result<(), String> {
    let path = positional
        .first()
        .ok_or("give an image file: lab classify IMAGE")?;
    let img = image::open(path)
        .map_err(|e| format!("{path}: {e}"))?
        .to_rgba8();
    let planar = rgba_to_cifar(img.as_raw(), img.width() as usize, img.height() as usize)?;
    let w = load_weights_file(opts)?;
    let device = cpu();
    let model = AnyModel::from_weights(&w, &device)?;
    let lp = log_probs(&model, batch::raw_images(&[&planar], &device));
    let mut ranked: Vec<(usize, f32)> = lp.iter().map(|v| v.exp()).enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (c, p) in ranked.iter().take(5) {
        println!("{:>11} {:6.2}%", CLASS_NAMES[*c], 100.0 * p);
    }
    Ok(())
}

/// Runs compression sweeps on a model and prints size, accuracy and the
/// two-part description length of the test labels for every setting.
fn compress_cmd(opts: &HashMap<String, String>) -> Result<(), String> {
    use compression_lab::domain::{
        pareto, Coding, Granularity, Plan, PruneScope, QuantMode, Sweep,
    };
    use compression_lab::engine::compress::{measure, Scored};
    let w = load_weights_file(opts)?;
    let (device, name) = backend(opts)?;
    let (train_set, mut test) = load_sets(&data_dir(opts))?;
    let ftd = compression_lab::engine::compress::Finetune::default();
    let ft = compression_lab::engine::compress::Finetune {
        steps: opt(opts, "finetune", 0)?,
        batch_size: opt(opts, "ft-batch", ftd.batch_size)?,
        lr: opt(opts, "ft-lr", ftd.lr)?,
        seed: ftd.seed,
    };
    let scope = match opts.get("scope").map_or("global", String::as_str) {
        "global" => PruneScope::Global,
        "per-layer" => PruneScope::PerLayer,
        other => return Err(format!("unknown --scope {other:?}: global or per-layer")),
    };
    let limit: usize = opt(opts, "limit", test.len())?;
    test = test.slice(0..limit.min(test.len()));
    let sweeps: Vec<Sweep> = match opts.get("sweep").map_or("all", String::as_str) {
        _ if opts.contains_key("plans") => Vec::new(),
        "all" => Sweep::ALL.to_vec(),
        "pruning" => vec![Sweep::Pruning],
        "quantization" => vec![Sweep::Quantization],
        "sharing" => vec![Sweep::Sharing],
        "combined" => vec![Sweep::Combined],
        other => return Err(format!("unknown --sweep {other:?}")),
    };
    let started = Instant::now();
    let base_model = AnyModel::from_weights(&w, &device)?;
    let base = Scored::from(&evaluate(&base_model, &test, &device));
    println!(
        "{} ({} parameters, {} bytes as f32) on {} test images, {name}: accuracy {:.2}%, {:.1} label bits",
        w.metadata.get("arch").map_or("model", String::as_str),
        w.len(),
        4 * w.len(),
        base.images,
        100.0 * base.correct as f64 / base.images as f64,
        base.label_bits
    );
    println!(
        "{:<44} {:>9} {:>7} {:>8} {:>7} {:>10} {:>12}",
        "setting", "file B", "ratio", "acc %", "Δ pt", "label b", "L(M)+L(D|M)"
    );
    let mut plans: Vec<Plan> = vec![Plan::NONE];
    // The issue's two reference points: 8-bit per-tensor symmetric and per-channel affine.
    for (granularity, mode) in [
        (Granularity::PerTensor, QuantMode::Symmetric),
        (Granularity::PerChannel, QuantMode::Affine),
    ] {
        plans.push(Plan {
            sparsity: 0.0,
            scope: PruneScope::Global,
            coding: Coding::Quantize {
                bits: 8,
                granularity,
                mode,
            },
        });
    }
    for s in sweeps {
        plans.extend(s.plans().into_iter().map(|p| Plan { scope, ..p }));
    }
    if let Some(list) = opts.get("plans") {
        plans = vec![Plan::NONE];
        for item in list.split(',') {
            plans.push(parse_plan(item, scope)?);
        }
    }
    let mut rows = Vec::new();
    for plan in &plans {
        let tuned = if ft.steps > 0 && plan.sparsity > 0.0 {
            Some(compression_lab::engine::compress::finetune(
                &w, plan, &train_set, &ft, &device,
            )?)
        } else {
            None
        };
        let (c, r) = measure(tuned.as_ref().unwrap_or(&w), &w, plan, &test, base, &device)?;
        let delta = 100.0 * (r.accuracy() - r.base_accuracy());
        println!(
            "{:<44} {:>9} {:>6.1}× {:>8.2} {:>+7.2} {:>10.1} {:>12.0}",
            format!(
                "{}{}",
                plan.label(),
                if tuned.is_some() { " +ft" } else { "" }
            ),
            r.size.file,
            r.ratio(),
            100.0 * r.accuracy(),
            delta,
            r.label_bits,
            r.total_bits()
        );
        if let Some(dir) = opts.get("out") {
            let file = PathBuf::from(dir).join(format!(
                "{}.clz",
                plan.label().replace([' ', '·', '%', '(', ')'], "")
            ));
            write(&file, &c.file)?;
        }
        rows.push(r);
    }
    let points: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (r.size.file as f64, r.accuracy()))
        .collect();
    println!("\nPareto frontier (size, accuracy):");
    for i in pareto(&points) {
        println!(
            "  {:>9} B {:>6.1}× {:>6.2}%  {}",
            rows[i].size.file,
            rows[i].ratio(),
            100.0 * rows[i].accuracy(),
            rows[i].plan.label()
        );
    }
    let best = rows
        .iter()
        .filter(|r| r.base_accuracy() - r.accuracy() <= 0.02)
        .max_by(|a, b| a.ratio().total_cmp(&b.ratio()));
    if let Some(b) = best {
        println!(
            "best ratio within 2 points: {:.1}× ({}, {:.2}%)",
            b.ratio(),
            b.plan.label(),
            100.0 * b.accuracy()
        );
    }
    let min = rows
        .iter()
        .min_by(|a, b| a.total_bits().total_cmp(&b.total_bits()))
        .expect("rows");
    let uniform = base.images as f64 * 10f64.log2();
    println!(
        "shortest two-part code: {:.0} bits ({}); uniform code {:.0} bits; DEFLATE of the labels {} bits",
        min.total_bits(),
        min.plan.label(),
        uniform,
        min.deflate_label_bits
    );
    println!(
        "{} settings in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A plan written as `SPARSITY%:CODING`, e.g. `30:q4ac` (30 % pruned, 4-bit
/// affine per channel), `0:q8st` (8-bit symmetric per tensor), `50:k16`
/// (16 shared values), `90:f` (floats).
fn parse_plan(
    s: &str,
    scope: compression_lab::protocol::PruneScope,
) -> Result<compression_lab::protocol::Plan, String> {
    use compression_lab::protocol::{Coding, Granularity, Plan, QuantMode};
    let bad = || format!("plan {s:?}: write SPARSITY:CODING, e.g. 30:q4ac, 0:q8st, 50:k16, 90:f");
    let (sp, code) = s.split_once(':').ok_or_else(bad)?;
    let sparsity = sp.parse::<f64>().map_err(|_| bad())? / 100.0;
    let coding = if code == "f" {
        Coding::Float
    } else if let Some(k) = code.strip_prefix('k') {
        Coding::Share {
            k: k.parse().map_err(|_| bad())?,
        }
    } else if let Some(q) = code.strip_prefix('q') {
        let digits: String = q.chars().take_while(char::is_ascii_digit).collect();
        let rest = &q[digits.len()..];
        Coding::Quantize {
            bits: digits.parse().map_err(|_| bad())?,
            mode: if rest.starts_with('s') {
                QuantMode::Symmetric
            } else {
                QuantMode::Affine
            },
            granularity: if rest.ends_with('t') {
                Granularity::PerTensor
            } else {
                Granularity::PerChannel
            },
        }
    } else {
        return Err(bad());
    };
    Ok(Plan {
        sparsity,
        scope,
        coding,
    })
}
