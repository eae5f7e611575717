//! Times one convolution's forward and backward pass, Burn's `conv2d` against
//! `conv_gpu::conv_stride1` (the same forward, faster gradients), on every
//! convolution shape of both CNNs at one batch size (32 unless given), on
//! Burn's wgpu backend; the line under the table gives how the op splits each
//! layer's weight gradient (`conv_gpu::splits`).
//!
//! `cargo run --example conv_grads [repeats] [batch] [always|never]` (split
//! the weight gradient always or never; by default only on a graphics card,
//! [`SplitWeightGrad::Auto`]) — natively this is
//! Mesa's lavapipe where no GPU is present (a CPU-side GPU, like the
//! browser's SwiftShader). Prints ms per forward+backward.

use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Distribution, Tensor};
use compression_lab::engine::conv_gpu::{
    conv_stride1, splits, SplitWeightGrad, CNN_CONVS, PER_INVOCATION,
};
use std::time::Instant;

fn main() {
    let repeats: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let batch: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(32);
    let split = match std::env::args().nth(3).as_deref() {
        Some("always") => SplitWeightGrad::Always,
        Some("never") => SplitWeightGrad::Never,
        _ => SplitWeightGrad::Auto,
    };
    split.set();
    let device = Device::wgpu_options()
        .init()
        .expect("a wgpu adapter")
        .autodiff();
    println!("batch {batch}; ms per forward + backward; weight gradient split: {split:?}");
    println!(
        "model    layer (c→o, h×w, padding)    Burn conv2d   conv_stride1   speed-up   groups if split   \
         first call (compiling, tuning): Burn, ours"
    );
    for (model, c, o, h, p) in CNN_CONVS {
        // The first layer's input needs no gradient; every other does.
        let x = Tensor::<4>::random([batch, c, h, h], Distribution::Normal(0.0, 1.0), &device);
        let x = if c == 3 { x } else { x.require_grad() };
        let w = Tensor::<4>::random([o, c, 3, 3], Distribution::Normal(0.0, 0.1), &device)
            .require_grad();
        let b = Tensor::<1>::zeros([o], &device).require_grad();
        let out = h + 2 * p - 2;
        let step = |ours: bool| {
            let y = if ours {
                conv_stride1(x.clone(), w.clone(), Some(b.clone()), p)
            } else {
                conv2d(
                    x.clone(),
                    w.clone(),
                    Some(b.clone()),
                    ConvOptions::new([1, 1], [p, p], [1, 1], 1),
                )
            };
            let grads = y.sum().backward();
            // Reading one number back waits for the GPU to finish.
            let _ = w.grad(&grads).unwrap().sum().into_scalar::<f32>();
        };
        // Compile the kernels, then alternate the two so drift on a shared
        // machine falls on both alike.
        let t = Instant::now();
        step(false);
        let first_burn = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        step(true);
        let first_ours = t.elapsed().as_secs_f64() * 1e3;
        let (mut burn, mut ours) = (0.0, 0.0);
        for _ in 0..repeats {
            for (total, which) in [(&mut burn, false), (&mut ours, true)] {
                let t = Instant::now();
                step(which);
                *total += t.elapsed().as_secs_f64() * 1e3 / repeats as f64;
            }
        }
        println!(
            "{model}  {c:>3}→{o:<3} {h:>2}×{h:<2} p{p}              {burn:>8.1}      {ours:>8.1}       {:.2}×      {:<15} {first_burn:>8.0} {first_ours:>8.0}",
            burn / ours,
            splits(batch, out * out, PER_INVOCATION)
        );
    }
}
