//! The engine's Web Worker (wasm32): Trunk builds it as `data-type="worker"`;
//! `public/engine.js` loads it. All logic is in `compression_lab::worker`.

// The engine has static constructors (CubeCL's IR registers its dialects with
// `inventory`). A wasm binary that never calls `__wasm_call_ctors` itself is
// linked "command-style": wasm-ld wraps *every* export in a call to it, so all
// constructors re-ran on each call from JavaScript into the worker — several per
// WebGPU kernel launch (wasm-bindgen's externref table), more than half of the
// worker's time in a training step. Calling it once here, first, is what
// `inventory`'s documentation prescribes, and stops the linker from wrapping.
#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    fn __wasm_call_ctors();
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // SAFETY: the linker's constructor function, called once, before any other code
    // of this module runs (wasm-bindgen calls `main` right after instantiation).
    unsafe { __wasm_call_ctors() };
    compression_lab::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine worker runs in a browser: `trunk build` compiles it to wasm.");
    std::process::exit(2);
}
