//! Checking the source document's printed numbers against what its own
//! inputs give. Each worked example is stored as the document writes it (the
//! inputs as typed, the printed result as a string); every other number is
//! computed here, never copied.

use super::loss::{self, LogUnit, Reduction};

/// A worked example as the document prints it.
#[derive(Clone, Copy, Debug)]
pub struct DocExample {
    /// Where it is in the document.
    pub section: &'static str,
    /// What is computed, in English and Chinese.
    pub topic: [&'static str; 2],
    /// The labels / actual values, as the document lists them.
    pub targets: &'static str,
    /// The predictions, as the document lists them.
    pub predictions: &'static str,
    /// The result the document prints, digits as printed.
    pub printed: &'static str,
}

/// 数学模型和公式 §1, MSE example: "= 0.14".
pub const MSE_EXAMPLE: DocExample = DocExample {
    section: "数学模型和公式 · 1. 损失函数 · 均方误差（MSE）",
    topic: ["mean squared error", "均方误差"],
    targets: "3, 2, 4, 1, 5",
    predictions: "2.5, 2.1, 4.2, 0.8, 5.2",
    printed: "0.14",
};

/// 数学模型和公式 §1, cross-entropy example: "≈ 0.237".
pub const CE_EXAMPLE: DocExample = DocExample {
    section: "数学模型和公式 · 1. 损失函数 · 交叉熵损失（Cross-Entropy Loss）",
    topic: ["cross-entropy", "交叉熵"],
    targets: "0, 1, 0, 1, 0",
    predictions: "0.2, 0.8, 0.1, 0.6, 0.1",
    printed: "0.237",
};

/// One way of reading a formula, with the value it gives on the example.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// How the formula is read, in English and Chinese.
    pub name: [&'static str; 2],
    pub value: f64,
}

/// Number of decimals in a printed number ("0.237" → 3).
pub fn decimals_of(printed: &str) -> usize {
    printed.split_once('.').map_or(0, |(_, d)| d.len())
}

/// Whether `value`, rounded as the document rounds, gives the printed number.
pub fn reproduces(value: f64, printed: &str) -> bool {
    let Ok(p) = printed.parse::<f64>() else {
        return false;
    };
    let scale = 10f64.powi(decimals_of(printed) as i32);
    ((value * scale).round() - p * scale).abs() < 0.5
}

/// Plausible readings of the MSE example: the mean, the sum, the root and the
/// mean absolute error. None is skipped, so a slip cannot hide.
pub fn mse_readings(y: &[f64], y_hat: &[f64]) -> Result<Vec<Reading>, loss::LossError> {
    let mean = loss::mse(y, y_hat, Reduction::Mean)?.value();
    let sum = loss::mse(y, y_hat, Reduction::Sum)?.value();
    let mae = y.iter().zip(y_hat).map(|(a, b)| (a - b).abs()).sum::<f64>() / y.len() as f64;
    Ok(vec![
        Reading {
            name: [
                "MSE as printed: (1/n) \u{3a3} (y \u{2212} \u{177})\u{b2}",
                "文中的 MSE：(1/n) \u{3a3} (y \u{2212} \u{177})\u{b2}",
            ],
            value: mean,
        },
        Reading {
            name: [
                "sum of squared errors, without 1/n",
                "平方误差之和，不乘 1/n",
            ],
            value: sum,
        },
        Reading {
            name: ["root mean squared error", "均方根误差"],
            value: mean.sqrt(),
        },
        Reading {
            name: ["mean absolute error", "平均绝对误差"],
            value: mae,
        },
    ])
}

/// Plausible readings of the cross-entropy example: the document's formula and
/// the binary cross-entropy, each with natural, base-2 and base-10 logs.
pub fn ce_readings(y: &[f64], p: &[f64]) -> Result<Vec<Reading>, loss::LossError> {
    let doc_nats = loss::document_cross_entropy(y, p, LogUnit::Nats, Reduction::Mean)?.value();
    let bce_nats = loss::binary_cross_entropy(y, p, LogUnit::Nats, Reduction::Mean)?.value();
    let ln10 = std::f64::consts::LN_10;
    Ok(vec![
        Reading {
            name: [
                "document's formula \u{2212}(1/n) \u{3a3} y log \u{177}, natural log",
                "文章的公式 \u{2212}(1/n) \u{3a3} y log \u{177}，自然对数",
            ],
            value: doc_nats,
        },
        Reading {
            name: [
                "document's formula, log\u{2082} (bits)",
                "文章的公式，log\u{2082}（比特）",
            ],
            value: LogUnit::Bits.from_nats(doc_nats),
        },
        Reading {
            name: [
                "document's formula, log\u{2081}\u{2080}",
                "文章的公式，log\u{2081}\u{2080}",
            ],
            value: doc_nats / ln10,
        },
        Reading {
            name: ["binary cross-entropy, natural log", "二元交叉熵，自然对数"],
            value: bce_nats,
        },
        Reading {
            name: [
                "binary cross-entropy, log\u{2082} (bits)",
                "二元交叉熵，log\u{2082}（比特）",
            ],
            value: LogUnit::Bits.from_nats(bce_nats),
        },
        Reading {
            name: [
                "binary cross-entropy, log\u{2081}\u{2080}",
                "二元交叉熵，log\u{2081}\u{2080}",
            ],
            value: bce_nats / ln10,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::parse::parse_list;

    fn example(e: &DocExample) -> (Vec<f64>, Vec<f64>) {
        (
            parse_list(e.targets).unwrap(),
            parse_list(e.predictions).unwrap(),
        )
    }

    #[test]
    fn rounding_check() {
        assert!(reproduces(0.2336, "0.234"));
        assert!(!reproduces(0.2336, "0.237"));
        assert!(reproduces(0.076, "0.08"));
        assert!(!reproduces(0.076, "0.14"));
        assert!(!reproduces(1.0, "n/a"));
    }

    #[test]
    fn no_reading_reproduces_the_documents_mse() {
        let (y, y_hat) = example(&MSE_EXAMPLE);
        let r = mse_readings(&y, &y_hat).unwrap();
        // Hand values: 0.076, 0.38, √0.076 = 0.2757, 1.2/5 = 0.24.
        let want = [0.076, 0.38, 0.275_680_3, 0.24];
        for (reading, w) in r.iter().zip(want) {
            assert!(
                (reading.value - w).abs() < 1e-6,
                "{}: {}",
                reading.name[0],
                reading.value
            );
            assert!(
                !reproduces(reading.value, MSE_EXAMPLE.printed),
                "{}",
                reading.name[0]
            );
        }
    }

    #[test]
    fn no_reading_reproduces_the_documents_cross_entropy() {
        let (y, p) = example(&CE_EXAMPLE);
        let r = ce_readings(&y, &p).unwrap();
        // Hand values (see loss.rs tests): 0.1467938 nats; /ln2 = 0.2117790;
        // /ln10 = 0.0637512; BCE 0.2335668 nats, 0.3369659 bits, 0.1014370.
        let want = [
            0.146_793_8,
            0.211_779_0,
            0.063_751_2,
            0.233_566_8,
            0.336_965_9,
            0.101_437_0,
        ];
        for (reading, w) in r.iter().zip(want) {
            assert!(
                (reading.value - w).abs() < 1e-6,
                "{}: {}",
                reading.name[0],
                reading.value
            );
            assert!(
                !reproduces(reading.value, CE_EXAMPLE.printed),
                "{}",
                reading.name[0]
            );
        }
        // The closest reading is the binary cross-entropy in nats: the loss the
        // document should have used, with an arithmetic slip of 0.003.
        let closest = r
            .iter()
            .min_by(|a, b| (a.value - 0.237).abs().total_cmp(&(b.value - 0.237).abs()))
            .unwrap();
        assert_eq!(closest.name[0], "binary cross-entropy, natural log");
    }
}

/// The article's Adam example (数学模型和公式 §4): its inputs and the values it prints.
pub mod adam_example {
    /// θ = [1, 2]
    pub const THETA: [f64; 2] = [1.0, 2.0];
    /// g = [0.5, −0.3]: read as the gradient vector at θ (one entry per parameter).
    pub const GRAD: [f64; 2] = [0.5, -0.3];
    pub const BETA1: f64 = 0.9;
    pub const BETA2: f64 = 0.99;
    pub const LR: f64 = 0.001;
    pub const EPS: f64 = 1e-8;
    /// Printed: m₁ = 0.05, v₁ = 0.005, θ₁ ≈ 0.9955, θ₂ ≈ 1.9955.
    pub const PRINTED_M1: &str = "0.05";
    pub const PRINTED_V1: &str = "0.005";
    pub const PRINTED_THETA1: &str = "0.9955";
    pub const PRINTED_THETA2: &str = "1.9955";
}

#[cfg(test)]
mod adam_tests {
    use super::adam_example as ex;
    use super::reproduces;
    use crate::math::optim::{Hyper, Method, Optimizer};

    fn first_step(method: Method) -> crate::math::optim::StepState {
        let h = Hyper {
            beta1: ex::BETA1,
            beta2: ex::BETA2,
            eps: ex::EPS,
            ..Hyper::textbook(ex::LR)
        };
        Optimizer::new(method, h, ex::THETA.to_vec()).apply(&ex::GRAD)
    }

    #[test]
    fn only_the_first_moment_of_the_article_is_right() {
        for method in [Method::ArticleAdam, Method::Adam] {
            let s = first_step(method);
            let (m, v) = (s.m.unwrap(), s.v.unwrap());
            assert!(reproduces(m[0], ex::PRINTED_M1));
            // v₁ = 0.01 · 0.5² = 0.0025, not 0.005.
            assert!(!reproduces(v[0], ex::PRINTED_V1), "{}", v[0]);
            // θ₁ = 1 − 0.001 = 0.999, not 0.9955; θ₂ goes *up* (g₂ < 0) to 2.001, not down to 1.9955.
            assert!(!reproduces(s.theta[0], ex::PRINTED_THETA1));
            assert!(!reproduces(s.theta[1], ex::PRINTED_THETA2));
            assert!(s.theta[1] > 2.0);
        }
        // Even with its own wrong v₁ = 0.005 the article's update gives
        // 1 − 0.001·0.05/√0.005 = 0.999293, not 0.9955.
        let own = 1.0 - 0.001 * 0.05 / (0.005f64.sqrt() + 1e-8);
        assert!((own - 0.999_293).abs() < 1e-6);
        assert!(!reproduces(own, ex::PRINTED_THETA1));
    }
}
