"""The two CNNs of `src/engine/model.rs` in PyTorch (eager, FP32), trained the
way `lab train` trains them (Adam, cross-entropy, random flips), on the same
CIFAR-10 records: images per second per batch size, the reference that
`scripts/gpu-check.sh` divides Burn's wgpu throughput by.

    python3 scripts/gpu_torch.py DATA_DIR LIMIT BATCH...

Prints one line per (model, batch): `torch <model> batch <b> <img/s> img/s`.
Only run where PyTorch and a CUDA GPU are present (the check skips it otherwise).
"""
import sys
import time

import numpy as np
import torch
from torch import nn


def doc_cnn():
    # [b,3,32,32] → conv 32 → pool → conv 64 → pool → conv 64 → fc 64 → fc 10
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(64 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


def lab_cnn():
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(
        *block(3, 32), *block(32, 32), nn.MaxPool2d(2),
        *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
        *block(64, 128), *block(128, 128), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.3), nn.Linear(128 * 4 * 4, 10))


def load(data_dir, limit):
    raw = np.fromfile(f"{data_dir}/train.bin", dtype=np.uint8)
    raw = raw.reshape(-1, 3073)[:limit]
    labels = torch.from_numpy(raw[:, 0].astype(np.int64))
    images = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0)
    return images, labels


def throughput(make, images, labels, batch, device, warm=3):
    torch.manual_seed(1)
    model = make().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    images, labels = images.to(device), labels.to(device)
    n = images.shape[0] // batch * batch
    steps, seen, t0 = 0, 0, None
    for start in range(0, n, batch):
        if steps == warm:
            torch.cuda.synchronize()
            t0, seen = time.perf_counter(), 0
        x, y = images[start:start + batch], labels[start:start + batch]
        flip = torch.rand(x.shape[0], device=device) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
        steps += 1
        seen += x.shape[0]
    torch.cuda.synchronize()
    return seen / (time.perf_counter() - t0)


def main():
    data_dir, limit, batches = sys.argv[1], int(sys.argv[2]), [int(b) for b in sys.argv[3:]]
    device = torch.device("cuda")
    images, labels = load(data_dir, limit)
    for name, make in [("doc-cnn", doc_cnn), ("lab-cnn", lab_cnn)]:
        for b in batches:
            ips = throughput(make, images, labels, b, device)
            print(f"torch {name} batch {b} {ips:.0f} img/s", flush=True)


if __name__ == "__main__":
    main()
