//! "Load a weights file": safetensors or a compressed .clz, then loading into
//! the architecture the file declares, exactly as the worker does.
#![no_main]
use compression_lab::engine::{compress::read_weights, cpu, model::AnyModel};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(w) = read_weights(data) {
        let _ = AnyModel::from_weights(&w, &cpu());
    }
});
