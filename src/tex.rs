//! LaTeX → MathML for the formulas on every page.
//!
//! Formulas are rendered to MathML Core with `pulldown-latex` and displayed by the
//! browser's own math layout (Chromium ≥ 109, Firefox, Safari): no JavaScript
//! renderer, no web request, readable by screen readers, and testable natively.

use pulldown_latex::{
    config::{DisplayMode, RenderConfig},
    mathml::push_mathml,
    Parser, Storage,
};

/// Renders `tex` to a `<math>` element; `block` gives display style.
/// Malformed input yields MathML with an `<merror>` element rather than a panic.
pub fn to_mathml(tex: &str, block: bool) -> String {
    let storage = Storage::new();
    let parser = Parser::new(tex, &storage);
    let config = RenderConfig {
        display_mode: if block {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    match push_mathml(&mut out, parser, config) {
        Ok(()) => out,
        // Writing to a String cannot fail; keep the source visible if it ever does.
        Err(_) => format!(
            "<code>{}</code>",
            tex.replace('&', "&amp;").replace('<', "&lt;")
        ),
    }
}

/// The formulas the site renders, by name, so a test can check each parses.
pub mod formulas {
    pub const MSE: &str =
        r"\mathrm{MSE} = \frac{1}{n} \sum_{i=1}^{n} \left( y_i - \hat{y}_i \right)^2";
    pub const CE: &str =
        r"\mathrm{CE} = -\frac{1}{n} \sum_{i=1}^{n} \sum_{k=1}^{K} y_{ik} \log p_{ik}";
    pub const SOFTMAX: &str = r"p_{ik} = \frac{e^{z_{ik}}}{\sum_{j=1}^{K} e^{z_{ij}}}";
    pub const BCE: &str = r"\mathrm{BCE} = -\frac{1}{n} \sum_{i=1}^{n} \left[ y_i \log p_i + (1 - y_i) \log (1 - p_i) \right]";
    pub const DOC_CE: &str = r"-\frac{1}{n} \sum_{i=1}^{n} y_i \log(\hat{y}_i)";
    pub const BITS: &str = r"\log_2 x = \frac{\ln x}{\ln 2}";
    pub const ALL: &[&str] = &[MSE, CE, SOFTMAX, BCE, DOC_CE, BITS];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_renders_without_errors() {
        for f in formulas::ALL {
            let m = to_mathml(f, true);
            assert!(m.starts_with("<math"), "{m}");
            assert!(m.contains("display=\"block\""), "{m}");
            assert!(!m.contains("merror"), "{f} → {m}");
        }
    }

    #[test]
    fn malformed_tex_is_an_error_element_not_a_panic() {
        let m = to_mathml(r"\frac{1}{", false);
        assert!(m.contains("merror"), "{m}");
    }
}
