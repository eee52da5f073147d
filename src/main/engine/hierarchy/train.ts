// A training loop for the tfjs models of this folder (tier GRU, GraphSAGE): Adam over a set of
// variables, one caller-defined epoch at a time, early stopping on a validation loss with the best
// weights restored, a yield to the event loop between epochs (so an abort is seen), and glorot
// initial values from the engine's seeded generator.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { subSeed } from '../ml/rng';
import { holdoutSplit } from '../ml/splits';
import { takeLabels, takeRows, throwIfAborted, type EpochLog, type FitInfo, type FitOptions, type Matrix } from '../ml/types';

export interface LoopOptions {
  vars: tf.Variable[];
  learningRate: number;
  maxEpochs: number;
  patience: number;
  /** One epoch of optimisation; returns the mean training loss and accuracy. */
  epoch(optimizer: tf.Optimizer, epoch: number): Promise<{ loss: number; acc: number }> | { loss: number; acc: number };
  /** Validation loss and accuracy with the current weights (none: no early stopping). */
  validate?: () => { loss: number; acc: number };
  signal?: AbortSignal;
  onEpoch?: (log: EpochLog) => void;
  /** Added to each log (e.g. the tier of a per-tier model). */
  member?: number;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the loop; on return the variables hold the best weights (lowest validation loss). */
export async function trainLoop(o: LoopOptions): Promise<FitInfo> {
  const t0 = performance.now();
  const optimizer = tf.train.adam(o.learningRate);
  const history: EpochLog[] = [];
  let best: tf.Tensor[] | null = null;
  let bestLoss = Infinity;
  let bestEpoch = -1;
  let since = 0;
  try {
    for (let e = 0; e < o.maxEpochs; e++) {
      throwIfAborted(o.signal);
      const te = performance.now();
      const tr = await o.epoch(optimizer, e);
      const log: EpochLog = { epoch: e, loss: tr.loss, acc: tr.acc, valLoss: NaN, valAcc: NaN, seconds: 0 };
      if (o.member !== undefined) log.member = o.member;
      if (!Number.isFinite(tr.loss)) throw new Error(`training loss became ${tr.loss} at epoch ${e}; lower the learning rate`);
      if (o.validate) {
        const v = o.validate();
        log.valLoss = v.loss;
        log.valAcc = v.acc;
        if (v.loss < bestLoss - 1e-4) {
          bestLoss = v.loss;
          bestEpoch = e;
          since = 0;
          tf.dispose(best ?? []);
          best = o.vars.map((w) => w.clone());
        } else since++;
      }
      log.seconds = (performance.now() - te) / 1000;
      history.push(log);
      o.onEpoch?.(log);
      await nextTick();
      if (o.validate && since >= o.patience) break;
    }
    if (best) o.vars.forEach((w, i) => w.assign(best![i]!));
  } finally {
    tf.dispose(best ?? []);
    optimizer.dispose();
  }
  return { epochs: history.length, bestEpoch: best ? bestEpoch : history.length - 1, history, seconds: (performance.now() - t0) / 1000 };
}

/** Glorot-uniform values for a fanIn × fanOut kernel from a seeded generator. */
export function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const lim = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanIn * fanOut }, () => (2 * rng() - 1) * lim);
}

/** An integer seed for tfjs ops (dropout) drawn from the engine's generator. */
export function seedOf(rng: Rng): number {
  return Math.floor(rng() * 2147483647);
}

/** Mean cross-entropy and accuracy of logits against integer labels, as two numbers. */
export function lossAndAccuracy(logits: tf.Tensor2D, y: tf.Tensor1D, k: number): { loss: number; acc: number } {
  const [loss, acc] = tf.tidy(() => {
    const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y, k).toFloat(), logits);
    const a = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
    return tf.stack([ce, a]).dataSync();
  });
  return { loss: loss!, acc: acc! };
}

export interface ValidationSplit {
  fitX: Matrix;
  fitY: Int32Array;
  valX: Matrix | null;
  valY: Int32Array | null;
}

/**
 * Early-stopping rows, as the dense model takes them: FitOptions.validation (explicit rows or a
 * fraction), else `fraction`; a fraction is a stratified, group-respecting slice seeded from
 * opts.seed. No slice when it would leave `minTrain` or fewer training rows.
 */
export function validationSplit(X: Matrix, y: Int32Array, opts: FitOptions, fraction: number, minTrain = 0): ValidationSplit {
  const v = opts.validation ?? fraction;
  if (typeof v === 'object') return { fitX: X, fitY: y, valX: v.X, valY: v.y };
  if (v > 0) {
    const split = holdoutSplit(y, opts.groups, v, subSeed(opts.seed, 1));
    if (split.test.length > 0 && split.train.length > minTrain) {
      return { fitX: takeRows(X, split.train), fitY: takeLabels(y, split.train), valX: takeRows(X, split.test), valY: takeLabels(y, split.test) };
    }
  }
  return { fitX: X, fitY: y, valX: null, valY: null };
}
