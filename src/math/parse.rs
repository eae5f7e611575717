//! Parsing of the number lists and matrices a visitor types into a calculator.
//!
//! Accepted: numbers separated by commas and/or whitespace (`3, 2, 4` or `3 2 4`);
//! rows separated by `;` or new lines (`0.2, 0.8; 0.9, 0.1`); optional brackets
//! (`[3, 2, 4]`, `[[1,0],[0,1]]`); the Unicode minus sign `−`. Rejected with a
//! message that says which entry is wrong: empty input, words, NaN and ±∞.

use std::fmt;

use crate::lang::{Lang, Localized};

/// Why a typed list could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// Nothing (or only separators) was typed.
    Empty,
    /// An entry is not a number; `index` counts entries from 1.
    NotANumber { index: usize, token: String },
    /// An entry parses but is NaN or infinite.
    NotFinite { index: usize, token: String },
    /// An entry that must be a class index is not a whole number ≥ 0.
    NotAnIndex { index: usize, token: String },
    /// A row of a matrix is empty (e.g. `1, 2;; 3, 4`).
    EmptyRow { row: usize },
}

impl Localized for ParseError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ParseError::Empty, Lang::En) => "Type at least one number, e.g. 3, 2, 4.".into(),
            (ParseError::Empty, Lang::Zh) => "请至少输入一个数，例如 3, 2, 4。".into(),
            (ParseError::NotANumber { index, token }, Lang::En) => {
                format!("Entry {index} (\u{201c}{token}\u{201d}) is not a number.")
            }
            (ParseError::NotANumber { index, token }, Lang::Zh) => {
                format!("第 {index} 项（\u{201c}{token}\u{201d}）不是数。")
            }
            (ParseError::NotFinite { index, token }, Lang::En) => format!(
                "Entry {index} (\u{201c}{token}\u{201d}) is not a finite number: NaN and \u{221e} cannot be used."
            ),
            (ParseError::NotFinite { index, token }, Lang::Zh) => {
                format!("第 {index} 项（\u{201c}{token}\u{201d}）不是有限数：不能使用 NaN 和 \u{221e}。")
            }
            (ParseError::NotAnIndex { index, token }, Lang::En) => format!(
                "Entry {index} (\u{201c}{token}\u{201d}) is not a class index: use whole numbers 0, 1, 2, \u{2026}"
            ),
            (ParseError::NotAnIndex { index, token }, Lang::Zh) => format!(
                "第 {index} 项（\u{201c}{token}\u{201d}）不是类别索引：请使用整数 0, 1, 2, \u{2026}"
            ),
            (ParseError::EmptyRow { row }, Lang::En) => format!("Row {row} is empty."),
            (ParseError::EmptyRow { row }, Lang::Zh) => format!("第 {row} 行是空的。"),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ParseError {}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c == ',' || c.is_whitespace() || c == '[' || c == ']')
        .filter(|t| !t.is_empty())
}

fn parse_number(token: &str, index: usize) -> Result<f64, ParseError> {
    let normalized = token.replace('\u{2212}', "-");
    match normalized.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(ParseError::NotFinite {
            index,
            token: token.to_string(),
        }),
        Err(_) => Err(ParseError::NotANumber {
            index,
            token: token.to_string(),
        }),
    }
}

/// Parses a flat list of finite numbers. Row separators (`;`, new lines) are
/// treated as ordinary separators.
pub fn parse_list(s: &str) -> Result<Vec<f64>, ParseError> {
    let flat = s.replace(';', " ");
    let values = tokens(&flat)
        .enumerate()
        .map(|(i, t)| parse_number(t, i + 1))
        .collect::<Result<Vec<_>, _>>()?;
    if values.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(values)
}

/// Parses a list of class indices (whole numbers ≥ 0).
pub fn parse_indices(s: &str) -> Result<Vec<usize>, ParseError> {
    let values = parse_list(s)?;
    let flat = s.replace(';', " ");
    values
        .iter()
        .zip(tokens(&flat))
        .enumerate()
        .map(|(i, (&v, t))| {
            if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
                Ok(v as usize)
            } else {
                Err(ParseError::NotAnIndex {
                    index: i + 1,
                    token: t.to_string(),
                })
            }
        })
        .collect()
}

/// Parses a matrix: rows separated by `;` or new lines, or written as
/// bracketed rows `[[a, b], [c, d]]`. Entries are numbered from 1 across the
/// whole input so messages point at the entry as typed.
pub fn parse_rows(s: &str) -> Result<Vec<Vec<f64>>, ParseError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    // `[[1,0],[0,1]]`: turn the inner `],[` boundaries into row separators.
    let normalized = if trimmed.starts_with("[[") || trimmed.contains("],") {
        trimmed.replace("],", "];")
    } else {
        trimmed.to_string()
    };
    let raw_rows: Vec<&str> = normalized.split([';', '\n']).collect();
    // Trailing separators ("1, 2;") are harmless; blank rows between rows are not.
    let last_nonblank = raw_rows
        .iter()
        .rposition(|r| tokens(r).next().is_some())
        .ok_or(ParseError::Empty)?;
    let mut rows = Vec::new();
    let mut seen = 0;
    for (r, raw) in raw_rows[..=last_nonblank].iter().enumerate() {
        let toks: Vec<&str> = tokens(raw).collect();
        if toks.is_empty() {
            if r == 0 {
                continue;
            }
            return Err(ParseError::EmptyRow {
                row: rows.len() + 1,
            });
        }
        let row = toks
            .iter()
            .enumerate()
            .map(|(i, t)| parse_number(t, seen + i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        seen += toks.len();
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_accept_commas_spaces_brackets_and_unicode_minus() {
        assert_eq!(
            parse_list("3, 2, 4, 1, 5").unwrap(),
            vec![3., 2., 4., 1., 5.]
        );
        assert_eq!(parse_list(" 3 2\t4 ").unwrap(), vec![3., 2., 4.]);
        assert_eq!(parse_list("[2.5, 2.1]").unwrap(), vec![2.5, 2.1]);
        assert_eq!(parse_list("\u{2212}0.3, 1e-3").unwrap(), vec![-0.3, 0.001]);
    }

    #[test]
    fn lists_reject_empty_words_nan_and_infinity() {
        assert_eq!(parse_list("  , ,").unwrap_err(), ParseError::Empty);
        assert_eq!(
            parse_list("1, two, 3").unwrap_err(),
            ParseError::NotANumber {
                index: 2,
                token: "two".into()
            }
        );
        assert!(matches!(
            parse_list("1, NaN").unwrap_err(),
            ParseError::NotFinite { index: 2, .. }
        ));
        assert!(matches!(
            parse_list("inf").unwrap_err(),
            ParseError::NotFinite { index: 1, .. }
        ));
        assert!(matches!(
            parse_list("1e999").unwrap_err(),
            ParseError::NotFinite { index: 1, .. }
        ));
    }

    #[test]
    fn indices_must_be_whole_and_non_negative() {
        assert_eq!(parse_indices("0, 2 1").unwrap(), vec![0, 2, 1]);
        assert_eq!(
            parse_indices("0, 1.5").unwrap_err(),
            ParseError::NotAnIndex {
                index: 2,
                token: "1.5".into()
            }
        );
        assert!(matches!(
            parse_indices("-1").unwrap_err(),
            ParseError::NotAnIndex { index: 1, .. }
        ));
    }

    #[test]
    fn rows_by_semicolon_newline_or_nested_brackets() {
        let want = vec![vec![0.2, 0.8], vec![0.9, 0.1]];
        assert_eq!(parse_rows("0.2, 0.8; 0.9, 0.1").unwrap(), want);
        assert_eq!(parse_rows("0.2 0.8\n0.9 0.1\n").unwrap(), want);
        assert_eq!(parse_rows("[[0.2, 0.8], [0.9, 0.1]]").unwrap(), want);
        assert_eq!(parse_rows("0.2, 0.8;").unwrap(), vec![vec![0.2, 0.8]]);
    }

    #[test]
    fn rows_report_blank_rows_and_entry_positions() {
        assert_eq!(
            parse_rows("1, 0;; 0, 1").unwrap_err(),
            ParseError::EmptyRow { row: 2 }
        );
        assert_eq!(
            parse_rows("1, 0; 0, x").unwrap_err(),
            ParseError::NotANumber {
                index: 4,
                token: "x".into()
            }
        );
        assert_eq!(parse_rows(" \n ").unwrap_err(), ParseError::Empty);
    }
}

/// Why a field that takes one number does not hold one.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarError {
    /// More than one number.
    Several,
    List(ParseError),
}

impl Localized for ScalarError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ScalarError::Several, _) => lang
                .pick("Type a single number.", "请只输入一个数。")
                .into(),
            (ScalarError::List(ParseError::NotANumber { token, .. }), Lang::En) => {
                format!("\u{201c}{token}\u{201d} is not a number.")
            }
            (ScalarError::List(ParseError::NotANumber { token, .. }), Lang::Zh) => {
                format!("\u{201c}{token}\u{201d}不是数。")
            }
            (ScalarError::List(ParseError::NotFinite { .. }), _) => lang
                .pick(
                    "NaN and \u{221e} cannot be used.",
                    "不能使用 NaN 和 \u{221e}。",
                )
                .into(),
            (ScalarError::List(e), _) => e.message(lang),
        }
    }
}

impl fmt::Display for ScalarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Parses exactly one finite number (a hyperparameter field).
pub fn parse_scalar(s: &str) -> Result<f64, ScalarError> {
    match parse_list(s) {
        Ok(v) if v.len() == 1 => Ok(v[0]),
        Ok(_) => Err(ScalarError::Several),
        Err(e) => Err(ScalarError::List(e)),
    }
}

#[cfg(test)]
mod scalar_tests {
    use super::parse_scalar;
    use crate::lang::Localized;

    #[test]
    fn scalars() {
        assert_eq!(parse_scalar(" 1e-8 "), Ok(1e-8));
        assert_eq!(parse_scalar("\u{2212}2"), Ok(-2.0));
        let en = |s: &str| parse_scalar(s).unwrap_err().to_string();
        assert!(en("1, 2").contains("single"));
        assert!(en("abc").contains("not a number"));
        assert!(en("nan").contains("NaN"));
        let zh = parse_scalar("abc")
            .unwrap_err()
            .message(crate::lang::Lang::Zh);
        assert_eq!(zh, "\u{201c}abc\u{201d}不是数。");
        assert!(parse_scalar("").is_err());
    }
}
