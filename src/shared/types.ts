// Plain data types shared by main, preload, renderer and CLI. No node:, no DOM, no electron.

export type TrackStatus = 'ok' | 'failed' | 'no-audio';
export type LabelSource = 'sidecar' | 'tag' | 'folder' | 'table';

/** Why a file could not be used. Shown to the user beside the file. */
export type FailureKind = 'corrupt' | 'unsupported' | 'too-short' | 'unreadable' | 'invalid-samples';

export interface TrackRow {
  id: number;
  folderId: number;
  /** Absolute path of the audio file (or the table's filename for `no-audio` tracks). */
  path: string;
  /** Path relative to the library folder, with forward slashes. */
  relPath: string;
  label: string | null;
  labelSource: LabelSource | null;
  /** Seconds, of the decoded audio. */
  duration: number | null;
  /** Sample rate and channel count of the file as stored (before down-mix and resampling). */
  sampleRate: number | null;
  channels: number | null;
  status: TrackStatus;
  /** For failed tracks: `kind: message`. */
  reason: string | null;
  /** Number of segments whose features are stored for the library's profile. */
  segments: number;
}

export interface LibraryFolder {
  id: number;
  path: string;
  addedAt: string;
  tracks: number;
  failed: number;
  profile: string;
}

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  jobId: string;
  kind: string;
  done: number;
  total: number;
  message: string;
}

export interface JobInfo<R = unknown> {
  id: string;
  kind: string;
  state: JobState;
  progress: JobProgress;
  startedAt: number;
  finishedAt: number | null;
  result: R | null;
  error: AppErrorShape | null;
}

export interface FailedFile {
  path: string;
  reason: string;
}

export interface IngestSummary {
  folderId: number;
  /** Audio files found in the folder. */
  tracks: number;
  /** Files whose features were extracted in this run. */
  extracted: number;
  /** Files left as they were: unchanged since they were last ingested. */
  unchanged: number;
  failed: FailedFile[];
  /** Files removed from the store because they are gone from disk. */
  removed: number;
  seconds: number;
  /** Seconds of worker time spent decoding and extracting (summed over workers). */
  decodeSeconds: number;
  featureSeconds: number;
  workers: number;
  profile: string;
  cancelled: boolean;
  backend: string;
}

export interface ImportSummary {
  folderId: number;
  profile: string;
  tracks: number;
  segments: number;
  columns: number;
  /** Rows skipped, with the reason (missing values, wrong width…). */
  skipped: { row: number; reason: string }[];
}

export interface FeatureVectors {
  trackId: number;
  profile: string;
  columns: string[];
  /** Whole-track vector, one value per column. */
  track: number[];
  /** Per-segment vectors (3-second segments), each one value per column. */
  segments: number[][];
  segmentSeconds: number;
}

export interface ProfileInfo {
  name: string;
  description: string;
  columns: string[];
}

export interface AppInfo {
  version: string;
  transport: 'ipc' | 'browser';
  dbPath: string;
  dataDir: string;
  profiles: ProfileInfo[];
  defaultProfile: string;
  workers: number;
  /** The tfjs backend in use, once one has been initialised ('none' before). */
  backend: string;
  /** True where a native folder dialog exists (Electron). */
  canPickFolder: boolean;
}

export type ErrorKind =
  | 'bad-request'
  | 'not-found'
  | 'forbidden'
  | 'io'
  | 'decode'
  | 'unsupported'
  | 'cancelled'
  | 'conflict'
  | 'internal';

/** Errors cross every boundary as values: a kind and a human message. */
export interface AppErrorShape {
  kind: ErrorKind;
  message: string;
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
