// The epoch loop the CNN trains with (src/main/engine/ml/epoch-loop.ts): early stopping on the
// validation loss with patience, the best epoch's weights restored, the log of every epoch, and a
// stop with a clear message when the training loss stops being finite. Hand-made loss sequences.
import { describe, expect, it } from 'vitest';
import { runEpochs } from '../../../src/main/engine/ml/epoch-loop';

function loop(trainLoss: number[], valLoss: number[] | null, patience: number) {
  let weights = -1;
  const restored: number[] = [];
  const logs: number[] = [];
  const run = runEpochs<number>({
    model: 'test',
    maxEpochs: trainLoss.length,
    patience,
    train: async (e) => {
      weights = e; // "the weights after epoch e"
      return { loss: trainLoss[e]!, acc: 0.5 };
    },
    validate: valLoss ? () => ({ loss: valLoss[weights]!, acc: 1 - valLoss[weights]! / 10 }) : undefined,
    snapshot: () => weights,
    restore: (w) => restored.push(w),
    onEpoch: (l) => logs.push(l.epoch),
  });
  return { run, restored, logs };
}

describe('epoch loop with early stopping', () => {
  it('stops after `patience` epochs without a better validation loss and restores the best epoch', async () => {
    const { run, restored, logs } = loop([5, 4, 3, 2, 1, 0.5, 0.4], [3, 2, 2.5, 2.00005, 2.7, 1, 0.1], 3);
    const r = await run;
    // Epoch 1 is best (2); 2.00005 is not better by more than 1e-4; epochs 2, 3, 4 use up the patience.
    expect(logs).toEqual([0, 1, 2, 3, 4]);
    expect(r.bestEpoch).toBe(1);
    expect(restored).toEqual([1]);
    expect(r.history.map((h) => h.valLoss)).toEqual([3, 2, 2.5, 2.00005, 2.7]);
    expect(r.history[2]!.valAcc).toBeCloseTo(0.75, 12);
    for (const h of r.history) expect(h.seconds).toBeGreaterThanOrEqual(0);
  });

  it('runs every epoch without a validation slice and keeps the last weights', async () => {
    const { run, restored } = loop([3, 2, 1], null, 1);
    const r = await run;
    expect(r.history).toHaveLength(3);
    expect(r.bestEpoch).toBe(2);
    expect(restored).toEqual([]);
    expect(Number.isNaN(r.history[0]!.valLoss)).toBe(true);
  });

  it('refuses a non-finite training loss', async () => {
    await expect(loop([1, Number.NaN, 0.5], null, 1).run).rejects.toThrow(/test: the training loss became NaN at epoch 1/);
  });
});
