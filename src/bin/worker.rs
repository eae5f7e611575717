//! The engine's Web Worker (wasm32): Trunk builds it as `data-type="worker"`;
//! `public/engine.js` loads it. All logic is in `compression_lab::worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    compression_lab::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine worker runs in a browser: `trunk build` compiles it to wasm.");
    std::process::exit(2);
}
