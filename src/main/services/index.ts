// The services: one object that implements every method of the contract, shared by the Electron
// IPC transport, the browser-mode server and the CLI.
import { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import type { EventName, Handlers, PayloadOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { AppInfo, IngestSummary } from '../../shared/types';
import { DEMO_STYLES } from '../engine/audio';
import { DEFAULT_PROFILE, getProfile, listProfiles } from '../engine/features';
import { JobManager } from '../jobs/manager';
import { WorkerPool, defaultWorkerCount } from '../jobs/pool';
import { openDatabase, type DB } from '../store/db';
import { LibraryStore } from '../store/library';
import { RunStore } from '../store/runs';
import { MapStore } from '../store/maps';
import { HyperbolicService } from './hyperbolic';
import { exportMap, runCluster, runMap, type MapDeps } from './maps';
import { registry } from '../engine/models';
import { copyModel, exportRun, runTraining, type TrainOutcome } from './training';
import { checkModelRequirements, modelRequirements } from './modelRequirements';
import { lossMapping } from './trainLoss';
import { predictFolder, predictTable } from './predict';
import { checkLinkage, readAttributions, runExplain, runTreeBuild } from './hierarchy';
import { featuresCsv } from './export';
import { importFeatureTable } from './importTable';
import { checkFolder, checkProfile, featureSetFor, runIngest } from './library';
import { defaultDataDir, defaultDbPath } from './paths';
import { probeHandlers } from './probeHandlers';
import { dreamHandlers } from './dreams';

export const VERSION = '0.1.0';

export interface ServicesOptions {
  dbPath?: string;
  dataDir?: string;
  workers?: number;
  transport?: 'ipc' | 'browser';
  /** Electron supplies a native folder dialog. */
  pickFolder?: () => Promise<string | null>;
}

export interface AppEvents {
  event: [name: EventName, payload: unknown];
}

export class Services {
  readonly db: DB;
  readonly store: LibraryStore;
  readonly runs: RunStore;
  readonly maps: MapStore;
  readonly hyper: HyperbolicService;
  readonly pool: WorkerPool;
  readonly jobs = new JobManager();
  readonly bus = new EventEmitter<AppEvents>();
  readonly dataDir: string;
  readonly dbPath: string;
  readonly handlers: Handlers;
  private transport: 'ipc' | 'browser';

  constructor(private readonly opts: ServicesOptions = {}) {
    this.dataDir = opts.dataDir ?? defaultDataDir();
    this.dbPath = opts.dbPath ?? defaultDbPath(this.dataDir);
    this.db = openDatabase(this.dbPath);
    this.store = new LibraryStore(this.db);
    this.runs = new RunStore(this.db);
    this.maps = new MapStore(this.db);
    this.pool = new WorkerPool(opts.workers ?? defaultWorkerCount());
    this.hyper = new HyperbolicService({ db: this.db, pool: this.pool, jobs: this.jobs, emit: (name, payload) => this.emit(name, payload) });
    this.transport = opts.transport ?? 'browser';
    this.jobs.on('progress', (p) => this.emit('job.progress', p));
    this.jobs.on('finished', (j) => this.emit('job.finished', j));
    this.handlers = this.makeHandlers();
  }

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    this.bus.emit('event', name, payload);
  }

  setTransport(t: 'ipc' | 'browser'): void {
    this.transport = t;
  }

  info(): AppInfo {
    return {
      version: VERSION,
      transport: this.transport,
      dbPath: this.dbPath,
      dataDir: this.dataDir,
      profiles: listProfiles().map((p) => ({ name: p.name, description: p.description, columns: [...p.columns] })),
      defaultProfile: DEFAULT_PROFILE,
      workers: this.pool.size,
      backend: this.lastBackend,
      canPickFolder: !!this.opts.pickFolder,
      demoPath: this.defaultDemoPath(),
    };
  }

  /** Register a folder and start its ingest job. */
  async startIngest(path: string, profile?: string): Promise<{ jobId: string; folderId: number; done: Promise<IngestSummary> }> {
    const abs = await checkFolder(path);
    const prof = checkProfile(profile);
    const folderId = this.store.upsertFolder(abs, prof);
    return this.startFolderJob(folderId);
  }

  startFolderJob(folderId: number): { jobId: string; folderId: number; done: Promise<IngestSummary> } {
    const { jobId, done } = this.jobs.start('ingest', async (ctx) => {
      try {
        return await runIngest(this.store, this.pool, folderId, ctx);
      } finally {
        this.emit('library.changed', { folderId });
      }
    });
    return { jobId, folderId, done: unwrap(done) };
  }

  defaultDemoPath(): string {
    return join(this.dataDir, 'demo-library');
  }

  /** Synthesise the demo library into `path`, then ingest it, as one job. */
  startDemo(path: string | undefined, clipsPerStyle = 4, seconds = 10): { jobId: string; path: string; done: Promise<IngestSummary> } {
    const dest = resolve(path && path.trim() ? path.trim() : this.defaultDemoPath());
    if (!(clipsPerStyle >= 1 && clipsPerStyle <= 50)) throw new AppError('bad-request', 'clipsPerStyle must be 1–50');
    if (!(seconds >= 1 && seconds <= 60)) throw new AppError('bad-request', 'seconds must be 1–60');
    const { jobId, done } = this.jobs.start('demo', async (ctx) => {
      const clips = DEMO_STYLES.flatMap((style, si) =>
        Array.from({ length: clipsPerStyle }, (_, i) => ({
          style,
          seed: 1000 * (si + 1) + i,
          path: join(dest, style, `${style}.${String(i).padStart(5, '0')}.wav`),
        })),
      );
      let n = 0;
      ctx.progress(0, clips.length, 'synthesising demo clips');
      await Promise.all(
        clips.map((c) =>
          this.pool.run('synth-clip', { style: c.style, seed: c.seed, seconds, path: c.path }, ctx.signal).then(() => {
            n++;
            ctx.progress(n, clips.length, `synthesised ${c.style}/${c.path.split('/').pop()}`);
          }),
        ),
      );
      ctx.checkCancelled();
      const folderId = this.store.upsertFolder(dest, DEFAULT_PROFILE, true);
      try {
        return await runIngest(this.store, this.pool, folderId, ctx);
      } finally {
        this.emit('library.changed', { folderId });
      }
    });
    return { jobId, path: dest, done: unwrap(done) };
  }

  /** Start a training job; its run is stored when it finishes. */
  startTraining(request: import('../../shared/types').TrainRequest): { jobId: string; done: Promise<TrainOutcome> } {
    if (!request || typeof request.model !== 'string') throw new AppError('bad-request', 'Choose a model to train');
    registry.get(request.model); // unknown model → clear error before the job starts
    const req = checkModelRequirements(request); // e.g. the CNN: logmel profile, segment rows
    const ref: { jobId: string } = { jobId: '' };
    const { jobId, done } = this.jobs.start('train', async (ctx) => {
      const out = await runTraining(
        {
          store: this.store,
          runs: this.runs,
          pool: this.pool,
          dataDir: this.dataDir,
          onEpoch: (point) => this.emit('train.epoch', { jobId: ref.jobId, point }),
        },
        req,
        ctx,
      );
      this.lastBackend = out.metrics.backend;
      this.emit('runs.changed', { runId: out.runId });
      return out;
    });
    ref.jobId = jobId;
    return { jobId, done: unwrap(done) };
  }

  private lastBackend = 'none';

  private mapDeps(jobRef: { jobId: string }): MapDeps {
    return {
      store: this.store,
      maps: this.maps,
      runs: this.runs,
      pool: this.pool,
      onFrame: (f) => this.emit('maps.frame', { jobId: jobRef.jobId, ...f }),
    };
  }

  startMap(req: import('../../shared/types').MapRequest): { jobId: string; done: Promise<{ mapId: number; warnings: string[] }> } {
    const ref = { jobId: '' };
    const { jobId, done } = this.jobs.start('map', async (ctx) => {
      const out = await runMap(this.mapDeps(ref), req, ctx);
      this.emit('maps.changed', { mapId: out.mapId });
      return out;
    });
    ref.jobId = jobId;
    return { jobId, done: unwrap(done) };
  }

  startCluster(mapId: number, o: { kMin: number; kMax: number; seeds?: number; space?: 'map' | 'features' }) {
    const { jobId, done } = this.jobs.start('cluster', async (ctx) => {
      const out = await runCluster(this.mapDeps({ jobId: '' }), mapId, o, ctx);
      this.emit('maps.changed', { mapId });
      return out;
    });
    return { jobId, done: unwrap(done) };
  }

  private run(runId: number) {
    const run = this.runs.get(runId);
    if (!run) throw new AppError('not-found', `No run ${runId}`);
    return run;
  }

  private makeHandlers(): Handlers {
    return {
      'app.info': async () => this.info(),
      'library.folders': async () => this.store.folders(),
      'library.tracks': async (req) => {
        const folderId = req?.folderId;
        const folder = folderId ? this.store.folder(folderId) : undefined;
        const setId = folder ? featureSetFor(this.store, folder.profile) : undefined;
        return this.store.tracks(folderId, setId);
      },
      'library.ingest': async (req) => {
        const { jobId, folderId } = await this.startIngest(req.path, req.profile);
        return { jobId, folderId };
      },
      'library.rescan': async (req) => {
        const folder = this.store.folder(req.folderId);
        if (!folder) throw new AppError('not-found', `No library folder ${req.folderId}`);
        if (!folder.profile || folder.profile.startsWith('table:') || /\.csv$/i.test(folder.path)) {
          throw new AppError('bad-request', 'This entry is an imported feature table, not a folder: import the table again to refresh it');
        }
        const { jobId, folderId } = this.startFolderJob(req.folderId);
        return { jobId, folderId };
      },
      'library.removeFolder': async (req) => {
        const removed = this.store.removeFolder(req.folderId);
        this.emit('library.changed', { folderId: req.folderId });
        return { removed };
      },
      'library.pickFolder': async () => ({ path: this.opts.pickFolder ? await this.opts.pickFolder() : null }),
      'library.demo': async (req) => {
        const { jobId, path } = this.startDemo(req?.path, req?.clipsPerStyle, req?.seconds);
        return { jobId, path };
      },
      'library.importTable': async (req) => {
        const r = await importFeatureTable(this.store, req.path);
        this.emit('library.changed', { folderId: r.folderId });
        return r;
      },
      'library.exportFeatures': async (req) => {
        const profile = getProfile(req?.profile ?? this.folderProfile(req?.folderId)).name;
        const setId = featureSetFor(this.store, profile);
        const { csv, rows } = featuresCsv(this.store, { setId, folderId: req?.folderId, segments: !!req?.segments });
        return { filename: `genrelab-features-${profile}${req?.segments ? '-3s' : ''}.csv`, csv, rows };
      },
      'features.get': async (req) => {
        const track = this.store.track(req.trackId);
        if (!track) throw new AppError('not-found', `No track ${req.trackId}`);
        const profile = getProfile(req.profile ?? this.folderProfile(track.folderId)).name;
        const setId = featureSetFor(this.store, profile);
        const f = this.store.features(req.trackId, setId);
        if (!f) throw new AppError('not-found', `Track ${req.trackId} has no ${profile} features`);
        return {
          trackId: req.trackId,
          profile,
          columns: this.store.featureSet(setId).columns,
          track: Array.from(f.track),
          segments: f.segments.map((s) => Array.from(s)),
          segmentSeconds: 3,
        };
      },
      'train.models': async () =>
        registry.list().map((m) => ({
          name: m.name,
          label: m.label,
          description: m.description,
          usesTensors: m.usesTensors,
          params: m.params.map((p) => ({ ...p })),
          ...modelRequirements(m.name),
        })),
      'train.backend': async () => {
        const r = await this.pool.run('backend-info', null);
        this.lastBackend = r.backend;
        return r;
      },
      'train.start': async (req) => ({ jobId: this.startTraining(req).jobId }),
      'train.lossMapping': async (req) => lossMapping({ db: this.db, store: this.store }, req),
      'runs.list': async () => this.runs.list(),
      'runs.get': async (req) => this.run(req.runId),
      'runs.predictions': async (req) => {
        this.run(req.runId);
        return this.runs.predictions(req.runId);
      },
      'runs.delete': async (req) => {
        const deleted = this.runs.delete(req.runId);
        if (deleted) this.emit('runs.changed', { runId: req.runId });
        return { deleted };
      },
      'runs.export': async (req) => exportRun(this.run(req.runId), this.runs.predictions(req.runId), req.kind, req),
      'runs.saveModel': async (req) => {
        this.run(req.runId);
        if (!req.dir || !req.dir.trim()) throw new AppError('bad-request', 'Choose a folder to save the model into');
        return copyModel(this.runs.modelDir(req.runId), req.dir);
      },
      'maps.start': async (req) => ({ jobId: this.startMap(req).jobId }),
      'maps.list': async () => this.maps.list(),
      'maps.get': async (req) => {
        const m = this.maps.get(req.mapId);
        if (!m) throw new AppError('not-found', `No map ${req.mapId}`);
        return m;
      },
      'maps.delete': async (req) => {
        const deleted = this.maps.delete(req.mapId);
        if (deleted) this.emit('maps.changed', { mapId: req.mapId });
        return { deleted };
      },
      'maps.cluster': async (req) => {
        if (!this.maps.get(req.mapId)) throw new AppError('not-found', `No map ${req.mapId}`);
        return { jobId: this.startCluster(req.mapId, req).jobId };
      },
      'maps.export': async (req) => {
        const m = this.maps.get(req.mapId);
        if (!m) throw new AppError('not-found', `No map ${req.mapId}`);
        return exportMap(m, req.kind);
      },
      'models.predict': async (req) => {
        const dir = req.modelDir ?? (req.runId !== undefined ? this.runs.modelDir(req.runId) : null);
        if (!dir) throw new AppError('bad-request', 'Choose a model folder, or a run that kept its model');
        if (!req.path || !req.path.trim()) throw new AppError('bad-request', 'Choose a folder (or a feature table) to predict');
        const { jobId } = this.jobs.start('predict', async (ctx) => {
          ctx.progress(0, 1, `predicting ${req.path}`);
          const abs = resolve(req.path.trim());
          const r = /\.csv$/i.test(abs) ? await predictTable(dir, abs) : await predictFolder(dir, abs, this.pool, ctx.signal);
          const known = r.predictions.filter((p) => p.label);
          const accuracy = known.length ? known.filter((p) => p.label === p.predicted).length / known.length : null;
          ctx.progress(1, 1, 'done');
          return { ...r, accuracy };
        });
        return { jobId };
      },
      'runs.explain': async (req) => {
        this.run(req.runId);
        return { jobId: this.jobs.start('explain', (ctx) => runExplain({ store: this.store, runs: this.runs, pool: this.pool }, req, ctx)).jobId };
      },
      'runs.attributions': async (req) => readAttributions(this.runs, req),
      'tree.build': async (req) => {
        checkLinkage(req.linkage, req.metric); // a bad choice fails the call, not a job
        return { jobId: this.jobs.start('tree', (ctx) => runTreeBuild({ store: this.store, pool: this.pool }, req, ctx)).jobId };
      },
      'jobs.list': async () => this.jobs.list(),
      'jobs.get': async (req) => this.jobs.get(req.jobId),
      'jobs.cancel': async (req) => ({ cancelled: this.jobs.cancel(req.jobId) }),
      ...this.hyper.handlers(),
      ...probeHandlers(this),
      ...dreamHandlers(this),
    };
  }

  private folderProfile(folderId?: number): string {
    return (folderId ? this.store.folder(folderId)?.profile : undefined) ?? DEFAULT_PROFILE;
  }

  async close(): Promise<void> {
    this.jobs.cancelAll();
    await this.pool.destroy();
    this.db.close();
  }
}

/**
 * A job's promise as the plain result (throws the job's error; a cancelled ingest's summary stays a
 * value). Callers that only want the job id (the transports) never await it, so the rejection is marked
 * handled here: a cancelled or failed job must never take the process down as an unhandled rejection.
 */
export function unwrap<R>(done: Promise<import('../../shared/types').JobInfo<R>>): Promise<R> {
  const p = done.then((info) => {
    if (info.state === 'done' || (info.state === 'cancelled' && info.result)) return info.result as R;
    throw AppError.from(info.error ?? { kind: 'internal', message: `job ${info.state}` });
  });
  p.catch(() => undefined);
  return p;
}
