// Services of the hierarchical models' views: the Tree view's dendrograms (of the library's genre
// means or of a feature table, built in a worker) and the run panel's Shapley attributions (computed
// in a worker with the run's saved model, cached in the model folder beside the model).
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { AttributionMeta, ExplainRequest, RunAttributions, RunDetail, TreeRequest, TreeResult } from '../../shared/types';
import { DEFAULT_PROFILE } from '../engine/features';
import { backgroundRows, pickRows } from '../engine/hierarchy/explain';
import { LINKAGE_METHODS, LINKAGE_METRICS, type LinkageMethod, type LinkageMetric } from '../engine/hierarchy/linkage';
import { readManifest, type ModelManifest } from '../engine/ml/manifest';
import type { ExplainPayload } from '../jobs/hierarchy';
import type { JobContext } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { LibraryStore } from '../store/library';
import type { RunStore } from '../store/runs';
import { datasetFromStore, type Dataset } from './dataset';
import { alignColumns } from './predict';
import { setIdForProfile } from './training';

export function checkLinkage(linkage: string, metric: string): { linkage: LinkageMethod; metric: LinkageMetric } {
  if (!(LINKAGE_METHODS as readonly string[]).includes(linkage)) throw new AppError('bad-request', `linkage must be one of ${LINKAGE_METHODS.join(', ')}`);
  if (!(LINKAGE_METRICS as readonly string[]).includes(metric)) throw new AppError('bad-request', `metric must be one of ${LINKAGE_METRICS.join(', ')}`);
  if (linkage === 'ward' && metric !== 'euclidean') throw new AppError('bad-request', 'Ward linkage is defined for Euclidean distances only');
  return { linkage: linkage as LinkageMethod, metric: metric as LinkageMetric };
}

/** A dendrogram job: the genre means of library tracks, or a feature table's rows (per-genre) or genre means. */
export async function runTreeBuild(deps: { store: LibraryStore; pool: WorkerPool }, req: TreeRequest, ctx: JobContext): Promise<TreeResult> {
  const { linkage, metric } = checkLinkage(req.linkage, req.metric);
  const t0 = performance.now();
  ctx.progress(0, 1, 'reading the features');
  if (req.source.kind === 'table') {
    const path = resolve(req.source.path.trim());
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) throw new AppError('not-found', `No such table: ${path}`);
    ctx.progress(0, 1, `clustering the rows of ${path} (${linkage}, ${metric})`);
    const r = await deps.pool.run('tree-build', { kind: 'table', path, groupBy: req.source.groupBy?.trim() || undefined, linkage, metric }, ctx.signal);
    ctx.progress(1, 1, 'done');
    return { tree: r.tree, rows: r.rows, source: `table ${path}`, seconds: (performance.now() - t0) / 1000 };
  }
  const folders = req.source.folderIds?.map((id) => deps.store.folder(id));
  if (folders?.some((f) => !f)) throw new AppError('not-found', 'One of the chosen folders is gone');
  const profile = req.source.profile ?? folders?.[0]?.profile ?? DEFAULT_PROFILE;
  const ds = datasetFromStore(deps.store, { setId: setIdForProfile(deps.store, profile), folderIds: req.source.folderIds });
  const genres = new Set(ds.rowLabels).size;
  if (genres < 2) throw new AppError('bad-request', `A tree needs at least two genres; the chosen tracks have ${genres}`);
  ctx.progress(0, 1, `clustering ${genres} genre means of ${ds.tracks.length} tracks (${linkage}, ${metric})`);
  const r = await deps.pool.run('tree-build', { kind: 'rows', X: ds.X, rows: ds.rows, cols: ds.cols, rowLabels: ds.rowLabels, linkage, metric }, ctx.signal);
  ctx.progress(1, 1, 'done');
  const where = folders?.length ? `${folders.length} folder${folders.length === 1 ? '' : 's'}` : 'the library';
  return { tree: r.tree, rows: ds.rows, source: `genre means of ${ds.tracks.length} tracks in ${where} (${profile})`, seconds: (performance.now() - t0) / 1000 };
}

const EXPLAIN_DIR = 'explain';
const GLOBAL_FILE = 'global.json';

function trackFile(trackId: number | null | undefined, name: string | undefined): string {
  const key = trackId !== null && trackId !== undefined ? `id${trackId}` : `name-${(name ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100)}`;
  return `track-${key}.json`;
}

function runDataset(store: LibraryStore, run: RunDetail): Dataset {
  const r = run.request;
  try {
    return datasetFromStore(store, { setId: setIdForProfile(store, run.profile), folderIds: r.folderIds, segments: run.segments, columns: r.columns, groupBy: r.groupBy });
  } catch (err) {
    throw new AppError('not-found', `The tracks run #${run.id} was trained on are not in the library any more`, err instanceof Error ? err.message : String(err));
  }
}

/**
 * What the explain task needs: the rows to explain in the model's column order — one track's rows
 * (`track`, its segments averaged) or `rows` rows stratified by label — and `background` rows drawn
 * from the whole dataset (seeded).
 */
export function explainPayload(
  ds: Dataset,
  manifest: ModelManifest,
  modelDir: string,
  o: { track?: number; rows: number; background: number; samples: number; seed: number },
): ExplainPayload {
  const X = alignColumns(ds, manifest);
  const cols = manifest.columns?.length ?? ds.cols;
  let rows: Int32Array;
  let group: Int32Array;
  let groups: Array<{ name: string; label: string }>;
  if (o.track !== undefined) {
    rows = Int32Array.from(ds.rowTrack.keys()).filter((i) => ds.rowTrack[i] === o.track);
    group = new Int32Array(rows.length);
    groups = [{ name: ds.tracks[o.track]!.name, label: ds.tracks[o.track]!.label }];
  } else {
    rows = pickRows(ds.rowLabels, o.rows, o.seed);
    group = Int32Array.from(rows, (_, i) => i);
    groups = Array.from(rows, (r) => {
      const t = ds.tracks[ds.rowTrack[r]!]!;
      return { name: ds.segments ? `${t.name} [${ds.rowSegment[r]}]` : t.name, label: t.label };
    });
  }
  const Xe = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => Xe.set(X.subarray(r * cols, (r + 1) * cols), i * cols));
  const bg = backgroundRows({ data: X, rows: ds.rows, cols }, o.background, o.seed + 1);
  return { modelDir, X: Xe, rows: rows.length, cols, group, groups, background: Float32Array.from(bg.data), backgroundRows: bg.rows, samples: o.samples, seed: o.seed, global: o.track === undefined };
}

export interface ExplainDeps {
  store: LibraryStore;
  runs: RunStore;
  pool: WorkerPool;
}

/** Shapley attributions of a run's saved model, for one track or a stratified sample of rows; cached. */
export async function runExplain(deps: ExplainDeps, req: ExplainRequest, ctx: JobContext): Promise<RunAttributions> {
  const run = deps.runs.get(req.runId);
  if (!run) throw new AppError('not-found', `No run ${req.runId}`);
  const modelDir = deps.runs.modelDir(req.runId);
  if (!modelDir || !existsSync(modelDir)) throw new AppError('not-found', 'This run kept no trained model to explain');
  const rowsWanted = req.rows ?? 40;
  const B = req.background ?? 16;
  const samples = req.samples ?? 1024;
  const seed = req.seed ?? 0;
  if (!(Number.isInteger(rowsWanted) && rowsWanted >= 1 && rowsWanted <= 1000)) throw new AppError('bad-request', 'rows must be a whole number from 1 to 1000');
  if (!(Number.isInteger(B) && B >= 1 && B <= 200)) throw new AppError('bad-request', 'background must be a whole number from 1 to 200');
  if (!(Number.isInteger(samples) && samples >= 16 && samples <= 100000)) throw new AppError('bad-request', 'samples must be a whole number from 16 to 100000');
  ctx.progress(0, 1, 'reading the run’s features');
  const manifest = await readManifest(modelDir);
  const ds = runDataset(deps.store, run);
  let track: number | undefined;
  if (req.scope === 'track') {
    track = ds.tracks.findIndex((t) => (req.trackId !== null && req.trackId !== undefined ? t.trackId === req.trackId : t.name === req.trackName));
    if (track < 0) throw new AppError('not-found', `The track is not among run #${run.id}'s tracks`);
  }
  const prep = explainPayload(ds, manifest, modelDir, { track, rows: rowsWanted, background: B, samples, seed });
  ctx.progress(0, prep.rows, `explaining ${prep.rows} row${prep.rows === 1 ? '' : 's'} (${samples} coalitions × ${prep.backgroundRows} background rows each)`);
  const res = await deps.pool.run('explain', prep, ctx.signal, (q) => ctx.progress(q.done, q.total, `explained ${q.done} of ${q.total} rows`));
  const meta: AttributionMeta = { features: res.features, labels: res.labels, background: prep.backgroundRows, samples: res.coalitions, seed, seconds: res.seconds, createdAt: new Date().toISOString() };
  const dir = join(modelDir, EXPLAIN_DIR);
  await mkdir(dir, { recursive: true });
  const out: RunAttributions = { runId: run.id, global: null, track: null };
  if (req.scope === 'global' && res.global) {
    out.global = { ...res.global, ...meta };
    await writeFile(join(dir, GLOBAL_FILE), JSON.stringify(out.global));
  } else if (res.attributions[0]) {
    out.track = { ...res.attributions[0], ...meta, segments: res.segments[0]! };
    await writeFile(join(dir, trackFile(req.trackId, req.trackName ?? res.attributions[0].name)), JSON.stringify(out.track));
  }
  ctx.progress(1, 1, 'done');
  return out;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** The cached attributions of a run: its global summary and, when asked, one track's. */
export async function readAttributions(runs: RunStore, req: { runId: number; trackId?: number | null; trackName?: string }): Promise<RunAttributions> {
  if (!runs.get(req.runId)) throw new AppError('not-found', `No run ${req.runId}`);
  const modelDir = runs.modelDir(req.runId);
  const out: RunAttributions = { runId: req.runId, global: null, track: null };
  if (!modelDir) return out;
  const dir = join(modelDir, EXPLAIN_DIR);
  out.global = await readJson(join(dir, GLOBAL_FILE));
  if ((req.trackId !== null && req.trackId !== undefined) || req.trackName) out.track = await readJson(join(dir, trackFile(req.trackId, req.trackName)));
  return out;
}
