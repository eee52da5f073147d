// Latent probes: for a trained model and a set of clips, make a pitch-shifted (+50 % pitch, same
// tempo) and a tempo-shifted (+50 % tempo, same pitch) version of each clip, extract the features the
// model needs from all three, embed them, and fit X₊ ≈ A X + b under increasingly free constraints
// (the study's Table 2), in-sample and on held-out clips. Heavy work runs in the worker pool.
import { basename, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ProbeClip, ProbeDetail, ProbeOutcome, ProbeRequest, ProbeRow, ProbeTable, ProbeVersion } from '../../shared/probes';
import type { ExportedFile } from '../../shared/types';
import { listProfiles } from '../engine/features';
import { readManifest, type ModelManifest } from '../engine/ml/manifest';
import type { ProbeFitResult } from '../engine/probe/fits';
import { mulberry32, shuffle } from '../engine/random';
import type { JobContext } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { ProbeVectors } from '../jobs/probes';
import type { LibraryStore } from '../store/library';
import type { ProbeStore } from '../store/probes';
import type { RunStore } from '../store/runs';
import { readSidecar, resolveLabel } from './labels';
import { SEGMENT_SECONDS, checkFolder } from './library';
import { readTrainingInfo } from './predict';
import { scanFolder } from './scan';
import { columnPositions } from './dataset';

export interface ProbeDeps {
  store: LibraryStore;
  runs: RunStore;
  probes: ProbeStore;
  pool: WorkerPool;
}

export const PROBE_MAX_CLIPS = 5000;

interface Resolved {
  modelDir: string;
  manifest: ModelManifest;
  label: string;
  runId: number | null;
  profile: string;
  segments: boolean;
  pitch: number;
  tempo: number;
  seed: number;
  maxSeconds: number;
  maxClips: number | null;
}

function factor(x: number | undefined, name: string): number {
  const v = x ?? 1.5;
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 1.05 && v <= 2)) throw new AppError('bad-request', `${name} factor must be a number from 1.05 to 2 (1.5 = +50 %)`);
  return v;
}

/** Check a probe request and find its model; throws a clear AppError before any job starts. */
export async function resolveProbe(deps: Pick<ProbeDeps, 'runs'>, req: ProbeRequest): Promise<Resolved> {
  if (!req || (req.runId === undefined && !req.modelDir)) throw new AppError('bad-request', 'Choose a run (or a saved model folder) to probe');
  let modelDir: string;
  let runProfile: string | null = null;
  let runSegments: boolean | null = null;
  let label: string | null = null;
  if (req.runId !== undefined) {
    const run = deps.runs.get(req.runId);
    if (!run) throw new AppError('not-found', `No run ${req.runId}`);
    const dir = deps.runs.modelDir(req.runId);
    if (!dir) throw new AppError('not-found', `Run #${req.runId} kept no trained model to probe`);
    modelDir = dir;
    runProfile = run.profile;
    runSegments = run.segments;
    label = run.modelLabel;
  } else modelDir = resolve(req.modelDir!.trim());
  const manifest = await readManifest(modelDir);
  const info = await readTrainingInfo(modelDir);
  const profile = manifest.profile ?? (info.profile || runProfile || '');
  if (!listProfiles().some((p) => p.name === profile)) {
    throw new AppError(
      'unsupported',
      profile
        ? `The model was trained on "${profile}" features, which cannot be computed from audio: probe a model trained on ${listProfiles().map((p) => p.name).join(', ')} features`
        : 'The model does not say which feature profile it was trained on',
    );
  }
  const maxSeconds = req.maxSeconds ?? 30;
  if (!(maxSeconds >= 3 && maxSeconds <= 600)) throw new AppError('bad-request', 'maxSeconds must be from 3 to 600');
  const maxClips = req.maxClips ?? null;
  if (maxClips !== null && !(Number.isInteger(maxClips) && maxClips >= 2 && maxClips <= PROBE_MAX_CLIPS)) throw new AppError('bad-request', `maxClips must be a whole number from 2 to ${PROBE_MAX_CLIPS}`);
  return {
    modelDir,
    manifest,
    label: label ?? manifest.label,
    runId: req.runId ?? null,
    profile,
    segments: runSegments ?? info.segments,
    pitch: factor(req.pitch, 'pitch'),
    tempo: factor(req.tempo, 'tempo'),
    seed: req.seed ?? 0,
    maxSeconds,
    maxClips,
  };
}

interface ClipRef {
  name: string;
  label: string;
  path: string;
  trackId: number | null;
}

/** The clips to probe: a folder of audio, chosen library folders, or the tracks the run trained on. */
async function gatherClips(deps: ProbeDeps, req: ProbeRequest, runId: number | null, signal: AbortSignal): Promise<{ clips: ClipRef[]; failed: { path: string; reason: string }[]; source: string }> {
  if (req.folder && req.folder.trim()) {
    const root = await checkFolder(req.folder);
    const { files, problems } = await scanFolder(root, signal);
    const { labels } = await readSidecar(root);
    const clips = files.map((f) => ({ name: f.relPath, label: resolveLabel(f.path, labels, null).label ?? '', path: f.path, trackId: null }));
    return { clips, failed: [...problems], source: root };
  }
  const failed: { path: string; reason: string }[] = [];
  const fromTracks = (ids: Iterable<number>): ClipRef[] => {
    const out: ClipRef[] = [];
    for (const id of ids) {
      const t = deps.store.track(id);
      if (!t) continue;
      if (t.status !== 'ok') {
        if (t.status === 'failed') failed.push({ path: t.path, reason: t.reason ?? 'failed' });
        continue;
      }
      out.push({ name: t.relPath, label: t.label ?? '', path: t.path, trackId: t.id });
    }
    return out;
  };
  if (req.folderIds && req.folderIds.length) {
    const ids: number[] = [];
    const names: string[] = [];
    for (const fid of req.folderIds) {
      const f = deps.store.folder(fid);
      if (!f) throw new AppError('not-found', `No library folder ${fid}`);
      names.push(f.path);
      ids.push(...deps.store.tracks(fid).map((t) => t.id));
    }
    return { clips: fromTracks(ids), failed, source: names.join(', ') };
  }
  if (runId === null) throw new AppError('bad-request', 'Choose a folder of audio to probe the model with');
  // The library folders the run trained on: those it named, else the folders of the tracks it predicted
  // (its evaluation's tracks; a folder added to the library after the run is not among them).
  const run = deps.runs.get(runId)!;
  const setId = deps.store.featureSetByProfile(run.profile);
  const predicted = new Set<number>();
  for (const p of deps.runs.predictions(runId)) {
    const f = p.trackId !== null ? deps.store.track(p.trackId)?.folderId : undefined;
    if (f !== undefined) predicted.add(f);
  }
  const folderIds = run.request.folderIds?.length ? run.request.folderIds : predicted.size ? [...predicted] : deps.store.folders().map((f) => f.id);
  const ids: number[] = [];
  for (const fid of folderIds) {
    for (const t of deps.store.tracks(fid, setId)) if (t.segments > 0 || (setId !== undefined && deps.store.features(t.id, setId))) ids.push(t.id);
  }
  const clips = fromTracks(ids).filter((c) => c.label !== '');
  if (clips.length === 0) throw new AppError('bad-request', `The tracks run #${runId} trained on have no audio here (an imported feature table?): choose a folder of audio`);
  return { clips, failed, source: `the library folders run #${runId} trained on (${clips.length} labelled tracks)` };
}

/** A seeded sample of at most `max` clips (in name order). */
function sample<T extends { name: string }>(items: T[], max: number | null, seed: number): T[] {
  const sorted = [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (max === null || sorted.length <= max) return sorted;
  const rng = mulberry32(seed ^ 0x5a5a);
  const idx = shuffle(rng, sorted.map((_, i) => i));
  return idx
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => sorted[i]!);
}

/** Column positions of the model's columns in the profile's vectors (null: the profile's own order). */
function columnMap(manifest: ModelManifest, profile: string): number[] | null {
  const cols = listProfiles().find((p) => p.name === profile)!.columns;
  const want = manifest.columns;
  if (!want || (want.length === cols.length && want.every((c, i) => c === cols[i]))) return null;
  return columnPositions(cols, want, (missing) => new AppError('bad-request', `The model wants columns its profile ${profile} lacks: ${missing.slice(0, 6).join(', ')}`));
}

function toTable(r: ProbeFitResult): ProbeTable {
  const rows: ProbeRow[] = r.rows.map((x) => ({ ...x }));
  return { n: r.n, d: r.d, rows, train: r.train, test: r.test };
}

/** Held-out NN accuracy of the affine fit, or in-sample when there was no split. */
export function headlineOf(t: ProbeTable): number {
  const a = t.rows.find((r) => r.kind === 'affine');
  return a ? (a.heldOut ?? a.inSample).nnAccuracy : 0;
}

export async function runProbe(deps: ProbeDeps, req: ProbeRequest, ctx: JobContext): Promise<ProbeOutcome> {
  const t0 = performance.now();
  const r = await resolveProbe(deps, req);
  ctx.progress(0, 0, 'finding the clips');
  const gathered = await gatherClips(deps, req, r.runId, ctx.signal);
  ctx.checkCancelled();
  const clips = sample(gathered.clips, r.maxClips, r.seed);
  if (clips.length < 2) throw new AppError('bad-request', `A probe needs at least 2 clips with audio (found ${clips.length})`);
  const failed = [...gathered.failed];
  const cmap = columnMap(r.manifest, r.profile);
  const profileCols = listProfiles().find((p) => p.name === r.profile)!.columns.length;
  const cols = cmap ? cmap.length : profileCols;
  // Load the model once before the heavy work: a model without an embedding fails here, at once.
  ctx.progress(0, 0, 'loading the model');
  await deps.pool.run('probe-embed', { modelDir: r.modelDir, X: new Float32Array(cols), rows: 1, cols }, ctx.signal);
  const warnings: string[] = [];
  if (r.maxClips !== null && gathered.clips.length > clips.length) warnings.push(`a seeded sample of ${clips.length} of the ${gathered.clips.length} clips`);

  // 1. Decode, shift, extract (in the pool).
  const results: ({ clip: ClipRef; seconds: number; vectors: Record<ProbeVersion, ProbeVectors> } | null)[] = new Array(clips.length).fill(null);
  let done = 0;
  const total = clips.length;
  ctx.progress(0, total, `shifting and extracting ${total} clips`);
  const inflight = new Set<Promise<void>>();
  const limit = deps.pool.size * 2;
  for (let i = 0; i < clips.length; i++) {
    ctx.checkCancelled();
    const c = clips[i]!;
    const p = deps.pool
      .run('probe-clip', { path: c.path, profile: r.profile, segments: r.segments, segmentSeconds: SEGMENT_SECONDS, pitch: r.pitch, tempo: r.tempo, maxSeconds: r.maxSeconds }, ctx.signal)
      .then((res) => {
        if (res.ok) results[i] = { clip: c, seconds: res.seconds, vectors: { original: res.original, pitch: res.pitch, tempo: res.tempo } };
        else failed.push({ path: c.path, reason: res.reason });
        done++;
        ctx.progress(done, total, `shifted and extracted ${basename(c.path)} (${done} of ${total})`);
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= limit) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  ctx.checkCancelled();
  const ok = results.filter((x): x is NonNullable<typeof x> => x !== null);
  if (ok.length < 2) throw new AppError('bad-request', `Only ${ok.length} clip${ok.length === 1 ? '' : 's'} could be probed: ${failed.slice(0, 3).map((f) => `${basename(f.path)} (${f.reason})`).join('; ')}`);
  const tClips = performance.now();

  // 2. Embed every row of every version in one go, then average rows (segments) per clip.
  ctx.progress(total, total, `embedding ${ok.length} × 3 versions with the model`);
  const versions: ProbeVersion[] = ['original', 'pitch', 'tempo'];
  const rowOwner: number[] = []; // (clip * 3 + version) of each row
  const rows: Float64Array[] = [];
  ok.forEach((o, ci) => {
    versions.forEach((v, vi) => {
      const vecs = r.segments ? o.vectors[v].segments : [o.vectors[v].track];
      for (const vec of vecs) {
        rows.push(vec);
        rowOwner.push(ci * 3 + vi);
      }
    });
  });
  const X = new Float32Array(rows.length * cols);
  rows.forEach((vec, i) => {
    if (cmap) for (let j = 0; j < cols; j++) X[i * cols + j] = vec[cmap[j]!]!;
    else X.set(vec, i * cols);
  });
  const emb = await deps.pool.run('probe-embed', { modelDir: r.modelDir, X, rows: rows.length, cols }, ctx.signal);
  ctx.checkCancelled();
  const d = emb.dims;
  const n = ok.length;
  const sums = new Float64Array(n * 3 * d);
  const counts = new Float64Array(n * 3);
  rowOwner.forEach((owner, i) => {
    counts[owner]++;
    for (let j = 0; j < d; j++) sums[owner * d + j] += emb.embedding[i * d + j]!;
  });
  const E: Record<ProbeVersion, Float64Array> = { original: new Float64Array(n * d), pitch: new Float64Array(n * d), tempo: new Float64Array(n * d) };
  for (let ci = 0; ci < n; ci++) {
    versions.forEach((v, vi) => {
      const owner = ci * 3 + vi;
      for (let j = 0; j < d; j++) E[v][ci * d + j] = sums[owner * d + j]! / Math.max(1, counts[owner]!);
    });
  }
  const tEmbed = performance.now();

  // 3. Fit the transforms, pitch and tempo side by side.
  ctx.progress(total, total, 'fitting the transforms');
  const [pitchFit, tempoFit] = await Promise.all([
    deps.pool.run('probe-fit', { X: E.original, Y: E.pitch, n, d, seed: r.seed }, ctx.signal),
    deps.pool.run('probe-fit', { X: E.original, Y: E.tempo, n, d, seed: r.seed }, ctx.signal),
  ]);
  ctx.checkCancelled();
  const tFits = performance.now();
  if (n < 4) warnings.push(`only ${n} clips: no held-out evaluation (it needs at least 4)`);
  if (n - 1 < d) warnings.push(`${n} clips for ${d} embedding dimensions: the affine fit is ridge-stabilised (strength by leave-one-out)`);

  const pitchTable = toTable(pitchFit);
  const tempoTable = toTable(tempoFit);
  const clipList: ProbeClip[] = ok.map((o) => ({ name: o.clip.name, label: o.clip.label, path: o.clip.path, trackId: o.clip.trackId, seconds: o.seconds }));
  const seconds = (performance.now() - t0) / 1000;
  const detail: Omit<ProbeDetail, 'id' | 'createdAt'> = {
    name: req.name?.trim() || `${r.label}${r.runId !== null ? ` (run #${r.runId})` : ''} · ${n} clips · pitch ×${r.pitch}, tempo ×${r.tempo}`,
    model: r.label,
    runId: r.runId,
    source: gathered.source,
    clips: n,
    dims: d,
    pitch: r.pitch,
    tempo: r.tempo,
    seconds,
    headline: { pitch: headlineOf(pitchTable), tempo: headlineOf(tempoTable) },
    request: { ...req },
    modelDir: r.modelDir,
    layer: emb.layer,
    profile: r.profile,
    segments: r.segments,
    backend: emb.backend,
    clipList,
    failed,
    pitchTable,
    tempoTable,
    warnings,
    timings: { clips: (tClips - t0) / 1000, embed: (tEmbed - tClips) / 1000, fits: (tFits - tEmbed) / 1000 },
  };
  ctx.checkCancelled();
  const probeId = deps.probes.insert(detail);
  ctx.progress(total, total, 'done');
  return { probeId, clips: n, failed: failed.length, seconds };
}

/** One version of a probed clip as WAV (base64), for listening; only clips of a stored probe are served. */
export async function probeAudio(deps: Pick<ProbeDeps, 'probes' | 'pool'>, probeId: number, clip: number, version: ProbeVersion, seconds = 10): Promise<ExportedFile> {
  const p = deps.probes.get(probeId);
  if (!p) throw new AppError('not-found', `No probe ${probeId}`);
  const c = p.clipList[clip];
  if (!c) throw new AppError('not-found', `Probe ${probeId} has no clip ${clip}`);
  if (!['original', 'pitch', 'tempo'].includes(version)) throw new AppError('bad-request', 'version must be original, pitch or tempo');
  if (!(seconds >= 1 && seconds <= 30)) throw new AppError('bad-request', 'seconds must be from 1 to 30');
  const f = version === 'pitch' ? p.pitch : version === 'tempo' ? p.tempo : 1;
  const r = await deps.pool.run('probe-audio', { path: c.path, version, factor: f, maxSeconds: p.request.maxSeconds ?? 30, seconds });
  const stem = c.name.replace(/\.[^./]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_');
  return { filename: `${stem}-${version}.wav`, mime: 'audio/wav', encoding: 'base64', data: Buffer.from(r.wav.buffer, r.wav.byteOffset, r.wav.byteLength).toString('base64') };
}

/** The probe table as text: rows = transforms; columns = pitch MSE, R², NN-acc, tempo MSE, R², NN-acc. */
export function probeTableText(p: ProbeDetail, which: 'inSample' | 'heldOut' = 'heldOut'): string {
  const num = (x: number | undefined, digits: number) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
  const head = ['transform', 'pitch MSE', 'pitch R²', 'pitch NN-acc', 'tempo MSE', 'tempo R²', 'tempo NN-acc'];
  const lines = p.pitchTable.rows.map((row, i) => {
    const a = which === 'heldOut' ? row.heldOut : row.inSample;
    const tr = p.tempoTable.rows[i]!;
    const b = which === 'heldOut' ? tr.heldOut : tr.inSample;
    return [row.label, num(a?.mse, 4), num(a?.r2, 3), num(a?.nnAccuracy, 3), num(b?.mse, 4), num(b?.r2, 3), num(b?.nnAccuracy, 3)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j]!.length)));
  const fmt = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

/** The CLI's probe.json: settings, clips and both tables. */
export function probeJson(p: ProbeDetail): Record<string, unknown> {
  return {
    model: p.model,
    modelDir: p.modelDir,
    layer: p.layer,
    profile: p.profile,
    segments: p.segments,
    pitch: p.pitch,
    tempo: p.tempo,
    clips: p.clipList.map((c) => ({ name: c.name, label: c.label, seconds: c.seconds })),
    failed: p.failed,
    dims: p.dims,
    heldOut: { train: p.pitchTable.train.length, test: p.pitchTable.test.length, note: 'fit on the training half, scored on the other half' },
    pitchTable: p.pitchTable.rows,
    tempoTable: p.tempoTable.rows,
    warnings: p.warnings,
    seconds: p.seconds,
    timings: p.timings,
    backend: p.backend,
  };
}
