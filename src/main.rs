//! Entry point of the web app (wasm32, built by Trunk).

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
fn main() {
    compression_lab::ui::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "ui")))]
fn main() {
    eprintln!("The site runs in the browser: `./scripts/serve.sh` builds and serves it on http://127.0.0.1:8080");
}
