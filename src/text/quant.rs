//! Simulated weight quantisation (to estimate what a 16-/8-bit model file
//! would cost in prediction quality). The result is still an f32 model whose
//! weights are exactly representable in the smaller format, so decoding it
//! from the small file would reproduce these f32 values bit for bit.

use super::nn::ByteModel;

/// Round to bfloat16 (keep 8 exponent + 7 mantissa bits, round to nearest even).
fn to_bf16(x: f32) -> f32 {
    let b = x.to_bits();
    let r = b.wrapping_add(0x7FFF + ((b >> 16) & 1));
    f32::from_bits(r & 0xFFFF_0000)
}

/// Symmetric linear 8-bit per row: q = round(w / s), s = max|w| / 127
/// (the scale itself would be stored as f32 per row).
fn int8_row(row: &mut [f32]) {
    let m = row.iter().fold(0.0f32, |a, &v| a.max(v.abs()));
    if m == 0.0 {
        return;
    }
    let s = m / 127.0;
    for v in row.iter_mut() {
        let q = (*v / s).round().clamp(-127.0, 127.0);
        *v = q * s;
    }
}

/// Quantise every weight of `m` in place. `bits` = 16 (bf16) or 8 (int8, rows
/// of `row_len` = the embedding / hidden / output widths).
pub fn quantize(m: &mut ByteModel, bits: u32) {
    let (lay, c) = (m.lay, m.config().clone());
    let w = &mut m.w;
    if bits == 16 {
        w.iter_mut().for_each(|v| *v = to_bf16(*v));
        return;
    }
    let e = c.emb_dim as usize;
    let h = c.hidden as usize;
    w[lay.byte_emb..lay.w1].chunks_mut(e).for_each(int8_row);
    w[lay.w1..lay.b1].chunks_mut(h).for_each(int8_row);
    int8_row(&mut w[lay.b1..lay.w2]);
    w[lay.w2..lay.b2].chunks_mut(256).for_each(int8_row);
    int8_row(&mut w[lay.b2..lay.total]);
}
