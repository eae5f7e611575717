//! The formulas on every page, as MathML.
//!
//! Formulas are written in LaTeX in the source and displayed as MathML Core by
//! the browser's own math layout (Chromium ≥ 109, Firefox, Safari): no
//! JavaScript renderer, no web request, readable by screen readers. They are
//! rendered once, natively, by `pulldown-latex`, into the table the app ships
//! (`src/tex/mathml.rs`), so the app carries no TeX parser (about 100 KiB of
//! wasm before wasm-opt) and parses nothing when a page opens. A test renders
//! every formula the site uses and checks the table against it;
//! `UPDATE_MATHML=1 cargo test --lib tex::` rewrites the table.

mod mathml;

/// The MathML `<math>` element of `tex`; `block` gives display style. A formula
/// missing from the table (the tests keep that from happening) shows its source.
pub fn to_mathml(tex: &str, block: bool) -> String {
    match mathml::TABLE.iter().find(|(t, ..)| *t == tex) {
        Some((_, inline, display)) => if block { display } else { inline }.to_string(),
        None => format!(
            "<code>{}</code>",
            tex.replace('&', "&amp;").replace('<', "&lt;")
        ),
    }
}

/// Named formulas (the loss pages use each in more than one place).
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
    use crate::math::surface::Surface;
    use pulldown_latex::{
        config::{DisplayMode, RenderConfig},
        mathml::push_mathml,
        Parser, Storage,
    };

    /// The characters a formula's MathML shows: its text (entities read),
    /// and the mathematical italic the browser draws a one-letter `<mi>` in.
    fn drawn_chars(mathml: &str) -> Vec<char> {
        let mathml = match mathml.find("<annotation") {
            Some(a) => &mathml[..a],
            None => mathml,
        };
        let mut out = vec!['\u{221a}'];
        for mi in mathml.split("<mi>").skip(1) {
            let letter: Vec<char> = mi.split('<').next().unwrap_or("").chars().collect();
            if let [c] = letter[..] {
                out.push(match c {
                    'h' => '\u{210e}',
                    'a'..='z' => char::from_u32(0x1D44E + c as u32 - 'a' as u32).unwrap(),
                    'A'..='Z' => char::from_u32(0x1D434 + c as u32 - 'A' as u32).unwrap(),
                    '\u{3b1}'..='\u{3c9}' => char::from_u32(0x1D6FC + c as u32 - 0x3B1).unwrap(),
                    '\u{3f5}' => '\u{1d716}',
                    c => c,
                });
            }
        }
        let mut in_tag = false;
        for c in mathml
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .chars()
        {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn the_math_font_covers_every_formula() {
        let list = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/public/fonts/math-subset.txt"
        ))
        .expect("public/fonts/math-subset.txt (scripts/subset-math-font.sh writes it)");
        let covered: Vec<u32> = list
            .lines()
            .filter_map(|l| u32::from_str_radix(l.trim().trim_start_matches("U+"), 16).ok())
            .collect();
        assert!(covered.len() > 40, "{list}");
        for (tex, inline, block) in mathml::TABLE {
            for c in drawn_chars(inline).into_iter().chain(drawn_chars(block)) {
                assert!(
                    covered.contains(&(c as u32)),
                    "{tex}: U+{:04X} ({c}) is not in the math font: run scripts/subset-math-font.sh",
                    c as u32
                );
            }
        }
    }
    use std::collections::BTreeSet;
    use std::path::Path;

    /// pulldown-latex's MathML for `tex`, with the source as an annotation.
    fn render(tex: &str, block: bool) -> String {
        let storage = Storage::new();
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
        push_mathml(&mut out, Parser::new(tex, &storage), config).unwrap();
        out
    }

    fn ui_sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                ui_sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }

    /// Every formula the site shows: the named ones, the optimizer page's
    /// surfaces, and each `<Formula tex=r"…">` written in a page. Any other
    /// kind of `tex=` argument fails here, so none can miss the table.
    fn used() -> BTreeSet<String> {
        let mut set: BTreeSet<String> = formulas::ALL.iter().map(|s| s.to_string()).collect();
        set.extend(Surface::ALL.iter().map(|s| s.tex().to_string()));
        let mut files = Vec::new();
        ui_sources(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui")),
            &mut files,
        );
        for (path, text) in files {
            for (at, _) in text.match_indices("<Formula") {
                let rest = text[at..].trim_start_matches("<Formula").trim_start();
                let arg = rest
                    .strip_prefix("tex=")
                    .unwrap_or_else(|| panic!("{path}: <Formula without tex= first"));
                if let Some(lit) = arg.strip_prefix("r\"") {
                    set.insert(lit[..lit.find('"').unwrap()].to_string());
                } else {
                    assert!(
                        arg.starts_with("formulas::") || arg.starts_with("f.surface.get().tex()"),
                        "{path}: a formula must be a literal r\"…\", a tex::formulas constant or a surface's tex(): {}",
                        &arg[..arg.len().min(60)]
                    );
                }
            }
        }
        set
    }

    fn table_source(used: &BTreeSet<String>) -> String {
        let mut s = String::from(
            "// @generated by `UPDATE_MATHML=1 cargo test --lib tex::` (src/tex.rs): every\n\
             // formula the site shows, rendered by pulldown-latex: (TeX, inline, block).\n\
             // Do not edit.\n\n\
             pub(super) const TABLE: &[(&str, &str, &str)] = &[\n",
        );
        for tex in used {
            s.push_str(&format!(
                "    (\n        {tex:?},\n        {:?},\n        {:?},\n    ),\n",
                render(tex, false),
                render(tex, true)
            ));
        }
        s.push_str("];\n");
        s
    }

    #[test]
    fn the_shipped_mathml_is_what_pulldown_latex_renders_for_every_formula() {
        let want = table_source(&used());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/tex/mathml.rs");
        if std::env::var_os("UPDATE_MATHML").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap();
        assert!(
            have == want,
            "src/tex/mathml.rs is out of date: run `UPDATE_MATHML=1 cargo test --lib tex::`"
        );
    }

    #[test]
    fn every_formula_renders_without_errors_in_both_styles() {
        for f in used() {
            let inline = to_mathml(&f, false);
            assert!(inline.starts_with("<math display=\"inline\""), "{inline}");
            assert!(!inline.contains("merror"), "{f} → {inline}");
            let block = to_mathml(&f, true);
            assert!(block.starts_with("<math display=\"block\""), "{block}");
            assert!(!block.contains("merror"), "{f} → {block}");
        }
    }

    #[test]
    fn a_formula_missing_from_the_table_shows_its_source() {
        assert_eq!(
            to_mathml(r"a < b & c", true),
            "<code>a &lt; b &amp; c</code>"
        );
    }

    #[test]
    fn malformed_tex_renders_as_an_error_element_not_a_panic() {
        assert!(render(r"\frac{1}{", false).contains("merror"));
    }
}
