//! "Load a weights file": safetensors or a compressed .clz, then the check
//! against the architecture the file declares — the one the worker runs before
//! loading (`AnyModel::from_weights`). Burn-free: a native test checks the
//! architecture lists against the Burn models, and that a file passing the
//! check loads.
#![no_main]
use compression_lab::codec::{arch, clz::read_weights};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(w) = read_weights(data) {
        for t in &w.tensors {
            assert!(t.data.iter().all(|v| v.is_finite()), "{}", t.name);
        }
        if let Ok(a) = arch::check(&w) {
            // Loading cannot fail now: every tensor has its shape and values.
            for (name, shape) in arch::tensors(a) {
                let t = w.get(&name).expect("checked");
                assert_eq!(t.shape, shape);
                assert_eq!(t.data.len(), shape.iter().product::<usize>());
            }
        }
    }
});
