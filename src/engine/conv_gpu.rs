//! The convolutions on a GPU: Burn's direct kernel forward and weight gradient,
//! with the input gradient computed the way it runs fastest on the software
//! GPUs most visitors without a graphics card get (SwiftShader in Chromium), as
//! one autodiff operation with its own backward pass (Burn's backend extension).
//!
//! Why: Burn 0.22.1's wgpu backend computes a convolution's input gradient with
//! its transposed-convolution kernel. The same gradient is a plain convolution
//! of the output gradient by the kernels flipped in space, with their in/out
//! axes swapped, padded by `k − 1 − p`, which runs Burn's direct convolution
//! kernel, about twice as fast on a CPU-side GPU: natively on Mesa's lavapipe,
//! batch 32, forward + backward of one layer (`cargo run --release --example
//! conv_grads`, figures in the README).
//!
//! Measured and not kept: the weight gradient as one matrix multiply (the
//! output gradient `[o, b·h'·w']` by the input's k×k patches, im2col). On
//! lavapipe it halves that gradient's time too, but in Chromium on SwiftShader
//! it made `doc-cnn` training a third slower (8.3 against 11.7 images/s): the
//! matrix multiply's kernels share memory across a workgroup, which SwiftShader
//! runs slowly; the direct kernels do not.
//!
//! Only stride 1, dilation 1, one group and symmetric padding `p < k` (what the
//! models use); the forward pass is Burn's own, so outputs are unchanged.

// NdArray: deprecated in favour of Flex in 0.22; it is the CPU backend verified here.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::NodeId;
use burn::backend::ops::ConvOptions;
use burn::backend::tensor::FloatTensor;
use burn::backend::TensorMetadata;
use burn::backend::{backend_extension, Autodiff, Backend, Cube, Dispatch, NdArray};
use burn::prelude::*;

/// A stride-1 convolution, `x` `[b, c, h, w]` by `weight` `[o, c, k, k]` plus
/// `bias` `[o]`, with `padding` on every side → `[b, o, h', w']`. A layer
/// without a bias passes zeros that need no gradient (the extension macro of
/// Burn 0.22.1 does not route an `Option` of a tensor).
#[backend_extension(Autodiff, Cube, NdArray)]
pub trait ConvBackend: Backend {
    fn conv_stride1(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        padding: usize,
    ) -> FloatTensor<Self> {
        Self::conv2d(x, weight, Some(bias), options(padding))
    }
}

impl ConvBackend for Cube {}
impl ConvBackend for NdArray {}

fn options(padding: usize) -> ConvOptions<2> {
    ConvOptions::new([1, 1], [padding, padding], [1, 1], 1)
}

/// Burn's forward pass, with [`ConvBackward`] recorded for autodiff.
impl<B: Backend + ConvBackend, C: CheckpointStrategy> ConvBackend for Autodiff<B, C> {
    fn conv_stride1(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        padding: usize,
    ) -> FloatTensor<Self> {
        match ConvBackward
            .prepare::<C>([x.node(), weight.node(), bias.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let (x_state, weight_state) = (prep.checkpoint(&x), prep.checkpoint(&weight));
                let state = (x_state, weight_state, prep.checkpoint(&bias), padding);
                prep.finish(state, forward::<B>(x, weight, bias, padding))
            }
            OpsKind::UnTracked(prep) => prep.finish(forward::<B>(x, weight, bias, padding)),
        }
    }
}

/// Burn's own convolution, on the tensors inside the autodiff wrappers.
fn forward<B: Backend>(
    x: FloatTensor<Autodiff<B>>,
    weight: FloatTensor<Autodiff<B>>,
    bias: FloatTensor<Autodiff<B>>,
    padding: usize,
) -> FloatTensor<B> {
    let (x, weight, bias) = (
        x.into_primitive(),
        weight.into_primitive(),
        bias.into_primitive(),
    );
    B::conv2d(x, weight, Some(bias), options(padding))
}

/// The backward pass of [`ConvBackend::conv_stride1`].
#[derive(Debug)]
struct ConvBackward;

impl<B: Backend> Backward<B, 3> for ConvBackward {
    type State = (NodeId, NodeId, NodeId, usize);

    /// Like Burn's own `Conv2DWithBias`: every checkpointed input is retrieved
    /// (the checkpointer counts retrievals), the weight and bias gradients are
    /// Burn's, only the input gradient is [`input_grad`].
    fn backward(
        self,
        ops: Ops<Self::State, 3>,
        grads: &mut Gradients,
        checkpointer: &mut Checkpointer,
    ) {
        let [node_x, node_weight, node_bias] = ops.parents;
        let dy = grads.consume::<B>(&ops.node);
        let (x_state, weight_state, bias_state, padding) = ops.state;
        let x: FloatTensor<B> = checkpointer.retrieve_node_output(x_state);
        let weight: FloatTensor<B> = checkpointer.retrieve_node_output(weight_state);
        let bias: FloatTensor<B> = checkpointer.retrieve_node_output(bias_state);
        if let Some(node) = node_x {
            let grad = input_grad::<B>(dy.clone(), weight.clone(), padding);
            grads.register::<B>(node.id, grad);
        }
        if let Some(node) = node_bias {
            let grad = B::conv2d_bias_backward(x.clone(), bias, dy.clone());
            grads.register::<B>(node.id, grad);
        }
        if let Some(node) = node_weight {
            let grad = B::conv2d_weight_backward(x, weight, dy, options(padding));
            grads.register::<B>(node.id, grad);
        }
    }
}

/// ∂L/∂x: the output gradient `[b, o, h', w']` convolved with the kernels
/// flipped in space and with their in/out axes swapped `[c, o, k, k]`, padded
/// by `k − 1 − p` → `[b, c, h, w]`.
fn input_grad<B: Backend>(
    dy: FloatTensor<B>,
    weight: FloatTensor<B>,
    padding: usize,
) -> FloatTensor<B> {
    let k = weight.shape()[2];
    let flipped = B::float_swap_dims(B::float_flip(weight, &[2, 3]), 0, 1); // [c, o, k, k]
    B::conv2d(dy, flipped, None, options(k - 1 - padding))
}

/// `x` `[b, c, h, w]` convolved by `weight` `[o, c, k, k]` (stride 1, `padding`
/// on each side) plus `bias` `[o]`, through [`ConvBackend`] → `[b, o, h', w']`.
pub fn conv_stride1(
    x: Tensor<4>,
    weight: Tensor<4>,
    bias: Option<Tensor<1>>,
    padding: usize,
) -> Tensor<4> {
    let [o, ..] = weight.dims();
    let bias = bias.unwrap_or_else(|| Tensor::zeros([o], &weight.device()));
    Tensor::from_dispatch(<Dispatch as ConvBackend>::conv_stride1(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
        padding,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::module::conv2d;
    use burn::tensor::Distribution;

    fn max_diff(a: Tensor<4>, b: Tensor<4>) -> f32 {
        (a - b).abs().max().into_scalar::<f32>()
    }

    /// The op and Burn's convolution agree on the output and every gradient,
    /// valid and same padding, with and without a bias, on `device`.
    fn matches_burn(device: &Device) {
        for (c, h, padding, with_bias) in [
            (3, 9, 0, true),
            (16, 8, 1, false),
            (16, 9, 0, true),
            (4, 10, 1, true),
        ] {
            let x = Tensor::<4>::random([2, c, h, h], Distribution::Normal(0.0, 1.0), device)
                .require_grad();
            let w = Tensor::<4>::random([5, c, 3, 3], Distribution::Normal(0.0, 1.0), device)
                .require_grad();
            let bias = with_bias
                .then(|| Tensor::<1>::random([5], Distribution::Default, device).require_grad());
            let oh = h + 2 * padding - 2;
            let probe = Tensor::<4>::random([2, 5, oh, oh], Distribution::Normal(0.0, 1.0), device);
            let run = |y: Tensor<4>| {
                let g = (y.clone() * probe.clone()).sum().backward();
                let gb = bias
                    .as_ref()
                    .map(|b| b.grad(&g).unwrap().reshape([1, 1, 1, 5]));
                (y.inner(), x.grad(&g).unwrap(), w.grad(&g).unwrap(), gb)
            };
            let (y1, gx1, gw1, gb1) =
                run(conv2d(x.clone(), w.clone(), bias.clone(), options(padding)));
            let (y2, gx2, gw2, gb2) =
                run(conv_stride1(x.clone(), w.clone(), bias.clone(), padding));
            assert_eq!(y1.dims(), [2, 5, oh, oh]);
            assert!(max_diff(y1, y2) < 1e-4);
            assert!(
                max_diff(gx1, gx2) < 1e-3,
                "input gradient, c {c} p {padding}"
            );
            assert!(
                max_diff(gw1, gw2) < 1e-3,
                "weight gradient, c {c} p {padding}"
            );
            assert_eq!(gb1.is_some(), with_bias);
            if let (Some(a), Some(b)) = (gb1, gb2) {
                assert!(max_diff(a, b) < 1e-3, "bias gradient, c {c} p {padding}");
            }
        }
    }

    #[test]
    fn gradients_match_burns_convolution_on_the_cpu_backend() {
        matches_burn(&crate::engine::cpu().autodiff());
    }

    /// The same on Burn's wgpu backend (Mesa's software Vulkan in tests), where
    /// the op is used.
    #[test]
    fn gradients_match_burns_convolution_on_wgpu() {
        let gpu = crate::engine::test_gpu();
        matches_burn(&gpu.autodiff());
    }

    #[test]
    fn without_autodiff_it_is_burns_convolution() {
        let device = crate::engine::cpu();
        let x = Tensor::<4>::random([1, 4, 6, 6], Distribution::Default, &device);
        let w = Tensor::<4>::random([2, 4, 3, 3], Distribution::Default, &device);
        let bias = Tensor::<1>::random([2], Distribution::Default, &device);
        let y = conv_stride1(x.clone(), w.clone(), Some(bias.clone()), 1);
        assert!(max_diff(y, conv2d(x, w, Some(bias), options(1))) < 1e-6);
    }
}
