// Training service: build the dataset, run the training task in a worker with live curves, store the
// run with its metrics and per-track predictions, export figures and tables.
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type {
  EpochPoint,
  Evaluation,
  ExportedFile,
  LevelReport,
  RunDetail,
  RunExportKind,
  RunMetrics,
  TrackPrediction,
  TrainRequest,
} from '../../shared/types';
import { DEFAULT_PROFILE, listProfiles } from '../engine/features';
import { registry } from '../engine/models';
import { confusionPng, confusionSvg } from '../engine/plot';
import type { JobContext } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { TrainResult } from '../jobs/train';
import type { LibraryStore } from '../store/library';
import type { RunStore } from '../store/runs';
import { datasetFromStore, type Dataset } from './dataset';
import { csvField } from './export';
import { featureSetFor, SEGMENT_SECONDS } from './library';
import { TRAINING_INFO, type TrainingInfo } from './predict';
import { attachLossReport, lossMetricsJson, lossNameSuffix, resolveLoss } from './trainLoss';

export function describeEvaluation(e: Evaluation, groupBy: 'track' | 'folder', segments: boolean): string {
  const unit = groupBy === 'folder' ? 'folder' : 'track';
  if (e.kind === 'holdout') return `held-out ${Math.round(e.testFraction * 100)} % of ${unit}s`;
  return `${e.folds}-fold CV, stratified${segments || groupBy === 'folder' ? `, grouped by ${unit}` : ''}`;
}

export function resolveEvaluation(e: Evaluation | undefined): Evaluation {
  const ev = e ?? { kind: 'cv', folds: 10 };
  if (ev.kind === 'cv' && !(Number.isInteger(ev.folds) && ev.folds >= 2 && ev.folds <= 100)) {
    throw new AppError('bad-request', 'folds must be a whole number from 2 to 100');
  }
  if (ev.kind === 'holdout' && !(ev.testFraction > 0 && ev.testFraction < 1)) {
    throw new AppError('bad-request', 'the held-out fraction must be between 0 and 1');
  }
  return ev;
}

/** The feature set behind a profile name: a registered profile, or an imported table's own. */
export function setIdForProfile(store: LibraryStore, profile: string): number {
  if (listProfiles().some((p) => p.name === profile)) return featureSetFor(store, profile);
  const id = store.featureSetByProfile(profile);
  if (id === undefined) throw new AppError('not-found', `No features for profile "${profile}"`);
  return id;
}

export interface TrainOutcome {
  runId: number;
  metrics: RunMetrics;
  modelDir: string | null;
}

/** Run one training job: dataset → worker → stored run. */
export async function runTraining(
  deps: { store: LibraryStore; runs: RunStore; pool: WorkerPool; dataDir: string; onEpoch?: (p: EpochPoint) => void },
  req: TrainRequest,
  ctx: JobContext,
  dataset?: Dataset,
): Promise<TrainOutcome> {
  const spec = registry.get(req.model);
  const evaluation = resolveEvaluation(req.evaluation);
  const folders = req.folderIds?.map((id) => deps.store.folder(id));
  if (folders?.some((f) => !f)) throw new AppError('not-found', 'One of the chosen folders is gone');
  const profile = req.profile ?? folders?.[0]?.profile ?? DEFAULT_PROFILE;
  const groupBy = req.groupBy ?? 'track';
  const ds =
    dataset ??
    datasetFromStore(deps.store, {
      setId: setIdForProfile(deps.store, profile),
      folderIds: req.folderIds,
      segments: req.segments,
      columns: req.columns,
      groupBy,
    });
  const seed = req.seed ?? 1;
  const loss = await resolveLoss(deps, req.model, req.loss);
  const params = { ...registry.defaults(req.model), ...(req.params ?? {}) };
  const modelDir = join(deps.dataDir, 'models', randomUUID());
  const curves: EpochPoint[] = [];
  ctx.progress(0, 1, `training ${spec.label} on ${ds.tracks.length} tracks (${ds.rows} rows)`);
  let result: TrainResult;
  try {
    result = await deps.pool.run(
      'train',
      {
        X: ds.X,
        rows: ds.rows,
        cols: ds.cols,
        columns: ds.columns,
        rowLabels: ds.rowLabels,
        groups: ds.groups,
        tracks: Array.from(ds.rowTrack, (t) => ds.tracks[t]!.key),
        model: req.model,
        params,
        evaluation,
        seed,
        profile,
        saveDir: modelDir,
        loss: loss.payload,
      },
      ctx.signal,
      (p) => {
        if (p.kind === 'epoch') {
          curves.push(p.point);
          deps.onEpoch?.(p.point);
        } else ctx.progress(p.done, p.total, p.message);
      },
    );
  } catch (err) {
    await rm(modelDir, { recursive: true, force: true });
    throw err;
  }
  if (result.savedModel) {
    const info: TrainingInfo = {
      segments: ds.segments,
      segmentSeconds: ds.segmentSeconds,
      profile,
      evaluation: describeEvaluation(evaluation, groupBy, ds.segments),
    };
    await writeFile(join(modelDir, TRAINING_INFO), JSON.stringify(info, null, 2));
  }
  const metrics = runMetrics(result, ds);
  attachLossReport(metrics, result.loss, loss.baselineRun);
  const predictions = trackPredictions(result, ds);
  const runId = deps.runs.insert({
    name: req.name?.trim() || `${spec.label} · ${profile}${ds.segments ? ' · 3 s segments' : ''}${lossNameSuffix(req.loss)}`,
    model: req.model,
    modelLabel: spec.label,
    description: result.description,
    profile,
    segments: ds.segments,
    evaluation: describeEvaluation(evaluation, groupBy, ds.segments),
    request: { ...req, profile, evaluation, seed, groupBy },
    params: result.params,
    metrics,
    curves,
    modelDir: result.savedModel ? modelDir : null,
    predictions,
  });
  return { runId, metrics, modelDir: result.savedModel ? modelDir : null };
}

function runMetrics(r: TrainResult, ds: Dataset): RunMetrics {
  const warnings = [...r.warnings];
  if (ds.unlabelled) warnings.push(`${ds.unlabelled} track${ds.unlabelled === 1 ? '' : 's'} without a label left out`);
  return {
    ...r.rowReport,
    labels: r.labels,
    folds: r.k,
    unit: ds.segments ? 'segment' : 'track',
    foldAccuracy: r.foldAccuracy,
    trackLevel: r.trackReport,
    backend: r.backend,
    seconds: r.seconds,
    warnings,
    ...(r.hierarchy ? { hierarchy: r.hierarchy } : {}),
  };
}

function argmax(p: ArrayLike<number>, off: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[off + c]! > p[off + best]!) best = c;
  return best;
}

/** One prediction per evaluated track; segment models also list every segment's prediction. */
export function trackPredictions(r: TrainResult, ds: Dataset): TrackPrediction[] {
  const K = r.labels.length;
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < ds.rows; i++) {
    if (r.fold[i]! < 0) continue;
    const t = ds.rowTrack[i]!;
    const list = rowsOf.get(t) ?? [];
    list.push(i);
    rowsOf.set(t, list);
  }
  const trackProbaIndex = new Map((r.trackKeys ?? []).map((k, i) => [k, i]));
  const out: TrackPrediction[] = [];
  for (const [t, rows] of rowsOf) {
    const track = ds.tracks[t]!;
    let probs: number[];
    const ti = trackProbaIndex.get(track.key);
    if (r.trackProba && ti !== undefined) probs = Array.from(r.trackProba.subarray(ti * K, (ti + 1) * K));
    else {
      probs = new Array<number>(K).fill(0);
      for (const i of rows) for (let c = 0; c < K; c++) probs[c]! += r.proba[i * K + c]! / rows.length;
    }
    const best = argmax(probs, 0, K);
    out.push({
      trackId: track.trackId,
      name: track.name,
      label: track.label,
      predicted: r.labels[best]!,
      confidence: probs[best]!,
      probs,
      fold: r.fold[rows[0]!]!,
      segments: ds.segments
        ? rows.map((i) => {
            const b = argmax(r.proba, i * K, K);
            const seg = Math.max(0, ds.rowSegment[i]!);
            return { index: seg, start: seg * SEGMENT_SECONDS, end: (seg + 1) * SEGMENT_SECONDS, predicted: r.labels[b]!, confidence: r.proba[i * K + b]! };
          })
        : null,
    });
  }
  return out;
}

/** metrics.json as the CLI writes it. */
export function metricsJson(run: RunDetail): Record<string, unknown> {
  const m = run.metrics;
  const level = (l: LevelReport) => ({
    accuracy: l.accuracy,
    macroF1: l.macroF1,
    ap: l.ap ?? null,
    coverageError: l.coverageError ?? null,
    perClass: Object.fromEntries(l.perClass.map((c) => [c.label, { precision: c.precision, recall: c.recall, f1: c.f1, support: c.support }])),
    confusion: l.confusion,
  });
  return {
    ...level(m),
    labels: m.labels,
    folds: m.folds,
    unit: m.unit,
    trackLevel: m.trackLevel ? level(m.trackLevel) : null,
    foldAccuracy: m.foldAccuracy,
    model: run.model,
    description: run.description,
    evaluation: run.evaluation,
    backend: m.backend,
    seconds: m.seconds,
    warnings: m.warnings,
    ...lossMetricsJson(m),
    ...(m.hierarchy ? { hierarchy: m.hierarchy } : {}),
  };
}

export function confusionCsv(labels: string[], matrix: number[][]): string {
  const lines = [['true \\ predicted', ...labels].map(csvField).join(',')];
  matrix.forEach((row, i) => lines.push([csvField(labels[i]!), ...row.map(String)].join(',')));
  return lines.join('\n') + '\n';
}

export function predictionsCsv(labels: string[], preds: TrackPrediction[]): string {
  const lines = [['filename', 'label', 'predicted', 'confidence', ...labels].map(csvField).join(',')];
  for (const p of preds) {
    lines.push([csvField(p.name), csvField(p.label), csvField(p.predicted), p.confidence.toFixed(6), ...p.probs.map((x) => x.toFixed(6))].join(','));
  }
  return lines.join('\n') + '\n';
}

export function exportRun(run: RunDetail, preds: TrackPrediction[], kind: RunExportKind, opts: { normalise?: boolean; level?: 'track' | 'segment' } = {}): ExportedFile {
  const m = run.metrics;
  const useTrack = opts.level !== 'segment' && m.trackLevel !== null;
  const lvl = useTrack ? m.trackLevel! : m;
  const unit = useTrack || m.unit === 'track' ? 'tracks' : 'segments';
  const title = `${run.modelLabel} — ${run.evaluation}`;
  const subtitle = `accuracy ${(lvl.accuracy * 100).toFixed(1)} %, macro-F1 ${lvl.macroF1.toFixed(3)}, ${lvl.n} ${unit} · run #${run.id}`;
  const stem = `run-${run.id}`;
  switch (kind) {
    case 'confusion.png':
      return {
        filename: `${stem}-confusion.png`,
        mime: 'image/png',
        encoding: 'base64',
        data: Buffer.from(confusionPng({ title, subtitle, labels: m.labels, matrix: lvl.confusion, normalise: opts.normalise })).toString('base64'),
      };
    case 'confusion.svg':
      return {
        filename: `${stem}-confusion.svg`,
        mime: 'image/svg+xml',
        encoding: 'utf8',
        data: confusionSvg({ title, subtitle, labels: m.labels, matrix: lvl.confusion, normalise: opts.normalise }),
      };
    case 'confusion.csv':
      return { filename: `${stem}-confusion.csv`, mime: 'text/csv', encoding: 'utf8', data: confusionCsv(m.labels, lvl.confusion) };
    case 'confusion.json': {
      const normalised = lvl.confusion.map((row) => {
        const s = row.reduce((a, b) => a + b, 0);
        return row.map((v) => (s > 0 ? v / s : 0));
      });
      return {
        filename: `${stem}-confusion.json`,
        mime: 'application/json',
        encoding: 'utf8',
        data: JSON.stringify({ labels: m.labels, unit, confusion: lvl.confusion, normalised }, null, 2),
      };
    }
    case 'predictions.csv':
      return { filename: `${stem}-predictions.csv`, mime: 'text/csv', encoding: 'utf8', data: predictionsCsv(m.labels, preds) };
    case 'metrics.json':
      return { filename: `${stem}-metrics.json`, mime: 'application/json', encoding: 'utf8', data: JSON.stringify(metricsJson(run), null, 2) };
    default:
      throw new AppError('bad-request', `unknown export ${String(kind)}`);
  }
}

/** Copy a run's saved model folder to `dir` (created if needed). */
export async function copyModel(modelDir: string | null, dir: string): Promise<{ dir: string; files: string[] }> {
  if (!modelDir) throw new AppError('not-found', 'This run kept no trained model');
  const dest = resolve(dir);
  await mkdir(dest, { recursive: true });
  await cp(modelDir, dest, { recursive: true });
  return { dir: dest, files: await readdir(dest) };
}
