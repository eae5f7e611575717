//! The compression lab in the worker: compress a model's weights file with a
//! plan, load the result on the current backend, and measure it on the test
//! shard (asynchronous readback, yielding between batches).

use super::{current, now_ms, sleep, store, train::test_set, weights_of, STATE};
use crate::data::cifar::{Cifar, CLASSES};
use crate::engine::compress::{compress, report, Compressed, Scored};
use crate::engine::eval::{argmax, log_probs_async};
use crate::engine::model::{AnyModel, Classifier};
use crate::engine::weights::Weights;
use crate::engine::{batch, Device};
use crate::protocol::{CompressReport, ModelRef, Plan, SavedModel};
use burn::module::Module;

/// Scores a model on the first `images` test images.
async fn score(
    model: &AnyModel,
    test: &Cifar,
    images: usize,
    device: &Device,
) -> Result<Scored, String> {
    let n = images.clamp(1, test.len());
    let idx: Vec<usize> = (0..n).collect();
    let mut s = Scored {
        images: n,
        ..Scored::default()
    };
    for chunk in idx.chunks(100) {
        let lp = log_probs_async(model, batch::images(test, chunk, None, device)).await?;
        for (k, &i) in chunk.iter().enumerate() {
            let row = &lp[k * CLASSES..(k + 1) * CLASSES];
            let y = test.labels[i] as usize;
            s.correct += usize::from(argmax(row) == y);
            s.label_bits -= row[y] as f64 / std::f64::consts::LN_2;
        }
        sleep(0).await;
    }
    Ok(s)
}

async fn compressed(
    model: &ModelRef,
    plan: &Plan,
) -> Result<(std::rc::Rc<Weights>, Compressed), String> {
    let (w, _) = weights_of(model).await?;
    let c = compress(&w, plan)?;
    Ok((w, c))
}

pub async fn measure(
    model: &ModelRef,
    plan: &Plan,
    images: usize,
) -> Result<CompressReport, String> {
    let t0 = now_ms();
    let test = test_set().await?;
    let (backend, device) = current().await;
    let (w, c) = compressed(model, plan).await?;
    let n = images.clamp(1, test.len());
    let key = (model.key(), backend, n);
    let base = match STATE.with_borrow(|s| s.base_scores.get(&key).copied()) {
        Some(b) => b,
        None => {
            let m = AnyModel::from_weights(&w, &device)?;
            let b = score(&m, &test, n, &device).await?;
            STATE.with_borrow_mut(|s| s.base_scores.insert(key, b));
            b
        }
    };
    let m = AnyModel::from_weights(&c.weights, &device)?;
    let scored = score(&m, &test, n, &device).await?;
    Ok(report(
        plan,
        &w,
        &c,
        scored,
        base,
        &test.labels[..n],
        now_ms() - t0,
    ))
}

fn file_name(w: &Weights, plan: &Plan) -> String {
    let arch = w.metadata.get("arch").map_or("model", String::as_str);
    let label: String = plan
        .label()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut name = format!("{arch}-{label}");
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    format!("{}.clz", name.trim_end_matches('-'))
}

/// The `.clz` file of `model` compressed with `plan`: (file name, bytes).
pub async fn file(model: &ModelRef, plan: &Plan) -> Result<(String, Vec<u8>), String> {
    let (w, c) = compressed(model, plan).await?;
    Ok((file_name(&w, plan), c.file))
}

/// Saves the compressed model in this browser, as its `.clz` file.
pub async fn save(
    model: &ModelRef,
    plan: &Plan,
    name: &str,
    test_accuracy: Option<f64>,
) -> Result<SavedModel, String> {
    let (_, c) = compressed(model, plan).await?;
    let m = AnyModel::from_weights(&c.weights, &crate::engine::cpu())?;
    let meta = SavedModel {
        key: format!("clz-{}", js_sys::Date::now() as u64),
        name: name.to_string(),
        arch: m.arch().to_string(),
        parameters: m.num_params(),
        test_accuracy,
        bytes: c.file.len(),
        created: js_sys::Date::now(),
        compressed: true,
    };
    store::put(&meta, &c.file).await?;
    Ok(meta)
}
