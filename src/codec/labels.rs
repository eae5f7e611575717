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

use crate::domain::files::MAX_LABELS;
use crate::domain::LabelsProblem;
use crate::math::arith::{Decoder, Encoder, Table};

pub const MAGIC: [u8; 4] = *b"CLL\x01";

/// A coded-labels file and what it measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Coded {
    pub bytes: Vec<u8>,
    /// Bytes before the coded bits (magic, count, checksum).
    pub header_bytes: usize,
    /// Σ −log₂ p(y|x) under the model's own probabilities. Not a lower bound
    /// on this file: the coder codes q, and q ≥ 2⁻¹⁶ caps what a label costs.
    pub ideal_bits: f64,
    /// Σ −log₂ q under the integer tables the coder uses (p rounded to
    /// multiples of 2⁻¹⁶, at least 2⁻¹⁶): the coded bits are within 2 of it.
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

fn header_of(labels: &[u8]) -> Vec<u8> {
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
    bytes
}

/// Codes labels a batch at a time, for a sender whose probabilities come
/// one batch at a time (the prequential code: the model learns from each
/// batch after its labels are coded). The sender knows every label from the
/// start, so the header (count and checksum) is written first.
pub struct Writer<'a> {
    labels: &'a [u8],
    classes: usize,
    coder: Encoder,
    at: usize,
    ideal_bits: f64,
    table_bits: f64,
}

impl<'a> Writer<'a> {
    pub fn new(labels: &'a [u8], classes: usize) -> Writer<'a> {
        assert!(
            labels.iter().all(|&y| usize::from(y) < classes),
            "labels within the classes"
        );
        Writer {
            labels,
            classes,
            coder: Encoder::new(),
            at: 0,
            ideal_bits: 0.0,
            table_bits: 0.0,
        }
    }

    /// Codes the next labels under `log_probs` (one row of `classes` each).
    /// Panics past the last label: a caller's bug.
    pub fn push(&mut self, log_probs: &[f32]) {
        let k = self.classes;
        for row in log_probs.chunks(k) {
            let y = usize::from(self.labels[self.at]);
            let table = Table::from_log_probs(row);
            self.coder.encode(&table, y);
            self.ideal_bits -= f64::from(row[y]) / std::f64::consts::LN_2;
            self.table_bits += table.bits(y);
            self.at += 1;
        }
    }

    /// Labels coded so far.
    pub fn coded(&self) -> usize {
        self.at
    }

    /// Σ −log₂ p of the labels coded so far, under the model's probabilities.
    pub fn ideal_bits(&self) -> f64 {
        self.ideal_bits
    }

    pub fn finish(self) -> Coded {
        assert_eq!(self.at, self.labels.len(), "every label coded");
        let mut bytes = header_of(self.labels);
        let header_bytes = bytes.len();
        let (coded, coded_bits) = self.coder.finish();
        bytes.extend(coded);
        Coded {
            bytes,
            header_bytes,
            ideal_bits: self.ideal_bits,
            table_bits: self.table_bits,
            coded_bits,
        }
    }
}

/// Codes `labels` (one per row of `log_probs`, natural-log probabilities,
/// `classes` per row). Panics when the shapes disagree or a label is out of
/// range: those are the caller's bugs, not data.
pub fn encode(log_probs: &[f32], classes: usize, labels: &[u8]) -> Coded {
    assert_eq!(
        log_probs.len(),
        labels.len() * classes,
        "one row of probabilities per label"
    );
    let mut w = Writer::new(labels, classes);
    w.push(log_probs);
    w.finish()
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
    // Counted in 64 bits (five LEB128 bytes hold 35), then held to a test set's size.
    if n > MAX_LABELS {
        return Err(LabelsProblem::TooMany { declared: n });
    }
    let sum = bytes.get(at..at + 4).ok_or(LabelsProblem::Truncated)?;
    Ok(Header {
        n: n as usize,
        sum,
        payload: &bytes[at + 4..],
    })
}

/// How many labels a file holds (so the receiver knows how many images to
/// run through the model before decoding): at most [`MAX_LABELS`].
pub fn count(bytes: &[u8]) -> Result<usize, LabelsProblem> {
    header(bytes).map(|h| h.n)
}

/// Decodes labels a batch at a time (the receiver of a prequential code
/// learns from each batch before it can decode the next). Nothing it returns
/// is to be trusted before [`Reader::finish`] has checked the whole file.
pub struct Reader<'a> {
    header: Header<'a>,
    classes: usize,
    decoder: Decoder<'a>,
    rows: Vec<f32>,
    labels: Vec<u8>,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], classes: usize) -> Result<Reader<'a>, LabelsProblem> {
        let header = header(bytes)?;
        Ok(Reader {
            decoder: Decoder::new(header.payload),
            header,
            classes,
            rows: Vec::new(),
            labels: Vec::new(),
        })
    }

    /// Labels in the file.
    pub fn len(&self) -> usize {
        self.header.n
    }

    pub fn is_empty(&self) -> bool {
        self.header.n == 0
    }

    /// Decodes the labels of the next rows (at most as many as remain).
    pub fn next(&mut self, log_probs: &[f32]) -> Vec<u8> {
        let start = self.labels.len();
        for row in log_probs.chunks(self.classes).take(self.header.n - start) {
            let y = self.decoder.decode(&Table::from_log_probs(row)) as u8;
            self.rows.extend_from_slice(row);
            self.labels.push(y);
        }
        self.labels[start..].to_vec()
    }

    /// Every label, once the whole file checks out: as many as the header
    /// says, matching its checksum, and coding back to exactly its bits.
    pub fn finish(self) -> Result<Vec<u8>, LabelsProblem> {
        if self.labels.len() != self.header.n {
            return Err(LabelsProblem::Count {
                file: self.header.n,
                images: self.labels.len(),
            });
        }
        if checksum(&self.labels) != self.header.sum
            || bits_of(&self.rows, self.classes, &self.labels).0 != self.header.payload
        {
            return Err(LabelsProblem::DoesNotCheckOut);
        }
        Ok(self.labels)
    }
}

/// Decodes a file made by [`encode`] with the same probabilities (`classes` per
/// row, one row per image the receiver holds).
pub fn decode(log_probs: &[f32], classes: usize, bytes: &[u8]) -> Result<Vec<u8>, LabelsProblem> {
    let mut r = Reader::new(bytes, classes)?;
    let images = log_probs.len() / classes.max(1);
    if r.len() != images {
        return Err(LabelsProblem::Count {
            file: r.len(),
            images,
        });
    }
    r.next(log_probs);
    r.finish()
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
            let guess = if rng.next_f64() < 0.7 {
                y as usize
            } else {
                rng.below(10)
            };
            let logits: Vec<f64> = (0..10)
                .map(|c| {
                    rng.normal()
                        + if c == guess {
                            3.0 * rng.next_f64() + 1.0
                        } else {
                            0.0
                        }
                })
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
            assert!(
                (c.table_bits - c.ideal_bits).abs() <= 0.001 * n as f64 + 1e-9,
                "{n}"
            );
            assert!(
                c.payload_bytes() <= ideal_bytes + 1,
                "{n}: {} vs {ideal_bytes}",
                c.payload_bytes()
            );
            assert_eq!(c.header_bytes, 4 + if n < 128 { 1 } else { 2 } + 4);
        }
    }

    /// The coder's bound (the file holds Σ −log₂ q, q being p rounded to
    /// multiples of 2⁻¹⁶ with a floor of 2⁻¹⁶, plus at most 2 bits to end it
    /// and the padding), and the size limit it gives a file.
    #[test]
    fn a_label_costs_at_most_16_bits_and_the_largest_file_fits_its_limit() {
        use crate::domain::files::MAX_LABELS_FILE_BYTES;
        let n = MAX_LABELS as usize;
        // The model is certain of class 0 and every label is 9: p(9) = e^-100.
        let mut row = [-100.0f32; 10];
        row[0] = 0.0;
        let lp: Vec<f32> = row.iter().copied().cycle().take(10 * n).collect();
        let labels = vec![9u8; n];
        let c = encode(&lp, 10, &labels);
        assert!(
            c.ideal_bits > 144.0 * n as f64,
            "Σ −log₂ p: {}",
            c.ideal_bits
        );
        assert!(c.table_bits <= 16.0 * n as f64 + 1e-6, "{}", c.table_bits);
        assert!(
            c.coded_bits as f64 <= c.table_bits + 2.0,
            "{} {}",
            c.coded_bits,
            c.table_bits
        );
        assert!(
            (c.bytes.len() as u64) <= MAX_LABELS_FILE_BYTES,
            "{}",
            c.bytes.len()
        );
        // Here the file is far *shorter* than Σ −log₂ p: that sum is no lower
        // bound on this coder, whose floor caps what a label can cost.
        assert!(((8 * c.bytes.len()) as f64) < c.ideal_bits / 9.0);
        assert_eq!(decode(&lp, 10, &c.bytes).unwrap(), labels);
    }

    #[test]
    fn batch_by_batch_is_the_same_file_as_all_at_once() {
        let (lp, labels) = model_rows(300, 11);
        let whole = encode(&lp, 10, &labels);
        let mut w = Writer::new(&labels, 10);
        for rows in lp.chunks(10 * 32) {
            w.push(rows);
        }
        assert_eq!(w.finish(), whole);
        let mut r = Reader::new(&whole.bytes, 10).unwrap();
        let mut got = Vec::new();
        for rows in lp.chunks(10 * 32) {
            got.extend(r.next(rows));
        }
        assert_eq!(got, labels);
        assert_eq!(r.finish().unwrap(), labels);
        // A receiver that stops early has not decoded the file.
        let mut r = Reader::new(&whole.bytes, 10).unwrap();
        r.next(&lp[..100]);
        assert_eq!(
            r.finish(),
            Err(LabelsProblem::Count {
                file: 300,
                images: 10
            })
        );
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
            assert!(
                decode(&lp, 10, &c.bytes[..len]).is_err(),
                "truncated to {len}"
            );
        }
        let mut longer = c.bytes.clone();
        longer.push(0);
        assert_eq!(
            decode(&lp, 10, &longer),
            Err(LabelsProblem::DoesNotCheckOut)
        );
        assert_eq!(
            decode(&lp, 10, b"PK\x03\x04...."),
            Err(LabelsProblem::NotALabelsFile)
        );
        assert_eq!(decode(&lp, 10, b"CL"), Err(LabelsProblem::Truncated));
        // A count past a test set's size is refused from the header, whether it
        // fits 32 bits or not (2^34 in five LEB128 bytes wraps to 0 in a u32).
        for (leb128, declared) in [
            (&[0x91, 0x4e][..], 10_001u64),
            (&[0x80, 0x80, 0x80, 0x80, 0x40][..], 1 << 34),
        ] {
            let mut bomb = MAGIC.to_vec();
            bomb.extend_from_slice(leb128);
            bomb.extend_from_slice(&[0; 8]);
            assert_eq!(count(&bomb), Err(LabelsProblem::TooMany { declared }));
        }
        assert_eq!(
            decode(&lp[..500], 10, &c.bytes),
            Err(LabelsProblem::Count {
                file: 860,
                images: 50
            })
        );
        // Another model (the same labels, other probabilities): refused.
        let (other, _) = model_rows(860, 10);
        assert_eq!(
            decode(&other, 10, &c.bytes),
            Err(LabelsProblem::DoesNotCheckOut)
        );
    }
}
