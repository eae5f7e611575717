//! How sure an accuracy is: a 95 % interval for a share of test images
//! answered right (Wilson's score interval), and the paired comparison of two
//! models scored on the same images (the exact McNemar test). Every accuracy
//! the site shows carries these, computed here, never typed.
//!
//! Sources: E. B. Wilson, "Probable inference, the law of succession, and
//! statistical inference", JASA 22 (1927); Q. McNemar, "Note on the sampling
//! error of the difference between correlated proportions or percentages",
//! Psychometrika 12 (1947), in its exact (binomial) form.

use crate::lang::Lang;

/// The normal quantile of a two-sided 95 % interval, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959_963_984_540_054;

/// A share's 95 % interval, both ends in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// Wilson's 95 % score interval for `k` successes in `n` trials: the set of
/// true shares p whose normal test does not reject k/n. Unlike k/n ± z·SE it
/// stays inside [0, 1] and is not empty at 0 or n. `n = 0`: [0, 1].
pub fn wilson(k: usize, n: usize) -> Interval {
    if n == 0 {
        return Interval { lo: 0.0, hi: 1.0 };
    }
    let (k, n) = (k.min(n) as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let d = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / d;
    let half = Z95 / d * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Interval {
        lo: (centre - half).max(0.0),
        hi: (centre + half).min(1.0),
    }
}

/// Two models on the same images, compared by the images they disagree on:
/// `only_a` that only model A gets right, `only_b` only model B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paired {
    pub only_a: usize,
    pub only_b: usize,
}

impl Paired {
    /// Counts the disagreements of two models' predictions on labelled images.
    pub fn count(a: &[u8], b: &[u8], labels: &[u8]) -> Paired {
        let mut p = Paired {
            only_a: 0,
            only_b: 0,
        };
        for ((x, y), t) in a.iter().zip(b).zip(labels) {
            match (x == t, y == t) {
                (true, false) => p.only_a += 1,
                (false, true) => p.only_b += 1,
                _ => {}
            }
        }
        p
    }

    /// The exact two-sided McNemar p-value: under "neither model is better",
    /// each disagreement goes either way with probability ½, so the smaller
    /// count is Binomial(b + c, ½); p = min(1, 2 · P(X ≤ min(b, c))).
    pub fn p_value(self) -> f64 {
        let n = self.only_a + self.only_b;
        let k = self.only_a.min(self.only_b);
        // Σ C(n, i) / 2ⁿ for i ≤ k, in logarithms (n reaches thousands).
        let ln_half_n = n as f64 * 0.5f64.ln();
        let mut ln_c = 0.0; // ln C(n, 0)
        let mut sum = 0.0;
        for i in 0..=k {
            if i > 0 {
                ln_c += ((n - i + 1) as f64).ln() - (i as f64).ln();
            }
            sum += (ln_c + ln_half_n).exp();
        }
        (2.0 * sum).min(1.0)
    }
}

/// " (95 % interval 76.2–81.7 %, n = 860)", or in Chinese: what follows an
/// accuracy of `correct` of `n` wherever the site states one.
pub fn interval_note(correct: usize, n: usize, lang: Lang) -> String {
    let i = wilson(correct, n);
    let (lo, hi) = (100.0 * i.lo, 100.0 * i.hi);
    match lang {
        Lang::En => format!(" (95 % interval {lo:.1}\u{2013}{hi:.1} %, n = {n})"),
        Lang::Zh => format!("（95% 区间 {lo:.1}\u{2013}{hi:.1}%，n = {n}）"),
    }
}

/// "79.1 % (95 % interval 76.2–81.7 %, n = 860)", or in Chinese.
pub fn accuracy_line(correct: usize, n: usize, lang: Lang) -> String {
    let acc = 100.0 * correct as f64 / n.max(1) as f64;
    let unit = lang.pick(" %", "%");
    format!("{acc:.1}{unit}{}", interval_note(correct, n, lang))
}

/// What two models' disagreements say, naming them as `a` and `b`.
pub fn paired_line(p: Paired, a: &str, b: &str, lang: Lang) -> String {
    let (n, pv) = (p.only_a + p.only_b, p.p_value());
    if n == 0 {
        return lang
            .pick(
                "On the same images they give the same answer every time: nothing to tell them apart.",
                "在同一批图片上二者每次的判断都相同：没有可以区分二者的差异。",
            )
            .to_string();
    }
    let verdict_en = if pv < 0.05 {
        "a real difference at the 5 % level"
    } else {
        "no evidence of a difference at the 5 % level"
    };
    let verdict_zh = if pv < 0.05 {
        "在 5% 水平上差异显著"
    } else {
        "在 5% 水平上没有证据表明二者有差异"
    };
    match lang {
        Lang::En => format!(
            "On the same images they disagree {n} times: {} only {a} gets right, {} only {b} \
             (exact McNemar p = {pv:.2}: {verdict_en}).",
            p.only_a, p.only_b
        ),
        Lang::Zh => format!(
            "在同一批图片上二者有 {n} 张判断不同：{} 张只有{a}判对，{} 张只有{b}判对\
             （精确 McNemar 检验 p = {pv:.2}：{verdict_zh}）。",
            p.only_a, p.only_b
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values computed independently (Python, exact fractions):
    /// Wilson c ± h with c = (p + z²/2n)/(1 + z²/n),
    /// h = z/(1 + z²/n)·√(p(1−p)/n + z²/4n²); McNemar as
    /// 2·Σ_{i≤min} C(n, i)/2ⁿ with `fractions.Fraction`.
    #[test]
    fn wilson_intervals_match_the_formula_worked_independently() {
        let close = |i: Interval, lo: f64, hi: f64| {
            assert!(
                (i.lo - lo).abs() < 1e-12 && (i.hi - hi).abs() < 1e-12,
                "{i:?} vs {lo} {hi}"
            );
        };
        close(
            wilson(680, 860),
            0.762_245_827_254_592_9,
            0.816_564_086_178_589_4,
        );
        close(
            wilson(158, 200),
            0.728_353_831_400_975_4,
            0.840_715_879_300_210_1,
        );
        close(wilson(0, 10), 0.0, 0.277_532_799_862_889_2);
        close(wilson(10, 10), 0.722_467_200_137_110_7, 1.0);
        close(wilson(1, 1), 0.206_549_314_377_237_45, 1.0);
        assert_eq!(wilson(0, 0), Interval { lo: 0.0, hi: 1.0 });
        // The shipped model's claim: 680/860 is about ±2.7 points.
        assert_eq!(
            accuracy_line(680, 860, Lang::En),
            "79.1 % (95 % interval 76.2\u{2013}81.7 %, n = 860)"
        );
        assert_eq!(
            accuracy_line(680, 860, Lang::Zh),
            "79.1%（95% 区间 76.2\u{2013}81.7%，n = 860）"
        );
    }

    #[test]
    fn exact_mcnemar_p_values_match_the_binomial_sums() {
        let p = |a, b| {
            Paired {
                only_a: a,
                only_b: b,
            }
            .p_value()
        };
        for (a, b, want) in [
            (0, 0, 1.0),
            (8, 6, 0.790_527_343_75),
            (10, 0, 0.001_953_125),
            (30, 12, 0.007_915_897_334_896_727),
            (1, 0, 1.0),
            (100, 130, 0.055_613_577_781_392_386),
            (1000, 1100, 0.030_720_707_864_242_296),
        ] {
            assert!(
                (p(a, b) - want).abs() < 1e-9,
                "{a} {b}: {} vs {want}",
                p(a, b)
            );
            assert_eq!(p(a, b), p(b, a), "symmetric");
        }
        let d = Paired::count(&[1, 2, 3, 4], &[1, 0, 3, 9], &[1, 2, 0, 9]);
        assert_eq!(
            d,
            Paired {
                only_a: 1,
                only_b: 1
            }
        );
        let en = paired_line(
            Paired {
                only_a: 30,
                only_b: 12,
            },
            "the original",
            "the compressed model",
            Lang::En,
        );
        assert!(
            en.contains(
                "disagree 42 times: 30 only the original gets right, 12 only the compressed model"
            ),
            "{en}"
        );
        assert!(en.contains("p = 0.01: a real difference"), "{en}");
        let same = paired_line(
            Paired {
                only_a: 0,
                only_b: 0,
            },
            "a",
            "b",
            Lang::En,
        );
        assert!(same.contains("the same answer every time"), "{same}");
        let zh = paired_line(
            Paired {
                only_a: 8,
                only_b: 6,
            },
            "原模型",
            "压缩模型",
            Lang::Zh,
        );
        assert!(
            zh.contains("有 14 张判断不同") && zh.contains("没有证据"),
            "{zh}"
        );
    }
}
