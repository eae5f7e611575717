//! The ML engine, natively: model shapes, a short training run, save/load,
//! determinism, CPU (ndarray) against wgpu (software Vulkan here), and the
//! shipped model's accuracy against its metadata.

#![cfg(all(feature = "engine", not(target_arch = "wasm32")))]

use burn::module::Module;
use burn::prelude::*;
use compression_lab::data::cifar::{Cifar, CLASSES, PIXELS};
use compression_lab::engine::eval::Evaluation;
use compression_lab::engine::meta::ModelMeta;
use compression_lab::engine::model::{
    init_seeded, AnyModel, Classifier, DocCnn, DocCnnConfig, LabCnnConfig,
};
use compression_lab::engine::parallel::{Alone, Helpers, Threads};
use compression_lab::engine::train::{OptimizerKind, TrainConfig, Trainer};
use compression_lab::engine::weights::Weights;
use compression_lab::engine::{batch, block_on, cpu, no_pause};
use compression_lab::math::rng::SplitMix64;
use std::path::PathBuf;

/// The engine's one async API, waited on: these tests run natively, as the
/// `lab` CLI does.
mod wait {
    use super::*;
    use compression_lab::engine::train::{BatchReport, Distill, EpochReport, Stopped};
    use compression_lab::engine::{compress, eval, model, prequential, Error};

    pub fn evaluate<M: Classifier>(m: &M, data: &Cifar, device: &Device) -> Evaluation {
        block_on(eval::evaluate(m, data, device, no_pause)).unwrap()
    }

    pub fn log_probs<M: Classifier>(m: &M, images: Tensor<4>) -> Vec<f32> {
        block_on(eval::log_probs(m, images)).unwrap()
    }

    pub fn weights<M: Classifier>(m: &M) -> Weights {
        block_on(model::to_weights(m)).unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn train<M: Classifier>(
        m: M,
        data: &Cifar,
        test: Option<&Cifar>,
        cfg: &TrainConfig,
        device: &Device,
        distill: Option<Distill>,
        on_batch: impl FnMut(&BatchReport),
        on_epoch: impl FnMut(&EpochReport, &M),
    ) -> Result<M, Stopped> {
        block_on(compression_lab::engine::train::train(
            m,
            data,
            test,
            cfg,
            device,
            distill,
            &mut compression_lab::engine::parallel::Alone,
            on_batch,
            on_epoch,
        ))
    }

    pub fn measure(
        w: &Weights,
        original: &Weights,
        plan: &compression_lab::protocol::Plan,
        test: &Cifar,
        base: &compress::Scored,
        device: &Device,
    ) -> Result<
        (
            compress::Compressed,
            compression_lab::protocol::CompressReport,
        ),
        Error,
    > {
        block_on(compress::measure(
            w, original, plan, test, base, device, no_pause,
        ))
    }

    pub fn finetune(
        w: &Weights,
        plan: &compression_lab::protocol::Plan,
        train: &Cifar,
        f: &compress::Finetune,
        device: &Device,
        progress: &mut dyn FnMut(usize, f32),
    ) -> Result<Weights, Error> {
        block_on(compress::finetune(w, plan, train, f, device, progress))
    }

    pub fn send<M: Classifier>(
        m: M,
        data: &Cifar,
        cfg: &TrainConfig,
        device: &Device,
    ) -> (compression_lab::codec::labels::Coded, Vec<f64>) {
        block_on(prequential::send(m, data, cfg, device)).unwrap()
    }

    pub fn receive<M: Classifier>(
        m: M,
        images: &Cifar,
        bytes: &[u8],
        cfg: &TrainConfig,
        device: &Device,
    ) -> Result<Vec<u8>, Error> {
        block_on(prequential::receive(m, images, bytes, cfg, device))
    }
}
use wait::{evaluate, log_probs, train, weights};

/// A learnable toy set: each class is a different colour plus noise.
fn toy(n: usize, seed: u64) -> Cifar {
    let mut rng = SplitMix64::new(seed);
    let mut c = Cifar::default();
    for i in 0..n {
        let label = (i % CLASSES) as u8;
        c.labels.push(label);
        for ch in 0..3 {
            let base = [
                (label as usize * 25) % 256,
                (label as usize * 70) % 256,
                (label as usize * 140) % 256,
            ][ch];
            for _ in 0..PIXELS / 3 {
                c.pixels
                    .push((base as f64 + 30.0 * rng.normal()).clamp(0.0, 255.0) as u8);
            }
        }
    }
    c
}

#[test]
fn both_models_map_images_to_ten_logits_with_the_documented_sizes() {
    let device = cpu();
    let x = Tensor::<4>::zeros([2, 3, 32, 32], &device);
    let doc = DocCnnConfig::new().init(&device);
    assert_eq!(doc.forward(x.clone()).dims(), [2, 10]);
    // The article's Keras model has 122,570 parameters.
    assert_eq!(weights(&doc).len(), 122_570);
    let lab = LabCnnConfig::new().init(&device);
    assert_eq!(lab.forward(x).dims(), [2, 10]);
}

#[test]
fn a_short_training_run_lowers_the_loss_and_is_deterministic() {
    let data = toy(80, 1);
    let cfg = TrainConfig {
        epochs: 3,
        batch_size: 20,
        lr: 3e-3,
        optimizer: OptimizerKind::AdamW { weight_decay: 5e-4 },
        augment: true,
        seed: 7,
    };
    let run = || {
        let ad = cpu().autodiff();
        let mut losses = Vec::new();
        let init = init_seeded(DocCnnConfig::new().init(&ad), 7, &ad);
        let model = train(
            init,
            &data,
            None,
            &cfg,
            &ad,
            None,
            |b| losses.push(b.loss),
            |_, _| {},
        )
        .unwrap();
        (losses, weights(&model.valid()))
    };
    let (losses, weights) = run();
    let first = losses[..4].iter().sum::<f64>() / 4.0;
    let last = losses[losses.len() - 4..].iter().sum::<f64>() / 4.0;
    println!("loss: first batches {first:.3}, last batches {last:.3}");
    assert!(last < 0.7 * first, "loss {first} → {last}");
    // Same seed, same data: bit-identical weights on the CPU backend.
    let (losses2, weights2) = run();
    assert_eq!(losses, losses2);
    assert_eq!(weights, weights2);
}

#[test]
fn prequential_code_length_of_a_fixed_model_is_the_hand_computed_sum() {
    let data = toy(40, 3);
    let device = cpu();
    let ad = device.clone().autodiff();
    // Learning rate 0: the model never changes, so each batch is coded by the
    // same model and the prequential sum is that model's code length.
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: 16,
        lr: 0.0,
        optimizer: OptimizerKind::Momentum { momentum: 0.0 },
        augment: false,
        seed: 1,
    };
    let prequential = |model| {
        let (mut bits, mut labels) = (0.0, 0);
        train(
            model,
            &data,
            None,
            &cfg,
            &ad,
            None,
            |r| {
                bits += r.bits;
                labels += r.size;
            },
            |_, _| {},
        )
        .unwrap();
        (bits, labels)
    };
    // All weights zero: every logit is 0, p(y|x) = 1/10, each label costs log₂ 10 bits.
    let mut w = weights(&DocCnnConfig::new().init(&device));
    for t in &mut w.tensors {
        t.data.iter_mut().for_each(|v| *v = 0.0);
    }
    let zero = DocCnnConfig::new().init(&ad).load_weights(&w, &ad).unwrap();
    let (bits, labels) = prequential(zero);
    assert_eq!(labels, 40);
    assert!((bits - 40.0 * 10f64.log2()).abs() < 1e-3, "{bits}");
    // A random model: the sum equals its code length measured by evaluation.
    let seeded = init_seeded(DocCnnConfig::new().init(&ad), 5, &ad);
    let expected = evaluate(&seeded.valid(), &data, &device).total_bits;
    let (bits, _) = prequential(seeded);
    assert!(
        (bits - expected).abs() < 1e-3 * expected,
        "{bits} vs {expected}"
    );
}

/// The article's CNN, seeded, and a short momentum run of `epochs` in batches of 16.
fn small_run(epochs: usize, ad: &burn::tensor::Device) -> (TrainConfig, DocCnn) {
    let cfg = TrainConfig {
        epochs,
        batch_size: 16,
        lr: 1e-3,
        optimizer: OptimizerKind::Momentum { momentum: 0.9 },
        augment: false,
        seed: 3,
    };
    (cfg, init_seeded(DocCnnConfig::new().init(ad), 2, ad))
}

/// The compression meter is a prequential code: over a 2-epoch run each
/// training label is counted once, in the first epoch, before the model learned
/// from it; the second epoch's cost of the same labels is kept apart.
#[test]
fn the_prequential_code_counts_each_training_label_once() {
    let data = toy(40, 4);
    let ad = cpu().autodiff();
    let (cfg, model) = small_run(2, &ad);
    let mut meter = compression_lab::protocol::CodeMeter::new(data.len());
    let (mut first_epoch_bits, mut second_epoch_bits, mut batches) = (0.0, 0.0, 0);
    train(
        model,
        &data,
        None,
        &cfg,
        &ad,
        None,
        |r| {
            meter.add(r.epoch, r.size, r.bits, r.first_labels, r.first_bits);
            assert!(
                meter.labels <= data.len(),
                "never more labels than the data set"
            );
            match r.epoch {
                1 => {
                    assert_eq!(r.first_labels, r.size);
                    first_epoch_bits += r.bits;
                }
                _ => {
                    assert_eq!(r.first_labels, 0);
                    second_epoch_bits += r.bits;
                }
            }
            batches += 1;
        },
        |_, _| {},
    )
    .unwrap();
    assert_eq!(batches, 6, "3 batches an epoch, 2 epochs");
    assert_eq!(meter.labels, 40);
    assert!(meter.complete());
    assert!(
        (meter.bits - first_epoch_bits).abs() < 1e-9,
        "{} vs {first_epoch_bits}",
        meter.bits
    );
    assert_eq!((meter.epoch, meter.epoch_labels), (2, 40));
    assert!((meter.epoch_bits - second_epoch_bits).abs() < 1e-9);
}

#[test]
fn divergence_is_reported_not_hidden() {
    let data = toy(40, 2);
    let cfg = TrainConfig {
        epochs: 2,
        batch_size: 20,
        lr: 1e6,
        optimizer: OptimizerKind::Momentum { momentum: 0.9 },
        augment: false,
        seed: 1,
    };
    let ad = cpu().autodiff();
    let err = train(
        DocCnnConfig::new().init(&ad),
        &data,
        None,
        &cfg,
        &ad,
        None,
        |_| {},
        |_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("diverged") && err.contains("learning rate") && err.contains("lower it"),
        "{err}"
    );
}

#[test]
fn save_then_load_gives_identical_predictions_and_wrong_files_are_refused() {
    let device = cpu();
    let data = toy(8, 3);
    let idx: Vec<usize> = (0..8).collect();
    let model = LabCnnConfig::new().init(&device);
    // Make the batch-norm statistics non-trivial so they are checked too.
    let ad = device.clone().autodiff();
    let trained = train(
        LabCnnConfig::new().init(&ad),
        &data,
        None,
        &TrainConfig {
            epochs: 1,
            batch_size: 8,
            ..TrainConfig::default()
        },
        &ad,
        None,
        |_| {},
        |_, _| {},
    )
    .unwrap()
    .valid();
    let bytes = weights(&trained).to_bytes().unwrap();
    let loaded = model
        .load_weights(&Weights::from_bytes(&bytes).unwrap(), &device)
        .unwrap();
    let a = log_probs(&trained, batch::images(&data, &idx, None, &device));
    let b = log_probs(&loaded, batch::images(&data, &idx, None, &device));
    assert_eq!(a, b);
    // A lab-cnn file offered to the article's architecture: a clear refusal.
    let err = DocCnnConfig::new()
        .init(&device)
        .load_weights(&Weights::from_bytes(&bytes).unwrap(), &device)
        .unwrap_err();
    assert!(err.detail.contains("lab-cnn"), "{err}");
    let mut w = Weights::from_bytes(&bytes).unwrap();
    w.metadata.clear();
    w.tensors[0].shape = vec![1, 2, 3];
    let err = LabCnnConfig::new()
        .init(&device)
        .load_weights(&w, &device)
        .unwrap_err();
    assert!(err.detail.contains("b1.conv.weight"), "{err}");
}

#[test]
fn cpu_and_wgpu_agree() {
    let Ok(gpu) = burn::tensor::Device::wgpu_options().init() else {
        panic!("no wgpu adapter: install mesa-vulkan-drivers (software Vulkan) — scripts/setup.sh does");
    };
    let device = cpu();
    let data = toy(16, 4);
    let idx: Vec<usize> = (0..16).collect();
    for w in [
        weights(&LabCnnConfig::new().init(&device)),
        weights(&DocCnnConfig::new().init(&device)),
    ] {
        let on_cpu = load_any(&w, &device);
        let on_gpu = load_any(&w, &gpu);
        let a = on_cpu(batch::images(&data, &idx, None, &device));
        let b = on_gpu(batch::images(&data, &idx, None, &gpu));
        let gap = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max);
        println!(
            "{}: max |log p_cpu − log p_wgpu| = {gap:.2e}",
            w.metadata["arch"]
        );
        assert!(gap < 1e-4, "gap {gap}");
    }
}

fn load_any(w: &Weights, device: &burn::tensor::Device) -> Box<dyn Fn(Tensor<4>) -> Vec<f32>> {
    let m = AnyModel::from_weights(w, device).unwrap();
    assert_eq!(
        Some(m.arch().name()),
        w.metadata.get("arch").map(String::as_str)
    );
    Box::new(move |x| log_probs(&m, x))
}

/// The CIFAR-10 test images: a test that needs them fails without them.
fn test_bin() -> Vec<u8> {
    let path = data_dir().join("test.bin");
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{} is needed (set CIFAR10_DIR; see the README): {e}",
            path.display()
        )
    })
}

fn data_dir() -> PathBuf {
    std::env::var_os("CIFAR10_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/cifar10"))
}

#[test]
fn the_shipped_model_scores_what_its_metadata_says() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("public/models");
    let meta: ModelMeta =
        serde_json::from_slice(&std::fs::read(root.join("lab-cnn.json")).unwrap()).unwrap();
    let w = Weights::from_bytes(&std::fs::read(root.join(&meta.weights_file)).unwrap()).unwrap();
    assert_eq!(w.len(), meta.parameters);
    let bytes = test_bin();
    let test = Cifar::parse(&bytes, "test.bin").unwrap();
    let device = cpu();
    let model = LabCnnConfig::new()
        .init(&device)
        .load_weights(&w, &device)
        .unwrap();
    let ev = evaluate(&model, &test, &device);
    println!(
        "shipped model: {:.2}% on {} test images",
        100.0 * ev.accuracy(),
        ev.n
    );
    assert!(
        (ev.accuracy() - meta.test_accuracy).abs() < 1e-9,
        "{} vs {}",
        ev.accuracy(),
        meta.test_accuracy
    );
    assert!((ev.total_bits - meta.test_bits).abs() < 1e-3 * meta.test_bits);
    // The browser tests upload test images 5 (a frog) and 14 (a truck) and expect
    // them among the top two: the model must get them right with confidence.
    for (i, class) in [(5, 6), (14, 9)] {
        assert_eq!(test.labels[i], class);
        let lp = log_probs(&model, batch::raw_images(&[test.image(i)], &device));
        let p = lp[class as usize].exp();
        assert!(p > 0.9, "test image {i}: p(true class) = {p}");
    }
}

/// The article's CNN with every weight zero and only the last bias set: it
/// predicts p = softmax(bias) for every image, so each label's cost is known
/// by hand.
fn constant_model() -> Weights {
    let mut w = weights(&DocCnnConfig::new().init(&cpu()));
    for t in &mut w.tensors {
        t.data.iter_mut().for_each(|v| *v = 0.0);
    }
    // Logit ln 3 for class 0, 0 for the others: p₀ = 3/12 = 1/4, pₖ = 1/12.
    let bias = w.tensors.iter_mut().find(|t| t.name == "fc2.bias").unwrap();
    bias.data[0] = 3f32.ln();
    w
}

#[test]
fn description_length_of_a_hand_checked_model() {
    use compression_lab::engine::compress::Scored;
    use compression_lab::protocol::{Coding, Plan, PruneScope};
    use wait::measure;
    let w = constant_model();
    let mut data = toy(20, 9); // two of each class
    data.labels = vec![0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 1, 2, 3, 4, 5];
    let device = cpu();
    // 4 labels of class 0 at 2 bits, 16 others at log₂ 12 bits.
    let hand = 4.0 * 2.0 + 16.0 * 12f64.log2();
    let base = Scored::from(&evaluate(
        &AnyModel::from_weights(&w, &device).unwrap(),
        &data,
        &device,
    ));
    assert!(
        (base.label_bits - hand).abs() < 1e-4,
        "{} vs {hand}",
        base.label_bits
    );
    let plan = Plan {
        sparsity: 0.5,
        scope: PruneScope::Global,
        coding: Coding::Share { k: 4 },
    };
    let (c, r) = measure(&w, &w, &plan, &data, &base, &device).unwrap();
    // Zero weights stay zero whatever the plan: same predictions, same label bits.
    assert!((r.label_bits - hand).abs() < 1e-4);
    assert_eq!(r.correct, 4, "it always answers class 0");
    // Two-part code: the file's bits plus the labels' bits.
    assert_eq!(r.size.file, c.file.len());
    assert!((r.total_bits() - (8.0 * c.file.len() as f64 + hand)).abs() < 1e-4);
    // The uncompressed container holds every parameter as an f32.
    let (c0, _) = measure(&w, &w, &Plan::NONE, &data, &base, &device).unwrap();
    assert_eq!(c0.size.values + c0.size.other, 4 * 122_570);
    // An all-zero network is mostly zeros: DEFLATE makes it tiny.
    assert!(c0.size.file < 4 * 122_570 / 50, "{}", c0.size.file);
}

#[test]
fn fine_tuning_keeps_pruned_weights_at_zero() {
    use compression_lab::engine::compress::{compress, is_compressible, Finetune};
    use compression_lab::protocol::{Coding, Plan, PruneScope};
    use wait::finetune;
    let device = cpu();
    let w = weights(&init_seeded(DocCnnConfig::new().init(&device), 3, &device));
    let plan = Plan {
        sparsity: 0.7,
        scope: PruneScope::PerLayer,
        coding: Coding::Float,
    };
    let f = Finetune {
        steps: 2,
        batch_size: 8,
        lr: 0.05,
        seed: 1,
        ..Finetune::default()
    };
    let mut losses = Vec::new();
    let tuned = finetune(&w, &plan, &toy(40, 5), &f, &device, &mut |s, l| {
        losses.push((s, l))
    })
    .unwrap();
    assert_eq!(losses.len(), 2);
    assert!(losses.iter().all(|(_, l)| l.is_finite() && *l > 0.0));
    let pruned = compress(&w, &plan).unwrap().weights;
    let mut moved = false;
    for ((a, b), t) in pruned.tensors.iter().zip(&tuned.tensors).zip(&w.tensors) {
        if !is_compressible(t) {
            continue;
        }
        for (x, y) in a.data.iter().zip(&b.data) {
            if *x == 0.0 {
                assert_eq!(*y, 0.0, "{}: a pruned weight came back", t.name);
            } else {
                moved |= x != y;
            }
        }
    }
    assert!(moved, "the surviving weights were trained");
    // Compressing the fine-tuned weights with the same plan prunes the same weights.
    let again = compress(&tuned, &plan).unwrap().weights;
    for (a, b) in tuned.tensors.iter().zip(&again.tensors) {
        assert_eq!(a.data, b.data);
    }
}

#[test]
fn quantization_aware_fine_tuning_trains_what_the_file_holds() {
    use compression_lab::engine::compress::{compress, reconstruct, Finetune};
    use compression_lab::protocol::{Coding, Granularity, Plan, PruneScope, QuantMode};
    use wait::finetune;
    let device = cpu();
    let w = weights(&init_seeded(DocCnnConfig::new().init(&device), 5, &device));
    let plan = Plan {
        sparsity: 0.5,
        scope: PruneScope::Global,
        coding: Coding::Quantize {
            bits: 3,
            granularity: Granularity::PerChannel,
            mode: QuantMode::Symmetric,
        },
    };
    let f = Finetune {
        steps: 4,
        batch_size: 8,
        lr: 0.05,
        seed: 2,
        ramp: 0.5,
        quantized: true,
        distill: Some((4.0, 0.5)),
    };
    // The ramp: half the target after the first of two ramp steps, all of it after.
    assert!((f.sparsity_at(0, 0.5) - 0.5 * 0.875).abs() < 1e-12);
    assert_eq!(f.sparsity_at(1, 0.5), 0.5);
    assert_eq!(f.sparsity_at(3, 0.5), 0.5);
    assert_eq!(Finetune { ramp: 0.0, ..f }.sparsity_at(0, 0.5), 0.5);
    // The learning rate: a half cosine from the peak.
    assert_eq!(f.lr_at(0), 0.05);
    assert!((f.lr_at(2) - 0.025).abs() < 1e-12);
    let tuned = finetune(&w, &plan, &toy(40, 5), &f, &device, &mut |_, _| {}).unwrap();
    // Trained: the coded weights differ from those of the untouched model.
    let before = reconstruct(&w, &plan).unwrap();
    let after = reconstruct(&tuned, &plan).unwrap();
    assert_ne!(before.tensors, after.tensors);
    // What the fine-tune trained through is exactly what the file decodes to.
    let c = compress(&tuned, &plan).unwrap();
    assert_eq!(c.weights.tensors, after.tensors);
    let zeros = |w: &Weights| {
        w.tensors
            .iter()
            .filter(|t| compression_lab::engine::compress::is_compressible(t))
            .map(|t| t.data.iter().filter(|v| **v == 0.0).count())
            .sum::<usize>()
    };
    // The float copy holds the plan's pruning: half of the conv / linear weights are zero.
    let n: usize = w
        .tensors
        .iter()
        .filter(|t| compression_lab::engine::compress::is_compressible(t))
        .map(|t| t.data.len())
        .sum();
    assert_eq!(zeros(&tuned), (0.5 * n as f64).round() as usize);
}

#[test]
fn distillation_loss_is_the_label_loss_when_student_matches_teacher() {
    use compression_lab::engine::train::Distill;
    let device = cpu();
    let model = init_seeded(DocCnnConfig::new().init(&device), 4, &device);
    let w = weights(&model);
    let teacher = AnyModel::from_weights(&w, &device).unwrap();
    let data = toy(8, 2);
    let idx: Vec<usize> = (0..8).collect();
    let ad = device.clone().autodiff();
    let student = AnyModel::from_weights(&w, &ad).unwrap();
    let images = batch::images(&data, &idx, None, &ad);
    let logits = student.forward(images.clone());
    let ce = burn::nn::loss::CrossEntropyLossConfig::new()
        .init(&ad)
        .forward(logits.clone(), batch::labels(&data, &idx, &ad));
    let ce_v = ce.clone().into_scalar::<f32>();
    let d = Distill {
        teacher: Box::new(move |x| teacher.forward(x)),
        temperature: 4.0,
        alpha: 0.75,
    };
    // Same weights: KL = 0, so the loss is (1 − α)·CE.
    let loss = d.loss(logits, images, ce).into_scalar::<f32>();
    assert!(
        (loss - 0.25 * ce_v).abs() < 1e-5,
        "{loss} vs {}",
        0.25 * ce_v
    );
}

/// The shipped compressed model (issue 18): its file decodes exactly as the
/// site decodes it, is what its metadata says, and scores exactly the
/// metadata's accuracy on every test image.
#[test]
fn the_shipped_compressed_model_scores_what_its_metadata_says() {
    use compression_lab::domain::model_ref::{shipped_file, COMPRESSED};
    use compression_lab::engine::compress::read_weights;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("public/models");
    let meta: ModelMeta =
        serde_json::from_slice(&std::fs::read(root.join(format!("{COMPRESSED}.json"))).unwrap())
            .unwrap();
    assert_eq!(meta.weights_file, shipped_file(COMPRESSED));
    let bytes = std::fs::read(root.join(&meta.weights_file)).unwrap();
    assert_eq!(bytes.len(), meta.weights_bytes);
    let made = meta.compressed_from.as_ref().expect("how it was made");
    let source = std::fs::metadata(root.join(&made.source)).unwrap();
    assert_eq!(source.len() as usize, made.source_bytes);
    assert!(
        made.command.contains(&format!("--ship {COMPRESSED}")),
        "{}",
        made.command
    );
    let w = read_weights(&bytes).unwrap();
    assert_eq!(w.len(), meta.parameters);
    let test = test_bin();
    let test = Cifar::parse(&test, "test.bin").unwrap();
    let ev = evaluate(&AnyModel::from_weights(&w, &cpu()).unwrap(), &test, &cpu());
    println!(
        "shipped compressed model: {} B ({:.1}x smaller), {:.2}% on {} test images",
        bytes.len(),
        made.source_bytes as f64 / bytes.len() as f64,
        100.0 * ev.accuracy(),
        ev.n
    );
    assert!((ev.accuracy() - meta.test_accuracy).abs() < 1e-9);
    assert!((ev.total_bits - meta.test_bits).abs() < 1e-3 * meta.test_bits);
    // The paired comparison the classify page states: the source on the same
    // images, and the images only one of the two gets right.
    let source = Weights::from_bytes(&std::fs::read(root.join(&made.source)).unwrap()).unwrap();
    let ev_source = evaluate(
        &AnyModel::from_weights(&source, &cpu()).unwrap(),
        &test,
        &cpu(),
    );
    assert!((ev_source.accuracy() - made.source_accuracy).abs() < 1e-9);
    let pair = compression_lab::math::stats::Paired::count(
        &ev_source.predicted,
        &ev.predicted,
        &test.labels,
    );
    println!(
        "paired: {} images, {} only the source gets right, {} only the compressed model",
        ev.n, pair.only_a, pair.only_b
    );
    let paired = made.paired.expect("the paired score in the metadata");
    assert_eq!(
        (paired.images, paired.only_source, paired.only_this),
        (ev.n, pair.only_a, pair.only_b)
    );
}

#[test]
fn shipped_students_score_what_their_metadata_says() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("public/models");
    let bytes = test_bin();
    let test = Cifar::parse(&bytes, "test.bin").unwrap();
    for stem in ["lab-cnn-s", "lab-cnn-s-distilled"] {
        let Ok(json) = std::fs::read(root.join(format!("{stem}.json"))) else {
            continue;
        };
        let meta: ModelMeta = serde_json::from_slice(&json).unwrap();
        let w =
            Weights::from_bytes(&std::fs::read(root.join(&meta.weights_file)).unwrap()).unwrap();
        assert_eq!(w.metadata["arch"], "lab-cnn-s");
        let ev = evaluate(&AnyModel::from_weights(&w, &cpu()).unwrap(), &test, &cpu());
        assert!((ev.accuracy() - meta.test_accuracy).abs() < 1e-9, "{stem}");
        assert_eq!(stem.ends_with("distilled"), meta.distilled_from.is_some());
    }
}

/// The prequential code as a file: the sender codes each batch before learning
/// from it; a receiver with the seed, the settings and the images alone decodes
/// every label, learning as it goes; a receiver with another seed cannot.
#[test]
fn the_prequential_code_is_a_file_a_receiver_decodes_while_learning() {
    use compression_lab::domain::LabelsProblem;
    use wait::{receive, send};
    let data = toy(60, 5);
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: 20,
        lr: 3e-3,
        optimizer: OptimizerKind::AdamW { weight_decay: 5e-4 },
        augment: false,
        seed: 3,
    };
    let ad = cpu().autodiff();
    let fresh = |seed| init_seeded(DocCnnConfig::new().init(&ad), seed, &ad);
    let (coded, batches) = send(fresh(3), &data, &cfg, &ad);
    assert_eq!(batches.len(), 3);
    assert!((batches.iter().sum::<f64>() - coded.ideal_bits).abs() < 1e-6);
    let uniform = 60.0 * (CLASSES as f64).log2();
    println!(
        "prequential: {:.1} bits ideal, {} bits coded, file {} B (uniform {uniform:.1} bits)",
        coded.ideal_bits,
        coded.coded_bits,
        coded.bytes.len()
    );
    // It learns: the last batch costs far less than the first (an untrained
    // network is confidently wrong, so the first batch can cost more than
    // log2 10 a label; on 60 labels the total need not beat the uniform code).
    println!("bits by batch: {batches:?}");
    assert!(batches[2] < 0.7 * batches[0], "{batches:?}");
    assert!(coded.coded_bits as f64 <= coded.table_bits + 2.0);
    let mut images = data.clone();
    images.labels.iter_mut().for_each(|y| *y = 0);
    assert_eq!(
        receive(fresh(3), &images, &coded.bytes, &cfg, &ad).unwrap(),
        data.labels
    );
    // Another starting model (seed) computes other probabilities: refused.
    let other = TrainConfig {
        seed: 4,
        ..cfg.clone()
    };
    assert_eq!(
        receive(fresh(4), &images, &coded.bytes, &other, &ad),
        Err(compression_lab::engine::Error::Labels(
            LabelsProblem::DoesNotCheckOut
        ))
    );
}

/// Records that arrive during the first epoch join from the second: the run's
/// step count is the batches really trained, and ends where the run ends.
#[test]
fn total_steps_count_the_shorter_first_epoch_when_records_arrive_late() {
    let data = toy(64, 5);
    let ad = cpu().autodiff();
    let (cfg, model) = small_run(3, &ad);
    // As in the browser: 32 records at first, all 64 once the first batch is trained.
    let mut t = Trainer::new(model, &cfg, 32, &ad);
    assert_eq!(t.total_steps(), 3 * 2);
    let mut totals = Vec::new();
    while !t.done() {
        let b = t.next_batch(&data.slice(0..if t.steps() == 0 { 32 } else { 64 }));
        block_on(t.step(&b, &mut Alone, &ad)).unwrap().unwrap();
        t.set_records(64);
        totals.push(t.total_steps());
    }
    // Epoch 1: 2 batches of the first 32; epochs 2 and 3: 4 batches of all 64.
    assert_eq!(t.steps(), 2 + 4 + 4);
    assert_eq!(totals, vec![10; 10], "known as soon as the records are");
    // Told how many will come, the count (and the schedule's length) is right
    // from the first step, and the learning rate falls to 0 at the run's end.
    let (cfg, model) = small_run(3, &ad);
    let mut t = Trainer::new(model, &cfg, 32, &ad);
    t.expect_records(64);
    let (mut totals, mut lrs) = (Vec::new(), Vec::new());
    while !t.done() {
        let b = t.next_batch(&data.slice(0..if t.steps() == 0 { 32 } else { 64 }));
        let r = block_on(t.step(&b, &mut Alone, &ad)).unwrap().unwrap();
        totals.push(t.total_steps()); // before the records arrive
        t.set_records(64);
        lrs.push(r.lr);
    }
    assert_eq!(totals, vec![10; 10]);
    assert!(
        lrs.windows(2).all(|w| w[1] <= w[0]),
        "one warm-up step, then down: {lrs:?}"
    );
    assert!(lrs[9] < 0.05 * lrs[0], "{lrs:?}");
}

/// The schedule: a linear warm-up over the first 5 % of the steps (at most one
/// epoch), then half a cosine from the peak down to 0.
#[test]
fn the_learning_rate_warms_up_over_five_percent_of_the_steps_then_follows_a_cosine() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12 * b.abs().max(1e-3);
    // The page's default: 6 epochs of 313 steps, 1,878 in all, 94 warming up.
    let cfg = adam_16(6, 3e-3, false, 1);
    let lr = |t| cfg.lr_at(t, 1878, 313);
    assert!(close(lr(0), 3e-3 / 94.0));
    assert!(close(lr(46), 3e-3 * 47.0 / 94.0));
    assert!(close(lr(93), 3e-3));
    assert!(close(lr(94), 3e-3), "the decay starts at the peak");
    assert!(close(lr(94 + 892), 1.5e-3), "half way down: half the peak");
    assert!(lr(1877) < 1e-8, "ends near 0");
    // 40 epochs of 10 steps: 5 % would be 20 steps, longer than an epoch.
    let long = adam_16(40, 0.1, false, 1);
    assert!(close(long.lr_at(4, 400, 10), 0.05));
    assert!(close(long.lr_at(9, 400, 10), 0.1));
}

/// Adam (AdamW without decay) in batches of 16: the runs on several cores.
fn adam_16(epochs: usize, lr: f64, augment: bool, seed: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size: 16,
        lr,
        optimizer: OptimizerKind::AdamW { weight_decay: 0.0 },
        augment,
        seed,
    }
}

/// Several cores train as one: a batch cut in parts, each part's gradient
/// computed by a helper thread at the same weights and weighted by its share,
/// steps the model as the whole batch does on one core (up to float rounding),
/// and the reports see every image of the batch.
#[test]
fn a_batch_in_parts_on_helper_threads_steps_as_the_whole_batch() {
    let data = toy(48, 11);
    let ad = cpu().autodiff();
    let cfg = adam_16(1, 2e-3, true, 5);
    let run = |helpers: &mut dyn FnMut(&mut Trainer<DocCnn>, _) -> _| {
        let model = init_seeded(DocCnnConfig::new().init(&ad), 2, &ad);
        let mut t = Trainer::new(model, &cfg, data.len(), &ad);
        let mut reports = Vec::new();
        while !t.done() {
            let b = t.next_batch(&data);
            reports.push(helpers(&mut t, b));
        }
        (weights(&t.model().valid()), reports)
    };
    let (alone, alone_reports) =
        run(&mut |t, b| block_on(t.step(&b, &mut Alone, &ad)).unwrap().unwrap());
    for cores in [2, 3] {
        let mut threads = Threads::new(cores - 1);
        assert_eq!(threads.count(), cores - 1);
        let (parts, reports) =
            run(&mut |t, b| block_on(t.step(&b, &mut threads, &ad)).unwrap().unwrap());
        for (a, p) in alone_reports.iter().zip(&reports) {
            assert_eq!(
                (a.size, a.correct, a.first_labels),
                (p.size, p.correct, p.first_labels)
            );
            assert!((a.loss - p.loss).abs() < 1e-5, "{} vs {}", a.loss, p.loss);
        }
        for (a, p) in alone.tensors.iter().zip(&parts.tensors) {
            let worst = a
                .data
                .iter()
                .zip(&p.data)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f32::max);
            assert!(worst < 1e-5, "{cores} cores: {} differs by {worst}", a.name);
        }
        // The steps moved the weights: the comparison is not of untouched models.
        let init = weights(&init_seeded(DocCnnConfig::new().init(&ad), 2, &ad));
        assert!(init.tensors[0]
            .data
            .iter()
            .zip(&parts.tensors[0].data)
            .any(|(x, y)| (x - y).abs() > 1e-4));
    }
}

/// The test set evaluated with helper threads (the records cut in parts, each
/// helper's log-probabilities in inference mode) is the evaluation on one core:
/// the same predictions, counts and order, log-probabilities up to rounding —
/// for the batch-norm CNN too, whose running statistics travel with the weights
/// (trained a few steps first, so that they are not the initial 0 and 1).
#[test]
fn an_evaluation_on_helper_threads_is_the_evaluation_alone() {
    use compression_lab::domain::Arch;
    use compression_lab::engine::parallel::evaluate_on;
    let (train, test) = (toy(64, 21), toy(70, 22));
    let ad = cpu().autodiff();
    for arch in [Arch::DocCnn, Arch::LabCnnS] {
        let mut t = Trainer::new(
            init_seeded(AnyModel::new(arch, &ad), 4, &ad),
            &adam_16(1, 3e-3, false, 2),
            64,
            &ad,
        );
        while !t.done() {
            let b = t.next_batch(&train);
            block_on(t.step(&b, &mut Alone, &ad)).unwrap().unwrap();
        }
        let model = t.model().valid();
        let alone = evaluate(&model, &test, &cpu());
        for helpers in [1, 2] {
            let mut threads = Threads::new(helpers);
            let ev = block_on(evaluate_on(&model, &test, &cpu(), &mut threads, no_pause)).unwrap();
            assert_eq!(
                (ev.n, ev.correct, &ev.predicted),
                (alone.n, alone.correct, &alone.predicted)
            );
            assert_eq!(ev.confusion, alone.confusion);
            assert_eq!(ev.log_probs.len(), alone.log_probs.len());
            let worst = ev
                .log_probs
                .iter()
                .zip(&alone.log_probs)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(worst < 1e-4, "{arch:?} on {helpers} helpers: {worst}");
            assert!((ev.total_bits - alone.total_bits).abs() < 1e-3 * alone.total_bits);
        }
    }
}

/// The batch-norm CNN trains on parts too (each normalized by its own
/// statistics): the loss falls on data it can learn.
#[test]
fn the_batch_norm_cnn_learns_on_two_cores() {
    let data = toy(64, 12);
    let ad = cpu().autodiff();
    let cfg = adam_16(4, 3e-3, false, 6);
    let model = init_seeded(
        AnyModel::new(compression_lab::domain::Arch::LabCnnS, &ad),
        3,
        &ad,
    );
    let mut threads = Threads::new(1);
    let mut losses = Vec::new();
    let mut t = Trainer::new(model, &cfg, data.len(), &ad);
    while !t.done() {
        let b = t.next_batch(&data);
        let r = block_on(t.step(&b, &mut threads, &ad)).unwrap().unwrap();
        assert_eq!(r.size, 16);
        losses.push(r.loss);
    }
    let (first, last) = (
        losses[..4].iter().sum::<f64>(),
        losses[losses.len() - 4..].iter().sum::<f64>(),
    );
    assert!(last < 0.5 * first, "{losses:?}");
}

/// A helper checks what it is sent: weights or images of the wrong size are a
/// typed error, not a panic or a wrong gradient.
#[test]
fn a_helper_refuses_parts_of_the_wrong_size() {
    use compression_lab::engine::parallel::{HelperProblem, Part, PartTrainer, Work};
    use compression_lab::engine::Error;
    let ad = cpu().autodiff();
    let model = init_seeded(
        AnyModel::new(compression_lab::domain::Arch::DocCnn, &ad),
        1,
        &ad,
    );
    let params = block_on(compression_lab::engine::parallel::params(&model)).unwrap();
    let part = Part {
        images: vec![0.0; 2 * PIXELS],
        labels: vec![1, 2],
        work: Work::Gradient,
    };
    let mut helper = PartTrainer::default();
    let g = block_on(helper.answer(compression_lab::domain::Arch::DocCnn, &params, &part)).unwrap();
    assert_eq!(g.logits.len(), 2 * CLASSES);
    assert!(g.loss.is_finite() && g.grads.iter().any(|&v| v != 0.0));
    let short = Part {
        images: vec![0.0; PIXELS],
        ..part.clone()
    };
    assert!(matches!(
        block_on(helper.answer(compression_lab::domain::Arch::DocCnn, &params, &short)),
        Err(Error::Helper(HelperProblem::Size { what: "images", .. }))
    ));
    for weights in [&params[1..], &[params.as_slice(), &[0.0]].concat()[..]] {
        assert!(matches!(
            block_on(helper.answer(compression_lab::domain::Arch::DocCnn, weights, &part)),
            Err(Error::Helper(HelperProblem::Size {
                what: "weights",
                ..
            }))
        ));
    }
    // The other architecture's weights do not fit either.
    assert!(
        block_on(helper.answer(compression_lab::domain::Arch::LabCnnS, &params, &part)).is_err()
    );
    // A label that is no class, for either work.
    for work in [Work::Gradient, Work::LogProbs] {
        let bad = Part {
            labels: vec![1, 10],
            work,
            ..part.clone()
        };
        assert_eq!(
            block_on(helper.answer(compression_lab::domain::Arch::DocCnn, &params, &bad)),
            Err(Error::Helper(HelperProblem::Label(10)))
        );
    }
    // An evaluation's part: log-probabilities (each row sums to 1), no gradient.
    let ev = Part {
        work: Work::LogProbs,
        ..part.clone()
    };
    let lp = block_on(helper.answer(compression_lab::domain::Arch::DocCnn, &params, &ev)).unwrap();
    assert!(lp.grads.is_empty() && lp.logits.len() == 2 * CLASSES);
    for row in lp.logits.chunks(CLASSES) {
        let total: f32 = row.iter().map(|v| v.exp()).sum();
        assert!((total - 1.0).abs() < 1e-5, "{total}");
    }
}
