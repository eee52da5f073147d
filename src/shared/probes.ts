// Types of the latent probes (pitch and tempo transforms between embeddings) and of out-of-domain
// placement into stored maps. Plain data, shared by main, the contract and the renderer.
import type { MapPoint } from './types';

/** The three versions of every probed clip. */
export type ProbeVersion = 'original' | 'pitch' | 'tempo';
export const PROBE_VERSIONS: readonly ProbeVersion[] = ['original', 'pitch', 'tempo'];

export interface ProbeRequest {
  /** A stored run with a saved model… */
  runId?: number;
  /** …or a saved model folder (`genrelab train --out DIR` writes DIR/model). */
  modelDir?: string;
  /** A folder of audio; default: the library folders the run trained on. */
  folder?: string;
  /** Library folders to probe instead (ignored when `folder` is given). */
  folderIds?: number[];
  /** At most this many clips (a seeded sample); default: all. */
  maxClips?: number;
  /** Pitch factor (1.5 = +50 %: every frequency × 1.5, same tempo). Default 1.5. */
  pitch?: number;
  /** Tempo factor (1.5 = +50 %: 1.5 × faster, same pitch). Default 1.5. */
  tempo?: number;
  /** Seed of the clip sample and of the held-out split. Default 0. */
  seed?: number;
  /** Longest excerpt per clip, in seconds (the middle of longer files). Default 30. */
  maxSeconds?: number;
  name?: string;
}

export interface ProbeScore {
  mse: number;
  /** 1 − SS_res / SS_tot pooled over the embedding's dimensions. */
  r2: number;
  /** How often the transformed original's nearest shifted embedding is its own shifted version. */
  nnAccuracy: number;
  n: number;
}

export interface ProbeRow {
  /** identity (no fit), translation, uniform, diagonal, orthogonal, affine. */
  kind: string;
  label: string;
  /** Free parameters of the transform. */
  params: number;
  /** Uniform / orthogonal: the fitted scale; affine: the scale of its ridge target. */
  scale?: number;
  /** Affine: the ridge strength used (chosen by leave-one-out). */
  ridge?: number;
  /** Fitted and scored on every clip. */
  inSample: ProbeScore;
  /** Fitted on a seeded half of the clips, scored on the other half; null with fewer than 4 clips. */
  heldOut: ProbeScore | null;
}

export interface ProbeTable {
  n: number;
  /** Embedding dimensions. */
  d: number;
  rows: ProbeRow[];
  /** Clip indices of the held-out evaluation (fit on `train`, score on `test`). */
  train: number[];
  test: number[];
}

export interface ProbeClip {
  name: string;
  label: string;
  path: string;
  trackId: number | null;
  /** Seconds of the excerpt that was probed. */
  seconds: number;
}

export interface ProbeSummary {
  id: number;
  name: string;
  createdAt: string;
  /** The model's label, e.g. "Dense network". */
  model: string;
  runId: number | null;
  /** Where the clips came from. */
  source: string;
  clips: number;
  /** Embedding dimensions. */
  dims: number;
  pitch: number;
  tempo: number;
  seconds: number;
  /** Held-out NN accuracy of the affine fit (pitch, tempo), or in-sample when there was no split. */
  headline: { pitch: number; tempo: number };
}

export interface ProbeDetail extends ProbeSummary {
  request: ProbeRequest;
  modelDir: string;
  /** Which activations were probed, e.g. "input of dense_4 (256 units)". */
  layer: string;
  profile: string;
  segments: boolean;
  backend: string;
  clipList: ProbeClip[];
  failed: { path: string; reason: string }[];
  pitchTable: ProbeTable;
  tempoTable: ProbeTable;
  warnings: string[];
  /** Seconds spent: decoding + vocoder + features, embedding, fits. */
  timings: { clips: number; embed: number; fits: number };
}

/** What a probe job returns. */
export interface ProbeOutcome {
  probeId: number;
  clips: number;
  failed: number;
  seconds: number;
}

// ---- out-of-domain placement --------------------------------------------------------------

export interface PlaceRequest {
  mapId: number;
  /** A library folder… */
  folderId?: number;
  /** …or a folder path (added to the library with the map's feature profile first, if it is not there). */
  path?: string;
  /** Neighbours for the distance-weighted placement (t-SNE, and fallbacks). Default 10. */
  k?: number;
}

/** A placed track: a map point with the group it is drawn in. */
export interface PlacedPoint extends MapPoint {
  /** "out of domain: <folder>". */
  group: string;
  /** The most common label among its k nearest map points in the source space. */
  nearest: string | null;
}

export interface MapPlacement {
  id: number;
  mapId: number;
  name: string;
  createdAt: string;
  folderId: number | null;
  folderPath: string;
  /** How the points were placed: 'pca-projection' | 'umap-transform' | 'knn-mean'. */
  method: string;
  /** One sentence for the UI: how the coordinates were obtained. */
  note: string;
  n: number;
  dims: 2 | 3;
  /** n × dims, base64 of little-endian Float32 (as map points). */
  points: string;
  meta: PlacedPoint[];
  /** How many placed tracks land nearest each training label. */
  landing: { label: string; count: number }[];
  warnings: string[];
}

export interface PlaceOutcome {
  placementId: number;
  mapId: number;
  n: number;
  method: string;
  skipped: number;
}
