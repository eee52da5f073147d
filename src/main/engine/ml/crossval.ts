// Cross-validation runner: splits (stratified, grouped by track/artist, or held-out), fits a fresh
// model per fold, collects out-of-fold probabilities, and reports row- and track-level metrics.
import { aggregateByGroup, classificationReport, type ClassificationReport } from './metrics';
import type { TrainingLoss } from './losses';
import type { Params } from './manifest';
import { registry as defaultRegistry, type ModelRegistry } from './registry';
import { subSeed } from './rng';
import { foldIndices, groupedStratifiedKFold, holdoutSplit, stratifiedKFold } from './splits';
import { assertFinite } from './validate';
import { argmaxRows, takeLabels, takeRows, throwIfAborted, type Classifier, type EpochLog, type Matrix } from './types';

export interface CrossValidateOptions {
  X: Matrix;
  y: Int32Array;
  labels: string[];
  /** Split unit: rows sharing a group are never on both sides (track ids, or artist/folder). */
  groups?: ArrayLike<string | number>;
  /** Aggregation unit for track-level metrics (default: groups). */
  tracks?: ArrayLike<string | number>;
  model: string;
  params?: Params;
  /** Number of folds (default 10), or an explicit test fold per row. */
  folds?: number | Int32Array;
  /** Instead of k-fold: the fraction of groups held out for one test set. */
  testSplit?: number;
  seed: number;
  columns?: string[];
  onProgress?: (p: { done: number; total: number; message: string }) => void;
  onEpoch?: (fold: number, log: EpochLog) => void;
  /** Called after each fold's predictions, with the fitted model (before it is disposed). */
  onFold?: (fold: number, model: Classifier, train: Int32Array, test: Int32Array, seed: number) => Promise<void> | void;
  signal?: AbortSignal;
  registry?: ModelRegistry;
  /** A class-cost loss for models that take one (FitOptions.loss). */
  loss?: TrainingLoss | null;
}

export interface LevelMetrics extends ClassificationReport {
  /** Predicted class per evaluated unit. */
  predicted: Int32Array;
}

export interface CrossValResult extends LevelMetrics {
  model: string;
  description: string;
  params: Params;
  /** Folds run (1 for a held-out split). */
  k: number;
  splitBy: 'rows' | 'groups';
  /** Per row: test fold (-1 when not tested, held-out split), out-of-fold probabilities (rows × classes). */
  predictions: { fold: Int32Array; proba: Float32Array; predicted: Int32Array };
  foldAccuracy: number[];
  /** The same figures per track (probabilities averaged over its rows), when tracks have several rows. */
  trackLevel?: LevelMetrics & { keys: Array<string | number>; proba: Float32Array; y: Int32Array };
  warnings: string[];
  seconds: number;
}

export async function crossValidate(o: CrossValidateOptions): Promise<CrossValResult> {
  const t0 = performance.now();
  const reg = o.registry ?? defaultRegistry;
  const { X, y, labels } = o;
  const K = labels.length;
  if (X.rows !== y.length) throw new Error(`crossValidate: ${X.rows} rows but ${y.length} labels`);
  if (o.groups && o.groups.length !== y.length) throw new Error('crossValidate: one group per row');
  const spec = reg.get(o.model);
  assertFinite(X, o.columns);
  for (const v of y) if (v < 0 || v >= K) throw new Error(`crossValidate: class index ${v} outside the ${K} labels`);
  const warnings: string[] = [];

  // Fold assignment.
  let fold: Int32Array;
  let k: number;
  if (o.testSplit !== undefined) {
    const s = holdoutSplit(y, o.groups, o.testSplit, o.seed);
    fold = new Int32Array(y.length).fill(-1);
    for (const i of s.test) fold[i] = 0;
    k = 1;
    warnings.push(...s.warnings);
  } else if (o.folds instanceof Int32Array) {
    if (o.folds.length !== y.length) throw new Error('crossValidate: one fold per row');
    fold = o.folds;
    k = Math.max(...fold) + 1;
  } else {
    const a = o.groups ? groupedStratifiedKFold(y, o.groups, o.folds ?? 10, o.seed) : stratifiedKFold(y, o.folds ?? 10, o.seed);
    fold = a.fold;
    k = a.k;
    warnings.push(...a.warnings);
  }

  const proba = new Float32Array(y.length * K);
  const foldAccuracy: number[] = [];
  let description = '';
  let params: Params = {};
  for (let f = 0; f < k; f++) {
    throwIfAborted(o.signal);
    o.onProgress?.({ done: f, total: k, message: `fold ${f + 1} of ${k}` });
    let { train, test } = foldIndices(fold, f);
    if (o.testSplit !== undefined) train = Int32Array.from(fold.keys()).filter((i) => fold[i] === -1);
    if (test.length === 0) {
      warnings.push(`fold ${f + 1} has no test rows`);
      continue;
    }
    const model = spec.create(o.params);
    try {
      await model.fit(takeRows(X, train), takeLabels(y, train), {
        seed: subSeed(o.seed, f),
        labels,
        columns: o.columns,
        groups: o.groups ? Array.from(train, (i) => o.groups![i]!) : undefined,
        signal: o.signal,
        onEpoch: o.onEpoch ? (log) => o.onEpoch!(f, log) : undefined,
        loss: o.loss,
      });
      const p = model.predictProba(takeRows(X, test));
      let ok = 0;
      test.forEach((row, i) => {
        proba.set(p.subarray(i * K, (i + 1) * K), row * K);
        let best = 0;
        for (let c = 1; c < K; c++) if (p[i * K + c]! > p[i * K + best]!) best = c;
        if (best === y[row]) ok++;
      });
      foldAccuracy.push(ok / test.length);
      await o.onFold?.(f, model, train, test, subSeed(o.seed, f));
      description = model.describe();
      params = { ...model.params };
    } finally {
      model.dispose();
    }
  }
  o.onProgress?.({ done: k, total: k, message: 'done' });

  const tested = Int32Array.from(fold.keys()).filter((i) => fold[i]! >= 0);
  const allPred = argmaxRows(proba, y.length, K);
  const rowReport = level(takeLabels(y, tested), takeLabels(allPred, tested), labels);

  let trackLevel: CrossValResult['trackLevel'];
  const tracks = o.tracks ?? o.groups;
  if (tracks && new Set(Array.from(tested, (i) => tracks[i]!)).size < tested.length) {
    const agg = aggregateByGroup(
      takeRows({ data: proba, rows: y.length, cols: K }, tested).data,
      K,
      Array.from(tested, (i) => tracks[i]!),
      takeLabels(y, tested),
    );
    const pred = argmaxRows(agg.proba, agg.keys.length, K);
    trackLevel = { ...level(agg.y, pred, labels), keys: agg.keys, proba: agg.proba, y: agg.y };
  }

  return {
    ...rowReport,
    model: o.model,
    description,
    params,
    k,
    splitBy: o.groups ? 'groups' : 'rows',
    predictions: { fold, proba, predicted: allPred },
    foldAccuracy,
    trackLevel,
    warnings,
    seconds: (performance.now() - t0) / 1000,
  };
}

function level(yTrue: Int32Array, yPred: Int32Array, labels: string[]): LevelMetrics {
  return { ...classificationReport(yTrue, yPred, labels), predicted: yPred };
}
