import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { crossValidate } from '../../../src/main/engine/ml/crossval';
import { mulberry32, normal } from '../../../src/main/engine/random';
import type { Matrix } from '../../../src/main/engine/ml/types';

beforeAll(async () => {
  await initBackend();
});

/**
 * 60 tracks × 5 segments; every segment is its track's vector plus tiny noise, and the track labels
 * are random — so there is nothing to learn, and a split that puts segments of one track on both
 * sides lets 1-NN "recognise" the track.
 */
function leakyTable() {
  const rng = mulberry32(4);
  const tracks = 60;
  const segs = 5;
  const d = 6;
  const data = new Float32Array(tracks * segs * d);
  const y = new Int32Array(tracks * segs);
  const groups: string[] = [];
  for (let t = 0; t < tracks; t++) {
    const base = Array.from({ length: d }, () => normal(rng));
    const label = t % 3; // balanced, but unrelated to the features
    for (let s = 0; s < segs; s++) {
      const r = t * segs + s;
      for (let j = 0; j < d; j++) data[r * d + j] = base[j]! + 1e-3 * normal(rng);
      y[r] = label;
      groups.push(`track-${t}`);
    }
  }
  const X: Matrix = { data, rows: tracks * segs, cols: d };
  return { X, y, groups, labels: ['a', 'b', 'c'] };
}

describe('crossValidate', () => {
  it('segment-level random folds leak (1-NN finds the same track), track-grouped folds do not', async () => {
    const { X, y, groups, labels } = leakyTable();
    const naive = await crossValidate({ X, y, labels, model: 'knn', params: { k: 1 }, folds: 5, seed: 1 });
    const grouped = await crossValidate({ X, y, labels, groups, model: 'knn', params: { k: 1 }, folds: 5, seed: 1 });
    expect(naive.accuracy).toBe(1);
    expect(naive.splitBy).toBe('rows');
    expect(grouped.splitBy).toBe('groups');
    // Labels are random: chance is 1/3; 60 tracks give a standard error of about 0.06.
    expect(grouped.accuracy).toBeLessThan(0.6);
    expect(grouped.trackLevel).toBeDefined();
    expect(grouped.trackLevel!.keys).toHaveLength(60);
    expect(grouped.trackLevel!.n).toBe(60);
    expect(grouped.trackLevel!.perClass.reduce((s, m) => s + m.support, 0)).toBe(60);
  });

  it('tests every row once, returns out-of-fold probabilities, fold accuracies and progress', async () => {
    const { X, y, groups, labels } = leakyTable();
    const progress: number[] = [];
    const r = await crossValidate({ X, y, labels, groups, model: 'tree', params: { maxDepth: 3 }, folds: 4, seed: 2, onProgress: (p) => progress.push(p.done) });
    expect(r.k).toBe(4);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(r.predictions.fold)).toEqual(new Set([0, 1, 2, 3]));
    expect(r.foldAccuracy).toHaveLength(4);
    for (let i = 0; i < y.length; i++) {
      let s = 0;
      for (let c = 0; c < 3; c++) s += r.predictions.proba[i * 3 + c]!;
      expect(Math.abs(s - 1)).toBeLessThan(1e-5);
    }
    // Accuracy is the row-weighted mean of the fold accuracies.
    const sizes = [0, 1, 2, 3].map((f) => r.predictions.fold.filter((v) => v === f).length);
    const weighted = r.foldAccuracy.reduce((s, a, f) => s + a * sizes[f]!, 0) / y.length;
    expect(r.accuracy).toBeCloseTo(weighted, 12);
    expect(r.confusion.counts.reduce((a, b) => a + b, 0)).toBe(y.length);
  });

  it('held-out split by track: only test rows are scored, no track on both sides', async () => {
    const { X, y, groups, labels } = leakyTable();
    const r = await crossValidate({ X, y, labels, groups, model: 'knn', testSplit: 0.25, seed: 3 });
    expect(r.k).toBe(1);
    const test = Array.from(r.predictions.fold.keys()).filter((i) => r.predictions.fold[i] === 0);
    const trainTracks = new Set(Array.from(r.predictions.fold.keys()).filter((i) => r.predictions.fold[i] === -1).map((i) => groups[i]));
    expect(test.length).toBe(15 * 5);
    for (const i of test) expect(trainTracks.has(groups[i])).toBe(false);
    expect(r.n).toBe(test.length);
  });

  it('refuses non-finite features before training (never NaN metrics)', async () => {
    const { X, y, labels } = leakyTable();
    const bad = { ...X, data: Float32Array.from(X.data) };
    bad.data[7 * X.cols + 2] = NaN;
    await expect(crossValidate({ X: bad, y, labels, model: 'knn', folds: 3, seed: 0, columns: ['a', 'b', 'c', 'd', 'e', 'f'] })).rejects.toMatchObject({
      name: 'DatasetError',
      problems: [{ code: 'missing-values', columns: ['c'], rows: [7] }],
    });
  });

  it('passes epochs of iterative models with their fold, and stops on abort with a cancelled error', async () => {
    const { X, y, labels } = leakyTable();
    const seen = new Set<number>();
    await crossValidate({
      X, y, labels, model: 'dense', params: { hidden: [8], maxEpochs: 2, validationFraction: 0 }, folds: 3, seed: 0,
      onEpoch: (fold, log) => {
        seen.add(fold);
        expect(Number.isFinite(log.loss)).toBe(true);
      },
    });
    expect([...seen].sort()).toEqual([0, 1, 2]);
    const ctrl = new AbortController();
    const run = crossValidate({ X, y, labels, model: 'dense', params: { hidden: [8], maxEpochs: 100000, validationFraction: 0 }, folds: 3, seed: 0, signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 200);
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
