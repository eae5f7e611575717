//! What a visitor types into the calculators: lists, rows, class indices and
//! single numbers. Whatever is accepted is finite.
#![no_main]
use compression_lab::math::parse::{parse_indices, parse_list, parse_rows, parse_scalar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(v) = parse_list(s) {
        assert!(!v.is_empty() && v.iter().all(|x| x.is_finite()));
    }
    if let Ok(rows) = parse_rows(s) {
        assert!(rows.iter().flatten().all(|x| x.is_finite()));
    }
    let _ = parse_indices(s);
    if let Ok(x) = parse_scalar(s) {
        assert!(x.is_finite());
    }
});
