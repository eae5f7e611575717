#!/usr/bin/env bash
# The GPU check of issue 46: Burn's WebGPU-path kernels (native `lab train --backend wgpu`, the
# same CubeCL/WGSL kernels the browser runs) against PyTorch eager on the same GPU, same CNNs,
# data and optimizer, at several batch sizes. Two steps, because the device machine reaches no
# network and gets only this working tree plus the folders a call carries:
#
#   scripts/gpu-check.sh prepare   # here: builds `lab`, packs it and a slice of the data into
#                                  # .gpu/, the Vulkan loader's packages into .gl/ (both ignored)
#   then the device tool's run:  command "scripts/gpu-check.sh run", carry [".gpu", ".gl"],
#                                timeout_s 480; the table comes back as $OUT/gpu-check.txt.
#
# Settings (environment): GPU_CHECK_LIMIT images per run (default 8000), GPU_CHECK_DOC and
# GPU_CHECK_LAB the batch sizes (default "32 256 1024" and "128 512"). `run` works on any
# machine with a Vulkan driver (here, lavapipe: use a small limit); PyTorch is skipped where it
# or a CUDA GPU is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${GPU_CHECK_LIMIT:-8000}
doc_batches=${GPU_CHECK_DOC:-32 256 1024}
lab_batches=${GPU_CHECK_LAB:-128 512}

prepare() {
  local data=${CIFAR10_DIR:-../shared/cifar10}
  [ -f "$data/train.bin" ] || { echo "no CIFAR-10 in $data (set CIFAR10_DIR)" >&2; exit 1; }
  local target=${CARGO_TARGET_DIR:-target}
  cargo build --profile train --bin lab
  mkdir -p .gpu/data
  strip -o .gpu/lab "$target/train/lab"
  gzip -f -9 .gpu/lab
  # The first $limit training records (3,073 bytes each) and the test set: never committed.
  head -c $((3073 * limit)) "$data/train.bin" > .gpu/data/train.bin
  cp "$data/test.bin" .gpu/data/
  mkdir -p .gl /tmp/amd64/partial
  local o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update -qq
  # shellcheck disable=SC2086
  (cd .gl && apt-get $o download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  du -sh .gpu .gl
  echo 'ready: device run with command "scripts/gpu-check.sh run", carry [".gpu", ".gl"]'
}

run() {
  local out=${OUT:-/tmp/gpu-check}
  mkdir -p "$out"
  local report="$out/gpu-check.txt"
  # (grep reads all of ldconfig's list: no early exit, no broken pipe under pipefail)
  if ls .gl/*.deb >/dev/null 2>&1 && ! ldconfig -p 2>/dev/null | grep libvulkan >/dev/null; then
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd
  gunzip -c .gpu/lab.gz > /tmp/lab
  chmod +x /tmp/lab
  {
    echo "# gpu-check $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $limit images per run"
    nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo "(no nvidia-smi)"
  } | tee "$report"
  for arch in doc lab; do
    local batches=$doc_batches
    [ $arch = lab ] && batches=$lab_batches
    for b in $batches; do
      # Two epochs, the second's figure: the kernels are compiled in the first.
      local line
      line=$(/tmp/lab train --backend wgpu --arch $arch --batch "$b" --epochs 2 --limit "$limit" \
        --data .gpu/data --out /tmp/gpu-models --name "$arch-$b" 2>&1 | grep '^epoch' | tail -n 1 || true)
      echo "burn-wgpu $arch-cnn batch $b: ${line:-failed}" | tee -a "$report"
    done
  done
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 -c 'import torch; print("torch", torch.__version__)' | tee -a "$report"
    python3 scripts/gpu_torch.py .gpu/data "$limit" "doc=${doc_batches// /,}" "lab=${lab_batches// /,}" \
      | tee -a "$report"
  else
    echo "torch: not present or no CUDA GPU, skipped" | tee -a "$report"
  fi
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: scripts/gpu-check.sh prepare|run" >&2; exit 2 ;;
esac
