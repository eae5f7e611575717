//! The text coder's Web Worker (wasm32): Trunk builds it as
//! `data-type="worker"`; `public/text-worker.js` loads it. All logic is in
//! `compression_lab::text::worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    compression_lab::text::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The text coder's worker runs in a browser: `trunk build` compiles it to wasm.");
    std::process::exit(2);
}
