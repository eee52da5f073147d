// Out-of-domain placement: the tracks of a second folder (music the map never saw) placed into an
// existing map among its training points, in the space the map was made from — the standardised
// features of a features map (with the map's own means and deviations), or the hidden layer of a
// model map — then projected (PCA), transformed (UMAP) or put at the distance-weighted mean of their
// nearest map points (t-SNE). The placement is stored with the map and drawn as its own group.
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import type { PlacedPoint, PlaceOutcome, PlaceRequest } from '../../shared/probes';
import type { MapDetail } from '../../shared/types';
import { DEFAULT_PROFILE } from '../engine/features';
import { readManifest } from '../engine/ml/manifest';
import { applyStats, columnStats } from '../engine/probe/place';
import type { JobContext } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { LibraryStore } from '../store/library';
import type { MapStore } from '../store/maps';
import type { ProbeStore } from '../store/probes';
import type { RunStore } from '../store/runs';
import { SEGMENT_SECONDS } from './library';
import { setIdForProfile } from './training';
import { columnPositions } from './dataset';

export interface PlaceDeps {
  store: LibraryStore;
  maps: MapStore;
  runs: RunStore;
  probes: ProbeStore;
  pool: WorkerPool;
}

/** What a map was made from: the feature set, columns, segments, and the model (model maps). */
export interface MapSpace {
  profile: string;
  setId: number;
  columns: string[] | undefined;
  segments: boolean;
  modelDir: string | null;
  label: string;
}

export function mapSpace(deps: Pick<PlaceDeps, 'store' | 'runs'>, map: MapDetail): MapSpace {
  const src = map.request.source;
  if (src.kind === 'features') {
    const profile = src.profile ?? DEFAULT_PROFILE;
    return { profile, setId: setIdForProfile(deps.store, profile), columns: src.columns?.length ? src.columns : undefined, segments: !!src.segments, modelDir: null, label: `${profile} features` };
  }
  const run = deps.runs.get(src.runId);
  if (!run) throw new AppError('not-found', `The run this map was made of (#${src.runId}) is gone`);
  const modelDir = deps.runs.modelDir(src.runId);
  if (!modelDir) throw new AppError('not-found', `Run #${src.runId} kept no model`);
  return { profile: run.profile, setId: setIdForProfile(deps.store, run.profile), columns: run.request.columns, segments: run.segments, modelDir, label: `run #${run.id}` };
}

/** The profile a folder needs features of to be placed into this map. */
export function mapProfile(deps: Pick<PlaceDeps, 'store' | 'runs'>, map: MapDetail): string {
  const src = map.request.source;
  if (src.kind === 'features') return src.profile ?? DEFAULT_PROFILE;
  const run = deps.runs.get(src.runId);
  if (!run) throw new AppError('not-found', `The run this map was made of (#${src.runId}) is gone`);
  return run.profile;
}

function columnIndex(all: string[], wanted: string[] | undefined | null): number[] {
  if (!wanted || !wanted.length) return all.map((_, i) => i);
  return columnPositions(all, wanted, (missing) => new AppError('conflict', `The feature set lacks columns the map used: ${missing.slice(0, 6).join(', ')}`));
}

interface Row {
  /** Index of the point the row belongs to. */
  point: number;
  vec: Float32Array;
}

export async function runPlace(deps: PlaceDeps, req: PlaceRequest & { folderId: number }, ctx: JobContext): Promise<PlaceOutcome> {
  const map = deps.maps.get(req.mapId);
  if (!map) throw new AppError('not-found', `No map ${req.mapId}`);
  const folder = deps.store.folder(req.folderId);
  if (!folder) throw new AppError('not-found', `No library folder ${req.folderId}`);
  const k = req.k ?? 10;
  if (!(Number.isInteger(k) && k >= 1 && k <= 100)) throw new AppError('bad-request', 'k must be a whole number from 1 to 100');
  if (map.meta.some((m) => m.trackId === null)) throw new AppError('unsupported', 'This map was made from a feature table outside the library: its points cannot be recomputed, so nothing can be placed into it');
  const space = mapSpace(deps, map);
  const setCols = deps.store.featureSet(space.setId).columns;
  const manifest = space.modelDir ? await readManifest(space.modelDir) : null;
  const cols = columnIndex(setCols, manifest?.columns ?? space.columns);
  const d0 = cols.length;
  const pick = (v: Float32Array) => Float32Array.from(cols, (j) => v[j]!);

  // The map's own points, in the map's order.
  ctx.progress(0, 3, 'recomputing the map’s points');
  const mapRows: Row[] = [];
  const cache = new Map<number, { track: Float32Array; segments: Float32Array[] }>();
  const featuresOf = (trackId: number) => {
    let f = cache.get(trackId);
    if (!f) {
      f = deps.store.features(trackId, space.setId);
      if (!f) throw new AppError('conflict', 'The library changed since this map was made (a track lost its features): make the map again');
      cache.set(trackId, f);
    }
    return f;
  };
  map.meta.forEach((m, i) => {
    const f = featuresOf(m.trackId!);
    if (space.modelDir) {
      for (const v of space.segments && f.segments.length ? f.segments : [f.track]) mapRows.push({ point: i, vec: pick(v) });
    } else if (space.segments && m.start !== undefined) {
      const s = f.segments[Math.round(m.start / SEGMENT_SECONDS)];
      if (!s) throw new AppError('conflict', 'The library changed since this map was made: make the map again');
      mapRows.push({ point: i, vec: pick(s) });
    } else mapRows.push({ point: i, vec: pick(f.track) });
  });
  cache.clear();

  // The folder's tracks that are not points of the map already.
  const inMap = new Set(map.meta.map((m) => m.trackId));
  const group = `out of domain: ${basename(folder.path)}`;
  const newMeta: PlacedPoint[] = [];
  const newRows: Row[] = [];
  let skipped = 0;
  let missing = 0;
  for (const t of deps.store.tracks(req.folderId)) {
    if (t.status !== 'ok') continue;
    if (inMap.has(t.id)) {
      skipped++;
      continue;
    }
    const f = deps.store.features(t.id, space.setId);
    if (!f) {
      missing++;
      continue;
    }
    const base = { trackId: t.id, label: t.label ?? '', predicted: null, group, nearest: null };
    if (space.modelDir) {
      const point = newMeta.push({ ...base, name: t.relPath }) - 1;
      for (const v of space.segments && f.segments.length ? f.segments : [f.track]) newRows.push({ point, vec: pick(v) });
    } else if (space.segments && f.segments.length) {
      f.segments.forEach((s, si) => {
        const start = si * SEGMENT_SECONDS;
        const point = newMeta.push({ ...base, name: `${t.relPath} [${start}–${start + SEGMENT_SECONDS} s]`, start, end: start + SEGMENT_SECONDS }) - 1;
        newRows.push({ point, vec: pick(s) });
      });
    } else {
      const point = newMeta.push({ ...base, name: t.relPath }) - 1;
      newRows.push({ point, vec: pick(f.track) });
    }
  }
  if (newMeta.length === 0) {
    throw new AppError(
      'bad-request',
      missing > 0
        ? `The tracks of ${folder.path} have no ${space.profile} features (the folder was analysed with profile ${folder.profile}): add it again with ${space.profile}`
        : skipped > 0
          ? `Every track of ${folder.path} is already a point of this map`
          : `${folder.path} has no tracks with audio to place`,
    );
  }
  ctx.checkCancelled();

  // Into the map's space.
  const n = map.n;
  const m = newMeta.length;
  let X: Float64Array;
  let Q: Float64Array;
  let d: number;
  if (space.modelDir) {
    ctx.progress(1, 3, `embedding ${n + m} tracks with the model`);
    const all = [...mapRows, ...newRows.map((r) => ({ point: n + r.point, vec: r.vec }))];
    const flat = new Float32Array(all.length * d0);
    all.forEach((r, i) => flat.set(r.vec, i * d0));
    const emb = await deps.pool.run('probe-embed', { modelDir: space.modelDir, X: flat, rows: all.length, cols: d0 }, ctx.signal);
    d = emb.dims;
    const sums = new Float64Array((n + m) * d);
    const counts = new Float64Array(n + m);
    all.forEach((r, i) => {
      counts[r.point]++;
      for (let j = 0; j < d; j++) sums[r.point * d + j] += emb.embedding[i * d + j]!;
    });
    for (let p = 0; p < n + m; p++) for (let j = 0; j < d; j++) sums[p * d + j] /= Math.max(1, counts[p]!);
    X = sums.slice(0, n * d);
    Q = sums.slice(n * d);
  } else {
    d = d0;
    const raw = new Float64Array(n * d);
    mapRows.forEach((r) => raw.set(r.vec, r.point * d));
    const rawQ = new Float64Array(m * d);
    newRows.forEach((r) => rawQ.set(r.vec, r.point * d));
    // The map was made of features standardised over its own points: the new ones get the same scaling.
    const stats = columnStats(raw, n, d);
    X = applyStats(raw, n, d, stats);
    Q = applyStats(rawQ, m, d, stats);
  }
  ctx.checkCancelled();
  ctx.progress(2, 3, `placing ${m} points (${map.method})`);
  const coords = deps.maps.coordinates(map.id)!;
  const req0 = map.request;
  const r = await deps.pool.run(
    'map-place',
    {
      method: map.method,
      X,
      n,
      d,
      Y: coords.points,
      dims: map.dims,
      Q,
      m,
      k,
      labels: map.meta.map((p) => p.label),
      neighbours: req0.neighbours ?? 15,
      minDist: req0.minDist ?? 0.1,
      seed: req0.seed ?? 0,
    },
    ctx.signal,
  );
  ctx.checkCancelled();
  r.nearest.forEach((l, i) => (newMeta[i]!.nearest = l || null));
  const landing = [...r.nearest.reduce((acc, l) => acc.set(l, (acc.get(l) ?? 0) + 1), new Map<string, number>())]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const warnings = [...r.warnings];
  if (skipped) warnings.push(`${skipped} track${skipped === 1 ? ' is' : 's are'} already points of the map and ${skipped === 1 ? 'was' : 'were'} left out`);
  if (missing) warnings.push(`${missing} track${missing === 1 ? ' has' : 's have'} no ${space.profile} features and ${missing === 1 ? 'was' : 'were'} left out`);
  const placementId = deps.probes.insertPlacement({
    mapId: map.id,
    name: group,
    folderId: folder.id,
    folderPath: folder.path,
    method: r.method,
    note: r.note,
    n: m,
    dims: map.dims,
    points: r.points,
    meta: newMeta,
    landing,
    warnings,
  });
  ctx.progress(3, 3, 'placed');
  return { placementId, mapId: map.id, n: m, method: r.method, skipped };
}

/** The library folder a placement request names, or null when its path must be added to the library first. */
export function placementFolder(store: LibraryStore, req: PlaceRequest, absPath: string | null): number | null {
  if (req.folderId !== undefined) {
    if (!store.folder(req.folderId)) throw new AppError('not-found', `No library folder ${req.folderId}`);
    return req.folderId;
  }
  if (!absPath) throw new AppError('bad-request', 'Choose a library folder or a folder path to place');
  return store.folders().find((f) => f.path === absPath)?.id ?? null;
}
