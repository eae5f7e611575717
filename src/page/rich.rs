//! Prose with marks, split into runs: `code` between backticks, and 《a title》
//! in Latin script inside Chinese text (an English work's title). The view in
//! `ui::components::rich` renders them as `<code>` and `<cite lang="en">`.

/// One run of a rich text.
#[derive(Clone, Debug, PartialEq)]
pub enum Run {
    Text(String),
    Code(String),
    /// The title of an English work (the 《》 marks stay around it).
    Title(String),
}

/// Splits `s` into runs. An unpaired backtick or 《 is kept as text.
pub fn runs(s: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let parts: Vec<&str> = s.split('`').collect();
    let paired = parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 && (paired || i + 1 < parts.len()) {
            out.push(Run::Code(part.to_string()));
            continue;
        }
        let text = if i % 2 == 1 {
            format!("`{part}")
        } else {
            part.to_string()
        };
        let mut rest = text.as_str();
        while let Some(open) = rest.find('《') {
            let after = &rest[open + '《'.len_utf8()..];
            let Some(close) = after.find('》') else {
                break;
            };
            let title = &after[..close];
            if title.chars().any(|c| c.is_ascii_alphabetic()) && title.is_ascii() {
                out.push(Run::Text(rest[..open + '《'.len_utf8()].to_string()));
                out.push(Run::Title(title.to_string()));
                rest = &after[close..];
            } else {
                out.push(Run::Text(
                    rest[..open + '《'.len_utf8() + close].to_string(),
                ));
                rest = &after[close..];
            }
        }
        out.push(Run::Text(rest.to_string()));
    }
    // Adjacent texts become one.
    let mut merged: Vec<Run> = Vec::with_capacity(out.len());
    for r in out {
        match (merged.last_mut(), r) {
            (_, Run::Text(t)) if t.is_empty() => {}
            (Some(Run::Text(a)), Run::Text(b)) => a.push_str(&b),
            (_, r) => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_titles_are_marked() {
        assert_eq!(
            runs("代码用 `epochs=20` 训练；论文《Attention Is All You Need》和《深度学习》。"),
            vec![
                Run::Text("代码用 ".into()),
                Run::Code("epochs=20".into()),
                Run::Text(" 训练；论文《".into()),
                Run::Title("Attention Is All You Need".into()),
                Run::Text("》和《深度学习》。".into()),
            ]
        );
        assert_eq!(runs("a ` b"), vec![Run::Text("a ` b".into())]);
        assert_eq!(runs("plain"), vec![Run::Text("plain".into())]);
    }
}
