// Genre dreams: check a request against the run's CNN, find the genre means (cached beside the model
// as genre-means.json, else computed from the run's training segments in the worker), dream in a
// worker with live steps, and store the dream in one INSERT when — and only when — it finishes.
// Also the contract methods (a slice of the services' handlers) and exports.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EventName, Handlers, PayloadOf } from '../../shared/contract';
import { DREAM_DEFAULT_OBJECTIVE, DREAM_LIMITS, type DreamDetail, type DreamExportKind, type DreamRequest, type DreamSettings, type DreamStepEvent } from '../../shared/dream';
import { AppError } from '../../shared/errors';
import type { ExportedFile, JobInfo } from '../../shared/types';
import { spectrogramPng } from '../engine/dream/image';
import { readManifest, type ModelManifest } from '../engine/ml/manifest';
import type { DreamMeansData, DreamProgress } from '../jobs/dreams';
import type { JobContext, JobManager } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { DB } from '../store/db';
import { DreamStore } from '../store/dreams';
import type { LibraryStore } from '../store/library';
import type { RunStore } from '../store/runs';
import { datasetFromStore } from './dataset';
import { setIdForProfile } from './training';

export const GENRE_MEANS_FILE = 'genre-means.json';
/** The 'confident' objective keeps the target genre's probability at least this high. */
export const DREAM_MIN_PROBABILITY = 0.95;

export interface GenreMeansFile {
  format: 'genrelab-genre-means';
  labels: string[];
  means: number[][];
  /** Where the means come from (e.g. "run #3: 560 training segments"). */
  source: string;
  created: string;
}

/** Cached genre means of a model folder whose labels match the model's, or null. */
export async function readGenreMeans(modelDir: string, labels: readonly string[]): Promise<GenreMeansFile | null> {
  try {
    const f = JSON.parse(await readFile(join(modelDir, GENRE_MEANS_FILE), 'utf8')) as GenreMeansFile;
    if (f.format !== 'genrelab-genre-means' || JSON.stringify(f.labels) !== JSON.stringify(labels) || f.means.length !== labels.length) return null;
    return f;
  } catch {
    return null;
  }
}

export async function writeGenreMeans(modelDir: string, labels: readonly string[], means: number[][], source: string): Promise<void> {
  const f: GenreMeansFile = { format: 'genrelab-genre-means', labels: [...labels], means, source, created: new Date().toISOString() };
  await writeFile(join(modelDir, GENRE_MEANS_FILE), JSON.stringify(f) + '\n', 'utf8');
}

/** What a dream needs of the services. */
export interface DreamHost {
  readonly db: DB;
  readonly store: LibraryStore;
  readonly runs: RunStore;
  readonly pool: WorkerPool;
  readonly jobs: JobManager;
  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void;
}

const stores = new WeakMap<DB, DreamStore>();

/** The dream store of a services object's database (one per database). */
export function dreamStore(host: Pick<DreamHost, 'db'>): DreamStore {
  let s = stores.get(host.db);
  if (!s) {
    s = new DreamStore(host.db);
    stores.set(host.db, s);
  }
  return s;
}

function whole(v: unknown, name: string, lim: { min: number; max: number; default: number }): number {
  const x = v ?? lim.default;
  if (!(typeof x === 'number' && Number.isInteger(x) && x >= lim.min && x <= lim.max)) {
    throw new AppError('bad-request', `${name} must be a whole number from ${lim.min} to ${lim.max}`);
  }
  return x;
}

export interface ResolvedDream {
  settings: DreamSettings;
  modelDir: string;
  manifest: ModelManifest;
  startPath: string | null;
}

/** Check a dream request and find its model and start track; throws a clear AppError before any job starts. */
export async function resolveDream(host: Pick<DreamHost, 'store' | 'runs'>, req: DreamRequest): Promise<ResolvedDream> {
  if (!req || typeof req.runId !== 'number') throw new AppError('bad-request', 'Choose a trained CNN run to dream with');
  const run = host.runs.get(req.runId);
  if (!run) throw new AppError('not-found', `No run ${req.runId}`);
  if (run.model !== 'cnn') throw new AppError('unsupported', `Run #${run.id} is a ${run.modelLabel}: dreams need a convolutional network over log-mel patches (model "cnn")`);
  const modelDir = host.runs.modelDir(run.id);
  if (!modelDir) throw new AppError('not-found', `Run #${run.id} kept no trained model to dream with`);
  const manifest = await readManifest(modelDir);
  if (typeof req.genre !== 'string' || !manifest.labels.includes(req.genre)) {
    throw new AppError('bad-request', `Choose one of the model's genres: ${manifest.labels.join(', ')}`);
  }
  const seconds = req.seconds ?? DREAM_LIMITS.seconds.default;
  if (!(typeof seconds === 'number' && seconds >= DREAM_LIMITS.seconds.min && seconds <= DREAM_LIMITS.seconds.max)) {
    throw new AppError('bad-request', `The length must be from ${DREAM_LIMITS.seconds.min} to ${DREAM_LIMITS.seconds.max} seconds`);
  }
  const steps = whole(req.steps, 'steps', DREAM_LIMITS.steps);
  const refineSteps = whole(req.refineSteps, 'refinement steps', DREAM_LIMITS.refineSteps);
  const griffinLimIterations = whole(req.griffinLimIterations, 'Griffin–Lim iterations', DREAM_LIMITS.griffinLimIterations);
  const seed = req.seed ?? 1;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new AppError('bad-request', 'seed must be a whole number from 0 to 4294967295');
  const objective = req.objective ?? DREAM_DEFAULT_OBJECTIVE;
  if (!['embedding', 'confident', 'logit'].includes(objective)) throw new AppError('bad-request', 'objective must be embedding, confident or logit');
  const domain = req.domain ?? 'spectrogram';
  if (domain !== 'spectrogram' && domain !== 'waveform') throw new AppError('bad-request', 'domain must be spectrogram or waveform');
  let startPath: string | null = null;
  let fromTrack: string | null = null;
  if (req.fromTrackId !== undefined && req.fromTrackId !== null) {
    const t = host.store.track(req.fromTrackId);
    if (!t) throw new AppError('not-found', `No track ${req.fromTrackId}`);
    if (t.status !== 'ok') throw new AppError('bad-request', `Track ${t.relPath} has no playable audio to start from`);
    startPath = t.path;
    fromTrack = t.relPath;
  }
  return {
    modelDir,
    manifest,
    startPath,
    settings: {
      runId: run.id,
      runName: run.name,
      genre: req.genre,
      seconds,
      steps,
      seed,
      objective,
      domain,
      fromTrackId: req.fromTrackId ?? null,
      fromTrack,
      refineSteps: domain === 'spectrogram' ? refineSteps : 0,
      griffinLimIterations,
      minProbability: objective === 'confident' ? DREAM_MIN_PROBABILITY : 0,
      backend: '',
    },
  };
}

/** The run's training rows (its final model was fitted on all of them) for the genre means. */
function meansData(host: Pick<DreamHost, 'store' | 'runs'>, runId: number, manifest: ModelManifest): DreamMeansData {
  const run = host.runs.get(runId)!;
  const ds = datasetFromStore(host.store, {
    setId: setIdForProfile(host.store, run.profile),
    folderIds: run.request.folderIds,
    segments: run.segments,
    columns: manifest.columns ?? run.request.columns,
  });
  if (ds.rows === 0) throw new AppError('not-found', `The training data of run #${runId} is no longer in the library: its genre means cannot be computed`);
  return { X: ds.X, rows: ds.rows, cols: ds.cols, rowLabels: ds.rowLabels };
}

function dreamName(s: DreamSettings, req: DreamRequest): string {
  const given = req.name?.trim();
  if (given) return given;
  const from = s.fromTrack ? ` from ${basename(s.fromTrack)}` : '';
  return `${s.genre} · ${s.seconds} s${from} · seed ${s.seed}`;
}

/** One dream job: means → worker → stored dream. */
export async function runDream(
  host: DreamHost,
  r: ResolvedDream,
  req: DreamRequest,
  ctx: JobContext,
  onStep?: (e: Omit<DreamStepEvent, 'jobId'>) => void,
): Promise<{ dreamId: number; figures: DreamDetail['figures'] }> {
  const t0 = performance.now();
  const s = r.settings;
  const cached = await readGenreMeans(r.modelDir, r.manifest.labels);
  const data = cached ? null : meansData(host, s.runId, r.manifest);
  ctx.progress(0, s.steps + s.refineSteps, cached ? 'dreaming' : `genre means from ${data!.rows} training segments`);
  const total = s.steps + s.refineSteps;
  const out = await host.pool.run(
    'dream',
    {
      modelDir: r.modelDir,
      genre: s.genre,
      seconds: s.seconds,
      steps: s.steps,
      seed: s.seed,
      objective: s.objective,
      domain: s.domain,
      refineSteps: s.refineSteps,
      griffinLimIterations: s.griffinLimIterations,
      minProbability: s.minProbability,
      startPath: r.startPath,
      means: cached?.means ?? null,
      meansData: data,
    },
    ctx.signal,
    (p: DreamProgress) => {
      if (p.kind === 'means') ctx.progress(0, total, `genre means from ${p.total} training segments`);
      else if (p.kind === 'step') {
        const done = p.phase === 'dream' ? p.step : s.steps + p.step;
        ctx.progress(done, total, `${p.phase === 'dream' ? 'dreaming' : 'refining the waveform'}: step ${p.step} of ${p.steps}, distance ${p.distance.toFixed(3)}`);
        onStep?.({
          phase: p.phase,
          step: p.step,
          steps: p.steps,
          distance: p.distance,
          spectrogram: p.grid ? { rows: p.grid.rows, cols: p.grid.cols, data: Buffer.from(p.grid.data).toString('base64') } : undefined,
        });
      } else {
        ctx.progress(s.steps, total, p.phase === 'griffin-lim' ? `Griffin–Lim: iteration ${p.done} of ${p.total}` : p.phase === 'invert' ? 'mel → linear spectrogram' : 'finishing the audio');
        onStep?.({ phase: p.phase, step: p.done, steps: p.total, distance: NaN });
      }
    },
  );
  ctx.checkCancelled();
  if (out.meansComputed) await writeGenreMeans(r.modelDir, out.labels, out.means, `run #${s.runId}: ${data!.rows} training segments`).catch(() => undefined);
  const settings: DreamSettings = { ...s, backend: out.backend };
  const dreamId = dreamStore(host).insert({
    name: dreamName(settings, req),
    settings,
    labels: out.labels,
    curve: out.curve,
    refineFrom: out.refineFrom,
    figures: out.figures,
    elapsed: (performance.now() - t0) / 1000,
    timings: out.timings,
    wav: out.wav,
    spectrogram: out.grid,
  });
  ctx.progress(total, total, 'done');
  return { dreamId, figures: out.figures };
}

/** The JSON export: settings, figures and the curve (no audio). */
export function dreamJson(d: DreamDetail): Record<string, unknown> {
  const { spectrogram: _spectrogram, ...rest } = d;
  return rest as unknown as Record<string, unknown>;
}

function stem(d: DreamDetail): string {
  const safe = d.genre.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'genre';
  return `dream-${d.id}-${safe}`;
}

export function exportDream(d: DreamDetail, wav: Uint8Array, kind: DreamExportKind): ExportedFile {
  switch (kind) {
    case 'wav':
      return { filename: `${stem(d)}.wav`, mime: 'audio/wav', encoding: 'base64', data: Buffer.from(wav).toString('base64') };
    case 'png': {
      const g = d.spectrogram;
      const png = spectrogramPng({ rows: g.rows, cols: g.cols, data: new Uint8Array(Buffer.from(g.data, 'base64')) }, 2);
      return { filename: `${stem(d)}-spectrogram.png`, mime: 'image/png', encoding: 'base64', data: Buffer.from(png).toString('base64') };
    }
    case 'json':
      return { filename: `${stem(d)}.json`, mime: 'application/json', encoding: 'utf8', data: JSON.stringify(dreamJson(d), null, 1) };
    default:
      throw new AppError('bad-request', `unknown export ${String(kind)}`);
  }
}

/** Start a dream job (the request is checked first, so a bad one fails the call, not the job). */
export async function startDream(host: DreamHost, req: DreamRequest): Promise<{ jobId: string; done: Promise<JobInfo<{ dreamId: number }>> }> {
  const resolved = await resolveDream(host, req);
  const ref = { jobId: '' };
  const started = host.jobs.start('dream', async (ctx) => {
    const out = await runDream(host, resolved, req, ctx, (e) => host.emit('dream.step', { jobId: ref.jobId, ...e }));
    host.emit('dream.changed', { dreamId: out.dreamId });
    return out;
  });
  ref.jobId = started.jobId;
  return started;
}

export type DreamMethods = 'dream.start' | 'dream.list' | 'dream.get' | 'dream.export' | 'dream.delete';

export function dreamHandlers(host: DreamHost): Pick<Handlers, DreamMethods> {
  const dreams = () => dreamStore(host);
  const get = (id: number): DreamDetail => {
    const d = dreams().get(id);
    if (!d) throw new AppError('not-found', `No dream ${id}`);
    return d;
  };
  return {
    'dream.start': async (req) => ({ jobId: (await startDream(host, req)).jobId }),
    'dream.list': async () => dreams().list(),
    'dream.get': async (req) => get(req?.dreamId),
    'dream.export': async (req) => exportDream(get(req?.dreamId), dreams().wav(req.dreamId)!, req.kind),
    'dream.delete': async (req) => {
      const deleted = dreams().delete(req?.dreamId);
      if (deleted) host.emit('dream.changed', { dreamId: req.dreamId });
      return { deleted };
    },
  };
}
