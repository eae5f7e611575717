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

# Clippy runs as the compiler of this workspace's crates while they are built
# (cargo's RUSTC_WORKSPACE_WRAPPER and CLIPPY_ARGS, exactly what `cargo clippy`
# sets up), so each lint pass rides on a build the run needs anyway instead of a
# separate `cargo check` of Burn, wgpu and Leptos: the native test build, and
# Trunk's release builds of the wasm32 app and engine worker. Dependencies are
# compiled by plain rustc either way; -D warnings fails the build on any lint.
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
lint() { RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)" "$@"; }

step "native: build every target, clippy -D warnings"
lint cargo test --locked --all-targets --no-run

step "native tests (math, data, engine on ndarray and wgpu)"
lint cargo test --locked --all-targets

step "fuzzing (every parser a visitor can reach, ${FUZZ_SECONDS:-15} s each)"
"$ROOT/scripts/fuzz.sh"

step "release build under $TEST_PUBLIC_URL, clippy -D warnings on the wasm32 app and worker"
lint trunk build --release=true --public-url "$TEST_PUBLIC_URL"
node scripts/size-report.mjs dist

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/browser/
