//! A small lossless context-mixing (CM) text compressor.
//!
//! "A model is a compressor": a model that assigns probability `p` to what
//! actually comes next can be turned into a code of `-log2 p` bits by an
//! arithmetic coder. This module is such a model plus such a coder.
//!
//! The design follows Matt Mahoney's **lpaq1** (2007) and the **paq8** family:
//!
//! * Every byte is coded as 8 binary decisions, most significant bit first.
//!   The bits already seen in the current byte form the partial byte `c0`
//!   (with a leading 1, so `c0` runs 1..=255).
//! * Several *context models* (order 1..6, two word/token models) look up a
//!   hashed slot for their context and keep a one-byte *bit history* there
//!   (an `(n0, n1)` count pair). An adaptive [`StateMap`] turns each history
//!   into a probability (lpaq1's "indirect" modelling).
//! * Order-0 and order-1 contexts are modelled directly (no hashing).
//! * A *match model* finds the previous occurrence of the current context
//!   and predicts the bit that followed it, more confidently for long matches.
//! * A two-layer *logistic mixer* combines all predictions in the "stretch"
//!   domain `ln(p/(1-p))`; weights are trained online to minimise code length.
//! * Two *APM/SSE* stages refine the mixed probability using order-0 and
//!   order-1 contexts.
//! * A carry-less 32-bit binary arithmetic coder (lpaq1's) writes the bits.
//!
//! Everything that influences coding is integer arithmetic (tables are built
//! with integers only), so encoder and decoder agree bit-for-bit on every
//! platform (x86_64, wasm32, ...). Probabilities are 12-bit: `p()` returns
//! `1..=4095` meaning `p/4096` that the next bit is 1.
//!
//! No `unsafe`, no global state, no threads.

use std::fmt;

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// Model size. Memory is about `8 * 2^table_bits + 2 * 2^match_bits + 4.6 MiB`
/// (≈ 45 MiB at the default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// log2 of the bytes in each of the 8 hashed context tables (22 => 4 MiB).
    pub table_bits: u32,
    /// log2 of the match model's history buffer (22 => 4 MiB of history).
    pub match_bits: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            table_bits: 22,
            match_bits: 22,
        }
    }
}

/// Error returned by [`decompress`] when the code stream is inconsistent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The decoder needed more (or fewer) code bytes than were given:
    /// the input is truncated, padded, corrupted, or `len` is wrong.
    LengthMismatch { expected: usize, consumed: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::LengthMismatch { expected, consumed } => write!(
                f,
                "corrupt code: decoder consumed {consumed} bytes, stream has {expected}"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

// ---------------------------------------------------------------------------
// Logistic helpers: squash / stretch (lpaq1)
// ---------------------------------------------------------------------------

/// 33 samples of 4096/(1+exp(-x)) at x = -8, -7.5, ... 8 (lpaq1's table).
const SQUASH_T: [i32; 33] = [
    1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348,
    3607, 3785, 3901, 3975, 4022, 4050, 4068, 4079, 4085, 4089, 4092, 4093, 4094,
];

/// `squash(d) = 4096 / (1 + e^(-d/256))`, by linear interpolation in
/// [`SQUASH_T`]. Input is a stretch value scaled by 256 (±2047 ≈ ±8.0),
/// output a 12-bit probability. Pure integer, as in lpaq1.
pub fn squash(d: i32) -> i32 {
    if d > 2047 {
        return 4095;
    }
    if d < -2047 {
        return 1;
    }
    let w = d & 127;
    let i = ((d >> 7) + 16) as usize;
    (SQUASH_T[i] * (128 - w) + SQUASH_T[i + 1] * w + 64) >> 7
}

/// Table of `stretch(p) = ln(p/(1-p))`, the inverse of [`squash`], built by
/// scanning squash (lpaq1), so `squash(stretch(p)) ≈ p` exactly in integers.
fn build_stretch() -> Vec<i16> {
    let mut t = vec![0i16; 4096];
    let mut pi = 0usize;
    for x in -2047..=2047 {
        let v = squash(x) as usize;
        for e in &mut t[pi..=v] {
            *e = x as i16;
        }
        pi = v + 1;
    }
    for e in t.iter_mut().skip(pi) {
        *e = 2047;
    }
    t
}

// ---------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------

/// Mix two 32-bit words into a well-scrambled 32-bit hash (wrapping integer
/// arithmetic only, so it is identical on every platform).
fn hash2(a: u32, b: u32) -> u32 {
    let mut h = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_add(0x7F4A_7C15).wrapping_mul(0x85EB_CA6B);
    h ^= h >> 15;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 13)
}

/// Hash of the last `k` bytes of history (k <= 8), tagged by `k`.
fn hash_order(hist: u64, k: u32) -> u32 {
    let x = if k >= 8 {
        hist
    } else {
        hist & ((1u64 << (8 * k)) - 1)
    };
    hash2(hash2(x as u32, (x >> 32) as u32), k)
}

// ---------------------------------------------------------------------------
// Bit-history states
// ---------------------------------------------------------------------------

/// Largest count kept in a bit history.
const STATE_LIMIT: u32 = 28;

/// Bit-history state machine, in the spirit of paq8's `nex()` table but
/// generated by a simple rule: a state is a pair of counts `(n0, n1)`; on
/// bit `y`, `n_y` is incremented (up to [`STATE_LIMIT`]) and the opposite
/// count, if larger than 3, is discounted to `(n+1)/2 + 1` — recent bits
/// matter more (non-stationary modelling). The reachable pairs (249 of them)
/// are numbered in order of total count, so state 0 = "never seen" and a
/// larger state number means more experience (used as replacement priority).
#[derive(Clone)]
struct StateTable {
    next: Vec<[u8; 2]>,
    counts: Vec<(u8, u8)>,
}

impl StateTable {
    fn step(s: (u32, u32), y: u32) -> (u32, u32) {
        let disc = |n: u32| if n > 3 { n.div_ceil(2) + 1 } else { n };
        if y == 1 {
            (disc(s.0), (s.1 + 1).min(STATE_LIMIT))
        } else {
            ((s.0 + 1).min(STATE_LIMIT), disc(s.1))
        }
    }

    fn new() -> StateTable {
        // Breadth-first enumeration of reachable count pairs.
        let mut all = vec![(0u32, 0u32)];
        let mut k = 0;
        while k < all.len() {
            for y in 0..2 {
                let n = Self::step(all[k], y);
                if !all.contains(&n) {
                    all.push(n);
                }
            }
            k += 1;
        }
        all.sort_by_key(|&(a, b)| (a + b, a));
        assert!(all.len() <= 256);
        let index = |s: (u32, u32)| all.iter().position(|&t| t == s).unwrap() as u8;
        let next = all
            .iter()
            .map(|&s| [index(Self::step(s, 0)), index(Self::step(s, 1))])
            .collect();
        let counts = all.iter().map(|&(a, b)| (a as u8, b as u8)).collect();
        StateTable { next, counts }
    }

    /// A second mixer input: a signed confidence for "deterministic" histories
    /// (only zeros or only ones seen so far); 0 otherwise.
    fn confidence(&self, s: u8) -> i32 {
        let (n0, n1) = self.counts[s as usize];
        match (n0, n1) {
            (0, 0) => 0,
            (0, n) => (n as i32 * 48).min(1024),
            (n, 0) => -(n as i32 * 48).min(1024),
            _ => 0,
        }
    }
}

// ---------------------------------------------------------------------------
// StateMap: context -> adaptive probability (lpaq1)
// ---------------------------------------------------------------------------

/// Maps a context (here usually a bit-history state) to a probability that is
/// learned online. Each entry packs a 22-bit probability and a 10-bit count;
/// the update moves `p` towards the observed bit by `1/(n+1.5)`, so a new
/// entry learns fast and an old one averages (lpaq1 `StateMap`).
#[derive(Clone)]
struct StateMap {
    t: Vec<u32>,
    limit: u32,
}

/// Reciprocal table: `DT[n] = 65536 / (n + 1.5)`, built at compile time.
const DT: [i32; 1024] = {
    let mut t = [0i32; 1024];
    let mut n = 0;
    while n < 1024 {
        t[n] = 131072 / (2 * n as i32 + 3);
        n += 1;
    }
    t
};

impl StateMap {
    fn new(n: usize, limit: u32) -> StateMap {
        StateMap {
            t: vec![1u32 << 31; n],
            limit,
        }
    }

    /// Initialise entry `i` to probability `p12/4096`.
    fn set(&mut self, i: usize, p12: u32) {
        self.t[i] = (p12.clamp(1, 4095)) << 20;
    }

    /// 12-bit probability of a 1 in context `cx`.
    #[inline]
    fn p(&self, cx: usize) -> u32 {
        (self.t[cx] >> 20).clamp(1, 4095)
    }

    fn update(&mut self, cx: usize, y: u32) {
        let v = self.t[cx];
        let n = v & 1023;
        let p = (v >> 10) as i64;
        let target = (y as i64) << 22;
        let np = (p + (((target - p) * DT[n as usize] as i64) >> 16)).clamp(0, (1 << 22) - 1);
        let nn = if n < self.limit { n + 1 } else { self.limit };
        self.t[cx] = ((np as u32) << 10) | nn;
    }
}

// ---------------------------------------------------------------------------
// Hashed table of bit histories (lpaq1 HashTable<16>)
// ---------------------------------------------------------------------------

/// A table of 16-byte buckets. A bucket belongs to one (context, nibble):
/// byte 0 is an 8-bit checksum of the context hash, bytes 1..=15 are the bit
/// histories of the 15 nodes of the nibble's binary tree (1 + 2 + 4 + 8).
/// A lookup probes 3 neighbouring buckets; on a miss the one whose first
/// history has the least experience is cleared and reused.
#[derive(Clone)]
struct HashTable {
    t: Vec<u8>,
    mask: usize,
}

impl HashTable {
    fn new(bits: u32) -> HashTable {
        let n = 1usize << bits;
        HashTable {
            t: vec![0; n],
            mask: n / 16 - 1,
        }
    }

    /// Read-only lookup: byte offset of the bucket for hash `h`, if present.
    fn find(&self, h: u32) -> Option<usize> {
        let chk = (h >> 24) as u8;
        let b = h as usize & self.mask;
        (0..3).map(|k| (b ^ k) * 16).find(|&i| self.t[i] == chk)
    }

    /// Lookup that creates (replacing the least-used candidate) on a miss.
    fn get(&mut self, h: u32) -> usize {
        if let Some(i) = self.find(h) {
            return i;
        }
        let b = h as usize & self.mask;
        let i = (0..3)
            .map(|k| (b ^ k) * 16)
            .min_by_key(|&i| self.t[i + 1])
            .unwrap_or(0);
        self.t[i..i + 16].fill(0);
        self.t[i] = (h >> 24) as u8;
        i
    }
}

// ---------------------------------------------------------------------------
// Match model (lpaq1 MatchModel)
// ---------------------------------------------------------------------------

/// Minimum match length (bytes) used to find a match via the hash table.
const MINLEN: u32 = 6;

/// Remembers the history; when the last `MINLEN` bytes occurred before, it
/// points `ptr` just after that occurrence and predicts that the next byte
/// will be the same as the byte that followed then. `len` is the current
/// match length and sets the confidence.
#[derive(Clone)]
struct MatchModel {
    buf: Vec<u8>,
    ht: Vec<u32>,
    pos: u32,
    ptr: u32,
    len: u32,
}

impl MatchModel {
    fn new(bits: u32) -> MatchModel {
        MatchModel {
            buf: vec![0; 1 << bits],
            ht: vec![0; 1 << (bits - 2)],
            pos: 0,
            ptr: 0,
            len: 0,
        }
    }

    fn at(&self, i: u32) -> u8 {
        self.buf[i as usize & (self.buf.len() - 1)]
    }

    /// Append byte `c` (history `hist` already includes it).
    fn update(&mut self, c: u8, hist: u64) {
        let size = self.buf.len() as u32;
        let bl = self.buf.len() - 1;
        self.buf[self.pos as usize & bl] = c;
        if self.len > 0 && self.at(self.ptr) == c {
            self.len = (self.len + 1).min(65535);
            self.ptr = self.ptr.wrapping_add(1);
        } else {
            self.len = 0;
        }
        self.pos = self.pos.wrapping_add(1);
        let h = hash_order(hist, MINLEN) as usize & (self.ht.len() - 1);
        if self.len == 0 && self.pos >= MINLEN {
            let cand = self.ht[h];
            if cand > 0 && self.pos - cand < size - 64 {
                let mut l = 0;
                while l < 64 && l < cand && self.at(cand - 1 - l) == self.at(self.pos - 1 - l) {
                    l += 1;
                }
                if l >= MINLEN {
                    self.len = l;
                    self.ptr = cand;
                }
            }
        }
        self.ht[h] = self.pos;
    }

    /// The predicted next byte, if there is a match.
    fn expected(&self) -> Option<u8> {
        (self.len > 0).then(|| self.at(self.ptr))
    }

    /// Match length quantised to 0..=23.
    fn len_q(&self) -> u32 {
        if self.len < 16 {
            self.len
        } else {
            (12 + (31 - self.len.leading_zeros())).min(23)
        }
    }
}

// ---------------------------------------------------------------------------
// Word / token model state
// ---------------------------------------------------------------------------

/// Tokeniser state for the word models. ASCII letters/digits form words
/// (case-folded); every multi-byte UTF-8 character (e.g. a Chinese character)
/// is its own token; anything else ends the current token.
#[derive(Clone, Default)]
struct WordState {
    cur: u32,
    prev: u32,
    prev2: u32,
    in_cjk: bool,
}

impl WordState {
    fn push(&mut self) {
        if self.cur != 0 {
            self.prev2 = self.prev;
            self.prev = self.cur;
            self.cur = 0;
        }
    }

    fn update(&mut self, c: u8) {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {
                if self.in_cjk {
                    self.push();
                    self.in_cjk = false;
                }
                self.cur = hash2(self.cur, c.to_ascii_lowercase() as u32);
            }
            0xC0..=0xFF => {
                self.push();
                self.in_cjk = true;
                self.cur = hash2(0x1234_5678, c as u32);
            }
            0x80..=0xBF => self.cur = hash2(self.cur, c as u32),
            _ => {
                self.push();
                self.in_cjk = false;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Logistic mixer (paq8 / lpaq1 Mixer)
// ---------------------------------------------------------------------------

/// A bank of weight vectors; `set` selects which vector is used for the
/// current bit (the "mixer context"). The output is `squash(Σ w_i x_i)`,
/// i.e. a logistic regression over stretched probabilities, trained online
/// by gradient descent on coding cost: `w_i += lr * x_i * (y - p)`.
/// Weights are 16.16 fixed point.
#[derive(Clone)]
struct Mixer {
    w: Vec<i32>,
    n: usize,
    /// Per-set training count: young sets learn faster.
    count: Vec<u32>,
}

impl Mixer {
    fn new(n: usize, sets: usize, init: i32) -> Mixer {
        Mixer {
            w: vec![init; n * sets],
            n,
            count: vec![0; sets],
        }
    }

    /// Dot product in the stretch domain, clamped to ±2047.
    fn dot(&self, x: &[i32], set: usize) -> i32 {
        let w = &self.w[set * self.n..(set + 1) * self.n];
        let s: i64 = x.iter().zip(w).map(|(&a, &b)| a as i64 * b as i64).sum();
        (s >> 16).clamp(-2047, 2047) as i32
    }

    /// `err` = y<<12 - p; the learning rate decays from `lr + boost` to `lr`
    /// as the set gets trained (fast start on small inputs, stable later).
    fn train(&mut self, x: &[i32], set: usize, err: i32, lr: i32, boost: i32) {
        let n = self.count[set];
        self.count[set] = (n + 1).min(4095 << 6);
        let err = err * (lr + ((boost * DECAY[(n >> 6) as usize]) >> 16));
        let w = &mut self.w[set * self.n..(set + 1) * self.n];
        for (wi, &xi) in w.iter_mut().zip(x) {
            *wi = (*wi + ((xi * err + 0x8000) >> 16)).clamp(-(1 << 22), 1 << 22);
        }
    }
}

/// `DECAY[i] = 65536 * 1024 / (1024 + 64 i)`: learning-rate boost factor
/// after `64 i` training steps of a weight set.
const DECAY: [i32; 4096] = {
    let mut t = [0i32; 4096];
    let mut i = 0;
    while i < 4096 {
        t[i] = ((65536i64 * 1024) / (1024 + 64 * i as i64)) as i32;
        i += 1;
    }
    t
};

// ---------------------------------------------------------------------------
// APM / SSE (lpaq1 APM)
// ---------------------------------------------------------------------------

/// Adaptive probability map (secondary symbol estimation): refines a
/// probability given a context. For each context it holds a piecewise-linear
/// function of stretch(p) with 33 knots, initialised to the identity and
/// trained towards the observed bits.
#[derive(Clone)]
struct Apm {
    t: Vec<u16>,
    rate: u32,
}

impl Apm {
    fn new(n: usize, rate: u32) -> Apm {
        let mut t = vec![0u16; n * 33];
        for (i, e) in t.iter_mut().enumerate() {
            *e = (squash(((i % 33) as i32 - 16) * 128) * 16) as u16;
        }
        Apm { t, rate }
    }

    /// Returns (refined 12-bit p, index of the knot to train).
    fn pp(&self, st: i32, cx: usize) -> (u32, usize) {
        let v = (st.clamp(-2047, 2047) + 2048) * 32;
        let (lo, w) = ((v >> 12) as usize, v & 4095);
        let i = cx * 33 + lo;
        let p = (self.t[i] as i32 * (4096 - w) + self.t[i + 1] as i32 * w) >> 16;
        (p.clamp(1, 4095) as u32, i + (w >> 11) as usize)
    }

    fn update(&mut self, i: usize, y: u32) {
        let g = ((y << 16) + (y << self.rate) - y - y) as i32;
        let t = self.t[i] as i32;
        self.t[i] = (t + ((g - t) >> self.rate)) as u16;
    }
}

// ---------------------------------------------------------------------------
// The predictor
// ---------------------------------------------------------------------------

/// Number of hashed context models: orders 1-6, two word models.
const NM: usize = 8;
/// Mixer inputs: 2 per hashed model, order-0, order-1, 2 match, bias, extra.
const NI: usize = 2 * NM + 6;
/// Index of the external ("extra") input.
const X_EXTRA: usize = NI - 1;
/// Number of first-layer weight sets selected by different contexts.
const NS: usize = 4;
/// Sizes of the first-layer selector ranges.
const SET_SIZES: [usize; NS] = [256, 8 * 50, 256, 8 * (NM + 1)];
/// Marker for "no slot".
const NONE: usize = usize::MAX;

/// Tunable constants (learning rates, limits).
/// Mixer learning rates: layer 1 base and initial boost, layer 2 likewise.
const LR1: i32 = 16;
const LB1: i32 = 160;
const LR2: i32 = 6;
const LB2: i32 = 30;
/// Initial first-layer weight (16.16 fixed point, ≈ 0.12).
const W0: i32 = 8000;
/// Count limit of the bit-history StateMaps.
const SM_LIMIT: u32 = 1023;

/// Everything computed for one bit prediction; kept so that `update` can
/// train exactly what was used.
#[derive(Clone, Copy)]
struct BitCtx {
    slot: [usize; NM],
    state: [u8; NM],
    x: [i32; NI],
    o1: usize,
    mctx: usize,
    sel: [usize; NS],
    dot1: [i32; NS],
    sel2: usize,
    pm: u32,
    apm: [usize; 2],
    pr: u32,
}

/// All model state except the current bit's scratch ([`BitCtx`]).
#[derive(Clone)]
struct Model {
    stretch_t: Vec<i16>,
    st: StateTable,
    tables: Vec<HashTable>,
    sms: Vec<StateMap>,
    o0: StateMap,
    o1: StateMap,
    mm: MatchModel,
    mm_sm: StateMap,
    mix1: Mixer,
    mix2: Mixer,
    apm1: Apm,
    apm2: Apm,
    // --- per-byte context ---
    hist: u64,
    word: WordState,
    base: [u32; NM],
    bkt_hi: [usize; NM],
    bkt_lo: [usize; NM],
    lo_for: u32,
    // --- per-bit context ---
    c0: u32,
    bitpos: u32,
    extra: i32,
}

/// The context-mixing bit predictor. See the module docs for the design.
/// `cur` caches the prediction for the next bit (and everything needed to
/// train on it), so [`Predictor::p`] is free.
#[derive(Clone)]
pub struct Predictor {
    m: Model,
    cur: BitCtx,
}

const EMPTY_CTX: BitCtx = BitCtx {
    slot: [NONE; NM],
    state: [0; NM],
    x: [0; NI],
    o1: 0,
    mctx: NONE,
    sel: [0; NS],
    dot1: [0; NS],
    sel2: 0,
    pm: 2048,
    apm: [0; 2],
    pr: 2048,
};

impl Predictor {
    /// A fresh model (all probabilities 1/2, empty history).
    pub fn new(cfg: &Config) -> Predictor {
        let mut m = Model::new(cfg);
        m.start_byte();
        let mut cur = EMPTY_CTX;
        m.compute(m.c0, m.bitpos, &mut cur);
        Predictor { m, cur }
    }

    /// Probability (12-bit, `1..=4095`, i.e. `p/4096`) that the next bit is 1.
    pub fn p(&self) -> u32 {
        self.cur.pr
    }

    /// Add an external prediction, in the stretch domain (`±2047` = ±8.0,
    /// i.e. `256 * ln(p/(1-p))`), as one more mixer input for the *next bit
    /// only*. Call before [`Predictor::p`]. Without a call the input is 0,
    /// which contributes nothing and never trains its weight, so the model
    /// behaves exactly as if the feature did not exist.
    pub fn set_extra_input(&mut self, st: i32) {
        self.m.extra = st.clamp(-2047, 2047);
        self.m.compute(self.m.c0, self.m.bitpos, &mut self.cur);
    }

    /// `p` (12-bit) in the mixer's stretch domain, from the same integer
    /// table the model uses: how an outside prediction enters
    /// [`Predictor::set_extra_input`].
    pub fn stretch_of(&self, p: u32) -> i32 {
        self.m.stretch(p.clamp(1, 4095))
    }

    /// Learn bit `y` (0 or 1) and advance to the next bit.
    pub fn update(&mut self, bit: u32) {
        let y = bit & 1;
        self.m.learn(&self.cur, y);
        self.m.advance(y);
        self.m.extra = 0;
        self.m.compute(self.m.c0, self.m.bitpos, &mut self.cur);
    }
}

impl Model {
    fn new(cfg: &Config) -> Model {
        let tb = cfg.table_bits.clamp(8, 28);
        let st = StateTable::new();
        let mut sm = StateMap::new(256, SM_LIMIT);
        for (s, &(n0, n1)) in st.counts.iter().enumerate() {
            sm.set(
                s,
                (n1 as u32 * 2 + 1) * 4096 / (2 * (n0 as u32 + n1 as u32) + 2),
            );
        }
        Model {
            stretch_t: build_stretch(),
            st,
            tables: (0..NM).map(|_| HashTable::new(tb)).collect(),
            sms: vec![sm; NM],
            o0: StateMap::new(256, 1023),
            o1: StateMap::new(65536, 1023),
            mm: MatchModel::new(cfg.match_bits.clamp(10, 28)),
            mm_sm: StateMap::new(64, 1023),
            mix1: Mixer::new(NI, SET_SIZES.iter().sum(), W0),
            mix2: Mixer::new(NS + 1, 8, (1 << 16) / NS as i32),
            apm1: Apm::new(256, 7),
            apm2: Apm::new(1 << 16, 7),
            hist: 0,
            word: WordState::default(),
            base: [0; NM],
            bkt_hi: [0; NM],
            bkt_lo: [0; NM],
            lo_for: 0,
            c0: 1,
            bitpos: 0,
            extra: 0,
        }
    }

    #[inline]
    fn stretch(&self, p: u32) -> i32 {
        self.stretch_t[p as usize] as i32
    }

    /// Train every component on bit `y`, using what `compute` recorded in `b`.
    fn learn(&mut self, b: &BitCtx, y: u32) {
        for i in 0..NM {
            if b.slot[i] != NONE {
                let s = b.state[i];
                self.sms[i].update(s as usize, y);
                self.tables[i].t[b.slot[i]] = self.st.next[s as usize][y as usize];
            }
        }
        self.o0.update(self.c0 as usize, y);
        self.o1.update(b.o1, y);
        if b.mctx != NONE {
            self.mm_sm.update(b.mctx, y);
        }
        self.train_mixers(b, y);
        self.apm1.update(b.apm[0], y);
        self.apm2.update(b.apm[1], y);
    }

    fn train_mixers(&mut self, b: &BitCtx, y: u32) {
        let mut off = 0;
        for (k, size) in SET_SIZES.iter().enumerate() {
            let err = (y << 12) as i32 - squash(b.dot1[k]);
            self.mix1.train(&b.x, off + b.sel[k], err, LR1, LB1);
            off += size;
        }
        let x2 = Self::layer2_inputs(b);
        let err = (y << 12) as i32 - b.pm as i32;
        self.mix2.train(&x2, b.sel2, err, LR2, LB2);
    }

    fn layer2_inputs(b: &BitCtx) -> [i32; NS + 1] {
        let mut x2 = [256; NS + 1];
        x2[..NS].copy_from_slice(&b.dot1);
        x2
    }

    /// Move to the next bit; at nibble/byte boundaries look up new buckets.
    fn advance(&mut self, y: u32) {
        self.c0 = (self.c0 << 1) | y;
        self.bitpos += 1;
        if self.bitpos == 8 {
            let c = self.c0 as u8;
            self.hist = (self.hist << 8) | c as u64;
            self.mm.update(c, self.hist);
            self.word.update(c);
            self.c0 = 1;
            self.bitpos = 0;
            self.start_byte();
        } else if self.bitpos == 4 {
            for i in 0..NM {
                self.bkt_lo[i] = self.tables[i].get(hash2(self.base[i], self.c0));
            }
            self.lo_for = self.c0;
        }
    }

    /// Compute the context hashes of all models for a new byte.
    fn start_byte(&mut self) {
        let h = self.hist;
        for k in 0..6 {
            self.base[k] = hash_order(h, k as u32 + 1);
        }
        let w = &self.word;
        self.base[6] = hash2(hash2(w.cur, w.prev), 100);
        self.base[7] = hash2(hash2(w.cur, w.prev), hash2(w.prev2, 101));
        for i in 0..NM {
            self.bkt_hi[i] = self.tables[i].get(hash2(self.base[i], 0));
        }
        self.lo_for = 0;
    }
}

impl Model {
    /// Bucket (byte offset) of model `i` for partial byte `c0`, read-only.
    /// Within the current byte's real path the buckets were already looked
    /// up by `start_byte`/`advance`; a hypothetical `c0` (see
    /// [`top_guesses`]) uses a read-only probe, and a missing bucket means
    /// "all histories empty" — exactly what a freshly created bucket holds.
    fn bucket(&self, i: usize, c0: u32, bitpos: u32) -> Option<usize> {
        if bitpos < 4 {
            return Some(self.bkt_hi[i]);
        }
        let hi = c0 >> (bitpos - 4);
        if hi == self.lo_for {
            Some(self.bkt_lo[i])
        } else {
            self.tables[i].find(hash2(self.base[i], hi))
        }
    }

    /// The prediction for partial byte `c0` at bit `bitpos`, without changing
    /// any state. Fills in the mixer inputs (context models, order 0/1,
    /// match model, bias, extra input), then mixes and refines.
    fn compute(&self, c0: u32, bitpos: u32, b: &mut BitCtx) {
        // Node of the nibble tree: 1, 2..3, 4..7, 8..15.
        let j = if bitpos < 4 {
            c0 as usize
        } else {
            ((c0 & ((1 << (bitpos - 4)) - 1)) | (1 << (bitpos - 4))) as usize
        };
        let mut hits = 0;
        for i in 0..NM {
            let (slot, s) = match self.bucket(i, c0, bitpos) {
                Some(k) => (k + j, self.tables[i].t[k + j]),
                None => (NONE, 0),
            };
            b.slot[i] = slot;
            b.state[i] = s;
            hits += (s != 0) as usize;
            b.x[2 * i] = self.stretch(self.sms[i].p(s as usize));
            b.x[2 * i + 1] = self.st.confidence(s);
        }
        let c1 = (self.hist & 255) as usize;
        b.o1 = (c1 << 8) | c0 as usize;
        b.x[2 * NM] = self.stretch(self.o0.p(c0 as usize));
        b.x[2 * NM + 1] = self.stretch(self.o1.p(b.o1));
        let mstate = self.match_inputs(b, c0, bitpos);
        b.x[2 * NM + 4] = 256;
        b.x[X_EXTRA] = self.extra;
        b.sel = [
            c0 as usize,
            mstate * 8 + bitpos as usize,
            c1,
            hits * 8 + bitpos as usize,
        ];
        self.mix(b, bitpos);
        self.refine(b, c0, c1);
    }

    /// Match model inputs; returns the match state used to select weights.
    fn match_inputs(&self, b: &mut BitCtx, c0: u32, bitpos: u32) -> usize {
        b.mctx = NONE;
        b.x[2 * NM + 2] = 0;
        b.x[2 * NM + 3] = 0;
        let Some(e) = self.mm.expected() else {
            return 0;
        };
        if (e as u32 | 256) >> (8 - bitpos) != c0 {
            return 0; // the match already failed in this byte
        }
        let bit = ((e >> (7 - bitpos)) & 1) as usize;
        let lq = self.mm.len_q() as usize;
        b.mctx = lq * 2 + bit;
        let sign = if bit == 1 { 1 } else { -1 };
        b.x[2 * NM + 2] = self.stretch(self.mm_sm.p(b.mctx));
        b.x[2 * NM + 3] = sign * (lq as i32 * 64).min(1024);
        1 + b.mctx
    }

    /// Two-layer mixing: NS weight sets each give a stretch-domain opinion;
    /// a small second mixer (selected by bit position) combines them.
    fn mix(&self, b: &mut BitCtx, bitpos: u32) {
        let mut off = 0;
        for (k, size) in SET_SIZES.iter().enumerate() {
            b.dot1[k] = self.mix1.dot(&b.x, off + b.sel[k]);
            off += size;
        }
        b.sel2 = bitpos as usize;
        b.pm = squash(self.mix2.dot(&Self::layer2_inputs(b), b.sel2)) as u32;
    }

    /// Two APM/SSE stages (order 0 and order 1, i.e. context `c0` and
    /// `c1:c0`), averaged with the mixer output as in lpaq1.
    fn refine(&self, b: &mut BitCtx, c0: u32, c1: usize) {
        let st = self.stretch(b.pm);
        let (p1, i1) = self.apm1.pp(st, c0 as usize);
        let (p2, i2) = self.apm2.pp(st, (c1 << 8) | c0 as usize);
        b.apm = [i1, i2];
        b.pr = ((2 * b.pm + 3 * p1 + 3 * p2 + 4) >> 3).clamp(1, 4095);
    }
}

// ---------------------------------------------------------------------------
// Carry-less binary arithmetic coder (lpaq1)
// ---------------------------------------------------------------------------

/// Encoder: the interval [x1, x2] is split at `xmid` in proportion to p(1);
/// when the top bytes of x1 and x2 agree they are final and shifted out.
pub struct Encoder {
    x1: u32,
    x2: u32,
    out: Vec<u8>,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder::new()
    }
}

impl Encoder {
    pub fn new() -> Encoder {
        Encoder {
            x1: 0,
            x2: u32::MAX,
            out: Vec::new(),
        }
    }

    /// Codes bit `y` under `p`, the 12-bit probability of a 1.
    pub fn encode(&mut self, y: u32, p: u32) {
        let xmid = self.x1 + ((self.x2 - self.x1) >> 12) * p;
        if y == 1 {
            self.x2 = xmid;
        } else {
            self.x1 = xmid + 1;
        }
        while (self.x1 ^ self.x2) & 0xff00_0000 == 0 {
            self.out.push((self.x2 >> 24) as u8);
            self.x1 <<= 8;
            self.x2 = (self.x2 << 8) | 255;
        }
    }

    /// One byte suffices: the decoder pads with 0xFF, and any value with
    /// x1's top byte followed by FF.. lies inside [x1, x2].
    pub fn finish(mut self) -> Vec<u8> {
        self.out.push((self.x1 >> 24) as u8);
        self.out
    }
}

/// Decoder mirror of [`Encoder`]; reads past the end as 0xFF and counts
/// how many bytes it wanted, so inconsistent input can be reported.
pub struct Decoder<'a> {
    x1: u32,
    x2: u32,
    x: u32,
    code: &'a [u8],
    pos: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(code: &'a [u8]) -> Decoder<'a> {
        let mut d = Decoder {
            x1: 0,
            x2: u32::MAX,
            x: 0,
            code,
            pos: 0,
        };
        for _ in 0..4 {
            d.x = (d.x << 8) | d.next_byte();
        }
        d
    }

    fn next_byte(&mut self) -> u32 {
        let c = self.code.get(self.pos).copied().unwrap_or(255);
        self.pos += 1;
        c as u32
    }

    /// Whether the decoder read exactly the bytes the encoder wrote: it
    /// reads four ahead and one per shift, the encoder wrote one per shift
    /// and one to finish, so a whole stream leaves `pos == len + 3`.
    pub fn consumed_exactly(&self) -> bool {
        self.pos == self.code.len() + 3
    }

    /// Whether the decoder has read past what any encoder would have
    /// written: the file is truncated, or declares more text than it holds.
    pub fn overran(&self) -> bool {
        self.pos > self.code.len() + 3
    }

    /// The next bit, under `p`, the 12-bit probability of a 1.
    pub fn decode(&mut self, p: u32) -> u32 {
        let xmid = self.x1 + ((self.x2 - self.x1) >> 12) * p;
        let y = (self.x <= xmid) as u32;
        if y == 1 {
            self.x2 = xmid;
        } else {
            self.x1 = xmid + 1;
        }
        while (self.x1 ^ self.x2) & 0xff00_0000 == 0 {
            self.x1 <<= 8;
            self.x2 = (self.x2 << 8) | 255;
            self.x = (self.x << 8) | self.next_byte();
        }
        y
    }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Compress `data` with a fresh model. `per_byte(i, bits)` is called after
/// each byte with its ideal code length `Σ -log2 p(bit)` (for analysis).
/// The output does not store the length; pass it to [`decompress`].
pub fn compress(data: &[u8], cfg: &Config, per_byte: impl FnMut(usize, f64)) -> Vec<u8> {
    compress_with(Predictor::new(cfg), data, per_byte)
}

/// Compress with a given (e.g. primed) predictor. The decoder must start
/// from an identical predictor (same config, same priming text).
pub fn compress_with(
    mut pr: Predictor,
    data: &[u8],
    mut per_byte: impl FnMut(usize, f64),
) -> Vec<u8> {
    let mut enc = Encoder {
        x1: 0,
        x2: u32::MAX,
        out: Vec::with_capacity(data.len() / 3 + 16),
    };
    for (i, &c) in data.iter().enumerate() {
        let mut bits = 0.0;
        for k in (0..8).rev() {
            let y = ((c >> k) & 1) as u32;
            let p = pr.p();
            let q = if y == 1 { p } else { 4096 - p };
            bits -= (q as f64 / 4096.0).log2();
            enc.encode(y, p);
            pr.update(y);
        }
        per_byte(i, bits);
    }
    enc.finish()
}

/// Decompress `len` bytes. Never panics: garbage input decodes to some
/// bytes, and an inconsistent stream length is reported as an error.
pub fn decompress(code: &[u8], len: usize, cfg: &Config) -> Result<Vec<u8>, DecodeError> {
    decompress_with(Predictor::new(cfg), code, len)
}

/// Decompress with a given (e.g. primed) predictor.
pub fn decompress_with(mut pr: Predictor, code: &[u8], len: usize) -> Result<Vec<u8>, DecodeError> {
    let mut dec = Decoder::new(code);
    let mut out = Vec::with_capacity(len);
    for _ in 0..len {
        let mut c = 0u32;
        for _ in 0..8 {
            let y = dec.decode(pr.p());
            pr.update(y);
            c = (c << 1) | y;
        }
        out.push(c as u8);
    }
    // The encoder wrote one byte per shift plus one flush byte; the decoder
    // read 4 bytes up front plus one per shift, i.e. 3 more than written.
    if dec.pos != code.len() + 3 {
        return Err(DecodeError::LengthMismatch {
            expected: code.len(),
            consumed: dec.pos.saturating_sub(3),
        });
    }
    Ok(out)
}

/// Learn from `text` without producing output (pre-training).
pub fn prime(p: &mut Predictor, text: &[u8]) {
    for &c in text {
        for k in (0..8).rev() {
            p.update(((c >> k) & 1) as u32);
        }
    }
}

/// The `k` most probable next bytes with their probabilities, without
/// changing the predictor. A beam search over the bit tree (beam width
/// `max(k, 4)`), starting from the bits of the current byte already seen;
/// each node costs one pure prediction (`compute`), so about `8 * beam`
/// predictions in total (≈ 30 for k <= 4). The probabilities are exact for
/// the bytes returned (products of the bit probabilities along the path).
/// An extra input set with `set_extra_input` is applied at every level.
pub fn top_guesses(p: &Predictor, k: usize) -> Vec<(u8, f64)> {
    let width = k.max(4);
    let mut scratch = EMPTY_CTX;
    let mut beam = vec![(p.m.c0, 1.0f64)];
    for bitpos in p.m.bitpos..8 {
        let mut next = Vec::with_capacity(beam.len() * 2);
        for &(c0, q) in &beam {
            let p1 = if c0 == p.m.c0 {
                p.cur.pr
            } else {
                p.m.compute(c0, bitpos, &mut scratch);
                scratch.pr
            } as f64
                / 4096.0;
            next.push(((c0 << 1) | 1, q * p1));
            next.push((c0 << 1, q * (1.0 - p1)));
        }
        next.sort_by(|a, b| b.1.total_cmp(&a.1));
        next.truncate(width);
        beam = next;
    }
    beam.truncate(k);
    beam.into_iter().map(|(c0, q)| (c0 as u8, q)).collect()
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "/work/shared/seed/essence-of-large-models.md";

    fn small() -> Config {
        Config {
            table_bits: 16,
            match_bits: 16,
        }
    }

    fn round_trip(data: &[u8], cfg: &Config) -> usize {
        let code = compress(data, cfg, |_, _| {});
        let back = decompress(&code, data.len(), cfg).expect("decode");
        assert_eq!(back, data);
        code.len()
    }

    fn pseudo_random(n: usize, mut s: u32) -> Vec<u8> {
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (s >> 16) as u8
            })
            .collect()
    }

    #[test]
    fn tables_are_consistent() {
        let t = build_stretch();
        for p in 1..4095u32 {
            assert!((squash(t[p as usize] as i32) - p as i32).abs() <= 40);
        }
        assert!(StateTable::new().counts.len() <= 256);
    }

    #[test]
    fn round_trip_small_inputs() {
        round_trip(b"", &small());
        round_trip(b"a", &small());
        round_trip(&[0xFF], &small());
        round_trip(b"hello hello hello world", &small());
    }

    #[test]
    fn round_trip_random() {
        let data = pseudo_random(20_000, 7);
        let n = round_trip(&data, &small());
        assert!(n < 20_400, "random data should not expand much: {n}");
    }

    #[test]
    fn round_trip_article() {
        let Ok(data) = std::fs::read(ARTICLE) else {
            return;
        };
        let n = round_trip(&data, &Config::default());
        assert!(n < data.len() / 3);
    }

    #[test]
    fn deterministic() {
        let data =
            b"determinism: the same input gives the same code. \xe4\xb8\xad\xe6\x96\x87".repeat(20);
        let a = compress(&data, &small(), |_, _| {});
        let b = compress(&data, &small(), |_, _| {});
        assert_eq!(a, b);
    }

    #[test]
    fn ideal_bits_close_to_actual() {
        let data = b"the quick brown fox jumps over the lazy dog. ".repeat(30);
        let mut bits = 0.0;
        let code = compress(&data, &small(), |_, b| bits += b);
        assert!((code.len() as f64 - bits / 8.0).abs() < 8.0);
    }

    #[test]
    fn extra_input_zero_is_neutral() {
        let data = b"some text to code, some text to code".to_vec();
        let mut a = Predictor::new(&small());
        let mut b = Predictor::new(&small());
        for &c in &data {
            for k in (0..8).rev() {
                b.set_extra_input(0);
                assert_eq!(a.p(), b.p());
                let y = ((c >> k) & 1) as u32;
                a.update(y);
                b.update(y);
            }
        }
    }

    #[test]
    fn priming_helps_and_round_trips() {
        let text = b"Rust is a systems programming language. ".repeat(20);
        let mut p = Predictor::new(&small());
        prime(&mut p, &text);
        let msg = b"Rust is a systems programming language!";
        let code = compress_with(p.clone(), msg, |_, _| {});
        assert!(code.len() < compress(msg, &small(), |_, _| {}).len());
        assert_eq!(decompress_with(p, &code, msg.len()).unwrap(), msg);
    }

    #[test]
    fn top_guesses_is_pure_and_sensible() {
        let mut p = Predictor::new(&small());
        prime(&mut p, &b"abc".repeat(30));
        let before = p.p();
        let g = top_guesses(&p, 3);
        assert_eq!(p.p(), before);
        assert_eq!(g[0].0, b'a');
        assert!(g[0].1 > 0.5 && g.len() == 3);
    }

    #[test]
    fn garbage_never_panics() {
        let data = b"A line of text that we will corrupt in several ways.\n".repeat(10);
        let code = compress(&data, &small(), |_, _| {});
        let trunc = decompress(&code[..code.len() / 2], data.len(), &small());
        assert!(trunc.is_err() || trunc.unwrap() != data);
        let mut bad = code.clone();
        bad[3] ^= 0x40;
        if let Ok(out) = decompress(&bad, data.len(), &small()) {
            assert_ne!(out, data);
        }
        let _ = decompress(&pseudo_random(100, 3), 500, &small());
        let _ = decompress(&[], 50, &small());
    }
}
