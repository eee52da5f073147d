// Models trained with a hyperbolic-distance loss: the loss really changes training, the class costs
// travel in the saved model's manifest, and a saved model reloads and predicts identically.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { registry } from '../../../src/main/engine/models';
import { crossValidate } from '../../../src/main/engine/ml/crossval';
import { reorderTrainingLoss, type TrainingLoss } from '../../../src/main/engine/ml/losses';
import type { Classifier, Matrix } from '../../../src/main/engine/ml/types';
import { mulberry32, normal } from '../../../src/main/engine/random';

const labels = ['blues', 'jazz', 'metal'];
const K = 3;
// Three Gaussian clusters in 4-D, overlapping enough that a few mistakes remain.
function data(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = mulberry32(seed);
  const X = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % K;
    y[i] = c;
    for (let j = 0; j < 4; j++) X[i * 4 + j] = normal(rng) + (j === c ? 1.5 : 0);
  }
  return { X: { data: X, rows: n, cols: 4 }, y };
}
const train = data(120, 1);
const query = data(30, 2).X;
const loss = (kind: TrainingLoss['kind'], lambda = 2): TrainingLoss => ({
  kind,
  lambda,
  labels,
  costs: [0, 0.3, 1, 0.3, 0, 0.8, 1, 0.8, 0],
  scale: 7.5,
  source: { embedding: 'test', genres: labels },
});

let tmp: string;
beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'genrelab-hyperloss-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function fitted(model: string, params: Record<string, unknown>, l: TrainingLoss | null): Promise<Classifier> {
  const clf = registry.create(model, params);
  await clf.fit(train.X, train.y, { seed: 3, labels, columns: ['a', 'b', 'c', 'd'], loss: l });
  return clf;
}

async function roundTrip(name: string, clf: Classifier, l: TrainingLoss): Promise<void> {
  const dir = path.join(tmp, name);
  await clf.save(dir, { profile: 'test' });
  const manifest = JSON.parse(await readFile(path.join(dir, 'genrelab-model.json'), 'utf8'));
  expect(manifest.extra.loss).toEqual(l);
  const back = await registry.load(dir);
  try {
    expect(Array.from(back.predictProba(query))).toEqual(Array.from(clf.predictProba(query)));
    expect((back as unknown as { trainingLoss: TrainingLoss }).trainingLoss).toEqual(l);
    expect(back.describe()).toBe(clf.describe());
  } finally {
    back.dispose();
  }
}

const DENSE = { hidden: [16], maxEpochs: 25, validationFraction: 0.2, patience: 50 };

describe('dense network with a hyperbolic loss', () => {
  it('trains differently from cross-entropy with the same seed, and says so in its description', async () => {
    const ce = await fitted('dense', DENSE, null);
    const w = await fitted('dense', DENSE, loss('hyperbolic-weighted'));
    const e = await fitted('dense', DENSE, loss('hyperbolic-expected'));
    try {
      const pc = ce.predictProba(query);
      expect(Array.from(w.predictProba(query))).not.toEqual(Array.from(pc));
      expect(Array.from(e.predictProba(query))).not.toEqual(Array.from(pc));
      expect(w.describe()).toMatch(/hyperbolic-distance-weighted cross-entropy, λ 2/);
      expect(e.describe()).toMatch(/expected hyperbolic distance, λ 2/);
      expect(ce.describe()).not.toMatch(/λ/);
      // λ = 0 is plain cross-entropy: the same training up to float32 rounding (the loss is computed
      // by another path than tf.losses.softmaxCrossEntropy), far closer than the λ = 2 runs are.
      const zero = await fitted('dense', DENSE, loss('hyperbolic-weighted', 0));
      const pz = zero.predictProba(query);
      const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
      expect(maxDiff(pz, pc)).toBeLessThan(1e-4);
      expect(maxDiff(w.predictProba(query), pc)).toBeGreaterThan(1e-3);
      zero.dispose();
    } finally {
      ce.dispose();
      w.dispose();
      e.dispose();
    }
  });

  it('keeps the class costs in its manifest and reloads predicting identically (weighted and expected)', async () => {
    for (const kind of ['hyperbolic-weighted', 'hyperbolic-expected'] as const) {
      const clf = await fitted('dense', DENSE, loss(kind));
      try {
        await roundTrip(`dense-${kind}`, clf, loss(kind));
      } finally {
        clf.dispose();
      }
    }
  });

  it('refuses costs for other classes', async () => {
    const clf = registry.create('dense', DENSE);
    await expect(clf.fit(train.X, train.y, { seed: 3, labels: ['jazz', 'blues', 'metal'], loss: loss('hyperbolic-weighted') })).rejects.toThrow(/not the model/);
  });
});

describe('other models that take the loss', () => {
  it('GraphSAGE trains with it and round-trips it', async () => {
    const params = { hidden: [8], maxEpochs: 30, k: 5 };
    const ce = await fitted('graphsage', params, null);
    const clf = await fitted('graphsage', params, loss('hyperbolic-expected'));
    try {
      expect(Array.from(clf.predictProba(query))).not.toEqual(Array.from(ce.predictProba(query)));
      await roundTrip('graphsage', clf, loss('hyperbolic-expected'));
    } finally {
      ce.dispose();
      clf.dispose();
    }
  });

  it('reorders the costs to another class order by name', () => {
    const r = reorderTrainingLoss(loss('hyperbolic-weighted'), ['metal', 'blues', 'jazz']);
    // new (a, b) = old (at[a], at[b]) with at = [2, 0, 1]
    expect(r.costs).toEqual([0, 1, 0.8, 1, 0, 0.3, 0.8, 0.3, 0]);
    expect(() => reorderTrainingLoss(loss('hyperbolic-weighted'), ['metal', 'blues', 'rock'])).toThrow();
  });

  it('cross-validation passes the loss to every fold', async () => {
    const a = await crossValidate({ X: train.X, y: train.y, labels, model: 'dense', params: DENSE, folds: 3, seed: 5 });
    const b = await crossValidate({ X: train.X, y: train.y, labels, model: 'dense', params: DENSE, folds: 3, seed: 5, loss: loss('hyperbolic-expected') });
    expect(Array.from(b.predictions.fold)).toEqual(Array.from(a.predictions.fold));
    expect(Array.from(b.predictions.proba)).not.toEqual(Array.from(a.predictions.proba));
    expect(b.description).toMatch(/λ 2/);
  });
});
