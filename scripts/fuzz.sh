#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for FUZZ_SECONDS each (default 15)
# with cargo fuzz (libFuzzer + AddressSanitizer, nightly toolchain), starting
# from the committed seeds; new corpus entries go under the build directory,
# crashes under fuzz/artifacts/ (the run then fails and prints the input).
# Longer by hand: FUZZ_SECONDS=3600 ./scripts/fuzz.sh [target ...]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT/fuzz"
secs="${FUZZ_SECONDS:-15}"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: SKIPPED: no nightly Rust toolchain (cargo fuzz needs one: rustup toolchain install nightly)"
  exit 0
fi
targets=("$@")
((${#targets[@]})) || targets=(calculator_input cifar_records image_upload model_file labels_file url_query text_file)
corpus_root="${CARGO_TARGET_DIR:-$ROOT/target}/fuzz-corpus"
# The record parser's seed is written here, not committed: two synthetic
# records (label 3, all-black; label 9, all-white), so no file in the
# repository looks like CIFAR-10 data.
mkdir -p seeds/cifar_records
if [ ! -s seeds/cifar_records/two-records.bin ]; then
  { printf '\003'; head -c 3072 /dev/zero; printf '\011'; head -c 3072 /dev/zero | tr '\0' '\377'; } \
    > seeds/cifar_records/two-records.bin
fi
# The model parser also starts from the models the site ships (a real .clz
# and safetensors file of each kind; copied, not committed twice).
mkdir -p "$corpus_root/model_file"
cp -n "$ROOT/public/models/lab-cnn-p80q4.clz" "$ROOT/public/models/lab-cnn-s.safetensors" "$corpus_root/model_file/" 2>/dev/null || true
for t in "${targets[@]}"; do
  mkdir -p "$corpus_root/$t"
  start=$(date +%s)
  # Inputs as long as the files a target reads (a model: up to 1.3 MB); a
  # dictionary of the format's words where there is one; any single
  # allocation of 64 MB or more is a finding (an amplification).
  max_len=65536
  [ "$t" = model_file ] && max_len=1400000
  dict=()
  [ -f "dict/$t.dict" ] && dict=(-dict="dict/$t.dict")
  out=$(cargo +nightly fuzz run --release --target-dir "${CARGO_TARGET_DIR:-$ROOT/target}/fuzz" "$t" \
    "$corpus_root/$t" "seeds/$t" -- -max_total_time="$secs" -max_len="$max_len" "${dict[@]}" -timeout=20 \
    -rss_limit_mb=2048 -malloc_limit_mb=64 2>&1) || {
    echo "$out" | tail -40
    echo "fuzz: $t FAILED (input saved under fuzz/artifacts/$t)"
    exit 1
  }
  runs=$(echo "$out" | grep -oE '#[0-9]+' | tail -1 | tr -d '#')
  cov=$(echo "$out" | grep -oE 'cov: [0-9]+' | tail -1)
  echo "fuzz: $t: ${runs:-?} runs in ${secs} s, ${cov:-cov ?}, corpus $(ls "$corpus_root/$t" | wc -l) inputs, no crash ($(( $(date +%s) - start )) s with build)"
done
