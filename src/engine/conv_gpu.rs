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

    /// ∂L/∂weight of [`ConvBackend::conv_stride1`]: Burn's own, except on a
    /// GPU, where [`weight_grad_split`] spreads its sums over more invocations.
    fn conv_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        dy: FloatTensor<Self>,
        padding: usize,
    ) -> FloatTensor<Self> {
        Self::conv2d_weight_backward(x, weight, dy, options(padding))
    }
}

impl ConvBackend for Cube {
    fn conv_weight_grad(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        dy: FloatTensor<Self>,
        padding: usize,
    ) -> FloatTensor<Self> {
        let (b, positions) = (x.shape()[0], dy.shape()[2] * dy.shape()[3]);
        let wide = match SplitWeightGrad::get() {
            SplitWeightGrad::Auto => x.client.properties().identity.physical.is_some(),
            SplitWeightGrad::Never => false,
            SplitWeightGrad::Always => true,
        };
        let s = if wide {
            splits(b, positions, PER_INVOCATION)
        } else {
            1
        };
        weight_grad_split::<Self>(x, weight, dy, padding, s)
    }
}

/// Whether [`weight_grad_split`] splits the weight gradient's batch on the wgpu
/// backend. Splitting pays on a GPU with thousands of lanes; on a CPU-side GPU
/// (SwiftShader in Chromium, Mesa's lavapipe) a few threads are already busy
/// and the extra copy and sum cost 0–20 % per layer (`examples/conv_grads.rs`
/// on SwiftShader natively, batch 32), so it is off there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitWeightGrad {
    /// On a graphics card; not on a CPU-side adapter (one CubeCL reports with
    /// no physical device). In a browser every adapter reports one, so the
    /// engine worker says `Never` for a software one.
    Auto,
    Never,
    Always,
}

static SPLIT_WEIGHT_GRAD: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

impl SplitWeightGrad {
    /// For every wgpu convolution from now on (one setting per process or worker).
    pub fn set(self) {
        SPLIT_WEIGHT_GRAD.store(self as u8, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn get() -> Self {
        match SPLIT_WEIGHT_GRAD.load(std::sync::atomic::Ordering::Relaxed) {
            1 => Self::Never,
            2 => Self::Always,
            _ => Self::Auto,
        }
    }
}
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

impl<B: Backend + ConvBackend> Backward<B, 3> for ConvBackward {
    type State = (NodeId, NodeId, NodeId, usize);

    /// Like Burn's own `Conv2DWithBias`: every checkpointed input is retrieved
    /// (the checkpointer counts retrievals), the weight and bias gradients are
    /// Burn's (the weight's split on a GPU), the input gradient is [`input_grad`].
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
            let grad = B::conv_weight_grad(x, weight, dy, padding);
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

/// Every 3 × 3 convolution of the two CNNs (`engine::model`): model, input
/// channels, output channels, input side, padding — the layers the examples
/// `conv_grads` (timing) and `conv_dispatch` (launch table) go through.
pub const CNN_CONVS: [(&str, usize, usize, usize, usize); 9] = [
    ("doc-cnn", 3, 32, 32, 0),
    ("doc-cnn", 32, 64, 15, 0),
    ("doc-cnn", 64, 64, 6, 0),
    ("lab-cnn", 3, 32, 32, 1),
    ("lab-cnn", 32, 32, 32, 1),
    ("lab-cnn", 32, 64, 16, 1),
    ("lab-cnn", 64, 64, 16, 1),
    ("lab-cnn", 64, 128, 8, 1),
    ("lab-cnn", 128, 128, 8, 1),
];

/// The most multiply-adds one invocation of the weight gradient's kernel does
/// (times the output channels it accumulates at once): the batch is split
/// into groups that small, so the GPU gets `splits` times more invocations.
pub const PER_INVOCATION: usize = 4096;

/// Into how many groups to split a batch of `b` images, each contributing
/// `positions` output positions, so that one group's sum is about
/// `per_invocation` products: the largest divisor of `b` that leaves each group
/// at least that much work (1: no split).
pub fn splits(b: usize, positions: usize, per_invocation: usize) -> usize {
    let per_group = per_invocation.div_ceil(positions.max(1)).max(1);
    let most = (b / per_group).max(1);
    (1..=most).rev().find(|s| b.is_multiple_of(*s)).unwrap_or(1)
}

/// ∂L/∂weight `[o, c, k, k]` of a stride-1 convolution of `x` `[b, c, h, w]`
/// with output gradient `dy` `[b, o, h', w']`, its sum over the batch split in
/// `s` groups ("split-K").
///
/// Why: Burn 0.22.1 (without its `autotune` feature, as built here) computes
/// this gradient as one direct convolution of the input by the output gradient
/// with batch and channels swapped: one GPU invocation per weight
/// (`c·o·k·k`, 864 for the article's first layer) each summing `b·h'·w'`
/// products in a loop — a fixed number of invocations whose work grows with
/// the batch, so a real GPU's throughput stays flat as the batch grows. Here
/// the same kernel runs as a grouped convolution: group `g` convolves the
/// input channels (images) `g·b/s..(g+1)·b/s` by their own output gradients,
/// giving `s` partial gradients `[c, s·o, k, k]` from `s` times as many
/// invocations, each `s` times shorter; one sum over the groups adds them.
pub fn weight_grad_split<B: Backend>(
    x: FloatTensor<B>,
    weight: FloatTensor<B>,
    dy: FloatTensor<B>,
    padding: usize,
    s: usize,
) -> FloatTensor<B> {
    let [b, c] = [x.shape()[0], x.shape()[1]];
    let [o, oh, ow] = [dy.shape()[1], dy.shape()[2], dy.shape()[3]];
    let k = weight.shape()[2];
    if s <= 1 || !b.is_multiple_of(s) {
        return B::conv2d_weight_backward(x, weight, dy, options(padding));
    }
    let per = b / s;
    let images_as_channels = B::float_swap_dims(x, 0, 1); // [c, b, h, w]
    let dy = B::float_reshape(dy, [s, per, o, oh, ow].into()); // [s, b/s, o, h', w']
    let dy = B::float_swap_dims(dy, 1, 2); // [s, o, b/s, h', w']
    let kernels = B::float_reshape(dy, [s * o, per, oh, ow].into()); // [s·o, b/s, h', w']
    let grouped = ConvOptions::new([1, 1], [padding, padding], [1, 1], s);
    let parts = B::conv2d(images_as_channels, kernels, None, grouped); // [c, s·o, k, k]
    let parts = B::float_reshape(parts, [c, s, o, k, k].into());
    let sum = B::float_reshape(B::float_sum_dim(parts, 1), [c, o, k, k].into()); // [c, o, k, k]
    B::float_swap_dims(sum, 0, 1) // [o, c, k, k]
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

    /// Batches that `PER_INVOCATION` splits (4 groups of 4 images, 3 of 8;
    /// same and valid padding),
    /// through the op on wgpu with the split on (the other tests' results do
    /// not depend on it: either way the gradient is Burn's).
    #[test]
    fn split_weight_gradient_matches_burns_on_wgpu() {
        /// Puts the setting back however the test ends.
        struct Restore;
        impl Drop for Restore {
            fn drop(&mut self) {
                SplitWeightGrad::Auto.set();
            }
        }
        let _restore = Restore;
        SplitWeightGrad::Always.set();
        let device = crate::engine::test_gpu().autodiff();
        for (b, c, h, padding, groups) in [(16, 3, 32, 1, 4), (24, 4, 24, 1, 3), (16, 3, 34, 0, 4)]
        {
            let out = h + 2 * padding - 2;
            assert_eq!(splits(b, out * out, PER_INVOCATION), groups);
            let x = Tensor::<4>::random([b, c, h, h], Distribution::Normal(0.0, 1.0), &device);
            let w = Tensor::<4>::random([5, c, 3, 3], Distribution::Normal(0.0, 1.0), &device)
                .require_grad();
            let probe =
                Tensor::<4>::random([b, 5, out, out], Distribution::Normal(0.0, 1.0), &device);
            let grad = |y: Tensor<4>| w.grad(&(y * probe.clone()).sum().backward()).unwrap();
            let burn = grad(conv2d(x.clone(), w.clone(), None, options(padding)));
            let ours = grad(conv_stride1(x.clone(), w.clone(), None, padding));
            let scale = burn.clone().abs().max().into_scalar::<f32>();
            assert!(max_diff(burn, ours) < 1e-4 * scale, "b {b} c {c}");
        }
    }

    #[test]
    fn splits_are_divisors_that_keep_each_group_busy() {
        assert_eq!(splits(32, 900, 4096), 4); // at least 5 images a group → 4 groups of 8
        assert_eq!(splits(1024, 900, 4096), 128); // groups of 8 images
        assert_eq!(splits(256, 169, 4096), 8); // 25 images → groups of 32
        assert_eq!(splits(7, 900, 4096), 1); // prime: no divisor fits
        assert_eq!(splits(2, 81, 4096), 1); // too little work to split
        assert_eq!(splits(128, 64, 4096), 2);
        assert_eq!(splits(0, 0, 4096), 1);
        for b in 1..=64 {
            let s = splits(b, 100, 1000);
            assert_eq!(b % s, 0);
            assert!(s == 1 || (b / s) * 100 >= 1000);
        }
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
