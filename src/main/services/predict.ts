// Predicting with a saved model: from a feature table, or from audio (features extracted with the
// model's own profile in the worker pool, without touching the library).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { TrackPrediction } from '../../shared/types';
import { initBackend } from '../engine/ml/backend';
import { readManifest, type ModelManifest } from '../engine/ml/manifest';
import { registry } from '../engine/models';
import type { WorkerPool } from '../jobs/pool';
import { columnPositions, datasetFromCsv, type Dataset } from './dataset';
import { readSidecar, resolveLabel } from './labels';
import { SEGMENT_SECONDS, checkFolder } from './library';
import { scanFolder } from './scan';

/** Written beside a saved model: how its rows were made. */
export interface TrainingInfo {
  segments: boolean;
  segmentSeconds: number;
  profile: string;
  evaluation: string;
}
export const TRAINING_INFO = 'genrelab-training.json';

export async function readTrainingInfo(dir: string): Promise<TrainingInfo> {
  try {
    return JSON.parse(await readFile(join(dir, TRAINING_INFO), 'utf8')) as TrainingInfo;
  } catch {
    return { segments: false, segmentSeconds: SEGMENT_SECONDS, profile: '', evaluation: '' };
  }
}

export interface PredictResult {
  labels: string[];
  predictions: TrackPrediction[];
  failed: { path: string; reason: string }[];
  backend: string;
}

/** Reorder a dataset's columns to the model's; a missing column is a clear error. */
export function alignColumns(ds: Dataset, manifest: ModelManifest): Float32Array {
  const want = manifest.columns;
  if (!want) return ds.X;
  const idx = columnPositions(ds.columns, want, (missing) => new AppError('bad-request', `The table lacks columns the model needs: ${missing.slice(0, 8).join(', ')}`));
  const out = new Float32Array(ds.rows * want.length);
  for (let r = 0; r < ds.rows; r++) for (let j = 0; j < want.length; j++) out[r * want.length + j] = ds.X[r * ds.cols + idx[j]!]!;
  return out;
}

async function predictDataset(modelDir: string, manifest: ModelManifest, ds: Dataset, known: boolean): Promise<Omit<PredictResult, 'failed'>> {
  const backend = registry.get(manifest.kind).usesTensors ? await initBackend() : 'js';
  const model = await registry.load(modelDir);
  try {
    const X = alignColumns(ds, manifest);
    const cols = manifest.columns?.length ?? ds.cols;
    const K = model.labels.length;
    const proba = model.predictProba({ data: X, rows: ds.rows, cols });
    const predictions: TrackPrediction[] = ds.tracks.map((t, ti) => {
      const rows: number[] = [];
      for (let i = 0; i < ds.rows; i++) if (ds.rowTrack[i] === ti) rows.push(i);
      const probs = new Array<number>(K).fill(0);
      for (const i of rows) for (let c = 0; c < K; c++) probs[c]! += proba[i * K + c]! / rows.length;
      let best = 0;
      for (let c = 1; c < K; c++) if (probs[c]! > probs[best]!) best = c;
      return {
        trackId: t.trackId,
        name: t.name,
        label: known ? t.label : '',
        predicted: model.labels[best]!,
        confidence: probs[best]!,
        probs,
        fold: -1,
        segments: ds.segments
          ? rows.map((i) => {
              let b = 0;
              for (let c = 1; c < K; c++) if (proba[i * K + c]! > proba[i * K + b]!) b = c;
              const s = Math.max(0, ds.rowSegment[i]!);
              return { index: s, start: s * SEGMENT_SECONDS, end: (s + 1) * SEGMENT_SECONDS, predicted: model.labels[b]!, confidence: proba[i * K + b]! };
            })
          : null,
      };
    });
    return { labels: [...model.labels], predictions, backend };
  } finally {
    model.dispose();
  }
}

export async function predictTable(modelDir: string, tablePath: string): Promise<PredictResult> {
  const manifest = await readManifest(modelDir);
  const info = await readTrainingInfo(modelDir);
  const text = await readFile(tablePath, 'utf8').catch(() => {
    throw new AppError('not-found', `No such table: ${tablePath}`);
  });
  const ds = datasetFromCsv(text, { segments: info.segments, source: tablePath, allowUnlabelled: true });
  return { ...(await predictDataset(modelDir, manifest, ds, true)), failed: [] };
}

export async function predictFolder(modelDir: string, folder: string, pool: WorkerPool, signal?: AbortSignal): Promise<PredictResult> {
  const manifest = await readManifest(modelDir);
  const info = await readTrainingInfo(modelDir);
  const profile = manifest.profile ?? info.profile;
  if (!profile) throw new AppError('bad-request', 'The model does not say which feature profile it was trained on');
  const root = await checkFolder(folder);
  const { files, problems } = await scanFolder(root, signal);
  const { labels: sidecar } = await readSidecar(root);
  const failed = [...problems];
  const names: string[] = [];
  const rowsOut: { name: string; label: string; vectors: Float64Array[] }[] = [];
  await Promise.all(
    files.map(async (f) => {
      const r = await pool.run('ingest-file', { path: f.path, profile, segmentSeconds: SEGMENT_SECONDS, wantTag: !sidecar.has(f.path) }, signal);
      if (!r.ok) {
        failed.push({ path: f.path, reason: r.reason });
        return;
      }
      const { label } = resolveLabel(f.path, sidecar, r.tag);
      rowsOut.push({ name: f.relPath, label: label ?? '', vectors: info.segments ? r.segments : [r.track] });
      names.push(f.relPath);
    }),
  );
  rowsOut.sort((a, b) => (a.name < b.name ? -1 : 1));
  const { getProfile } = await import('../engine/features');
  const columns = [...getProfile(profile).columns];
  const cols = columns.length;
  const all = rowsOut.flatMap((t, ti) => t.vectors.map((v, si) => ({ v, ti, si })));
  const X = new Float32Array(all.length * cols);
  all.forEach((r, i) => X.set(r.v, i * cols));
  const ds: Dataset = {
    X,
    rows: all.length,
    cols,
    columns,
    rowLabels: all.map((r) => rowsOut[r.ti]!.label),
    rowTrack: Int32Array.from(all, (r) => r.ti),
    rowSegment: Int32Array.from(all, (r) => (info.segments ? r.si : -1)),
    groups: all.map((r) => rowsOut[r.ti]!.name),
    tracks: rowsOut.map((t) => ({ key: t.name, trackId: null, name: t.name, label: t.label })),
    segments: info.segments,
    segmentSeconds: SEGMENT_SECONDS,
    unlabelled: 0,
  };
  if (ds.rows === 0) return { labels: manifest.labels, predictions: [], failed, backend: 'none' };
  return { ...(await predictDataset(modelDir, manifest, ds, true)), failed };
}
