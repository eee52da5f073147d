// The API of Genrelab: every service method (request and result types) and every event.
// Main implements it; the Electron preload and the browser-mode client are built from it.
// Channel names are written here once; transports accept only these names.
import type {
  AppInfo,
  EpochPoint,
  ExportedFile,
  ModelInfo,
  RunDetail,
  RunExportKind,
  RunSummary,
  TrackPrediction,
  TrainRequest,
  FeatureVectors,
  ImportSummary,
  JobInfo,
  JobProgress,
  LibraryFolder,
  MapDetail,
  MapPoint,
  MapRequest,
  MapSummary,
  TrackRow,
} from './types';
import type { ExplainRequest, RunAttributions, TreeRequest } from './types';
import type {
  DendrogramResult,
  EmbeddingDetail,
  EmbeddingSummary,
  GenreGraphSummary,
  GenreHit,
  HyperEpochEvent,
  HyperExportKind,
  HyperTrainRequest,
  ParentsRequest,
} from './hyperbolic';
import type { MapPlacement, PlaceRequest, ProbeDetail, ProbeRequest, ProbeSummary, ProbeVersion } from './probes';
import type { DreamDetail, DreamExportKind, DreamRequest, DreamStepEvent, DreamSummary } from './dream';

/** A phantom-typed method descriptor: carries request and result types, nothing at run time. */
export interface Method<Req, Res> {
  readonly __req?: Req;
  readonly __res?: Res;
}
const method = <Req, Res>(): Method<Req, Res> => ({});

export interface EventDef<P> {
  readonly __payload?: P;
}
const event = <P>(): EventDef<P> => ({});

export const methods = {
  'app.info': method<void, AppInfo>(),

  'library.folders': method<void, LibraryFolder[]>(),
  'library.tracks': method<{ folderId?: number }, TrackRow[]>(),
  /** Scan a folder (recursively), decode and extract features; returns the job handle. */
  'library.ingest': method<{ path: string; profile?: string }, { jobId: string; folderId: number }>(),
  'library.rescan': method<{ folderId: number }, { jobId: string; folderId: number }>(),
  'library.removeFolder': method<{ folderId: number }, { removed: number }>(),
  /** Native folder dialog (Electron only); resolves to null where there is none or it was dismissed. */
  'library.pickFolder': method<void, { path: string | null }>(),
  /** Synthesise the demo library into `path` and ingest it. */
  'library.demo': method<
    { path?: string; clipsPerStyle?: number; seconds?: number },
    { jobId: string; path: string }
  >(),
  /** Load a feature table (filename,length,<features>,label) into the store; its tracks have no audio. */
  'library.importTable': method<{ path: string }, ImportSummary>(),
  'library.exportFeatures': method<
    { folderId?: number; profile?: string; segments?: boolean },
    { filename: string; csv: string; rows: number }
  >(),

  'features.get': method<{ trackId: number; profile?: string }, FeatureVectors>(),

  /** The classifiers in the model registry, with their parameter schemas (for forms). */
  'train.models': method<void, ModelInfo[]>(),
  /** Which tfjs backend training uses here (tensorflow → wasm → cpu), and why faster ones were skipped. */
  'train.backend': method<void, { backend: string; skipped: { backend: string; reason: string }[] }>(),
  /** Train and evaluate a model on the library's features; the run is stored when the job finishes. */
  'train.start': method<TrainRequest, { jobId: string }>(),
  /** The automatic label → genre map of the chosen data against an embedding, for the hyperbolic loss. */
  'train.lossMapping': method<import('./loss').LossMappingRequest, import('./loss').LossMappingResult>(),
  'runs.list': method<void, RunSummary[]>(),
  'runs.get': method<{ runId: number }, RunDetail>(),
  'runs.predictions': method<{ runId: number }, TrackPrediction[]>(),
  'runs.delete': method<{ runId: number }, { deleted: boolean }>(),
  'runs.export': method<{ runId: number; kind: RunExportKind; normalise?: boolean; level?: 'track' | 'segment' }, ExportedFile>(),
  /** Copy the run's trained model (tfjs format + scaler + label map) into a folder. */
  'runs.saveModel': method<{ runId: number; dir: string }, { dir: string; files: string[] }>(),
  /**
   * Predict genres for a folder of audio (or a feature table) with a saved model folder, or with a
   * run's own model; a job whose result is a PredictOutcome.
   */
  'models.predict': method<{ modelDir?: string; runId?: number; path: string }, { jobId: string }>(),
  /** Shapley attributions of a run's saved model (one track, or a per-class summary) as a job; the result is cached with the run. */
  'runs.explain': method<ExplainRequest, { jobId: string }>(),
  /** A run's cached attributions: the global summary and, when a track is named, that track's. */
  'runs.attributions': method<{ runId: number; trackId?: number | null; trackName?: string }, RunAttributions>(),
  /** A dendrogram of the library's genre means or of a feature table, built in a worker; the job's result is a TreeResult. */
  'tree.build': method<TreeRequest, { jobId: string }>(),

  /** Project tracks to 2-D/3-D (t-SNE, UMAP, PCA) as a job; frames stream as `maps.frame`. */
  'maps.start': method<MapRequest, { jobId: string }>(),
  'maps.list': method<void, MapSummary[]>(),
  'maps.get': method<{ mapId: number }, MapDetail>(),
  'maps.delete': method<{ mapId: number }, { deleted: boolean }>(),
  /** K-means and GMM for k in a range, with silhouette, Calinski–Harabasz, Davies–Bouldin and Hungarian accuracy. */
  'maps.cluster': method<{ mapId: number; kMin: number; kMax: number; seeds?: number; space?: 'map' | 'features' }, { jobId: string }>(),
  'maps.export': method<{ mapId: number; kind: 'points.tsv' | 'metadata.tsv' | 'clusters.csv' | 'map.json' }, ExportedFile>(),
  /** Place a second folder's tracks (music the map never saw) into a stored map, as a job; `maps.placed` when stored. */
  'maps.place': method<PlaceRequest, { jobId: string }>(),
  'maps.placements': method<{ mapId: number }, MapPlacement[]>(),
  'maps.deletePlacement': method<{ placementId: number }, { deleted: boolean }>(),

  /** Latent probe: pitch- and tempo-shifted clips embedded by a model, transforms fitted between the embeddings; a job. */
  'probe.start': method<ProbeRequest, { jobId: string }>(),
  'probe.list': method<void, ProbeSummary[]>(),
  'probe.get': method<{ probeId: number }, ProbeDetail>(),
  'probe.delete': method<{ probeId: number }, { deleted: boolean }>(),
  /** One version of a probed clip as WAV (base64), its first `seconds` (default 10). */
  'probe.audio': method<{ probeId: number; clip: number; version: ProbeVersion; seconds?: number }, ExportedFile>(),

  /** Read a genre co-occurrence table (items with genre lists, or an edge list) and store it with its report. */
  'hyper.import': method<{ path?: string; text?: string; name?: string; directed?: boolean; tau?: number }, GenreGraphSummary>(),
  'hyper.graphs': method<void, GenreGraphSummary[]>(),
  /** Train a Poincaré embedding (and the Euclidean baseline) of a stored graph as a job; epochs stream as `hyper.epoch`. */
  'hyper.train': method<HyperTrainRequest, { jobId: string }>(),
  'hyper.embeddings': method<void, EmbeddingSummary[]>(),
  'hyper.get': method<{ embeddingId: number }, EmbeddingDetail>(),
  /** Distinct labels of the library's tracks (highlighted among the genres). */
  'hyper.labels': method<void, string[]>(),
  'hyper.neighbours': method<{ embeddingId: number; genre: string; k?: number }, { query: GenreHit; hits: GenreHit[] }>(),
  'hyper.parents': method<ParentsRequest, { query: GenreHit; hits: GenreHit[] }>(),
  /** Ward dendrogram of the top-N genres, or of a genre's neighbourhood. */
  'hyper.dendrogram': method<{ embeddingId: number; top?: number; around?: string }, DendrogramResult>(),
  'hyper.export': method<{ embeddingId: number; kind: HyperExportKind }, ExportedFile>(),
  'hyper.delete': method<{ embeddingId?: number; graphId?: number }, { deleted: boolean }>(),

  /** Dream audio for a genre with a run's CNN, as a job; steps stream as `dream.step`, the result is stored. */
  'dream.start': method<DreamRequest, { jobId: string }>(),
  'dream.list': method<void, DreamSummary[]>(),
  'dream.get': method<{ dreamId: number }, DreamDetail>(),
  /** The dream as WAV (base64; also how the view plays it), its spectrogram as PNG, or its figures as JSON. */
  'dream.export': method<{ dreamId: number; kind: DreamExportKind }, ExportedFile>(),
  'dream.delete': method<{ dreamId: number }, { deleted: boolean }>(),

  'jobs.list': method<void, JobInfo[]>(),
  'jobs.get': method<{ jobId: string }, JobInfo>(),
  'jobs.cancel': method<{ jobId: string }, { cancelled: boolean }>(),
} as const;

export const events = {
  'job.progress': event<JobProgress>(),
  'job.finished': event<JobInfo>(),
  'library.changed': event<{ folderId: number }>(),
  /** Live training curves: one point per epoch per fold. */
  'train.epoch': event<{ jobId: string; point: EpochPoint }>(),
  'runs.changed': event<{ runId: number }>(),
  /** A snapshot of a map while its optimiser runs: base64 Float32 n × dims. */
  'maps.frame': event<{
    jobId: string;
    iteration: number;
    total: number;
    dims: number;
    points: string;
    /** On the first frame of a job only: who the points are, so the cloud can be coloured as it settles. */
    meta?: MapPoint[];
    labels?: string[];
  }>(),
  'maps.changed': event<{ mapId: number }>(),
  /** A placement was stored into (or deleted from) a map. */
  'maps.placed': event<{ mapId: number; placementId: number }>(),
  'probe.changed': event<{ probeId: number }>(),
  /** One training epoch of a hyperbolic embedding job (per model when the Euclidean baseline trains beside it). */
  'hyper.epoch': event<HyperEpochEvent>(),
  'hyper.changed': event<{ embeddingId?: number; graphId?: number }>(),
  /** One step of a dream job (distance; every few steps a spectrogram picture), or a stage after the steps. */
  'dream.step': event<DreamStepEvent>(),
  'dream.changed': event<{ dreamId: number }>(),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ReqOf<K extends MethodName> = Methods[K] extends Method<infer R, unknown> ? R : never;
export type ResOf<K extends MethodName> = Methods[K] extends Method<unknown, infer R> ? R : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = Events[E] extends EventDef<infer P> ? P : never;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethodName(x: unknown): x is MethodName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(methods, x);
}
export function isEventName(x: unknown): x is EventName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(events, x);
}

/** Implementation side: one handler per method. */
export type Handlers = {
  [K in MethodName]: (req: ReqOf<K>) => Promise<ResOf<K>>;
};

/** What the renderer sees, whichever transport carries it. */
export interface GenrelabClient {
  readonly transport: 'ipc' | 'browser';
  call<K extends MethodName>(name: K, req: ReqOf<K>): Promise<ResOf<K>>;
  on<E extends EventName>(name: E, fn: (payload: PayloadOf<E>) => void): () => void;
  /** A URL the renderer can hand to an <audio> element / wavesurfer for this track. */
  audioUrl(trackId: number): string;
}

/** The wire form used by the WebSocket transport (and, shaped the same, by IPC). */
export type WireRequest = { id: number; method: MethodName; req: unknown };
export type WireResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: import('./types').AppErrorShape };
export type WireEvent = { event: EventName; payload: unknown };

/** The scheme of the Electron custom protocol that serves library audio. */
export const AUDIO_SCHEME = 'genrelab-audio';
