//! The convolutions' GPU dispatches in one training step, per layer and pass:
//! how many invocations each kernel launch has and how much work one
//! invocation does, at several batch sizes, for Burn 0.22.1's weight gradient
//! and for the split one (`conv_gpu::weight_grad_split`, used on a graphics
//! card). No GPU needed: this is the check that catches kernels whose work
//! per invocation grows with the batch while their count stays fixed — on a
//! GPU with thousands of lanes, a throughput flat in the batch.
//!
//! `cargo run --example conv_dispatch [batch …]` (default 32 256 1024).
//!
//! The counts follow cubek-convolution 0.3.1's direct kernel (what every
//! convolution here runs: Burn without `autotune`): one invocation per
//! `v` adjacent output channels of one output position (`v` = 4 where the
//! output's channels are a multiple of 4, else 1), each summing
//! `c_in per group × k × k` products per output. Checked against CubeCL's
//! profiler (`CUBECL_DEBUG_LOG=stdout CUBECL_DEBUG_OPTION=debug-full cargo run
//! --example conv_grads 1`: each launch's `CubeCount` × the compiled kernel's
//! `cube_dim`, 8 × 8): doc-cnn's first layer at batch 32 launches 3,600 × 64 =
//! 230,400 invocations forward and 4 × 64 ≥ 216 for Burn's weight gradient,
//! as below.

use compression_lab::engine::conv_gpu::{splits, CNN_CONVS, PER_INVOCATION};

/// One convolution: `c` → `o` channels, input `h` × `h`, padding `p`, 3 × 3.
struct Layer {
    model: &'static str,
    c: usize,
    o: usize,
    h: usize,
    p: usize,
}

const K: usize = 3;
/// Above this many floating-point operations (2 per multiply-add) one
/// invocation is a long serial loop on any GPU.
const TOO_LONG_FLOP: f64 = 1e6;

fn lanes(channels: usize) -> usize {
    if channels.is_multiple_of(4) {
        4
    } else {
        1
    }
}

/// One kernel launch: invocations and multiply-adds per invocation.
fn launch(outputs: usize, out_channels: usize, sum_len: usize) -> (usize, usize) {
    let v = lanes(out_channels);
    (outputs / v, v * sum_len)
}

fn main() {
    let batches: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let batches = if batches.is_empty() {
        vec![32, 256, 1024]
    } else {
        batches
    };
    let layers = CNN_CONVS.map(|(model, c, o, h, p)| Layer { model, c, o, h, p });
    println!("invocations per launch, kFLOP per invocation (2 per multiply-add); * = over 1 MFLOP");
    println!(
        "{:<6} {:<8} {:<16} {:>22} {:>22} {:>28} {:>30}",
        "batch",
        "model",
        "layer",
        "forward",
        "input gradient",
        "weight gradient (Burn)",
        "weight gradient (split)"
    );
    let mut flagged = [0usize; 2];
    for &b in &batches {
        for l in &layers {
            let out = l.h + 2 * l.p - K + 1;
            let positions = out * out;
            let forward = launch(b * positions * l.o, l.o, l.c * K * K);
            // The first layer's input needs no gradient.
            let input = (l.c != 3).then(|| launch(b * l.h * l.h * l.c, l.c, l.o * K * K));
            let burn = launch(l.c * K * K * l.o, l.o, b * positions);
            let s = splits(b, positions, PER_INVOCATION);
            let split = launch(l.c * K * K * s * l.o, l.o, (b / s) * positions);
            let cell = |(n, mac): (usize, usize)| {
                let flop = 2.0 * mac as f64;
                format!(
                    "{n:>10} × {:>8.1}{}",
                    flop / 1e3,
                    if flop > TOO_LONG_FLOP { "*" } else { " " }
                )
            };
            for (i, w) in [burn, split].into_iter().enumerate() {
                if 2.0 * w.1 as f64 > TOO_LONG_FLOP {
                    flagged[i] += 1;
                }
            }
            println!(
                "{b:<6} {:<8} {:>3}→{:<3} {:>2}×{:<2} p{} {:>22} {:>22} {:>28} {:>22} (÷{s})",
                l.model,
                l.c,
                l.o,
                l.h,
                l.h,
                l.p,
                cell(forward),
                input.map(cell).unwrap_or_else(|| "—".into()),
                cell(burn),
                cell(split),
            );
        }
    }
    println!(
        "weight-gradient launches over 1 MFLOP per invocation: Burn {}, split {} (of {})",
        flagged[0],
        flagged[1],
        batches.len() * layers.len()
    );
}
