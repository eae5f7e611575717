//! The compression page: the plan the controls describe, the sweep's points
//! and what they say about the two-part code, and the page's sentences.

use crate::domain::model_ref::SHIPPED;
use crate::domain::{
    pareto, Coding, CompressReport, Granularity, ModelRef, Plan, PruneScope, QuantMode,
};
use crate::lang::Lang;
use crate::math::format::{fmt_bytes, fmt_int, fmt_sig};
use crate::math::stats::{paired_line, wilson, Paired};
use crate::page::url::{QueryIn, QueryOut};
use crate::protocol::{CodedLabels, DecodedLabels};

pub const LOG2_10: f64 = std::f64::consts::LOG2_10;

/// How the surviving weights are stored, as the page's radio buttons say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Float,
    Quantize,
    Share,
}

/// The controls: a pruning share in whole percent and a coding.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlanForm {
    pub sparsity_pct: f64,
    pub scope: PruneScope,
    pub kind: Kind,
    pub bits: u32,
    pub granularity: Granularity,
    pub mode: QuantMode,
    pub k: u32,
}

impl Default for PlanForm {
    /// 8-bit affine per channel, nothing pruned.
    fn default() -> Self {
        PlanForm {
            sparsity_pct: 0.0,
            scope: PruneScope::Global,
            kind: Kind::Quantize,
            bits: 8,
            granularity: Granularity::PerChannel,
            mode: QuantMode::Affine,
            k: 16,
        }
    }
}

impl PlanForm {
    pub fn plan(&self) -> Plan {
        Plan {
            sparsity: self.sparsity_pct.clamp(0.0, 99.0) / 100.0,
            scope: self.scope,
            coding: match self.kind {
                Kind::Float => Coding::Float,
                Kind::Quantize => Coding::Quantize {
                    bits: self.bits.clamp(1, 16),
                    granularity: self.granularity,
                    mode: self.mode,
                },
                Kind::Share => Coding::Share {
                    k: self.k.clamp(2, 256),
                },
            },
        }
    }
}

/// The test-image counts the page offers (the same 860 images, the first n).
pub const IMAGES: [usize; 4] = [100, 200, 430, 860];

const SCOPES: [(&str, PruneScope); 2] = [
    ("global", PruneScope::Global),
    ("layer", PruneScope::PerLayer),
];
const KINDS: [(&str, Kind); 3] = [
    ("float", Kind::Float),
    ("quantize", Kind::Quantize),
    ("share", Kind::Share),
];
const SCALES: [(&str, Granularity); 2] = [
    ("tensor", Granularity::PerTensor),
    ("channel", Granularity::PerChannel),
];
const GRIDS: [(&str, QuantMode); 2] = [
    ("symmetric", QuantMode::Symmetric),
    ("affine", QuantMode::Affine),
];

/// The page's whole form: which model, on how many test images, and the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct CompressForm {
    pub model: ModelRef,
    pub images: usize,
    pub plan: PlanForm,
}

impl Default for CompressForm {
    fn default() -> Self {
        CompressForm {
            model: ModelRef::parse(SHIPPED[0]),
            images: 200,
            plan: PlanForm::default(),
        }
    }
}

impl CompressForm {
    /// The link's query: only what differs from the page as it opens.
    pub fn to_query(&self) -> String {
        let (d, mut q) = (CompressForm::default(), QueryOut::default());
        let (p, dp) = (&self.plan, &d.plan);
        q.put("model", &self.model, &d.model);
        q.put("images", self.images, d.images);
        q.put("prune", p.sparsity_pct, dp.sparsity_pct);
        q.word("scope", &SCOPES, p.scope, dp.scope);
        q.word("store", &KINDS, p.kind, dp.kind);
        q.put("bits", p.bits, dp.bits);
        q.word("per", &SCALES, p.granularity, dp.granularity);
        q.word("grid", &GRIDS, p.mode, dp.mode);
        q.put("k", p.k, dp.k);
        q.finish()
    }

    /// The form a link opens: each value that reads and is one the page
    /// offers; anything else keeps its default.
    pub fn from_query(search: &str) -> CompressForm {
        let q = QueryIn::parse(search);
        let mut f = CompressForm::default();
        if let Some(m) = q.text("model").filter(|m| !m.is_empty()) {
            f.model = ModelRef::parse(m);
        }
        f.images = q
            .number("images", |n| IMAGES.contains(n))
            .unwrap_or(f.images);
        let p = &mut f.plan;
        let whole_percent = |v: &f64| (0.0..=99.0).contains(v) && v.fract() == 0.0;
        p.sparsity_pct = q.number("prune", whole_percent).unwrap_or(p.sparsity_pct);
        p.scope = q.word("scope", &SCOPES).unwrap_or(p.scope);
        p.kind = q.word("store", &KINDS).unwrap_or(p.kind);
        p.bits = q.number("bits", |b| (1..=16).contains(b)).unwrap_or(p.bits);
        p.granularity = q.word("per", &SCALES).unwrap_or(p.granularity);
        p.mode = q.word("grid", &GRIDS).unwrap_or(p.mode);
        let power_of_two = |k: &u32| (2..=256).contains(k) && k.is_power_of_two();
        p.k = q.number("k", power_of_two).unwrap_or(p.k);
        f
    }
}

/// "99.3 kB", "1.23 MB", "812 B" ([`fmt_bytes`] of a count).
pub fn bytes(n: usize) -> String {
    fmt_bytes(n as f64)
}

/// "1,234 bits" / "1,234 比特".
pub fn bits(b: f64, lang: Lang) -> String {
    let n = fmt_int(b.round().max(0.0) as u64);
    lang.pick(format!("{n} bits"), format!("{n} 比特"))
}

/// A signed change in points: "+0.12", "−3.4".
pub fn signed(d: f64) -> String {
    format!(
        "{}{}",
        if d >= 0.0 { "+" } else { "\u{2212}" },
        fmt_sig(d.abs(), 3)
    )
}

/// The note under a report's accuracy: its 95 % interval, the original's
/// accuracy on the same images, the difference and the number of images.
pub fn accuracy_note(r: &CompressReport, lang: Lang) -> String {
    let i = wilson(r.correct, r.images);
    let (lo, hi) = (fmt_sig(100.0 * i.lo, 3), fmt_sig(100.0 * i.hi, 3));
    let base = format!("{:.1}%", 100.0 * r.base_accuracy());
    let (delta, n) = (signed(100.0 * (r.accuracy() - r.base_accuracy())), r.images);
    lang.pick(
        format!("95 % interval {lo}\u{2013}{hi} % \u{b7} original {base} \u{b7} {delta} points \u{b7} {n} images"),
        format!("95% 区间 {lo}\u{2013}{hi}% \u{b7} 原模型 {base} \u{b7} {delta} 个百分点 \u{b7} {n} 张图片"),
    )
}

/// The compressed model against the original on the same images, by the
/// images only one of them gets right (the exact McNemar test).
pub fn paired_note(r: &CompressReport, lang: Lang) -> String {
    let p = Paired {
        only_a: r.only_base_right,
        only_b: r.only_compressed_right,
    };
    match lang {
        Lang::En => paired_line(p, "the original", "the compressed model", lang),
        Lang::Zh => paired_line(p, "原模型", "压缩模型", lang),
    }
}

/// The two-part code of one point for `n` labels: (model bits, label bits, total).
pub fn two_part(r: &CompressReport, n: usize) -> (f64, f64, f64) {
    let m = 8.0 * r.size.file as f64;
    let l = r.label_bits / r.images.max(1) as f64 * n as f64;
    (m, l, m + l)
}

/// The points of a sweep: one model, one number of test images.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepPoints(pub Vec<CompressReport>);

impl SweepPoints {
    /// Adds a measured point, replacing an earlier one of the same plan.
    pub fn add(&mut self, r: CompressReport) {
        self.0.retain(|q| q.plan != r.plan);
        self.0.push(r);
    }

    /// Indices of the Pareto frontier of (file size, accuracy).
    pub fn frontier(&self) -> Vec<usize> {
        let xy: Vec<(f64, f64)> = self
            .0
            .iter()
            .map(|r| (r.size.file as f64, r.accuracy()))
            .collect();
        pareto(&xy)
    }

    /// Indices from the largest file to the smallest.
    pub fn by_size(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.0.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.0[i].size.file));
        order
    }

    /// The labels to explain: `chosen`, or (0) the measured test images.
    pub fn labels(&self, chosen: usize) -> usize {
        match chosen {
            0 => self.0.first().map_or(1, |r| r.images.max(1)),
            n => n,
        }
    }

    /// The point with the shortest two-part code for `n` labels.
    pub fn best(&self, n: usize) -> Option<usize> {
        (0..self.0.len()).min_by(|&a, &b| {
            two_part(&self.0[a], n)
                .2
                .total_cmp(&two_part(&self.0[b], n).2)
        })
    }

    /// What the minimum of the description length says, for `chosen` labels.
    pub fn explain(&self, chosen: usize, lang: Lang) -> String {
        let n = self.labels(chosen);
        let Some(b) = self.best(n) else {
            return String::new();
        };
        let measured = n == self.labels(0);
        let (m, l, t) = two_part(&self.0[b], n);
        let uniform = n as f64 * LOG2_10;
        let (ns, plan) = (fmt_int(n as u64), self.0[b].plan.label_in(lang));
        let (m, l, tb, u) = (
            bits(m, lang),
            bits(l, lang),
            bits(t, lang),
            bits(uniform, lang),
        );
        match lang {
            Lang::En => format!(
                "With {ns} labels to explain{}, the shortest two-part code is \u{201c}{plan}\u{201d}: {m} of model \
                 plus {l} of labels = {tb}. {}",
                if measured { " (measured)" } else { " (label cost extrapolated from the measured images)" },
                if t > uniform {
                    format!(
                        "That is still longer than simply writing each label with log\u{2082} 10 bits ({u}): a \
                         network of this size only pays for itself when it explains many more labels. Every bit \
                         of model must save more than one bit of labels, so with few labels the smallest model \
                         that still predicts something wins; raise the number of labels and the minimum moves to \
                         larger, more accurate models."
                    )
                } else {
                    format!(
                        "That beats writing each label with log\u{2082} 10 bits ({u}). The minimum sits where one \
                         more bit of model would save less than one bit of labels: smaller models lose accuracy \
                         and pay for it in every label; larger ones cost more bits than they save."
                    )
                }
            ),
            Lang::Zh => format!(
                "要解释 {ns} 个标签{}，最短的两部分编码是\u{201c}{plan}\u{201d}：模型 {m} 加标签 {l} = {tb}。{}",
                if measured { "（实测）" } else { "（标签代价由实测图片外推）" },
                if t > uniform {
                    format!(
                        "这仍然比直接用 log\u{2082} 10 比特写下每个标签（{u}）更长：这么大的网络只有在解释多得多的标签时\
                         才划算。模型的每一比特都必须省下不止一比特的标签，所以标签很少时，仍能预测的最小模型获胜；\
                         增加标签数，最小值就移向更大、更准的模型。"
                    )
                } else {
                    format!(
                        "这比用 log\u{2082} 10 比特写下每个标签（{u}）更短。最小值出现在：再多一比特模型所省下的标签\
                         不到一比特——更小的模型损失准确率，每个标签都要为此付出；更大的模型花的比特比省下的多。"
                    )
                }
            ),
        }
    }
}

/// Where a sweep stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepProgress {
    pub running: bool,
    pub done: usize,
    pub total: usize,
}

impl SweepProgress {
    pub fn line(&self, lang: Lang) -> String {
        let (d, t) = (self.done, self.total);
        match (lang, self.total, self.running) {
            (_, 0, _) => String::new(),
            (Lang::En, _, true) => format!("Sweep: {d} of {t} settings measured\u{2026}"),
            (Lang::En, _, false) => format!("Sweep finished: {d} of {t} settings measured."),
            (Lang::Zh, _, true) => format!("扫描：已测量 {d}/{t} 个设置\u{2026}"),
            (Lang::Zh, _, false) => format!("扫描结束：已测量 {d}/{t} 个设置。"),
        }
    }
}

/// The coded-labels file against the code length it stands for: rows of
/// (what, how much) for the page's table.
pub fn coded_rows(c: &CodedLabels, lang: Lang) -> Vec<(String, String)> {
    let ideal_bytes = (c.ideal_bits / 8.0).ceil() as usize;
    let table_bytes = (c.table_bits / 8.0).ceil() as usize;
    let payload = c.file.bytes.len() - c.header_bytes;
    let uniform = c.labels as f64 * LOG2_10;
    let mut rows = vec![
        (
            lang.pick(
                "Σ −log₂ p(y|x) under the model (no bound on this file)",
                "模型下的 Σ −log₂ p(y|x)（不是本文件的下界）",
            )
            .into(),
            format!("{} = {}", bits(c.ideal_bits, lang), bytes(ideal_bytes)),
        ),
        (
            lang.pick(
                "Σ −log₂ q, q = p rounded to multiples of 2⁻¹⁶, at least 2⁻¹⁶: what the coder codes",
                "Σ −log₂ q，q 为 p 取整到 2⁻¹⁶ 的倍数、至少 2⁻¹⁶：编码器实际编码的概率",
            )
            .into(),
            format!("{} = {}", bits(c.table_bits, lang), bytes(table_bytes)),
        ),
        (
            lang.pick("What the arithmetic coder wrote", "算术编码器写出的")
                .into(),
            format!(
                "{} \u{2192} {}",
                bits(c.coded_bits as f64, lang),
                bytes(payload)
            ),
        ),
        (
            lang.pick(
                "Header (format, count, checksum)",
                "文件头（格式、个数、校验和）",
            )
            .into(),
            bytes(c.header_bytes),
        ),
        (
            lang.pick("The file", "文件").into(),
            format!("{} ({} B)", c.file.name, fmt_int(c.file.bytes.len() as u64)),
        ),
        (
            lang.pick(
                "Without a model (log₂ 10 bits a label)",
                "不用模型（每个标签 log₂ 10 比特）",
            )
            .into(),
            format!(
                "{} = {}",
                bits(uniform, lang),
                bytes((uniform / 8.0).ceil() as usize)
            ),
        ),
    ];
    if let Some(m) = c.model_bytes {
        rows.push((
            lang.pick(
                "Two-part code: the .clz + this file",
                "两部分编码：.clz + 本文件",
            )
            .into(),
            format!(
                "{} B + {} B = {} B",
                fmt_int(m as u64),
                fmt_int(c.file.bytes.len() as u64),
                fmt_int((m + c.file.bytes.len()) as u64)
            ),
        ));
    }
    rows
}

/// One sentence on how close the file came to what the coder codes: within
/// 2 bits of Σ −log₂ q, plus the padding to a byte.
pub fn coded_line(c: &CodedLabels, lang: Lang) -> String {
    let table_bytes = (c.table_bits / 8.0).ceil() as usize;
    let payload = c.file.bytes.len() - c.header_bytes;
    let over = payload as i64 - table_bytes as i64;
    let n = fmt_int(c.labels as u64);
    let secs = fmt_sig(c.millis / 1e3, 2);
    lang.pick(
        format!(
            "{n} labels coded with the model's own probabilities in {secs} s: the coded bits take {payload} B, \
             {over:+} B against \u{2308}\u{3a3} \u{2212}log\u{2082} q / 8\u{2309} = {table_bytes} B \
             (the coder ends at most 2 bits above \u{3a3} \u{2212}log\u{2082} q)."
        ),
        format!(
            "用模型自己的概率编码了 {n} 个标签，用时 {secs} 秒：编码后的比特占 {payload} 字节，\
             与 \u{2308}\u{3a3} \u{2212}log\u{2082} q / 8\u{2309} = {table_bytes} 字节相差 {over:+} 字节\
             （编码器最多比 \u{3a3} \u{2212}log\u{2082} q 多 2 比特）。"
        ),
    )
}

/// What decoding a file gave.
pub fn decoded_line(d: &DecodedLabels, lang: Lang) -> String {
    let (eq, n) = (fmt_int(d.equal as u64), fmt_int(d.labels as u64));
    let secs = fmt_sig(d.millis / 1e3, 2);
    lang.pick(
        format!(
            "Decoded {} with the model and the test images alone in {secs} s: {eq} of {n} labels equal the originals.",
            d.name
        ),
        format!(
            "只用模型和测试图片就解码了 {}，用时 {secs} 秒：{n} 个标签中有 {eq} 个与原标签相同。",
            d.name
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Arch, SizeAccount};

    #[test]
    fn a_link_opens_the_same_form_and_only_values_the_page_offers() {
        assert_eq!(CompressForm::default().to_query(), "");
        let f = CompressForm {
            model: ModelRef::parse("lab-cnn-s"),
            images: 860,
            plan: PlanForm {
                sparsity_pct: 37.0,
                scope: PruneScope::PerLayer,
                kind: Kind::Share,
                bits: 3,
                granularity: Granularity::PerTensor,
                mode: QuantMode::Symmetric,
                k: 64,
            },
        };
        let q = f.to_query();
        assert_eq!(
            q,
            "?model=lab-cnn-s&images=860&prune=37&scope=layer&store=share&bits=3&per=tensor&grid=symmetric&k=64"
        );
        assert_eq!(CompressForm::from_query(&q), f);
        // Values no menu offers keep their defaults.
        let odd =
            CompressForm::from_query("?images=999999999&prune=37.5&bits=17&k=48&store=zip&per=row");
        assert_eq!(odd, CompressForm::default());
        let odd = CompressForm::from_query("?prune=-1&k=512&images=0&model=");
        assert_eq!(odd, CompressForm::default());
    }

    fn point(file: usize, correct: usize, label_bits: f64, plan: Plan) -> CompressReport {
        CompressReport {
            plan,
            arch: Arch::DocCnn,
            parameters: 1000,
            original_bytes: 4000,
            size: SizeAccount {
                file,
                ..SizeAccount::default()
            },
            layers: vec![],
            images: 100,
            correct,
            label_bits,
            base_correct: 70,
            base_label_bits: 100.0,
            only_base_right: 0,
            only_compressed_right: 0,
            deflate_label_bits: 300,
            range: 1.0,
            hist_before: vec![],
            hist_after: vec![],
            zeros_after: 0,
            millis: 1.0,
        }
    }

    fn plan(bits: u32) -> Plan {
        PlanForm {
            bits,
            ..PlanForm::default()
        }
        .plan()
    }

    #[test]
    fn the_form_makes_the_plan_the_heading_names() {
        assert_eq!(
            PlanForm::default().plan().label(),
            "8-bit affine per channel"
        );
        let f = PlanForm {
            sparsity_pct: 90.0,
            scope: PruneScope::PerLayer,
            bits: 2,
            ..PlanForm::default()
        };
        assert_eq!(
            f.plan().label(),
            "90% pruned per layer · 2-bit affine per channel"
        );
        assert_eq!(
            f.plan().label_in(Lang::Zh),
            "逐层剪枝 90% · 2 位逐通道仿射量化"
        );
        let share = PlanForm {
            kind: Kind::Share,
            ..PlanForm::default()
        };
        assert_eq!(share.plan().label(), "16 shared values");
    }

    #[test]
    fn the_minimum_moves_to_larger_models_with_more_labels() {
        let mut s = SweepPoints::default();
        // A small, poor model and a large, good one (per label: 3 bits vs 1 bit).
        s.add(point(10, 30, 300.0, plan(2)));
        s.add(point(1000, 70, 100.0, plan(8)));
        s.add(point(1000, 70, 100.0, plan(8))); // the same plan again replaces it
        assert_eq!(s.0.len(), 2);
        assert_eq!(s.frontier(), [0, 1]);
        assert_eq!(s.by_size(), [1, 0]);
        // 100 labels: 80 + 300 bits beats 8,000 + 100.
        assert_eq!(s.best(s.labels(0)), Some(0));
        let en = s.explain(0, Lang::En);
        assert!(en.starts_with(
            "With 100 labels to explain (measured), the shortest two-part code is “2-bit"
        ));
        // 1,000,000 labels: the large model's 1 bit per label wins.
        assert_eq!(s.best(1_000_000), Some(1));
        assert!(s
            .explain(1_000_000, Lang::En)
            .contains("(label cost extrapolated"));
        assert!(s
            .explain(1_000_000, Lang::Zh)
            .starts_with("要解释 1,000,000 个标签（标签代价由实测图片外推）"));
        assert_eq!(two_part(&s.0[1], 10), (8000.0, 10.0, 8010.0));
    }

    #[test]
    fn formats() {
        assert_eq!(bytes(99_254), "99.3 kB");
        assert_eq!(bytes(812), "812 B");
        assert_eq!(bits(1234.4, Lang::Zh), "1,234 比特");
        assert_eq!(signed(-0.93), "\u{2212}0.93");
        let p = SweepProgress {
            running: false,
            done: 8,
            total: 8,
        };
        assert_eq!(
            p.line(Lang::En),
            "Sweep finished: 8 of 8 settings measured."
        );
    }

    fn coded(model_bytes: Option<usize>) -> CodedLabels {
        CodedLabels {
            file: crate::protocol::NamedFile {
                name: "lab-cnn-labels-200.cll".into(),
                bytes: vec![0; 10 + 70],
            },
            labels: 200,
            ideal_bits: 553.2,
            table_bits: 553.4,
            coded_bits: 555,
            header_bytes: 10,
            model_bytes,
            millis: 1234.0,
        }
    }

    #[test]
    fn a_report_gives_its_accuracy_with_an_interval_and_the_paired_comparison() {
        let mut r = point(1000, 79, 100.0, plan(8));
        r.images = 200;
        r.correct = 158;
        r.base_correct = 160;
        (r.only_base_right, r.only_compressed_right) = (9, 7);
        assert_eq!(
            accuracy_note(&r, Lang::En),
            "95 % interval 72.8\u{2013}84.1 % \u{b7} original 80.0% \u{b7} \u{2212}1 points \u{b7} 200 images"
        );
        assert!(accuracy_note(&r, Lang::Zh).starts_with("95% 区间 72.8\u{2013}84.1%"));
        let en = paired_note(&r, Lang::En);
        assert!(
            en.contains(
                "disagree 16 times: 9 only the original gets right, 7 only the compressed model"
            ),
            "{en}"
        );
        assert!(paired_note(&r, Lang::Zh).contains("9 张只有原模型判对"));
    }

    #[test]
    fn the_labels_file_is_held_against_its_ideal_in_both_languages() {
        let c = coded(None);
        let rows = coded_rows(&c, Lang::En);
        assert_eq!(rows[0].1, "553 bits = 70 B");
        assert!(rows[0].0.contains("no bound on this file"));
        assert_eq!(rows[1].1, "553 bits = 70 B");
        assert_eq!(rows[2].1, "555 bits \u{2192} 70 B");
        assert_eq!(rows[4].1, "lab-cnn-labels-200.cll (80 B)");
        assert_eq!(rows[5].1, "664 bits = 84 B");
        assert_eq!(rows.len(), 6);
        assert!(coded_line(&c, Lang::En).contains("70 B, +0 B against"));
        assert!(coded_line(&c, Lang::Zh).contains("相差 +0 字节"));
        let two = coded_rows(&coded(Some(12_345)), Lang::Zh);
        assert_eq!(two[6].1, "12,345 B + 80 B = 12,425 B");
        assert!(two[6].0.contains("两部分编码"));
        let d = DecodedLabels {
            name: "x.cll".into(),
            labels: 200,
            equal: 200,
            millis: 900.0,
        };
        assert!(decoded_line(&d, Lang::En).contains("200 of 200 labels equal"));
        assert!(decoded_line(&d, Lang::Zh).contains("200 个标签中有 200 个"));
    }
}
