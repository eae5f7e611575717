//! Number formatting shared by every page: enough digits to check a hand
//! calculation, no floating-point noise (0.07600000000000001 shows as 0.076).

/// A number the way a person would type it back (fields, URLs): `0.001`, `1e-8`.
pub fn plain_number(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Formats `x` with 6 significant digits, trailing zeros trimmed; scientific
/// notation for very small or very large magnitudes.
pub fn fmt_num(x: f64) -> String {
    fmt_sig(x, 6)
}

/// Formats `x` with `sig` significant digits (1..=15), trailing zeros trimmed.
pub fn fmt_sig(x: f64, sig: usize) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "\u{221e}"
        } else {
            "\u{2212}\u{221e}"
        }
        .into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let sig = sig.clamp(1, 15);
    let mag = x.abs().log10().floor() as i32;
    let s = if !(-4..7).contains(&mag) {
        let s = format!("{:.*e}", sig - 1, x);
        // "1.230000e-5" → "1.23e-5"
        match s.split_once('e') {
            Some((m, e)) => format!("{}e{}", trim_zeros(m), e),
            None => s,
        }
    } else {
        let decimals = (sig as i32 - 1 - mag).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, x)).to_string()
    };
    if s == "-0" {
        "0".into()
    } else if let Some(rest) = s.strip_prefix('-') {
        format!("\u{2212}{rest}")
    } else {
        s
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// An integer with thousands separators: `308842` → `308,842`.
pub fn fmt_int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in decimal units, three significant figures: "812 B", "99.3 kB",
/// "1.24 MB", "10.8 GB" (an `f64`: a browser's quota passes 4 GB).
pub fn fmt_bytes(b: f64) -> String {
    if b >= 1e9 {
        format!("{} GB", fmt_sig(b / 1e9, 3))
    } else if b >= (1u64 << 20) as f64 {
        format!("{} MB", fmt_sig(b / 1e6, 3))
    } else if b >= 1000.0 {
        format!("{} kB", fmt_sig(b / 1e3, 3))
    } else {
        format!("{} B", b.round())
    }
}

/// A share in [0, 1] as a percentage with one decimal: "65.8%".
pub fn fmt_percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_in_decimal_units() {
        assert_eq!(fmt_bytes(812.0), "812 B");
        assert_eq!(fmt_bytes(91_257.0), "91.3 kB");
        assert_eq!(fmt_bytes(1_237_952.0), "1.24 MB");
        assert_eq!(fmt_bytes(10.8e9), "10.8 GB");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(fmt_int(0), "0");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_int(1000), "1,000");
        assert_eq!(fmt_int(308842), "308,842");
        assert_eq!(fmt_int(1234567), "1,234,567");
    }

    #[test]
    fn six_significant_digits_without_noise() {
        assert_eq!(fmt_num(0.076_000_000_000_000_01), "0.076");
        assert_eq!(fmt_num(0.233_566_75), "0.233567");
        assert_eq!(fmt_num(1.167_833_76), "1.16783");
        assert_eq!(fmt_num(2.0), "2");
        assert_eq!(fmt_num(-0.3), "\u{2212}0.3");
        assert_eq!(fmt_num(1234.5), "1234.5");
    }

    #[test]
    fn extremes() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(1.5e-7), "1.5e-7");
        assert_eq!(fmt_num(2.5e9), "2.5e9");
        assert_eq!(fmt_num(f64::INFINITY), "\u{221e}");
        assert_eq!(fmt_num(f64::NAN), "NaN");
        assert_eq!(fmt_sig(0.996, 2), "1");
        assert_eq!(fmt_percent(0.657_894), "65.8%");
    }
}
