//! `lab compress`: runs compression sweeps on a model and prints size,
//! accuracy and the two-part description length of the test labels for every
//! setting, then the Pareto frontier and the shortest code.

use super::{write, BackendArg, DataArgs, Failure, ModelArg};
use crate::data::cifar::Cifar;
use crate::data::local::load_sets;
use crate::domain::{
    pareto, Coding, CompressReport, Granularity, Plan, PruneScope, QuantMode, Sweep,
};
use crate::engine::compress::{finetune, measure, score, Finetune, Scored};
use crate::engine::weights::Weights;
use crate::engine::{block_on, no_pause, Device};
use clap::ValueEnum;
use std::path::PathBuf;
use std::time::Instant;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepArg {
    All,
    Pruning,
    Quantization,
    Sharing,
    Combined,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeArg {
    Global,
    PerLayer,
}

#[derive(clap::Args, Debug)]
pub struct CompressArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[arg(long, value_enum, default_value_t)]
    pub backend: BackendArg,
    #[arg(long, value_enum, default_value = "all", conflicts_with = "plans")]
    pub sweep: SweepArg,
    /// Settings instead of a sweep, as SPARSITY%:CODING (30:q4ac, 0:q8st, 50:k16, 90:f).
    #[arg(long, value_delimiter = ',', value_parser = parse_plan)]
    pub plans: Vec<Plan>,
    /// Measure on the first N test images only.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Fine-tune pruned models for this many steps first.
    #[arg(long, default_value_t = 0)]
    pub finetune: usize,
    #[arg(long)]
    pub ft_batch: Option<usize>,
    /// Peak learning rate of the fine-tune (half-cosine decay to 0).
    #[arg(long)]
    pub ft_lr: Option<f64>,
    /// Raise the sparsity gradually over this share of the fine-tuning steps (0–1).
    #[arg(long, default_value_t = 0.0)]
    pub ft_ramp: f64,
    /// Quantization-aware fine-tuning: train through the plan's coded weights.
    #[arg(long)]
    pub qat: bool,
    /// Distil from the original model while fine-tuning, as TEMPERATURE,ALPHA (e.g. 4,0.9).
    #[arg(long, value_parser = parse_distill)]
    pub ft_distill: Option<(f64, f64)>,
    /// Seed of the fine-tune's batches and augmentation.
    #[arg(long)]
    pub ft_seed: Option<u64>,
    /// How pruning ranks the weights.
    #[arg(long, value_enum, default_value = "global")]
    pub scope: ScopeArg,
    /// Write each compressed file (.clz) here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Ship the one plan given as `public/models/STEM.clz` with its metadata
    /// (`STEM.json`: how it was made, its accuracy on every test image).
    #[arg(long, requires = "plans")]
    pub ship: Option<String>,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Distillation settings written as `TEMPERATURE,ALPHA`, e.g. `4,0.9`.
pub fn parse_distill(s: &str) -> Result<(f64, f64), Failure> {
    let bad = || -> Failure {
        format!("{s:?}: write TEMPERATURE,ALPHA, e.g. 4,0.9 (T > 0, 0 ≤ α ≤ 1)").into()
    };
    let (t, a) = s.split_once(',').ok_or_else(bad)?;
    let (t, a) = (
        t.trim().parse::<f64>().map_err(|_| bad())?,
        a.trim().parse::<f64>().map_err(|_| bad())?,
    );
    if t > 0.0 && t.is_finite() && (0.0..=1.0).contains(&a) {
        Ok((t, a))
    } else {
        Err(bad())
    }
}

/// A plan written as `SPARSITY%:CODING`, e.g. `30:q4ac` (30 % pruned, 4-bit
/// affine per channel), `0:q8st` (8-bit symmetric per tensor), `50:k16`
/// (16 shared values), `90:f` (floats). Pruning is global; `--scope` changes it.
pub fn parse_plan(s: &str) -> Result<Plan, Failure> {
    let bad = || -> Failure {
        format!("plan {s:?}: write SPARSITY:CODING, e.g. 30:q4ac, 0:q8st, 50:k16, 90:f").into()
    };
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
        scope: PruneScope::Global,
        coding,
    })
}

impl CompressArgs {
    /// The settings to measure: the original, the two 8-bit reference points,
    /// then the sweep's (or the listed plans), all with the chosen scope.
    pub fn plans(&self) -> Vec<Plan> {
        let scope = match self.scope {
            ScopeArg::Global => PruneScope::Global,
            ScopeArg::PerLayer => PruneScope::PerLayer,
        };
        let q8 = |granularity, mode| Plan {
            coding: Coding::Quantize {
                bits: 8,
                granularity,
                mode,
            },
            ..Plan::NONE
        };
        let mut plans = vec![Plan::NONE];
        if !self.plans.is_empty() {
            plans.extend(self.plans.iter().map(|p| Plan { scope, ..*p }));
            return plans;
        }
        plans.push(q8(Granularity::PerTensor, QuantMode::Symmetric));
        plans.push(q8(Granularity::PerChannel, QuantMode::Affine));
        let sweeps = match self.sweep {
            SweepArg::All => Sweep::ALL.to_vec(),
            SweepArg::Pruning => vec![Sweep::Pruning],
            SweepArg::Quantization => vec![Sweep::Quantization],
            SweepArg::Sharing => vec![Sweep::Sharing],
            SweepArg::Combined => vec![Sweep::Combined],
        };
        for s in sweeps {
            plans.extend(s.plans().into_iter().map(|p| Plan { scope, ..p }));
        }
        plans
    }
}

/// The fine-tune the arguments ask for.
fn finetune_settings(a: &CompressArgs) -> Result<Finetune, Failure> {
    let d = Finetune::default();
    let ft = Finetune {
        steps: a.finetune,
        batch_size: a.ft_batch.unwrap_or(d.batch_size),
        lr: a.ft_lr.unwrap_or(d.lr),
        seed: a.ft_seed.unwrap_or(d.seed),
        ramp: a.ft_ramp,
        quantized: a.qat,
        distill: a.ft_distill,
    };
    if !(0.0..=1.0).contains(&ft.ramp) {
        return Err("--ft-ramp is a share of the steps, 0 to 1".into());
    }
    Ok(ft)
}

/// `w` fine-tuned for `plan` when the fine-tune has steps and the plan changes
/// something it can learn around; its progress printed every 50 steps.
fn tune(
    w: &Weights,
    plan: &Plan,
    train_set: &Cifar,
    ft: &Finetune,
    device: &Device,
) -> Result<Option<Weights>, Failure> {
    let worth = ft.steps > 0
        && *plan != Plan::NONE
        && (plan.sparsity > 0.0 || ft.quantized && plan.coding != Coding::Float);
    if !worth {
        return Ok(None);
    }
    let t0 = Instant::now();
    let mut loss = 0.0;
    let mut report = |step: usize, l: f32| {
        loss = if step == 1 { l } else { 0.98 * loss + 0.02 * l };
        if step.is_multiple_of(50) || step == ft.steps {
            println!(
                "  fine-tune {step}/{}: sparsity {:.1}%, loss {loss:.3} (smoothed), {:.0} s",
                ft.steps,
                100.0 * ft.sparsity_at(step - 1, plan.sparsity),
                t0.elapsed().as_secs_f64()
            );
        }
    };
    Ok(Some(block_on(finetune(
        w,
        plan,
        train_set,
        ft,
        device,
        &mut report,
    ))?))
}

/// A row's name: the plan, and how it was fine-tuned.
fn row_label(plan: &Plan, tuned: bool, ft: &Finetune) -> String {
    let how = match (tuned, ft.quantized, ft.distill.is_some()) {
        (false, ..) => "",
        (true, false, false) => " +ft",
        (true, true, false) => " +ft qat",
        (true, false, true) => " +ft kd",
        (true, true, true) => " +ft qat kd",
    };
    format!("{}{how}", plan.label())
}

pub fn run(a: &CompressArgs) -> Result<(), Failure> {
    let w = a.model.load()?;
    let (device, name) = a.backend.device()?;
    let (train_set, mut test) = load_sets(&a.data.dir())?;
    let ft = finetune_settings(a)?;
    test = test.slice(0..a.limit.unwrap_or(test.len()).min(test.len()));
    let started = Instant::now();
    let base = block_on(score(&w, &test, &device, no_pause))?;
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
    if a.ship.is_some() && (a.plans.len() != 1 || a.limit.is_some()) {
        return Err("--ship takes exactly one plan, measured on every test image".into());
    }
    let mut rows = Vec::new();
    for plan in a.plans() {
        let t0 = Instant::now();
        let tuned = tune(&w, &plan, &train_set, &ft, &device)?;
        let ft_seconds = t0.elapsed().as_secs_f64();
        let (c, mut r) = block_on(measure(
            tuned.as_ref().unwrap_or(&w),
            &w,
            &plan,
            &test,
            &base,
            &device,
            no_pause,
        ))?;
        r.millis = 1000.0 * t0.elapsed().as_secs_f64();
        let label = row_label(&plan, tuned.is_some(), &ft);
        let delta = 100.0 * (r.accuracy() - r.base_accuracy());
        println!(
            "{label:<44} {:>9} {:>6.1}× {:>8.2} {delta:>+7.2} {:>10.1} {:>12.0}",
            r.size.file,
            r.ratio(),
            100.0 * r.accuracy(),
            r.label_bits,
            r.total_bits()
        );
        if let Some(dir) = &a.out {
            let file = dir.join(format!(
                "{}.clz",
                plan.label().replace([' ', '·', '%', '(', ')'], "")
            ));
            write(&file, &c.file)?;
        }
        if let (Some(stem), true) = (&a.ship, plan != Plan::NONE) {
            let made = ship::Made {
                stem,
                plan: &plan,
                finetune_steps: if tuned.is_some() { ft.steps } else { 0 },
                finetune_seconds: ft_seconds,
                quantization_aware: tuned.is_some() && ft.quantized,
                distilled: tuned.as_ref().and(ft.distill),
            };
            ship::write(a, &made, &c.file, &test, &device)?;
        }
        rows.push(r);
    }
    summary(&rows, &base);
    println!(
        "{} settings in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `--ship`: the compressed model and its metadata in `public/models`.
mod ship {
    use super::{CompressArgs, Failure};
    use crate::data::cifar::Cifar;
    use crate::data::local::root;
    use crate::domain::model_ref::{CompressedFrom, PairedScore};
    use crate::domain::Plan;
    use crate::engine::compress::read_weights;
    use crate::engine::eval::evaluate;
    use crate::engine::meta::ModelMeta;
    use crate::engine::model::AnyModel;
    use crate::engine::{block_on, no_pause, Device};
    use crate::math::stats::Paired;

    pub struct Made<'a> {
        pub stem: &'a str,
        pub plan: &'a Plan,
        pub finetune_steps: usize,
        pub finetune_seconds: f64,
        pub quantization_aware: bool,
        pub distilled: Option<(f64, f64)>,
    }

    /// Writes `STEM.clz` and `STEM.json`, scoring the file as written (decoded
    /// back, as the site will) on every test image.
    pub fn write(
        a: &CompressArgs,
        m: &Made,
        clz: &[u8],
        test: &Cifar,
        device: &Device,
    ) -> Result<(), Failure> {
        let source = a.model.path();
        let json = std::fs::read(source.with_extension("json"))
            .map_err(|e| format!("{}: {e}", source.with_extension("json").display()))?;
        let base: ModelMeta = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
        let score = |file: &[u8]| -> Result<_, Failure> {
            let w = read_weights(file).map_err(|e| e.to_string())?;
            Ok(block_on(evaluate(
                &AnyModel::from_weights(&w, device)?,
                test,
                device,
                no_pause,
            ))?)
        };
        let ev = score(clz)?;
        // The source on the same images, for the paired comparison.
        let bytes = std::fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        let ev_source = score(&bytes)?;
        let pair = Paired::count(&ev_source.predicted, &ev.predicted, &test.labels);
        let name = |p: &std::path::Path| {
            p.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into())
        };
        let command = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
        let meta = ModelMeta {
            weights_file: format!("{}.clz", m.stem),
            weights_bytes: clz.len(),
            test_accuracy: ev.accuracy(),
            per_class_accuracy: (0..10).map(|c| ev.class_accuracy(c)).collect(),
            test_bits: ev.total_bits,
            compressed_from: Some(CompressedFrom {
                source: name(&source),
                source_bytes: std::fs::metadata(&source).map_or(0, |f| f.len() as usize),
                source_accuracy: base.test_accuracy,
                plan: *m.plan,
                finetune_steps: m.finetune_steps,
                finetune_seconds: m.finetune_seconds,
                quantization_aware: m.quantization_aware,
                distilled: m.distilled,
                command: format!("cargo run --profile train --bin lab -- {command}"),
                paired: Some(PairedScore {
                    images: ev.n,
                    only_source: pair.only_a,
                    only_this: pair.only_b,
                }),
            }),
            ..base
        };
        let dir = root().join("public/models");
        super::write(&dir.join(&meta.weights_file), clz)?;
        let text = serde_json::to_string_pretty(&meta).map_err(|e| e.to_string())? + "\n";
        super::write(&dir.join(format!("{}.json", m.stem)), text.as_bytes())?;
        println!(
            "shipped {} ({} B, {:.2}% on {} test images) and its metadata",
            meta.weights_file,
            clz.len(),
            100.0 * ev.accuracy(),
            ev.n
        );
        Ok(())
    }
}

/// The frontier, the best ratio within 2 points, and the shortest code.
fn summary(rows: &[CompressReport], base: &Scored) {
    let points: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (r.size.file as f64, r.accuracy()))
        .collect();
    println!("\nPareto frontier (size, accuracy):");
    for i in pareto(&points) {
        let r = &rows[i];
        println!(
            "  {:>9} B {:>6.1}× {:>6.2}%  {}",
            r.size.file,
            r.ratio(),
            100.0 * r.accuracy(),
            r.plan.label()
        );
    }
    let within = rows
        .iter()
        .filter(|r| r.base_accuracy() - r.accuracy() <= 0.02);
    if let Some(b) = within.max_by(|a, b| a.ratio().total_cmp(&b.ratio())) {
        println!(
            "best ratio within 2 points: {:.1}× ({}, {:.2}%)",
            b.ratio(),
            b.plan.label(),
            100.0 * b.accuracy()
        );
    }
    if let Some(min) = rows
        .iter()
        .min_by(|a, b| a.total_bits().total_cmp(&b.total_bits()))
    {
        let uniform = base.images as f64 * 10f64.log2();
        println!(
            "shortest two-part code: {:.0} bits ({}); uniform code {uniform:.0} bits; DEFLATE of the labels {} bits",
            min.total_bits(),
            min.plan.label(),
            min.deflate_label_bits
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_written_as_sparsity_and_coding() {
        assert_eq!(
            parse_plan("30:q4ac").unwrap().label(),
            "30% pruned · 4-bit affine per channel"
        );
        assert_eq!(parse_plan("0:q8st").unwrap().label(), "8-bit symmetric");
        assert_eq!(
            parse_plan("90:f").unwrap().label(),
            "90% pruned · 32-bit floats"
        );
        for bad in ["30", "x:q4", "30:z", "30:k"] {
            assert!(parse_plan(bad).is_err(), "{bad}");
        }
    }
}
