//! Inside the network for one picture: every stage's activations (read back
//! in one transfer), and which pixels decide the answer, by the gradient of
//! the class score (Burn's autodiff) and by occlusion (a grey patch slid over
//! the picture). The worker times and sends them; the plain types and the
//! occlusion arithmetic are in [`crate::domain::inspect`].

use super::batch::raw_images;
use super::model::{AnyModel, Classifier};
use super::readback::read;
use super::weights::Weights;
use super::Error;
use crate::domain::inspect::{occluded, occlusion_map, Inspection, Stage, StageKind, SIDE};
use burn::module::Module;
use burn::prelude::*;
use burn::tensor::activation::softmax;

/// Every stage of `model`'s forward pass for one planar RGB picture, input
/// first, scores last (`millis` is left for the caller to fill in).
pub async fn inspect(
    model: &AnyModel,
    weights: &Weights,
    image: &[u8],
    device: &Device,
) -> Result<Inspection, Error> {
    let x = raw_images(&[image], device); // [1, 3, 32, 32]
    let (traced, logits) = model.trace(x.clone());
    let mut stages = vec![stage(StageKind::Input, "", [3, SIDE, SIDE], None)];
    let mut parts = vec![x.flatten::<1>(0, 3)];
    for t in traced {
        let [_, c, h, w] = t.values.dims();
        let kernels = t.weight.as_deref().and_then(|n| weights.get(n));
        stages.push(stage(
            t.kind,
            t.layer,
            [c, h, w],
            kernels.map(|k| k.data.clone()),
        ));
        parts.push(t.values.flatten::<1>(0, 3));
    }
    let classes = logits.dims()[1];
    stages.push(stage(StageKind::Scores, "", [classes, 1, 1], None));
    parts.push(logits.flatten::<1>(0, 1));
    // One readback for all of it: on WebGPU each read is a round trip.
    let mut values = read(Tensor::cat(parts, 0)).await?.into_iter();
    for s in &mut stages {
        s.values = values.by_ref().take(s.numbers()).collect();
    }
    Ok(Inspection {
        stages,
        millis: 0.0,
    })
}

fn stage(kind: StageKind, layer: &str, shape: [usize; 3], kernels: Option<Vec<f32>>) -> Stage {
    Stage {
        kind,
        layer: layer.to_string(),
        shape,
        values: Vec::new(),
        kernels: kernels.unwrap_or_default(),
    }
}

/// `∂ score[class] / ∂ input` for `images` on an autodiff device, through
/// `forward` (a model's, or any function of the pixels).
pub fn input_gradient(
    forward: impl Fn(Tensor<4>) -> Tensor<2>,
    images: Tensor<4>,
    class: usize,
) -> Tensor<4> {
    let x = images.require_grad();
    let score = forward(x.clone()).narrow(1, class, 1).sum();
    let grads = score.backward();
    x.grad(&grads)
        .expect("the input was marked as requiring a gradient")
}

/// Gradient saliency: `max over R, G, B of |∂ logit[class] / ∂ pixel|`, 32×32.
/// The model runs on `device`'s autodiff twin, frozen: batch norm uses its
/// running statistics and dropout is off, exactly as in classification.
pub async fn gradient_saliency(
    weights: &Weights,
    image: &[u8],
    class: usize,
    device: &Device,
) -> Result<Vec<f32>, Error> {
    let ad = device.clone().autodiff();
    let model = AnyModel::from_weights(weights, &ad)?.freeze();
    let g = input_gradient(|x| model.forward(x), raw_images(&[image], &ad), class);
    read(g.abs().max_dim(1).flatten::<1>(0, 3)).await
}

/// Occlusion: the class's probability with nothing covered, and per pixel the
/// mean drop in it over the grey patches that cover the pixel (one batch of
/// 49 covered pictures plus the original, one readback).
pub async fn occlusion(
    model: &AnyModel,
    image: &[u8],
    class: usize,
    device: &Device,
) -> Result<(f32, Vec<f32>), Error> {
    let covered = occluded(image);
    let mut all: Vec<&[u8]> = covered.iter().map(Vec::as_slice).collect();
    all.push(image);
    let p = softmax(model.forward(raw_images(&all, device)), 1).narrow(1, class, 1);
    let p = read(p.flatten::<1>(0, 1)).await?;
    let (base, rest) = p
        .split_last()
        .ok_or_else(|| Error::Readback("no probabilities came back".into()))?;
    let drops: Vec<f32> = rest.iter().map(|q| base - q).collect();
    Ok((*base, occlusion_map(&drops)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::inspect::GREY;
    use crate::domain::Arch;
    use crate::engine::cpu;
    use crate::engine::model::init_seeded;

    use crate::engine::block_on as now;

    /// A tensor's values, read back.
    fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        now(read(t)).unwrap()
    }

    fn picture(seed: u64) -> Vec<u8> {
        let mut rng = crate::math::rng::SplitMix64::new(seed);
        (0..3 * SIDE * SIDE).map(|_| rng.below(256) as u8).collect()
    }

    fn model(arch: Arch, seed: u64) -> (AnyModel, Weights) {
        let m = init_seeded(AnyModel::new(arch, &cpu()), seed, &cpu());
        let w = now(crate::engine::model::to_weights(&m)).unwrap();
        (m, w)
    }

    #[test]
    fn the_layer_view_holds_the_models_own_tensors() {
        let expect: [(Arch, &[[usize; 3]]); 2] = [
            (
                Arch::DocCnn,
                &[
                    [3, 32, 32],
                    [32, 30, 30],
                    [32, 15, 15],
                    [64, 13, 13],
                    [64, 6, 6],
                    [64, 4, 4],
                    [64, 1, 1],
                    [10, 1, 1],
                ],
            ),
            (
                Arch::LabCnn,
                &[
                    [3, 32, 32],
                    [32, 32, 32],
                    [32, 32, 32],
                    [32, 16, 16],
                    [64, 16, 16],
                    [64, 16, 16],
                    [64, 8, 8],
                    [128, 8, 8],
                    [128, 8, 8],
                    [128, 4, 4],
                    [10, 1, 1],
                ],
            ),
        ];
        let img = picture(7);
        for (arch, shapes) in expect {
            let (m, w) = model(arch, 3);
            let ins = now(inspect(&m, &w, &img, &cpu())).unwrap();
            let got: Vec<[usize; 3]> = ins.stages.iter().map(|s| s.shape).collect();
            assert_eq!(got, shapes, "{arch}");
            for s in &ins.stages {
                assert_eq!(s.values.len(), s.numbers(), "{arch} {}", s.layer);
            }
            // The scores are the model's own logits, and the input is the normalized picture.
            let x = raw_images(&[&img], &cpu());
            let logits = values(m.forward(x.clone()));
            assert_eq!(ins.stages.last().unwrap().values, logits, "{arch}");
            assert_eq!(ins.stages[0].values, values(x.clone()));
            // The first convolution's maps are relu(conv(x)) (+ batch norm), computed again here.
            let first = &ins.stages[1];
            let again = match &m {
                AnyModel::Doc(d) => d.first_stage(x),
                AnyModel::Lab(l) => l.first_stage(x),
            };
            assert_eq!(first.values, values(again), "{arch}");
            // Kernels are the weights file's.
            let name = if arch == Arch::DocCnn {
                "conv1.weight"
            } else {
                "b1.conv.weight"
            };
            assert_eq!(first.kernels, w.get(name).unwrap().data);
            assert_eq!(first.kernel_inputs(), 3);
            assert!(ins
                .stages
                .iter()
                .all(|s| s.values.iter().all(|v| v.is_finite())));
        }
    }

    #[test]
    fn saliency_of_a_one_pixel_model_is_that_pixel() {
        let ad = cpu().autodiff();
        let (c, y, x) = (1, 5, 7);
        // Ten scores, each a multiple of the green value at (5, 7) alone.
        let forward = |img: Tensor<4>| -> Tensor<2> {
            let p = img
                .slice([0..1, c..c + 1, y..y + 1, x..x + 1])
                .reshape([1, 1]);
            let k =
                Tensor::<1>::from_floats([1.0, 2.0, 3.0, -4.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0], &ad);
            p.matmul(k.reshape([1, 10]))
        };
        let g = input_gradient(forward, raw_images(&[&picture(1)], &ad), 3);
        let g = values(g.abs().max_dim(1).flatten::<1>(0, 3));
        for (i, v) in g.iter().enumerate() {
            if i == y * SIDE + x {
                assert!((v - 4.0).abs() < 1e-6, "{v}");
            } else {
                assert_eq!(*v, 0.0, "pixel {i}");
            }
        }
    }

    #[test]
    fn saliency_of_a_real_model_is_finite_and_not_flat() {
        let (_, w) = model(Arch::LabCnn, 5);
        let g = now(gradient_saliency(&w, &picture(2), 4, &cpu())).unwrap();
        assert_eq!(g.len(), SIDE * SIDE);
        assert!(g.iter().all(|v| v.is_finite() && *v >= 0.0));
        assert!(g.iter().any(|v| *v > 0.0));
    }

    #[test]
    fn occluding_a_grey_picture_changes_nothing() {
        let (m, _) = model(Arch::DocCnn, 2);
        let grey: Vec<u8> = GREY.iter().flat_map(|&g| vec![g; SIDE * SIDE]).collect();
        let (p, map) = now(occlusion(&m, &grey, 0, &cpu())).unwrap();
        assert!(p > 0.0 && p < 1.0);
        assert!(map.iter().all(|&d| d == 0.0), "{:?}", &map[..8]);
        // A real picture: covering it changes the answer somewhere.
        let (_, map) = now(occlusion(&m, &picture(9), 0, &cpu())).unwrap();
        assert!(map.iter().any(|&d| d != 0.0));
    }
}
