// The contract methods of the latent probes and of out-of-domain placement, as a slice of the
// services' handlers (services/index.ts spreads them in).
import type { EventName, Handlers, PayloadOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { PlaceOutcome, ProbeOutcome, ProbeRequest } from '../../shared/probes';
import type { IngestSummary, JobInfo } from '../../shared/types';
import type { JobContext, JobManager } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { DB } from '../store/db';
import type { LibraryStore } from '../store/library';
import type { MapStore } from '../store/maps';
import { ProbeStore } from '../store/probes';
import type { RunStore } from '../store/runs';
import { checkFolder, runIngest } from './library';
import { mapProfile, placementFolder, runPlace } from './mapPlace';
import { probeAudio, resolveProbe, runProbe } from './probes';

/** What the probe and placement handlers need of the services. */
export interface ProbeHost {
  readonly db: DB;
  readonly store: LibraryStore;
  readonly runs: RunStore;
  readonly maps: MapStore;
  readonly pool: WorkerPool;
  readonly jobs: JobManager;
  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void;
}

export type ProbeMethods = 'probe.start' | 'probe.list' | 'probe.get' | 'probe.delete' | 'probe.audio' | 'maps.place' | 'maps.placements' | 'maps.deletePlacement';

const stores = new WeakMap<DB, ProbeStore>();

/** The probe store of a services object's database (one per database). */
export function probeStore(host: Pick<ProbeHost, 'db'>): ProbeStore {
  let s = stores.get(host.db);
  if (!s) {
    s = new ProbeStore(host.db);
    stores.set(host.db, s);
  }
  return s;
}

/** Start a probe job (the request is checked first, so a bad one fails the call, not the job). */
export async function startProbe(host: ProbeHost, req: ProbeRequest): Promise<{ jobId: string; done: Promise<JobInfo<ProbeOutcome>> }> {
  await resolveProbe(host, req);
  return host.jobs.start('probe', async (ctx) => {
    const out = await runProbe({ store: host.store, runs: host.runs, probes: probeStore(host), pool: host.pool }, req, ctx);
    host.emit('probe.changed', { probeId: out.probeId });
    return out;
  });
}

/** Start a placement job: a folder path not in the library is added (with the map's profile) and analysed first. */
export async function startPlace(host: ProbeHost, req: import('../../shared/probes').PlaceRequest): Promise<{ jobId: string; done: Promise<JobInfo<PlaceOutcome>> }> {
  const map = host.maps.get(req?.mapId);
  if (!map) throw new AppError('not-found', `No map ${req?.mapId}`);
  const abs = req.folderId === undefined && req.path ? await checkFolder(req.path) : null;
  const profile = mapProfile(host, map);
  const known = placementFolder(host.store, req, abs);
  return host.jobs.start('place', async (ctx: JobContext) => {
    let folderId = known;
    if (folderId === null) {
      folderId = host.store.upsertFolder(abs!, profile);
      let summary: IngestSummary;
      try {
        summary = await runIngest(host.store, host.pool, folderId, ctx);
      } finally {
        host.emit('library.changed', { folderId });
      }
      ctx.checkCancelled();
      if (summary.failed.length && summary.extracted + summary.unchanged === 0) throw new AppError('bad-request', `No track of ${abs} could be analysed`);
    }
    const out = await runPlace({ store: host.store, maps: host.maps, runs: host.runs, probes: probeStore(host), pool: host.pool }, { ...req, folderId }, ctx);
    host.emit('maps.placed', { mapId: out.mapId, placementId: out.placementId });
    return out;
  });
}

export function probeHandlers(host: ProbeHost): Pick<Handlers, ProbeMethods> {
  const probes = () => probeStore(host);
  return {
    'probe.start': async (req) => ({ jobId: (await startProbe(host, req)).jobId }),
    'probe.list': async () => probes().list(),
    'probe.get': async (req) => {
      const p = probes().get(req?.probeId);
      if (!p) throw new AppError('not-found', `No probe ${req?.probeId}`);
      return p;
    },
    'probe.delete': async (req) => {
      const deleted = probes().delete(req.probeId);
      if (deleted) host.emit('probe.changed', { probeId: req.probeId });
      return { deleted };
    },
    'probe.audio': async (req) => probeAudio({ probes: probes(), pool: host.pool }, req.probeId, req.clip, req.version, req.seconds),
    'maps.place': async (req) => ({ jobId: (await startPlace(host, req)).jobId }),
    'maps.placements': async (req) => {
      if (!host.maps.get(req?.mapId)) throw new AppError('not-found', `No map ${req?.mapId}`);
      return probes().placements(req.mapId);
    },
    'maps.deletePlacement': async (req) => {
      const mapId = probes().placementMap(req.placementId);
      const deleted = probes().deletePlacement(req.placementId);
      if (deleted && mapId !== undefined) host.emit('maps.placed', { mapId, placementId: req.placementId });
      return { deleted };
    },
  };
}
