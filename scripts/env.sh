# Sourced by the other scripts: tool paths and pinned versions.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
# Pinned tool versions. wasm-bindgen-cli is read from Cargo.lock so the two always agree.
export TRUNK_VERSION="0.21.14"
export CARGO_FUZZ_VERSION="0.13.1"
export TWIGGY_VERSION="0.8.0"
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")"
export WASM_BINDGEN_VERSION
# The sub-path the test build is served under (as on GitHub Pages).
export TEST_PUBLIC_URL="/compression-lab/"
