#!/usr/bin/env bash
# Sets up what is missing, then runs every check: formatting, lints (native and
# wasm32), native tests, a release build served under a sub-path, and the
# browser tests in headless Chromium. Prints sizes on the way.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "rustfmt"
cargo fmt --all --check

step "clippy (native and wasm32)"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features ui --lib --bins -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --bin worker -- -D warnings # the engine worker

step "native tests (math, data, engine on ndarray and wgpu)"
cargo test --locked

step "fuzzing (every parser a visitor can reach, ${FUZZ_SECONDS:-15} s each)"
"$ROOT/scripts/fuzz.sh"

step "release build under $TEST_PUBLIC_URL"
start=$(date +%s)
trunk build --release=true --public-url "$TEST_PUBLIC_URL"
echo "trunk build: $(( $(date +%s) - start )) s"
node scripts/size-report.mjs dist

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/browser/
