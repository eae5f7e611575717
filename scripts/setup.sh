#!/usr/bin/env bash
# Installs whatever is missing to build, serve and test the site; does nothing
# for what is already there. Every tool comes from a package registry (crates.io,
# npm, Debian) at a pinned version: nothing prebuilt is downloaded.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. System packages: Chromium (browser tests), Mesa's Vulkan driver (native wgpu
#    tests), a CJK font (screenshots), Node.js/npm (build tools). Debian/Ubuntu only.
#    SETUP_BUILD_ONLY=1 (the Pages workflow) skips what only the tests need.
apt_missing=()
if [ -z "${SETUP_BUILD_ONLY:-}" ]; then
  command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
  dpkg -s mesa-vulkan-drivers >/dev/null 2>&1 || apt_missing+=(mesa-vulkan-drivers libvulkan1)
  # A CJK font, so screenshots of the Chinese interface show characters, not boxes.
  fc-list 2>/dev/null | grep -qiE 'cjk|wqy|han sans' || apt_missing+=(fonts-wqy-microhei)
fi
command -v npm >/dev/null 2>&1 || apt_missing+=(nodejs npm)
if ((${#apt_missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "Missing: ${apt_missing[*]}. This is not a Debian-like system: install them with your package manager, then rerun."
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then SUDO="sudo"; else
      say "Missing: ${apt_missing[*]}. Installing them needs root: run"
      say "  sudo apt-get update && sudo apt-get install -y ${apt_missing[*]}"
      say "then rerun this command."
      exit 1
    fi
  fi
  say "apt-get install ${apt_missing[*]} (in the background)"
  apt_install() {
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
  }
fi

# What is fetched and unpacked (Debian and npm packages) runs in the background
# while the Rust tools compile: the downloads cost no CPU. Each background job
# writes a log; a failure prints it and stops the setup.
jobs_dir="$(mktemp -d)"
trap 'rm -rf "$jobs_dir"' EXIT
pids=() names=()
background() { # NAME COMMAND...
  local name="$1"; shift
  ( "$@" ) >"$jobs_dir/$name.log" 2>&1 &
  pids+=($!) names+=("$name")
}
wait_all() {
  local failed=0
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      say "${names[$i]} FAILED:"; tail -40 "$jobs_dir/${names[$i]}.log"; failed=1
    fi
  done
  pids=() names=()
  return "$failed"
}

# 4. npm packages from the committed lockfile: wasm-opt (binaryen 132; Debian's
#    binaryen 108 breaks current Rust output), playwright-core and axe-core.
npm_install() {
  local lock_sum
  lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ "$(cat node_modules/.lock-sha256 2>/dev/null)" != "$lock_sum" ] || [ ! -x node_modules/.bin/wasm-opt ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > node_modules/.lock-sha256
  fi
}
if ((${#apt_missing[@]})); then
  system_packages() { apt_install; npm_install; } # npm may be among the packages
  background system-packages system_packages
else
  background npm npm_install
fi

# 2. Rust: the toolchain file names stable + the wasm32 target; rustup installs
#    the target on first use, this makes it explicit.
if ! command -v rustup >/dev/null 2>&1; then
  say "rustup not found. Install Rust from https://rustup.rs (or your distribution's rustup package), then rerun."
  exit 1
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# 3. Trunk, wasm-bindgen-cli, cargo-fuzz and twiggy from crates.io at pinned versions,
#    compiled side by side (each in its own target folder: one crate's serial
#    tail — its last crate and the link — leaves a core to the others).
#    Built for a short install, not for peak speed: no LTO, 16 codegen units
#    (the tools' own release profiles ask for fat LTO, which costs minutes on 2
#    cores and buys nothing measurable in a build tool); Trunk and cargo-fuzz
#    at opt-level 1 (they only start other programs). Trunk without its default
#    features: no TLS stack and no update check (it runs offline).
install_tool() { # OPT_LEVEL CRATE ARGS...
  local opt="$1"; shift
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true \
    CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" \
    cargo install --quiet --target-dir "$jobs_dir/target-$1" "$@"
}
if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "cargo install trunk $TRUNK_VERSION"
  background trunk install_tool 1 trunk --version "$TRUNK_VERSION" --locked --no-default-features
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  # Not --locked: the CLI's own lockfile pins a crate version the registry may lack.
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  background wasm-bindgen install_tool 3 wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# cargo-fuzz for the fuzz targets (they need a nightly toolchain, which the
# machines this project runs on have; without one scripts/fuzz.sh says it skipped).
if [ -z "${SETUP_BUILD_ONLY:-}" ] && ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\b"; then
  say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  background cargo-fuzz install_tool 1 cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
# twiggy: the test command's per-function and per-crate size report of each wasm.
if [ -z "${SETUP_BUILD_ONLY:-}" ] && ! twiggy --version 2>/dev/null | grep -qx "twiggy-opt $TWIGGY_VERSION"; then
  say "cargo install twiggy $TWIGGY_VERSION"
  background twiggy install_tool 2 twiggy --version "$TWIGGY_VERSION" --locked
fi
wait_all

# 5. Crates, so Trunk's offline build finds them all.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
