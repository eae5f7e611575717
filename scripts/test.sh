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
kill_tree() { local c; for c in $(pgrep -P "$1"); do kill_tree "$c"; done; kill "$1" 2>/dev/null || true; }
report() {
  local rc=$?
  finish_step
  [ -z "${release_pid:-}" ] || kill_tree "$release_pid"
  printf '\n%-72s %8s\n' "step" "seconds"
  for i in "${!steps[@]}"; do printf '%-72s %8d\n' "${steps[$i]}" "${times[$i]}"; done
  printf '%-72s %8d\n' "total (wall)" $(( $(date +%s) - t0 ))
  exit "$rc"
}
trap report EXIT

step "setup (tools, packages, crates)"
"$ROOT/scripts/setup.sh"

step "rustfmt; markup lines and component sizes; the build scripts' tests"
cargo fmt --all --check
node scripts/check-shape.mjs
node --test tests/scripts/

# Clippy runs as the compiler of this workspace's crates while they are built
# (cargo's RUSTC_WORKSPACE_WRAPPER and CLIPPY_ARGS, exactly what `cargo clippy`
# sets up), so each lint pass rides on a build the run needs anyway instead of a
# separate `cargo check` of Burn, wgpu and Leptos: the native test build, and
# Trunk's release builds of the wasm32 app and engine worker. Dependencies are
# compiled by plain rustc either way; -D warnings fails the build on any lint.
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
lint() { RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)" "$@"; }

# The release build (wasm32, its own profiles and folders under the target
# directory) runs in the background while the native build, tests and fuzzing
# run: each has long single-threaded stretches (the last crate, fat LTO,
# wasm-bindgen, wasm-opt, test binaries) that leave the other core idle. Its
# log is printed when it is waited for.
release_log="$(mktemp)"
release_started=$(date +%s)
( lint trunk build --release=true --public-url "$TEST_PUBLIC_URL"; rc=$?; date +%s >"$release_log.end"; exit "$rc" ) >"$release_log" 2>&1 &
release_pid=$!
printf '\n\033[1m== release build under %s (background, started)\033[0m\n' "$TEST_PUBLIC_URL"

step "native: build every target, clippy -D warnings"
lint cargo test --locked --all-targets --no-run

step "native tests (math, data, engine on ndarray and wgpu)"
lint cargo test --locked --all-targets

step "fuzzing (every parser a visitor can reach, ${FUZZ_SECONDS:-15} s each)"
"$ROOT/scripts/fuzz.sh"

step "release build: waiting for the background build"
release_rc=0
wait "$release_pid" || release_rc=$?
release_pid=""
cat "$release_log"
steps+=("  (release build under $TEST_PUBLIC_URL + wasm32 clippy, in the background)")
times+=($(( $(cat "$release_log.end" 2>/dev/null || date +%s) - release_started )))
rm -f "$release_log" "$release_log.end"
if [ "$release_rc" != 0 ]; then echo "release build FAILED ($release_rc)"; exit "$release_rc"; fi
node scripts/size-report.mjs dist

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/browser/
