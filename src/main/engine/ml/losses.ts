// Cross-entropy losses that know how wrong a mistake is: a K × K matrix of class costs C (true ×
// predicted, zero diagonal, in [0, 1]) turns the plain softmax cross-entropy into
//
//   'hyperbolic-weighted'  L = mean_i  w_i · CE_i,   w_i = 1 + λ · C[y_i, ŷ_i],  ŷ_i = argmax_j z_ij,
//                          the weight held constant within a step (no gradient flows through it);
//   'hyperbolic-expected'  L = mean_i  CE_i + λ · Σ_j p_ij C[y_i, j],  p_i = softmax(z_i),
//                          the expected cost of the prediction, differentiable in the logits z.
//
// CE_i = −Σ_j t_ij log p_ij with t_i the one-hot target (label-smoothed when asked). The costs come
// from hyperbolic distances between the classes' genres (engine/hyperbolic/training-loss.ts builds
// them), divided by the largest distance between two of the classes, so λ is the extra weight of
// the worst possible mistake whatever the scale of the embedding. The spec is plain JSON: it travels
// to workers and into a saved model's manifest.
import * as tf from '@tensorflow/tfjs';
import { LOSS_KINDS, type LossKind } from '../../../shared/loss';

export { LOSS_KINDS, type LossKind };

export interface TrainingLoss {
  kind: LossKind;
  /** Weight of the cost term (λ ≥ 0). */
  lambda: number;
  /** Class names, index = class id; must equal the model's labels. */
  labels: string[];
  /** K × K class costs, row-major (row = true class), zero diagonal, every value in [0, 1]. */
  costs: number[];
  /** Between different classes, distance = cost × scale + offset (offset 0: costs ∝ distance). */
  scale: number;
  offset?: number;
  /** Where the costs come from (embedding, label → genre map), kept with the model. */
  source?: Record<string, unknown>;
}

/** Throws unless the spec is usable for a model with these class names. */
export function checkTrainingLoss(loss: TrainingLoss, labels: readonly string[]): void {
  const K = labels.length;
  if (!LOSS_KINDS.includes(loss.kind)) throw new Error(`loss: unknown kind "${String(loss.kind)}" (known: ${LOSS_KINDS.join(', ')})`);
  if (!(Number.isFinite(loss.lambda) && loss.lambda >= 0)) throw new Error(`loss: λ must be a number ≥ 0, got ${loss.lambda}`);
  if (loss.labels.length !== K || loss.labels.some((l, i) => l !== labels[i])) {
    throw new Error(`loss: its classes (${loss.labels.join(', ')}) are not the model's (${labels.join(', ')})`);
  }
  if (loss.costs.length !== K * K) throw new Error(`loss: ${loss.costs.length} costs for ${K} classes (need ${K * K})`);
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      const c = loss.costs[a * K + b]!;
      if (!(Number.isFinite(c) && c >= 0 && c <= 1)) throw new Error(`loss: cost [${a}, ${b}] = ${c} is outside [0, 1]`);
      if (a === b && c !== 0) throw new Error(`loss: cost of a correct prediction (class ${a}) must be 0`);
    }
  }
}

/** Identity forward, zero gradient backward (tfjs has no stop_gradient op). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({ value: (inputs[0] as tf.Tensor).clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }));
  return f(x) as T;
}

export type LogitLoss = (yTrue: tf.Tensor2D, logits: tf.Tensor2D) => tf.Scalar;

/**
 * The loss of a spec as a function of (targets [B, K], logits [B, K]) → mean over the batch.
 * Targets are one-hot (the true class is their argmax); `labelSmoothing` ε smooths them to
 * (1 − ε)·t + ε/K inside the cross-entropy only, as tf.losses.softmaxCrossEntropy does.
 */
export function logitLoss(loss: TrainingLoss | null | undefined, K: number, labelSmoothing = 0): LogitLoss {
  if (!loss || loss.kind === 'ce') {
    return (yTrue, logits) => tf.losses.softmaxCrossEntropy(yTrue, logits, undefined, labelSmoothing) as tf.Scalar;
  }
  if (loss.costs.length !== K * K) throw new Error(`loss: ${loss.costs.length} costs for ${K} classes`);
  const costs = Float32Array.from(loss.costs);
  const lambda = loss.lambda;
  const weighted = loss.kind === 'hyperbolic-weighted';
  return (yTrue, logits) =>
    tf.tidy(() => {
      const C = tf.tensor2d(costs, [K, K]);
      const hard = tf.oneHot(tf.argMax(yTrue, 1), K).toFloat();
      const target = labelSmoothing > 0 ? tf.add(tf.mul(yTrue, 1 - labelSmoothing), labelSmoothing / K) : yTrue;
      const logp = tf.logSoftmax(logits);
      const ce = tf.neg(tf.sum(tf.mul(target, logp), -1));
      // Row y_i of C for every example: the cost of each possible prediction.
      const costRow = tf.matMul(hard, C);
      if (weighted) {
        const predicted = tf.oneHot(tf.argMax(logits, 1), K).toFloat();
        const w = stopGradient(tf.add(1, tf.mul(lambda, tf.sum(tf.mul(predicted, costRow), -1))));
        return tf.mean(tf.mul(w, ce)) as tf.Scalar;
      }
      const expected = tf.sum(tf.mul(tf.softmax(logits), costRow), -1);
      return tf.mean(tf.add(ce, tf.mul(lambda, expected))) as tf.Scalar;
    });
}

/** Softmax of one row of logits, in Float64 (max subtracted first). */
function softmaxRow(z: ArrayLike<number>, off: number, K: number, out: Float64Array): void {
  let m = -Infinity;
  for (let j = 0; j < K; j++) m = Math.max(m, z[off + j]!);
  let s = 0;
  for (let j = 0; j < K; j++) s += (out[j] = Math.exp(z[off + j]! - m));
  for (let j = 0; j < K; j++) out[j]! /= s;
}

/**
 * The same loss in plain Float64 arithmetic over class indices and logits (B × K, row-major), with
 * its gradient with respect to the logits (the weight of 'hyperbolic-weighted' held constant).
 */
export function logitLossValue(loss: TrainingLoss | null, K: number, y: ArrayLike<number>, logits: ArrayLike<number>, labelSmoothing = 0): { value: number; grad: Float64Array } {
  const B = y.length;
  const grad = new Float64Array(B * K);
  if (B === 0) return { value: 0, grad };
  const kind = loss?.kind ?? 'ce';
  const lambda = loss?.lambda ?? 0;
  const C = loss?.costs;
  const p = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < B; i++) {
    const yi = y[i]!;
    softmaxRow(logits, i * K, K, p);
    let ce = 0;
    for (let j = 0; j < K; j++) {
      const t = (j === yi ? 1 - labelSmoothing : 0) + labelSmoothing / K;
      ce -= t * Math.log(p[j]!);
    }
    // d CE / d z_j = p_j − t_j (the targets sum to one).
    const gce = new Float64Array(K);
    for (let j = 0; j < K; j++) gce[j] = p[j]! - ((j === yi ? 1 - labelSmoothing : 0) + labelSmoothing / K);
    if (kind === 'hyperbolic-weighted') {
      let pred = 0;
      for (let j = 1; j < K; j++) if (logits[i * K + j]! > logits[i * K + pred]!) pred = j;
      const w = 1 + lambda * C![yi * K + pred]!;
      total += w * ce;
      for (let j = 0; j < K; j++) grad[i * K + j] = (w * gce[j]!) / B;
    } else if (kind === 'hyperbolic-expected') {
      let e = 0;
      for (let j = 0; j < K; j++) e += p[j]! * C![yi * K + j]!;
      total += ce + lambda * e;
      // d/dz_j Σ_k p_k c_k = p_j (c_j − Σ_k p_k c_k).
      for (let j = 0; j < K; j++) grad[i * K + j] = (gce[j]! + lambda * p[j]! * (C![yi * K + j]! - e)) / B;
    } else {
      total += ce;
      for (let j = 0; j < K; j++) grad[i * K + j] = gce[j]! / B;
    }
  }
  return { value: total / B, grad };
}

/** For a model's description: "hyperbolic-distance-weighted cross-entropy, λ 1". */
export function describeLoss(loss: TrainingLoss | null | undefined): string {
  if (!loss || loss.kind === 'ce') return 'cross-entropy';
  const what = loss.kind === 'hyperbolic-weighted' ? 'hyperbolic-distance-weighted cross-entropy' : 'cross-entropy + expected hyperbolic distance';
  return `${what}, λ ${loss.lambda}`;
}

/** The spec for the same classes in another order (matched by name): costs permuted to `labels`. */
export function reorderTrainingLoss(loss: TrainingLoss, labels: readonly string[]): TrainingLoss {
  const K = loss.labels.length;
  const at = labels.map((l) => loss.labels.indexOf(l));
  if (labels.length !== K || at.some((i) => i < 0)) throw new Error(`loss: its classes (${loss.labels.join(', ')}) are not ${labels.join(', ')}`);
  const costs = new Array<number>(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) costs[a * K + b] = loss.costs[at[a]! * K + at[b]!]!;
  return { ...loss, labels: [...labels], costs };
}
