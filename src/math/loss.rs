//! Loss functions with a per-sample breakdown: mean squared error, categorical
//! cross-entropy (one-hot or index labels; probability or logit predictions) and
//! binary cross-entropy, in nats or bits.
//!
//! Definitions (standard, e.g. Goodfellow, Bengio & Courville, *Deep Learning*,
//! §5.5 and §6.2.2):
//! * MSE  = (1/n) Σᵢ (yᵢ − ŷᵢ)²
//! * CE   = −(1/n) Σᵢ Σₖ yᵢₖ log pᵢₖ          (categorical; pᵢ = softmax(zᵢ) for logits)
//! * BCE  = −(1/n) Σᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)]
//!
//! The cross-entropy in bits is the average length, in bits, of the code that the
//! model's predicted distribution assigns to the true labels: the quantity the
//! rest of the course calls "description length".

use std::fmt;

use crate::lang::{Lang, Localized};

/// The base of the logarithm in a cross-entropy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogUnit {
    /// Natural log: what frameworks (Burn, PyTorch, Keras) report.
    #[default]
    Nats,
    /// log₂: the length of a code, in bits.
    Bits,
}

impl LogUnit {
    /// log of `x` in this unit.
    pub fn log(self, x: f64) -> f64 {
        match self {
            LogUnit::Nats => x.ln(),
            LogUnit::Bits => x.log2(),
        }
    }

    /// Converts a value in nats into this unit.
    pub fn from_nats(self, nats: f64) -> f64 {
        match self {
            LogUnit::Nats => nats,
            LogUnit::Bits => nats / std::f64::consts::LN_2,
        }
    }

    /// The unit's name in `lang` (奈特, 比特 in Chinese).
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            LogUnit::Nats => lang.pick("nats", "奈特"),
            LogUnit::Bits => lang.pick("bits", "比特"),
        }
    }
}

/// Whether a loss is averaged over samples or summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reduction {
    /// (1/n) Σ: the per-sample form the document (and every framework) uses.
    #[default]
    Mean,
    /// Σ: the total, e.g. the total code length of all labels.
    Sum,
}

/// A loss value together with the term each sample contributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    /// One non-negative term per sample (before the 1/n of the mean).
    pub terms: Vec<f64>,
    pub reduction: Reduction,
}

impl Breakdown {
    /// Σ of the terms.
    pub fn sum(&self) -> f64 {
        self.terms.iter().sum()
    }

    /// The loss under the chosen reduction.
    pub fn value(&self) -> f64 {
        match self.reduction {
            Reduction::Mean => self.sum() / self.terms.len() as f64,
            Reduction::Sum => self.sum(),
        }
    }

    /// Each term's share of the total, in [0, 1]; `None` when the total is 0.
    pub fn shares(&self) -> Vec<Option<f64>> {
        let total = self.sum();
        self.terms
            .iter()
            .map(|t| (total > 0.0).then(|| t / total))
            .collect()
    }
}

/// Which input a problem belongs to, so a page can show the message beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Targets,
    Predictions,
}

/// Why a loss cannot be computed from the given inputs.
#[derive(Clone, Debug, PartialEq)]
pub enum LossError {
    Empty(Field),
    /// Different numbers of samples in targets and predictions.
    LengthMismatch {
        targets: usize,
        predictions: usize,
    },
    /// A probability (or a binary label) outside [0, 1]; `index` counts from 1.
    OutOfUnitRange {
        field: Field,
        index: usize,
        value: f64,
    },
    /// Rows of a matrix have different widths; `row` counts from 1.
    RowWidth {
        field: Field,
        row: usize,
        expected: usize,
        found: usize,
    },
    /// A probability row that does not sum to 1.
    RowSum {
        field: Field,
        row: usize,
        sum: f64,
    },
    /// Fewer than two classes.
    TooFewClasses {
        classes: usize,
    },
    /// A class index ≥ the number of classes.
    ClassOutOfRange {
        index: usize,
        class: usize,
        classes: usize,
    },
    /// The true outcome of sample `index` got probability 0: −log 0 = ∞.
    LogZero {
        index: usize,
    },
    /// Finite logits so far apart that the loss of sample `index` is beyond
    /// the largest f64 (about 1.8·10³⁰⁸).
    Overflow {
        index: usize,
    },
}

/// Largest |Σ row − 1| accepted for a typed probability row.
pub const ROW_SUM_TOLERANCE: f64 = 1e-3;

impl LossError {
    /// The input the message belongs beside.
    pub fn field(&self) -> Field {
        match self {
            LossError::Empty(f) => *f,
            LossError::OutOfUnitRange { field, .. }
            | LossError::RowWidth { field, .. }
            | LossError::RowSum { field, .. } => *field,
            LossError::ClassOutOfRange { .. } => Field::Targets,
            LossError::LengthMismatch { .. }
            | LossError::TooFewClasses { .. }
            | LossError::LogZero { .. }
            | LossError::Overflow { .. } => Field::Predictions,
        }
    }
}

fn field_name(f: Field, lang: Lang) -> &'static str {
    match f {
        Field::Targets => lang.pick("labels", "标签"),
        Field::Predictions => lang.pick("predictions", "预测值"),
    }
}

impl Localized for LossError {
    fn message(&self, lang: Lang) -> String {
        use LossError::*;
        let zh = lang == Lang::Zh;
        match self {
            Empty(field) if zh => format!("{}为空。", field_name(*field, lang)),
            Empty(field) => format!("The {} are empty.", field_name(*field, lang)),
            LengthMismatch {
                targets,
                predictions,
            } if zh => format!("有 {targets} 个标签，却有 {predictions} 个预测值：每个样本各需一个。"),
            LengthMismatch {
                targets,
                predictions,
            } => format!(
                "There are {targets} labels but {predictions} predictions: each sample needs one of each."
            ),
            OutOfUnitRange {
                field,
                index,
                value,
            } if zh => format!(
                "{}的第 {index} 项是 {value}，不在 [0, 1] 内：它必须是概率。",
                field_name(*field, lang)
            ),
            OutOfUnitRange {
                field,
                index,
                value,
            } => format!(
                "Entry {index} of the {} is {value}, outside [0, 1]: it must be a probability.",
                field_name(*field, lang)
            ),
            RowWidth {
                field,
                row,
                expected,
                found,
            } if zh => format!(
                "{}的第 {row} 行有 {found} 项，而第 1 行有 {expected} 项：每行需要每个类别一项。",
                field_name(*field, lang)
            ),
            RowWidth {
                field,
                row,
                expected,
                found,
            } => format!(
                "Row {row} of the {} has {found} entries, but row 1 has {expected}: every row needs one entry per class.",
                field_name(*field, lang)
            ),
            RowSum { field, row, sum } if zh => format!(
                "{}的第 {row} 行之和为 {}，不是 1：概率分布之和必须为 1（或改用 logits）。",
                field_name(*field, lang),
                crate::math::format::fmt_num(*sum)
            ),
            RowSum { field, row, sum } => format!(
                "Row {row} of the {} sums to {}, not 1: a probability distribution must sum to 1 (or switch to logits).",
                field_name(*field, lang),
                crate::math::format::fmt_num(*sum)
            ),
            TooFewClasses { classes } if zh => {
                format!("每行只有 {classes} 项：分类器至少需要 2 个类别。")
            }
            TooFewClasses { classes } => format!(
                "Rows have {classes} entr{}: a classifier needs at least 2 classes.",
                if *classes == 1 { "y" } else { "ies" }
            ),
            ClassOutOfRange {
                index,
                class,
                classes,
            } if zh => format!(
                "第 {index} 个标签是类别 {class}，但预测值只有 {classes} 个类别（0\u{2013}{}）。",
                classes - 1
            ),
            ClassOutOfRange {
                index,
                class,
                classes,
            } => format!(
                "Label {index} is class {class}, but the predictions have only {classes} classes (0\u{2013}{}).",
                classes - 1
            ),
            LogZero { index } if zh => format!(
                "样本 {index}：模型给真实结果的概率为 0，所以 \u{2212}log 0 = \u{221e}：损失（也就是编码长度）为无穷大。"
            ),
            LogZero { index } => format!(
                "Sample {index}: the model gives probability 0 to the true outcome, so \u{2212}log 0 = \u{221e}: the loss (and the code length) is infinite."
            ),
            Overflow { index } if zh => format!(
                "样本 {index}：这些 logits 相差太大，损失超过了最大的浮点数（约 1.8\u{b7}10\u{b3}\u{2070}\u{2078}），无法表示。"
            ),
            Overflow { index } => format!(
                "Sample {index}: the logits are so far apart that the loss exceeds the largest floating-point number (about 1.8\u{b7}10\u{b3}\u{2070}\u{2078}) and cannot be represented."
            ),
        }
    }
}

impl fmt::Display for LossError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for LossError {}

/// Mean squared error (or, with [`Reduction::Sum`], the sum of squared errors).
pub fn mse(
    targets: &[f64],
    predictions: &[f64],
    reduction: Reduction,
) -> Result<Breakdown, LossError> {
    check_lengths(targets.len(), predictions.len())?;
    let terms = targets
        .iter()
        .zip(predictions)
        .map(|(y, y_hat)| (y - y_hat).powi(2))
        .collect();
    Ok(Breakdown { terms, reduction })
}

fn check_lengths(targets: usize, predictions: usize) -> Result<(), LossError> {
    if targets == 0 {
        return Err(LossError::Empty(Field::Targets));
    }
    if predictions == 0 {
        return Err(LossError::Empty(Field::Predictions));
    }
    if targets != predictions {
        return Err(LossError::LengthMismatch {
            targets,
            predictions,
        });
    }
    Ok(())
}

fn check_unit_range(values: &[f64], field: Field) -> Result<(), LossError> {
    match values.iter().position(|v| !(0.0..=1.0).contains(v)) {
        Some(i) => Err(LossError::OutOfUnitRange {
            field,
            index: i + 1,
            value: values[i],
        }),
        None => Ok(()),
    }
}

/// −w·log p with the information-theory convention 0·log 0 = 0. `None` when
/// w > 0 and p = 0 (an infinite code length).
fn weighted_surprisal(w: f64, p: f64, unit: LogUnit) -> Option<f64> {
    if w == 0.0 {
        Some(0.0)
    } else if p == 0.0 {
        None
    } else {
        Some(-w * unit.log(p))
    }
}

/// Binary cross-entropy for labels yᵢ ∈ [0, 1] (usually 0 or 1) and predicted
/// probabilities pᵢ = P(yᵢ = 1).
pub fn binary_cross_entropy(
    targets: &[f64],
    probabilities: &[f64],
    unit: LogUnit,
    reduction: Reduction,
) -> Result<Breakdown, LossError> {
    check_lengths(targets.len(), probabilities.len())?;
    check_unit_range(targets, Field::Targets)?;
    check_unit_range(probabilities, Field::Predictions)?;
    let terms = targets
        .iter()
        .zip(probabilities)
        .enumerate()
        .map(|(i, (&y, &p))| {
            let pos = weighted_surprisal(y, p, unit);
            let neg = weighted_surprisal(1.0 - y, 1.0 - p, unit);
            match (pos, neg) {
                (Some(a), Some(b)) => Ok(a + b),
                _ => Err(LossError::LogZero { index: i + 1 }),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Breakdown { terms, reduction })
}

/// Binary cross-entropy from logits zᵢ (p = σ(z)), computed stably as
/// max(z, 0) − z·y + ln(1 + e^(−|z|)), so no probability is ever rounded to 0
/// or 1 on the way.
pub fn binary_cross_entropy_logits(
    targets: &[f64],
    logits: &[f64],
    unit: LogUnit,
    reduction: Reduction,
) -> Result<Breakdown, LossError> {
    check_lengths(targets.len(), logits.len())?;
    check_unit_range(targets, Field::Targets)?;
    let terms = targets
        .iter()
        .zip(logits)
        .enumerate()
        .map(|(i, (&y, &z))| {
            let nats = z.max(0.0) - z * y + (-z.abs()).exp().ln_1p();
            let t = unit.from_nats(nats);
            if t.is_finite() {
                Ok(t)
            } else {
                Err(LossError::Overflow { index: i + 1 })
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Breakdown { terms, reduction })
}

/// The formula the source document prints for its binary example,
/// −(1/n) Σᵢ yᵢ log ŷᵢ: the categorical formula applied to a single
/// probability per sample. It drops the (1 − yᵢ) log(1 − ŷᵢ) half, so samples
/// with yᵢ = 0 cost nothing whatever the model predicts. Kept to reproduce the
/// document, not to be used.
pub fn document_cross_entropy(
    targets: &[f64],
    probabilities: &[f64],
    unit: LogUnit,
    reduction: Reduction,
) -> Result<Breakdown, LossError> {
    check_lengths(targets.len(), probabilities.len())?;
    check_unit_range(probabilities, Field::Predictions)?;
    let terms = targets
        .iter()
        .zip(probabilities)
        .enumerate()
        .map(|(i, (&y, &p))| {
            weighted_surprisal(y, p, unit).ok_or(LossError::LogZero { index: i + 1 })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Breakdown { terms, reduction })
}

/// The labels of a categorical cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// One row per sample, one entry per class, summing to 1 (one-hot or soft).
    OneHot(Vec<Vec<f64>>),
    /// One class index per sample, 0-based.
    Indices(Vec<usize>),
}

/// The predictions of a categorical cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub enum Predictions {
    /// One probability row per sample, summing to 1.
    Probabilities(Vec<Vec<f64>>),
    /// One row of unnormalized scores per sample; p = softmax(z).
    Logits(Vec<Vec<f64>>),
}

impl Predictions {
    fn rows(&self) -> &[Vec<f64>] {
        match self {
            Predictions::Probabilities(r) | Predictions::Logits(r) => r,
        }
    }
}

/// log-softmax computed stably as zₖ − (m + ln Σⱼ e^(zⱼ − m)), m = max z.
pub fn log_softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
    z.iter().map(|v| v - lse).collect()
}

/// softmax(z)ₖ = e^(zₖ) / Σⱼ e^(zⱼ).
pub fn softmax(z: &[f64]) -> Vec<f64> {
    log_softmax(z).into_iter().map(f64::exp).collect()
}

fn check_rows(rows: &[Vec<f64>], field: Field) -> Result<usize, LossError> {
    let width = rows.first().map_or(0, Vec::len);
    if let Some(r) = rows.iter().position(|row| row.len() != width) {
        return Err(LossError::RowWidth {
            field,
            row: r + 1,
            expected: width,
            found: rows[r].len(),
        });
    }
    Ok(width)
}

fn check_distributions(rows: &[Vec<f64>], field: Field) -> Result<(), LossError> {
    let mut entry = 0;
    for (r, row) in rows.iter().enumerate() {
        for &v in row {
            entry += 1;
            if !(0.0..=1.0).contains(&v) {
                return Err(LossError::OutOfUnitRange {
                    field,
                    index: entry,
                    value: v,
                });
            }
        }
        let sum: f64 = row.iter().sum();
        if (sum - 1.0).abs() > ROW_SUM_TOLERANCE {
            return Err(LossError::RowSum {
                field,
                row: r + 1,
                sum,
            });
        }
    }
    Ok(())
}

/// Categorical cross-entropy with its per-sample terms −Σₖ yᵢₖ log pᵢₖ.
pub fn categorical_cross_entropy(
    targets: &Targets,
    predictions: &Predictions,
    unit: LogUnit,
    reduction: Reduction,
) -> Result<Breakdown, LossError> {
    let n_targets = match targets {
        Targets::OneHot(r) => r.len(),
        Targets::Indices(i) => i.len(),
    };
    let rows = predictions.rows();
    check_lengths(n_targets, rows.len())?;
    let classes = check_rows(rows, Field::Predictions)?;
    if classes < 2 {
        return Err(LossError::TooFewClasses { classes });
    }
    if let Predictions::Probabilities(p) = predictions {
        check_distributions(p, Field::Predictions)?;
    }
    let one_hot: Vec<Vec<f64>> = match targets {
        Targets::OneHot(t) => {
            let width = check_rows(t, Field::Targets)?;
            if width != classes {
                return Err(LossError::RowWidth {
                    field: Field::Targets,
                    row: 1,
                    expected: classes,
                    found: width,
                });
            }
            check_distributions(t, Field::Targets)?;
            t.clone()
        }
        Targets::Indices(idx) => idx
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if c >= classes {
                    return Err(LossError::ClassOutOfRange {
                        index: i + 1,
                        class: c,
                        classes,
                    });
                }
                let mut row = vec![0.0; classes];
                row[c] = 1.0;
                Ok(row)
            })
            .collect::<Result<_, _>>()?,
    };
    let terms = one_hot
        .iter()
        .zip(rows)
        .enumerate()
        .map(|(i, (y, row))| {
            let mut term = 0.0;
            match predictions {
                Predictions::Probabilities(_) => {
                    // A row within the tolerance of 1 (rounded typed values)
                    // is divided by its sum, so it is a distribution.
                    let sum: f64 = row.iter().sum();
                    for (&w, &p) in y.iter().zip(row) {
                        term += weighted_surprisal(w, p / sum, unit)
                            .ok_or(LossError::LogZero { index: i + 1 })?;
                    }
                }
                Predictions::Logits(_) => {
                    // Straight from log-softmax: no probability is rounded to 0.
                    for (&w, lp) in y.iter().zip(log_softmax(row)) {
                        if w != 0.0 {
                            term -= w * unit.from_nats(lp);
                        }
                    }
                }
            }
            // Logits far apart (±1e308) overflow the loss itself.
            if term.is_finite() {
                Ok(term)
            } else {
                Err(LossError::Overflow { index: i + 1 })
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Breakdown { terms, reduction })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn mse_of_the_documents_example_is_0_076() {
        // (3−2.5)² + (2−2.1)² + (4−4.2)² + (1−0.8)² + (5−5.2)²
        // = 0.25 + 0.01 + 0.04 + 0.04 + 0.04 = 0.38; 0.38 / 5 = 0.076.
        let b = mse(
            &[3., 2., 4., 1., 5.],
            &[2.5, 2.1, 4.2, 0.8, 5.2],
            Reduction::Mean,
        )
        .unwrap();
        assert!(close(b.value(), 0.076, 1e-12), "{}", b.value());
        assert!(close(b.terms[0], 0.25, 1e-12));
        assert!(close(b.shares()[0].unwrap(), 0.25 / 0.38, 1e-12));
        let s = mse(
            &[3., 2., 4., 1., 5.],
            &[2.5, 2.1, 4.2, 0.8, 5.2],
            Reduction::Sum,
        )
        .unwrap();
        assert!(close(s.value(), 0.38, 1e-12));
    }

    #[test]
    fn mse_rejects_mismatched_and_empty_inputs() {
        assert_eq!(
            mse(&[1., 2.], &[1.], Reduction::Mean).unwrap_err(),
            LossError::LengthMismatch {
                targets: 2,
                predictions: 1
            }
        );
        assert_eq!(
            mse(&[], &[1.], Reduction::Mean).unwrap_err(),
            LossError::Empty(Field::Targets)
        );
        let perfect = mse(&[1., 2.], &[1., 2.], Reduction::Mean).unwrap();
        assert_eq!(perfect.value(), 0.0);
        assert_eq!(perfect.shares(), vec![None, None]);
    }

    #[test]
    fn binary_ce_of_the_documents_example() {
        // −[ln 0.8 + ln 0.8 + ln 0.9 + ln 0.6 + ln 0.9] / 5
        // = (2·0.2231436 + 2·0.1053605 + 0.5108256) / 5 = 1.1678338 / 5 = 0.2335668 nats.
        let y = [0., 1., 0., 1., 0.];
        let p = [0.2, 0.8, 0.1, 0.6, 0.1];
        let nats = binary_cross_entropy(&y, &p, LogUnit::Nats, Reduction::Mean).unwrap();
        let hand = -(2.0 * 0.8f64.ln() + 2.0 * 0.9f64.ln() + 0.6f64.ln()) / 5.0;
        assert!(close(nats.value(), hand, 1e-12));
        assert!(close(nats.value(), 0.233_566_7, 1e-7));
        let bits = binary_cross_entropy(&y, &p, LogUnit::Bits, Reduction::Sum).unwrap();
        // Total code length of the five labels: 1.1678338 / ln 2 = 1.6848 bits.
        assert!(close(
            bits.value(),
            1.167_833_8 / std::f64::consts::LN_2,
            1e-6
        ));
    }

    #[test]
    fn the_documents_formula_ignores_negative_samples() {
        // −(ln 0.8 + ln 0.6) / 5 = (0.2231436 + 0.5108256) / 5 = 0.1467938
        let y = [0., 1., 0., 1., 0.];
        let p = [0.2, 0.8, 0.1, 0.6, 0.1];
        let d = document_cross_entropy(&y, &p, LogUnit::Nats, Reduction::Mean).unwrap();
        assert!(close(d.value(), 0.146_793_8, 1e-7));
        assert_eq!(d.terms[0], 0.0);
        // A model that is confidently wrong on every negative sample costs the same.
        let bad = document_cross_entropy(
            &y,
            &[0.99, 0.8, 0.99, 0.6, 0.99],
            LogUnit::Nats,
            Reduction::Mean,
        )
        .unwrap();
        assert_eq!(bad.value(), d.value());
    }

    #[test]
    fn binary_ce_errors() {
        assert_eq!(
            binary_cross_entropy(&[1.], &[0.], LogUnit::Nats, Reduction::Mean).unwrap_err(),
            LossError::LogZero { index: 1 }
        );
        assert_eq!(
            binary_cross_entropy(&[0., 1.], &[0.5, 1.2], LogUnit::Nats, Reduction::Mean)
                .unwrap_err(),
            LossError::OutOfUnitRange {
                field: Field::Predictions,
                index: 2,
                value: 1.2
            }
        );
        assert_eq!(
            binary_cross_entropy(&[2.], &[0.5], LogUnit::Nats, Reduction::Mean)
                .unwrap_err()
                .field(),
            Field::Targets
        );
        // p = 0 for a negative sample is fine: 0·log 0 = 0.
        let ok = binary_cross_entropy(&[0.], &[0.], LogUnit::Nats, Reduction::Mean).unwrap();
        assert_eq!(ok.value(), 0.0);
    }

    #[test]
    fn categorical_ce_with_indices_and_probabilities() {
        // −ln 0.7 and −ln 0.5, mean = (0.3566749 + 0.6931472) / 2 = 0.5249111
        let t = Targets::Indices(vec![0, 2]);
        let p = Predictions::Probabilities(vec![vec![0.7, 0.2, 0.1], vec![0.25, 0.25, 0.5]]);
        let b = categorical_cross_entropy(&t, &p, LogUnit::Nats, Reduction::Mean).unwrap();
        assert!(close(b.value(), 0.524_911_1, 1e-7));
        // In bits the second term is exactly 1 bit.
        let bits = categorical_cross_entropy(&t, &p, LogUnit::Bits, Reduction::Sum).unwrap();
        assert!(close(bits.terms[1], 1.0, 1e-12));
        // One-hot rows give the same.
        let oh = Targets::OneHot(vec![vec![1., 0., 0.], vec![0., 0., 1.]]);
        let b2 = categorical_cross_entropy(&oh, &p, LogUnit::Nats, Reduction::Mean).unwrap();
        assert!(close(b.value(), b2.value(), 1e-15));
    }

    #[test]
    fn categorical_ce_with_logits_is_stable() {
        // z = [2, 1, 0]: log-softmax(z)₀ = 2 − ln(e² + e + 1) = −0.4076059
        let t = Targets::Indices(vec![0]);
        let b = categorical_cross_entropy(
            &t,
            &Predictions::Logits(vec![vec![2., 1., 0.]]),
            LogUnit::Nats,
            Reduction::Mean,
        )
        .unwrap();
        assert!(close(b.value(), 0.407_605_96, 1e-7));
        // Huge logits neither overflow nor give log 0.
        let b = categorical_cross_entropy(
            &Targets::Indices(vec![1]),
            &Predictions::Logits(vec![vec![1000., 0.]]),
            LogUnit::Nats,
            Reduction::Mean,
        )
        .unwrap();
        assert!(close(b.value(), 1000.0, 1e-9));
        let s = softmax(&[1000., 1000.]);
        assert!(close(s[0], 0.5, 1e-12));
        // Finite but extreme logits: the loss itself would exceed f64, and says so.
        let e = categorical_cross_entropy(
            &Targets::Indices(vec![1]),
            &Predictions::Logits(vec![vec![1.7e308, -1.7e308]]),
            LogUnit::Nats,
            Reduction::Mean,
        )
        .unwrap_err();
        assert_eq!(e, LossError::Overflow { index: 1 });
        assert!(e.to_string().contains("largest floating-point number"));
    }

    #[test]
    fn binary_ce_from_logits_matches_the_probability_form_and_is_stable() {
        let (y, z) = ([1.0, 0.0, 1.0, 0.0], [2.0, -1.0, -3.0, 0.5]);
        let p: Vec<f64> = z.iter().map(|v: &f64| 1.0 / (1.0 + (-v).exp())).collect();
        let from_p = binary_cross_entropy(&y, &p, LogUnit::Bits, Reduction::Sum).unwrap();
        let from_z = binary_cross_entropy_logits(&y, &z, LogUnit::Bits, Reduction::Sum).unwrap();
        for (a, b) in from_p.terms.iter().zip(&from_z.terms) {
            assert!(close(*a, *b, 1e-12), "{a} vs {b}");
        }
        // z = 800 for y = 0: σ(z) rounds to 1 and the probability form says ∞;
        // from the logit the loss is 800 nats.
        let b =
            binary_cross_entropy_logits(&[0.0], &[800.0], LogUnit::Nats, Reduction::Mean).unwrap();
        assert!(close(b.value(), 800.0, 1e-9));
        // In bits, 1.7e308 nats is beyond f64.
        let e = binary_cross_entropy_logits(&[0.0], &[1.7e308], LogUnit::Bits, Reduction::Mean)
            .unwrap_err();
        assert_eq!(e, LossError::Overflow { index: 1 });
    }

    #[test]
    fn a_row_within_the_tolerance_is_renormalised() {
        let t = Targets::Indices(vec![0]);
        let p = |r: Vec<f64>| {
            categorical_cross_entropy(
                &t,
                &Predictions::Probabilities(vec![r]),
                LogUnit::Nats,
                Reduction::Mean,
            )
        };
        // 0.5, 0.4995 sums to 0.9995: read as 0.5/0.9995.
        let b = p(vec![0.5, 0.4995]).unwrap();
        assert!(close(b.value(), -(0.5f64 / 0.9995).ln(), 1e-12));
        assert!(matches!(p(vec![0.5, 0.49]), Err(LossError::RowSum { .. })));
    }

    #[test]
    fn categorical_ce_errors_name_the_field() {
        let p = Predictions::Probabilities(vec![vec![0.5, 0.4], vec![0.5, 0.5]]);
        let e = categorical_cross_entropy(
            &Targets::Indices(vec![0, 1]),
            &p,
            LogUnit::Nats,
            Reduction::Mean,
        )
        .unwrap_err();
        assert!(matches!(e, LossError::RowSum { row: 1, .. }));
        assert_eq!(e.field(), Field::Predictions);
        let p = Predictions::Probabilities(vec![vec![0.5, 0.5], vec![1.0]]);
        assert!(matches!(
            categorical_cross_entropy(
                &Targets::Indices(vec![0, 0]),
                &p,
                LogUnit::Nats,
                Reduction::Mean
            )
            .unwrap_err(),
            LossError::RowWidth { row: 2, .. }
        ));
        let p = Predictions::Probabilities(vec![vec![0.5, 0.5]]);
        let e = categorical_cross_entropy(
            &Targets::Indices(vec![2]),
            &p,
            LogUnit::Nats,
            Reduction::Mean,
        )
        .unwrap_err();
        assert_eq!(e.field(), Field::Targets);
        assert!(e.to_string().contains("only 2 classes"));
        let p = Predictions::Probabilities(vec![vec![1.0, 0.0]]);
        assert_eq!(
            categorical_cross_entropy(
                &Targets::Indices(vec![1]),
                &p,
                LogUnit::Nats,
                Reduction::Mean
            )
            .unwrap_err(),
            LossError::LogZero { index: 1 }
        );
        let p = Predictions::Logits(vec![vec![3.0]]);
        assert_eq!(
            categorical_cross_entropy(
                &Targets::Indices(vec![0]),
                &p,
                LogUnit::Nats,
                Reduction::Mean
            )
            .unwrap_err(),
            LossError::TooFewClasses { classes: 1 }
        );
        let oh = Targets::OneHot(vec![vec![1.0, 0.0, 0.0]]);
        let p = Predictions::Logits(vec![vec![0.0, 1.0]]);
        assert!(matches!(
            categorical_cross_entropy(&oh, &p, LogUnit::Nats, Reduction::Mean).unwrap_err(),
            LossError::RowWidth {
                field: Field::Targets,
                ..
            }
        ));
    }

    #[test]
    fn bits_are_nats_over_ln2() {
        assert!(close(
            LogUnit::Bits.from_nats(std::f64::consts::LN_2),
            1.0,
            1e-15
        ));
        assert!(close(LogUnit::Bits.log(8.0), 3.0, 1e-15));
    }
}
