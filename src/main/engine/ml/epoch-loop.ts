// The epoch loop of a network trained in a custom loop: one pass over the training rows per epoch,
// the validation figures, early stopping on the validation loss (patience, best weights restored),
// the per-epoch log, and a stop on a non-finite loss. Used by the dense network (dense.ts) and the
// CNN (cnn/model.ts).
import type { EpochLog } from './types';

export interface EpochLoopOptions<S> {
  /** Model name for messages. */
  model: string;
  maxEpochs: number;
  patience: number;
  /** One pass over the training rows: mean loss and accuracy. */
  train(epoch: number): Promise<{ loss: number; acc: number }>;
  /** Validation loss and accuracy; absent without a validation slice (no early stopping). */
  validate?: () => { loss: number; acc: number };
  /** A copy of the weights of the best epoch so far, and its restoration at the end. */
  snapshot(): S;
  restore(best: S): void;
  onEpoch?: (log: EpochLog) => void;
  /** Runs between epochs (e.g. to let the event loop see an abort). */
  between?: () => Promise<void>;
}

export interface EpochLoopResult {
  history: EpochLog[];
  /** The epoch whose weights were kept: the best validation loss, or the last epoch. */
  bestEpoch: number;
}

/** A validation loss counts as better when it falls by more than this. */
const MIN_DELTA = 1e-4;

export async function runEpochs<S>(o: EpochLoopOptions<S>): Promise<EpochLoopResult> {
  const history: EpochLog[] = [];
  let best: { loss: number; epoch: number; weights: S } | null = null;
  let sinceBest = 0;
  for (let epoch = 0; epoch < o.maxEpochs; epoch++) {
    const started = performance.now();
    const fit = await o.train(epoch);
    const val = o.validate?.() ?? null;
    const log: EpochLog = { epoch, loss: fit.loss, acc: fit.acc, valLoss: val?.loss ?? NaN, valAcc: val?.acc ?? NaN, seconds: (performance.now() - started) / 1000 };
    history.push(log);
    o.onEpoch?.(log);
    if (!Number.isFinite(log.loss)) throw new Error(`${o.model}: the training loss became ${log.loss} at epoch ${epoch}; lower the learning rate`);
    if (val) {
      if (val.loss < (best?.loss ?? Infinity) - MIN_DELTA) {
        best = { loss: val.loss, epoch, weights: o.snapshot() };
        sinceBest = 0;
      } else if (++sinceBest >= o.patience) {
        break;
      }
    }
    await o.between?.();
  }
  if (best) o.restore(best.weights);
  return { history, bestEpoch: best ? best.epoch : history.length - 1 };
}
