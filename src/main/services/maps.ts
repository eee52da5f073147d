// Maps service: build the point set (features of tracks or segments), project it in a worker with
// animated frames, store the map, sweep clusterings over k, export for the Embedding Projector.
import { AppError } from '../../shared/errors';
import type { ClusterSweep, ExportedFile, MapDetail, MapPoint, MapRequest } from '../../shared/types';
import { standardize } from '../engine/latent/linalg';
import { estimateTsneMemory } from '../engine/latent/tsne';
import type { JobContext } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { LibraryStore } from '../store/library';
import type { MapStore } from '../store/maps';
import type { RunStore } from '../store/runs';
import { datasetFromStore, type Dataset } from './dataset';
import { DEFAULT_PROFILE } from '../engine/features';
import { readManifest } from '../engine/ml/manifest';
import { setIdForProfile } from './training';

export const TSNE_MAX_POINTS = 100_000;

export interface MapDeps {
  store: LibraryStore;
  maps: MapStore;
  runs: RunStore;
  pool: WorkerPool;
  onFrame?: (f: { iteration: number; total: number; dims: number; points: string; meta?: MapPoint[]; labels?: string[] }) => void;
}

export interface PointSet {
  X: Float64Array;
  n: number;
  d: number;
  meta: MapPoint[];
  labels: string[];
  source: string;
}

export function checkMapRequest(req: MapRequest): Required<Pick<MapRequest, 'perplexity' | 'iterations' | 'neighbours' | 'minDist' | 'seed'>> {
  if (!req || !['tsne', 'umap', 'pca'].includes(req.method)) throw new AppError('bad-request', 'method must be tsne, umap or pca');
  if (req.dims !== 2 && req.dims !== 3) throw new AppError('bad-request', 'dims must be 2 or 3');
  const perplexity = req.perplexity ?? 30;
  const iterations = req.iterations ?? 1000;
  const neighbours = req.neighbours ?? 15;
  const minDist = req.minDist ?? 0.1;
  if (!(perplexity >= 2 && perplexity <= 200)) throw new AppError('bad-request', 'perplexity must be from 2 to 200');
  if (!(Number.isInteger(iterations) && iterations >= 50 && iterations <= 10000)) throw new AppError('bad-request', 'iterations must be a whole number from 50 to 10,000');
  if (!(Number.isInteger(neighbours) && neighbours >= 2 && neighbours <= 200)) throw new AppError('bad-request', 'neighbours must be from 2 to 200');
  if (!(minDist >= 0 && minDist <= 1)) throw new AppError('bad-request', 'min distance must be from 0 to 1');
  return { perplexity, iterations, neighbours, minDist, seed: req.seed ?? 0 };
}

/** Standardised points and their metadata from a dataset (rows = tracks or segments). */
export function pointsFromDataset(ds: Dataset, source: string): PointSet {
  const X = standardize(Float64Array.from(ds.X), ds.rows, ds.cols);
  const meta: MapPoint[] = Array.from({ length: ds.rows }, (_, i) => {
    const t = ds.tracks[ds.rowTrack[i]!]!;
    const seg = ds.rowSegment[i]!;
    if (seg < 0) return { trackId: t.trackId, name: t.name, label: t.label, predicted: null };
    const start = seg * ds.segmentSeconds;
    const end = (seg + 1) * ds.segmentSeconds;
    return { trackId: t.trackId, name: `${t.name} [${start}–${end} s]`, label: t.label, predicted: null, start, end };
  });
  return { X, n: ds.rows, d: ds.cols, meta, labels: [...new Set(ds.rowLabels)].sort(), source };
}

/**
 * A run's model seen from inside: the penultimate-layer activations of the run's saved dense network
 * for every track it was trained on (track level: the mean of its segments' embeddings, as the
 * latent-space study does for models whose input is shorter than the track), with the run's
 * out-of-fold predictions as each point's prediction.
 */
export async function modelPointSet(deps: MapDeps, runId: number, signal?: AbortSignal): Promise<PointSet> {
  const run = deps.runs.get(runId);
  if (!run) throw new AppError('not-found', `No run ${runId}`);
  const modelDir = deps.runs.modelDir(runId);
  if (!modelDir) throw new AppError('not-found', 'This run kept no trained model to look inside');
  const manifest = await readManifest(modelDir);
  const ds = datasetFromStore(deps.store, {
    setId: setIdForProfile(deps.store, run.profile),
    folderIds: run.request.folderIds,
    segments: run.segments,
    columns: manifest.columns ?? run.request.columns,
  });
  const r = await deps.pool.run('model-embed', { modelDir, X: ds.X, rows: ds.rows, cols: ds.cols }, signal);
  // Track level: average the rows (segments) of each track.
  const T = ds.tracks.length;
  const sums = new Float64Array(T * r.dims);
  const counts = new Float64Array(T);
  for (let i = 0; i < ds.rows; i++) {
    const t = ds.rowTrack[i]!;
    counts[t]++;
    for (let j = 0; j < r.dims; j++) sums[t * r.dims + j] += r.embedding[i * r.dims + j]!;
  }
  for (let t = 0; t < T; t++) for (let j = 0; j < r.dims; j++) sums[t * r.dims + j] /= Math.max(1, counts[t]!);
  const predicted = new Map(deps.runs.predictions(runId).map((p) => [p.trackId ?? p.name, p.predicted]));
  const meta: MapPoint[] = ds.tracks.map((t) => ({ trackId: t.trackId, name: t.name, label: t.label, predicted: predicted.get(t.trackId ?? t.name) ?? null }));
  return {
    X: sums,
    n: T,
    d: r.dims,
    meta,
    labels: [...new Set(ds.tracks.map((t) => t.label))].sort(),
    source: `run #${runId} ${run.modelLabel}: ${r.layer}${run.segments ? ', mean over segments' : ''}`,
  };
}

export function pointSetFor(deps: MapDeps, req: MapRequest): PointSet {
  if (req.source.kind === 'run') throw new AppError('bad-request', 'model maps are built with modelPointSet');
  const src = req.source;
  const profile = src.profile ?? DEFAULT_PROFILE;
  const ds = datasetFromStore(deps.store, { setId: setIdForProfile(deps.store, profile), folderIds: src.folderIds, segments: src.segments, columns: src.columns });
  return pointsFromDataset(ds, `${profile} features${src.segments ? ', 3-second segments' : ''}${src.columns?.length ? `, ${src.columns.length} columns` : ''}`);
}

/** Refuse what would exhaust memory, with a suggestion. */
export function checkSize(method: MapRequest['method'], n: number, d: number, dims: number, perplexity: number): void {
  if (n < 3) throw new AppError('bad-request', `A map needs at least 3 points (there are ${n})`);
  if (method === 'tsne' && n > TSNE_MAX_POINTS) {
    const gb = estimateTsneMemory(n, d, dims, Math.ceil(3 * perplexity)) / 2 ** 30;
    throw new AppError(
      'bad-request',
      `t-SNE of ${n.toLocaleString('en')} points is refused (about ${gb.toFixed(1)} GB and a very long run): use PCA or UMAP, or map a sample of at most ${TSNE_MAX_POINTS.toLocaleString('en')} points`,
    );
  }
  if (method === 'umap' && n > 50_000) {
    throw new AppError('bad-request', `UMAP of ${n.toLocaleString('en')} points would take very long here: use PCA, or map a sample of at most 50,000 points`);
  }
}

export async function runMap(deps: MapDeps, req: MapRequest, ctx: JobContext, points?: PointSet): Promise<{ mapId: number; warnings: string[] }> {
  const o = checkMapRequest(req);
  const ps = points ?? (req.source.kind === 'run' ? await modelPointSet(deps, req.source.runId, ctx.signal) : pointSetFor(deps, req));
  checkSize(req.method, ps.n, ps.d, req.dims, o.perplexity);
  ctx.progress(0, 1, `${req.method} of ${ps.n} points`);
  let first = true;
  const r = await deps.pool.run(
    'embed',
    { X: ps.X, n: ps.n, d: ps.d, method: req.method, dims: req.dims, ...o, frames: true },
    ctx.signal,
    (f) => {
      ctx.progress(f.iteration, f.total, `${req.method}: iteration ${f.iteration} of ${f.total}`);
      const points = Buffer.from(f.points.buffer, f.points.byteOffset, f.points.byteLength).toString('base64');
      deps.onFrame?.({ iteration: f.iteration, total: f.total, dims: req.dims, points, ...(first ? { meta: ps.meta, labels: ps.labels } : {}) });
      first = false;
    },
  );
  const name = req.name?.trim() || `${req.method === 'tsne' ? 't-SNE' : req.method.toUpperCase()} ${req.dims}-D · ${ps.source}`;
  const mapId = deps.maps.insert({
    name,
    method: req.method,
    dims: req.dims,
    source: ps.source,
    request: { ...req, ...o },
    points: r.points,
    meta: ps.meta,
    labels: ps.labels,
    warnings: r.warnings,
    trustworthiness: r.trustworthiness,
    seconds: r.seconds,
  });
  return { mapId, warnings: r.warnings };
}

export async function runCluster(
  deps: MapDeps,
  mapId: number,
  o: { kMin: number; kMax: number; seeds?: number; space?: 'map' | 'features' },
  ctx: JobContext,
): Promise<ClusterSweep> {
  const map = deps.maps.get(mapId);
  if (!map) throw new AppError('not-found', `No map ${mapId}`);
  if (!(Number.isInteger(o.kMin) && Number.isInteger(o.kMax) && o.kMin >= 2 && o.kMax >= o.kMin && o.kMax <= 50)) {
    throw new AppError('bad-request', 'k must run over whole numbers with 2 ≤ kMin ≤ kMax ≤ 50');
  }
  const seeds = o.seeds ?? 5;
  if (!(Number.isInteger(seeds) && seeds >= 1 && seeds <= 20)) throw new AppError('bad-request', 'seeds must be from 1 to 20');
  const space = o.space ?? 'map';
  let X: Float64Array;
  let d: number;
  if (space === 'map') {
    const c = deps.maps.coordinates(mapId)!;
    X = Float64Array.from(c.points);
    d = c.dims;
  } else {
    const ps = map.request.source.kind === 'run' ? await modelPointSet(deps, map.request.source.runId, ctx.signal) : pointSetFor(deps, map.request);
    if (ps.n !== map.n) throw new AppError('conflict', 'The library changed since this map was made: make the map again');
    X = ps.X;
    d = ps.d;
  }
  const labelIndex = new Map(map.labels.map((l, i) => [l, i]));
  const trueLabels = Int32Array.from(map.meta, (m) => labelIndex.get(m.label) ?? 0);
  const result = await deps.pool.run('cluster', { X, n: map.n, d, kMin: o.kMin, kMax: o.kMax, seeds, trueLabels, space }, ctx.signal, (p) =>
    ctx.progress(p.done, p.total, `clustering: ${p.done} of ${p.total} fits`),
  );
  deps.maps.setClusters(mapId, result);
  return result;
}

export function decodePoints(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** The CLI's map.json: points in input order with labels, file names and figures. */
export function mapJson(map: MapDetail): Record<string, unknown> {
  const pts = decodePoints(map.points);
  const points = Array.from({ length: map.n }, (_, i) => Array.from(pts.subarray(i * map.dims, (i + 1) * map.dims)));
  return {
    points,
    labels: map.meta.map((m) => m.label),
    filenames: map.meta.map((m) => m.name),
    method: map.method,
    dims: map.dims,
    trustworthiness: map.trustworthiness,
    seconds: map.seconds,
    warnings: map.warnings,
  };
}

export function clustersCsv(c: ClusterSweep): string {
  const head = ['k', 'method', 'silhouette_mean', 'silhouette_sd', 'calinski_harabasz_mean', 'calinski_harabasz_sd', 'davies_bouldin_mean', 'davies_bouldin_sd', 'hungarian_accuracy_mean', 'hungarian_accuracy_sd'];
  const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(6));
  const rows = c.cells.map((x) =>
    [x.k, x.method, f(x.silhouette.mean), f(x.silhouette.sd), f(x.calinskiHarabasz.mean), f(x.calinskiHarabasz.sd), f(x.daviesBouldin.mean), f(x.daviesBouldin.sd), f(x.accuracy?.mean), f(x.accuracy?.sd)].join(','),
  );
  return [head.join(','), ...rows].join('\n') + '\n';
}

export function exportMap(map: MapDetail, kind: 'points.tsv' | 'metadata.tsv' | 'clusters.csv' | 'map.json'): ExportedFile {
  const stem = `map-${map.id}`;
  const tsv = (s: string) => s.replace(/[\t\r\n]/g, ' ');
  switch (kind) {
    case 'points.tsv': {
      const pts = decodePoints(map.points);
      const lines = Array.from({ length: map.n }, (_, i) => Array.from(pts.subarray(i * map.dims, (i + 1) * map.dims), (v) => v.toPrecision(7)).join('\t'));
      return { filename: `${stem}-points.tsv`, mime: 'text/tab-separated-values', encoding: 'utf8', data: lines.join('\n') + '\n' };
    }
    case 'metadata.tsv': {
      const best = map.clusters?.cells.find((c) => c.k === map.clusters!.bestK && c.method === map.clusters!.bestMethod);
      const head = ['name', 'label', 'predicted', ...(best ? ['cluster'] : [])].join('\t');
      const lines = map.meta.map((m, i) => [tsv(m.name), tsv(m.label), tsv(m.predicted ?? ''), ...(best ? [String(best.labels[i])] : [])].join('\t'));
      return { filename: `${stem}-metadata.tsv`, mime: 'text/tab-separated-values', encoding: 'utf8', data: [head, ...lines].join('\n') + '\n' };
    }
    case 'clusters.csv':
      if (!map.clusters) throw new AppError('not-found', 'This map has not been clustered yet');
      return { filename: `${stem}-clusters.csv`, mime: 'text/csv', encoding: 'utf8', data: clustersCsv(map.clusters) };
    case 'map.json':
      return { filename: `${stem}.json`, mime: 'application/json', encoding: 'utf8', data: JSON.stringify(mapJson(map)) };
    default:
      throw new AppError('bad-request', `unknown export ${String(kind)}`);
  }
}

