//! The optimizer tutorial: the setup a visitor builds (and shares as a URL),
//! the runs it drives, the checks on typed hyperparameters, and the article's
//! three examples computed for the page.

use crate::lang::{Lang, Localized};
use crate::math::doc_check::{adam_example as ex, reproduces};
use crate::math::format::{fmt_num, fmt_sig, plain_number};
use crate::math::optim::{Hyper, Method, Optimizer, Run, StepState};
use crate::math::parse::{parse_list, parse_scalar};
use crate::math::surface::Surface;
use crate::page::url::{query_pairs, value};

/// Steps a run may take, and rows the state table shows.
pub const MAX_STEPS: usize = 3000;
pub const TABLE_ROWS: usize = 60;

/// Everything that defines a tutorial run (and goes into the URL).
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub surface: Surface,
    pub method: Method,
    pub race: Vec<Method>,
    pub hyper: Hyper,
    pub start: [f64; 2],
}

/// A hyperparameter out of range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HyperError {
    LearningRate,
    Unit,
    Eps,
    Dampening,
    Batch,
    Seed,
}

impl HyperError {
    pub fn check_lr(v: f64) -> Result<(), Self> {
        (v > 0.0 && v <= 10.0)
            .then_some(())
            .ok_or(Self::LearningRate)
    }
    /// β₁, β₂, μ: in [0, 1).
    pub fn check_unit(v: f64) -> Result<(), Self> {
        (0.0..1.0).contains(&v).then_some(()).ok_or(Self::Unit)
    }
    pub fn check_eps(v: f64) -> Result<(), Self> {
        (v > 0.0 && v < 1.0).then_some(()).ok_or(Self::Eps)
    }
    /// Dampening and weight decay: in [0, 1].
    pub fn check_damp(v: f64) -> Result<(), Self> {
        (0.0..=1.0)
            .contains(&v)
            .then_some(())
            .ok_or(Self::Dampening)
    }
    pub fn check_batch(v: f64) -> Result<(), Self> {
        ((1.0..=24.0).contains(&v) && v.fract() == 0.0)
            .then_some(())
            .ok_or(Self::Batch)
    }
    pub fn check_seed(v: f64) -> Result<(), Self> {
        (v >= 0.0 && v.fract() == 0.0 && v < 1e15)
            .then_some(())
            .ok_or(Self::Seed)
    }
}

impl Localized for HyperError {
    fn message(&self, lang: Lang) -> String {
        let (en, zh) = match self {
            Self::LearningRate => (
                "The learning rate must be above 0 and at most 10.",
                "学习率必须大于 0 且不超过 10。",
            ),
            Self::Unit => ("Use a value in [0, 1).", "请输入 [0, 1) 之间的值。"),
            Self::Eps => (
                "\u{3b5} must be positive (and below 1).",
                "\u{3b5} 必须为正（且小于 1）。",
            ),
            Self::Dampening => ("Use a value in [0, 1].", "请输入 [0, 1] 之间的值。"),
            Self::Batch => (
                "A whole number from 1 to 24 (the data set has 24 points).",
                "1 到 24 的整数（数据集有 24 个点）。",
            ),
            Self::Seed => ("A whole number \u{2265} 0.", "\u{2265} 0 的整数。"),
        };
        lang.pick(en, zh).to_string()
    }
}

impl Setup {
    /// The chosen optimizer first, then the ones racing it.
    pub fn methods(&self) -> Vec<Method> {
        let mut v = vec![self.method];
        v.extend(self.race.iter().copied().filter(|m| *m != self.method));
        v
    }

    pub fn runs(&self) -> Vec<Run> {
        self.methods()
            .into_iter()
            .map(|m| Run::new(self.surface, m, self.hyper, self.start))
            .collect()
    }

    /// A learning rate that works for `method` on `surface` (a new surface opens with it).
    pub fn lr_for(surface: Surface, method: Method) -> f64 {
        match method {
            Method::Gd | Method::Sgd | Method::Momentum | Method::Nesterov => surface.default_lr(),
            _ if surface == Surface::ConstantGradient => surface.default_lr(),
            _ => 0.05,
        }
    }

    /// A new surface opens at its own start, with a learning rate that
    /// works there for the chosen optimizer.
    pub fn choose_surface(&mut self, surface: Surface) {
        self.start = surface.default_start();
        self.hyper.lr = Setup::lr_for(surface, self.method);
        self.surface = surface;
    }

    /// One of the article's examples, alone: its surface, optimizer, start and rate.
    pub fn load_example(&mut self, surface: Surface, method: Method, start: [f64; 2], lr: f64) {
        self.race.clear();
        (self.surface, self.method, self.start, self.hyper.lr) = (surface, method, start, lr);
    }

    /// Puts `method` in the race beside the chosen one, or takes it out.
    pub fn set_racing(&mut self, method: Method, on: bool) {
        self.race.retain(|m| *m != method);
        if on {
            self.race.push(method);
        }
    }

    pub fn query(&self, steps: usize) -> String {
        let h = &self.hyper;
        let race: Vec<&str> = self.race.iter().map(|m| m.key()).collect();
        let n = plain_number;
        let start = |v: f64| fmt_sig(v, 6).replace('\u{2212}', "-");
        format!(
            "?surface={}&method={}&lr={}&b1={}&b2={}&rho={}&eps={}&mu={}&damp={}&wd={}&batch={}&seed={}\
             &start={},{}&race={}&steps={steps}",
            self.surface.key(),
            self.method.key(),
            n(h.lr),
            n(h.beta1),
            n(h.beta2),
            n(h.rho),
            n(h.eps),
            n(h.momentum),
            n(h.dampening),
            n(h.weight_decay),
            h.batch,
            h.seed,
            start(self.start[0]),
            start(self.start[1]),
            race.join(","),
        )
    }

    /// The query of a link to this setup: empty for the page as it opens
    /// (the default setup, no steps), so a plain visit keeps a plain address.
    pub fn link_query(&self, steps: usize) -> String {
        let q = self.query(steps);
        if q == Setup::from_query("").0.query(0) {
            String::new()
        } else {
            q
        }
    }

    /// Reads a setup and a step count from a query string; anything missing or
    /// invalid keeps its default.
    pub fn from_query(search: &str) -> (Setup, usize) {
        let pairs = query_pairs(search);
        let get = |k: &str| value(&pairs, k);
        let num = |k: &str, check: fn(f64) -> Result<(), HyperError>| {
            get(k)
                .and_then(|s| parse_scalar(s).ok())
                .filter(|v| check(*v).is_ok())
        };
        let surface = get("surface")
            .and_then(Surface::from_key)
            .unwrap_or(Surface::Rosenbrock);
        let method = get("method")
            .and_then(Method::from_key)
            .unwrap_or(Method::Adam);
        let mut h = Hyper::textbook(if matches!(method, Method::Gd | Method::Sgd) {
            surface.default_lr()
        } else {
            0.05
        });
        h.lr = num("lr", HyperError::check_lr).unwrap_or(h.lr);
        h.beta1 = num("b1", HyperError::check_unit).unwrap_or(h.beta1);
        h.beta2 = num("b2", HyperError::check_unit).unwrap_or(h.beta2);
        h.rho = num("rho", HyperError::check_unit).unwrap_or(h.rho);
        h.eps = num("eps", HyperError::check_eps).unwrap_or(h.eps);
        h.momentum = num("mu", HyperError::check_unit).unwrap_or(h.momentum);
        h.dampening = num("damp", HyperError::check_damp).unwrap_or(h.dampening);
        h.weight_decay = num("wd", HyperError::check_damp).unwrap_or(h.weight_decay);
        h.batch = num("batch", HyperError::check_batch).map_or(h.batch, |v| v as usize);
        h.seed = num("seed", HyperError::check_seed).map_or(h.seed, |v| v as u64);
        let start = get("start")
            .and_then(|s| parse_list(s).ok())
            .filter(|v| v.len() == 2 && v.iter().all(|x| x.abs() < 1e3))
            .map_or(surface.default_start(), |v| [v[0], v[1]]);
        let race = get("race")
            .map(|s| s.split(',').filter_map(Method::from_key).collect())
            .unwrap_or_default();
        let steps = get("steps")
            .and_then(|s| parse_scalar(s).ok())
            .filter(|v| *v >= 0.0 && v.fract() == 0.0)
            .map_or(0, |v| (v as usize).min(MAX_STEPS));
        let setup = Setup {
            surface,
            method,
            race,
            hyper: h,
            start,
        };
        (setup, steps)
    }
}

/// The log-scale learning-rate slider's value, snapped to two significant
/// digits so the field shows a readable number.
pub fn snap_lr(log10: f64) -> f64 {
    let v = 10f64.powf(log10);
    let p = 10f64.powf(v.log10().floor() - 1.0);
    ((v / p).round() * p).min(10.0)
}

/// "(0.999, 2.001)".
pub fn vec2(v: &[f64]) -> String {
    match v {
        [a, b] => format!("({}, {})", fmt_sig(*a, 5), fmt_sig(*b, 5)),
        _ => v
            .iter()
            .map(|x| fmt_sig(*x, 5))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// "Adam: J = 0.0123 after 40 steps; …" — the loss chart in words.
pub fn loss_summary(runs: &[Run], lang: Lang) -> String {
    runs.iter()
        .map(|r| {
            let last = r
                .history
                .last()
                .and_then(|s| s.loss)
                .unwrap_or_else(|| r.start_loss());
            let (name, j, n) = (r.opt.method.name(lang), fmt_num(last), r.history.len());
            lang.pick(
                format!("{name}: J = {j} after {n} steps"),
                format!("{name}：{n} 步后 J = {j}"),
            )
        })
        .collect::<Vec<_>>()
        .join(lang.pick("; ", "；"))
}

/// The article's examples, computed: gradient descent from its start (the
/// minimum) and from elsewhere, and Adam on its numbers with its formula and
/// with Kingma & Ba's.
pub struct ArticleExamples {
    /// Two GD steps on the article's quadratic from (1, 2) and from (−1, 0).
    pub gd_at_optimum: Vec<StepState>,
    pub gd_away: Vec<StepState>,
    /// Five steps on the constant gradient: the article's formula, Kingma & Ba's.
    pub article: Vec<StepState>,
    pub kingma_ba: Vec<StepState>,
    /// θ₁ after step 1 had the article's own v₁ been used correctly.
    pub own_v_theta1: f64,
}

impl ArticleExamples {
    pub fn compute() -> Self {
        let gd = |from: [f64; 2]| {
            let mut r = Run::new(
                Surface::DocQuadratic,
                Method::Gd,
                Hyper::textbook(0.1),
                from,
            );
            r.run(2);
            r.history
        };
        let h = Hyper {
            beta1: ex::BETA1,
            beta2: ex::BETA2,
            eps: ex::EPS,
            ..Hyper::textbook(ex::LR)
        };
        let steps = |m: Method| {
            let mut o = Optimizer::new(m, h, ex::THETA.to_vec());
            (0..5).map(|_| o.apply(&ex::GRAD)).collect::<Vec<_>>()
        };
        let printed_v1 = ex::PRINTED_V1.parse::<f64>().unwrap_or(0.005);
        ArticleExamples {
            gd_at_optimum: gd([1.0, 2.0]),
            gd_away: gd([-1.0, 0.0]),
            article: steps(Method::ArticleAdam),
            kingma_ba: steps(Method::Adam),
            own_v_theta1: ex::THETA[0] - ex::LR * 0.05 / (printed_v1.sqrt() + ex::EPS),
        }
    }

    /// Kingma & Ba's first step.
    pub fn first(&self) -> &StepState {
        &self.kingma_ba[0]
    }
}

/// Whether a value the article prints is what the computation gives.
pub fn verdict(v: f64, printed: &str, lang: Lang) -> &'static str {
    match reproduces(v, printed) {
        true => lang.pick("matches", "一致"),
        false => lang.pick("differs", "不一致"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choosing_a_surface_an_example_or_a_racer_changes_what_belongs_with_it() {
        let (mut s, _) = Setup::from_query("");
        s.method = Method::Adam;
        s.choose_surface(Surface::Rosenbrock);
        assert_eq!(s.surface, Surface::Rosenbrock);
        assert_eq!(s.start, Surface::Rosenbrock.default_start());
        assert_eq!(s.hyper.lr, Setup::lr_for(Surface::Rosenbrock, Method::Adam));
        s.set_racing(Method::Sgd, true);
        s.set_racing(Method::Momentum, true);
        s.set_racing(Method::Sgd, true);
        assert_eq!(s.race, vec![Method::Momentum, Method::Sgd]);
        s.set_racing(Method::Momentum, false);
        assert_eq!(s.race, vec![Method::Sgd]);
        s.load_example(Surface::DocQuadratic, Method::Gd, [1.0, 2.0], 0.1);
        assert!(s.race.is_empty());
        assert_eq!(
            (s.surface, s.method, s.start, s.hyper.lr),
            (Surface::DocQuadratic, Method::Gd, [1.0, 2.0], 0.1)
        );
    }

    #[test]
    fn a_setup_survives_its_url() {
        let (mut s, _) = Setup::from_query("");
        assert_eq!((s.surface, s.method), (Surface::Rosenbrock, Method::Adam));
        s.surface = Surface::LeastSquares;
        s.method = Method::Sgd;
        s.race = vec![Method::Adam, Method::Momentum];
        s.hyper.lr = 1e-4;
        s.hyper.batch = 5;
        s.hyper.seed = 7;
        s.start = [-1.5, 0.25];
        let (back, steps) = Setup::from_query(&s.query(42));
        assert_eq!(back, s);
        assert_eq!(steps, 42);
    }

    #[test]
    fn the_opening_page_has_a_plain_link() {
        let (s, _) = Setup::from_query("");
        assert_eq!(s.link_query(0), "");
        assert!(s.link_query(3).ends_with("&steps=3"));
        let (back, steps) = Setup::from_query(&s.link_query(3));
        assert_eq!((back, steps), (s, 3));
    }

    #[test]
    fn bad_values_in_a_url_keep_their_defaults() {
        let (s, steps) =
            Setup::from_query("?lr=-1&b1=1.5&batch=2.5&start=1e9,0&race=adam,nope&steps=99999");
        let d = Setup::from_query("").0;
        assert_eq!(s.hyper, d.hyper);
        assert_eq!(s.start, d.start);
        assert_eq!(s.race, vec![Method::Adam]);
        assert_eq!(steps, MAX_STEPS);
    }

    #[test]
    fn checks_and_their_messages() {
        assert!(HyperError::check_lr(10.0).is_ok() && HyperError::check_lr(0.0).is_err());
        assert!(HyperError::check_batch(24.0).is_ok() && HyperError::check_batch(25.0).is_err());
        assert_eq!(
            HyperError::Batch.message(Lang::Zh),
            "1 到 24 的整数（数据集有 24 个点）。"
        );
        assert_eq!(snap_lr(-2.0), 0.01);
        assert!((snap_lr(0.5) - 3.2).abs() < 1e-12);
        assert_eq!(snap_lr(2.0), 10.0);
    }

    #[test]
    fn the_articles_examples_say_what_the_page_says() {
        let e = ArticleExamples::compute();
        // From the minimum nothing moves; from (−1, 0) each step shrinks the distance by 0.8.
        assert_eq!(e.gd_at_optimum.last().unwrap().theta, vec![1.0, 2.0]);
        assert_eq!(vec2(&e.gd_away[0].theta), "(−0.6, 0.4)");
        // Step 1 agrees between the two formulas; step 2 does not.
        assert!((e.article[0].theta[0] - e.first().theta[0]).abs() < 1e-9);
        assert!((e.article[1].theta[0] - e.kingma_ba[1].theta[0]).abs() > 1e-6);
        assert_eq!(
            verdict(e.first().v.as_ref().unwrap()[0], ex::PRINTED_V1, Lang::En),
            "differs"
        );
        assert!((e.own_v_theta1 - (1.0 - 0.000707)).abs() < 1e-6);
    }
}
