import type { JobInfo, JobProgress, MapDetail, MapSummary, RunSummary, TrackRow } from '../../../shared/types';
import { downloadBlob, downloadExported } from '../lib/download';
import { type Colouring, type ColourBy, decodeFloat32, hasPredictions, segmentOf } from '../lib/scatter';
import { categoriseWithGroups, withPlacements } from '../views/map/placed';
import type { MapPlacement } from '../../../shared/probes';
import { type ClusterChoice, cellOf, clusterChoice } from '../lib/scatterClusters';
import {
  buildClusterRequest,
  buildMapRequest,
  type ClusterForm,
  editFeatureChoice,
  type FeatureEdit,
  INITIAL_CLUSTER_FORM,
  initialMapForm,
  type MapForm,
} from '../lib/scatterForm';
import { type FormErrors, profileOptions } from '../lib/training';
import type { AppModel } from './app';
import type { LibraryModel } from './library';
import { Store } from './store';

/** The Map view's named state (`data-map-state`). */
export type MapViewState = 'idle' | 'building' | 'ready' | 'error';
/** The cluster panel's named state (`data-cluster-state`). */
export type ClusterState = 'idle' | 'running' | 'ready' | 'error';

/** The points on screen: optimiser frames while building, the stored map once ready. */
export interface Cloud {
  /** n × dims coordinates as the engine sent them. */
  points: Float32Array;
  n: number;
  dims: 2 | 3;
  /** Bumped on every new frame, so the view updates its buffers in place. */
  version: number;
  /** Which build or opening the points come from: the view starts from the whole cloud when it changes. */
  origin: number;
}

export interface Playing {
  index: number;
  trackId: number;
  start: number;
  end: number | null;
}

export type MapExportKind = 'points.tsv' | 'metadata.tsv' | 'clusters.csv' | 'map.json';

export interface MapState {
  form: MapForm | null;
  errors: FormErrors;
  maps: MapSummary[];
  listLoaded: boolean;
  /** Stored training runs (for maps of a model's hidden layer). */
  runs: RunSummary[];
  state: MapViewState;
  /** The build job ('' while the start request is on its way). */
  jobId: string | null;
  cancelling: boolean;
  /** Optimiser progress from the last frame. */
  iteration: number;
  total: number;
  /** Optimiser frames drawn for the current (or last) build. */
  frames: number;
  /** Why the last build failed, or that it was cancelled. */
  message: string | null;
  cloud: Cloud | null;
  /** The open stored map (its points are in `cloud`). */
  map: MapDetail | null;
  /** A stored map being fetched. */
  opening: number | null;
  colourBy: ColourBy;
  /** Legend categories switched off. */
  hidden: ReadonlySet<string>;
  /** Point indices picked with a box (ascending). */
  selection: readonly number[];
  playing: Playing | null;
  /** A stored map waiting for its delete to be confirmed. */
  confirmDelete: number | null;
  exporting: string | null;
  clusterForm: ClusterForm;
  clusterErrors: FormErrors;
  clusterState: ClusterState;
  clusterJobId: string | null;
  clusterMessage: string | null;
  /** The clustering "colour by cluster" uses. */
  cluster: ClusterChoice | null;
}

interface MapResultShape {
  mapId: number;
  warnings: string[];
}

function isMapResult(x: unknown): x is MapResultShape {
  return typeof x === 'object' && x !== null && typeof (x as MapResultShape).mapId === 'number';
}

type Frame = { jobId: string; iteration: number; total: number; dims: number; points: string };

/**
 * The Map view's model: the build form, the projection job with its streamed frames, the stored
 * maps, colouring and legend toggles, box selection, the point being listened to, the cluster
 * sweep and the exports.
 */
export class MapModel extends Store<MapState> {
  private readonly offs: Array<() => void> = [];
  /** The latest frame of jobs whose id this model has not learned yet (the start call is in flight). */
  private readonly early = new Map<string, Frame>();
  private colourCache: { map: MapDetail; by: ColourBy; cluster: ClusterChoice | null; out: Colouring } | null = null;
  /** The map the running sweep belongs to. */
  private clusterMapId: number | null = null;
  /** Counts builds and openings (see `Cloud.origin`). */
  private origin = 0;

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
  ) {
    super({
      form: null,
      errors: {},
      maps: [],
      listLoaded: false,
      runs: [],
      state: 'idle',
      jobId: null,
      cancelling: false,
      iteration: 0,
      total: 0,
      frames: 0,
      message: null,
      cloud: null,
      map: null,
      opening: null,
      colourBy: 'label',
      hidden: new Set(),
      selection: [],
      playing: null,
      confirmDelete: null,
      exporting: null,
      clusterForm: INITIAL_CLUSTER_FORM,
      clusterErrors: {},
      clusterState: 'idle',
      clusterJobId: null,
      clusterMessage: null,
      cluster: null,
    });
  }

  start(): void {
    const c = this.app.client;
    this.offs.push(
      this.app.onOpenLink(() => {
        this.ensureForm();
        void this.refreshList();
        void this.refreshRuns();
      }),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      c.on('maps.frame', (f) => this.onFrame(f)),
      c.on('maps.changed', () => void this.refreshList()),
      c.on('runs.changed', () => void this.refreshRuns()),
      this.library.subscribe(() => this.syncFolders()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  // ---- the form ---------------------------------------------------------------------------

  private ensureForm(): void {
    const info = this.app.get().info;
    const lib = this.library.get();
    if (this.get().form || !info || !lib.loaded) return;
    this.set({ form: initialMapForm(info, lib.folders) });
  }

  private syncFolders(): void {
    this.ensureForm();
    this.editFeatures({ kind: 'sync', folders: this.library.get().folders });
  }

  private editFeatures(e: FeatureEdit): void {
    const form = this.get().form;
    if (!form) return;
    const next = editFeatureChoice(form, e);
    if (next !== form) this.set({ form: next, errors: {} });
  }

  setForm(patch: Partial<MapForm>): void {
    const form = this.get().form;
    if (!form) return;
    const { profile, ...rest } = patch;
    const next = { ...(profile === undefined ? form : editFeatureChoice(form, { kind: 'profile', profile })), ...rest };
    this.set({ form: next, errors: {} });
  }

  /** The columns of the chosen profile (null for an imported table's own). */
  profileColumns(): string[] | null {
    const form = this.get().form;
    const info = this.app.get().info;
    if (!form || !info) return null;
    return profileOptions(info, this.library.get().folders).find((p) => p.name === form.profile)?.columns ?? null;
  }

  toggleColumns(columns: readonly string[], on: boolean): void {
    const all = this.profileColumns();
    if (all) this.editFeatures({ kind: 'columns', all, columns, on });
  }

  toggleFolder(folderId: number, on: boolean): void {
    this.editFeatures({ kind: 'folder', folders: this.library.get().folders, folderId, on });
  }

  // ---- building ---------------------------------------------------------------------------

  get busy(): boolean {
    return this.get().state === 'building';
  }

  /** The build job's progress as the job system reports it (the frames carry iterations too). */
  progress(): JobProgress | undefined {
    const id = this.get().jobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  async build(): Promise<boolean> {
    const s = this.get();
    if (!s.form || this.busy) return false;
    const { request, errors } = buildMapRequest(s.form);
    if (!request) {
      this.set({ errors });
      return false;
    }
    this.early.clear();
    this.origin++;
    this.set({
      state: 'building',
      jobId: '',
      cancelling: false,
      message: null,
      errors: {},
      iteration: 0,
      frames: 0,
      total: request.method === 'tsne' ? (request.iterations ?? 0) : 0,
      cloud: null,
      map: null,
      hidden: new Set(),
      selection: [],
      playing: null,
      clusterState: 'idle',
      clusterJobId: null,
      clusterMessage: null,
      cluster: null,
    });
    return this.startJob(
      () => this.app.client.call('maps.start', request),
      (jobId) => {
        const early = this.early.get(jobId);
        this.early.clear();
        this.set({ jobId });
        if (early) this.onFrame(early);
      },
      (message) => this.set({ state: 'error', jobId: null, message }),
    );
  }

  /**
   * Start a job: `onId` keeps its id, and a job that finished before the call that started it
   * returned is handled at once; a refused call goes to `onError`.
   */
  private async startJob(start: () => Promise<{ jobId: string }>, onId: (jobId: string) => void, onError: (message: string) => void): Promise<boolean> {
    try {
      const { jobId } = await start();
      onId(jobId);
      const done = this.app.finishedJob(jobId);
      if (done) this.onJobFinished(done);
      return true;
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  async cancel(): Promise<void> {
    const { jobId, state } = this.get();
    if (state !== 'building' || !jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  private onFrame(f: Frame): void {
    const current = this.get().jobId;
    if (current === '') {
      this.early.set(f.jobId, f);
      return;
    }
    if (f.jobId !== current || this.get().state !== 'building') return;
    const pts = decodeFloat32(f.points);
    const dims = f.dims === 2 ? 2 : 3;
    const n = Math.floor(pts.length / dims);
    const prev = this.get().cloud;
    // Same size: write into the buffer we have (the view copies it into the GPU buffer in place).
    const points = prev && prev.points.length === pts.length ? prev.points : new Float32Array(pts.length);
    points.set(pts);
    this.set({ cloud: { points, n, dims, version: (prev?.version ?? 0) + 1, origin: this.origin }, iteration: f.iteration, total: f.total, frames: this.get().frames + 1 });
  }

  // ---- stored maps ------------------------------------------------------------------------

  async refreshRuns(): Promise<void> {
    try {
      this.set({ runs: await this.app.client.call('runs.list', undefined) });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  async refreshList(): Promise<void> {
    try {
      const maps = await this.app.client.call('maps.list', undefined);
      this.set({ maps, listLoaded: true });
      const open = this.get().map;
      if (open && !maps.some((m) => m.id === open.id)) this.close();
    } catch (err) {
      this.app.reportError(err);
    }
  }

  /** Open a stored map: its points, metadata and clusterings, as stored. */
  async open(mapId: number): Promise<void> {
    if (this.busy) return;
    this.set({ opening: mapId, confirmDelete: null });
    try {
      const map = await this.app.client.call('maps.get', { mapId });
      this.origin++;
      this.show(map);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      if (this.get().opening === mapId) this.set({ opening: null });
    }
  }

  private show(map: MapDetail, keepView = false): void {
    const points = decodeFloat32(map.points);
    const prev = this.get().cloud;
    const s = this.get();
    const canKeepColour = keepView && s.map?.id === map.id;
    this.set({
      state: 'ready',
      map,
      message: null,
      cloud: { points, n: map.n, dims: map.dims, version: (prev?.version ?? 0) + 1, origin: this.origin },
      colourBy: canKeepColour ? s.colourBy : 'label',
      hidden: canKeepColour ? s.hidden : new Set(),
      selection: canKeepColour ? s.selection : [],
      playing: canKeepColour ? s.playing : null,
      clusterState: map.clusters ? 'ready' : s.clusterState === 'running' && canKeepColour ? 'running' : 'idle',
      cluster: map.clusters ? clusterChoice(map.clusters, canKeepColour ? s.cluster : null) : null,
      clusterMessage: canKeepColour ? s.clusterMessage : null,
    });
  }

  /** Draw the stored placements of the open map after its own points (none: just its own points). */
  showPlacements(mapId: number, placements: readonly MapPlacement[]): void {
    const map = this.get().map;
    if (!map || map.id !== mapId || this.busy) return;
    const next = withPlacements(map, placements);
    if (next.n === map.n && next.meta.every((m, i) => m === map.meta[i])) return;
    this.show(next, true);
    const { selection, playing } = this.get();
    this.set({ selection: selection.filter((i) => i < next.n), playing: playing && playing.index < next.n ? playing : null });
  }

  close(): void {
    if (this.busy) return;
    this.set({ state: 'idle', map: null, cloud: null, selection: [], playing: null, hidden: new Set(), cluster: null, clusterState: 'idle', message: null });
  }

  askDelete(mapId: number | null): void {
    this.set({ confirmDelete: mapId });
  }

  async remove(mapId: number): Promise<void> {
    this.set({ confirmDelete: null });
    try {
      await this.app.client.call('maps.delete', { mapId });
      if (this.get().map?.id === mapId) this.close();
      await this.refreshList();
    } catch (err) {
      this.app.reportError(err);
    }
  }

  // ---- looking at the map -----------------------------------------------------------------

  setColourBy(by: ColourBy): void {
    this.set({ colourBy: by, hidden: new Set() });
  }

  /** Whether the open map's points carry predictions (so colouring by prediction means something). */
  predictions(): boolean {
    const map = this.get().map;
    return !!map && hasPredictions(map.meta);
  }

  /** Categories and the category of each point for the open map, recomputed only when their inputs change. */
  colouring(): Colouring | null {
    const { map, colourBy, cluster } = this.get();
    if (!map) return null;
    const c = this.colourCache;
    if (c && c.map === map && c.by === colourBy && c.cluster === cluster) return c.out;
    const labels = colourBy === 'cluster' && map.clusters && cluster ? (cellOf(map.clusters, cluster.method, cluster.k)?.labels ?? null) : null;
    const by: ColourBy = colourBy === 'cluster' && !labels ? 'label' : colourBy;
    // Out-of-domain placements (views/map/placed.ts) are drawn as their own groups.
    const out = categoriseWithGroups(map.meta, map.labels, by, labels);
    this.colourCache = { map, by: colourBy, cluster, out };
    return out;
  }

  toggleCategory(key: string): void {
    const hidden = new Set(this.get().hidden);
    if (hidden.has(key)) hidden.delete(key);
    else hidden.add(key);
    this.set({ hidden });
  }

  /** Show only this category (or everything again when it is the only one shown). */
  soloCategory(key: string): void {
    const col = this.colouring();
    if (!col) return;
    const others = col.categories.filter((c) => c.key !== key).map((c) => c.key);
    const alreadySolo = others.every((k) => this.get().hidden.has(k)) && !this.get().hidden.has(key);
    this.set({ hidden: new Set(alreadySolo ? [] : others) });
  }

  showAll(): void {
    this.set({ hidden: new Set() });
  }

  select(indices: readonly number[]): void {
    this.set({ selection: [...indices].sort((a, b) => a - b) });
  }

  clearSelection(): void {
    this.set({ selection: [] });
  }

  /** The library row of a point's track (for the waveform panel), if the library has it. */
  trackOf(index: number): TrackRow | null {
    const id = this.get().map?.meta[index]?.trackId;
    if (id === null || id === undefined) return null;
    return this.library.get().tracks.find((t) => t.id === id) ?? null;
  }

  /** Listen to a point: its track plays in the waveform panel, segment points from their start. */
  play(index: number): void {
    const p = this.get().map?.meta[index];
    if (!p) return;
    if (p.trackId === null) {
      this.app.notify('info', `“${p.name}” has no audio: it came from a features table.`);
      return;
    }
    // Maps store segment spans; older maps only had them in the point's name.
    const { start, end } = p.start !== undefined ? { start: p.start, end: p.end ?? null } : segmentOf(p.name);
    this.set({ playing: { index, trackId: p.trackId, start, end } });
  }

  stopListening(): void {
    this.set({ playing: null });
  }

  // ---- clustering -------------------------------------------------------------------------

  setClusterForm(patch: Partial<ClusterForm>): void {
    this.set({ clusterForm: { ...this.get().clusterForm, ...patch }, clusterErrors: {} });
  }

  async runClusters(): Promise<boolean> {
    const { map, clusterForm, clusterState } = this.get();
    if (!map || clusterState === 'running') return false;
    const { request, errors } = buildClusterRequest(clusterForm);
    if (!request) {
      this.set({ clusterErrors: errors });
      return false;
    }
    this.clusterMapId = map.id;
    this.set({ clusterState: 'running', clusterJobId: '', clusterMessage: null, clusterErrors: {} });
    return this.startJob(
      () => this.app.client.call('maps.cluster', { mapId: map.id, ...request }),
      (clusterJobId) => this.set({ clusterJobId }),
      (clusterMessage) => this.set({ clusterState: 'error', clusterJobId: null, clusterMessage }),
    );
  }

  async cancelClusters(): Promise<void> {
    const { clusterJobId } = this.get();
    if (clusterJobId) await this.app.cancel(clusterJobId);
  }

  clusterProgress(): JobProgress | undefined {
    const id = this.get().clusterJobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  chooseCluster(choice: ClusterChoice, colour = true): void {
    this.set({ cluster: choice, ...(colour ? { colourBy: 'cluster' as const, hidden: new Set<string>() } : {}) });
  }

  // ---- exports ----------------------------------------------------------------------------

  async export(kind: MapExportKind): Promise<void> {
    const { map, exporting } = this.get();
    if (!map || exporting) return;
    this.set({ exporting: kind });
    try {
      const file = await this.app.client.call('maps.export', { mapId: map.id, kind });
      downloadExported(file);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ exporting: null });
    }
  }

  /** Save a picture of the map (the view renders the canvas into `blob`). */
  savePng(blob: Blob | null): void {
    const map = this.get().map;
    if (!map) return;
    if (!blob) {
      this.app.notify('error', 'The map could not be drawn into a PNG.');
      return;
    }
    downloadBlob(`map-${map.id}.png`, blob);
  }

  // ---- jobs -------------------------------------------------------------------------------

  private onJobFinished(job: JobInfo): void {
    const s = this.get();
    if (job.id === s.jobId) {
      if (job.state === 'done' && isMapResult(job.result)) {
        const mapId = job.result.mapId;
        this.set({ jobId: null, cancelling: false });
        void this.app.client
          .call('maps.get', { mapId })
          .then((map) => this.show(map))
          .catch((err: unknown) => this.set({ state: 'error', message: err instanceof Error ? err.message : String(err) }));
      } else if (job.state === 'cancelled') {
        this.set({ state: 'idle', jobId: null, cancelling: false, cloud: null, message: 'The map was cancelled; nothing was stored.' });
      } else {
        this.set({ state: 'error', jobId: null, cancelling: false, cloud: null, message: job.error?.message ?? `The map ${job.state}` });
      }
      return;
    }
    if (job.id === s.clusterJobId) {
      const mapId = s.map?.id;
      if (mapId === undefined || mapId !== this.clusterMapId) {
        // Another map is open now: its list entry shows the new clustering when it is opened.
        this.set({ clusterJobId: null });
        return;
      }
      if (job.state === 'done') {
        void this.app.client
          .call('maps.get', { mapId })
          .then((map) => {
            this.set({ clusterJobId: null });
            this.show(map, true);
          })
          .catch((err: unknown) => this.set({ clusterState: 'error', clusterJobId: null, clusterMessage: err instanceof Error ? err.message : String(err) }));
      } else {
        const cancelled = job.state === 'cancelled';
        this.set({
          clusterState: this.get().map?.clusters ? 'ready' : cancelled ? 'idle' : 'error',
          clusterJobId: null,
          clusterMessage: cancelled ? 'The sweep was cancelled.' : (job.error?.message ?? `The sweep ${job.state}`),
        });
      }
    }
  }
}
