//! ReLU on a GPU as one clamp kernel forward and a multiply by the output's
//! sign backward, as one autodiff operation (Burn's backend extension).
//!
//! Why: Burn 0.22.1 computes `relu` as a comparison that writes a boolean mask
//! and a masked fill that reads it, and its backward pass the same way again.
//! On the convolutions' outputs (channels-last in memory, read through
//! permuted strides) those two kernels were 14 % of a `doc-cnn` training run
//! on SwiftShader (natively, `VK_ICD_FILENAMES` pointed at Chromium's
//! SwiftShader, with CubeCL's kernel profiler; figures in the README). A clamp
//! to `[0, ∞]` is the same function in one kernel, and `∂L/∂x = ∂L/∂y ·
//! sign(y)` the same gradient (`y = relu(x) ≥ 0`, so `sign(y)` is 1 where
//! `x > 0` and 0 elsewhere, Burn's convention at 0) with no boolean tensor.
//!
//! The CPU backend keeps Burn's `relu` ([`relu`] dispatches).

// NdArray: deprecated in favour of Flex in 0.22; it is the CPU backend verified here.
#![allow(deprecated)]

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::tensor::FloatTensor;
use burn::backend::{backend_extension, Autodiff, Backend, Cube, Dispatch, NdArray};
use burn::prelude::*;
use burn::tensor::activation;

/// `max(x, 0)` elementwise, any shape.
#[backend_extension(Autodiff, Cube, NdArray)]
pub trait ReluBackend: Backend {
    fn relu_clamp(x: FloatTensor<Self>) -> FloatTensor<Self> {
        Self::float_clamp(x, 0f32.into(), f32::INFINITY.into())
    }
}

impl ReluBackend for Cube {}
impl ReluBackend for NdArray {}

/// The clamp forward, with [`ReluBackward`] recorded for autodiff.
impl<B: Backend + ReluBackend, C: CheckpointStrategy> ReluBackend for Autodiff<B, C> {
    fn relu_clamp(x: FloatTensor<Self>) -> FloatTensor<Self> {
        let prep = ReluBackward
            .prepare::<C>([x.node()])
            .compute_bound()
            .stateful();
        let y = B::relu_clamp(x.into_primitive());
        match prep {
            OpsKind::Tracked(prep) => prep.finish(y.clone(), y),
            OpsKind::UnTracked(prep) => prep.finish(y),
        }
    }
}

/// The backward pass of [`ReluBackend::relu_clamp`]: the output is its state.
#[derive(Debug)]
struct ReluBackward;

impl<B: Backend> Backward<B, 1> for ReluBackward {
    type State = FloatTensor<B>;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node_x] = ops.parents;
        let dy = grads.consume::<B>(&ops.node);
        if let Some(node) = node_x {
            grads.register::<B>(node.id, B::float_mul(dy, B::float_sign(ops.state)));
        }
    }
}

/// ReLU: [`ReluBackend`] on a GPU, Burn's `relu` on the CPU backend.
pub fn relu<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    if super::conv::on_cpu(&x.device()) {
        return activation::relu(x);
    }
    Tensor::from_dispatch(<Dispatch as ReluBackend>::relu_clamp(x.into_dispatch()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;

    /// The op and Burn's `relu` agree on the output and the gradient, zeros
    /// included, on `device`, whether or not autodiff tracks the input.
    fn matches_burn(device: &Device) {
        let raw = Tensor::<3>::random([2, 5, 7], Distribution::Normal(0.0, 1.0), device);
        // Exact zeros, where the gradient is 0 by Burn's convention.
        let x = raw
            .clone()
            .mask_fill(raw.abs().lower_elem(0.2), 0.0)
            .require_grad();
        let probe = Tensor::<3>::random([2, 5, 7], Distribution::Normal(0.0, 1.0), device);
        let run = |y: Tensor<3>| {
            let g = (y.clone() * probe.clone()).sum().backward();
            (y.inner(), x.grad(&g).unwrap())
        };
        let (y1, g1) = run(activation::relu(x.clone()));
        let xd = x.clone().into_dispatch();
        let (y2, g2) = run(Tensor::from_dispatch(
            <Dispatch as ReluBackend>::relu_clamp(xd),
        ));
        let diff = |a: Tensor<3>, b: Tensor<3>| (a - b).abs().max().into_scalar::<f32>();
        assert_eq!(diff(y1, y2), 0.0);
        assert_eq!(diff(g1, g2), 0.0);
        let plain = x.inner();
        let y = Tensor::<3>::from_dispatch(<Dispatch as ReluBackend>::relu_clamp(
            plain.clone().into_dispatch(),
        ));
        assert_eq!(diff(y, activation::relu(plain)), 0.0);
    }

    #[test]
    fn matches_burns_relu_on_the_cpu_backend() {
        matches_burn(&crate::engine::cpu().autodiff());
    }

    #[test]
    fn matches_burns_relu_on_wgpu() {
        let gpu = crate::engine::test_gpu();
        matches_burn(&gpu.autodiff());
    }
}
