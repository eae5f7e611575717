//! Pure math for the course: losses, code lengths and the parsing of numbers a
//! person types. No UI and no ML framework in here, so everything is tested
//! natively and reused by every page.

pub mod arith;
pub mod doc_check;
pub mod format;
pub mod loss;
pub mod optim;
pub mod parse;
pub mod rng;
pub mod stats;
pub mod surface;

/// The index of the largest value (the last of equals; 0 for an empty row).
pub fn argmax(row: &[f32]) -> usize {
    row.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}
pub mod theorem;
