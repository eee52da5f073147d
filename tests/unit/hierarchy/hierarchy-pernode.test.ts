import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hdbscan } from '../../../src/main/engine/hierarchy/hdbscan';
import { fitLogistic, logisticProba } from '../../../src/main/engine/hierarchy/logistic';
import { assignGenres, evaluatePerNode, PerNodeClassifier } from '../../../src/main/engine/hierarchy/pernode';
import { HIERARCHY_SPECS } from '../../../src/main/engine/hierarchy/specs';
import { createRegistry } from '../../../src/main/engine/ml/registry';
import { stratifiedKFold } from '../../../src/main/engine/ml/splits';
import type { Matrix } from '../../../src/main/engine/ml/types';
import { mulberry32, normal } from '../../../src/main/engine/random';

// scikit-learn 1.2.1 LogisticRegression(C, solver='newton-cg', tol=1e-12), written by tests/fixtures/hierarchy/make_logistic.py.
const LR = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hierarchy/logistic.json'), 'utf8')) as {
  X: number[]; y: number[]; n: number; d: number; fits: Array<{ C: number; coef: number[]; intercept: number; proba: number[] }>;
};

/** Four genres in two families (0,1 near one centre; 2,3 near another), 3-D. */
function families(rows: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = mulberry32(seed);
  const y = Int32Array.from({ length: rows }, (_, i) => i % 4);
  const centres = [[4, 0, 0], [4, 2, 0], [-4, 0, 1], [-4, 0, 3]];
  const X = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) for (let j = 0; j < 3; j++) X[r * 3 + j] = centres[y[r]!]![j]! + 0.8 * normal(rng);
  return { X: { data: X, rows, cols: 3 }, y };
}
const labels = ['a', 'b', 'c', 'd'];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'genrelab-pernode-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('logistic regression nodes vs scikit-learn', () => {
  for (const f of LR.fits) {
    it(`C = ${f.C}: coefficients and probabilities within 1e-6`, () => {
      const m = fitLogistic(LR.X, LR.n, LR.d, LR.y, f.C);
      f.coef.forEach((c, j) => expect(Math.abs(m.coef[j]! - c)).toBeLessThan(1e-6));
      expect(Math.abs(m.coef[LR.d]! - f.intercept)).toBeLessThan(1e-6);
      const p = logisticProba(m, LR.X.slice(0, 10 * LR.d), 10, LR.d);
      p.forEach((v, i) => expect(Math.abs(v - f.proba[i]!)).toBeLessThan(1e-6));
    });
  }
});

describe('HDBSCAN', () => {
  it('hand-worked 1-D case: {0,1,2}, {10,11,12}, {50}; minClusterSize 3, minSamples 2', () => {
    // Core distances 1 (50: 38); MST edges 1,1,1,1 inside the groups, 8 between them, 38 to 50.
    // At 38 the point 50 falls out of the root; at 8 two clusters of 3 are born (λ = 1/8) and dissolve
    // at distance 1 (λ = 1): stability 3 × (1 − 1/8) = 2.625 each.
    const r = hdbscan([0, 1, 2, 10, 11, 12, 50], 7, 1, { minClusterSize: 3, minSamples: 2 });
    expect(r.clusters).toBe(2);
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1, 1, -1].map((v) => (v < 0 ? -1 : r.labels[0] === 0 ? v : 1 - v)));
    expect(r.stability[0]).toBeCloseTo(2.625, 12);
    expect(r.stability[1]).toBeCloseTo(2.625, 12);
  });

  it('three blobs of different density plus scattered outliers: blobs recovered, far outliers noise', () => {
    const rng = mulberry32(4);
    const pts: number[] = [];
    const truth: number[] = [];
    const blobs = [[0, 0, 0.3], [6, 0, 0.6], [0, 7, 0.4]];
    blobs.forEach(([cx, cy, s], b) => {
      for (let i = 0; i < 60; i++) {
        pts.push(cx! + s! * normal(rng), cy! + s! * normal(rng));
        truth.push(b);
      }
    });
    const outliers = [[20, 20], [-15, 12], [14, -16], [-18, -18]];
    for (const [x, y] of outliers) {
      pts.push(x!, y!);
      truth.push(-1);
    }
    const r = hdbscan(pts, truth.length, 2, { minClusterSize: 15, minSamples: 5 });
    expect(r.clusters).toBe(3);
    // Each blob maps to one cluster, the outliers are noise.
    for (let b = 0; b < 3; b++) {
      const got = new Set(truth.map((t, i) => (t === b ? r.labels[i] : -2)).filter((v) => v !== -2 && v! >= 0));
      expect(got.size).toBe(1);
    }
    for (let i = 180; i < 184; i++) expect(r.labels[i]).toBe(-1);
    const noiseInBlobs = Array.from(r.labels.subarray(0, 180)).filter((l) => l < 0).length;
    expect(noiseInBlobs).toBeLessThan(18);
  });
});

describe('per-node classifiers', () => {
  it('genres go to the cluster holding most of their non-noise tracks; all-noise genres get their own', () => {
    const clusterOfRow = Int32Array.of(1, 1, 0, -1, 0, 0, -1, -1);
    const y = Int32Array.of(0, 0, 0, 1, 1, 1, 2, 2);
    expect(Array.from(assignGenres(clusterOfRow, y, 3))).toEqual([0, 1, 2]);
    expect(Array.from(assignGenres(Int32Array.of(0, 0, 0, 0), Int32Array.of(0, 1, 2, 3), 4))).toEqual([0, 0, 0, 0]);
  });

  it('the product P(super) × P(genre | super) sums to one per row, for linkage and UMAP+HDBSCAN super-genres', async () => {
    const { X, y } = families(240, 1);
    for (const params of [{ superMethod: 'linkage' as const, superGenres: 2 }, { superMethod: 'umap-hdbscan' as const, minClusterSize: 20 }]) {
      const clf = new PerNodeClassifier(params);
      await clf.fit(X, y, { seed: 3, labels });
      expect(clf.supers!.count).toBe(2);
      expect(Array.from(clf.supers!.superOf)).toEqual([0, 0, 1, 1]);
      const q = families(40, 2);
      for (const P of [clf.predictProba(q.X), clf.predictProbaWithHint(q.X, q.y)]) {
        for (let r = 0; r < q.X.rows; r++) {
          let s = 0;
          for (let c = 0; c < 4; c++) s += P[r * 4 + c]!;
          expect(Math.abs(s - 1)).toBeLessThan(1e-6);
        }
      }
      // With the hint, genres outside the true super-genre get exactly 0.
      const H = clf.predictProbaWithHint(q.X, q.y);
      for (let r = 0; r < q.X.rows; r++) for (let c = 0; c < 4; c++) if ((c < 2) !== (q.y[r]! < 2)) expect(H[r * 4 + c]).toBe(0);
      clf.dispose();
    }
  });

  it('hint ≥ hierarchical on held-out rows, and a saved model predicts the same after loading', async () => {
    const { X, y } = families(400, 5);
    const { fold } = stratifiedKFold(y, 4, 0);
    const ev = await evaluatePerNode(X, y, labels, { superMethod: 'linkage', superGenres: 2 }, fold, 0);
    const acc = (P: Float32Array) => Array.from(y).filter((g, i) => [0, 1, 2, 3].reduce((b, c) => (P[i * 4 + c]! > P[i * 4 + b]! ? c : b), 0) === g).length / y.length;
    expect(acc(ev.hint)).toBeGreaterThanOrEqual(acc(ev.hierarchical));
    expect(acc(ev.flat)).toBeGreaterThan(0.7);
    const reg = createRegistry();
    for (const s of HIERARCHY_SPECS) reg.register(s);
    const clf = reg.create('per-node', { superMethod: 'linkage', superGenres: 2 });
    await clf.fit(X, y, { seed: 0, labels });
    await clf.save(path.join(tmp, 'pn'));
    const back = await reg.load(path.join(tmp, 'pn'));
    expect(Array.from(back.predictProba(X))).toEqual(Array.from(clf.predictProba(X)));
    expect(back.describe()).toMatch(/a\+b \| c\+d/);
  });
});
