//! A small byte-level neural predictor (MLP over byte + hashed-context embeddings).
//!
//! Input (all from the bytes before the one being predicted):
//! * embeddings (shared 256 x E table) of each of the last `ctx_bytes` bytes,
//!   one slot per position, so the first layer sees position;
//! * for every order k in `orders`, a hashed embedding (2^hash_bits x E table
//!   per order) of the last k bytes. For UTF-8 CJK text order 3 = previous
//!   character, order 6 = previous two characters.
//!
//! These are concatenated (in_dim = (ctx_bytes + |orders|) * E) -> tanh hidden layer
//! -> 256 logits -> softmax, mixed with a tiny uniform floor so p > 0.
//!
//! Determinism: see `detmath`. Forward uses `axpy` (each output accumulates
//! its inputs in index order), backward uses the fixed-order `dot`; updates are
//! element-wise. No threads, no libm, f32 only. Hence encoder and decoder
//! (native or wasm32) compute bit-identical distributions.

use super::detmath::{axpy, dot, exp2, tanh, SplitMix, LOG2E};

const MAGIC: [u8; 4] = *b"BNN1";
const VERSION: u32 = 2;
const MAX_ORDERS: usize = 8;
/// The file version whose weights are 8-bit, in blocks ([`ByteModel::to_int8_bytes`]).
const VERSION_INT8: u32 = 3;
/// Weights per scale in an 8-bit file.
pub const BLOCK: usize = 16;
/// magic, version, 5 u32 sizes, 8 order slots, 3 f32 rates, u64 param count.
pub const HEADER_LEN: usize = 4 + 4 + 5 * 4 + MAX_ORDERS * 4 + 3 * 4 + 8;
const MAX_PARAMS: u64 = 64 << 20;
/// Probability floor per symbol (keeps -log2 p bounded, ~20 bits max).
const FLOOR: f32 = 1.0e-6;
/// Bytes of history kept (>= every context length we allow).
const HIST: usize = 64;

/// Architecture and online learning rates. Everything that influences the
/// probabilities is stored in the model file, so both coder sides agree.
#[derive(Clone, Debug, PartialEq)]
pub struct NnConfig {
    pub ctx_bytes: u32,
    pub emb_dim: u32,
    pub orders: Vec<u32>,
    pub hash_bits: u32,
    pub hidden: u32,
    /// Online SGD step for the dense layers.
    pub lr: f32,
    /// Online SGD step for embedding rows.
    pub lr_emb: f32,
    /// Young-row step boost: an embedding row updated n times so far moves
    /// with lr_emb * (1 + boost / (1 + n)) (n saturates at 255; a loaded model
    /// starts saturated). Plays the role of CM's adaptive 1/n count rates.
    pub boost: f32,
}

impl Default for NnConfig {
    fn default() -> Self {
        NnConfig {
            ctx_bytes: 8,
            emb_dim: 16,
            orders: vec![2, 3, 4, 6],
            hash_bits: 14,
            hidden: 192,
            lr: 0.015,
            lr_emb: 0.07,
            boost: 50.0,
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum LoadError {
    TooShort,
    BadMagic,
    BadVersion(u32),
    BadConfig(&'static str),
    SizeMismatch { expected: u64, got: u64 },
}

impl NnConfig {
    pub fn in_dim(&self) -> usize {
        (self.ctx_bytes as usize + self.orders.len()) * self.emb_dim as usize
    }

    /// Reject configurations outside sane limits (called before allocating).
    pub fn validate(&self) -> Result<(), LoadError> {
        let bad = |m| Err(LoadError::BadConfig(m));
        if !(1..=HIST as u32).contains(&self.ctx_bytes) {
            return bad("ctx_bytes");
        }
        if !(1..=64).contains(&self.emb_dim) {
            return bad("emb_dim");
        }
        if !(4..=22).contains(&self.hash_bits) {
            return bad("hash_bits");
        }
        if !(1..=2048).contains(&self.hidden) {
            return bad("hidden");
        }
        if self.orders.len() > MAX_ORDERS {
            return bad("orders");
        }
        if self.orders.iter().any(|&o| !(1..=HIST as u32).contains(&o)) {
            return bad("order");
        }
        let rate_ok = |r: f32| r.is_finite() && (0.0..=1.0).contains(&r);
        if !rate_ok(self.lr) || !rate_ok(self.lr_emb) {
            return bad("rate");
        }
        if !(self.boost.is_finite() && (0.0..=1000.0).contains(&self.boost)) {
            return bad("boost");
        }
        if self.param_count() > MAX_PARAMS {
            return bad("too many params");
        }
        Ok(())
    }

    /// Total f32 parameters (u64 arithmetic; fields are bounded by `validate`).
    pub fn param_count(&self) -> u64 {
        let (e, h) = (self.emb_dim as u64, self.hidden as u64);
        let ctx = self.orders.len() as u64 * (1u64 << self.hash_bits.min(40)) * e;
        256 * e + ctx + self.in_dim() as u64 * h + h + h * 256 + 256
    }
}

/// Offsets of each tensor inside the flat parameter vector.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    pub byte_emb: usize,
    pub ctx_emb: usize,
    pub w1: usize, // [in_dim][hidden]
    pub b1: usize,
    pub w2: usize, // [hidden][256]
    pub b2: usize,
    pub total: usize,
}

impl Layout {
    fn new(c: &NnConfig) -> Layout {
        let (e, h) = (c.emb_dim as usize, c.hidden as usize);
        let byte_emb = 0;
        let ctx_emb = byte_emb + 256 * e;
        let w1 = ctx_emb + c.orders.len() * (1usize << c.hash_bits) * e;
        let b1 = w1 + c.in_dim() * h;
        let w2 = b1 + h;
        let b2 = w2 + h * 256;
        Layout {
            byte_emb,
            ctx_emb,
            w1,
            b1,
            w2,
            b2,
            total: b2 + 256,
        }
    }
}

#[derive(Clone)]
pub struct ByteModel {
    cfg: NnConfig,
    pub(crate) lay: Layout,
    /// All parameters, flat, in `Layout` order.
    pub(crate) w: Vec<f32>,
    hist: Vec<u8>,
    // Scratch for the current prediction.
    rows: Vec<usize>, // parameter offset of each input slot's embedding row
    x: Vec<f32>,
    h: Vec<f32>,
    probs: [f32; 256], // exact softmax (used for gradients)
    dist: [f32; 256],  // floored distribution handed to the coder
    dl: [f32; 256],
    dh: Vec<f32>,
    dx: Vec<f32>,
    fresh: bool, // scratch matches `hist`
    /// Extra SGD steps per byte on the previous `replay` positions (runtime
    /// coding parameter, not stored in the file: both sides must agree).
    replay: usize,
    /// Per-embedding-row update counts for `NnConfig::boost` (not stored).
    counts: Vec<u8>,
}

impl ByteModel {
    /// Fresh model with a fixed-seed initialisation. Panics on an invalid config.
    pub fn new(cfg: &NnConfig, seed: u64) -> ByteModel {
        cfg.validate().expect("invalid NnConfig");
        let lay = Layout::new(cfg);
        let mut w = vec![0.0f32; lay.total];
        let mut rng = SplitMix::new(seed);
        // Byte embeddings random; hashed-context rows start at zero (an unseen
        // context contributes nothing); W1 random; W2 = 0 so the first
        // prediction is exactly uniform.
        for v in &mut w[lay.byte_emb..lay.ctx_emb] {
            *v = rng.uniform(0.5);
        }
        let a = (18.0 / cfg.in_dim() as f32).sqrt().min(0.5);
        for v in &mut w[lay.w1..lay.b1] {
            *v = rng.uniform(a);
        }
        Self::with_weights(cfg.clone(), w)
    }

    fn with_weights(cfg: NnConfig, w: Vec<f32>) -> ByteModel {
        let lay = Layout::new(&cfg);
        assert_eq!(w.len(), lay.total);
        let (ind, hid) = (cfg.in_dim(), cfg.hidden as usize);
        ByteModel {
            rows: Vec::with_capacity(cfg.ctx_bytes as usize + cfg.orders.len()),
            x: vec![0.0; ind],
            h: vec![0.0; hid],
            dh: vec![0.0; hid],
            dx: vec![0.0; ind],
            probs: [0.0; 256],
            dist: [0.0; 256],
            dl: [0.0; 256],
            hist: Vec::with_capacity(2 * HIST),
            fresh: false,
            replay: 0,
            counts: vec![
                0;
                lay.ctx_emb / cfg.emb_dim as usize
                    + (lay.w1 - lay.ctx_emb) / cfg.emb_dim as usize
            ],
            cfg,
            lay,
            w,
        }
    }

    pub fn config(&self) -> &NnConfig {
        &self.cfg
    }

    /// Change the online learning rates (e.g. smaller for a pretrained model).
    /// Both coder sides must do the same.
    pub fn set_rates(&mut self, lr: f32, lr_emb: f32, boost: f32) {
        self.cfg.lr = lr;
        self.cfg.lr_emb = lr_emb;
        self.cfg.boost = boost;
    }

    /// Set the number of replayed positions per learned byte (0 = plain online).
    pub fn set_replay(&mut self, n: usize) {
        self.replay = n.min(HIST - 1);
    }

    /// Forget the history (start of a new document); weights are kept.
    pub fn reset_history(&mut self) {
        self.hist.clear();
        self.fresh = false;
    }

    /// The distribution over the next byte (sums to 1 up to f32 rounding;
    /// every entry >= ~1e-6), for the current history.
    pub fn predict(&mut self) -> &[f32; 256] {
        if !self.fresh {
            let hist = std::mem::take(&mut self.hist);
            self.gather(&hist);
            self.hist = hist;
            self.forward();
            self.fresh = true;
        }
        &self.dist
    }

    /// Learn that the next byte was `b` (one SGD step) and append it.
    pub fn learn(&mut self, b: u8) {
        self.predict();
        self.step(b);
        self.observe(b);
        // Replay: re-learn the most recent positions (oldest first), so each
        // byte gets 1 + replay steps overall.
        for k in (2..=self.replay + 1).rev() {
            if self.hist.len() < k {
                continue;
            }
            let hist = std::mem::take(&mut self.hist);
            let end = hist.len() - k;
            self.gather(&hist[..end]);
            self.forward();
            self.hist = hist;
            self.step(self.hist[end]);
        }
        self.fresh = false;
    }

    /// One SGD step towards `b` from the last forward pass.
    fn step(&mut self, b: u8) {
        self.backward_signals(b);
        let (lr, lr_emb) = (self.cfg.lr, self.cfg.lr_emb);
        if lr > 0.0 {
            add_dense(
                &mut self.w,
                0,
                &self.lay,
                &self.x,
                &self.h,
                &self.dl,
                &self.dh,
                -lr,
            );
        }
        self.update_embeddings(lr_emb);
    }

    /// Append `b` to the history without learning (frozen model).
    pub fn observe(&mut self, b: u8) {
        if self.hist.len() == 2 * HIST {
            self.hist.drain(..HIST);
        }
        self.hist.push(b);
        self.fresh = false;
    }

    /// Pretraining step on an explicit context: forward, backward, dense
    /// gradient added into `grad` (which covers params `lay.w1..`), embedding
    /// rows updated in place by SGD with `lr_emb`. Returns p(target).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn train_sample(
        &mut self,
        ctx: &[u8],
        target: u8,
        grad: &mut [f32],
        lr_emb: f32,
    ) -> f32 {
        self.gather(ctx);
        self.forward();
        self.fresh = false;
        let p = self.probs[target as usize];
        self.backward_signals(target);
        add_dense(
            grad,
            self.lay.w1,
            &self.lay,
            &self.x,
            &self.h,
            &self.dl,
            &self.dh,
            1.0,
        );
        self.update_embeddings(lr_emb);
        p
    }

    /// Frozen evaluation on an explicit context: returns the coder's p(target).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn eval_sample(&mut self, ctx: &[u8], target: u8) -> f32 {
        self.gather(ctx);
        self.forward();
        self.fresh = false;
        self.dist[target as usize]
    }

    /// Build the input vector from `ctx` (preceding bytes, most recent last).
    fn gather(&mut self, ctx: &[u8]) {
        let e = self.cfg.emb_dim as usize;
        self.rows.clear();
        for k in 0..self.cfg.ctx_bytes as usize {
            let b = if k < ctx.len() {
                ctx[ctx.len() - 1 - k]
            } else {
                0
            };
            self.rows.push(self.lay.byte_emb + b as usize * e);
        }
        let bits = self.cfg.hash_bits;
        for (slot, &ord) in self.cfg.orders.iter().enumerate() {
            let bucket = hash_context(ctx, ord as usize, slot as u64, bits);
            self.rows
                .push(self.lay.ctx_emb + ((slot << bits) + bucket) * e);
        }
        for (i, &r) in self.rows.iter().enumerate() {
            self.x[i * e..(i + 1) * e].copy_from_slice(&self.w[r..r + e]);
        }
    }

    /// x -> tanh hidden -> logits -> softmax (exact `probs`, floored `dist`).
    fn forward(&mut self) {
        let (hid, lay, w) = (self.h.len(), self.lay, &self.w);
        self.h.copy_from_slice(&w[lay.b1..lay.b1 + hid]);
        for (i, &xi) in self.x.iter().enumerate() {
            let row = lay.w1 + i * hid;
            axpy(&mut self.h, xi, &w[row..row + hid]);
        }
        for v in self.h.iter_mut() {
            *v = tanh(*v);
        }
        let mut logits = [0.0f32; 256];
        logits.copy_from_slice(&w[lay.b2..lay.b2 + 256]);
        for (j, &hj) in self.h.iter().enumerate() {
            let row = lay.w2 + j * 256;
            axpy(&mut logits, hj, &w[row..row + 256]);
        }
        softmax(&logits, &mut self.probs);
        let keep = 1.0 - 256.0 * FLOOR;
        for (d, &p) in self.dist.iter_mut().zip(&self.probs) {
            *d = p * keep + FLOOR;
        }
    }

    /// Cross-entropy gradients: dl = p - onehot, dh = dpre (through tanh), dx.
    fn backward_signals(&mut self, target: u8) {
        let (hid, lay, w) = (self.h.len(), self.lay, &self.w);
        self.dl.copy_from_slice(&self.probs);
        self.dl[target as usize] -= 1.0;
        for j in 0..hid {
            let row = lay.w2 + j * 256;
            let g = dot(&w[row..row + 256], &self.dl);
            self.dh[j] = g * (1.0 - self.h[j] * self.h[j]);
        }
        for i in 0..self.x.len() {
            let row = lay.w1 + i * hid;
            self.dx[i] = dot(&w[row..row + hid], &self.dh);
        }
    }

    /// SGD on the embedding rows used by this sample, in slot order (a row
    /// used by two slots is updated twice, deterministically).
    fn update_embeddings(&mut self, lr: f32) {
        if lr <= 0.0 {
            return;
        }
        let e = self.cfg.emb_dim as usize;
        for (i, &r) in self.rows.iter().enumerate() {
            let n = &mut self.counts[r / e];
            let step = lr * (1.0 + self.cfg.boost / (1.0 + *n as f32));
            *n = n.saturating_add(1);
            axpy(&mut self.w[r..r + e], -step, &self.dx[i * e..(i + 1) * e]);
        }
    }
}

/// buf[p - base] += coef * dLoss/dp for every dense parameter p (W1, b1, W2, b2).
/// With buf = weights, base = 0, coef = -lr this is an SGD step; with a
/// gradient buffer and coef = 1 it accumulates a minibatch gradient.
#[allow(clippy::too_many_arguments)]
fn add_dense(
    buf: &mut [f32],
    base: usize,
    lay: &Layout,
    x: &[f32],
    h: &[f32],
    dl: &[f32; 256],
    dpre: &[f32],
    coef: f32,
) {
    let hid = h.len();
    for (j, &hj) in h.iter().enumerate() {
        let row = lay.w2 + j * 256 - base;
        axpy(&mut buf[row..row + 256], coef * hj, dl);
    }
    axpy(&mut buf[lay.b2 - base..lay.b2 - base + 256], coef, dl);
    for (i, &xi) in x.iter().enumerate() {
        if xi == 0.0 {
            continue; // exact: adding 0 * d changes nothing (d finite)
        }
        let row = lay.w1 + i * hid - base;
        axpy(&mut buf[row..row + hid], coef * xi, dpre);
    }
    axpy(&mut buf[lay.b1 - base..lay.b1 - base + hid], coef, dpre);
}

/// Bucket of the order-`ord` context (last `ord` bytes; missing bytes at the
/// start of a text hash as a distinct "none" value). Integer ops only.
fn hash_context(ctx: &[u8], ord: usize, slot: u64, bits: u32) -> usize {
    let mut h = (slot + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ ord as u64;
    for j in 0..ord {
        let b = if j < ctx.len() {
            ctx[ctx.len() - 1 - j] as u64 + 1
        } else {
            0
        };
        h = (h ^ b).wrapping_mul(0xD6E8_FEB8_6659_FD93);
        h ^= h >> 32;
    }
    (h.wrapping_mul(0x2545_F491_4F6C_DD1D) >> (64 - bits)) as usize
}

/// Softmax with the deterministic exp2; sums in index order.
fn softmax(logits: &[f32; 256], out: &mut [f32; 256]) {
    let mut m = logits[0];
    for &l in logits.iter() {
        if l > m {
            m = l;
        }
    }
    let mut sum = 0.0f32;
    for (o, &l) in out.iter_mut().zip(logits) {
        *o = exp2((l - m) * LOG2E);
        sum += *o;
    }
    let inv = 1.0 / sum;
    for o in out.iter_mut() {
        *o *= inv;
    }
}

/// P(next bit = 1) given the byte distribution and the bits of the current
/// byte seen so far, MSB first, as a 1-prefixed integer (1 = nothing seen,
/// 0b1xyz = bits x,y,z seen). Sums the two halves of the subtree in index
/// order; result clamped to [1e-6, 1 - 1e-6].
pub fn bit_probability(dist: &[f32; 256], partial: u32) -> f32 {
    assert!((1..=255).contains(&partial), "partial must be 1..=255");
    let depth = 31 - partial.leading_zeros(); // bits already known
    let width = 1usize << (8 - depth); // bytes in this subtree
    let lo = ((partial as usize) ^ (1 << depth)) * width;
    let half = width / 2;
    let s0: f32 = dist[lo..lo + half].iter().fold(0.0, |a, &p| a + p);
    let s1: f32 = dist[lo + half..lo + width].iter().fold(0.0, |a, &p| a + p);
    let p1 = s1 / (s0 + s1);
    p1.clamp(1.0e-6, 1.0 - 1.0e-6)
}

// ---------------------------------------------------------------------------
// Serialisation: header (little-endian) then all parameters as LE f32.

impl ByteModel {
    /// Header + weights. History and scratch are not saved.
    pub fn to_bytes(&self) -> Vec<u8> {
        let c = &self.cfg;
        let mut out = Vec::with_capacity(HEADER_LEN + 4 * self.w.len());
        out.extend_from_slice(&MAGIC);
        for v in [
            VERSION,
            c.ctx_bytes,
            c.emb_dim,
            c.hash_bits,
            c.hidden,
            c.orders.len() as u32,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for k in 0..MAX_ORDERS {
            out.extend_from_slice(&c.orders.get(k).copied().unwrap_or(0).to_le_bytes());
        }
        out.extend_from_slice(&c.lr.to_bits().to_le_bytes());
        out.extend_from_slice(&c.lr_emb.to_bits().to_le_bytes());
        out.extend_from_slice(&c.boost.to_bits().to_le_bytes());
        out.extend_from_slice(&(self.w.len() as u64).to_le_bytes());
        debug_assert_eq!(out.len(), HEADER_LEN);
        for v in &self.w {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// The model as the site ships it: the same header (version 3), then the
    /// weights in blocks of [`BLOCK`], each an f32 scale and [`BLOCK`] signed
    /// bytes (`w = q · scale`, `scale = max|w| / 127` over the block): about a
    /// quarter of the f32 file. Loading gives back exactly those products.
    pub fn to_int8_bytes(&self) -> Vec<u8> {
        let mut out = self.to_bytes();
        out.truncate(HEADER_LEN);
        out[4..8].copy_from_slice(&VERSION_INT8.to_le_bytes());
        for block in self.w.chunks(BLOCK) {
            let max = block.iter().fold(0.0f32, |a, &v| a.max(v.abs()));
            let scale = max / 127.0;
            out.extend_from_slice(&scale.to_le_bytes());
            for &v in block {
                let q = if scale > 0.0 {
                    (v / scale).round().clamp(-127.0, 127.0)
                } else {
                    0.0
                };
                out.push(q as i8 as u8);
            }
        }
        out
    }

    /// Parse and validate the header, check the exact file size, and only
    /// then allocate the weights.
    pub fn from_bytes(b: &[u8]) -> Result<ByteModel, LoadError> {
        if b.len() < HEADER_LEN {
            return Err(LoadError::TooShort);
        }
        if b[..4] != MAGIC {
            return Err(LoadError::BadMagic);
        }
        let u = |i: usize| u32::from_le_bytes(b[4 + 4 * i..8 + 4 * i].try_into().unwrap());
        if u(0) != VERSION && u(0) != VERSION_INT8 {
            return Err(LoadError::BadVersion(u(0)));
        }
        let n_orders = u(5) as usize;
        if n_orders > MAX_ORDERS {
            return Err(LoadError::BadConfig("orders"));
        }
        let cfg = NnConfig {
            ctx_bytes: u(1),
            emb_dim: u(2),
            hash_bits: u(3),
            hidden: u(4),
            orders: (0..n_orders).map(|k| u(6 + k)).collect(),
            lr: f32::from_bits(u(6 + MAX_ORDERS)),
            lr_emb: f32::from_bits(u(7 + MAX_ORDERS)),
            boost: f32::from_bits(u(8 + MAX_ORDERS)),
        };
        cfg.validate()?;
        let stated = u64::from_le_bytes(b[HEADER_LEN - 8..HEADER_LEN].try_into().unwrap());
        let expected = cfg.param_count();
        if stated != expected {
            return Err(LoadError::SizeMismatch {
                expected,
                got: stated,
            });
        }
        let body = (b.len() - HEADER_LEN) as u64;
        let int8 = u(0) == VERSION_INT8;
        let want = if int8 {
            expected + 4 * expected.div_ceil(BLOCK as u64)
        } else {
            4 * expected
        };
        if body != want {
            return Err(LoadError::SizeMismatch {
                expected: want,
                got: body,
            });
        }
        let w: Vec<f32> = if int8 {
            b[HEADER_LEN..]
                .chunks(4 + BLOCK)
                .flat_map(|c| {
                    let scale = f32::from_le_bytes(c[..4].try_into().unwrap());
                    c[4..].iter().map(move |&q| f32::from(q as i8) * scale)
                })
                .collect()
        } else {
            b[HEADER_LEN..]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                .collect()
        };
        if w.iter().any(|v| !v.is_finite()) {
            return Err(LoadError::BadConfig("non-finite weight"));
        }
        let mut m = ByteModel::with_weights(cfg, w);
        m.counts.fill(u8::MAX);
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> NnConfig {
        NnConfig {
            hash_bits: 8,
            hidden: 24,
            ..NnConfig::default()
        }
    }

    /// Online-code `data`; returns (ideal bits, hash of every distribution's bits).
    fn run(m: &mut ByteModel, data: &[u8]) -> (f64, u64) {
        let (mut bits, mut hsh) = (0.0f64, 0xcbf2_9ce4_8422_2325u64);
        for &b in data {
            let d = m.predict();
            bits -= (d[b as usize] as f64).log2();
            for p in d.iter() {
                hsh = (hsh ^ p.to_bits() as u64).wrapping_mul(0x100_0000_01b3);
            }
            m.learn(b);
        }
        (bits, hsh)
    }

    const TEXT: &[u8] = "the quick brown fox jumps over the lazy dog. 模型是数据的压缩程序。 the quick brown fox again.".as_bytes();

    #[test]
    fn deterministic_and_learns() {
        let (b1, h1) = run(&mut ByteModel::new(&small(), 7), TEXT);
        let (b2, h2) = run(&mut ByteModel::new(&small(), 7), TEXT);
        assert_eq!(h1, h2);
        assert_eq!(b1.to_bits(), b2.to_bits());
        assert!(
            b1 < 8.0 * TEXT.len() as f64,
            "should beat 8 bits/byte: {b1}"
        );
        let (_, h3) = run(&mut ByteModel::new(&small(), 8), TEXT);
        assert_ne!(h1, h3);
    }

    #[test]
    fn distribution_sums_to_one() {
        let mut m = ByteModel::new(&small(), 1);
        run(&mut m, TEXT);
        let s: f32 = m.predict().iter().sum();
        assert!((s - 1.0).abs() < 1e-4, "{s}");
        assert!(m.predict().iter().all(|&p| p >= FLOOR));
    }

    #[test]
    fn save_load_round_trip() {
        let mut m = ByteModel::new(&small(), 3);
        run(&mut m, TEXT);
        let bytes = m.to_bytes();
        assert_eq!(bytes.len(), HEADER_LEN + 4 * small().param_count() as usize);
        let mut m2 = ByteModel::from_bytes(&bytes).unwrap();
        assert_eq!(m2.config(), m.config());
        assert_eq!(m2.to_bytes(), bytes);
        // Same weights -> same predictions.
        m.reset_history();
        assert_eq!(m.predict(), m2.predict());
        // Two decoders loading the same file stay in lockstep while learning.
        let mut m3 = ByteModel::from_bytes(&bytes).unwrap();
        assert_eq!(run(&mut m2, TEXT).1, run(&mut m3, TEXT).1);
    }

    #[test]
    fn rejects_bad_headers() {
        let good = ByteModel::new(&small(), 3).to_bytes();
        assert_eq!(
            ByteModel::from_bytes(&good[..10]).err(),
            Some(LoadError::TooShort)
        );
        let mut b = good.clone();
        b[0] = b'X';
        assert_eq!(ByteModel::from_bytes(&b).err(), Some(LoadError::BadMagic));
        let mut b = good.clone();
        b[4] = 9;
        assert!(matches!(
            ByteModel::from_bytes(&b),
            Err(LoadError::BadVersion(_))
        ));
        // Huge hidden size must be rejected from the header alone.
        let mut b = good[..HEADER_LEN].to_vec();
        b[20..24].copy_from_slice(&1_000_000u32.to_le_bytes());
        assert!(matches!(
            ByteModel::from_bytes(&b),
            Err(LoadError::BadConfig(_))
        ));
        // larger hash_bits but body missing -> size mismatch, no allocation.
        let mut b = good[..HEADER_LEN].to_vec();
        b[16..20].copy_from_slice(&16u32.to_le_bytes());
        assert!(matches!(
            ByteModel::from_bytes(&b),
            Err(LoadError::SizeMismatch { .. })
        ));
        // Truncated body.
        assert!(matches!(
            ByteModel::from_bytes(&good[..good.len() - 4]),
            Err(LoadError::SizeMismatch { .. })
        ));
        // NaN rate.
        let mut b = good.clone();
        b[HEADER_LEN - 20..HEADER_LEN - 16].copy_from_slice(&f32::NAN.to_bits().to_le_bytes());
        assert!(matches!(
            ByteModel::from_bytes(&b),
            Err(LoadError::BadConfig(_))
        ));
    }

    #[test]
    fn bit_probability_matches_subtrees() {
        let mut d = [0.0f32; 256];
        for (i, p) in d.iter_mut().enumerate() {
            *p = (i + 1) as f32;
        }
        let tot: f32 = d.iter().sum();
        for p in d.iter_mut() {
            *p /= tot;
        }
        let upper: f32 = d[128..].iter().sum();
        assert!((bit_probability(&d, 1) - upper).abs() < 1e-5);
        // After bits "1","0": subtree 128..192, halves 128..160 / 160..192.
        let (a, b): (f32, f32) = (d[128..160].iter().sum(), d[160..192].iter().sum());
        assert!((bit_probability(&d, 0b110) - b / (a + b)).abs() < 1e-5);
        // Last bit of byte 0x41: partial = 0x100|0x40 >> 1 = 1_0100000.
        let p = bit_probability(&d, 0b1010_0000);
        assert!((p - d[0x41] / (d[0x40] + d[0x41])).abs() < 1e-5);
    }

    #[test]
    fn an_eight_bit_file_loads_back_within_half_a_step_and_is_a_quarter_the_size() {
        let m = ByteModel::new(&small(), 9);
        let (f32_file, int8) = (m.to_bytes(), m.to_int8_bytes());
        assert!(
            int8.len() * 3 < f32_file.len(),
            "{} vs {}",
            int8.len(),
            f32_file.len()
        );
        let back = ByteModel::from_bytes(&int8).unwrap();
        for (block, got) in m.w.chunks(BLOCK).zip(back.w.chunks(BLOCK)) {
            let step = block.iter().fold(0.0f32, |a, &v| a.max(v.abs())) / 127.0;
            for (a, b) in block.iter().zip(got) {
                assert!((a - b).abs() <= step / 2.0 + 1e-7, "{a} vs {b}");
            }
        }
        // Loading is exact: the file of the loaded model is the same file.
        assert_eq!(back.to_int8_bytes(), int8);
        // A truncated or padded 8-bit file is refused before its weights are read.
        assert!(matches!(
            ByteModel::from_bytes(&int8[..int8.len() - 1]),
            Err(LoadError::SizeMismatch { .. })
        ));
        let mut longer = int8.clone();
        longer.push(0);
        assert!(matches!(
            ByteModel::from_bytes(&longer),
            Err(LoadError::SizeMismatch { .. })
        ));
        // A scale that is not a finite number is refused.
        let mut nan = int8.clone();
        nan[HEADER_LEN..HEADER_LEN + 4].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(ByteModel::from_bytes(&nan).is_err());
    }
}
