//! The text page's state and what it derives: the form (which coder), the
//! table of sizes against the standard compressors, the two-part reading of a
//! pretrained model, the text coloured by cost, and the check of a decoded
//! file. Plain types, tested natively; `ui::pages::text` binds them.

use super::url::{QueryIn, QueryOut};
use crate::lang::Lang;
use crate::math::format::{fmt_int, fmt_sig};
use crate::text::report::{self, Char, Part, Script};
use crate::text::{Baseline, Coded, Coder, Compressor};

/// The longest text the page codes.
pub const MAX_TEXT: usize = crate::text::file::MAX_TEXT;
/// Characters drawn coloured (the rest of a long text is summed, not drawn).
pub const MAX_DRAWN: usize = 60_000;

const CODERS: [(&str, Coder); 2] = [("learn", Coder::Learn), ("pretrained", Coder::Pretrained)];

/// The page's settings (its link carries them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextForm {
    pub coder: Coder,
}

impl Default for TextForm {
    fn default() -> Self {
        TextForm {
            coder: Coder::Learn,
        }
    }
}

impl TextForm {
    pub fn to_query(&self) -> String {
        let mut q = QueryOut::default();
        q.word("coder", &CODERS, self.coder, TextForm::default().coder);
        q.finish()
    }

    pub fn from_query(search: &str) -> TextForm {
        let q = QueryIn::parse(search);
        TextForm {
            coder: q
                .word("coder", &CODERS)
                .unwrap_or(TextForm::default().coder),
        }
    }
}

/// Where the text came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The article this course reads.
    Article,
    /// Typed or pasted in the page.
    Typed,
    /// A file the visitor picked (its name).
    File(String),
}

impl Source {
    /// The name of the coded file to download.
    pub fn coded_name(&self) -> String {
        match self {
            Source::Article => "essence-of-large-models.lmz".into(),
            Source::Typed => "text.lmz".into(),
            Source::File(name) => {
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                let stem: String = stem
                    .chars()
                    .filter(|c| c.is_alphanumeric() || "-_".contains(*c))
                    .collect();
                format!("{}.lmz", if stem.is_empty() { "text" } else { &stem })
            }
        }
    }
}

/// Whether a text can be coded: its length against the limit.
pub fn check_length(bytes: usize) -> Result<(), crate::protocol::EngineError> {
    if bytes > MAX_TEXT {
        Err(crate::protocol::EngineError::TextTooLong {
            bytes,
            limit: MAX_TEXT,
        })
    } else {
        Ok(())
    }
}

/// One row of the sizes table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub label: String,
    /// How it was made (crate, setting), in a note.
    pub how: String,
    pub bytes: f64,
    /// Bits per byte of the original text.
    pub bpb: f64,
    /// Whether this row is the language model's file.
    pub ours: bool,
}

/// The sizes table: the original, the order-0 entropy, each compressor, the
/// model's file and what the network and the statistics alone would code,
/// smallest last.
pub fn rows(
    text_len: usize,
    order0_bits: f64,
    baselines: &[Baseline],
    coded: Option<&Coded>,
    lang: Lang,
) -> Vec<Row> {
    let n = text_len.max(1) as f64;
    let row = |label: String, how: String, bytes: f64, ours: bool| Row {
        label,
        how,
        bytes,
        bpb: bytes * 8.0 / n,
        ours,
    };
    let mut out = vec![
        row(
            lang.pick("original text", "原文").into(),
            String::new(),
            text_len as f64,
            false,
        ),
        row(
            lang.pick("order-0 entropy (byte frequencies)", "0 阶熵（字节频率）")
                .into(),
            lang.pick(
                "Σ −log₂ of each byte's frequency; the table itself not counted",
                "每个字节频率的 −log₂ 之和；不计频率表本身",
            )
            .into(),
            order0_bits / 8.0,
            false,
        ),
    ];
    for b in baselines {
        out.push(row(
            b.compressor.label().into(),
            b.how.clone(),
            b.bytes as f64,
            false,
        ));
    }
    if let Some(c) = coded {
        out.push(row(
            lang.pick("neural network alone (ideal)", "仅神经网络（理想编码长度）")
                .into(),
            lang.pick(
                "Σ −log₂ p(byte) of the network's own predictions",
                "网络自己预测的 Σ −log₂ p(字节)",
            )
            .into(),
            c.neural_bits / 8.0,
            false,
        ));
        out.push(row(
            lang.pick(
                "context statistics alone (ideal)",
                "仅上下文统计（理想编码长度）",
            )
            .into(),
            lang.pick(
                "the mixer without the network's input",
                "去掉网络输入的混合器",
            )
            .into(),
            c.stats_bits / 8.0,
            false,
        ));
        out.push(row(
            lang.pick("language model: the .lmz file", "语言模型：.lmz 文件")
                .into(),
            lang.pick(
                "statistics and network mixed, arithmetic-coded, with its 20-byte header",
                "统计与网络混合后算术编码，含 20 字节文件头",
            )
            .into(),
            c.file.len() as f64,
            true,
        ));
    }
    out.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
    out
}

/// How each compressor ran here (the crate and its setting).
pub fn how(c: Compressor, lang: Lang) -> &'static str {
    match c {
        Compressor::Gzip => lang.pick(
            "miniz_oxide, DEFLATE level 10, gzip wrapper",
            "miniz_oxide，DEFLATE 10 级，gzip 封装",
        ),
        Compressor::Zstd => lang.pick("structured-zstd, level 19", "structured-zstd，19 级"),
        Compressor::Xz => lang.pick(
            "lzma-rust2, preset 9 with the extreme settings",
            "lzma-rust2，预设 9 级加极限设置",
        ),
        Compressor::Bzip2 => lang.pick(
            "bzip2 (pure Rust), 900 kB blocks",
            "bzip2（纯 Rust），900 kB 分块",
        ),
        Compressor::Brotli => lang.pick(
            "brotli, quality 11, with its built-in dictionary",
            "brotli，质量 11 级，带内置字典",
        ),
    }
}

/// The best standard compressor's result.
pub fn best_baseline(baselines: &[Baseline]) -> Option<&Baseline> {
    baselines.iter().min_by_key(|b| b.bytes)
}

/// The headline: the model's file against the best standard compressor.
pub fn verdict(coded: &Coded, baselines: &[Baseline], lang: Lang) -> Option<String> {
    let best = best_baseline(baselines)?;
    let (ours, theirs) = (coded.file.len() as f64, best.bytes as f64);
    let share = 100.0 * (1.0 - ours / theirs);
    Some(if ours < theirs {
        lang.pick(
            format!(
                "The language model's file is {} bytes, {}% shorter than {} ({} bytes), \
                 the best of the standard compressors here.",
                fmt_int(coded.file.len() as u64),
                fmt_sig(share, 3),
                best.compressor.label(),
                fmt_int(best.bytes as u64)
            ),
            format!(
                "语言模型的文件是 {} 字节，比这里最好的标准压缩器 {}（{} 字节）短 {}%。",
                fmt_int(coded.file.len() as u64),
                best.compressor.label(),
                fmt_int(best.bytes as u64),
                fmt_sig(share, 3)
            ),
        )
    } else {
        lang.pick(
            format!(
                "The language model's file is {} bytes, not shorter than {} ({} bytes): on a text this short \
                 or this unlike what it knows, the model has too little to learn from.",
                fmt_int(coded.file.len() as u64), best.compressor.label(), fmt_int(best.bytes as u64)
            ),
            format!(
                "语言模型的文件是 {} 字节，没有比 {}（{} 字节）更短：文本太短，或与模型所学的差别太大，模型可学的太少。",
                fmt_int(coded.file.len() as u64), best.compressor.label(), fmt_int(best.bytes as u64)
            ),
        )
    })
}

/// How long the coder took, and at what speed.
pub fn timing(coded: &Coded, text_len: usize, lang: Lang) -> String {
    let secs = coded.millis / 1e3;
    let rate = text_len as f64 / secs.max(1e-3) / 1e3;
    lang.pick(
        format!(
            "Coded in {} s in this browser ({} kB/s, one thread on the CPU).",
            fmt_sig(secs, 3),
            fmt_sig(rate, 3)
        ),
        format!(
            "在这个浏览器里用时 {} 秒（每秒 {} kB，CPU 单线程）。",
            fmt_sig(secs, 3),
            fmt_sig(rate, 3)
        ),
    )
}

/// The two-part reading of a pretrained model: a receiver needs the model
/// too, so it pays off only after `ceil(model / saving)` texts like this one.
pub fn texts_to_pay_off(
    model_bytes: usize,
    coded_bytes: usize,
    baseline_bytes: usize,
) -> Option<u64> {
    let saving = baseline_bytes.checked_sub(coded_bytes).filter(|&s| s > 0)?;
    Some(model_bytes.div_ceil(saving) as u64)
}

/// The sentence of that reading.
pub fn two_part(coded: &Coded, baselines: &[Baseline], lang: Lang) -> Option<String> {
    if coded.model_bytes == 0 {
        return None;
    }
    let best = best_baseline(baselines)?;
    let m = fmt_int(coded.model_bytes as u64);
    let total = fmt_int((coded.model_bytes + coded.file.len()) as u64);
    Some(match texts_to_pay_off(coded.model_bytes, coded.file.len(), best.bytes) {
        Some(n) => lang.pick(
            format!(
                "Counted honestly, a receiver needs the model too: {m} bytes, so model and file together \
                 are {total} bytes. The model pays for itself after {} texts like this one, each {} bytes \
                 shorter than {} — the same bargain as \
                 brotli's built-in dictionary (122,784 bytes that every brotli decoder carries, RFC 7932).",
                fmt_int(n), fmt_int((best.bytes - coded.file.len()) as u64), best.compressor.label()
            ),
            format!(
                "如实计算，接收方也需要模型本身：{m} 字节，模型加文件共 {total} 字节。要编码 {} 篇这样的文本，每篇都比 {} 短 {} 字节，\
                 模型才收回成本——这与 brotli 内置字典的交易相同（每个 brotli 解码器都带着这 122,784 字节，RFC 7932）。",
                fmt_int(n), best.compressor.label(), fmt_int((best.bytes - coded.file.len()) as u64)
            ),
        ),
        None => lang.pick(
            format!(
                "Counted honestly, a receiver needs the model too: {m} bytes, so model and file together \
                 are {total} bytes, and this text alone never pays for it."
            ),
            format!("如实计算，接收方也需要模型本身：{m} 字节，模型加文件共 {total} 字节；仅这篇文本永远收不回成本。"),
        ),
    })
}

/// The Chinese / English / other parts of the text, with their names.
pub fn parts(chars: &[Char]) -> Vec<(Script, Part)> {
    Script::ALL
        .into_iter()
        .zip(report::parts(chars))
        .filter(|(_, p)| p.chars > 0)
        .collect()
}

pub fn script_name(s: Script, lang: Lang) -> &'static str {
    match s {
        Script::Chinese => lang.pick("Chinese characters and punctuation", "汉字和中文标点"),
        Script::English => lang.pick("English letters", "英文字母"),
        Script::Other => lang.pick(
            "spaces, digits, symbols, Markdown",
            "空格、数字、符号、Markdown",
        ),
    }
}

/// The text as HTML: each character a `<span class="sN">` shaded by its bits
/// per byte, carrying its index; escaped, at most [`MAX_DRAWN`] characters.
pub fn coloured_html(chars: &[Char]) -> String {
    let mut out = String::with_capacity(chars.len().min(MAX_DRAWN) * 24);
    for (i, c) in chars.iter().take(MAX_DRAWN).enumerate() {
        out.push_str(&format!(
            "<span class=\"s{}\" data-i=\"{i}\">",
            report::shade(c.bits_per_byte())
        ));
        match c.ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            ch => out.push(ch),
        }
        out.push_str("</span>");
    }
    out
}

/// What the page says of the character under the pointer.
pub fn char_detail(c: &Char, lang: Lang) -> String {
    let shown = match c.ch {
        '\n' => "\\n".to_string(),
        ' ' => lang.pick("space", "空格").to_string(),
        ch => ch.to_string(),
    };
    let p = (-c.bits).exp2();
    lang.pick(
        format!(
            "“{shown}” ({} byte{}): {} bits, {} bits per byte — the model gave it probability {} before seeing it.",
            c.len, if c.len == 1 { "" } else { "s" }, fmt_sig(c.bits, 3), fmt_sig(c.bits_per_byte(), 3), fmt_sig(p, 3)
        ),
        format!(
            "“{shown}”（{} 字节）：{} 比特，每字节 {} 比特——模型在看到它之前给它的概率是 {}。",
            c.len, fmt_sig(c.bits, 3), fmt_sig(c.bits_per_byte(), 3), fmt_sig(p, 3)
        ),
    )
}

/// The legend of the shades: "< 0.5", "0.5–1", …, "≥ 8" bits per byte.
pub fn shade_labels() -> Vec<String> {
    let s = report::SHADES;
    let mut out = vec![format!("< {}", s[0])];
    out.extend(s.windows(2).map(|w| format!("{}–{}", w[0], w[1])));
    out.push(format!("≥ {}", s[s.len() - 1]));
    out
}

/// The check of a decoded file against the text in the page.
pub fn decode_check(decoded: &[u8], original: Option<&[u8]>, lang: Lang) -> (bool, String) {
    let n = fmt_int(decoded.len() as u64);
    match original {
        Some(o) if o == decoded => (
            true,
            lang.pick(
                format!(
                    "Decoded {n} bytes with the model alone: byte for byte the text above, \
                     and its CRC-32 matches."
                ),
                format!("仅用模型解码出 {n} 字节：与上面的文本逐字节相同，CRC-32 也一致。"),
            ),
        ),
        Some(_) => (
            true,
            lang.pick(
                format!(
                    "Decoded {n} bytes with the model alone; its CRC-32 matches the file's, \
                     but it is another text than the one above."
                ),
                format!("仅用模型解码出 {n} 字节，CRC-32 与文件记录一致，但它与上面的文本不同。"),
            ),
        ),
        None => (
            true,
            lang.pick(
                format!("Decoded {n} bytes with the model alone; its CRC-32 matches the file's."),
                format!("仅用模型解码出 {n} 字节，CRC-32 与文件记录一致。"),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(file: usize, model: usize) -> Coded {
        Coded {
            coder: Coder::Learn,
            file: vec![0; file],
            bits: vec![],
            neural_bits: 8.0 * 900.0,
            stats_bits: 8.0 * 800.0,
            model_bytes: model,
            millis: 1.0,
        }
    }

    fn brotli(bytes: usize) -> Baseline {
        Baseline {
            compressor: Compressor::Brotli,
            how: "q11".into(),
            bytes,
            millis: 1.0,
        }
    }

    #[test]
    fn the_form_round_trips_its_link_and_ignores_unknown_words() {
        let f = TextForm {
            coder: Coder::Pretrained,
        };
        assert_eq!(f.to_query(), "?coder=pretrained");
        assert_eq!(TextForm::from_query(&f.to_query()), f);
        assert_eq!(TextForm::default().to_query(), "");
        assert_eq!(TextForm::from_query("coder=zip"), TextForm::default());
    }

    #[test]
    fn rows_are_sorted_largest_first_with_bits_per_byte() {
        let r = rows(1000, 4000.0, &[brotli(600)], Some(&coded(500, 0)), Lang::En);
        let sizes: Vec<f64> = r.iter().map(|r| r.bytes).collect();
        assert_eq!(sizes, vec![1000.0, 900.0, 800.0, 600.0, 500.0, 500.0]);
        let ours = r.iter().find(|r| r.ours).unwrap();
        assert_eq!(ours.bpb, 4.0);
    }

    #[test]
    fn timing_in_seconds_and_kilobytes_a_second() {
        let mut c = coded(10, 0);
        c.millis = 2000.0;
        assert_eq!(
            timing(&c, 36_512, Lang::En),
            "Coded in 2 s in this browser (18.3 kB/s, one thread on the CPU)."
        );
    }

    #[test]
    fn a_pretrained_model_pays_off_after_enough_texts() {
        assert_eq!(texts_to_pay_off(100_000, 7_000, 10_000), Some(34));
        assert_eq!(texts_to_pay_off(100_000, 10_000, 10_000), None);
        assert!(
            two_part(&coded(7_000, 100_000), &[brotli(10_000)], Lang::En)
                .unwrap()
                .contains("34 texts")
        );
        assert!(two_part(&coded(7_000, 0), &[brotli(10_000)], Lang::En).is_none());
        assert!(
            two_part(&coded(7_000, 100_000), &[brotli(10_000)], Lang::Zh)
                .unwrap()
                .contains("34 篇")
        );
    }

    #[test]
    fn the_verdict_names_the_best_compressor() {
        let v = verdict(&coded(8_000, 0), &[brotli(10_000)], Lang::En).unwrap();
        assert!(v.contains("20% shorter than brotli -q 11"), "{v}");
        let v = verdict(&coded(12_000, 0), &[brotli(10_000)], Lang::Zh).unwrap();
        assert!(v.contains("没有比 brotli -q 11"), "{v}");
    }

    #[test]
    fn the_coloured_text_is_escaped_and_shaded() {
        let text = "<a&中";
        let chars = report::chars(text.as_bytes(), &[0.1, 9.0, 1.5, 3.0, 3.0, 3.0]);
        let html = coloured_html(&chars);
        assert_eq!(
            html,
            "<span class=\"s0\" data-i=\"0\">&lt;</span><span class=\"s7\" data-i=\"1\">a</span>\
             <span class=\"s2\" data-i=\"2\">&amp;</span><span class=\"s4\" data-i=\"3\">中</span>"
        );
        assert_eq!(shade_labels().len(), 8);
        assert!(char_detail(&chars[3], Lang::En).contains("9 bits, 3 bits per byte"));
    }

    #[test]
    fn a_file_name_for_the_download() {
        assert_eq!(
            Source::File("notes v2.md".into()).coded_name(),
            "notesv2.lmz"
        );
        assert_eq!(Source::File("...".into()).coded_name(), "text.lmz");
        assert_eq!(Source::Article.coded_name(), "essence-of-large-models.lmz");
    }

    #[test]
    fn a_text_over_the_limit_is_refused_with_its_size() {
        assert!(check_length(MAX_TEXT).is_ok());
        let e = check_length(MAX_TEXT + 1).unwrap_err();
        assert!(
            e.message(Lang::En).contains("1048577 bytes"),
            "{}",
            e.message(Lang::En)
        );
    }

    #[test]
    fn a_decoded_text_is_compared_byte_for_byte() {
        assert!(decode_check(b"abc", Some(b"abc"), Lang::En)
            .1
            .contains("byte for byte"));
        assert!(decode_check(b"abc", Some(b"abd"), Lang::En)
            .1
            .contains("another text"));
        assert!(decode_check(b"abc", None, Lang::Zh).1.contains("CRC-32"));
    }
}
