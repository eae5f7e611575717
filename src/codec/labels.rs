//! The coded-labels file: a data set's labels arithmetic-coded with a model's
//! probabilities, so "L(labels | model) = Σ −log₂ p(y|x) bits" becomes a file
//! whose size can be checked, and which decodes back with the same model and
//! the images alone (the receiver never sees the labels).
//!
//! Layout: `CLL` + version 1 (4 bytes) · the label count n (LEB128, 2 bytes for
//! 860) · FNV-1a-32 of the labels (4 bytes) · the coder's bits
//! ([`crate::math::arith`]), zero-padded to a byte. Decoding is checked twice:
//! the labels must match the checksum and must code back to exactly the same
//! bytes, so a damaged, truncated or extended file, or one decoded with another
//! model, is an error ([`LabelsProblem`]) and never a silent wrong answer.

use crate::domain::LabelsProblem;
use crate::math::arith::{Decoder, Encoder, Table};

pub const MAGIC: [u8; 4] = *b"CLL\x01";

/// A coded-labels file and what it measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Coded {
    pub bytes: Vec<u8>,
    /// Bytes before the coded bits (magic, count, checksum).
    pub header_bytes: usize,
    /// Σ −log₂ p(y|x) under the model's own probabilities: the ideal code length.
    pub ideal_bits: f64,
    /// The same under the integer tables the coder uses (p quantised to 1/2^16).
    pub table_bits: f64,
    /// Bits the coder wrote, before padding to a whole byte.
    pub coded_bits: u64,
}

impl Coded {
    /// Bytes of coded bits (the file less its header).
    pub fn payload_bytes(&self) -> usize {
        self.bytes.len() - self.header_bytes
    }
}

fn checksum(labels: &[u8]) -> [u8; 4] {
    let mut h: u32 = 0x811c_9dc5;
    for &b in labels {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h.to_le_bytes()
}

fn bits_of(log_probs: &[f32], classes: usize, labels: &[u8]) -> (Vec<u8>, u64) {
    let mut e = Encoder::new();
    for (row, &y) in log_probs.chunks(classes).zip(labels) {
        e.encode(&Table::from_log_probs(row), usize::from(y));
    }
    e.finish()
}

/// Codes `labels` (one per row of `log_probs`, natural-log probabilities,
/// `classes` per row). Panics when the shapes disagree or a label is out of
/// range: those are the caller's bugs, not data.
pub fn encode(log_probs: &[f32], classes: usize, labels: &[u8]) -> Coded {
    assert_eq!(log_probs.len(), labels.len() * classes, "one row of probabilities per label");
    assert!(labels.iter().all(|&y| usize::from(y) < classes), "labels within the classes");
    let mut bytes = MAGIC.to_vec();
    let mut n = labels.len() as u64;
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        bytes.push(if n == 0 { low } else { low | 0x80 });
        if n == 0 {
            break;
        }
    }
    bytes.extend(checksum(labels));
    let header_bytes = bytes.len();
    let (coded, coded_bits) = bits_of(log_probs, classes, labels);
    bytes.extend(coded);
    let mut ideal_bits = 0.0;
    let mut table_bits = 0.0;
    for (row, &y) in log_probs.chunks(classes).zip(labels) {
        ideal_bits -= f64::from(row[usize::from(y)]) / std::f64::consts::LN_2;
        table_bits += Table::from_log_probs(row).bits(usize::from(y));
    }
    Coded {
        bytes,
        header_bytes,
        ideal_bits,
        table_bits,
        coded_bits,
    }
}

struct Header<'a> {
    n: usize,
    sum: &'a [u8],
    payload: &'a [u8],
}

fn header(bytes: &[u8]) -> Result<Header<'_>, LabelsProblem> {
    let head = &bytes[..bytes.len().min(4)];
    if head != &MAGIC[..head.len()] {
        return Err(LabelsProblem::NotALabelsFile);
    }
    if bytes.len() < 4 {
        return Err(LabelsProblem::Truncated);
    }
    let mut at = 4;
    let mut n: u64 = 0;
    for shift in (0..).step_by(7) {
        let &b = bytes.get(at).ok_or(LabelsProblem::Truncated)?;
        at += 1;
        if shift > 28 {
            return Err(LabelsProblem::NotALabelsFile);
        }
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
    }
    let sum = bytes.get(at..at + 4).ok_or(LabelsProblem::Truncated)?;
    Ok(Header {
        n: n as usize,
        sum,
        payload: &bytes[at + 4..],
    })
}

/// How many labels a file holds (so the receiver knows how many images to
/// run through the model before decoding).
pub fn count(bytes: &[u8]) -> Result<usize, LabelsProblem> {
    header(bytes).map(|h| h.n)
}

/// Decodes a file made by [`encode`] with the same probabilities (`classes` per
/// row, one row per image the receiver holds).
pub fn decode(log_probs: &[f32], classes: usize, bytes: &[u8]) -> Result<Vec<u8>, LabelsProblem> {
    let h = header(bytes)?;
    let images = log_probs.len() / classes.max(1);
    if h.n != images {
        return Err(LabelsProblem::Count { file: h.n, images });
    }
    let mut d = Decoder::new(h.payload);
    let labels: Vec<u8> = log_probs
        .chunks(classes)
        .map(|row| d.decode(&Table::from_log_probs(row)) as u8)
        .collect();
    if checksum(&labels) != h.sum || bits_of(log_probs, classes, &labels).0 != h.payload {
        return Err(LabelsProblem::DoesNotCheckOut);
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::rng::SplitMix64 as Rng;

    /// A model-like set of rows: confident and mostly right, sometimes wrong.
    fn model_rows(n: usize, seed: u64) -> (Vec<f32>, Vec<u8>) {
        let mut rng = Rng::new(seed);
        let (mut lp, mut labels) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let y = rng.below(10) as u8;
            let guess = if rng.next_f64() < 0.7 { y as usize } else { rng.below(10) };
            let logits: Vec<f64> = (0..10)
                .map(|c| rng.normal() + if c == guess { 3.0 * rng.next_f64() + 1.0 } else { 0.0 })
                .collect();
            let z = logits.iter().map(|l| l.exp()).sum::<f64>().ln();
            lp.extend(logits.iter().map(|l| (l - z) as f32));
            labels.push(y);
        }
        (lp, labels)
    }

    #[test]
    fn round_trip_within_a_byte_of_the_ideal() {
        for (n, seed) in [(860, 1), (1, 2), (0, 3), (10_000, 4), (129, 5)] {
            let (lp, labels) = model_rows(n, seed);
            let c = encode(&lp, 10, &labels);
            assert_eq!(decode(&lp, 10, &c.bytes).unwrap(), labels);
            let ideal_bytes = (c.ideal_bits / 8.0).ceil() as usize;
            // Quantisation costs at most 10/2^16 of a bit per label here; the
            // ending 2 bits; the padding under a byte.
            assert!(c.coded_bits as f64 <= c.table_bits + 2.0 + 1e-9, "{n}");
            assert!((c.table_bits - c.ideal_bits).abs() <= 0.001 * n as f64 + 1e-9, "{n}");
            assert!(c.payload_bytes() <= ideal_bytes + 1, "{n}: {} vs {ideal_bytes}", c.payload_bytes());
            assert_eq!(c.header_bytes, 4 + if n < 128 { 1 } else { 2 } + 4);
        }
    }

    #[test]
    fn damage_is_an_error_never_wrong_labels() {
        let (lp, labels) = model_rows(860, 9);
        let c = encode(&lp, 10, &labels);
        // Every single-bit flip and every truncation: an error, or (never) other labels.
        for i in 0..c.bytes.len() {
            for bit in 0..8 {
                let mut b = c.bytes.clone();
                b[i] ^= 1 << bit;
                assert!(decode(&lp, 10, &b).is_err(), "byte {i} bit {bit}");
            }
        }
        for len in 0..c.bytes.len() {
            assert!(decode(&lp, 10, &c.bytes[..len]).is_err(), "truncated to {len}");
        }
        let mut longer = c.bytes.clone();
        longer.push(0);
        assert_eq!(decode(&lp, 10, &longer), Err(LabelsProblem::DoesNotCheckOut));
        assert_eq!(decode(&lp, 10, b"PK\x03\x04...."), Err(LabelsProblem::NotALabelsFile));
        assert_eq!(decode(&lp, 10, b"CL"), Err(LabelsProblem::Truncated));
        assert_eq!(
            decode(&lp[..500], 10, &c.bytes),
            Err(LabelsProblem::Count { file: 860, images: 50 })
        );
        // Another model (the same labels, other probabilities): refused.
        let (other, _) = model_rows(860, 10);
        assert_eq!(decode(&other, 10, &c.bytes), Err(LabelsProblem::DoesNotCheckOut));
    }
}
