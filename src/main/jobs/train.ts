// The training task, run in a worker thread: validate the table, pick the tfjs backend, cross-validate
// (or hold out), then fit the final model on every row and save it when asked.
import { mkdir } from 'node:fs/promises';
import type { EpochPoint, Evaluation, LevelReport } from '../../shared/types';
import { initBackendInfo } from '../engine/ml/backend';
import { crossValidate, type CrossValidateOptions, type LevelMetrics } from '../engine/ml/crossval';
import { registry } from '../engine/models';
import { validateDataset } from '../engine/ml/validate';
import type { TaskContext } from './tasks';
import { prepareTrainLoss, type TrainLossPayload, type TrainLossResult } from './trainLoss';
import { trainExtras } from './trainExtras';

export interface TrainPayload {
  X: Float32Array;
  rows: number;
  cols: number;
  columns: string[];
  rowLabels: string[];
  /** Split unit per row (track key, or its folder). */
  groups: string[];
  /** Track key per row (segments of a track share it). */
  tracks: string[];
  model: string;
  params: Record<string, unknown>;
  evaluation: Evaluation;
  seed: number;
  profile: string;
  /** Where to save the final model fitted on every row (null: do not fit one). */
  saveDir: string | null;
  /** A hyperbolic-distance loss, or an embedding attached for mistake severity (jobs/trainLoss.ts). */
  loss?: TrainLossPayload | null;
}

export type TrainProgress =
  | { kind: 'epoch'; point: EpochPoint }
  | { kind: 'stage'; done: number; total: number; message: string };

export interface TrainResult {
  backend: string;
  labels: string[];
  columns: string[];
  droppedColumns: string[];
  warnings: string[];
  description: string;
  params: Record<string, unknown>;
  k: number;
  seconds: number;
  foldAccuracy: number[];
  rowReport: LevelReport;
  trackReport: LevelReport | null;
  /** Per row: test fold (-1 = not tested), out-of-fold probabilities rows × labels. */
  fold: Int32Array;
  proba: Float32Array;
  /** Track-level aggregation (segment rows): keys and probabilities tracks × labels. */
  trackKeys: string[] | null;
  trackProba: Float32Array | null;
  savedModel: boolean;
  /** With an embedding attached: label → genre map, class distances, the baseline's reports. */
  loss?: TrainLossResult;
  /** Hierarchical and graph models: per-tier accuracy, per-node variants, kept features, genre tree. */
  hierarchy?: import('../../shared/types').HierarchyReport;
}

export function toLevelReport(m: LevelMetrics): LevelReport {
  const k = m.confusion.k;
  return {
    accuracy: m.accuracy,
    macroF1: m.macroF1,
    macroPrecision: m.macroPrecision,
    macroRecall: m.macroRecall,
    perClass: m.perClass.map((c) => ({ ...c })),
    confusion: Array.from({ length: k }, (_, r) => Array.from(m.confusion.counts.subarray(r * k, (r + 1) * k))),
    n: m.n,
  };
}

export async function trainTask(p: TrainPayload, ctx: TaskContext): Promise<TrainResult> {
  const t0 = performance.now();
  const folds = p.evaluation.kind === 'cv' ? p.evaluation.folds : undefined;
  const v = validateDataset({
    X: { data: p.X, rows: p.rows, cols: p.cols },
    rowLabels: p.rowLabels,
    columns: p.columns,
    groups: p.tracks,
    folds,
  });
  const spec = registry.get(p.model);
  const backend = spec.usesTensors ? (await initBackendInfo()).name : 'js';
  const stage = (done: number, total: number, message: string) => ctx.progress({ kind: 'stage', done, total, message } satisfies TrainProgress);
  const lossRun = prepareTrainLoss(p.loss, p.model, v.labels);
  const total = (folds ?? 1) * (1 + (lossRun?.passes ?? 0)) + (p.saveDir ? 1 : 0);
  const extras = trainExtras(p.model, p.params, v.X, v.y, v.labels);
  const cvOptions: CrossValidateOptions = {
    X: v.X,
    y: v.y,
    labels: v.labels,
    groups: p.groups,
    tracks: p.tracks,
    model: p.model,
    params: p.params,
    folds,
    testSplit: p.evaluation.kind === 'holdout' ? p.evaluation.testFraction : undefined,
    seed: p.seed,
    columns: v.columns,
    onProgress: (q) => stage(q.done, total, q.message),
    onFold: extras.onFold,
    onEpoch: (fold, log) =>
      ctx.progress({
        kind: 'epoch',
        point: { fold, epoch: log.epoch, loss: log.loss, acc: log.acc, valLoss: log.valLoss, valAcc: log.valAcc, member: log.member },
      } satisfies TrainProgress),
    loss: lossRun?.loss,
  };
  const cv = await crossValidate(cvOptions);
  const lossResult = await lossRun?.finish(cv, { ...cvOptions, onProgress: (q) => stage((folds ?? 1) + q.done, total, `cross-entropy baseline: ${q.message}`) }, toLevelReport);
  let savedModel = false;
  if (p.saveDir) {
    stage(total - 1, total, 'fitting the final model on all data');
    const model = registry.create(p.model, p.params);
    try {
      await model.fit(v.X, v.y, { seed: p.seed, labels: v.labels, columns: v.columns, groups: p.tracks, loss: lossRun?.loss });
      await mkdir(p.saveDir, { recursive: true });
      await model.save(p.saveDir, { profile: p.profile, columns: v.columns });
      extras.onFinal(model);
      savedModel = true;
    } finally {
      model.dispose();
    }
  }
  stage(total, total, 'done');
  return {
    backend,
    labels: v.labels,
    columns: v.columns,
    droppedColumns: v.droppedColumns,
    warnings: [...v.warnings, ...cv.warnings, ...extras.warnings()],
    description: cv.description,
    params: cv.params,
    k: cv.k,
    seconds: (performance.now() - t0) / 1000,
    foldAccuracy: cv.foldAccuracy,
    rowReport: { ...toLevelReport(cv), ...extras.ranking(cv).row },
    trackReport: cv.trackLevel ? { ...toLevelReport(cv.trackLevel), ...extras.ranking(cv).track } : null,
    hierarchy: extras.report(),
    fold: cv.predictions.fold,
    proba: cv.predictions.proba,
    trackKeys: cv.trackLevel ? cv.trackLevel.keys.map(String) : null,
    trackProba: cv.trackLevel ? cv.trackLevel.proba : null,
    savedModel,
    loss: lossResult,
  };
}

export async function backendTask(): Promise<{ backend: string; skipped: { backend: string; reason: string }[] }> {
  const info = await initBackendInfo();
  return { backend: info.name, skipped: info.skipped };
}
