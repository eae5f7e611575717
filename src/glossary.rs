//! The Chinese terms the site uses: one term per concept, site-wide. A native
//! test reads every source file and fails on a variant a term replaces, so a
//! page cannot call an epoch 周期 in one place and 轮 in another. The
//! article's own sentences (the tour's quotations) are exempt: the site
//! presents them as written.

/// One concept: its English name, the one Chinese term for it, and the
/// variants that must not appear in the site's own text.
pub struct Term {
    pub en: &'static str,
    pub zh: &'static str,
    pub avoid: &'static [&'static str],
}

pub const GLOSSARY: &[Term] = &[
    Term {
        en: "two-part code",
        zh: "两部分编码",
        avoid: &["两段式编码", "两段编码", "二部编码"],
    },
    Term {
        en: "prequential code",
        zh: "预测序贯编码",
        // A bare 序贯编码 is checked apart: it must follow 预测.
        avoid: &["预测序贯（prequential）编码", "前序编码"],
    },
    Term {
        en: "epoch",
        zh: "周期",
        avoid: &["} 轮", "训练轮", "轮次", "个轮", "每轮"],
    },
    Term {
        en: "N\u{d7} smaller",
        zh: "只有原来的 1/N",
        avoid: &["小 {ratio}", "倍小", "小了 {"],
    },
    Term {
        en: "weight sharing",
        zh: "参数共享",
        avoid: &["权重共享", "权值共享"],
    },
    Term {
        en: "batch size",
        zh: "批大小",
        avoid: &["批次大小"],
    },
    Term {
        en: "code length",
        zh: "编码长度",
        avoid: &["理想码长"],
    },
];

#[cfg(test)]
mod tests {
    use super::GLOSSARY;
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }

    /// Lines that quote the article (the tour's quotations and the sentence
    /// audit) or check its numbers keep its words.
    fn quotes_the_article(file: &str, line: &str) -> bool {
        file.ends_with("doc_check.rs")
            || file.ends_with("glossary.rs")
            || ["quote:", "from:", "Cover::Card("]
                .iter()
                .any(|k| line.contains(k))
    }

    #[test]
    fn the_site_uses_one_chinese_term_per_concept() {
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        assert!(files.len() > 50, "the sources were found");
        let mut found = Vec::new();
        for (file, text) in &files {
            for (n, line) in text.lines().enumerate() {
                if quotes_the_article(file, line) {
                    continue;
                }
                for t in GLOSSARY {
                    for bad in t.avoid {
                        if line.contains(bad) {
                            found.push(format!(
                                "{file}:{}: {bad:?} (use {:?} for {:?})",
                                n + 1,
                                t.zh,
                                t.en
                            ));
                        }
                    }
                }
                for (at, _) in line.match_indices("序贯编码") {
                    if !line[..at].ends_with("预测") {
                        found.push(format!(
                            "{file}:{}: a bare 序贯编码 (use 预测序贯编码)",
                            n + 1
                        ));
                    }
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
        // Every preferred term is in use somewhere.
        for t in GLOSSARY.iter().filter(|t| !t.zh.contains('N')) {
            assert!(
                files.iter().any(|(_, s)| s.contains(t.zh)),
                "{} is unused",
                t.zh
            );
        }
    }
}
