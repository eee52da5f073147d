// Hyperbolic-distance losses and mistake severity against numpy (tests/fixtures/hyperbolic/
// make_hyperbolic_reference.py), in Float64 (1e-12) and through tfjs's cpu backend (float32, 1e-5).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classDistanceMatrix, hyperbolicLoss, hyperbolicLossValue, mistakeSeverity, softLabelTargets } from '../../../src/main/engine/hyperbolic/loss';
import { REF, expectAllClose, f64 } from './hyperbolic-helpers';

const r = REF.loss;
const K: number = r.K;
const B: number = r.B;
const names = ['rock', 'pop', 'jazz', 'blues', 'metal'];
const emb = { names, vectors: f64(r.C), dim: 3 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('class distance matrix', () => {
  it('holds the Poincaré distances between the classes’ genres (numpy poincare_dist, 1e-12)', () => {
    const labels = ['Rock', 'pop', 'jazz', 'blues', 'heavy'];
    const cd = classDistanceMatrix(labels, { Rock: 'ROCK', heavy: 'metal' }, emb);
    expect(cd.missing).toEqual([]);
    expectAllClose(cd.D, r.D, 1e-12);
  });
  it('fills classes whose genre is not embedded with the largest distance and lists them', () => {
    const cd = classDistanceMatrix(['rock', 'pop', 'zydeco'], new Map(), emb);
    expect(cd.missing).toEqual(['zydeco']);
    const dRP = cd.D[1];
    expect(cd.max).toBeCloseTo(dRP, 15);
    expect(cd.D[2]).toBe(cd.max);
    expect(cd.D[2 * 3 + 1]).toBe(cd.max);
    expect(cd.D[2 * 3 + 2]).toBe(0);
  });
});

describe('soft-label cross-entropy (Bertinetto et al. 2020) and expected-distance loss', () => {
  const D = f64(r.D);
  const probs = f64(r.probs);
  it('soft targets softmax(−d/T) match numpy and each row sums to 1', () => {
    const Q = softLabelTargets(D, K, 1);
    expectAllClose(Q, r.softTargetsT1, 1e-14);
    for (let y = 0; y < K; y++) expect(Q.subarray(y * K, (y + 1) * K).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    // T → 0 tends to one-hot
    const Q0 = softLabelTargets(D, K, 1e-3);
    for (let y = 0; y < K; y++) expect(Q0[y * K + y]).toBeGreaterThan(1 - 1e-12);
  });
  it('Float64 values match numpy (1e-12)', () => {
    expect(Math.abs(hyperbolicLossValue(D, K, r.labels, probs, { temperature: 1 }) - r.softCeT1)).toBeLessThan(1e-12);
    expect(Math.abs(hyperbolicLossValue(D, K, r.labels, probs, { temperature: 0.5 }) - r.softCeT05)).toBeLessThan(1e-12);
    expect(Math.abs(hyperbolicLossValue(D, K, r.labels, probs, { kind: 'expected-distance', lambda: 1 }) - r.expectedLam1)).toBeLessThan(1e-12);
    expect(Math.abs(hyperbolicLossValue(D, K, r.labels, probs, { kind: 'expected-distance', lambda: 0.3 }) - r.expectedLam03)).toBeLessThan(1e-12);
    // from logits gives the same as from the softmax of the logits
    expect(Math.abs(hyperbolicLossValue(D, K, r.labels, f64(r.logits), { temperature: 1, fromLogits: true }) - r.softCeT1)).toBeLessThan(1e-12);
  });
  it('the tfjs loss matches numpy in float32 (1e-5), from probabilities and from logits, and leaks no tensors', () => {
    const yTrue = tf.oneHot(tf.tensor1d(r.labels, 'int32'), K);
    const yPred = tf.tensor2d(Float32Array.from(probs), [B, K]);
    const logits = tf.tensor2d(Float32Array.from(r.logits), [B, K]);
    const before = tf.memory().numTensors;
    const cases: Array<[ReturnType<typeof hyperbolicLoss>, tf.Tensor, number]> = [
      [hyperbolicLoss(D, K, { temperature: 1 }), yPred, r.softCeT1],
      [hyperbolicLoss(D, K, { temperature: 0.5 }), yPred, r.softCeT05],
      [hyperbolicLoss(D, K, { temperature: 1, fromLogits: true }), logits, r.softCeT1],
      [hyperbolicLoss(D, K, { kind: 'expected-distance', lambda: 1 }), yPred, r.expectedLam1],
      [hyperbolicLoss(D, K, { kind: 'expected-distance', lambda: 0.3, fromLogits: true }), logits, r.expectedLam03],
    ];
    for (const [fn, pred, want] of cases) {
      const v = fn(yTrue, pred);
      expect(v.shape).toEqual([]);
      expect(Math.abs(v.dataSync()[0] - want)).toBeLessThan(1e-5 * Math.max(1, want));
      v.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([yTrue, yPred, logits]);
  });
  it('has a gradient through tfjs (trainable), and soft labels with tiny T equal plain cross-entropy', () => {
    const yTrue = tf.oneHot(tf.tensor1d(r.labels, 'int32'), K);
    const logits = tf.variable(tf.tensor2d(Float32Array.from(r.logits), [B, K]));
    const fn = hyperbolicLoss(D, K, { temperature: 1, fromLogits: true });
    const g = tf.grad((z: tf.Tensor) => fn(yTrue, z))(logits);
    const gv = g.dataSync();
    expect(gv.every(Number.isFinite)).toBe(true);
    // d/dz of −Σ q log softmax(z) = softmax(z) − q, averaged over the batch
    const Q = softLabelTargets(D, K, 1);
    const want: number[] = [];
    for (let b = 0; b < B; b++) for (let j = 0; j < K; j++) want.push((probs[b * K + j] - Q[r.labels[b] * K + j]) / B);
    expectAllClose(gv, want, 1e-6);
    const ce = tf.losses.softmaxCrossEntropy(yTrue, logits).dataSync()[0];
    const sharp = hyperbolicLoss(D, K, { temperature: 1e-4, fromLogits: true })(yTrue, logits).dataSync()[0];
    expect(Math.abs(sharp - ce)).toBeLessThan(1e-5);
    tf.dispose([yTrue, logits, g]);
  });
});

describe('mistake severity', () => {
  it('is the mean distance between true and predicted class over the mistakes (numpy)', () => {
    const s = mistakeSeverity(r.labels, r.pred, f64(r.D), K);
    expect(s.mistakes).toBe(r.mistakes);
    expect(Math.abs(s.severity - r.severity)).toBeLessThan(1e-12);
    expect(s.meanDistance).toBeCloseTo((r.severity * r.mistakes) / B, 12);
    expect(mistakeSeverity([0, 1], [0, 1], f64(r.D), K)).toEqual({ mistakes: 0, total: 2, severity: 0, meanDistance: 0 });
    expect(() => mistakeSeverity([0], [K], f64(r.D), K)).toThrow(/out of range/);
  });
});
