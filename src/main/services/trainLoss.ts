// The training service's hyperbolic part: resolve a TrainRequest's `loss` (a stored embedding or an
// embedding file, λ, label → genre overrides, the baseline) into the worker's payload, and turn the
// worker's result into the run's LossReport (mistake severity, baseline, ΔF1 against distance).
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { DISTANCE_NORMS, LOSS_KINDS, LOSS_MODELS, type LossMappingRequest, type LossMappingResult, type LossReport, type LossRequest } from '../../shared/loss';
import type { LevelReport, RunDetail, RunMetrics } from '../../shared/types';
import { GenreIndex, mapLabelsToGenres, unmappedReport } from '../engine/hyperbolic/labelmap';
import { classDistanceMatrix } from '../engine/hyperbolic/loss';
import { deltaF1Points, distanceRows, severityFromConfusion } from '../engine/hyperbolic/training-loss';
import type { TrainLossPayload, TrainLossResult } from '../jobs/trainLoss';
import type { DB } from '../store/db';
import { getEmbedding } from '../store/embeddings';
import type { LibraryStore } from '../store/library';
import type { RunStore } from '../store/runs';
import { parseEmbeddingFile } from './hyperQuery';

export const DEFAULT_LAMBDA = 1;

type LoadedEmbedding = TrainLossPayload['embedding'];

function bad(message: string): AppError {
  return new AppError('bad-request', message);
}

/** A stored embedding (by id) or an embedding file (JSON or TSV), flat. */
export async function loadLossEmbedding(db: DB, ref: { embeddingId?: number; embeddingPath?: string }): Promise<LoadedEmbedding | null> {
  if (ref.embeddingId !== undefined && ref.embeddingId !== null) {
    const e = getEmbedding(db, ref.embeddingId);
    if (!e) throw new AppError('not-found', `No stored embedding ${ref.embeddingId}`);
    const vectors = new Float64Array(e.names.length * e.dim);
    e.vectors.forEach((v, i) => vectors.set(v, i * e.dim));
    return { id: e.id, name: e.name, model: e.model, dim: e.dim, names: e.names, vectors };
  }
  if (ref.embeddingPath) {
    const file = resolve(ref.embeddingPath);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new AppError('not-found', `No such embedding file: ${file}`);
    });
    const e = parseEmbeddingFile(text, file);
    return { id: null, name: basename(file), model: e.model, dim: e.dim, names: e.names, vectors: e.vectors };
  }
  return null;
}

function checkLabelMap(m: unknown): Record<string, string> {
  if (m === undefined || m === null) return {};
  if (typeof m !== 'object' || Array.isArray(m)) throw bad('labelMap must map labels to genre names');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (typeof v !== 'string') throw bad(`labelMap: the genre of "${k}" must be a name`);
    if (v.trim()) out[k] = v.trim();
  }
  return out;
}

export interface ResolvedLoss {
  payload: TrainLossPayload | null;
  /** A stored run to compare with instead of a baseline trained in the job. */
  baselineRun: RunDetail | null;
}

/** Check a request's `loss` and load what the worker needs. */
export async function resolveLoss(deps: { runs: RunStore }, model: string, req: LossRequest | undefined): Promise<ResolvedLoss> {
  if (!req) return { payload: null, baselineRun: null };
  if (!LOSS_KINDS.includes(req.kind)) throw bad(`loss must be one of ${LOSS_KINDS.join(', ')}`);
  const lambda = req.lambda ?? DEFAULT_LAMBDA;
  if (!(typeof lambda === 'number' && Number.isFinite(lambda) && lambda >= 0 && lambda <= 100)) throw bad('λ must be a number from 0 to 100');
  const normalise = req.normalise ?? 'max';
  if (!DISTANCE_NORMS.includes(normalise)) throw bad(`normalise must be one of ${DISTANCE_NORMS.join(', ')}`);
  if (req.kind !== 'ce' && !LOSS_MODELS.includes(model)) {
    throw bad(`The hyperbolic losses train the models that learn by cross-entropy (${LOSS_MODELS.join(', ')}); "${model}" does not`);
  }
  const embedding = await loadLossEmbedding(deps.runs.db, req);
  if (!embedding) {
    if (req.kind === 'ce') return { payload: null, baselineRun: null };
    throw bad('The hyperbolic loss needs an embedding: a stored one (Hyperbolic view) or an embedding file');
  }
  let baselineRun: RunDetail | null = null;
  if (req.baselineRunId !== undefined && req.baselineRunId !== null) {
    baselineRun = deps.runs.get(req.baselineRunId) ?? null;
    if (!baselineRun) throw new AppError('not-found', `No run ${req.baselineRunId} to compare with`);
  }
  return {
    payload: { kind: req.kind, lambda, normalise, embedding, overrides: checkLabelMap(req.labelMap), baseline: !baselineRun && req.baseline !== false },
    baselineRun,
  };
}

/** A level's figures reordered to `labels` (by name), or null when the label sets differ. */
function reorder(level: LevelReport, from: readonly string[], labels: readonly string[]): LevelReport | null {
  if (from.length !== labels.length) return null;
  const at = labels.map((l) => from.indexOf(l));
  if (at.some((i) => i < 0)) return null;
  return {
    ...level,
    perClass: at.map((i) => level.perClass[i]!),
    confusion: at.map((r) => at.map((c) => level.confusion[r]![c]!)),
  };
}

/** The run's LossReport from the worker's result (and a stored baseline run, if one was chosen). */
export function lossReport(r: TrainLossResult, metrics: RunMetrics, baselineRun: RunDetail | null): LossReport {
  const labels = metrics.labels;
  const K = labels.length;
  const D = r.distances;
  const sev = severityFromConfusion(metrics.confusion, D, K);
  const trackSev = metrics.trackLevel ? severityFromConfusion(metrics.trackLevel.confusion, D, K).severity : null;
  const warnings = [...r.warnings];
  let base: { row: LevelReport; track: LevelReport | null } | null = null;
  let baseline: LossReport['baseline'] = null;
  if (r.baseline) {
    base = { row: r.baseline.rowReport, track: r.baseline.trackReport };
  } else if (baselineRun) {
    const m = baselineRun.metrics;
    const row = reorder(m, m.labels, labels);
    if (!row) warnings.push(`run #${baselineRun.id} has other labels (${m.labels.join(', ')}): no comparison`);
    else {
      base = { row, track: m.trackLevel ? reorder(m.trackLevel, m.labels, labels) : null };
      if (m.n !== metrics.n || m.folds !== metrics.folds || m.unit !== metrics.unit) {
        warnings.push(`run #${baselineRun.id} was evaluated on ${m.n} ${m.unit}s in ${m.folds} folds, this run on ${metrics.n} ${metrics.unit}s in ${metrics.folds}: the comparison is loose`);
      }
    }
  }
  if (base) {
    baseline = {
      source: r.baseline ? 'same-job' : 'run',
      ...(r.baseline ? {} : { runId: baselineRun!.id }),
      accuracy: base.row.accuracy,
      macroF1: base.row.macroF1,
      mistakeSeverity: severityFromConfusion(base.row.confusion, D, K).severity,
      trackAccuracy: base.track?.accuracy ?? null,
      trackMistakeSeverity: base.track ? severityFromConfusion(base.track.confusion, D, K).severity : null,
    };
  }
  const delta = base
    ? deltaF1Points(
        labels,
        metrics.perClass.map((c) => c.f1),
        base.row.perClass.map((c) => c.f1),
        D,
      )
    : null;
  return {
    loss: r.kind,
    lambda: r.lambda,
    embedding: r.embedding,
    mapping: r.mapping,
    distances: distanceRows(D, K),
    normalise: r.normalise,
    scale: r.scale,
    offset: r.offset,
    mistakeSeverity: sev.severity,
    mistakes: sev.mistakes,
    trackMistakeSeverity: trackSev,
    baseline,
    deltaF1: delta ? delta.points : null,
    deltaF1Correlation: delta ? delta.correlation : null,
    warnings,
  };
}

/** Sets metrics.hyperbolic and adds its warnings to the run's. */
export function attachLossReport(metrics: RunMetrics, r: TrainLossResult | undefined, baselineRun: RunDetail | null): void {
  if (!r) return;
  const report = lossReport(r, metrics, baselineRun);
  metrics.hyperbolic = report;
  metrics.warnings.push(...report.warnings);
}

/** The fields metrics.json gains (only "loss" for a run without an embedding). */
export function lossMetricsJson(m: RunMetrics): Record<string, unknown> {
  const h = m.hyperbolic;
  if (!h) return { loss: 'ce' };
  return {
    loss: h.loss,
    lambda: h.lambda,
    ...(h.loss !== 'ce' ? { distanceNorm: h.normalise } : {}),
    mistakeSeverity: h.mistakeSeverity,
    ...(h.trackMistakeSeverity !== null ? { trackMistakeSeverity: h.trackMistakeSeverity } : {}),
    embedding: h.embedding,
    labelMap: Object.fromEntries(h.mapping.map((x) => [x.label, x.genre])),
    ...(h.baseline
      ? {
          baseline: { accuracy: h.baseline.accuracy, macroF1: h.baseline.macroF1, mistakeSeverity: h.baseline.mistakeSeverity, source: h.baseline.source, ...(h.baseline.runId !== undefined ? { runId: h.baseline.runId } : {}) },
          deltaF1: h.deltaF1,
          deltaF1Correlation: h.deltaF1Correlation,
        }
      : {}),
  };
}

/** A run name's suffix for a loss: " · hyperbolic-weighted λ 1". */
export function lossNameSuffix(req: LossRequest | undefined): string {
  return req && req.kind !== 'ce' ? ` · ${req.kind} λ ${req.lambda ?? DEFAULT_LAMBDA}` : '';
}

/** `train.lossMapping`: the automatic map of the chosen data's labels against an embedding. */
export async function lossMapping(deps: { db: DB; store: LibraryStore }, req: LossMappingRequest): Promise<LossMappingResult> {
  const emb = await loadLossEmbedding(deps.db, req ?? {});
  if (!emb) throw bad('Choose an embedding');
  let labels = req.labels;
  if (!labels) {
    const folders = req.folderIds ?? deps.store.folders().filter((f) => !req.profile || f.profile === req.profile).map((f) => f.id);
    const set = new Set<string>();
    for (const id of folders) for (const t of deps.store.tracks(id)) if (t.label && t.status !== 'failed') set.add(t.label);
    labels = [...set].sort();
  }
  const index = new GenreIndex(emb.names);
  const mapping = mapLabelsToGenres(labels, index, checkLabelMap(req.labelMap));
  const genreOf = new Map(mapping.map((m) => [m.label, m.genre ?? '\u0000unmapped']));
  const cd = classDistanceMatrix(labels, genreOf, { names: emb.names, vectors: emb.vectors, dim: emb.dim }, emb.model);
  return {
    embedding: { id: emb.id, name: emb.name, model: emb.model, dim: emb.dim, nodes: emb.names.length },
    mapping,
    genres: [...index.names],
    distances: distanceRows(cd.D, labels.length),
    unmapped: unmappedReport(mapping),
  };
}
