//! The ML engine, natively: model shapes, a short training run, save/load,
//! determinism, CPU (ndarray) against wgpu (software Vulkan here), and the
//! shipped model's accuracy against its metadata.

#![cfg(all(feature = "engine", not(target_arch = "wasm32")))]

use burn::module::Module;
use burn::prelude::*;
use compression_lab::data::cifar::{Cifar, CLASSES, PIXELS};
use compression_lab::engine::eval::{evaluate, log_probs};
use compression_lab::engine::meta::ModelMeta;
use compression_lab::engine::model::{
    init_seeded, AnyModel, Classifier, DocCnnConfig, LabCnnConfig,
};
use compression_lab::engine::train::{train, OptimizerKind, TrainConfig};
use compression_lab::engine::weights::Weights;
use compression_lab::engine::{batch, cpu};
use compression_lab::math::rng::SplitMix64;
use std::path::PathBuf;

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
    assert_eq!(doc.to_weights().len(), 122_570);
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
        let init = init_seeded(DocCnnConfig::new().init(&ad), 7, &ad).unwrap();
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
        (losses, model.valid().to_weights())
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
    let mut w = DocCnnConfig::new().init(&device).to_weights();
    for t in &mut w.tensors {
        t.data.iter_mut().for_each(|v| *v = 0.0);
    }
    let zero = DocCnnConfig::new().init(&ad).load_weights(&w, &ad).unwrap();
    let (bits, labels) = prequential(zero);
    assert_eq!(labels, 40);
    assert!((bits - 40.0 * 10f64.log2()).abs() < 1e-3, "{bits}");
    // A random model: the sum equals its code length measured by evaluation.
    let seeded = init_seeded(DocCnnConfig::new().init(&ad), 5, &ad).unwrap();
    let expected = evaluate(&seeded.valid(), &data, &device, 7).total_bits;
    let (bits, _) = prequential(seeded);
    assert!(
        (bits - expected).abs() < 1e-3 * expected,
        "{bits} vs {expected}"
    );
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
    .unwrap_err();
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
            None,
            batch_size: 8,
            ..TrainConfig::default()
        },
        &ad,
        |_| {},
        |_, _| {},
    )
    .unwrap()
    .valid();
    let bytes = trained.to_weights().to_bytes().unwrap();
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
    assert!(err.contains("lab-cnn"), "{err}");
    let mut w = Weights::from_bytes(&bytes).unwrap();
    w.metadata.clear();
    w.tensors[0].shape = vec![1, 2, 3];
    let err = LabCnnConfig::new()
        .init(&device)
        .load_weights(&w, &device)
        .unwrap_err();
    assert!(err.contains("b1.conv.weight"), "{err}");
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
        LabCnnConfig::new().init(&device).to_weights(),
        DocCnnConfig::new().init(&device).to_weights(),
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
    assert_eq!(Some(m.arch()), w.metadata.get("arch").map(String::as_str));
    Box::new(move |x| log_probs(&m, x))
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
    let test_path = data_dir().join("test.bin");
    let Ok(bytes) = std::fs::read(&test_path) else {
        eprintln!(
            "SKIPPED the accuracy check: no {} (set CIFAR10_DIR; see the README)",
            test_path.display()
        );
        return;
    };
    let test = Cifar::parse(&bytes, "test.bin").unwrap();
    let device = cpu();
    let model = LabCnnConfig::new()
        .init(&device)
        .load_weights(&w, &device)
        .unwrap();
    let ev = evaluate(&model, &test, &device, 250);
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
