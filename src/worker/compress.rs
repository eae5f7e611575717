//! The compression lab in the worker: compress a model's weights file with a
//! plan, load the result on the current backend, and measure it on the test
//! shard (asynchronous readback, yielding between batches).

use super::{current, now_ms, sleep, store, train::test_set, weights_of, STATE};
use crate::engine::compress::{compress, score, Compressed};
use crate::engine::model::{AnyModel, Classifier};
use crate::engine::weights::Weights;
use crate::lang::Lang;
use crate::protocol::{CompressReport, EngineError, ModelRef, NamedFile, Origin, Plan, SavedModel};
use burn::module::Module;

pub(super) async fn compressed(
    model: &ModelRef,
    plan: &Plan,
) -> Result<(std::rc::Rc<Weights>, Compressed), EngineError> {
    let (w, _) = weights_of(model).await?;
    let c = compress(&w, plan)?;
    Ok((w, c))
}

pub async fn measure(
    model: &ModelRef,
    plan: &Plan,
    images: usize,
) -> Result<CompressReport, EngineError> {
    let t0 = now_ms();
    let test = test_set().await?;
    let (backend, device) = current().await;
    let (w, _) = weights_of(model).await?;
    let n = images.clamp(1, test.len());
    let test = test.slice(0..n);
    let key = (model.clone(), backend, n);
    let base = match STATE.with_borrow(|s| s.base_scores.get(&key).cloned()) {
        Some(b) => b,
        None => {
            let b = score(&w, &test, &device, || sleep(0)).await?;
            STATE.with_borrow_mut(|s| s.base_scores.insert(key, b.clone()));
            b
        }
    };
    let (_, mut r) =
        crate::engine::compress::measure(&w, &w, plan, &test, &base, &device, || sleep(0)).await?;
    r.millis = now_ms() - t0;
    Ok(r)
}

pub(super) fn file_name(w: &Weights, plan: &Plan) -> String {
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

/// The `.clz` file of `model` compressed with `plan`.
pub async fn file(model: &ModelRef, plan: &Plan) -> Result<NamedFile, EngineError> {
    let (w, c) = compressed(model, plan).await?;
    Ok(NamedFile {
        name: file_name(&w, plan),
        bytes: c.file,
    })
}

/// Saves the compressed model in this browser, as its `.clz` file.
pub async fn save(
    model: &ModelRef,
    plan: &Plan,
    test_accuracy: Option<f64>,
) -> Result<SavedModel, EngineError> {
    let (_, c) = compressed(model, plan).await?;
    let m = AnyModel::from_weights(&c.weights, &crate::engine::cpu())?;
    let origin = Origin::Compressed {
        arch: m.arch(),
        plan: *plan,
    };
    let meta = SavedModel {
        key: format!("clz-{}", js_sys::Date::now() as u64),
        name: origin.label(Lang::En),
        arch: m.arch(),
        parameters: m.num_params(),
        test_accuracy,
        test_images: None,
        bytes: c.file.len(),
        created: js_sys::Date::now(),
        compressed: true,
        origin: Some(origin),
    };
    store::put(&meta, &c.file).await?;
    Ok(meta)
}
