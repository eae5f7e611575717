//! First-order optimizers in f64, one explicit step at a time, returning the full
//! state a student needs to check each step by hand.
//!
//! Update rules (g = gradient at θ, t = step count from 1):
//! * GD / SGD:   θ ← θ − α g  (SGD: g from a random mini-batch of the data)
//! * Momentum (heavy ball, in the form PyTorch and Burn use):
//!   b ← g at t = 1, else b ← μ b + (1 − d) g;  θ ← θ − α b   (d = dampening)
//! * Nesterov:   b as above;  θ ← θ − α (g + μ b)
//! * RMSProp (Hinton, lecture 6e): v ← ρ v + (1 − ρ) g²;  θ ← θ − α g / (√v + ε)
//! * Adam (Kingma & Ba 2014, Algorithm 1):
//!   m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
//!   m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − α m̂ / (√v̂ + ε)
//! * AdamW: Adam plus decoupled decay, θ ← θ − α(m̂/(√v̂+ε) + λθ): PyTorch's form, which scales
//!   the decay by α; Loshchilov & Hutter (2019) scale it by the schedule multiplier ηₜ instead
//! * "Adam as the article writes it": Adam without the bias correction
//!   (its μₜ terms are taken as 0, as its own example does).

use super::rng::SplitMix64;
use super::surface::{Surface, LSQ_POINTS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Gd,
    Sgd,
    Momentum,
    Nesterov,
    RmsProp,
    Adam,
    AdamW,
    /// The article's formula: Adam with no bias correction.
    ArticleAdam,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Gd,
        Method::Sgd,
        Method::Momentum,
        Method::Nesterov,
        Method::RmsProp,
        Method::Adam,
        Method::AdamW,
        Method::ArticleAdam,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Method::Gd => "gd",
            Method::Sgd => "sgd",
            Method::Momentum => "momentum",
            Method::Nesterov => "nesterov",
            Method::RmsProp => "rmsprop",
            Method::Adam => "adam",
            Method::AdamW => "adamw",
            Method::ArticleAdam => "article-adam",
        }
    }

    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn name(self, lang: crate::lang::Lang) -> &'static str {
        let (en, zh) = match self {
            Method::Gd => ("Gradient descent", "梯度下降"),
            Method::Sgd => ("SGD (mini-batch)", "SGD（小批量）"),
            Method::Momentum => ("Momentum", "动量法"),
            Method::Nesterov => ("Nesterov momentum", "Nesterov 动量"),
            Method::RmsProp => ("RMSProp", "RMSProp"),
            Method::Adam => ("Adam", "Adam"),
            Method::AdamW => ("AdamW", "AdamW"),
            Method::ArticleAdam => ("Adam as the article writes it", "按文章写法的 Adam"),
        };
        lang.pick(en, zh)
    }

    /// Whether the method keeps a first-moment / momentum buffer `m`.
    pub fn has_m(self) -> bool {
        matches!(
            self,
            Method::Momentum
                | Method::Nesterov
                | Method::Adam
                | Method::AdamW
                | Method::ArticleAdam
        )
    }

    /// Whether the method keeps a second-moment buffer `v`.
    pub fn has_v(self) -> bool {
        matches!(
            self,
            Method::RmsProp | Method::Adam | Method::AdamW | Method::ArticleAdam
        )
    }

    /// Whether the method divides by bias-correction terms.
    pub fn bias_corrected(self) -> bool {
        matches!(self, Method::Adam | Method::AdamW)
    }
}

/// Hyperparameters; each method reads the ones it uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    /// α
    pub lr: f64,
    /// β₁ (Adam)
    pub beta1: f64,
    /// β₂ (Adam)
    pub beta2: f64,
    /// ρ (RMSProp): 0.9 in Hinton's lecture 6e; PyTorch's `alpha` defaults to 0.99.
    pub rho: f64,
    /// ε (Adam, RMSProp)
    pub eps: f64,
    /// μ (momentum)
    pub momentum: f64,
    /// d (momentum dampening): 0 in the textbook and PyTorch, 0.1 by default in Burn.
    pub dampening: f64,
    /// λ (AdamW)
    pub weight_decay: f64,
    /// Mini-batch size (SGD)
    pub batch: usize,
    /// Seed of the mini-batch draws (SGD)
    pub seed: u64,
}

impl Hyper {
    /// The textbook defaults (Kingma & Ba's β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸;
    /// momentum 0.9 without dampening) with the given learning rate.
    pub fn textbook(lr: f64) -> Self {
        Hyper {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            rho: 0.9,
            eps: 1e-8,
            momentum: 0.9,
            dampening: 0.0,
            weight_decay: 0.01,
            batch: 4,
            seed: 1,
        }
    }
}

/// Everything about one step.
#[derive(Clone, Debug, PartialEq)]
pub struct StepState {
    /// Step number, from 1.
    pub t: u64,
    /// The gradient used.
    pub grad: Vec<f64>,
    /// First moment / momentum buffer after the step.
    pub m: Option<Vec<f64>>,
    /// Second moment after the step.
    pub v: Option<Vec<f64>>,
    /// Bias-corrected moments (Adam, AdamW).
    pub m_hat: Option<Vec<f64>>,
    pub v_hat: Option<Vec<f64>>,
    /// θ_new − θ_old.
    pub update: Vec<f64>,
    /// θ after the step.
    pub theta: Vec<f64>,
    /// J(θ) after the step, when a loss is known.
    pub loss: Option<f64>,
    /// Indices of the mini-batch (SGD on data).
    pub batch: Option<Vec<usize>>,
}

/// An optimizer over a parameter vector of any length.
#[derive(Clone, Debug)]
pub struct Optimizer {
    pub method: Method,
    pub hyper: Hyper,
    t: u64,
    theta: Vec<f64>,
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Optimizer {
    pub fn new(method: Method, hyper: Hyper, theta: Vec<f64>) -> Self {
        let n = theta.len();
        Optimizer {
            method,
            hyper,
            t: 0,
            theta,
            m: vec![0.0; n],
            v: vec![0.0; n],
        }
    }

    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    pub fn t(&self) -> u64 {
        self.t
    }

    /// Applies one update with the gradient `g` taken at the current θ.
    // θ, g, m and v are parallel arrays: indexing reads like the formulas.
    #[allow(clippy::needless_range_loop)]
    pub fn apply(&mut self, g: &[f64]) -> StepState {
        assert_eq!(g.len(), self.theta.len(), "gradient and θ differ in length");
        self.t += 1;
        let h = self.hyper;
        let t = self.t as i32;
        let old = self.theta.clone();
        let (mut m_hat, mut v_hat) = (None, None);
        match self.method {
            Method::Gd | Method::Sgd => {
                for (th, gi) in self.theta.iter_mut().zip(g) {
                    *th -= h.lr * gi;
                }
            }
            Method::Momentum | Method::Nesterov => {
                for i in 0..g.len() {
                    self.m[i] = if self.t == 1 {
                        g[i]
                    } else {
                        h.momentum * self.m[i] + (1.0 - h.dampening) * g[i]
                    };
                    let dir = if self.method == Method::Nesterov {
                        g[i] + h.momentum * self.m[i]
                    } else {
                        self.m[i]
                    };
                    self.theta[i] -= h.lr * dir;
                }
            }
            Method::RmsProp => {
                for i in 0..g.len() {
                    self.v[i] = h.rho * self.v[i] + (1.0 - h.rho) * g[i] * g[i];
                    self.theta[i] -= h.lr * g[i] / (self.v[i].sqrt() + h.eps);
                }
            }
            Method::Adam | Method::AdamW | Method::ArticleAdam => {
                let c1 = 1.0 - h.beta1.powi(t);
                let c2 = 1.0 - h.beta2.powi(t);
                let corrected = self.method.bias_corrected();
                let (mut mh, mut vh) = (vec![0.0; g.len()], vec![0.0; g.len()]);
                for i in 0..g.len() {
                    self.m[i] = h.beta1 * self.m[i] + (1.0 - h.beta1) * g[i];
                    self.v[i] = h.beta2 * self.v[i] + (1.0 - h.beta2) * g[i] * g[i];
                    let (a, b) = if corrected {
                        (self.m[i] / c1, self.v[i] / c2)
                    } else {
                        (self.m[i], self.v[i])
                    };
                    mh[i] = a;
                    vh[i] = b;
                    let mut step = a / (b.sqrt() + h.eps);
                    if self.method == Method::AdamW {
                        step += h.weight_decay * self.theta[i];
                    }
                    self.theta[i] -= h.lr * step;
                }
                if corrected {
                    m_hat = Some(mh);
                    v_hat = Some(vh);
                }
            }
        }
        StepState {
            t: self.t,
            grad: g.to_vec(),
            m: self.method.has_m().then(|| self.m.clone()),
            v: self.method.has_v().then(|| self.v.clone()),
            m_hat,
            v_hat,
            update: self.theta.iter().zip(&old).map(|(a, b)| a - b).collect(),
            theta: self.theta.clone(),
            loss: None,
            batch: None,
        }
    }
}

/// How a run on a surface ended (or that it has not).
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Running,
    /// The gradient vanished: θ no longer moves.
    Converged {
        t: u64,
    },
    /// θ or the loss blew up; nothing non-finite is ever stored.
    Diverged {
        t: u64,
        reason: Divergence,
    },
}

/// Why a run blew up, written for the visitor in either language.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    pub surface: Surface,
    pub method: Method,
    pub lr: f64,
}

/// |θ| or J beyond which a run counts as diverged.
pub const BLOW_UP: f64 = 1e8;

/// An optimizer running on a loss surface, with its history.
#[derive(Clone, Debug)]
pub struct Run {
    pub surface: Surface,
    pub start: [f64; 2],
    pub opt: Optimizer,
    pub history: Vec<StepState>,
    pub status: Status,
    rng: SplitMix64,
}

impl Run {
    pub fn new(surface: Surface, method: Method, hyper: Hyper, start: [f64; 2]) -> Self {
        Run {
            surface,
            start,
            opt: Optimizer::new(method, hyper, start.to_vec()),
            history: Vec::new(),
            status: Status::Running,
            rng: SplitMix64::new(hyper.seed),
        }
    }

    /// Current θ.
    pub fn theta(&self) -> [f64; 2] {
        [self.opt.theta[0], self.opt.theta[1]]
    }

    /// J at the start.
    pub fn start_loss(&self) -> f64 {
        self.surface.loss(self.start)
    }

    /// Draws a mini-batch without replacement.
    fn draw_batch(&mut self) -> Vec<usize> {
        let k = self.opt.hyper.batch.clamp(1, LSQ_POINTS);
        let mut pool: Vec<usize> = (0..LSQ_POINTS).collect();
        let mut batch = Vec::with_capacity(k);
        for _ in 0..k {
            let j = self.rng.below(pool.len());
            batch.push(pool.swap_remove(j));
        }
        batch.sort_unstable();
        batch
    }

    /// Takes one step; `None` once the run has converged or diverged.
    pub fn step(&mut self) -> Option<&StepState> {
        if self.status != Status::Running {
            return None;
        }
        let theta = self.theta();
        let (grad, batch) = if self.opt.method == Method::Sgd && self.surface.has_data() {
            let b = self.draw_batch();
            (self.surface.batch_grad(theta, &b), Some(b))
        } else {
            (self.surface.grad(theta), None)
        };
        let before = self.opt.clone();
        let mut s = self.opt.apply(&grad);
        let new = self.theta();
        let loss = self.surface.loss(new);
        let blown = !loss.is_finite()
            || loss > BLOW_UP
            || new.iter().any(|v| !v.is_finite() || v.abs() > BLOW_UP);
        if blown {
            self.opt = before;
            self.status = Status::Diverged {
                t: s.t,
                reason: Divergence {
                    surface: self.surface,
                    method: self.opt.method,
                    lr: self.opt.hyper.lr,
                },
            };
            return None;
        }
        s.loss = Some(loss);
        s.batch = batch;
        let gnorm = grad[0].hypot(grad[1]);
        let unorm = s.update[0].hypot(s.update[1]);
        if gnorm < 1e-12 && unorm < 1e-12 {
            self.status = Status::Converged { t: s.t };
        }
        self.history.push(s);
        self.history.last()
    }

    /// Steps until `n` more steps are taken or the run stops.
    pub fn run(&mut self, n: usize) {
        for _ in 0..n {
            if self.step().is_none() {
                break;
            }
        }
    }
}

/// The largest curvature of a quadratic surface (GD is stable iff α < 2/L).
pub fn max_curvature(surface: Surface) -> Option<f64> {
    match surface {
        Surface::DocQuadratic => Some(2.0),
        Surface::IllConditioned => Some(25.0),
        Surface::LeastSquares => {
            // Hessian of (1/N)Σ(ax+b−y)²: (2/N)[[Σx², Σx], [Σx, N]]; largest eigenvalue.
            let d = super::surface::lsq_data();
            let n = d.len() as f64;
            let sxx: f64 = d.iter().map(|(x, _)| x * x).sum::<f64>() * 2.0 / n;
            let sx: f64 = d.iter().map(|(x, _)| x).sum::<f64>() * 2.0 / n;
            let c = 2.0;
            let tr = sxx + c;
            let det = sxx * c - sx * sx;
            Some(tr / 2.0 + ((tr / 2.0).powi(2) - det).max(0.0).sqrt())
        }
        Surface::Rosenbrock | Surface::Himmelblau | Surface::ConstantGradient => None,
    }
}

/// A plain-words explanation of a divergence, with a fix.
impl crate::lang::Localized for Divergence {
    fn message(&self, lang: crate::lang::Lang) -> String {
        let fmt = super::format::fmt_num;
        let (b, lr) = (fmt(BLOW_UP), fmt(self.lr));
        let base = lang.pick(
            format!("The parameters or the loss grew past {b} \u{2014} the learning rate \u{3b1} = {lr} is too large here."),
            format!("参数或损失超过了 {b}——学习率 \u{3b1} = {lr} 在这里太大了。"),
        );
        match (max_curvature(self.surface), self.method) {
            (Some(l), Method::Gd | Method::Sgd) => {
                let (l, two, one) = (fmt(l), fmt(2.0 / l), fmt(1.0 / l));
                lang.pick(
                    format!(
                        "{base} On this surface the steepest curvature is L = {l}, and gradient descent overshoots \
                         more each step whenever \u{3b1} > 2/L = {two}. Try \u{3b1} below {one}."
                    ),
                    format!(
                        "{base}这个曲面上最陡的曲率是 L = {l}；只要 \u{3b1} > 2/L = {two}，梯度下降每一步都会越冲越远。\
                         试试小于 {one} 的 \u{3b1}。"
                    ),
                )
            }
            _ => {
                let smaller = fmt(self.lr / 10.0);
                lang.pick(
                    format!("{base} Try a learning rate 10\u{d7} smaller ({smaller})."),
                    format!("{base}试试小 10 倍的学习率（{smaller}）。"),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b}");
    }

    #[test]
    fn gd_on_the_quadratic_contracts_by_one_minus_two_alpha() {
        for lr in [0.1, 0.3, 0.7, 0.95] {
            let mut run = Run::new(
                Surface::DocQuadratic,
                Method::Gd,
                Hyper::textbook(lr),
                [-1.0, 0.0],
            );
            let dist = |t: [f64; 2]| (t[0] - 1.0).hypot(t[1] - 2.0);
            let mut d = dist(run.theta());
            for _ in 0..10 {
                run.step().unwrap();
                let nd = dist(run.theta());
                close(nd / d, (1.0 - 2.0 * lr).abs(), 1e-9);
                d = nd;
            }
        }
    }

    #[test]
    fn gd_at_the_optimum_does_not_move() {
        // The article's GD and SGD examples start at θ = (1, 2), the minimum.
        let mut run = Run::new(
            Surface::DocQuadratic,
            Method::Gd,
            Hyper::textbook(0.1),
            [1.0, 2.0],
        );
        let s = run.step().unwrap().clone();
        assert_eq!(s.grad, vec![0.0, 0.0]);
        assert_eq!(s.theta, vec![1.0, 2.0]);
        assert_eq!(run.status, Status::Converged { t: 1 });
    }

    #[test]
    fn adam_first_step_on_the_articles_numbers() {
        // θ = [1, 2], g = [0.5, −0.3], β₁ = 0.9, β₂ = 0.99, α = 0.001, ε = 1e-8:
        // m = [0.05, −0.03], v = [0.0025, 0.0009], m̂ = [0.5, −0.3], v̂ = [0.25, 0.09],
        // update = −α m̂ / (√v̂ + ε) = [−0.001, +0.001] (to 1e-10): θ = [0.999, 2.001].
        let h = Hyper {
            beta2: 0.99,
            ..Hyper::textbook(0.001)
        };
        let mut opt = Optimizer::new(Method::Adam, h, vec![1.0, 2.0]);
        let s = opt.apply(&[0.5, -0.3]);
        let m = s.m.unwrap();
        let v = s.v.unwrap();
        let mh = s.m_hat.unwrap();
        let vh = s.v_hat.unwrap();
        close(m[0], 0.05, 1e-15);
        close(m[1], -0.03, 1e-15);
        close(v[0], 0.0025, 1e-15);
        close(v[1], 0.0009, 1e-15);
        close(mh[0], 0.5, 1e-12);
        close(vh[1], 0.09, 1e-12);
        close(s.theta[0], 0.999, 1e-10);
        close(s.theta[1], 2.001, 1e-10);
        // Second step with the same gradient: m = [0.095, −0.057], v = [0.004975, 0.001791];
        // m̂ = m/0.19 = [0.5, −0.3], v̂ = v/0.0199 = [0.25, 0.09]: again ±0.001.
        let s2 = opt.apply(&[0.5, -0.3]);
        close(s2.m.unwrap()[0], 0.095, 1e-15);
        close(s2.v.unwrap()[0], 0.004975, 1e-15);
        close(s2.theta[0], 0.998, 1e-9);
    }

    #[test]
    fn the_articles_adam_lacks_bias_correction() {
        let h = Hyper {
            beta2: 0.99,
            ..Hyper::textbook(0.001)
        };
        let mut doc = Optimizer::new(Method::ArticleAdam, h, vec![1.0, 2.0]);
        let s = doc.apply(&[0.5, -0.3]);
        assert!(s.m_hat.is_none());
        // Step 1: 0.05/√0.0025 = 1 — equal to Adam's only because (1−β₁) = √(1−β₂) = 0.1.
        close(s.theta[0], 0.999, 1e-9);
        // Step 2: m/√v = 0.095/√0.004975 = 1.3469, so θ₁ drops by 0.0013469, not 0.001.
        let s2 = doc.apply(&[0.5, -0.3]);
        close(
            s2.update[0],
            -0.001 * 0.095 / (0.004975f64.sqrt() + 1e-8),
            1e-15,
        );
        close(s2.update[0], -0.001_346_9, 1e-7);
        // With β₂ = 0.999 the uncorrected first step is α·0.05/√0.00025 = 3.16α.
        let mut doc = Optimizer::new(Method::ArticleAdam, Hyper::textbook(0.001), vec![1.0]);
        close(
            doc.apply(&[0.5]).update[0],
            -0.001 * 0.05 / (0.00025f64.sqrt() + 1e-8),
            1e-15,
        );
    }

    #[test]
    fn momentum_nesterov_rmsprop_by_hand() {
        let h = Hyper {
            momentum: 0.5,
            ..Hyper::textbook(0.1)
        };
        // Heavy ball: b₁ = g₁ = 2 → θ = 1 − 0.2 = 0.8; b₂ = 0.5·2 + 4 = 5 → θ = 0.8 − 0.5 = 0.3.
        let mut o = Optimizer::new(Method::Momentum, h, vec![1.0]);
        close(o.apply(&[2.0]).theta[0], 0.8, 1e-15);
        close(o.apply(&[4.0]).theta[0], 0.3, 1e-15);
        // With dampening d = 0.1 (Burn's default): b₂ = 0.5·2 + 0.9·4 = 4.6 → θ = 0.8 − 0.46.
        let mut o = Optimizer::new(
            Method::Momentum,
            Hyper {
                dampening: 0.1,
                ..h
            },
            vec![1.0],
        );
        o.apply(&[2.0]);
        close(o.apply(&[4.0]).theta[0], 0.34, 1e-12);
        // Nesterov: b₁ = 2, step g + μb = 2 + 1 = 3 → θ = 0.7.
        let mut o = Optimizer::new(Method::Nesterov, h, vec![1.0]);
        close(o.apply(&[2.0]).theta[0], 0.7, 1e-15);
        // RMSProp, ρ = 0.9: v = 0.1·4 = 0.4 → θ = 1 − 0.1·2/(√0.4 + 1e-8).
        let mut o = Optimizer::new(
            Method::RmsProp,
            Hyper {
                rho: 0.9,
                beta2: 0.5,
                ..h
            },
            vec![1.0],
        );
        close(
            o.apply(&[2.0]).theta[0],
            1.0 - 0.2 / (0.4f64.sqrt() + 1e-8),
            1e-15,
        );
        // AdamW adds α·λ·θ to Adam's step: first step −α(1 + λθ) for g > 0.
        let mut o = Optimizer::new(
            Method::AdamW,
            Hyper {
                weight_decay: 0.1,
                ..h
            },
            vec![1.0],
        );
        close(
            o.apply(&[2.0]).theta[0],
            1.0 - 0.1 * (2.0 / (2.0 + 1e-8) + 0.1),
            1e-12,
        );
    }

    #[test]
    fn sgd_samples_the_data_reproducibly() {
        let h = Hyper {
            batch: 3,
            seed: 42,
            ..Hyper::textbook(0.05)
        };
        let mut a = Run::new(Surface::LeastSquares, Method::Sgd, h, [0.0, 0.0]);
        let mut b = Run::new(Surface::LeastSquares, Method::Sgd, h, [0.0, 0.0]);
        a.run(50);
        b.run(50);
        assert_eq!(a.history, b.history);
        let s = &a.history[0];
        let batch = s.batch.clone().unwrap();
        assert_eq!(batch.len(), 3);
        assert_eq!(
            s.grad,
            Surface::LeastSquares
                .batch_grad([0.0, 0.0], &batch)
                .to_vec()
        );
        assert_ne!(s.grad, Surface::LeastSquares.grad([0.0, 0.0]).to_vec());
        // It still gets near the least-squares solution.
        a.run(2000);
        let sol = Surface::LeastSquares.minima()[0];
        let th = a.theta();
        assert!(
            (th[0] - sol[0]).abs() < 0.25 && (th[1] - sol[1]).abs() < 0.25,
            "{th:?} vs {sol:?}"
        );
    }

    #[test]
    fn divergence_is_detected_and_explained() {
        let mut run = Run::new(
            Surface::DocQuadratic,
            Method::Gd,
            Hyper::textbook(1.5),
            [-1.0, 0.0],
        );
        run.run(1000);
        match &run.status {
            Status::Diverged { reason, .. } => {
                use crate::lang::{Lang, Localized};
                let (en, zh) = (reason.message(Lang::En), reason.message(Lang::Zh));
                assert!(en.contains("2/L = 1"), "{en}");
                assert!(zh.contains("2/L = 1") && zh.contains("梯度下降"), "{zh}");
            }
            s => panic!("expected divergence, got {s:?}"),
        }
        assert!(run
            .history
            .iter()
            .all(|s| s.loss.unwrap().is_finite() && s.theta.iter().all(|v| v.is_finite())));
        assert!(run.step().is_none());
        // Just below 2/L it converges (slowly, oscillating).
        let mut run = Run::new(
            Surface::DocQuadratic,
            Method::Gd,
            Hyper::textbook(0.95),
            [-1.0, 0.0],
        );
        run.run(400);
        assert!(run.surface.loss(run.theta()) < 1e-6);
    }

    #[test]
    fn every_method_finds_the_quadratic_minimum() {
        for m in Method::ALL {
            let mut run = Run::new(Surface::DocQuadratic, m, Hyper::textbook(0.05), [-1.0, 0.0]);
            run.run(3000);
            let th = run.theta();
            let tol = if m == Method::AdamW { 0.05 } else { 1e-2 };
            assert!(
                (th[0] - 1.0).abs() < tol && (th[1] - 2.0).abs() < tol,
                "{m:?}: {th:?}"
            );
        }
    }

    #[test]
    fn method_keys_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::from_key(m.key()), Some(m));
        }
        assert!(max_curvature(Surface::LeastSquares).unwrap() > 2.0);
    }
}
