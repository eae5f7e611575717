//! `lab`, the native command line, as library code: the arguments (declared
//! with `clap`, which rejects unknown flags), and one function per command.
//! `src/bin/lab.rs` only parses and calls [`run`].

mod compress;
mod text;
mod train;

/// A command's failure, for the terminal: any error, with its own message.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

use crate::data::cifar::CLASS_NAMES;
use crate::data::image::rgba_to_cifar;
use crate::data::local::{
    default_data_dir, load_sets, root, write_if_changed, write_shards, Shards, SHARD_RECORDS,
};
use crate::engine::eval::{evaluate, log_probs};
use crate::engine::model::AnyModel;
use crate::engine::weights::Weights;
use crate::engine::{batch, block_on, cpu, no_pause, Device};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use compress::{parse_plan, CompressArgs};
pub use train::TrainArgs;

/// Compression Lab's native command line: data shards, training, evaluation,
/// classification and compression sweeps. The data directory is
/// `$CIFAR10_DIR`, else `../shared/cifar10` beside the repository; training
/// reads only `train.bin`.
#[derive(Parser, Debug)]
#[command(name = "lab", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Data directory → the site's data shards.
    Shards(ShardsArgs),
    /// Train a model and write it (weights + metadata) for the site.
    Train(TrainArgs),
    /// Evaluate a weights file on the test set.
    Eval(EvalArgs),
    /// Classify an image file (PNG or JPEG).
    Classify(ClassifyArgs),
    /// Compression sweeps: size, accuracy and the two-part code length of each setting.
    Compress(CompressArgs),
    /// Arithmetic-code the test labels with a model's probabilities, write the
    /// file, and decode it back with the model and the images alone.
    Labels(LabelsArgs),
    /// The prequential code as a file: code each batch of training labels with
    /// the model before it learns from them, then decode it back the same way
    /// from the seed and the images alone (CPU backend).
    Prequential(PrequentialArgs),
    /// Code a text with the text page's language-model coder, beside the
    /// standard compressors, and decode it back (default: the article).
    Text(text::TextArgs),
    /// Train the text page's network on the corpus (../shared/text) and write
    /// it 8-bit, with its metadata and the books' licences.
    TextPretrain(text::PretrainArgs),
}

/// Where the data is.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    /// The CIFAR-10 directory (train.bin, test.bin).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

impl DataArgs {
    pub fn dir(&self) -> PathBuf {
        self.data.clone().unwrap_or_else(default_data_dir)
    }
}

/// Which Burn backend runs.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackendArg {
    /// Burn's ndarray backend.
    #[default]
    Cpu,
    /// Burn's wgpu backend (Vulkan, Metal, DX12).
    Wgpu,
}

impl BackendArg {
    pub fn device(self) -> Result<(Device, String), Failure> {
        match self {
            BackendArg::Cpu => Ok((cpu(), "cpu (ndarray)".into())),
            BackendArg::Wgpu => Device::wgpu_options()
                .init()
                .map(|d| (d, "wgpu".into()))
                .map_err(|e| format!("no wgpu device: {e}").into()),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct ShardsArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Where the shards go.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// A weights file (default: the shipped default CNN).
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArg {
    #[arg(long)]
    pub model: Option<PathBuf>,
}

impl ModelArg {
    /// The file: the one given, else the shipped default CNN.
    pub fn path(&self) -> PathBuf {
        self.model
            .clone()
            .unwrap_or_else(|| root().join("public/models/lab-cnn.safetensors"))
    }

    pub fn load(&self) -> Result<Weights, Failure> {
        let path = self.path();
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Weights::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?)
    }
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[arg(long, value_enum, default_value_t)]
    pub backend: BackendArg,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(clap::Args, Debug)]
pub struct LabelsArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Compress the model first (SPARSITY:CODING, as `lab compress --plans`):
    /// the `.clz` and the labels file are then the two parts of the code.
    #[arg(long, value_parser = parse_plan)]
    pub plan: Option<crate::domain::Plan>,
    /// Where the labels file goes (default: nowhere, sizes only).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(clap::Args, Debug)]
pub struct PrequentialArgs {
    /// How many training labels (the first ones of train.bin) to send.
    #[arg(long, default_value_t = 500)]
    pub labels: usize,
    /// lab (the default CNN), doc (the article's) or student.
    #[arg(long, default_value = "doc", value_parser = train::parse_arch)]
    pub arch: crate::domain::Arch,
    #[arg(long, default_value_t = 50)]
    pub batch: usize,
    /// Constant learning rate of AdamW (no schedule: one pass).
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where the file goes (default: nowhere, sizes only).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(clap::Args, Debug)]
pub struct ClassifyArgs {
    /// The image file.
    pub image: PathBuf,
    #[command(flatten)]
    pub model: ModelArg,
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Shards(a) => shards(&a),
        Command::Train(a) => train::run(&a),
        Command::Eval(a) => eval(&a),
        Command::Classify(a) => classify(&a),
        Command::Compress(a) => compress::run(&a),
        Command::Labels(a) => labels(&a),
        Command::Prequential(a) => prequential(&a),
        Command::Text(a) => text::run(&a),
        Command::TextPretrain(a) => text::pretrain_cmd(&a),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_if_changed(path, bytes)?;
    Ok(())
}

/// Writes the site's data shards and a manifest (see `crate::data::local`).
fn shards(a: &ShardsArgs) -> Result<(), Failure> {
    let out = a.out.clone().unwrap_or_else(|| root().join("public/data"));
    match write_shards(&a.data.dir(), &out)? {
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

fn eval(a: &EvalArgs) -> Result<(), Failure> {
    let w = a.model.load()?;
    let (device, name) = a.backend.device()?;
    let (_, test) = load_sets(&a.data.dir())?;
    let started = Instant::now();
    let model = AnyModel::from_weights(&w, &device)?;
    let ev = block_on(evaluate(&model, &test, &device, no_pause))?;
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

/// Codes the test labels on the CPU backend (bit-identical probabilities for
/// sender and receiver), decodes them back, and prints the sizes.
fn labels(a: &LabelsArgs) -> Result<(), Failure> {
    use crate::codec::labels::{decode, encode};
    use crate::data::cifar::CLASSES;
    let w = a.model.load()?;
    let (w, clz) = match &a.plan {
        Some(p) => {
            let c = crate::engine::compress::compress(&w, p)?;
            (c.weights, Some((p.label(), c.file.len())))
        }
        None => (w, None),
    };
    let (_, test) = load_sets(&a.data.dir())?;
    let device = cpu();
    let model = AnyModel::from_weights(&w, &device)?;
    let started = Instant::now();
    let ev = block_on(evaluate(&model, &test, &device, no_pause))?;
    let c = encode(&ev.log_probs, CLASSES, &test.labels);
    let coded = started.elapsed().as_secs_f64();
    let back = decode(&ev.log_probs, CLASSES, &c.bytes).map_err(|p| format!("{p:?}"))?;
    let uniform = test.len() as f64 * (CLASSES as f64).log2();
    println!(
        "{} test labels: \u{3a3} -log2 p(y|x) = {:.1} bits, ceil(/8) = {} B (uniform code: {:.1} bits = {} B)",
        test.len(),
        c.ideal_bits,
        (c.ideal_bits / 8.0).ceil(),
        uniform,
        (uniform / 8.0).ceil()
    );
    println!(
        "arithmetic coder: {} bits under its 1/2^16 tables ({:.1} ideal) = {} B of payload + {} B header = {} B file; {coded:.2} s on the CPU",
        c.coded_bits,
        c.table_bits,
        c.payload_bytes(),
        c.header_bytes,
        c.bytes.len()
    );
    let equal = back
        .iter()
        .zip(&test.labels)
        .filter(|(a, b)| a == b)
        .count();
    println!(
        "decoded back: {equal}/{} labels equal the originals",
        test.len()
    );
    if let Some((plan, bytes)) = clz {
        println!(
            "two-part code ({plan}): model .clz {bytes} B + labels {} B = {} B",
            c.bytes.len(),
            bytes + c.bytes.len()
        );
    }
    if let Some(out) = &a.out {
        write(out, &c.bytes)?;
        println!("wrote {}", out.display());
    }
    Ok(())
}

/// Sends the first `a.labels` training labels prequentially and receives them
/// back from the images alone, printing the file's size against the uniform code.
fn prequential(a: &PrequentialArgs) -> Result<(), Failure> {
    use crate::data::cifar::CLASSES;
    use crate::engine::model::init_seeded;
    use crate::engine::prequential::{receive, send};
    use crate::engine::train::{OptimizerKind, TrainConfig};
    let (train_set, _) = load_sets(&a.data.dir())?;
    let n = a.labels.clamp(1, train_set.len());
    let data = train_set.slice(0..n);
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: a.batch.max(1),
        lr: a.lr,
        optimizer: OptimizerKind::AdamW { weight_decay: 5e-4 },
        augment: false,
        seed: a.seed,
    };
    let ad = cpu().autodiff();
    let fresh = || init_seeded(AnyModel::new(a.arch, &ad), a.seed, &ad);
    let started = Instant::now();
    let (coded, batches) = block_on(send(fresh(), &data, &cfg, &ad))?;
    let sent = started.elapsed().as_secs_f64();
    let mut images = data.clone();
    images.labels.iter_mut().for_each(|y| *y = 0);
    let started = Instant::now();
    let back = block_on(receive(fresh(), &images, &coded.bytes, &cfg, &ad))?;
    let uniform = n as f64 * (CLASSES as f64).log2();
    println!(
        "{n} training labels sent prequentially ({}, batch {}, AdamW lr {}, seed {}): \u{3a3} -log2 p = {:.1} bits \
         ({:.3} a label); coder {} bits; file {} B ({} B header); uniform code {:.1} bits = {} B; sent in {sent:.1} s",
        a.arch,
        cfg.batch_size,
        cfg.lr,
        cfg.seed,
        coded.ideal_bits,
        coded.ideal_bits / n as f64,
        coded.coded_bits,
        coded.bytes.len(),
        coded.header_bytes,
        uniform,
        (uniform / 8.0).ceil()
    );
    let per_label: Vec<String> = batches
        .iter()
        .map(|b| format!("{:.2}", b / cfg.batch_size as f64))
        .collect();
    println!("bits a label, batch by batch: {}", per_label.join(" "));
    let equal = back
        .iter()
        .zip(&data.labels)
        .filter(|(x, y)| x == y)
        .count();
    println!(
        "received from the seed and the images alone in {:.1} s: {equal}/{n} labels equal",
        started.elapsed().as_secs_f64()
    );
    if let Some(out) = &a.out {
        write(out, &coded.bytes)?;
        println!("wrote {}", out.display());
    }
    Ok(())
}

fn classify(a: &ClassifyArgs) -> Result<(), Failure> {
    let path = a.image.display();
    let img = image::open(&a.image)
        .map_err(|e| format!("{path}: {e}"))?
        .to_rgba8();
    let planar = rgba_to_cifar(img.as_raw(), img.width() as usize, img.height() as usize)
        .map_err(|e| e.to_string())?;
    let w = a.model.load()?;
    let device = cpu();
    let model = AnyModel::from_weights(&w, &device)?;
    let lp = block_on(log_probs(&model, batch::raw_images(&[&planar], &device)))?;
    let mut ranked: Vec<(usize, f32)> = lp.iter().map(|v| v.exp()).enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (c, p) in ranked.iter().take(5) {
        println!("{:>11} {:6.2}%", CLASS_NAMES[*c], 100.0 * p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &str) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("lab").chain(args.split_whitespace()))
    }

    #[test]
    fn unknown_or_misspelt_flags_are_refused() {
        assert!(parse("train --epoch 5").is_err(), "--epoch is not --epochs");
        assert!(parse("train --arch resnet").is_err());
        assert!(parse("eval --backend tpu").is_err());
        assert!(parse("compress --sweep everything").is_err());
        assert!(parse("launch").is_err());
        assert!(
            parse("labels --plan 30").is_err(),
            "a plan needs its coding"
        );
    }

    #[test]
    fn flags_parse_into_their_types() {
        let Command::Train(t) = parse("train --arch student --epochs 5 --lr 0.01 --no-augment")
            .unwrap()
            .command
        else {
            panic!("not train");
        };
        assert_eq!(
            (t.arch, t.epochs, t.lr, t.no_augment),
            (crate::domain::Arch::LabCnnS, Some(5), Some(0.01), true)
        );
        // What is validated is what trains: AdamW with weight decay 5e-4.
        let s = t.settings(10_000).unwrap();
        assert_eq!(
            (s.epochs, s.lr, s.augment, s.weight_decay),
            (5, 0.01, false, 5e-4)
        );
        assert_eq!(
            crate::engine::train::TrainConfig::from(&s).optimizer,
            crate::engine::train::OptimizerKind::AdamW { weight_decay: 5e-4 }
        );
        let Command::Train(bad) = parse("train --lr 20 --epochs 5").unwrap().command else {
            panic!()
        };
        assert_eq!(
            bad.settings(10_000),
            Err(crate::domain::SettingsError::LearningRate)
        );
        let Command::Train(bad) = parse("train --teacher t.safetensors --alpha 2")
            .unwrap()
            .command
        else {
            panic!()
        };
        assert_eq!(
            bad.settings(10_000),
            Err(crate::domain::SettingsError::Alpha)
        );
        let Command::Compress(c) = parse("compress --plans 30:q4ac,50:k16 --scope per-layer")
            .unwrap()
            .command
        else {
            panic!("not compress");
        };
        assert_eq!(c.plans.len(), 2);
        assert_eq!(c.plans[1].label(), "50% pruned · 16 shared values");
        let Command::Classify(k) = parse("classify cat.png").unwrap().command else {
            panic!()
        };
        assert_eq!(k.image, PathBuf::from("cat.png"));
    }
}
