"""The Genrelab CNN's architecture in PyTorch, timed on the CPU, for bench/cnn.bench.ts.

usage: python3 cnn-torch.py ROWS CLASSES EPOCHS FILTERS EMBEDDING THREADS

Same network as src/main/engine/cnn/model.ts on 64 x 130 patches: per-band standardisation (fixed),
n x [conv 3x3 'same' without bias -> batch norm (momentum 0.1 = tfjs 0.9) -> ReLU -> 2x2 max-pool],
global average pooling, dense embedding (ReLU), dropout 0.3, dense logits; Adam lr 1e-3, batch 32,
cross-entropy. Random Gaussian patches and labels (speed only). Prints one JSON line:
{"secondsPerEpoch", "cpuSecondsPerEpoch": medians over the epochs after the first, "epochs", "rows",
"threads", "torch"}.
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def main():
    rows, k, epochs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    filters = [int(f) for f in sys.argv[4].split(",")]
    emb, threads = int(sys.argv[5]), int(sys.argv[6])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    layers, cin = [], 1
    for f in filters:
        layers += [nn.Conv2d(cin, f, 3, padding=1, bias=False), nn.BatchNorm2d(f, momentum=0.1), nn.ReLU(), nn.MaxPool2d(2)]
        cin = f
    net = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, emb), nn.ReLU(), nn.Dropout(0.3), nn.Linear(emb, k))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    rng = np.random.default_rng(0)
    X = torch.tensor(rng.standard_normal((rows, 1, 64, 130), dtype=np.float32))
    y = torch.tensor(rng.integers(0, k, rows))
    times, cpu = [], []
    for _ in range(epochs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        net.train()
        perm = torch.randperm(rows)
        for s in range(0, rows, 32):
            idx = perm[s:s + 32]
            if len(idx) < 2:
                continue
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(X[idx]), y[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)

    def med(xs):
        rest = sorted(xs[1:] or xs)
        return rest[(len(rest) - 1) // 2]

    print(json.dumps({"secondsPerEpoch": med(times), "cpuSecondsPerEpoch": med(cpu), "epochs": epochs, "rows": rows, "threads": threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
