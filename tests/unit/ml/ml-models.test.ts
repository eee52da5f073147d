import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { registry } from '../../../src/main/engine/ml/registry';
import { DenseClassifier } from '../../../src/main/engine/ml/dense';
import { cholesky, choleskySolve, inverseDiagonal, KernelRidgeClassifier, rbfKernel, ridgeLeaveOneOut } from '../../../src/main/engine/ml/kernel';
import { takeLabels, takeRows } from '../../../src/main/engine/ml/types';
import { accuracy } from '../../../src/main/engine/ml/metrics';
import { argmaxRows, type EpochLog, type Matrix } from '../../../src/main/engine/ml/types';
import { AppError } from '../../../src/shared/errors';

// Reference predictions from scikit-learn 1.2.1, written by tests/fixtures/ml/make_models.py.
const REF = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/ml/models_reference.json'), 'utf8')) as {
  X: number[]; y: number[]; Q: number[]; cols: number;
  knn5_uniform: number[]; knn5_distance: number[]; tree4: number[]; tree4_train_acc: number; treeFull_train_acc: number;
  krr_scores: number[]; spd: number[]; spd_chol: number[]; spd_invdiag: number[]; spd_solve: number[];
};
const X: Matrix = { data: Float32Array.from(REF.X), rows: REF.y.length, cols: REF.cols };
const y = Int32Array.from(REF.y);
const Q: Matrix = { data: Float32Array.from(REF.Q), rows: REF.Q.length / REF.cols, cols: REF.cols };
const labels = ['a', 'b', 'c'];

let tmp: string;
beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'genrelab-ml-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function expectRowsSumToOne(p: Float32Array, k: number) {
  for (let r = 0; r < p.length / k; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      expect(Number.isFinite(p[r * k + c]!)).toBe(true);
      s += p[r * k + c]!;
    }
    expect(Math.abs(s - 1)).toBeLessThan(1e-5);
  }
}

async function roundTrip(name: string, clf: ReturnType<typeof registry.create>) {
  const dir = path.join(tmp, name);
  await clf.save(dir, { profile: 'gtzan57', columns: ['f0', 'f1', 'f2', 'f3'] });
  const back = await registry.load(dir);
  expect(back.kind).toBe(clf.kind);
  expect(back.labels).toEqual(labels);
  expect(Array.from(back.predictProba(Q))).toEqual(Array.from(clf.predictProba(Q)));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'genrelab-model.json'), 'utf8'));
  expect(manifest).toMatchObject({ format: 'genrelab-model', kind: clf.kind, profile: 'gtzan57', columns: ['f0', 'f1', 'f2', 'f3'], labels });
  expect(Number.isNaN(Date.parse(manifest.created))).toBe(false);
  back.dispose();
  return dir;
}

describe('knn vs scikit-learn KNeighborsClassifier(5) on standardised features', () => {
  for (const weights of ['uniform', 'distance'] as const) {
    it(`weights=${weights}: probabilities equal within 1e-6`, async () => {
      const clf = registry.create('knn', { k: 5, weights });
      await clf.fit(X, y, { seed: 0, labels });
      const p = clf.predictProba(Q);
      const ref = weights === 'uniform' ? REF.knn5_uniform : REF.knn5_distance;
      p.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThanOrEqual(1e-6));
      await roundTrip(`knn-${weights}`, clf);
    });
  }
});

describe('tree (CART, Gini) vs scikit-learn DecisionTreeClassifier', () => {
  it('depth 4, ≥ 3 rows per leaf: same leaf probabilities on the query rows and the same training accuracy', async () => {
    const clf = registry.create('tree', { maxDepth: 4, minSamplesLeaf: 3 });
    await clf.fit(X, y, { seed: 0, labels });
    const p = clf.predictProba(Q);
    p.forEach((v, i) => expect(Math.abs(v - REF.tree4[i]!)).toBeLessThanOrEqual(1e-6));
    expect(accuracy(y, argmaxRows(clf.predictProba(X), X.rows, 3))).toBeCloseTo(REF.tree4_train_acc, 12);
    expect(clf.describe()).toMatch(/depth 4/);
    await roundTrip('tree', clf);
  });

  it('unlimited depth fits distinct training rows exactly (sklearn: 1.0); minSamplesLeaf is respected', async () => {
    const full = registry.create('tree', { maxDepth: 64 });
    await full.fit(X, y, { seed: 1, labels });
    expect(accuracy(y, argmaxRows(full.predictProba(X), X.rows, 3))).toBe(REF.treeFull_train_acc);
    const coarse = registry.create('tree', { maxDepth: 64, minSamplesLeaf: 30 });
    await coarse.fit(X, y, { seed: 1, labels });
    // With ≥ 30 rows per leaf, every leaf probability is a multiple of 1/n with n ≥ 30: at most 4 leaves of 120 rows.
    const distinct = new Set(Array.from(coarse.predictProba(X)).map((v) => v.toFixed(6)));
    expect(distinct.size).toBeLessThanOrEqual(4 * 3);
  });
});

describe('kernel ridge', () => {
  it('Cholesky, solve and inverse diagonal match numpy.linalg on a 4 × 4 SPD matrix (1e-12)', () => {
    const a = Float64Array.from(REF.spd);
    cholesky(a, 4);
    for (let i = 0; i < 4; i++) for (let j = 0; j <= i; j++) expect(Math.abs(a[i * 4 + j]! - REF.spd_chol[i * 4 + j]!)).toBeLessThan(1e-12);
    const b = Float64Array.from([1, 2, 3, 4]);
    choleskySolve(a, 4, b, 1);
    b.forEach((v, i) => expect(Math.abs(v - REF.spd_solve[i]!)).toBeLessThan(1e-12));
    inverseDiagonal(a, 4).forEach((v, i) => expect(Math.abs(v - REF.spd_invdiag[i]!)).toBeLessThan(1e-12));
  });

  it('fixed λ: scores equal scikit-learn KernelRidge(alpha=0.3, kernel="rbf", gamma=0.25) within 1e-5', async () => {
    const clf = new KernelRidgeClassifier({ lambda: 0.3, gamma: 0.25 });
    await clf.fit(X, y, { seed: 0, labels });
    // float32 standardised rows on our side, float64 in sklearn: agreement to ~1e-6.
    clf.scores(Q).forEach((v, i) => expect(Math.abs(v - REF.krr_scores[i]!)).toBeLessThan(1e-5));
    expectRowsSumToOne(clf.predictProba(Q), 3);
  });

  it('property: the closed-form leave-one-out scores equal refitting without the row', () => {
    // Kernel on the first 40 rows (fixed feature map), λ = 0.5: for a few rows i, solve the ridge
    // system without row i and predict row i; it must equal loo_i from ridgeLeaveOneOut.
    const n = 40;
    const d = X.cols;
    const gram = rbfKernel(X.data, n, X.data, n, d, 0.05);
    const yy = y.subarray(0, n).map((v, i) => (v + i) % 3); // mix labels so all three classes occur
    const fit = ridgeLeaveOneOut(gram, n, yy, 3, 0.5);
    for (const i of [0, 17, 39]) {
      const keep = Array.from({ length: n }, (_, r) => r).filter((r) => r !== i);
      const m = keep.length;
      const sub = new Float64Array(m * m);
      keep.forEach((r, a) => keep.forEach((c, b) => (sub[a * m + b] = gram[r * n + c]! + (a === b ? 0.5 : 0))));
      cholesky(sub, m);
      const rhs = new Float64Array(m * 3);
      keep.forEach((r, a) => (rhs[a * 3 + yy[r]!] = 1));
      choleskySolve(sub, m, rhs, 3);
      for (let c = 0; c < 3; c++) {
        const pred = keep.reduce((acc, r, a) => acc + gram[i * n + r]! * rhs[a * 3 + c]!, 0);
        expect(Math.abs(pred - fit.loo[i * 3 + c]!)).toBeLessThan(1e-9);
      }
    }
  });

  it('picks λ by leave-one-out, describes the choice, and saves/loads identically', async () => {
    const clf = registry.create('kernel');
    await clf.fit(X, y, { seed: 0, labels });
    expect(clf.describe()).toMatch(/fitted λ = (0\.03|0\.1|0\.3|1|3), .* leave-one-out accuracy 0\.\d{3}/);
    expect(accuracy(y, argmaxRows(clf.predictProba(X), X.rows, 3))).toBeGreaterThan(0.85);
    await roundTrip('kernel', clf);
  });
});

describe('dense', () => {
  const small = { hidden: [32, 32], maxEpochs: 80, patience: 10, dropout: 0.1 };

  it('learns the blobs, reports every epoch, stops early on the validation slice and restores the best epoch', async () => {
    const logs: EpochLog[] = [];
    const clf = new DenseClassifier(small);
    const info = await clf.fit(X, y, { seed: 3, labels, onEpoch: (l) => logs.push(l) });
    expect(logs).toHaveLength(info.epochs);
    for (const l of logs) for (const v of [l.loss, l.acc, l.valLoss, l.valAcc]) expect(Number.isFinite(v)).toBe(true);
    const bestVal = Math.min(...logs.map((l) => l.valLoss));
    expect(logs[info.bestEpoch]!.valLoss).toBe(bestVal);
    if (info.epochs < small.maxEpochs) expect(info.epochs - 1 - info.bestEpoch).toBe(small.patience);
    const p = clf.predictProba(X);
    expectRowsSumToOne(p, 3);
    // The tree of depth 4 reaches 0.95 on these rows; a net must be well above chance (1/3).
    expect(accuracy(y, argmaxRows(p, X.rows, 3))).toBeGreaterThan(0.85);
    clf.dispose();
  });

  it('is reproducible from the seed', async () => {
    const a = new DenseClassifier({ ...small, maxEpochs: 5, inputNoise: 0.1 });
    const b = new DenseClassifier({ ...small, maxEpochs: 5, inputNoise: 0.1 });
    await a.fit(X, y, { seed: 9, labels });
    await b.fit(X, y, { seed: 9, labels });
    expect(Array.from(a.predictProba(Q))).toEqual(Array.from(b.predictProba(Q)));
    a.dispose();
    b.dispose();
  });

  it('does not leak tensors across fits, predictions, save and load', async () => {
    const clf = new DenseClassifier({ ...small, maxEpochs: 4, l2: 1e-3, weightDecay: 1e-2, labelSmoothing: 0.1 });
    await clf.fit(X, y, { seed: 1, labels });
    clf.predictProba(Q);
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await clf.fit(X, y, { seed: i, labels });
      clf.predictProba(Q);
      expect(tf.memory().numTensors).toBe(afterFirst);
    }
    const dir = await roundTrip('dense', clf);
    expect((await readdir(dir)).sort()).toEqual(['genrelab-model.json', 'labels.json', 'model.json', 'scaler.json', 'weights.bin']);
    const before = tf.memory().numTensors;
    clf.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    const empty = tf.memory().numTensors;
    const again = new DenseClassifier({ ...small, maxEpochs: 2 });
    await again.fit(X, y, { seed: 0, labels });
    again.dispose();
    expect(tf.memory().numTensors).toBe(empty);
  });

  it('stops within a second of an abort, between batches, with a cancelled error', async () => {
    const n = 20000;
    const big: Matrix = { data: Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i)), rows: n, cols: 4 };
    const yb = Int32Array.from({ length: n }, (_, i) => i % 3);
    const clf = new DenseClassifier({ hidden: [256, 256, 256], maxEpochs: 1000, validationFraction: 0 });
    const ctrl = new AbortController();
    const tensors = tf.memory().numTensors;
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      ctrl.abort();
    }, 500);
    const err = await clf.fit(big, yb, { seed: 0, labels, signal: ctrl.signal }).catch((e: unknown) => e);
    const lag = performance.now() - abortedAt;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('cancelled');
    expect(abortedAt).toBeGreaterThan(0);
    expect(lag).toBeLessThan(1000);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('default parameters are the reference baseline: 3 × 256 ReLU, 10 % dropout, Adam 1e-3, batch 64', () => {
    expect(registry.defaults('dense')).toMatchObject({ hidden: [256, 256, 256], dropout: 0.1, learningRate: 1e-3, batchSize: 64 });
    expect(new DenseClassifier().describe()).toMatch(/256→256→256.*dropout 0\.1.*Adam lr 0\.001, batch 64/);
  });
});

describe('ensemble and registry', () => {
  it('averages its members (weighted), and saves and loads them', async () => {
    const ens = registry.create('ensemble', {
      members: [
        { kind: 'knn', params: { k: 3 }, weight: 1 },
        { kind: 'knn', params: { k: 7, weights: 'distance' }, copies: 2, weight: 3 },
      ],
    });
    await ens.fit(X, y, { seed: 5, labels });
    const k3 = registry.create('knn', { k: 3 });
    await k3.fit(X, y, { seed: 0, labels });
    const pk = k3.predictProba(Q);
    const pe = ens.predictProba(Q);
    expectRowsSumToOne(pe, 3);
    // kNN ignores the seed, so both copies of the second member are equal: ensemble = (1·knn3 + 3·knn7) / 4.
    const k7 = registry.create('knn', { k: 7, weights: 'distance' });
    await k7.fit(X, y, { seed: 1, labels });
    const p7 = k7.predictProba(Q);
    pe.forEach((v, i) => expect(Math.abs(v - (pk[i]! + 3 * p7[i]!) / 4)).toBeLessThan(1e-6));
    expect(ens.describe()).toMatch(/1 × k nearest neighbours \+ 2 × k nearest neighbours \(weight 3\)/);
    const dir = await roundTrip('ensemble', ens);
    expect((await readdir(dir)).filter((f) => f.startsWith('member-'))).toEqual(['member-00', 'member-01', 'member-02']);
  });

  it('lists the models with parameter schemas and rejects unknown models and bad parameters', () => {
    const names = registry.list().map((s) => s.name);
    expect(names).toEqual(['dense', 'knn', 'tree', 'kernel', 'ensemble']);
    for (const s of registry.list()) {
      expect(s.label.length).toBeGreaterThan(0);
      for (const p of s.params) expect(p.default).toBeDefined();
    }
    expect(() => registry.get('svm')).toThrow(/unknown model "svm"/);
    expect(() => registry.create('knn', { k: 0 })).toThrow(/knn\.k must be an integer in 1\.\.1000/);
    expect(() => registry.create('dense', { hiden: [3] })).toThrow(/unknown parameter "hiden"/);
    expect(() => registry.create('ensemble', { members: [{ kind: 'nope' }] })).toThrow(/unknown model "nope"/);
    expect(() => registry.create('kernel', { lambdaGrid: [0.1, -1] })).toThrow(/kernel\.lambdaGrid must be a non-empty list of numbers in 1e-9\.\.1000000/);
  });
});
