//! The coder: each byte, most significant bit first, is coded with the
//! context statistics' mixer ([`cm`]), which also takes the neural network's
//! prediction of that bit ([`nn`]) as one more input. The network predicts
//! the whole next byte (a 256-way softmax); the probability of the next bit
//! is the mass of the bytes that agree with the bits seen so far.
//!
//! Prequential: every prediction is made before its byte is seen; then the
//! mixer, the statistics and the network learn from it. The decoder makes the
//! same predictions in the same order, so it needs nothing but the model the
//! coder started from (none, or the shipped pretrained network).
//!
//! For the report, the statistics alone (the same mixer without the network's
//! input) and the network alone are scored on the same bytes.

use super::cm::{self, Predictor};
use super::file::{FileError, Header, HEADER};
use super::nn::{self, ByteModel, NnConfig};
use super::{Coded, Coder};

/// The pretrained model's file among the site's files.
pub const PRIOR_FILE: &str = "models/text-lm.bin";

/// The seed of a network that starts from nothing: fixed, so a decoder
/// starts from the same random weights.
const SEED: u64 = 0x5eed_7e47;

/// Progress is reported every this many bytes.
const REPORT_EVERY: usize = 2048;

/// The shipped pretrained network and its id ([`model_id`]).
pub struct Prior {
    pub model: ByteModel,
    pub id: u32,
    pub bytes: usize,
}

impl Prior {
    pub fn from_bytes(bytes: &[u8]) -> Result<Prior, nn::LoadError> {
        Ok(Prior {
            model: ByteModel::from_bytes(bytes)?,
            id: model_id(bytes),
            bytes: bytes.len(),
        })
    }
}

/// The id of a model file, as a coded file's header names it: its CRC-32
/// (it tells models apart; it is no signature).
pub fn model_id(bytes: &[u8]) -> u32 {
    super::file::crc32(bytes)
}

/// The configuration of the context statistics (about 49 MiB of tables).
fn stats_config() -> cm::Config {
    cm::Config::default()
}

/// The network a coder starts from.
fn network(coder: Coder, prior: Option<&Prior>) -> ByteModel {
    match (coder, prior) {
        (Coder::Pretrained, Some(p)) => p.model.clone(),
        _ => ByteModel::new(&NnConfig::default(), SEED),
    }
}

/// The mixer's input from the network: the 12-bit probability of a 1 bit,
/// in the statistics' stretch domain (integer from here on, so both sides agree).
fn network_input(stats: &Predictor, dist: &[f32; 256], partial: u32) -> i32 {
    let p = nn::bit_probability(dist, partial);
    let p12 = (p * 4096.0).round().clamp(1.0, 4095.0) as u32;
    stats.stretch_of(p12)
}

/// −log₂ of the probability a 12-bit `p` (of a 1) gives bit `y`.
fn bit_cost(p: u32, y: u32) -> f64 {
    let q = if y == 1 { p } else { 4096 - p };
    -(f64::from(q) / 4096.0).log2()
}

/// Codes `text`; `progress(done, total)` is called every few thousand bytes.
/// A pretrained coder needs `prior` (without it, it starts from nothing).
pub fn code(
    text: &[u8],
    coder: Coder,
    prior: Option<&Prior>,
    progress: &mut dyn FnMut(usize, usize),
) -> Coded {
    let coder = if prior.is_none() { Coder::Learn } else { coder };
    let mut net = network(coder, prior);
    let (mut mixed, mut alone) = (
        Predictor::new(&stats_config()),
        Predictor::new(&stats_config()),
    );
    let mut enc = cm::Encoder::new();
    let (mut bits, mut neural_bits, mut stats_bits) = (Vec::with_capacity(text.len()), 0.0, 0.0);
    for (i, &byte) in text.iter().enumerate() {
        if i % REPORT_EVERY == 0 {
            progress(i, text.len());
        }
        let dist = *net.predict();
        neural_bits -= f64::from(dist[byte as usize]).log2();
        let (mut cost, mut partial) = (0.0, 1u32);
        for k in (0..8).rev() {
            let y = u32::from((byte >> k) & 1);
            mixed.set_extra_input(network_input(&mixed, &dist, partial));
            let p = mixed.p();
            enc.encode(y, p);
            cost += bit_cost(p, y);
            stats_bits += bit_cost(alone.p(), y);
            mixed.update(y);
            alone.update(y);
            partial = (partial << 1) | y;
        }
        bits.push(cost as f32);
        net.learn(byte);
    }
    progress(text.len(), text.len());
    let model = if coder == Coder::Pretrained {
        prior.map_or(0, |p| p.id)
    } else {
        0
    };
    let mut file = Header::for_text(coder, model, text).to_bytes().to_vec();
    file.extend(enc.finish());
    Coded {
        coder,
        file,
        bits,
        neural_bits,
        stats_bits,
        model_bytes: if coder == Coder::Pretrained {
            prior.map_or(0, |p| p.bytes)
        } else {
            0
        },
        millis: 0.0,
    }
}

/// The coder a file names, if it is one of ours (to know whether the
/// pretrained model must be fetched before [`decode`]).
pub fn coder_of(file: &[u8]) -> Option<Coder> {
    (file.len() >= HEADER && file[..4] == super::file::MAGIC)
        .then(|| Coder::from_id(file[5]))
        .flatten()
}

/// Decodes a `.lmz` file: the header checked before anything is allocated,
/// the text checked against its CRC after.
pub fn decode(
    file: &[u8],
    prior: Option<&Prior>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Coder, Vec<u8>), FileError> {
    let header = Header::read(file, prior.map_or(0, |p| p.id))?;
    let mut net = network(header.coder, prior);
    let mut mixed = Predictor::new(&stats_config());
    let mut dec = cm::Decoder::new(&file[HEADER..]);
    let mut text = Vec::with_capacity(header.len);
    for i in 0..header.len {
        if i % REPORT_EVERY == 0 {
            progress(i, header.len);
        }
        let dist = *net.predict();
        let mut partial = 1u32;
        for _ in 0..8 {
            mixed.set_extra_input(network_input(&mixed, &dist, partial));
            let y = dec.decode(mixed.p());
            mixed.update(y);
            partial = (partial << 1) | y;
        }
        let byte = (partial & 0xff) as u8;
        text.push(byte);
        net.learn(byte);
        if dec.overran() {
            // A truncated file, or a header that declares more text than the
            // code holds: stop now rather than decode a megabyte of nothing.
            return Err(FileError::Damaged);
        }
    }
    progress(header.len, header.len);
    if !dec.consumed_exactly() {
        return Err(FileError::Damaged);
    }
    header.check(text).map(|t| (header.coder, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "压缩就是预测：a model that predicts the next byte well is a short code for it. \
                        模型越能预测下一个字节，编码就越短。The coder spends -log2 p bits on each byte.";

    fn code_it(text: &[u8], coder: Coder, prior: Option<&Prior>) -> Coded {
        code(text, coder, prior, &mut |_, _| {})
    }

    #[test]
    fn a_text_codes_and_decodes_back_byte_for_byte() {
        for text in [TEXT.as_bytes(), b"", b"a", &[0u8, 255, 7, 0xe4, 0xb8][..]] {
            let c = code_it(text, Coder::Learn, None);
            assert_eq!(c.bits.len(), text.len());
            let (coder, back) = decode(&c.file, None, &mut |_, _| {}).unwrap();
            assert_eq!((coder, back.as_slice()), (Coder::Learn, text));
        }
    }

    #[test]
    fn the_file_is_its_header_plus_about_the_ideal_code_length() {
        let text = TEXT.repeat(3);
        let c = code_it(text.as_bytes(), Coder::Learn, None);
        let ideal: f64 = c.bits.iter().map(|&b| f64::from(b)).sum();
        let payload = (c.file.len() - HEADER) as f64;
        assert!(
            (payload - ideal / 8.0).abs() <= 4.0,
            "payload {payload} B, ideal {} B",
            ideal / 8.0
        );
        assert!(
            c.file.len() < text.len() / 2,
            "{} of {}",
            c.file.len(),
            text.len()
        );
        assert!(c.neural_bits > 0.0 && c.stats_bits > 0.0);
    }

    #[test]
    fn coding_is_deterministic() {
        let a = code_it(TEXT.as_bytes(), Coder::Learn, None);
        let b = code_it(TEXT.as_bytes(), Coder::Learn, None);
        assert_eq!(a.file, b.file);
        assert_eq!(a.bits, b.bits);
    }

    #[test]
    fn damage_anywhere_is_an_error_never_other_text() {
        let c = code_it(TEXT.as_bytes(), Coder::Learn, None);
        for at in [HEADER, HEADER + 7, c.file.len() / 2, c.file.len() - 1] {
            let mut bad = c.file.clone();
            bad[at] ^= 0x20;
            assert_eq!(
                decode(&bad, None, &mut |_, _| {}).unwrap_err(),
                FileError::Damaged,
                "byte {at}"
            );
        }
        for cut in [1, 5, c.file.len() - HEADER] {
            let short = &c.file[..c.file.len() - cut];
            assert_eq!(
                decode(short, None, &mut |_, _| {}).unwrap_err(),
                FileError::Damaged,
                "cut {cut}"
            );
        }
        // A header that declares far more text than its code holds stops early.
        let mut lying = c.file.clone();
        lying[12..16].copy_from_slice(&(super::super::file::MAX_TEXT as u32).to_le_bytes());
        let mut decoded = 0;
        assert_eq!(
            decode(&lying, None, &mut |d, _| decoded = d).unwrap_err(),
            FileError::Damaged
        );
        assert!(decoded < 20 * REPORT_EVERY, "stopped after {decoded} bytes");
        let mut longer = c.file.clone();
        longer.push(0);
        assert_eq!(
            decode(&longer, None, &mut |_, _| {}).unwrap_err(),
            FileError::Damaged
        );
    }

    #[test]
    fn a_pretrained_file_needs_the_same_model() {
        let small = NnConfig {
            hash_bits: 8,
            hidden: 16,
            ..NnConfig::default()
        };
        let bytes = ByteModel::new(&small, 3).to_int8_bytes();
        let prior = Prior::from_bytes(&bytes).unwrap();
        let c = code_it(TEXT.as_bytes(), Coder::Pretrained, Some(&prior));
        assert_eq!(coder_of(&c.file), Some(Coder::Pretrained));
        assert_eq!(c.model_bytes, bytes.len());
        let (_, back) = decode(&c.file, Some(&prior), &mut |_, _| {}).unwrap();
        assert_eq!(back, TEXT.as_bytes());
        assert_eq!(
            decode(&c.file, None, &mut |_, _| {}).unwrap_err(),
            FileError::OtherModel {
                file: prior.id,
                ours: 0
            }
        );
        let other = Prior::from_bytes(&ByteModel::new(&small, 4).to_int8_bytes()).unwrap();
        assert!(matches!(
            decode(&c.file, Some(&other), &mut |_, _| {}),
            Err(FileError::OtherModel { .. })
        ));
    }

    #[test]
    fn the_shipped_model_loads_and_is_the_one_its_metadata_names() {
        let bytes =
            std::fs::read(crate::data::local::root().join("public").join(PRIOR_FILE)).unwrap();
        let meta =
            std::fs::read_to_string(crate::data::local::root().join("public/models/text-lm.json"))
                .unwrap();
        let prior = Prior::from_bytes(&bytes).unwrap();
        assert!(
            meta.contains(&format!("\"id\": \"{:08x}\"", prior.id)),
            "{meta}"
        );
        assert!(meta.contains(&format!("\"bytes\": {}", bytes.len())));
        assert!(meta.contains(&format!(
            "\"parameters\": {}",
            prior.model.config().param_count()
        )));
        // It knows the books' language: a sentence of the kind it read codes
        // shorter with it than from nothing.
        let s = "fn main() { println!(\"Hello, world!\"); } 所有权是 Rust 最独特的功能。".repeat(2);
        let with = code_it(s.as_bytes(), Coder::Pretrained, Some(&prior));
        let without = code_it(s.as_bytes(), Coder::Learn, None);
        assert!(
            with.file.len() < without.file.len(),
            "{} vs {}",
            with.file.len(),
            without.file.len()
        );
    }

    #[test]
    fn progress_reaches_the_end() {
        let mut seen = Vec::new();
        let text = vec![b'x'; REPORT_EVERY * 2 + 5];
        code(&text, Coder::Learn, None, &mut |d, t| seen.push((d, t)));
        assert_eq!(seen.first(), Some(&(0, text.len())));
        assert_eq!(seen.last(), Some(&(text.len(), text.len())));
    }
}
