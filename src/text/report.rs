//! What a coded text costs, character by character: the bits of each
//! character (the sum of −log₂ p over its bytes, under the prediction made
//! before the coder saw it), grouped by script so the Chinese and the English
//! parts are reported apart, and the shading the page colours them with.

/// Which part of a bilingual text a character belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    /// CJK ideographs, CJK punctuation and full-width forms.
    Chinese,
    /// ASCII letters.
    English,
    /// Everything else: spaces, digits, punctuation, Markdown, other scripts.
    Other,
}

impl Script {
    pub const ALL: [Script; 3] = [Script::Chinese, Script::English, Script::Other];

    pub fn of(c: char) -> Script {
        match c as u32 {
            0x3000..=0x303f
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xf900..=0xfaff
            | 0xff00..=0xffef => Script::Chinese,
            0x20000..=0x3134f => Script::Chinese,
            _ if c.is_ascii_alphabetic() => Script::English,
            _ => Script::Other,
        }
    }
}

/// One character of the text and what it cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Char {
    /// Its first byte's index in the text.
    pub at: usize,
    /// Its bytes (1–4; an invalid byte is a character of its own, shown as U+FFFD).
    pub len: usize,
    pub ch: char,
    pub bits: f64,
}

impl Char {
    pub fn bits_per_byte(&self) -> f64 {
        self.bits / self.len as f64
    }
}

/// Splits `text` into characters with their costs; `bits[i]` is byte i's.
pub fn chars(text: &[u8], bits: &[f32]) -> Vec<Char> {
    let cost = |at: usize, len: usize| {
        bits[at..(at + len).min(bits.len())]
            .iter()
            .map(|&b| f64::from(b))
            .sum()
    };
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for chunk in text.utf8_chunks() {
        for ch in chunk.valid().chars() {
            let len = ch.len_utf8();
            out.push(Char {
                at,
                len,
                ch,
                bits: cost(at, len),
            });
            at += len;
        }
        for _ in chunk.invalid() {
            out.push(Char {
                at,
                len: 1,
                ch: char::REPLACEMENT_CHARACTER,
                bits: cost(at, 1),
            });
            at += 1;
        }
    }
    out
}

/// The bits and bytes of one script's characters.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Part {
    pub chars: usize,
    pub bytes: usize,
    pub bits: f64,
}

impl Part {
    pub fn bits_per_byte(&self) -> Option<f64> {
        (self.bytes > 0).then(|| self.bits / self.bytes as f64)
    }
    pub fn bits_per_char(&self) -> Option<f64> {
        (self.chars > 0).then(|| self.bits / self.chars as f64)
    }
}

/// The text's parts by script, in [`Script::ALL`]'s order.
pub fn parts(chars: &[Char]) -> [Part; 3] {
    let mut parts = [Part::default(); 3];
    for c in chars {
        let i = Script::ALL
            .iter()
            .position(|&s| s == Script::of(c.ch))
            .unwrap_or(2);
        parts[i].chars += 1;
        parts[i].bytes += c.len;
        parts[i].bits += c.bits;
    }
    parts
}

/// The shades of the coloured text, by a character's bits per byte: the upper
/// bound of each shade (the last is open).
pub const SHADES: [f64; 7] = [0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0];

/// The shade (0..=7) of a character that cost `bits_per_byte`.
pub fn shade(bits_per_byte: f64) -> usize {
    SHADES
        .iter()
        .position(|&top| bits_per_byte < top)
        .unwrap_or(SHADES.len())
}

/// Bits per byte along the text: the mean over each of `points` equal runs of bytes.
pub fn along(bits: &[f32], points: usize) -> Vec<(usize, f64)> {
    if bits.is_empty() || points == 0 {
        return Vec::new();
    }
    let step = bits.len().div_ceil(points);
    bits.chunks(step)
        .enumerate()
        .map(|(i, run)| {
            (
                i * step + run.len(),
                run.iter().map(|&b| f64::from(b)).sum::<f64>() / run.len() as f64,
            )
        })
        .collect()
}

/// The order-0 entropy of `text` in bits: Σ −log₂ (count/n) over its bytes,
/// the shortest code a fixed table of byte frequencies gives (the table itself
/// not counted).
pub fn order0_bits(text: &[u8]) -> f64 {
    let mut counts = [0u64; 256];
    for &b in text {
        counts[b as usize] += 1;
    }
    let n = text.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| c as f64 * (n / c as f64).log2())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_costs_the_bits_of_its_bytes() {
        let text = "a中b".as_bytes();
        let bits = [1.0, 2.0, 3.0, 4.0, 0.5];
        let cs = chars(text, &bits);
        assert_eq!(cs.len(), 3);
        assert_eq!(
            (cs[1].at, cs[1].len, cs[1].ch, cs[1].bits),
            (1, 3, '中', 9.0)
        );
        assert_eq!(cs[1].bits_per_byte(), 3.0);
        let p = parts(&cs);
        assert_eq!(
            p[0],
            Part {
                chars: 1,
                bytes: 3,
                bits: 9.0
            }
        );
        assert_eq!(
            p[1],
            Part {
                chars: 2,
                bytes: 2,
                bits: 1.5
            }
        );
        assert_eq!(p[2].bits_per_byte(), None);
    }

    #[test]
    fn invalid_bytes_are_characters_of_their_own() {
        let text = [b'x', 0xff, 0xe4, b'y'];
        let cs = chars(&text, &[1.0; 4]);
        assert_eq!(
            cs.iter().map(|c| c.ch).collect::<String>(),
            "x\u{fffd}\u{fffd}y"
        );
        assert_eq!(cs.iter().map(|c| c.len).sum::<usize>(), 4);
    }

    #[test]
    fn scripts_and_shades() {
        assert_eq!(Script::of('模'), Script::Chinese);
        assert_eq!(Script::of('，'), Script::Chinese);
        assert_eq!(Script::of('Q'), Script::English);
        assert_eq!(Script::of('7'), Script::Other);
        assert_eq!(Script::of('é'), Script::Other);
        assert_eq!(shade(0.0), 0);
        assert_eq!(shade(0.5), 1);
        assert_eq!(shade(7.9), 6);
        assert_eq!(shade(12.0), 7);
    }

    #[test]
    fn order0_entropy_of_known_texts() {
        assert_eq!(order0_bits(b"aaaa"), 0.0);
        assert!((order0_bits(b"abab") - 4.0).abs() < 1e-12);
        assert!((order0_bits(b"abcd") - 8.0).abs() < 1e-12);
    }

    #[test]
    fn along_the_text_averages_runs() {
        let a = along(&[1.0, 3.0, 2.0, 2.0, 5.0], 3);
        assert_eq!(a, vec![(2, 2.0), (4, 2.0), (5, 5.0)]);
    }
}
