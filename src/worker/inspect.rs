//! Inside the network in the worker: the layer view of one picture and its
//! saliency maps, on the page's backend (WebGPU or the CPU), timed here.

use super::{check_image as check, current, model, now_ms, weights_of};
use crate::data::cifar::CLASSES;
use crate::engine::inspect;
use crate::protocol::{EngineError, Inspection, ModelRef, SaliencyMaps};

/// Every stage of the forward pass for `image`.
pub async fn layers(model_ref: &ModelRef, image: &[u8]) -> Result<Box<Inspection>, EngineError> {
    check(image)?;
    let (backend, device) = current().await;
    let (loaded, _) = model(model_ref, backend, &device).await?;
    let (weights, _) = weights_of(model_ref).await?;
    let t0 = now_ms();
    let mut ins = inspect::inspect(&loaded.model, &weights, image, &device).await?;
    ins.millis = now_ms() - t0;
    Ok(Box::new(ins))
}

/// Gradient and occlusion maps for `class`.
pub async fn saliency(
    model_ref: &ModelRef,
    image: &[u8],
    class: usize,
) -> Result<SaliencyMaps, EngineError> {
    check(image)?;
    if class >= CLASSES {
        return Err(EngineError::Engine(format!("there is no class {class}")));
    }
    let (backend, device) = current().await;
    let (loaded, _) = model(model_ref, backend, &device).await?;
    let (weights, _) = weights_of(model_ref).await?;
    let t0 = now_ms();
    let gradient = inspect::gradient_saliency(&weights, image, class, &device).await?;
    let t1 = now_ms();
    let (probability, occlusion) = inspect::occlusion(&loaded.model, image, class, &device).await?;
    Ok(SaliencyMaps {
        class,
        gradient,
        occlusion,
        probability,
        gradient_millis: t1 - t0,
        occlusion_millis: now_ms() - t1,
    })
}
