// Real data: the GTZAN feature tables in ../shared/data (skipped with a message when absent).
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readCsv } from '../../src/main/engine/features/csv';
import { initBackend } from '../../src/main/engine/ml/backend';
import { crossValidate } from '../../src/main/engine/ml/crossval';
import { featureTable, trackOfSegment } from '../../src/main/engine/ml/table';
import { validateDataset } from '../../src/main/engine/ml/validate';

const repoRoot = path.resolve(__dirname, '../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const T30 = path.join(dataDir, 'gtzan-features/features_30_sec.csv');
const T3 = path.join(dataDir, 'gtzan-features/features_3_sec_subset_classical_jazz_rock.csv');
const haveData = existsSync(T30) && existsSync(T3);
if (!haveData) console.warn(`ml-gtzan: skipped, ${dataDir} has no gtzan-features tables`);

// Folds and kNN predictions of scikit-learn 1.2.1 (StratifiedKFold(10, shuffle=True, random_state=0),
// StandardScaler + KNeighborsClassifier(5)), written by tests/fixtures/ml/make_folds.py.
const SK = JSON.parse(readFileSync(path.resolve(repoRoot, 'tests/fixtures/ml/gtzan30_sklearn_folds.json'), 'utf8')) as {
  fold: number[]; knn5_accuracy: number; knn5_macroF1: number; knn5_pred: string[];
};

describe.skipIf(!haveData)('GTZAN feature tables', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('30-s table: validates clean; kNN on scikit-learn\'s folds gives scikit-learn\'s predictions', async () => {
    const t = featureTable(readCsv(T30));
    const v = validateDataset({ X: t.X, rowLabels: t.rowLabels, columns: t.columns, folds: 10 });
    expect(v.X.rows).toBe(1000);
    expect(v.columns).toHaveLength(57);
    expect(v.labels).toHaveLength(10);
    expect(v.warnings).toEqual([]);
    const r = await crossValidate({ X: v.X, y: v.y, labels: v.labels, model: 'knn', params: { k: 5 }, folds: Int32Array.from(SK.fold), seed: 0 });
    // Same folds, same scaler per fold, same neighbours: identical predictions but for distance ties.
    const agree = Array.from(r.predictions.predicted).filter((p, i) => v.labels[p] === SK.knn5_pred[i]).length;
    expect(agree).toBeGreaterThanOrEqual(995);
    expect(Math.abs(r.accuracy - SK.knn5_accuracy)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(r.macroF1 - SK.knn5_macroF1)).toBeLessThanOrEqual(0.005);
  });

  it('30-s table: kernel ridge on log-variance inputs reaches the issue\'s 0.78 on folds it was not tuned on', async () => {
    const t = featureTable(readCsv(T30));
    const v = validateDataset({ X: t.X, rowLabels: t.rowLabels, columns: t.columns, folds: 10 });
    // Fold seed 4 was not used while choosing the log transform (bench/ml.bench.ts reports seeds 4–9).
    const r = await crossValidate({ X: v.X, y: v.y, labels: v.labels, columns: v.columns, model: 'kernel', folds: 10, seed: 4 });
    expect(r.accuracy).toBeGreaterThanOrEqual(0.78);
    expect(r.description).toMatch(/log of variance columns/);
  }, 240_000);

  it('30-s table: depth-16 tree on seeded folds is near scikit-learn\'s 0.506 (same protocol, other folds)', async () => {
    const t = featureTable(readCsv(T30));
    const v = validateDataset({ X: t.X, rowLabels: t.rowLabels, columns: t.columns });
    const r = await crossValidate({ X: v.X, y: v.y, labels: v.labels, model: 'tree', params: { maxDepth: 16 }, folds: 10, seed: 0 });
    // A single tree varies by a few points with folds and tie-breaking: allow ±0.06.
    expect(Math.abs(r.accuracy - 0.506)).toBeLessThan(0.06);
  });

  it('3-s segments: track-grouped folds score below what a naive segment split claims', async () => {
    const t = featureTable(readCsv(T3));
    const groups = t.ids.map(trackOfSegment);
    expect(new Set(groups).size).toBe(300);
    const v = validateDataset({ X: t.X, rowLabels: t.rowLabels, columns: t.columns, groups, folds: 10 });
    const grouped = await crossValidate({ X: v.X, y: v.y, labels: v.labels, groups, model: 'knn', params: { k: 5 }, folds: 10, seed: 0 });
    const naive = await crossValidate({ X: v.X, y: v.y, labels: v.labels, model: 'knn', params: { k: 5 }, folds: 10, seed: 0 });
    expect(grouped.trackLevel!.n).toBe(300);
    expect(naive.accuracy).toBeGreaterThan(grouped.accuracy + 0.02);
    expect(grouped.accuracy).toBeGreaterThan(0.7);
  });
});
