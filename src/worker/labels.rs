//! Coded labels in the worker: the test labels arithmetic-coded with a model's
//! probabilities ([`crate::codec::labels`]), and decoded back with the model
//! and the images alone. Both run on the CPU backend whatever the page uses:
//! arithmetic coding needs the sender and the receiver to compute
//! bit-identical probabilities, and WebGPU's kernels (autotuned, with their own
//! order of sums) do not promise that from one run to the next; Burn's
//! ndarray backend in this worker does.

use super::compress::{compressed, file_name};
use super::{now_ms, sleep, train::test_set, weights_of};
use crate::codec::labels;
use crate::data::cifar::{Cifar, CLASSES};
use crate::engine::cpu;
use crate::engine::eval::{evaluate, Evaluation};
use crate::engine::model::AnyModel;
use crate::protocol::{CodedLabels, DecodedLabels, EngineError, ModelRef, NamedFile, Plan};

/// The model's evaluation on `test` (on the CPU), the `.clz` size when
/// compressed, and a file name for its coded labels.
async fn evaluation(
    model: &ModelRef,
    plan: Option<&Plan>,
    test: &Cifar,
) -> Result<(Evaluation, Option<usize>, String), EngineError> {
    let (weights, clz, name) = match plan {
        Some(p) => {
            let (w, c) = compressed(model, p).await?;
            let name = file_name(&w, p);
            (std::rc::Rc::new(c.weights), Some(c.file.len()), name)
        }
        None => {
            let (w, _) = weights_of(model).await?;
            let arch = w
                .metadata
                .get("arch")
                .cloned()
                .unwrap_or_else(|| "model".into());
            (w, None, arch)
        }
    };
    let device = cpu();
    let m = AnyModel::from_weights(&weights, &device)?;
    let ev = evaluate(&m, test, &device, || sleep(0)).await?;
    let stem = name.trim_end_matches(".clz").to_string();
    Ok((ev, clz, format!("{stem}-labels-{}.cll", test.len())))
}

pub async fn code(
    model: &ModelRef,
    plan: Option<&Plan>,
    images: usize,
) -> Result<CodedLabels, EngineError> {
    let t0 = now_ms();
    let test = test_set().await?;
    let test = test.slice(0..images.clamp(1, test.len()));
    let (ev, model_bytes, name) = evaluation(model, plan, &test).await?;
    let c = labels::encode(&ev.log_probs, CLASSES, &test.labels);
    Ok(CodedLabels {
        labels: test.len(),
        ideal_bits: c.ideal_bits,
        table_bits: c.table_bits,
        coded_bits: c.coded_bits,
        header_bytes: c.header_bytes,
        file: NamedFile {
            name,
            bytes: c.bytes,
        },
        model_bytes,
        millis: now_ms() - t0,
    })
}

pub async fn decode(
    model: &ModelRef,
    plan: Option<&Plan>,
    name: &str,
    bytes: &[u8],
) -> Result<DecodedLabels, EngineError> {
    use crate::domain::{FileKind, Oversized};
    Oversized::check(name, FileKind::Labels, bytes.len() as u64).map_err(EngineError::Oversized)?;
    let t0 = now_ms();
    let problem = |problem| EngineError::Labels {
        name: name.to_string(),
        problem,
    };
    let n = labels::count(bytes).map_err(problem)?;
    let test = test_set().await?;
    if n == 0 || n > test.len() {
        return Err(problem(crate::protocol::LabelsProblem::Count {
            file: n,
            images: test.len(),
        }));
    }
    let test = test.slice(0..n);
    let (ev, _, _) = evaluation(model, plan, &test).await?;
    let decoded = labels::decode(&ev.log_probs, CLASSES, bytes).map_err(problem)?;
    Ok(DecodedLabels {
        name: name.to_string(),
        labels: decoded.len(),
        equal: decoded
            .iter()
            .zip(&test.labels)
            .filter(|(a, b)| a == b)
            .count(),
        millis: now_ms() - t0,
    })
}
