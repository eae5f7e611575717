//! "Decode a labels file": a coded-labels file (`.cll`) decoded with a
//! model's probabilities. The header's count is held to a test set before
//! anything is read; whatever decodes must be exactly the labels that code
//! back to the same file, never other labels. The model here is a fixed,
//! deterministic one (10 classes, 860 images), as the worker's is.
#![no_main]
use compression_lab::codec::labels::{count, decode, encode};
use compression_lab::domain::files::MAX_LABELS;
use libfuzzer_sys::fuzz_target;

const IMAGES: usize = 860;
const CLASSES: usize = 10;

/// Natural-log probabilities of a model that favours class `(3i + 1) mod 10`.
fn rows() -> Vec<f32> {
    (0..IMAGES)
        .flat_map(|i| {
            let top = (3 * i + 1) % CLASSES;
            let z: f64 = (0..CLASSES).map(|c| if c == top { 3f64.exp() } else { 1.0 }).sum();
            (0..CLASSES).map(move |c| ((if c == top { 3.0 } else { 0.0 }) - z.ln()) as f32)
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(n) = count(data) else { return };
    assert!(n as u64 <= MAX_LABELS);
    if n == 0 || n > IMAGES {
        return;
    }
    let lp = rows();
    let lp = &lp[..n * CLASSES];
    if let Ok(labels) = decode(lp, CLASSES, data) {
        assert_eq!(labels.len(), n);
        assert_eq!(encode(lp, CLASSES, &labels).bytes, data, "decoded labels code back to the file");
    }
});
