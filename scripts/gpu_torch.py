"""The two CNNs of `src/engine/model.rs` in PyTorch (eager, FP32), trained the
way `lab train` trains them (AdamW with weight decay 5e-4, cross-entropy,
per-channel normalization, random flips; `lab` also shifts images by up to 4
pixels, left out here), on the same CIFAR-10 records: images per second per
batch size, the reference `scripts/gpu-check.sh` divides Burn's wgpu
throughput by.

    python3 scripts/gpu_torch.py DATA_DIR LIMIT doc=32,256,1024 lab=128,512

Prints one line per (model, batch): `torch <model> batch <b> <img/s> img/s`,
timed over STEPS steps after WARM untimed ones (the data cycled as needed).
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
        # Burn's ConvBlock has no bias: the batch norm's shift replaces it.
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
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
    mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
    std = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)
    return (images - mean) / std, labels


WARM, STEPS = 3, 20


def throughput(make, images, labels, batch, device):
    torch.manual_seed(1)
    model = make().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    images, labels = images.to(device), labels.to(device)
    n = images.shape[0]
    t0 = None
    for step in range(WARM + STEPS):
        if step == WARM:
            torch.cuda.synchronize()
            t0 = time.perf_counter()
        idx = torch.arange(step * batch, (step + 1) * batch, device=device) % n
        x, y = images[idx], labels[idx]
        flip = torch.rand(batch, device=device) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
    torch.cuda.synchronize()
    return STEPS * batch / (time.perf_counter() - t0)


def main():
    data_dir, limit = sys.argv[1], int(sys.argv[2])
    plan = dict(arg.split("=") for arg in sys.argv[3:])
    device = torch.device("cuda")
    images, labels = load(data_dir, limit)
    for name, make in [("doc", doc_cnn), ("lab", lab_cnn)]:
        for b in [int(b) for b in plan.get(name, "").split(",") if b]:
            ips = throughput(make, images, labels, b, device)
            print(f"torch {name}-cnn batch {b} {ips:.0f} img/s", flush=True)


if __name__ == "__main__":
    main()
