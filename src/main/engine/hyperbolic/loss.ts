// Hyperbolic-distance-aware classification: a K × K matrix of Poincaré distances between the genres of
// a classifier's classes, a tfjs loss that uses it, and the mistake severity of predictions.
//
// The default loss is the soft-label cross-entropy of Bertinetto et al., "Making Better Mistakes:
// Leveraging Class Hierarchies with Deep Networks" (CVPR 2020, §3.2 "Soft labels"): the one-hot target
// of class y is replaced by q_y(j) = exp(−d(y, j)/T) / Σ_k exp(−d(y, k)/T) (their β = 1/T), with d the
// hyperbolic distance between the two classes' genres instead of the LCA height of a tree; the loss is
// −Σ_j q_y(j) log p_j. As T → 0 it becomes the plain cross-entropy. Mistake severity, also from that
// paper, is the mean distance between the true and the predicted class over the mistakes.
// The alternative 'expected-distance' loss is CE + λ · Σ_j p_j d(y, j) / max(D): cross-entropy plus the
// expected (normalised) distance of the prediction from the truth, a cost-sensitive penalty.
import * as tf from '@tensorflow/tfjs';
import { euclideanDistanceAt, poincareDistanceAt } from './math';
import type { NamedEmbedding } from './parents';
import type { Geometry } from './poincare';

export interface ClassDistances {
  /** Number of classes. */
  K: number;
  /** K × K, row-major, symmetric, zero diagonal. */
  D: Float64Array;
  /** Labels whose genre is not embedded: their rows and columns hold `fill`. */
  missing: string[];
  /** Largest distance between embedded classes (the fill value for missing ones). */
  max: number;
}

/**
 * Distances between classes: label k is the genre genreOf[labels[k]] (or the label itself when the
 * map has no entry), matched case-insensitively against the embedding's names. Distances are
 * Poincaré distances, or Euclidean ones for an embedding trained in Euclidean space.
 */
export function classDistanceMatrix(labels: string[], genreOf: Record<string, string> | Map<string, string>, emb: NamedEmbedding, geometry: Geometry = 'poincare'): ClassDistances {
  const get = (l: string): string | undefined => (genreOf instanceof Map ? genreOf.get(l) : Object.prototype.hasOwnProperty.call(genreOf, l) ? genreOf[l] : undefined);
  const index = new Map<string, number>();
  emb.names.forEach((nm, i) => {
    const key = nm.toLowerCase();
    if (!index.has(key)) index.set(key, i);
  });
  const K = labels.length;
  const row = labels.map((l) => index.get((get(l) ?? l).toLowerCase()) ?? -1);
  const missing = labels.filter((_, k) => row[k] < 0);
  const D = new Float64Array(K * K);
  let max = 0;
  for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) {
    if (row[a] < 0 || row[b] < 0) continue;
    const d = (geometry === 'euclidean' ? euclideanDistanceAt : poincareDistanceAt)(emb.vectors, row[a], emb.vectors, row[b], emb.dim);
    D[a * K + b] = d;
    D[b * K + a] = d;
    if (d > max) max = d;
  }
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) {
    if (a !== b && (row[a] < 0 || row[b] < 0)) D[a * K + b] = max;
  }
  return { K, D, missing, max };
}

/** Soft targets q_y(j) = softmax_j(−D[y, j] / T), K × K row-major (row y is the target of class y). */
export function softLabelTargets(D: Float64Array, K: number, temperature: number): Float64Array {
  if (!(temperature > 0)) throw new RangeError(`softLabelTargets: temperature must be positive, got ${temperature}`);
  const Q = new Float64Array(K * K);
  for (let y = 0; y < K; y++) {
    let m = Infinity;
    for (let j = 0; j < K; j++) m = Math.min(m, D[y * K + j]);
    let s = 0;
    for (let j = 0; j < K; j++) {
      const e = Math.exp(-(D[y * K + j] - m) / temperature);
      Q[y * K + j] = e;
      s += e;
    }
    for (let j = 0; j < K; j++) Q[y * K + j] /= s;
  }
  return Q;
}

export interface HyperbolicLossOptions {
  /** 'soft-labels' (default, Bertinetto et al. 2020) or 'expected-distance' (CE + λ · E_p[d] / max D). */
  kind?: 'soft-labels' | 'expected-distance';
  /** Soft-label temperature T (default 1). */
  temperature?: number;
  /** Weight λ of the expected-distance term (default 1). */
  lambda?: number;
  /** yPred holds logits instead of probabilities (default false: probabilities, e.g. after softmax). */
  fromLogits?: boolean;
  /** Probabilities are clipped to [epsilon, 1] before the logarithm (default 1e-7, Keras's). */
  epsilon?: number;
}

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * A tfjs loss of (yTrue one-hot [B, K], yPred [B, K]) → scalar mean over the batch, built from the
 * class distance matrix. Usable as `model.compile({ loss })` or inside a custom training step.
 */
export function hyperbolicLoss(D: Float64Array, K: number, opts: HyperbolicLossOptions = {}): LossFn {
  const kind = opts.kind ?? 'soft-labels';
  const eps = opts.epsilon ?? 1e-7;
  const fromLogits = opts.fromLogits ?? false;
  let maxD = 0;
  for (const d of D) maxD = Math.max(maxD, d);
  const Qdata = kind === 'soft-labels' ? softLabelTargets(D, K, opts.temperature ?? 1) : null;
  const lambda = opts.lambda ?? 1;
  const Dn = Float32Array.from(D, (d) => (maxD > 0 ? d / maxD : 0));
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const yt = yTrue.toFloat();
      const logp = fromLogits ? tf.logSoftmax(yPred) : tf.log(tf.clipByValue(yPred, eps, 1));
      if (Qdata) {
        const Q = tf.tensor2d(Float32Array.from(Qdata), [K, K]);
        const target = tf.matMul(yt, Q);
        return tf.mean(tf.neg(tf.sum(tf.mul(target, logp), -1))) as tf.Scalar;
      }
      const p = fromLogits ? tf.softmax(yPred) : yPred;
      const ce = tf.neg(tf.sum(tf.mul(yt, logp), -1));
      const dRow = tf.matMul(yt, tf.tensor2d(Dn, [K, K]));
      const expected = tf.sum(tf.mul(p, dRow), -1);
      return tf.mean(tf.add(ce, tf.mul(lambda, expected))) as tf.Scalar;
    });
}

/** The same loss in plain Float64 arithmetic (labels as class indices, probabilities B × K). */
export function hyperbolicLossValue(D: Float64Array, K: number, labels: ArrayLike<number>, probs: Float64Array, opts: HyperbolicLossOptions = {}): number {
  const kind = opts.kind ?? 'soft-labels';
  const eps = opts.epsilon ?? 1e-7;
  const B = labels.length;
  let maxD = 0;
  for (const d of D) maxD = Math.max(maxD, d);
  const Q = kind === 'soft-labels' ? softLabelTargets(D, K, opts.temperature ?? 1) : null;
  const lambda = opts.lambda ?? 1;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const y = labels[b];
    const logp = new Float64Array(K);
    const p = new Float64Array(K);
    if (opts.fromLogits) {
      let m = -Infinity;
      for (let j = 0; j < K; j++) m = Math.max(m, probs[b * K + j]);
      let s = 0;
      for (let j = 0; j < K; j++) s += Math.exp(probs[b * K + j] - m);
      for (let j = 0; j < K; j++) {
        logp[j] = probs[b * K + j] - m - Math.log(s);
        p[j] = Math.exp(logp[j]);
      }
    } else {
      for (let j = 0; j < K; j++) {
        p[j] = probs[b * K + j];
        logp[j] = Math.log(Math.min(1, Math.max(eps, p[j])));
      }
    }
    if (Q) {
      for (let j = 0; j < K; j++) total -= Q[y * K + j] * logp[j];
    } else {
      total -= logp[y];
      for (let j = 0; j < K; j++) total += lambda * p[j] * (maxD > 0 ? D[y * K + j] / maxD : 0);
    }
  }
  return B ? total / B : 0;
}

export interface MistakeSeverity {
  /** Predictions that differ from the truth. */
  mistakes: number;
  total: number;
  /** Mean D[true, predicted] over the mistakes (0 when there are none). */
  severity: number;
  /** Mean D[true, predicted] over all predictions (correct ones count 0). */
  meanDistance: number;
}

/** Mistake severity (Bertinetto et al. 2020) with hyperbolic class distances. */
export function mistakeSeverity(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, D: Float64Array, K: number): MistakeSeverity {
  if (yTrue.length !== yPred.length) throw new RangeError('mistakeSeverity: yTrue and yPred differ in length');
  let mistakes = 0;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < K && p >= 0 && p < K)) throw new RangeError(`mistakeSeverity: class index out of range at ${i}`);
    if (t !== p) {
      mistakes++;
      sum += D[t * K + p];
    }
  }
  const total = yTrue.length;
  return { mistakes, total, severity: mistakes ? sum / mistakes : 0, meanDistance: total ? sum / total : 0 };
}
