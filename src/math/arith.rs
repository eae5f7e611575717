//! Arithmetic coding: a message of symbols, each under its own probability
//! table, becomes a bit string about Σ −log₂ p(symbol) bits long (plus two bits
//! to end it). This is the bridge the course is about: a model that predicts
//! well *is* a short code, because its probabilities drive this coder.
//!
//! The coder is the classic integer one of Witten, Neal & Cleary (1987,
//! "Arithmetic coding for data compression", CACM 30(6)) with 32-bit bounds,
//! bit-level output and the "pending bits" trick for the middle straddle. It
//! is written here rather than taken from a crate (`constriction` is the
//! maintained one) because the page explains it line by line, it is ~150 lines
//! with no dependency, and the quantisation of probabilities to integer
//! frequencies ([`Table::from_log_probs`]) is what makes the sender and the
//! receiver agree bit for bit, so it is kept in the open beside the coder.

/// Frequencies of a table add up to 2^16.
pub const TOTAL_BITS: u32 = 16;
pub const TOTAL: u32 = 1 << TOTAL_BITS;

const TOP: u64 = (1 << 32) - 1;
const HALF: u64 = 1 << 31;
const QUARTER: u64 = 1 << 30;

/// Integer frequencies of the symbols `0..len`, each ≥ 1, adding up to at
/// most [`TOTAL`] (exactly, for tables made from probabilities).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// `cum[s]..cum[s + 1]` is symbol `s`'s share; `cum[0] = 0`, last = the total.
    cum: Vec<u32>,
}

impl Table {
    /// From integer frequencies, each ≥ 1 and adding up to exactly [`TOTAL`];
    /// `None` otherwise.
    pub fn from_frequencies(freq: &[u32]) -> Option<Table> {
        Table::from_counts(freq).filter(|t| t.total() == TOTAL)
    }

    /// Quantises a model's natural-log probabilities: every symbol gets at
    /// least 1/2^16 (a label the model rules out still costs at most 16 bits
    /// rather than being uncodable), the rest in proportion to p, and the
    /// rounding remainder goes to the most probable symbol. Only integer and
    /// correctly rounded float operations on the same input, so a sender and a
    /// receiver with the same model get the same table. Non-finite entries are
    /// treated as probability 0; an all-zero row becomes uniform.
    pub fn from_log_probs(log_probs: &[f32]) -> Table {
        let k = log_probs.len().max(1);
        let p: Vec<f64> = log_probs
            .iter()
            .map(|&l| {
                if l.is_finite() {
                    f64::from(l).exp()
                } else {
                    0.0
                }
            })
            .collect();
        let sum: f64 = p.iter().sum();
        let spare = f64::from(TOTAL - k as u32);
        let mut freq: Vec<u32> = p
            .iter()
            .map(|&x| {
                let share = if sum > 0.0 { x / sum } else { 1.0 / k as f64 };
                1 + (share * spare).floor().clamp(0.0, spare) as u32
            })
            .collect();
        let best = (0..k)
            .max_by(|&a, &b| freq[a].cmp(&freq[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let others: u32 = freq
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != best)
            .map(|(_, &f)| f)
            .sum();
        freq[best] = TOTAL - others;
        Table::from_frequencies(&freq).expect("frequencies add up to TOTAL by construction")
    }

    /// From counts, each ≥ 1, adding up to at most [`TOTAL`] (an adaptive
    /// model's); `None` otherwise.
    pub fn from_counts(counts: &[u32]) -> Option<Table> {
        if counts.is_empty() || counts.contains(&0) {
            return None;
        }
        let mut cum = Vec::with_capacity(counts.len() + 1);
        cum.push(0u32);
        let mut sum = 0u64;
        for &c in counts {
            sum += u64::from(c);
            if sum > u64::from(TOTAL) {
                return None;
            }
            cum.push(sum as u32);
        }
        Some(Table { cum })
    }

    /// The frequencies' sum.
    pub fn total(&self) -> u32 {
        *self.cum.last().expect("a table has a symbol")
    }

    pub fn len(&self) -> usize {
        self.cum.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The code length of `symbol` under this table, in bits.
    pub fn bits(&self, symbol: usize) -> f64 {
        let f = self.cum[symbol + 1] - self.cum[symbol];
        f64::from(self.total()).log2() - f64::from(f).log2()
    }

    fn symbol_at(&self, target: u32) -> usize {
        // The last s with cum[s] <= target (cum is strictly increasing).
        self.cum.partition_point(|&c| c <= target) - 1
    }
}

/// The interval `[low, high]` narrowed to `symbol`'s share of `table`: the one
/// step the encoder and the decoder must compute identically.
fn narrow(low: u64, high: u64, table: &Table, symbol: usize) -> (u64, u64) {
    let range = high - low + 1;
    let total = u64::from(table.total());
    let (lo, hi) = (
        u64::from(table.cum[symbol]),
        u64::from(table.cum[symbol + 1]),
    );
    (low + range * lo / total, low + range * hi / total - 1)
}

/// Writes the bits of a message.
#[derive(Debug)]
pub struct Encoder {
    low: u64,
    high: u64,
    pending: u64,
    bytes: Vec<u8>,
    bit: u8,
    bits: u64,
}

impl Default for Encoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder {
    pub fn new() -> Encoder {
        Encoder {
            low: 0,
            high: TOP,
            pending: 0,
            bytes: Vec::new(),
            bit: 0,
            bits: 0,
        }
    }

    fn push(&mut self, b: bool) {
        if self.bit == 0 {
            self.bytes.push(0);
        }
        if b {
            *self.bytes.last_mut().expect("a byte was pushed") |= 0x80 >> self.bit;
        }
        self.bit = (self.bit + 1) % 8;
        self.bits += 1;
    }

    fn emit(&mut self, b: bool) {
        self.push(b);
        for _ in 0..std::mem::take(&mut self.pending) {
            self.push(!b);
        }
    }

    /// Narrows the interval to `symbol`'s share of `table`. Panics when the
    /// symbol is outside the table (a caller's bug, never data).
    pub fn encode(&mut self, table: &Table, symbol: usize) {
        (self.low, self.high) = narrow(self.low, self.high, table, symbol);
        loop {
            if self.high < HALF {
                self.emit(false);
            } else if self.low >= HALF {
                self.emit(true);
                self.low -= HALF;
                self.high -= HALF;
            } else if self.low >= QUARTER && self.high < 3 * QUARTER {
                self.pending += 1;
                self.low -= QUARTER;
                self.high -= QUARTER;
            } else {
                break;
            }
            self.low <<= 1;
            self.high = (self.high << 1) | 1;
        }
    }

    /// Ends the message: two more bits (plus any pending) pick a point inside
    /// the final interval, whatever zeros follow. Returns the bytes and the
    /// number of bits that carry information (the last byte is zero-padded).
    pub fn finish(mut self) -> (Vec<u8>, u64) {
        self.pending += 1;
        self.emit(self.low >= QUARTER);
        (self.bytes, self.bits)
    }
}

/// Reads the bits of a message; past the end it reads zeros (as the encoder's
/// ending assumes), so a truncated message decodes to *something*: callers
/// check what they decoded (see [`crate::math::label_code`]).
#[derive(Debug)]
pub struct Decoder<'a> {
    low: u64,
    high: u64,
    value: u64,
    bytes: &'a [u8],
    at: u64,
}

impl<'a> Decoder<'a> {
    pub fn new(bytes: &'a [u8]) -> Decoder<'a> {
        let mut d = Decoder {
            low: 0,
            high: TOP,
            value: 0,
            bytes,
            at: 0,
        };
        for _ in 0..32 {
            d.value = (d.value << 1) | d.next_bit();
        }
        d
    }

    fn next_bit(&mut self) -> u64 {
        let (byte, bit) = ((self.at / 8) as usize, self.at % 8);
        self.at += 1;
        self.bytes
            .get(byte)
            .map_or(0, |b| u64::from((b >> (7 - bit)) & 1))
    }

    pub fn decode(&mut self, table: &Table) -> usize {
        let range = self.high - self.low + 1;
        let total = u64::from(table.total());
        // low ≤ value ≤ high holds for any input bits; the clamp only guards it.
        let offset = self.value.saturating_sub(self.low).min(range - 1);
        let target = ((offset + 1) * total - 1) / range;
        let symbol = table.symbol_at(target.min(total - 1) as u32);
        (self.low, self.high) = narrow(self.low, self.high, table, symbol);
        loop {
            if self.high < HALF {
            } else if self.low >= HALF {
                self.low -= HALF;
                self.high -= HALF;
                self.value -= HALF;
            } else if self.low >= QUARTER && self.high < 3 * QUARTER {
                self.low -= QUARTER;
                self.high -= QUARTER;
                self.value -= QUARTER;
            } else {
                break;
            }
            self.low <<= 1;
            self.high = (self.high << 1) | 1;
            self.value = (self.value << 1) | self.next_bit();
        }
        symbol
    }
}

/// An adaptive model: counts that start equal and grow with every symbol
/// coded, halved when their sum nears [`TOTAL`] (so recent symbols weigh
/// more). The sender and the receiver update it the same way, so no table is
/// stored: a layer's value distribution is learned as it is coded, at a cost
/// of about (symbols − 1)/2 · log₂ n bits over a table known in advance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adaptive {
    counts: Vec<u32>,
    total: u32,
}

impl Adaptive {
    const STEP: u32 = 24;

    /// A model of `symbols` symbols (1 ≤ symbols ≤ 4096).
    pub fn new(symbols: usize) -> Adaptive {
        let symbols = symbols.clamp(1, 4096);
        Adaptive {
            counts: vec![1; symbols],
            total: symbols as u32,
        }
    }

    pub fn table(&self) -> Table {
        Table::from_counts(&self.counts).expect("counts stay ≥ 1 and within TOTAL")
    }

    pub fn update(&mut self, symbol: usize) {
        self.counts[symbol] += Self::STEP;
        self.total += Self::STEP;
        if self.total > TOTAL - Self::STEP {
            self.total = 0;
            for c in &mut self.counts {
                *c = c.div_ceil(2);
                self.total += *c;
            }
        }
    }

    pub fn encode(&mut self, e: &mut Encoder, symbol: usize) {
        e.encode(&self.table(), symbol);
        self.update(symbol);
    }

    pub fn decode(&mut self, d: &mut Decoder<'_>) -> usize {
        let s = d.decode(&self.table());
        self.update(s);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::rng::SplitMix64 as Rng;

    fn round_trip(tables: &[Table], message: &[usize]) -> (Vec<u8>, u64) {
        let mut e = Encoder::new();
        for (t, &s) in tables.iter().zip(message) {
            e.encode(t, s);
        }
        let (bytes, bits) = e.finish();
        let mut d = Decoder::new(&bytes);
        let back: Vec<usize> = tables.iter().map(|t| d.decode(t)).collect();
        assert_eq!(back, message);
        (bytes, bits)
    }

    fn ideal(tables: &[Table], message: &[usize]) -> f64 {
        tables.iter().zip(message).map(|(t, &s)| t.bits(s)).sum()
    }

    #[test]
    fn tables_are_checked_and_quantised_with_a_floor() {
        assert!(Table::from_frequencies(&[]).is_none());
        assert!(Table::from_frequencies(&[0, TOTAL]).is_none());
        assert!(Table::from_frequencies(&[1, 2]).is_none());
        assert!(Table::from_frequencies(&[TOTAL / 2, TOTAL / 2]).is_some());
        // A certain label and nine impossible ones: the impossible still codable.
        let mut lp = [f32::NEG_INFINITY; 10];
        lp[3] = 0.0;
        let t = Table::from_log_probs(&lp);
        assert!((t.bits(3) - (TOTAL as f64 / (TOTAL - 9) as f64).log2()).abs() < 1e-12);
        assert_eq!(t.bits(0), 16.0);
        // Uniform: each of 4 symbols exactly 2 bits.
        let t = Table::from_log_probs(&[(0.25f32).ln(); 4]);
        for s in 0..4 {
            assert!((t.bits(s) - 2.0).abs() < 1e-3, "{}", t.bits(s));
        }
        // NaN or all -inf: uniform, never a panic.
        let t = Table::from_log_probs(&[f32::NAN; 10]);
        assert!((t.bits(9) - 10f64.log2()).abs() < 0.01);
    }

    #[test]
    fn round_trips_random_messages_within_two_bits_of_the_ideal() {
        let mut rng = Rng::new(7);
        for case in 0..200 {
            let k = 2 + (rng.next_u64() % 30) as usize;
            let n = (rng.next_u64() % 2000) as usize;
            let mut tables = Vec::new();
            let mut msg = Vec::new();
            for _ in 0..n {
                // Peaked or flat, at random: logits scaled by a random temperature.
                let temp = 0.1 + 8.0 * rng.next_f64();
                let logits: Vec<f64> = (0..k).map(|_| temp * rng.next_f64() * 4.0).collect();
                let z = logits.iter().map(|l| l.exp()).sum::<f64>().ln();
                let lp: Vec<f32> = logits.iter().map(|l| (l - z) as f32).collect();
                let t = Table::from_log_probs(&lp);
                // Sample the symbol from the model (sometimes an unlikely one).
                let u = rng.next_f64() * TOTAL as f64;
                msg.push(t.symbol_at(u as u32));
                tables.push(t);
            }
            let (bytes, bits) = round_trip(&tables, &msg);
            let ideal = ideal(&tables, &msg);
            assert!(
                (bits as f64) <= ideal + 2.0 + 1e-9 && bits as f64 >= ideal - 1e-9,
                "case {case}: {bits} bits for ideal {ideal}"
            );
            assert_eq!(bytes.len() as u64, bits.div_ceil(8));
        }
    }

    #[test]
    fn long_runs_of_certain_and_of_surprising_symbols() {
        // Certain symbols pile up pending bits; 16-bit surprises stress the floor.
        let mut lp = [f32::NEG_INFINITY; 10];
        lp[0] = 0.0;
        let t = Table::from_log_probs(&lp);
        let tables = vec![t; 5000];
        let mut msg = vec![0usize; 5000];
        round_trip(&tables, &msg);
        for (i, m) in msg.iter_mut().enumerate() {
            *m = if i % 3 == 0 { 0 } else { 1 + i % 9 };
        }
        let (_, bits) = round_trip(&tables, &msg);
        assert!((bits as f64) <= ideal(&tables, &msg) + 2.0);
        // A middle straddle: two symbols of a half each, many times.
        let half = Table::from_frequencies(&[TOTAL / 2, TOTAL / 2]).unwrap();
        let msg: Vec<usize> = (0..3000).map(|i| (i / 7) % 2).collect();
        let (_, bits) = round_trip(&vec![half; 3000], &msg);
        assert!((3000..=3002).contains(&bits), "{bits}");
    }

    #[test]
    fn adaptive_models_learn_a_skewed_source_and_survive_garbage() {
        // 4-bit symbols, mostly 7 and 8 (like quantized weights around zero).
        let mut rng = Rng::new(3);
        let msg: Vec<usize> = (0..50_000)
            .map(|_| {
                let u = rng.next_f64();
                if u < 0.4 {
                    7
                } else if u < 0.8 {
                    8
                } else {
                    rng.below(16)
                }
            })
            .collect();
        let mut e = Encoder::new();
        let mut m = Adaptive::new(16);
        for &s in &msg {
            m.encode(&mut e, s);
        }
        let (bytes, _) = e.finish();
        let mut d = Decoder::new(&bytes);
        let mut m = Adaptive::new(16);
        let back: Vec<usize> = msg.iter().map(|_| m.decode(&mut d)).collect();
        assert_eq!(back, msg);
        // Entropy of the source: 0.4, 0.4 and 0.2 spread over 16 (0.0125 each).
        let mut h = 0.0;
        for s in 0..16 {
            let p = 0.2 / 16.0 + if s == 7 || s == 8 { 0.4 } else { 0.0 };
            h -= p * f64::log2(p);
        }
        let ideal = h * msg.len() as f64 / 8.0;
        println!("adaptive: {} B for an entropy of {ideal:.0} B", bytes.len());
        assert!(
            (bytes.len() as f64) < 1.01 * ideal + 64.0,
            "{} B, entropy {ideal:.0} B",
            bytes.len()
        );
        // Garbage in: some symbols out, never a panic.
        let junk: Vec<u8> = (0..300).map(|i| (i * 97 % 251) as u8).collect();
        let mut d = Decoder::new(&junk);
        let mut m = Adaptive::new(16);
        for _ in 0..5000 {
            assert!(m.decode(&mut d) < 16);
        }
    }

    #[test]
    fn an_empty_message_is_two_bits() {
        let (bytes, bits) = Encoder::new().finish();
        assert_eq!((bytes.len(), bits), (1, 2));
    }
}
