"""The hyperbolic-distance losses in PyTorch, as an independent check of bench/hyperbolic-loss.bench.ts.

usage: python3 hyperbolic-loss-torch.py features_30_sec.csv input.json

input.json (written by the bench): {"labels": [...], "distances": K*K row-major Poincare distances
between the classes' genres, "folds": one test fold per row (table order), "runs": [{"name", "kind":
"ce"|"weighted"|"expected", "lambda", "offset", "scale"}]} -- costs C = (D - offset) / scale off the
diagonal, clipped to [0, 1] (offset 0 and scale max D: distances / the largest).

A small MLP (57 -> 64 ReLU -> K), full batch, Adam lr 1e-2, 300 steps, weight decay 1e-4, inputs
standardised on the training fold; the same folds and torch seed 0 for every loss; one thread (on a
busy machine two OpenMP threads spin and run ~100x slower):
  ce        cross-entropy
  weighted  mean_i w_i CE_i, w_i = 1 + lambda * C[y_i, argmax z_i] (w detached)
  expected  mean_i CE_i + lambda * sum_j softmax(z_i)_j C[y_i, j]
Prints a Markdown table: accuracy, macro-F1 and mistake severity (mean distance between true and
predicted genre over the mistakes).
"""
import json
import sys

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.nn.functional as F


def macro_f1(y, p, k):
    f = []
    for c in range(k):
        tp = np.sum((y == c) & (p == c))
        sup = np.sum(y == c)
        pred = np.sum(p == c)
        f.append(0.0 if sup + pred == 0 else 2 * tp / (sup + pred))
    return float(np.mean(f))


def run(X, y, folds, C, kind, lam, k):
    pred = np.zeros(len(y), dtype=np.int64)
    Ct = torch.tensor(C, dtype=torch.float32)
    for f in range(folds.max() + 1):
        tr, te = folds != f, folds == f
        mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-12
        xtr = torch.tensor((X[tr] - mu) / sd, dtype=torch.float32)
        xte = torch.tensor((X[te] - mu) / sd, dtype=torch.float32)
        ytr = torch.tensor(y[tr])
        torch.manual_seed(0)
        net = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Linear(64, k))
        opt = torch.optim.Adam(net.parameters(), lr=1e-2, weight_decay=1e-4)
        for _ in range(300):
            opt.zero_grad()
            z = net(xtr)
            ce = F.cross_entropy(z, ytr, reduction="none")
            row = Ct[ytr]
            if kind == "weighted":
                w = (1 + lam * row.gather(1, z.argmax(1, keepdim=True)).squeeze(1)).detach()
                loss = (w * ce).mean()
            elif kind == "expected":
                loss = (ce + lam * (F.softmax(z, 1) * row).sum(1)).mean()
            else:
                loss = ce.mean()
            loss.backward()
            opt.step()
        with torch.no_grad():
            pred[te] = net(xte).argmax(1).numpy()
    return pred


def main():
    table, inp = sys.argv[1], sys.argv[2]
    cfg = json.load(open(inp))
    labels = cfg["labels"]
    k = len(labels)
    D = np.array(cfg["distances"], dtype=np.float64).reshape(k, k)
    folds = np.array(cfg["folds"], dtype=np.int64)
    df = pd.read_csv(table)
    X = df.drop(columns=["filename", "length", "label"]).to_numpy(dtype=np.float64)
    y = np.array([labels.index(l) for l in df["label"]], dtype=np.int64)
    torch.set_num_threads(1)
    print("| PyTorch %s, MLP 57-64-10, full batch | accuracy | macro-F1 | mistake severity |" % torch.__version__)
    print("| --- | --- | --- | --- |")
    for r in cfg["runs"]:
        C = np.clip((D - r["offset"]) / r["scale"], 0, 1)
        np.fill_diagonal(C, 0)
        name, kind, lam = r["name"], r["kind"], r["lambda"]
        p = run(X, y, folds, C, kind, lam, k)
        wrong = p != y
        sev = float(D[y[wrong], p[wrong]].mean()) if wrong.any() else float("nan")
        print(f"| {name} | {np.mean(~wrong) * 100:.1f} % | {macro_f1(y, p, k):.3f} | {sev:.3f} |")


if __name__ == "__main__":
    main()
