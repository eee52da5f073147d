// The `cnn` classifier on the default (wasm) backend: shapes of its tfjs models and embedding, a
// learning test on a tiny separable set (training accuracy reaches 1), seeded determinism, the save /
// load round trip (identical predictions), rows whose constant columns were dropped, and the fused
// batch-norm + ReLU against tfjs's own composition (moments → batchNorm → relu) and its gradients.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { CnnClassifier, LOGMEL, logMelColumns } from '../../../src/main/engine/cnn';
import { bnReluTraining } from '../../../src/main/engine/cnn/bn-relu';
import { initBackend, switchBackend } from '../../../src/main/engine/ml/backend';
import type { Matrix } from '../../../src/main/engine/ml/types';
import { registry } from '../../../src/main/engine/models';
import { mulberry32, normal } from '../../../src/main/engine/random';

const M = LOGMEL.nMels;
const F = LOGMEL.patchFrames;
const COLS = logMelColumns();
const SMALL = { filters: [4, 8], embedding: 8, dropout: 0, learningRate: 1e-2, batchSize: 8, maxEpochs: 25, validationFraction: 0, augment: false };

/**
 * 3 classes × perClass patches of −60 ± 5 dB noise with a texture a translation-invariant net can see
 * (the embedding pools globally, so the absolute position of a pattern is not a usable cue): class 0
 * sustained tones (every 8th band +25 dB), class 1 clicks (every 8th frame +25 dB), class 2 plain
 * noise; random offsets of the pattern.
 */
function separable(perClass: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = mulberry32(seed);
  const rows = 3 * perClass;
  const data = new Float32Array(rows * M * F);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % 3;
    y[r] = c;
    const o = r * M * F;
    const off = Math.floor(rng() * 8);
    for (let m = 0; m < M; m++) {
      for (let t = 0; t < F; t++) {
        const loud = (c === 0 && m % 8 === off) || (c === 1 && t % 8 === off);
        data[o + m * F + t] = -60 + 5 * normal(rng) + (loud ? 25 : 0);
      }
    }
  }
  return { X: { data, rows, cols: M * F }, y };
}

function argmax(p: Float32Array, r: number, k: number): number {
  let b = 0;
  for (let c = 1; c < k; c++) if (p[r * k + c]! > p[r * k + b]!) b = c;
  return b;
}

let backend = '';
let clf: CnnClassifier;
let data: { X: Matrix; y: Int32Array };
let losses: number[] = [];
let dir = '';

beforeAll(async () => {
  backend = await initBackend();
  dir = await mkdtemp(path.join(tmpdir(), 'genrelab-cnn-'));
  data = separable(8, 7);
  clf = new CnnClassifier(SMALL);
  const info = await clf.fit(data.X, data.y, { seed: 5, columns: COLS, labels: ['a', 'b', 'c'] });
  losses = info.history.map((h) => h.loss);
});

afterAll(async () => {
  clf?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('cnn classifier', () => {
  it('is in the model registry with its parameter schema', () => {
    const spec = registry.get('cnn');
    expect(spec.usesTensors).toBe(true);
    expect(registry.defaults('cnn')).toMatchObject({ filters: [8, 16, 32, 64], embedding: 64 });
    expect(spec.create({ embedding: 12 })).toBeInstanceOf(CnnClassifier);
  });

  it('learns a tiny separable set on the wasm backend: training accuracy 1, loss falling', () => {
    expect(backend).toBe('wasm');
    const p = clf.predictProba(data.X);
    for (let r = 0; r < data.X.rows; r++) expect(argmax(p, r, 3)).toBe(data.y[r]);
    expect(losses.length).toBe(25);
    expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
    for (let r = 0; r < data.X.rows; r++) expect(p[r * 3]! + p[r * 3 + 1]! + p[r * 3 + 2]!).toBeCloseTo(1, 5);
  });

  it('exposes input → probabilities / embedding / logits models and row embeddings', () => {
    expect(clf.tfModel().inputs[0]!.shape).toEqual([null, M, F, 1]);
    expect(clf.tfModel().outputs[0]!.shape).toEqual([null, 3]);
    expect(clf.embeddingModel().outputs[0]!.shape).toEqual([null, 8]);
    expect(clf.logitsModel().outputs[0]!.shape).toEqual([null, 3]);
    const E = clf.embed(data.X);
    expect(E.length).toBe(data.X.rows * 8);
    for (const v of E) expect(v).toBeGreaterThanOrEqual(0); // ReLU embedding
    // embed() is the embedding model on the raw-dB patches; softmax(logits) is tfModel.
    const x = tf.tensor4d((data.X.data as Float32Array).subarray(0, 2 * M * F), [2, M, F, 1]);
    const viaModel = tf.tidy(() => (clf.embeddingModel().predict(x) as tf.Tensor).dataSync());
    const probs = tf.tidy(() => tf.softmax(clf.logitsModel().predict(x) as tf.Tensor).dataSync());
    const direct = tf.tidy(() => (clf.tfModel().predict(x) as tf.Tensor).dataSync());
    x.dispose();
    for (let i = 0; i < 16; i++) expect(viaModel[i]).toBeCloseTo(E[i]!, 5);
    for (let i = 0; i < 6; i++) expect(probs[i]).toBeCloseTo(direct[i]!, 6);
  });

  it('is differentiable from the embedding back to the input patch (for dreams)', () => {
    const x = tf.tensor4d((data.X.data as Float32Array).subarray(0, M * F), [1, M, F, 1]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.square(clf.embeddingModel().apply(a) as tf.Tensor)))(x);
    const v = g.dataSync();
    tf.dispose([x, g]);
    expect(v.length).toBe(M * F);
    expect(v.every(Number.isFinite)).toBe(true);
    expect(v.some((q) => q !== 0)).toBe(true);
  });

  it('is seeded: the same seed gives the same model', async () => {
    const again = new CnnClassifier({ ...SMALL, maxEpochs: 3 });
    const once = new CnnClassifier({ ...SMALL, maxEpochs: 3 });
    try {
      await again.fit(data.X, data.y, { seed: 9, columns: COLS });
      await once.fit(data.X, data.y, { seed: 9, columns: COLS });
      expect(Array.from(again.predictProba(data.X))).toEqual(Array.from(once.predictProba(data.X)));
    } finally {
      again.dispose();
      once.dispose();
    }
  });

  it('saves and loads (tfjs format + manifest) with identical predictions and embeddings', async () => {
    await clf.save(dir, { profile: 'logmel', columns: COLS });
    const manifest = JSON.parse(await readFile(path.join(dir, 'genrelab-model.json'), 'utf8'));
    expect(manifest.kind).toBe('cnn');
    expect(manifest.extra.input).toEqual([M, F, 1]);
    expect(manifest.extra.bandMean.length).toBe(M);
    expect(manifest.extra.bandStd.length).toBe(M);
    const back = (await registry.load(dir)) as CnnClassifier;
    try {
      expect(back).toBeInstanceOf(CnnClassifier);
      expect(back.labels).toEqual(['a', 'b', 'c']);
      expect(Array.from(back.predictProba(data.X))).toEqual(Array.from(clf.predictProba(data.X)));
      expect(Array.from(back.embed(data.X))).toEqual(Array.from(clf.embed(data.X)));
    } finally {
      back.dispose();
    }
  });

  it('reads rows whose constant columns were dropped (cells filled with the band mean)', async () => {
    // Drop bands 0 and 63 entirely and every 97th cell of the rest, as validateDataset drops constant columns.
    const keep = COLS.map((c, j) => j).filter((j) => j >= F && j < (M - 1) * F && j % 97 !== 0);
    const sub = (X: Matrix): Matrix => {
      const out = new Float32Array(X.rows * keep.length);
      for (let r = 0; r < X.rows; r++) keep.forEach((j, i) => (out[r * keep.length + i] = X.data[r * X.cols + j]!));
      return { data: out, rows: X.rows, cols: keep.length };
    };
    const part = new CnnClassifier({ ...SMALL, maxEpochs: 2 });
    try {
      const X = sub(data.X);
      await part.fit(X, data.y, { seed: 5, columns: keep.map((j) => COLS[j]!) });
      expect(part.inputShape).toEqual([M, F, 1]);
      // Kept cells land where their names say; a dropped cell holds its band's mean over the kept cells.
      const patches = part.toPatches(X);
      const bandMean = (m: number) => {
        let s = 0;
        let n = 0;
        keep.forEach((j, i) => {
          if (Math.floor(j / F) !== m) return;
          for (let r = 0; r < X.rows; r++) s += X.data[r * X.cols + i]!;
          n += X.rows;
        });
        return n ? s / n : 0;
      };
      const kept = new Set(keep);
      for (const r of [0, 13]) {
        for (const j of [F + 5, 2 * F + 3, 97 * 30, 40 * F + 77, 0, 5, (M - 1) * F + 9]) {
          const v = patches[r * M * F + j]!;
          if (kept.has(j)) expect(v).toBe(data.X.data[r * M * F + j]);
          else expect(v).toBeCloseTo(bandMean(Math.floor(j / F)), 3);
        }
      }
      // Predictions are the model's on those patches.
      const p = part.predictProba(X);
      const direct = tf.tidy(() => (part.tfModel().predict(tf.tensor4d(patches, [X.rows, M, F, 1])) as tf.Tensor).dataSync());
      p.forEach((v, i) => expect(v).toBeCloseTo(direct[i]!, 6));
      await expect(part.fit(data.X, data.y, { seed: 1, columns: COLS.map((c) => `x_${c}`) })).rejects.toThrow(/log-mel/);
    } finally {
      part.dispose();
    }
  });
});

describe('fused batch norm + ReLU (training mode)', () => {
  for (const [name, gammas] of [
    ['cpu', [1.5, 0.5, -0.7]],
    ['wasm', [1.5, 0.5, -0.7]],
    ['wasm', [1.5, 0, -0.7]], // γ = 0: Σ g·x̂ is taken from x, not from the output
  ] as const) {
    it(`equals relu(batchNorm(x, moments)) and its gradients on ${name}, γ = ${gammas.join(', ')}`, async () => {
      await switchBackend(name);
      const rng = mulberry32(3);
      const x = tf.tensor4d(Float32Array.from({ length: 4 * 5 * 6 * 3 }, () => 2 + 3 * normal(rng)), [4, 5, 6, 3]);
      const w = tf.tensor4d(Float32Array.from({ length: 4 * 5 * 6 * 3 }, () => normal(rng)), [4, 5, 6, 3]);
      const gamma = tf.tensor1d([...gammas]);
      const beta = tf.tensor1d([0.2, -0.1, 0.3]);
      const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.relu(tf.batchNorm(a, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3));
      };
      const fused = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => bnReluTraining(a, g, b, 1e-3).y;
      const run = (f: typeof reference) => {
        const y = f(x, gamma, beta);
        const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), w)))([x, gamma, beta]);
        const out = [y, ...grads].map((t) => Float32Array.from(t.dataSync()));
        tf.dispose([y, ...grads]);
        return out;
      };
      const want = run(reference);
      const got = run(fused);
      const stats = bnReluTraining(x, gamma, beta, 1e-3);
      const m = tf.moments(x, [0, 1, 2]);
      const wantMean = m.mean.dataSync();
      const wantVar = m.variance.dataSync();
      tf.dispose([x, w, gamma, beta, stats.y, m.mean, m.variance]);
      await switchBackend(backend);
      want.forEach((ref, k) => {
        const scale = ref.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
        expect(scale).toBeGreaterThan(0);
        ref.forEach((v, i) => expect(Math.abs(got[k]![i]! - v)).toBeLessThanOrEqual(1e-4 * (1 + scale)));
      });
      for (let c = 0; c < 3; c++) {
        expect(stats.mean[c]).toBeCloseTo(wantMean[c]!, 4);
        expect(stats.variance[c]).toBeCloseTo(wantVar[c]!, 3);
      }
    });
  }
});
