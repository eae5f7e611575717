//! Loss surfaces over two parameters θ = (θ₁, θ₂) for the optimizer tutorials:
//! the article's quadratic, an ill-conditioned quadratic, Rosenbrock's valley,
//! Himmelblau's four minima, and a least-squares line fit to a small data set
//! (the one surface where stochastic gradients are real).

use super::rng::SplitMix64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Surface {
    /// J(θ) = (θ₁ − 1)² + (θ₂ − 2)²: the article's example.
    DocQuadratic,
    /// J(θ) = ½(θ₁² + 25 θ₂²): curvature 1 along θ₁, 25 along θ₂.
    IllConditioned,
    /// J(θ) = (1 − θ₁)² + 100 (θ₂ − θ₁²)²: a curved, flat-bottomed valley.
    Rosenbrock,
    /// J(θ) = (θ₁² + θ₂ − 11)² + (θ₁ + θ₂² − 7)²: four minima of value 0.
    Himmelblau,
    /// J(θ) = (1/N) Σᵢ (θ₁ xᵢ + θ₂ − yᵢ)²: fitting a line ŷ = θ₁x + θ₂ to N points.
    LeastSquares,
    /// J(θ) = 0.5 (θ₁ − 0.9) − 0.3 (θ₂ − 2.1): a plane whose gradient is the
    /// article's Adam example g = (0.5, −0.3) everywhere, so its numbers can be
    /// stepped through. It has no minimum (J falls forever along −g).
    ConstantGradient,
}

/// Number of points in the least-squares data set.
pub const LSQ_POINTS: usize = 24;

/// The least-squares data: xᵢ evenly spread in [−2, 2], yᵢ = 1.5 xᵢ − 0.5 + noise
/// (σ = 0.4, fixed seed), so everyone sees the same points.
pub fn lsq_data() -> Vec<(f64, f64)> {
    let mut rng = SplitMix64::new(2024);
    (0..LSQ_POINTS)
        .map(|i| {
            let x = -2.0 + 4.0 * i as f64 / (LSQ_POINTS - 1) as f64;
            (x, 1.5 * x - 0.5 + 0.4 * rng.normal())
        })
        .collect()
}

impl Surface {
    pub const ALL: [Surface; 6] = [
        Surface::DocQuadratic,
        Surface::IllConditioned,
        Surface::Rosenbrock,
        Surface::Himmelblau,
        Surface::LeastSquares,
        Surface::ConstantGradient,
    ];

    /// Stable short name, used in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Surface::DocQuadratic => "doc",
            Surface::IllConditioned => "ill",
            Surface::Rosenbrock => "rosenbrock",
            Surface::Himmelblau => "himmelblau",
            Surface::LeastSquares => "lsq",
            Surface::ConstantGradient => "constant",
        }
    }

    pub fn from_key(key: &str) -> Option<Surface> {
        Surface::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn name(self, lang: crate::lang::Lang) -> &'static str {
        let (en, zh) = match self {
            Surface::DocQuadratic => ("The article's quadratic", "文章的二次函数"),
            Surface::IllConditioned => ("Ill-conditioned quadratic", "病态二次函数"),
            Surface::Rosenbrock => ("Rosenbrock valley", "Rosenbrock 山谷"),
            Surface::Himmelblau => ("Himmelblau (four minima)", "Himmelblau 函数（四个极小值）"),
            Surface::LeastSquares => ("Least-squares line fit", "最小二乘直线拟合"),
            Surface::ConstantGradient => (
                "Constant gradient (the article's Adam example)",
                "常数梯度（文章的 Adam 算例）",
            ),
        };
        lang.pick(en, zh)
    }

    /// The formula in LaTeX.
    pub fn tex(self) -> &'static str {
        match self {
            Surface::DocQuadratic => r"J(\theta) = (\theta_1 - 1)^2 + (\theta_2 - 2)^2",
            Surface::IllConditioned => {
                r"J(\theta) = \tfrac{1}{2}\left(\theta_1^2 + 25\,\theta_2^2\right)"
            }
            Surface::Rosenbrock => r"J(\theta) = (1 - \theta_1)^2 + 100\,(\theta_2 - \theta_1^2)^2",
            Surface::Himmelblau => {
                r"J(\theta) = (\theta_1^2 + \theta_2 - 11)^2 + (\theta_1 + \theta_2^2 - 7)^2"
            }
            Surface::LeastSquares => {
                r"J(\theta) = \frac{1}{N}\sum_{i=1}^{N} (\theta_1 x_i + \theta_2 - y_i)^2"
            }
            Surface::ConstantGradient => {
                r"J(\theta) = 0.5\,(\theta_1 - 0.9) - 0.3\,(\theta_2 - 2.1)"
            }
        }
    }

    /// Plot window: (θ₁ range, θ₂ range).
    pub fn window(self) -> ([f64; 2], [f64; 2]) {
        match self {
            Surface::DocQuadratic => ([-2.0, 4.0], [-1.0, 5.0]),
            Surface::IllConditioned => ([-4.0, 4.0], [-2.0, 2.0]),
            Surface::Rosenbrock => ([-2.0, 2.0], [-1.0, 3.0]),
            Surface::Himmelblau => ([-5.0, 5.0], [-5.0, 5.0]),
            Surface::LeastSquares => ([-2.0, 4.0], [-3.0, 2.0]),
            Surface::ConstantGradient => ([0.9, 1.1], [1.9, 2.1]),
        }
    }

    /// A start that shows the surface's character.
    pub fn default_start(self) -> [f64; 2] {
        match self {
            Surface::DocQuadratic => [-1.0, 0.0],
            Surface::IllConditioned => [-3.5, 1.5],
            Surface::Rosenbrock => [-1.5, 2.5],
            Surface::Himmelblau => [0.0, 0.0],
            Surface::LeastSquares => [-1.5, 1.5],
            Surface::ConstantGradient => [1.0, 2.0],
        }
    }

    /// A default learning rate that converges from the default start.
    pub fn default_lr(self) -> f64 {
        match self {
            Surface::DocQuadratic => 0.1,
            Surface::IllConditioned => 0.035,
            Surface::Rosenbrock => 0.001,
            Surface::Himmelblau => 0.01,
            Surface::LeastSquares => 0.1,
            Surface::ConstantGradient => 0.001,
        }
    }

    /// Whether the loss is an average over data points (so SGD can sample them).
    pub fn has_data(self) -> bool {
        self == Surface::LeastSquares
    }

    pub fn loss(self, t: [f64; 2]) -> f64 {
        let [a, b] = t;
        match self {
            Surface::DocQuadratic => (a - 1.0).powi(2) + (b - 2.0).powi(2),
            Surface::IllConditioned => 0.5 * (a * a + 25.0 * b * b),
            Surface::Rosenbrock => (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2),
            Surface::Himmelblau => (a * a + b - 11.0).powi(2) + (a + b * b - 7.0).powi(2),
            Surface::ConstantGradient => 0.5 * (a - 0.9) - 0.3 * (b - 2.1),
            Surface::LeastSquares => {
                let d = lsq_data();
                d.iter().map(|(x, y)| (a * x + b - y).powi(2)).sum::<f64>() / d.len() as f64
            }
        }
    }

    /// ∇J(θ), exact.
    pub fn grad(self, t: [f64; 2]) -> [f64; 2] {
        match self {
            Surface::LeastSquares => lsq_grad(t, &lsq_data(), None),
            _ => self.analytic_grad(t),
        }
    }

    fn analytic_grad(self, t: [f64; 2]) -> [f64; 2] {
        let [a, b] = t;
        match self {
            Surface::DocQuadratic => [2.0 * (a - 1.0), 2.0 * (b - 2.0)],
            Surface::IllConditioned => [a, 25.0 * b],
            Surface::Rosenbrock => [
                -2.0 * (1.0 - a) - 400.0 * a * (b - a * a),
                200.0 * (b - a * a),
            ],
            Surface::Himmelblau => {
                let u = a * a + b - 11.0;
                let v = a + b * b - 7.0;
                [4.0 * a * u + 2.0 * v, 2.0 * u + 4.0 * b * v]
            }
            Surface::ConstantGradient => [0.5, -0.3],
            Surface::LeastSquares => unreachable!("handled by grad"),
        }
    }

    /// The gradient of the loss on a mini-batch of data points (indices into
    /// [`lsq_data`]); the exact gradient on surfaces without data.
    pub fn batch_grad(self, t: [f64; 2], batch: &[usize]) -> [f64; 2] {
        match self {
            Surface::LeastSquares => lsq_grad(t, &lsq_data(), Some(batch)),
            _ => self.analytic_grad(t),
        }
    }

    /// Where the minima are (for markers and convergence checks).
    pub fn minima(self) -> Vec<[f64; 2]> {
        match self {
            Surface::DocQuadratic => vec![[1.0, 2.0]],
            Surface::IllConditioned => vec![[0.0, 0.0]],
            Surface::Rosenbrock => vec![[1.0, 1.0]],
            Surface::Himmelblau => vec![
                [3.0, 2.0],
                [-2.805_118, 3.131_312],
                [-3.779_310, -3.283_186],
                [3.584_428, -1.848_126],
            ],
            Surface::LeastSquares => vec![lsq_solution(&lsq_data())],
            Surface::ConstantGradient => vec![],
        }
    }
}

fn lsq_grad(t: [f64; 2], data: &[(f64, f64)], batch: Option<&[usize]>) -> [f64; 2] {
    let [a, b] = t;
    let mut g = [0.0, 0.0];
    let mut n = 0usize;
    let mut add = |(x, y): (f64, f64)| {
        let r = a * x + b - y;
        g[0] += 2.0 * r * x;
        g[1] += 2.0 * r;
        n += 1;
    };
    match batch {
        Some(idx) => idx.iter().for_each(|&i| add(data[i])),
        None => data.iter().copied().for_each(add),
    }
    [g[0] / n as f64, g[1] / n as f64]
}

/// Closed-form least squares (normal equations) for ŷ = θ₁x + θ₂.
pub fn lsq_solution(data: &[(f64, f64)]) -> [f64; 2] {
    let n = data.len() as f64;
    let (sx, sy) = data
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxy: f64 = data.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = data.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let slope = sxy / sxx;
    [slope, my - slope * mx]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central differences agree with every analytic gradient.
    #[test]
    fn gradients_match_finite_differences() {
        let h = 1e-6;
        for s in Surface::ALL {
            for t in [[0.3, -0.7], [1.2, 2.1], [-1.5, 0.5]] {
                let g = s.grad(t);
                for k in 0..2 {
                    let mut p = t;
                    let mut m = t;
                    p[k] += h;
                    m[k] -= h;
                    let fd = (s.loss(p) - s.loss(m)) / (2.0 * h);
                    assert!(
                        (fd - g[k]).abs() < 1e-4 * (1.0 + fd.abs()),
                        "{s:?} {t:?} {k}: {fd} vs {}",
                        g[k]
                    );
                }
            }
        }
    }

    #[test]
    fn minima_are_stationary_and_minimal() {
        for s in Surface::ALL {
            for m in s.minima() {
                let g = s.grad(m);
                assert!(g[0].hypot(g[1]) < 1e-4, "{s:?} {m:?} {g:?}");
                assert!(s.loss(m) <= s.loss([m[0] + 0.01, m[1]]));
            }
        }
        assert_eq!(Surface::Himmelblau.loss([3.0, 2.0]), 0.0);
    }

    #[test]
    fn full_batch_equals_exact_gradient_and_keys_round_trip() {
        let all: Vec<usize> = (0..LSQ_POINTS).collect();
        let t = [0.4, -0.2];
        let (a, b) = (
            Surface::LeastSquares.grad(t),
            Surface::LeastSquares.batch_grad(t, &all),
        );
        assert!((a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12);
        for s in Surface::ALL {
            assert_eq!(Surface::from_key(s.key()), Some(s));
        }
        // The fitted line is close to the generating one (1.5, −0.5).
        let [m, c] = lsq_solution(&lsq_data());
        assert!((m - 1.5).abs() < 0.2 && (c + 0.5).abs() < 0.2, "{m} {c}");
    }
}
