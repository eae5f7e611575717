//! The exact-theorem page: the checks on its fields, the animation's frames,
//! and the sentences that say why the simplification stopped.

use crate::lang::{Lang, Localized};
use crate::math::format::fmt_sig;
use crate::math::theorem::{GdPoint, Law, Number, Stop};
use crate::page::url::{QueryIn, QueryOut};

/// The data controls as typed: the law, its true parameters (text, checked
/// when the data is made), the number of points, the noise and the seed.
#[derive(Clone, Debug, PartialEq)]
pub struct TheoremForm {
    pub law: Law,
    pub truth: String,
    pub n: f64,
    pub noise: f64,
    pub seed: f64,
}

impl Default for TheoremForm {
    fn default() -> Self {
        TheoremForm::for_law(Law::Linear)
    }
}

/// A law's own parameters as the field shows them: "3, -2, 1".
fn truth_text(law: Law) -> String {
    let truth: Vec<String> = law.default_truth().iter().map(|v| format!("{v}")).collect();
    truth.join(", ")
}

const LAWS: [(&str, Law); 2] = [("linear", Law::Linear), ("kepler", Law::Kepler)];

impl TheoremForm {
    /// A law with its own parameters and noise, 200 points, seed 1.
    pub fn for_law(law: Law) -> Self {
        TheoremForm {
            law,
            truth: truth_text(law),
            n: 200.0,
            noise: law.default_noise(),
            seed: 1.0,
        }
    }

    /// Switching the law brings its own parameters and noise.
    pub fn choose_law(&mut self, law: Law) {
        if law != self.law {
            (self.law, self.truth, self.noise) = (law, truth_text(law), law.default_noise());
        }
    }

    /// The link's query; `fitted`: the fit was run (the link runs it too).
    pub fn to_query(&self, fitted: bool) -> String {
        // The law against the page's; the rest against the law's own defaults.
        let (d, mut q) = (TheoremForm::for_law(self.law), QueryOut::default());
        q.word("law", &LAWS, self.law, TheoremForm::default().law);
        q.put("truth", &self.truth, &d.truth);
        q.put("n", self.n, d.n);
        q.put("noise", self.noise, d.noise);
        q.put("seed", self.seed, d.seed);
        q.put("fit", u8::from(fitted), 0);
        q.finish()
    }

    /// The form a link opens, and whether it asks for the fit.
    pub fn from_query(search: &str) -> (TheoremForm, bool) {
        let q = QueryIn::parse(search);
        let mut f = TheoremForm::for_law(q.word("law", &LAWS).unwrap_or(Law::Linear));
        if let Some(t) = q.text("truth") {
            f.truth = t.to_string();
        }
        f.n = q
            .number("n", |v| FieldError::check_points(*v).is_ok())
            .unwrap_or(f.n);
        let noise = q.number("noise", |v| FieldError::check_noise(*v).is_ok());
        f.noise = noise.unwrap_or(f.noise);
        f.seed = q
            .number("seed", |v| FieldError::check_seed(*v).is_ok())
            .unwrap_or(f.seed);
        (f, q.text("fit") == Some("1"))
    }
}

/// A field of the data controls out of range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    Points,
    Noise,
    Seed,
}

impl FieldError {
    pub fn check_points(v: f64) -> Result<(), Self> {
        (v.fract() == 0.0 && (6.0..=5000.0).contains(&v))
            .then_some(())
            .ok_or(Self::Points)
    }
    pub fn check_noise(v: f64) -> Result<(), Self> {
        (0.0..=10.0).contains(&v).then_some(()).ok_or(Self::Noise)
    }
    pub fn check_seed(v: f64) -> Result<(), Self> {
        (v.fract() == 0.0 && (0.0..=1e9).contains(&v))
            .then_some(())
            .ok_or(Self::Seed)
    }
}

impl Localized for FieldError {
    fn message(&self, lang: Lang) -> String {
        let (en, zh) = match self {
            Self::Points => ("a whole number from 6 to 5,000", "6 到 5000 的整数"),
            Self::Noise => ("between 0 and 10", "0 到 10 之间"),
            Self::Seed => (
                "a whole number from 0 to 10\u{2079}",
                "0 到 10\u{2079} 的整数",
            ),
        };
        lang.pick(en, zh).to_string()
    }
}

/// "Give 3 numbers (a, b, c), not 2."
pub fn wrong_count(law: Law, got: usize, lang: Lang) -> String {
    let (n, names) = (law.params().len(), law.params().join(", "));
    lang.pick(
        format!("Give {n} numbers ({names}), not {got}."),
        format!("请给出 {n} 个数（{names}），而不是 {got} 个。"),
    )
}

/// Bits with one decimal.
pub fn bits(b: f64) -> String {
    format!("{b:.1}")
}

/// A number as the tables show it (floats to 6 significant digits).
pub fn show_number(n: &Number) -> String {
    match n {
        Number::Float(v) => fmt_sig(*v as f64, 6).replace('-', "\u{2212}"),
        other => other.show(),
    }
}

/// Frames for the animation: about 60 points, spaced by the log of the step.
pub fn frames(path: &[GdPoint]) -> Vec<GdPoint> {
    if path.len() <= 60 {
        return path.to_vec();
    }
    let last = path.last().map(|p| p.step).unwrap_or(1).max(1) as f64;
    let mut out: Vec<GdPoint> = Vec::new();
    for k in 0..=60 {
        let target = (last.ln() * k as f64 / 60.0).exp();
        if let Some(p) = path.iter().find(|p| p.step as f64 >= target) {
            if out.last().map(|o| o.step) != Some(p.step) {
                out.push(p.clone());
            }
        }
    }
    out
}

/// Why the simplification stopped.
pub fn stop_text(stop: &Stop, names: &[&str], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match stop {
        Stop::AllSimple => lang
            .pick(
                "Every parameter is a simple number: the law is written exactly.",
                "每个参数都已是简单的数：定律被精确地写了出来。",
            )
            .into(),
        Stop::Longer(c) => {
            let (name, n) = (names[c.param], show_number(&c.number));
            if zh {
                format!(
                    "停止：剩下最好的修改（{name} \u{2192} {n}）会让描述变长，因此保留当前的数。"
                )
            } else {
                format!(
                    "Stopped: the best modification left ({name} \u{2192} {n}) would make the description \
                     longer, so the current numbers stay."
                )
            }
        }
        Stop::OutsideNoise(c) => {
            let (name, n) = (names[c.param], show_number(&c.number));
            let (chi, lim) = (fmt_sig(c.chi2, 4), fmt_sig(c.chi2_limit, 4));
            if zh {
                format!(
                    "拒绝：把{name}换成{n}会让描述更短，但拟合会比噪声允许的更差（\u{3c7}\u{b2} = {chi} > {lim}）。\
                     数据不支持这个更简单的定律。"
                )
            } else {
                format!(
                    "Refused: {name} \u{2192} {n} would shorten the description, but it fits worse than the \
                     noise allows (\u{3c7}\u{b2} = {chi} > {lim}). The data does not support the simpler law."
                )
            }
        }
    }
}

/// "Total description length 40.1 bits, down from 120.3 bits …".
pub fn total_line(first: f64, last: f64, lang: Lang) -> String {
    let (l, f, d) = (bits(last), bits(first), bits(first - last));
    lang.pick(
        format!("Total description length {l} bits, down from {f} bits for the fitted floats ({d} bits shorter)."),
        format!("总描述长度{l}比特，拟合所得浮点数为{f}比特（缩短了{d}比特）。"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_the_same_data_and_a_new_law_brings_its_own_parameters() {
        assert_eq!(TheoremForm::default().to_query(false), "");
        assert_eq!(TheoremForm::default().truth, "3, -2, 1");
        let mut f = TheoremForm::default();
        f.choose_law(Law::Kepler);
        assert_eq!((f.truth.as_str(), f.noise), ("1.5, 0", 0.01));
        f.n = 50.0;
        f.seed = 7.0;
        let q = f.to_query(true);
        assert_eq!(q, "?law=kepler&n=50&seed=7&fit=1");
        assert_eq!(TheoremForm::from_query(&q), (f.clone(), true));
        f.truth = "1.37, 0".into();
        f.noise = 0.1;
        assert_eq!(
            f.to_query(false),
            "?law=kepler&truth=1.37%2C%200&n=50&noise=0.1&seed=7"
        );
        assert_eq!(TheoremForm::from_query(&f.to_query(false)), (f, false));
        // Values out of range keep the defaults.
        let (odd, fit) = TheoremForm::from_query("?n=0&noise=-1&seed=1.5&law=newton&fit=yes");
        assert_eq!((odd, fit), (TheoremForm::default(), false));
    }
    use crate::math::theorem::{generate, gradient_descent, simplify};

    #[test]
    fn the_fields_and_the_count_are_checked() {
        assert!(FieldError::check_points(6.0).is_ok() && FieldError::check_points(5.0).is_err());
        assert!(FieldError::check_noise(10.5).is_err());
        assert_eq!(FieldError::Seed.message(Lang::Zh), "0 到 10\u{2079} 的整数");
        assert_eq!(
            wrong_count(Law::Kepler, 3, Lang::En),
            "Give 2 numbers (k, c), not 3."
        );
    }

    #[test]
    fn frames_thin_a_long_path_and_the_law_is_found() {
        let d = generate(
            Law::Linear,
            &[3.0, -2.0, 1.0],
            200,
            Law::Linear.default_noise(),
            1,
        )
        .unwrap();
        let path = gradient_descent(&d, 200_000, 10);
        let f = frames(&path);
        assert!(f.len() <= 61 && f.len() <= path.len(), "{}", f.len());
        assert_eq!(
            f.last().map(|p| p.step),
            path.last().map(|p| p.step),
            "the last frame is the fit"
        );
        assert!(f.windows(2).all(|w| w[0].step < w[1].step));
        let s = simplify(&d, &path.last().unwrap().theta);
        let text = stop_text(&s.stop, Law::Linear.params(), Lang::En);
        assert_eq!(
            text,
            "Every parameter is a simple number: the law is written exactly."
        );
        let (first, last) = (s.steps[0].account.total(), s.last().account.total());
        assert!(total_line(first, last, Lang::Zh).starts_with("总描述长度"));
    }
}
