//! The prequential code as a real file (Dawid 1984; Blier & Ollivier 2018):
//! the sender codes each batch's labels with the model as it is *before*
//! learning from them, then trains on the batch; the receiver, with only the
//! seed, the architecture, the settings and the images, decodes a batch with
//! its own copy of the model, trains on it with the decoded labels, and so
//! on. Both must compute bit-identical probabilities, so this runs on the CPU
//! backend, whose training is deterministic from the seed. The file's size is
//! the prequential code length of the labels — learning, measured as
//! compression — and the decoded labels prove it.
//!
//! Coding probabilities come from the model in inference mode (no dropout,
//! batch-norm running statistics); the training step after it is an ordinary
//! one (dropout drawn from the backend's seeded generator, in the same order
//! on both sides). One pass, no shuffling (the data is sent in its order, in
//! batches of `cfg.batch_size`), at the constant rate `cfg.lr`.

use super::batch;
use super::eval::log_probs;
use super::model::Classifier;
use super::train::{TrainConfig, Trainer};
use super::{Device, Error};
use crate::codec::labels::{Coded, Reader, Writer};
use crate::data::cifar::{Cifar, CLASSES};
use crate::domain::LabelsProblem;

/// Runs the shared protocol: for each batch, the coding probabilities, then
/// `labels_for` (which codes or decodes them), then a training step on the
/// labels it returns. `model` lives on `device`, an autodiff device.
async fn run<M: Classifier>(
    model: M,
    images: &Cifar,
    cfg: &TrainConfig,
    device: &Device,
    mut labels_for: impl FnMut(&[f32]) -> Vec<u8>,
) -> Result<(), Error> {
    let mut t = Trainer::new(model, cfg, images.len(), device);
    let bs = cfg.batch_size.max(1);
    let n = images.len();
    for start in (0..n).step_by(bs) {
        let idx: Vec<usize> = (start..(start + bs).min(n)).collect();
        let valid = t.model().valid();
        let inner = valid
            .devices()
            .first()
            .cloned()
            .unwrap_or_else(|| device.clone());
        let lp = log_probs(&valid, batch::images(images, &idx, None, &inner)).await?; // [b, 10]
        let labels = labels_for(&lp);
        // The training step, on the labels just coded (or decoded).
        let p = t.forward_on(images, &idx, Some(&labels), None, device);
        t.learn(p, cfg.lr);
    }
    Ok(())
}

/// The sender: codes `data`'s labels prequentially, training `model` (freshly
/// initialised from `cfg.seed` by the caller) as it goes.
/// Returns the file and each batch's Σ −log₂ p (bits), in order.
pub async fn send<M: Classifier>(
    model: M,
    data: &Cifar,
    cfg: &TrainConfig,
    device: &Device,
) -> Result<(Coded, Vec<f64>), Error> {
    device.seed(cfg.seed);
    let mut writer = Writer::new(&data.labels, CLASSES);
    let mut batches = Vec::new();
    run(model, data, cfg, device, |lp| {
        let (start, before) = (writer.coded(), writer.ideal_bits());
        writer.push(lp);
        batches.push(writer.ideal_bits() - before);
        data.labels[start..start + lp.len() / CLASSES].to_vec()
    })
    .await?;
    Ok((writer.finish(), batches))
}

/// The receiver: decodes a file made by [`send`] from the same initial model,
/// settings and images (their labels are never read), training as it goes.
pub async fn receive<M: Classifier>(
    model: M,
    images: &Cifar,
    bytes: &[u8],
    cfg: &TrainConfig,
    device: &Device,
) -> Result<Vec<u8>, Error> {
    let mut reader = Reader::new(bytes, CLASSES)?;
    if reader.len() != images.len() {
        return Err(Error::Labels(LabelsProblem::Count {
            file: reader.len(),
            images: images.len(),
        }));
    }
    device.seed(cfg.seed);
    run(model, images, cfg, device, |lp| reader.next(lp)).await?;
    Ok(reader.finish()?)
}
