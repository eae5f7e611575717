#!/usr/bin/env bash
# Sets up what is missing, then runs every check: formatting, lints (native and
# wasm32), native tests, fuzzing, a release build served under a sub-path, and
# the browser tests in headless Chromium. Prints sizes on the way and, at the
# end, the time each step took.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

# Per-step wall times, printed as a table when the run ends (also on failure).
steps=() times=()
current="" started=$(date +%s) t0=$(date +%s)
step() {
  finish_step
  current="$*" started=$(date +%s)
  printf '\n\033[1m== %s\033[0m\n' "$*"
}
finish_step() {
  if [ -n "$current" ]; then
    steps+=("$current") times+=($(( $(date +%s) - started )))
    current=""
  fi
}
report() {
  local rc=$?
  finish_step
  printf '\n%-64s %8s\n' "step" "seconds"
  for i in "${!steps[@]}"; do printf '%-64s %8d\n' "${steps[$i]}" "${times[$i]}"; done
  printf '%-64s %8d\n' "total" $(( $(date +%s) - t0 ))
  exit "$rc"
}
trap report EXIT

step "setup (tools, packages, crates)"
"$ROOT/scripts/setup.sh"

step "rustfmt"
cargo fmt --all --check

# Clippy runs as the compiler of this workspace's crates while the tests are
# built (cargo's RUSTC_WORKSPACE_WRAPPER, exactly what `cargo clippy` sets up),
# so the lints cost one build instead of a separate `cargo check` of Burn and
# wgpu. Dependencies are compiled by plain rustc either way; -D warnings fails
# the build on any lint.
step "native: clippy -D warnings while building every target"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)" cargo test --locked --all-targets --no-run

step "native tests (math, data, engine on ndarray and wgpu)"
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)" cargo test --locked --all-targets
unset CLIPPY_ARGS

step "clippy wasm32: the app"
cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features ui --lib --bins -- -D warnings

step "clippy wasm32: the engine worker"
cargo clippy --locked --target wasm32-unknown-unknown --lib --bin worker -- -D warnings

step "fuzzing (every parser a visitor can reach, ${FUZZ_SECONDS:-15} s each)"
"$ROOT/scripts/fuzz.sh"

step "release build under $TEST_PUBLIC_URL"
trunk build --release=true --public-url "$TEST_PUBLIC_URL"
node scripts/size-report.mjs dist

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/browser/
