//! The reading pages' web app (wasm32, built by Trunk): the tour, the
//! formulas and the text coder, without the pages that run the ML engine
//! (`src/main.rs`); `scripts/post-build.mjs` writes the loader that chooses.

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
fn main() {
    compression_lab::ui::start_read();
}

#[cfg(not(all(target_arch = "wasm32", feature = "ui")))]
fn main() {
    eprintln!("The site runs in the browser: `./scripts/serve.sh` builds and serves it on http://127.0.0.1:8080");
}
