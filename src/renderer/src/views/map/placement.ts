// Out-of-domain placement in the Map view: the form (a library folder, or a folder path that is
// added to the library first), the placing job with progress and Cancel, and the open map's stored
// placements, handed to the map model to draw after the map's own points.
import type { MapPlacement, PlaceOutcome, PlaceRequest } from '../../../../shared/probes';
import type { JobInfo, JobProgress } from '../../../../shared/types';
import type { AppModel } from '../../state/app';
import type { LibraryModel } from '../../state/library';
import type { MapModel } from '../../state/map';
import { Store } from '../../state/store';
import { isPlaced } from './placed';
import { startJob } from '../probes/ui';

export type PlaceState = 'idle' | 'placing' | 'error';

export interface PlacementState {
  source: 'folder' | 'path';
  folderId: number | null;
  path: string;
  state: PlaceState;
  jobId: string | null;
  cancelling: boolean;
  message: string | null;
  /** Placements of the open map. */
  mapId: number | null;
  placements: MapPlacement[];
  loaded: boolean;
}

const isOutcome = (x: unknown): x is PlaceOutcome => typeof x === 'object' && x !== null && typeof (x as PlaceOutcome).placementId === 'number';

export class PlacementModel extends Store<PlacementState> {
  private readonly offs: Array<() => void> = [];
  private fetchSeq = 0;

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
    private readonly map: MapModel,
  ) {
    super({ source: 'folder', folderId: null, path: '', state: 'idle', jobId: null, cancelling: false, message: null, mapId: null, placements: [], loaded: false });
  }

  start(): void {
    this.offs.push(
      this.map.subscribe(() => this.onMap()),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      this.app.client.on('maps.placed', (e) => {
        if (e.mapId === this.get().mapId) void this.fetch(e.mapId);
      }),
      this.app.onOpenLink(() => {
        const id = this.get().mapId;
        if (id !== null) void this.fetch(id);
      }),
    );
    this.onMap();
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** Follow the open map: fetch its placements when it changes, and draw them again when the map was reloaded without them. */
  private onMap(): void {
    const map = this.map.get().map;
    const s = this.get();
    if (!map) {
      if (s.mapId !== null) this.set({ mapId: null, placements: [], loaded: false, message: s.state === 'placing' ? s.message : null });
      return;
    }
    if (map.id !== s.mapId) {
      this.set({ mapId: map.id, placements: [], loaded: false, message: s.state === 'placing' ? s.message : null });
      void this.fetch(map.id);
      return;
    }
    const drawn = map.meta.some(isPlaced);
    if (s.loaded && s.placements.length > 0 && !drawn) this.map.showPlacements(map.id, s.placements);
  }

  private async fetch(mapId: number): Promise<void> {
    const seq = ++this.fetchSeq;
    try {
      const placements = await this.app.client.call('maps.placements', { mapId });
      if (seq !== this.fetchSeq || this.get().mapId !== mapId) return;
      this.set({ placements, loaded: true });
      this.map.showPlacements(mapId, placements);
    } catch (err) {
      if (seq === this.fetchSeq) this.app.reportError(err);
    }
  }

  setForm(patch: Partial<Pick<PlacementState, 'source' | 'folderId' | 'path'>>): void {
    this.set({ ...patch, message: null, state: this.get().state === 'error' ? 'idle' : this.get().state });
  }

  /** Library folders none of whose tracks are points of the open map (candidates to place). */
  candidates(): { id: number; path: string; tracks: number }[] {
    const map = this.map.get().map;
    const inMap = new Set((map?.meta ?? []).filter((m) => !isPlaced(m)).map((m) => m.trackId));
    const tracks = this.library.get().tracks;
    return this.library
      .get()
      .folders.filter((f) => !f.profile.startsWith('table:'))
      .filter((f) => !tracks.some((t) => t.folderId === f.id && inMap.has(t.id)))
      .map((f) => ({ id: f.id, path: f.path, tracks: f.tracks }));
  }

  progress(): JobProgress | undefined {
    const id = this.get().jobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  async place(): Promise<boolean> {
    const s = this.get();
    const mapId = s.mapId;
    if (mapId === null || s.state === 'placing') return false;
    const req: PlaceRequest = { mapId };
    if (s.source === 'folder') {
      const folderId = s.folderId ?? this.candidates()[0]?.id ?? null;
      if (folderId === null) {
        this.set({ state: 'error', message: 'Choose a library folder that is not in this map, or type a folder path.' });
        return false;
      }
      req.folderId = folderId;
    } else {
      if (!s.path.trim()) {
        this.set({ state: 'error', message: 'Type the path of a folder of audio.' });
        return false;
      }
      req.path = s.path.trim();
    }
    this.set({ state: 'placing', jobId: '', cancelling: false, message: null });
    return startJob(
      this.app,
      () => this.app.client.call('maps.place', req),
      (jobId) => this.set({ jobId }),
      (job) => this.onJobFinished(job),
      (message) => this.set({ state: 'error', jobId: null, message }),
    );
  }

  async cancel(): Promise<void> {
    const { jobId, state } = this.get();
    if (state !== 'placing' || !jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  private onJobFinished(job: JobInfo): void {
    const s = this.get();
    if (!s.jobId || job.id !== s.jobId) return;
    if (job.state === 'done' && isOutcome(job.result)) {
      const r = job.result;
      this.set({ state: 'idle', jobId: null, cancelling: false, message: `Placed ${r.n} point${r.n === 1 ? '' : 's'}${r.skipped ? ` (${r.skipped} already in the map)` : ''}.` });
      if (r.mapId === this.get().mapId) void this.fetch(r.mapId);
    } else if (job.state === 'cancelled') {
      this.set({ state: 'idle', jobId: null, cancelling: false, message: 'Placing was cancelled; nothing was stored.' });
    } else {
      this.set({ state: 'error', jobId: null, cancelling: false, message: job.error?.message ?? `Placing ${job.state}` });
    }
  }

  async remove(placementId: number): Promise<void> {
    try {
      await this.app.client.call('maps.deletePlacement', { placementId });
      const id = this.get().mapId;
      if (id !== null) await this.fetch(id);
    } catch (err) {
      this.app.reportError(err);
    }
  }
}

const models = new WeakMap<MapModel, PlacementModel>();

/** The one placement model of a map model (made and started on first use). */
export function placementFor(app: AppModel, library: LibraryModel, map: MapModel): PlacementModel {
  let m = models.get(map);
  if (!m) {
    m = new PlacementModel(app, library, map);
    models.set(map, m);
    m.start();
  }
  return m;
}
