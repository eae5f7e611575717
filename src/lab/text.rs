//! `lab text` (code a file with the text page's coders, against the standard
//! compressors, and decode it back) and `lab text-pretrain` (the network the
//! site ships, trained on the corpus with a held-out part, written as an
//! 8-bit file with its metadata).

use super::{write, Failure};
use crate::data::local::root;
use crate::text::nn::{ByteModel, NnConfig};
use crate::text::report::{self, Script};
use crate::text::train::{pretrain, TrainOpts};
use crate::text::{self, baselines, code::Prior, Coder};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct TextArgs {
    /// The text to code (default: the article).
    pub file: Option<PathBuf>,
    /// Start from this pretrained network (default: learn from nothing).
    #[arg(long)]
    pub pretrained: Option<PathBuf>,
    /// Where the `.lmz` file goes (default: nowhere, sizes only).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct PretrainArgs {
    /// The corpus folder (trpl-zh.md, trpl-en.md and their licences).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Where the model goes (its metadata beside it, `.json`).
    #[arg(long, default_value = "public/models/text-lm.bin")]
    pub out: PathBuf,
    /// Passes over the training part.
    #[arg(long, default_value_t = 3.0)]
    pub epochs: f32,
    /// log2 of the hashed context rows per order.
    #[arg(long, default_value_t = 13)]
    pub hash_bits: u32,
    #[arg(long, default_value_t = 192)]
    pub hidden: u32,
    /// The share of each book held out (its end) to measure the model on.
    #[arg(long, default_value_t = 0.05)]
    pub holdout: f64,
    /// Stop after this many seconds of training.
    #[arg(long, default_value_t = 1800.0)]
    pub max_seconds: f64,
}

pub const BOOKS: [&str; 2] = ["trpl-zh.md", "trpl-en.md"];

fn corpus_dir(a: &Option<PathBuf>) -> PathBuf {
    a.clone().unwrap_or_else(|| root().join("../shared/text"))
}

/// Codes a file, prints what each coder and compressor makes of it, decodes
/// the file back and checks it byte for byte.
pub fn run(a: &TextArgs) -> Result<(), Failure> {
    let path = a
        .file
        .clone()
        .unwrap_or_else(crate::data::local::default_article);
    let input = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let prior = match &a.pretrained {
        Some(p) => Some(
            Prior::from_bytes(&std::fs::read(p)?).map_err(|e| format!("{}: {e:?}", p.display()))?,
        ),
        None => None,
    };
    let coder = if prior.is_some() {
        Coder::Pretrained
    } else {
        Coder::Learn
    };
    println!(
        "{}: {} bytes; order-0 entropy {:.0} B",
        path.display(),
        input.len(),
        report::order0_bits(&input) / 8.0
    );
    let t0 = Instant::now();
    for b in baselines::all(&input, || t0.elapsed().as_secs_f64() * 1e3) {
        println!(
            "  {:<14} {:>9} B  {:.3} bits/byte  {:.0} ms  ({})",
            b.compressor.label(),
            b.bytes,
            8.0 * b.bytes as f64 / input.len() as f64,
            b.millis,
            b.how
        );
    }
    let t = Instant::now();
    let coded = text::code(&input, coder, prior.as_ref(), &mut |_, _| {});
    let secs = t.elapsed().as_secs_f64();
    let bpb = |bits: f64| bits / input.len() as f64;
    println!(
        "  {:<14} {:>9.0} B  {:.3} bits/byte  (ideal)",
        "network alone",
        coded.neural_bits / 8.0,
        bpb(coded.neural_bits)
    );
    println!(
        "  {:<14} {:>9.0} B  {:.3} bits/byte  (ideal)",
        "stats alone",
        coded.stats_bits / 8.0,
        bpb(coded.stats_bits)
    );
    println!(
        "  {:<14} {:>9} B  {:.3} bits/byte  {:.1} s, {:.1} kB/s  ({coder:?}{})",
        ".lmz file",
        coded.file.len(),
        8.0 * coded.file.len() as f64 / input.len() as f64,
        secs,
        input.len() as f64 / secs / 1e3,
        prior
            .as_ref()
            .map_or(String::new(), |p| format!(", model {} B", p.bytes))
    );
    let chars = report::chars(&input, &coded.bits);
    for (s, p) in Script::ALL.iter().zip(report::parts(&chars)) {
        if let (Some(b), Some(c)) = (p.bits_per_byte(), p.bits_per_char()) {
            println!(
                "    {s:?}: {} chars, {} bytes, {:.3} bits/byte, {:.2} bits/char",
                p.chars, p.bytes, b, c
            );
        }
    }
    let t = Instant::now();
    let (_, back) =
        text::decode(&coded.file, prior.as_ref(), &mut |_, _| {}).map_err(|e| format!("{e:?}"))?;
    if back != input {
        return Err("the decoded text differs from the input".into());
    }
    println!(
        "  decoded back byte for byte in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    if let Some(out) = &a.out {
        write(out, &coded.file)?;
        println!("  wrote {}", out.display());
    }
    Ok(())
}

/// Trains the network on the books (all but the end of each), measures it on
/// the held-out ends, and writes it 8-bit with its metadata.
pub fn pretrain_cmd(a: &PretrainArgs) -> Result<(), Failure> {
    let dir = corpus_dir(&a.corpus);
    let books: Vec<Vec<u8>> = BOOKS
        .iter()
        .map(|b| std::fs::read(dir.join(b)).map_err(|e| format!("{}: {e}", dir.join(b).display())))
        .collect::<Result<_, _>>()?;
    let split = |d: &Vec<u8>| {
        let mut at = d.len() - (d.len() as f64 * a.holdout) as usize;
        while at < d.len() && (d[at] & 0xc0) == 0x80 {
            at += 1; // start the held-out part on a whole character
        }
        at
    };
    let train: Vec<&[u8]> = books.iter().map(|d| &d[..split(d)]).collect();
    let held: Vec<&[u8]> = books.iter().map(|d| &d[split(d)..]).collect();
    let cfg = NnConfig {
        hash_bits: a.hash_bits,
        hidden: a.hidden,
        lr: 0.003,
        lr_emb: 0.1,
        ..NnConfig::default()
    };
    let opts = TrainOpts {
        epochs: a.epochs,
        batch: 32,
        lr: 0.002,
        lr_emb: 0.02,
        seed: 1,
        max_seconds: a.max_seconds,
    };
    let mut m = ByteModel::new(&cfg, 1);
    println!(
        "{} parameters; training on {} bytes, holding out {} bytes",
        cfg.param_count(),
        train.iter().map(|d| d.len()).sum::<usize>(),
        held.iter().map(|d| d.len()).sum::<usize>()
    );
    let t = Instant::now();
    pretrain(&mut m, &train, &held, &opts);
    let secs = t.elapsed().as_secs_f64();
    let file = m.to_int8_bytes();
    let shipped = ByteModel::from_bytes(&file).map_err(|e| format!("{e:?}"))?;
    let prior = Prior {
        id: text::code::model_id(&file),
        bytes: file.len(),
        model: shipped,
    };
    let mut held_out = Vec::new();
    for (name, h) in BOOKS.iter().zip(&held) {
        let c = text::code(h, Coder::Pretrained, Some(&prior), &mut |_, _| {});
        let learn = text::code(h, Coder::Learn, None, &mut |_, _| {});
        println!(
            "held-out end of {name}: {} bytes -> {} B with the model, {} B learning from nothing",
            h.len(),
            c.file.len(),
            learn.file.len()
        );
        held_out.push(format!(
            "{{\"book\": \"{name}\", \"bytes\": {}, \"coded_with_model\": {}, \"coded_from_nothing\": {}, \"network_alone_bits\": {:.0}}}",
            h.len(), c.file.len(), learn.file.len(), c.neural_bits
        ));
    }
    write(&a.out, &file)?;
    let meta = format!(
        "{{\n  \"model\": \"text-lm\",\n  \"id\": \"{:08x}\",\n  \"bytes\": {},\n  \"parameters\": {},\n  \"format\": \"BNN1 v3: 80-byte header, weights 8-bit in blocks of {} with an f32 scale each\",\n  \
         \"architecture\": {{\"context_bytes\": {}, \"embedding\": {}, \"hashed_orders\": {:?}, \"hash_bits\": {}, \"hidden\": {}}},\n  \
         \"training\": {{\"epochs\": {}, \"seconds\": {:.0}, \"holdout\": {}, \"command\": \"cargo run --release --bin lab -- text-pretrain --epochs {} --hash-bits {} --hidden {}\"}},\n  \
         \"held_out\": [{}],\n  \
         \"corpus\": [\n    {{\"file\": \"trpl-zh.md\", \"source\": \"KaiserY/trpl-zh-cn\", \"commit\": \"49df980589ccd5c1b8829b9be47439136dc34101\", \"licence\": \"MIT\"}},\n    \
         {{\"file\": \"trpl-en.md\", \"source\": \"rust-lang/book\", \"commit\": \"917544888a55e4da7109bdba8c88c893c0da70f4\", \"licence\": \"MIT OR Apache-2.0\"}}\n  ],\n  \
         \"licence_note\": \"The weights are derived from the two books; their licences are in public/models/text-lm.LICENSES.txt.\"\n}}\n",
        prior.id, file.len(), cfg.param_count(), crate::text::nn::BLOCK, cfg.ctx_bytes, cfg.emb_dim, cfg.orders, cfg.hash_bits, cfg.hidden,
        a.epochs, secs, a.holdout, a.epochs, a.hash_bits, a.hidden, held_out.join(", ")
    );
    write(&a.out.with_extension("json"), meta.as_bytes())?;
    let mut licences =
        String::from("The text-lm model was trained on two books. Their licences follow.\n\n");
    for f in [
        "LICENSE-trpl-zh-cn.txt",
        "LICENSE-MIT-rust-book.txt",
        "COPYRIGHT-rust-book.txt",
    ] {
        licences += &format!(
            "==> {f} <==\n{}\n",
            std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{f}: {e}"))?
        );
    }
    write(&a.out.with_extension("LICENSES.txt"), licences.as_bytes())?;
    println!(
        "wrote {} ({} bytes, id {:08x}) in {secs:.0} s of training",
        a.out.display(),
        file.len(),
        prior.id
    );
    Ok(())
}
