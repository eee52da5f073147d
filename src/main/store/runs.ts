// Training runs: settings, metrics, curves and per-track predictions, written in one transaction
// when a run finishes (a cancelled or crashed run leaves nothing behind).
import type { EpochPoint, RunDetail, RunMetrics, RunSummary, TrackPrediction, TrainRequest } from '../../shared/types';
import { fromBlob, toBlob, type DB } from './db';

export interface RunWrite {
  name: string;
  model: string;
  modelLabel: string;
  description: string;
  profile: string;
  segments: boolean;
  evaluation: string;
  request: TrainRequest;
  params: Record<string, unknown>;
  metrics: RunMetrics;
  curves: EpochPoint[];
  modelDir: string | null;
  predictions: TrackPrediction[];
}

interface RunRow {
  id: number;
  name: string;
  created_at: string;
  model: string;
  model_label: string;
  description: string;
  profile: string;
  segments: number;
  evaluation: string;
  request: string;
  params: string;
  metrics: string;
  curves: string;
  accuracy: number;
  macro_f1: number;
  track_accuracy: number | null;
  n: number;
  backend: string;
  seconds: number;
  model_dir: string | null;
  ap?: number | null;
  coverage_error?: number | null;
}

const SUMMARY_COLS = `id, name, created_at, model, model_label, profile, segments, evaluation, accuracy, macro_f1,
  track_accuracy, n, backend, seconds, model_dir, json_extract(metrics, '$.labels') AS labels,
  json_extract(metrics, '$.ap') AS ap, json_extract(metrics, '$.coverageError') AS coverage_error`;

export class RunStore {
  constructor(readonly db: DB) {}

  insert(r: RunWrite): number {
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO runs (name, created_at, model, model_label, description, profile, segments, evaluation, request,
               params, metrics, curves, accuracy, macro_f1, track_accuracy, n, backend, seconds, model_dir)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          )
          .run(
            r.name,
            new Date().toISOString(),
            r.model,
            r.modelLabel,
            r.description,
            r.profile,
            r.segments ? 1 : 0,
            r.evaluation,
            JSON.stringify(r.request),
            JSON.stringify(r.params),
            JSON.stringify(r.metrics),
            JSON.stringify(r.curves),
            r.metrics.accuracy,
            r.metrics.macroF1,
            r.metrics.trackLevel?.accuracy ?? null,
            r.metrics.n,
            r.metrics.backend,
            r.metrics.seconds,
            r.modelDir,
          ).lastInsertRowid,
      );
      const ins = this.db.prepare(
        `INSERT INTO run_predictions (run_id, pos, track_id, name, label, predicted, confidence, fold, probs, segments)
         VALUES (?,?,?,?,?,?,?,?,?,?)`,
      );
      r.predictions.forEach((p, pos) => {
        ins.run(id, pos, p.trackId, p.name, p.label, p.predicted, p.confidence, p.fold, toBlob(p.probs), p.segments ? JSON.stringify(p.segments) : null);
      });
      return id;
    })();
  }

  list(): RunSummary[] {
    return (this.db.prepare(`SELECT ${SUMMARY_COLS} FROM runs ORDER BY id DESC`).all() as (RunRow & { labels: string })[]).map(toSummary);
  }

  get(id: number): RunDetail | undefined {
    const r = this.db
      .prepare(`SELECT *, json_extract(metrics, '$.labels') AS labels, json_extract(metrics, '$.ap') AS ap, json_extract(metrics, '$.coverageError') AS coverage_error FROM runs WHERE id = ?`)
      .get(id) as
      | (RunRow & { labels: string })
      | undefined;
    if (!r) return undefined;
    return {
      ...toSummary(r),
      params: JSON.parse(r.params) as Record<string, unknown>,
      request: JSON.parse(r.request) as TrainRequest,
      metrics: JSON.parse(r.metrics) as RunMetrics,
      curves: JSON.parse(r.curves) as EpochPoint[],
      description: r.description,
    };
  }

  modelDir(id: number): string | null {
    const r = this.db.prepare('SELECT model_dir FROM runs WHERE id = ?').get(id) as { model_dir: string | null } | undefined;
    return r?.model_dir ?? null;
  }

  predictions(id: number): TrackPrediction[] {
    const rows = this.db
      .prepare(
        `SELECT track_id, name, label, predicted, confidence, fold, probs, segments FROM run_predictions
         WHERE run_id = ? ORDER BY pos`,
      )
      .all(id) as {
      track_id: number | null;
      name: string;
      label: string;
      predicted: string;
      confidence: number;
      fold: number;
      probs: Buffer;
      segments: string | null;
    }[];
    return rows.map((p) => ({
      trackId: p.track_id,
      name: p.name,
      label: p.label,
      predicted: p.predicted,
      confidence: p.confidence,
      fold: p.fold,
      probs: Array.from(fromBlob(p.probs)),
      segments: p.segments ? (JSON.parse(p.segments) as TrackPrediction['segments']) : null,
    }));
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }
}

function toSummary(r: RunRow & { labels: string }): RunSummary {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    model: r.model,
    modelLabel: r.model_label,
    profile: r.profile,
    segments: !!r.segments,
    evaluation: r.evaluation,
    labels: JSON.parse(r.labels ?? '[]') as string[],
    accuracy: r.accuracy,
    macroF1: r.macro_f1,
    trackAccuracy: r.track_accuracy,
    n: r.n,
    backend: r.backend,
    seconds: r.seconds,
    hasModel: !!r.model_dir,
    ap: r.ap ?? null,
    coverageError: r.coverage_error ?? null,
  };
}
