//! The loss calculators' model: what a visitor typed, read and computed as
//! the pages show it (per-sample rows, the totals, the code length in bits),
//! with errors typed per input. The views in `ui/pages/losses` bind it; the
//! tests here reach all of it natively.

use crate::lang::{Lang, Localized};
use crate::math::doc_check::{CE_EXAMPLE, MSE_EXAMPLE};
use crate::math::format::{fmt_num, fmt_sig};
use crate::math::loss::{
    self, Breakdown, Field, LogUnit, LossError, Predictions, Reduction, Targets,
};
use crate::math::parse::{parse_indices, parse_list, parse_rows, ParseError};
use crate::page::url::{QueryIn, QueryOut};

/// Why one input of a calculator cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum InputError {
    Parse(ParseError),
    Loss(LossError),
}

impl Localized for InputError {
    fn message(&self, lang: Lang) -> String {
        match self {
            InputError::Parse(e) => e.message(lang),
            InputError::Loss(e) => e.message(lang),
        }
    }
}

/// What is wrong with each of a calculator's two inputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Errors {
    pub targets: Option<InputError>,
    pub predictions: Option<InputError>,
}

impl Errors {
    pub fn parse(targets: Option<ParseError>, predictions: Option<ParseError>) -> Self {
        Errors {
            targets: targets.map(InputError::Parse),
            predictions: predictions.map(InputError::Parse),
        }
    }
}

impl From<LossError> for Errors {
    fn from(e: LossError) -> Self {
        let field = e.field();
        let e = Some(InputError::Loss(e));
        match field {
            Field::Targets => Errors {
                targets: e,
                ..Default::default()
            },
            Field::Predictions => Errors {
                predictions: e,
                ..Default::default()
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeMode {
    Binary,
    Categorical,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelFormat {
    Indices,
    OneHot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PredFormat {
    Probabilities,
    Logits,
}

/// One row of the cross-entropy table, ready to display.
#[derive(Clone, Debug, PartialEq)]
pub struct CeRow {
    /// The label, in English and Chinese.
    pub label: [String; 2],
    pub prediction: String,
    /// Which part of the formula the sample pays for (English, Chinese).
    pub pays: [String; 2],
}

/// The same text in both languages (a formula, a number).
fn both(s: String) -> [String; 2] {
    [s.clone(), s]
}

#[derive(Clone, Debug, PartialEq)]
pub struct CeResult {
    pub rows: Vec<CeRow>,
    pub breakdown: Breakdown,
    pub classes: usize,
    /// Mean code length in bits per label, whatever unit is shown.
    pub bits_per_label: f64,
    /// Binary mode: the article's formula on the same inputs.
    pub doc_formula: Option<f64>,
}

fn fmt_row(row: &[f64]) -> String {
    row.iter()
        .map(|v| fmt_sig(*v, 3))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn binary_ce(
    y_text: &str,
    p_text: &str,
    format: PredFormat,
    unit: LogUnit,
    reduction: Reduction,
) -> Result<CeResult, Errors> {
    let (y, p) = match (parse_list(y_text), parse_list(p_text)) {
        (Ok(y), Ok(p)) => (y, p),
        (a, b) => return Err(Errors::parse(a.err(), b.err())),
    };
    let (breakdown, bits, doc_formula) = match format {
        PredFormat::Probabilities => (
            loss::binary_cross_entropy(&y, &p, unit, reduction)?,
            loss::binary_cross_entropy(&y, &p, LogUnit::Bits, Reduction::Mean)?.value(),
            loss::document_cross_entropy(&y, &p, unit, reduction)
                .ok()
                .map(|b| b.value()),
        ),
        PredFormat::Logits => (
            loss::binary_cross_entropy_logits(&y, &p, unit, reduction)?,
            loss::binary_cross_entropy_logits(&y, &p, LogUnit::Bits, Reduction::Mean)?.value(),
            None,
        ),
    };
    let rows = y
        .iter()
        .zip(&p)
        .map(|(&y, &p)| CeRow {
            label: both(fmt_num(y)),
            prediction: match format {
                PredFormat::Probabilities => fmt_num(p),
                PredFormat::Logits => format!(
                    "z = {}, \u{3c3}(z) = {}",
                    fmt_num(p),
                    fmt_sig(sigmoid(p), 4)
                ),
            },
            pays: if y == 1.0 {
                both("\u{2212}log p".into())
            } else if y == 0.0 {
                both("\u{2212}log(1 \u{2212} p)".into())
            } else {
                ["both halves".into(), "两项都有".into()]
            },
        })
        .collect();
    Ok(CeResult {
        rows,
        breakdown,
        classes: 2,
        bits_per_label: bits,
        doc_formula,
    })
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

pub fn categorical_ce(
    label_text: &str,
    label_format: LabelFormat,
    pred_text: &str,
    pred_format: PredFormat,
    unit: LogUnit,
    reduction: Reduction,
) -> Result<CeResult, Errors> {
    let targets = match label_format {
        LabelFormat::Indices => parse_indices(label_text).map(Targets::Indices),
        LabelFormat::OneHot => parse_rows(label_text).map(Targets::OneHot),
    };
    let preds = match pred_format {
        PredFormat::Probabilities => parse_rows(pred_text).map(Predictions::Probabilities),
        PredFormat::Logits => parse_rows(pred_text).map(Predictions::Logits),
    };
    let (targets, preds) = match (targets, preds) {
        (Ok(t), Ok(p)) => (t, p),
        (a, b) => return Err(Errors::parse(a.err(), b.err())),
    };
    let breakdown = loss::categorical_cross_entropy(&targets, &preds, unit, reduction)?;
    let bits =
        loss::categorical_cross_entropy(&targets, &preds, LogUnit::Bits, Reduction::Mean)?.value();
    let (prob_rows, classes) = match &preds {
        Predictions::Probabilities(r) => (r.clone(), r[0].len()),
        Predictions::Logits(r) => (r.iter().map(|z| loss::softmax(z)).collect(), r[0].len()),
    };
    let rows = prob_rows
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (label, pays) = match &targets {
                Targets::Indices(idx) => (
                    [format!("class {}", idx[i]), format!("类别 {}", idx[i])],
                    both(format!(
                        "\u{2212}log p = \u{2212}log {}",
                        fmt_sig(p[idx[i]], 4)
                    )),
                ),
                Targets::OneHot(t) => (
                    both(fmt_row(&t[i])),
                    both("\u{2212}\u{3a3}\u{2096} y\u{2096} log p\u{2096}".into()),
                ),
            };
            CeRow {
                label,
                prediction: fmt_row(p),
                pays,
            }
        })
        .collect();
    Ok(CeResult {
        rows,
        breakdown,
        classes,
        bits_per_label: bits,
        doc_formula: None,
    })
}

/// The cross-entropy calculator as typed: every field, including the ones
/// the current form hides (they come back when the visitor switches).
#[derive(Clone, Debug, PartialEq)]
pub struct CeForm {
    pub mode: CeMode,
    pub unit: LogUnit,
    pub reduction: Reduction,
    pub bin_y: String,
    pub bin_p: String,
    pub bin_format: PredFormat,
    pub bin_z: String,
    pub label_format: LabelFormat,
    pub pred_format: PredFormat,
    pub indices: String,
    pub one_hot: String,
    pub probs: String,
    pub logits: String,
}

impl Default for CeForm {
    /// The article's example, and sample rows for the categorical form.
    fn default() -> Self {
        CeForm {
            mode: CeMode::Binary,
            unit: LogUnit::Nats,
            reduction: Reduction::Mean,
            bin_y: CE_EXAMPLE.targets.to_string(),
            bin_p: CE_EXAMPLE.predictions.to_string(),
            bin_format: PredFormat::Probabilities,
            bin_z: "\u{2212}1.4, 1.4, \u{2212}2.2, 0.4, \u{2212}2.2".to_string(),
            label_format: LabelFormat::Indices,
            pred_format: PredFormat::Probabilities,
            indices: "0, 2, 1".to_string(),
            one_hot: "1, 0, 0\n0, 0, 1\n0, 1, 0".to_string(),
            probs: "0.7, 0.2, 0.1\n0.1, 0.3, 0.6\n0.2, 0.5, 0.3".to_string(),
            logits: "2, 0.5, \u{2212}1\n\u{2212}0.5, 0.3, 1.2\n0.1, 1.5, 0.4".to_string(),
        }
    }
}

/// The page's whole form: the MSE calculator and the cross-entropy one (a
/// link to the page carries both: `mse_…` and `ce_…`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LossesForm {
    pub mse: MseForm,
    pub ce: CeForm,
}

/// The MSE calculator as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct MseForm {
    pub y: String,
    pub y_hat: String,
    pub reduction: Reduction,
}

impl Default for MseForm {
    /// The article's example.
    fn default() -> Self {
        MseForm {
            y: MSE_EXAMPLE.targets.to_string(),
            y_hat: MSE_EXAMPLE.predictions.to_string(),
            reduction: Reduction::Mean,
        }
    }
}

const UNITS: [(&str, LogUnit); 2] = [("nats", LogUnit::Nats), ("bits", LogUnit::Bits)];
const REDUCTIONS: [(&str, Reduction); 2] = [("mean", Reduction::Mean), ("sum", Reduction::Sum)];
const PREDS: [(&str, PredFormat); 2] = [
    ("p", PredFormat::Probabilities),
    ("logits", PredFormat::Logits),
];
const MODES: [(&str, CeMode); 2] = [
    ("binary", CeMode::Binary),
    ("categorical", CeMode::Categorical),
];
const LABELS: [(&str, LabelFormat); 2] = [
    ("indices", LabelFormat::Indices),
    ("onehot", LabelFormat::OneHot),
];

impl LossesForm {
    /// The link's query: every input that differs from the page as it opens.
    pub fn to_query(&self) -> String {
        let (d, mut q) = (LossesForm::default(), QueryOut::default());
        let (m, dm, c, dc) = (&self.mse, &d.mse, &self.ce, &d.ce);
        q.put("mse_y", &m.y, &dm.y);
        q.put("mse_yhat", &m.y_hat, &dm.y_hat);
        q.word("mse_reduce", &REDUCTIONS, m.reduction, dm.reduction);
        q.word("ce", &MODES, c.mode, dc.mode);
        q.word("ce_unit", &UNITS, c.unit, dc.unit);
        q.word("ce_reduce", &REDUCTIONS, c.reduction, dc.reduction);
        q.put("ce_y", &c.bin_y, &dc.bin_y);
        q.put("ce_p", &c.bin_p, &dc.bin_p);
        q.word("ce_pred", &PREDS, c.bin_format, dc.bin_format);
        q.put("ce_z", &c.bin_z, &dc.bin_z);
        q.word("ce_labels", &LABELS, c.label_format, dc.label_format);
        q.word("ce_preds", &PREDS, c.pred_format, dc.pred_format);
        q.put("ce_indices", &c.indices, &dc.indices);
        q.put("ce_onehot", &c.one_hot, &dc.one_hot);
        q.put("ce_probs", &c.probs, &dc.probs);
        q.put("ce_logits", &c.logits, &dc.logits);
        q.finish()
    }

    /// The form a link opens: texts as written (the calculators check them
    /// as they check typing), menu words the page offers; the rest default.
    pub fn from_query(search: &str) -> LossesForm {
        let q = QueryIn::parse(search);
        let mut f = LossesForm::default();
        let text = |key: &str, field: &mut String| {
            if let Some(t) = q.text(key) {
                *field = t.to_string();
            }
        };
        let (m, c) = (&mut f.mse, &mut f.ce);
        text("mse_y", &mut m.y);
        text("mse_yhat", &mut m.y_hat);
        m.reduction = q.word("mse_reduce", &REDUCTIONS).unwrap_or(m.reduction);
        c.mode = q.word("ce", &MODES).unwrap_or(c.mode);
        c.unit = q.word("ce_unit", &UNITS).unwrap_or(c.unit);
        c.reduction = q.word("ce_reduce", &REDUCTIONS).unwrap_or(c.reduction);
        text("ce_y", &mut c.bin_y);
        text("ce_p", &mut c.bin_p);
        c.bin_format = q.word("ce_pred", &PREDS).unwrap_or(c.bin_format);
        text("ce_z", &mut c.bin_z);
        c.label_format = q.word("ce_labels", &LABELS).unwrap_or(c.label_format);
        c.pred_format = q.word("ce_preds", &PREDS).unwrap_or(c.pred_format);
        text("ce_indices", &mut c.indices);
        text("ce_onehot", &mut c.one_hot);
        text("ce_probs", &mut c.probs);
        text("ce_logits", &mut c.logits);
        f
    }
}

impl CeForm {
    /// Back to the article's binary example, as the article states it (the
    /// categorical rows stay as typed).
    pub fn load_example(&mut self) {
        let d = CeForm::default();
        (self.mode, self.bin_y, self.bin_p) = (CeMode::Binary, d.bin_y, d.bin_p);
        (self.bin_format, self.unit, self.reduction) = (d.bin_format, d.unit, d.reduction);
    }

    /// The loss of what is typed, in the form's mode.
    pub fn compute(&self) -> Result<CeResult, Errors> {
        let (unit, reduction) = (self.unit, self.reduction);
        match self.mode {
            CeMode::Binary => {
                let preds = match self.bin_format {
                    PredFormat::Probabilities => &self.bin_p,
                    PredFormat::Logits => &self.bin_z,
                };
                binary_ce(&self.bin_y, preds, self.bin_format, unit, reduction)
            }
            CeMode::Categorical => {
                let labels = match self.label_format {
                    LabelFormat::Indices => &self.indices,
                    LabelFormat::OneHot => &self.one_hot,
                };
                let preds = match self.pred_format {
                    PredFormat::Probabilities => &self.probs,
                    PredFormat::Logits => &self.logits,
                };
                categorical_ce(
                    labels,
                    self.label_format,
                    preds,
                    self.pred_format,
                    unit,
                    reduction,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_both_calculators_as_typed() {
        assert_eq!(LossesForm::default().to_query(), "");
        let mut f = LossesForm::default();
        f.mse.y = "1, 2, \u{2212}3".into();
        f.mse.reduction = Reduction::Sum;
        f.ce.mode = CeMode::Categorical;
        f.ce.unit = LogUnit::Bits;
        f.ce.label_format = LabelFormat::OneHot;
        f.ce.pred_format = PredFormat::Logits;
        f.ce.logits = "1, 2\n3, 4".into();
        f.ce.bin_p = "not a list".into();
        let q = f.to_query();
        assert!(
            q.starts_with("?mse_y=1%2C%202%2C%20%E2%88%923&mse_reduce=sum&ce=categorical"),
            "{q}"
        );
        assert_eq!(LossesForm::from_query(&q), f);
        // Words no menu offers keep the defaults; texts are kept as typed.
        let odd = LossesForm::from_query("?ce=ternary&ce_unit=hartleys&mse_reduce=max");
        assert_eq!(odd, LossesForm::default());
        let mut example = f.ce.clone();
        example.load_example();
        assert_eq!(
            (example.mode, example.unit, &example.bin_p),
            (CeMode::Binary, LogUnit::Nats, &CeForm::default().bin_p)
        );
        assert_eq!(example.logits, f.ce.logits);
    }

    #[test]
    fn the_articles_example_computes_with_its_own_formula_beside_it() {
        let r = CeForm::default().compute().unwrap();
        assert_eq!(r.classes, 2);
        assert_eq!(r.rows.len(), 5);
        // Binary cross-entropy of the article's inputs, worked by hand in
        // math::doc_check; its own (wrong) formula is shown beside it.
        assert!(r.doc_formula.is_some());
        assert!(r.bits_per_label > 0.0);
        assert_eq!(
            r.rows[0].pays[0],
            if r.rows[0].label[0] == "1" {
                "\u{2212}log p"
            } else {
                "\u{2212}log(1 \u{2212} p)"
            }
        );
    }

    #[test]
    fn categorical_rows_name_their_class_and_logits_become_probabilities() {
        let mut f = CeForm {
            mode: CeMode::Categorical,
            ..CeForm::default()
        };
        let r = f.compute().unwrap();
        assert_eq!(r.classes, 3);
        assert_eq!(
            r.rows[1].label,
            ["class 2".to_string(), "类别 2".to_string()]
        );
        // −log 0.6 for the second sample: its true class 2 has p = 0.6.
        assert_eq!(r.rows[1].pays[0], "\u{2212}log p = \u{2212}log 0.6");
        f.pred_format = PredFormat::Logits;
        let r = f.compute().unwrap();
        let p: f64 = r.rows[0]
            .prediction
            .split(", ")
            .map(|v| v.parse::<f64>().unwrap())
            .sum();
        assert!((p - 1.0).abs() < 0.01, "softmax rows sum to 1: {p}");
        // Bits per label: the mean code length, whatever unit is shown.
        f.unit = LogUnit::Bits;
        f.reduction = Reduction::Sum;
        let in_bits = f.compute().unwrap();
        assert!((in_bits.breakdown.value() / 3.0 - in_bits.bits_per_label).abs() < 1e-9);
    }

    #[test]
    fn each_input_gets_its_own_typed_error() {
        let f = CeForm {
            bin_y: "1, 0, x".into(),
            ..CeForm::default()
        };
        let e = f.compute().unwrap_err();
        assert!(matches!(e.targets, Some(InputError::Parse(_))));
        assert!(e.predictions.is_none());
        assert!(!e.targets.unwrap().message(Lang::Zh).is_empty());
        let f = CeForm {
            bin_y: "1, 0".into(),
            bin_p: "0.5, 0.5, 0.5".into(),
            ..CeForm::default()
        };
        let e = f.compute().unwrap_err();
        assert!(e.targets.is_some() || e.predictions.is_some(), "{e:?}");
        assert!(matches!(
            e.targets.or(e.predictions),
            Some(InputError::Loss(_))
        ));
    }
}
