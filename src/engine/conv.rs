//! The convolutions of both CNNs, run on the CPU backend as one matrix multiply
//! (im2col), on a GPU as Burn's own kernel with a faster input gradient
//! ([`super::conv_gpu`]); and, on a GPU, their dense layers as 1×1
//! convolutions ([`dense`]).
//!
//! Why: Burn's ndarray backend (0.22.1) computes a convolution's *weight
//! gradient* as another convolution whose kernel is the whole output gradient
//! (`conv2d_weight_grad_no_groups`), which its vectorised path does not cover,
//! so the scalar loop does it: most of a training step's time on the CPU. Laid
//! out as im2col, the forward pass, both gradients and the bias are matrix
//! multiplies (`matrixmultiply`'s packed kernels) and copies. The parameters
//! stay in Burn's [`Conv2d`] modules, so weights files and the optimizer see the
//! same tensors; a test holds the two ways to the same outputs and gradients.

use burn::nn::conv::Conv2d;
use burn::nn::{Linear, PaddingConfig2d};
use burn::prelude::*;

/// `conv`'s forward pass on `x` `[b, c, h, w]` → `[b, o, h', w']`: im2col on the
/// CPU backend, [`super::conv_gpu`] elsewhere. Stride 1, dilation 1, one
/// group, "valid" or symmetric explicit/"same" padding (what the models use).
pub fn forward(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    if on_cpu(&x.device()) {
        im2col(conv, x)
    } else {
        on_gpu(conv, x)
    }
}

/// Burn's direct convolution, with the gradients of [`super::conv_gpu`].
fn on_gpu(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    debug_assert!(conv.stride == [1, 1] && conv.dilation == [1, 1] && conv.groups == 1);
    let bias = conv.bias.as_ref().map(|b| b.val());
    super::conv_gpu::conv_stride1(x, conv.weight.val(), bias, padding(conv)) // [b, o, h', w']
}

/// A dense layer `l` on `x` `[b, i]` → `[b, o]`: Burn's `Linear` on the CPU
/// backend; on a GPU the same product as a 1×1 convolution through
/// [`super::conv_gpu`], with its gradients.
///
/// Why: Burn's matrix multiply stages tiles in a workgroup's shared memory,
/// which SwiftShader runs slowly; the direct convolution kernel does not.
pub fn dense(l: &Linear, x: Tensor<2>) -> Tensor<2> {
    if on_cpu(&x.device()) {
        return l.forward(x);
    }
    let [b, i] = x.dims();
    let [_, o] = l.weight.dims();
    let kernels = l.weight.val().transpose().reshape([o, i, 1, 1]); // [o, i, 1, 1]
    let bias = l.bias.as_ref().map(|b| b.val());
    let y = super::conv_gpu::conv_stride1(x.reshape([b, i, 1, 1]), kernels, bias, 0); // [b, o, 1, 1]
    y.reshape([b, o])
}

/// Whether `device` is (an autodiff wrapper around) Burn's ndarray backend.
pub fn on_cpu(device: &Device) -> bool {
    device.clone().without_autodiff() == crate::engine::cpu()
}

/// The padding on each side of the image that `conv` applies.
fn padding(conv: &Conv2d) -> usize {
    match &conv.padding {
        PaddingConfig2d::Valid => 0,
        PaddingConfig2d::Same => conv.kernel_size[0] / 2,
        PaddingConfig2d::Explicit(top, left, bottom, right) => {
            debug_assert!(
                top == left && top == bottom && top == right,
                "symmetric padding"
            );
            *top
        }
    }
}

/// The convolution as a matrix multiply: each output pixel's k×k×c input patch
/// becomes one row of `cols`, and the kernels the columns of `w`.
pub fn im2col(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    debug_assert!(conv.stride == [1, 1] && conv.dilation == [1, 1] && conv.groups == 1);
    let [o, c, k, kw] = conv.weight.dims();
    debug_assert_eq!(k, kw, "square kernels");
    let p = padding(conv);
    let x = if p > 0 {
        x.pad((p, p, p, p), burn::tensor::ops::PadMode::Constant(0.0)) // [b, c, h+2p, w+2p]
    } else {
        x
    };
    let [b, _, h, w] = x.dims();
    let (oh, ow) = (h + 1 - k, w + 1 - k);
    let x = x.permute([0, 2, 3, 1]); // [b, h, w, c]
    let mut patches = Vec::with_capacity(k * k);
    for i in 0..k {
        for j in 0..k {
            patches.push(x.clone().slice([0..b, i..i + oh, j..j + ow, 0..c])); // [b, oh, ow, c]
        }
    }
    let cols = Tensor::cat(patches, 3).reshape([b * oh * ow, k * k * c]); // [b·oh·ow, k·k·c]
    let kernels = conv
        .weight
        .val()
        .permute([2, 3, 1, 0])
        .reshape([k * k * c, o]); // [k·k·c, o]
    let mut y = cols.matmul(kernels); // [b·oh·ow, o]
    if let Some(bias) = &conv.bias {
        y = y + bias.val().unsqueeze::<2>(); // [b·oh·ow, o]
    }
    y.reshape([b, oh, ow, o]).permute([0, 3, 1, 2]) // [b, o, oh, ow]
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::conv::Conv2dConfig;
    use burn::tensor::Distribution;

    fn close(a: Tensor<4>, b: Tensor<4>) -> f32 {
        let a: Vec<f32> = a.into_data().try_to_vec().unwrap();
        let b: Vec<f32> = b.into_data().try_to_vec().unwrap();
        assert_eq!(a.len(), b.len());
        a.iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    }

    /// im2col and Burn's kernel agree on the output, the input's gradient,
    /// the weights' gradient and the bias's, for valid and same padding.
    #[test]
    fn im2col_matches_burns_convolution_and_its_gradients() {
        let device = crate::engine::cpu().autodiff();
        assert!(on_cpu(&device) && on_cpu(&crate::engine::cpu()));
        for (padding, bias) in [
            (PaddingConfig2d::Valid, true),
            (PaddingConfig2d::Same, false),
        ] {
            let conv = Conv2dConfig::new([5, 7], [3, 3])
                .with_padding(padding)
                .with_bias(bias)
                .init(&device);
            let x = Tensor::<4>::random([2, 5, 9, 8], Distribution::Normal(0.0, 1.0), &device)
                .require_grad();
            let weights = Tensor::<4>::random([2, 7, 1, 1], Distribution::Default, &device);
            let run = |y: Tensor<4>| {
                let loss = (y.clone() * weights.clone().expand(y.dims())).sum();
                let g = loss.backward();
                let gw = conv.weight.grad(&g).unwrap();
                let gb = conv.bias.as_ref().map(|b| b.grad(&g).unwrap());
                (y.inner(), x.grad(&g).unwrap(), gw, gb)
            };
            let (y1, gx1, gw1, gb1) = run(conv.forward(x.clone()));
            let (y2, gx2, gw2, gb2) = run(im2col(&conv, x.clone()));
            assert_eq!(y1.dims(), y2.dims());
            assert!(close(y1, y2) < 1e-4);
            assert!(close(gx1, gx2) < 1e-4);
            assert!(close(gw1, gw2) < 1e-3);
            if let (Some(a), Some(b)) = (gb1, gb2) {
                assert!(close(a.reshape([1, 1, 1, 7]), b.reshape([1, 1, 1, 7])) < 1e-3);
            }
        }
    }

    /// On wgpu, `dense` (a 1×1 convolution) and Burn's `Linear` agree on the
    /// output and the input's, the weights' and the bias's gradients.
    #[test]
    fn dense_matches_burns_linear_on_wgpu() {
        let gpu = crate::engine::test_gpu();
        let device = gpu.autodiff();
        assert!(!on_cpu(&device));
        let layer = burn::nn::LinearConfig::new(24, 10).init(&device);
        let x =
            Tensor::<2>::random([6, 24], Distribution::Normal(0.0, 1.0), &device).require_grad();
        let probe = Tensor::<2>::random([6, 10], Distribution::Normal(0.0, 1.0), &device);
        let run = |y: Tensor<2>| {
            let g = (y.clone() * probe.clone()).sum().backward();
            let grads = [
                x.grad(&g).unwrap().reshape([1, 1, 6, 24]),
                layer.weight.grad(&g).unwrap().reshape([1, 1, 24, 10]),
                layer
                    .bias
                    .as_ref()
                    .unwrap()
                    .grad(&g)
                    .unwrap()
                    .reshape([1, 1, 1, 10]),
            ];
            (y.inner().reshape([1, 1, 6, 10]), grads)
        };
        let (y1, g1) = run(layer.forward(x.clone()));
        let (y2, g2) = run(dense(&layer, x.clone()));
        assert!(close(y1, y2) < 1e-4);
        for (a, b) in g1.into_iter().zip(g2) {
            assert!(close(a, b) < 1e-4);
        }
    }
}
