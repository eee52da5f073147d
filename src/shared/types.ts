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
  /** Written by the demo synthesiser: the audio is synthetic, not real music. */
  synthetic: boolean;
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
  /** Where `library.demo` writes the demo library when no path is given. */
  demoPath: string;
  /** True where a native folder dialog exists (Electron). */
  canPickFolder: boolean;
}

// ---- training and runs ----------------------------------------------------------------------

export interface ModelParamSpec {
  key: string;
  label: string;
  type: 'int' | 'number' | 'boolean' | 'enum' | 'int-list' | 'number-list' | 'members';
  default: unknown;
  min?: number;
  max?: number;
  options?: readonly string[];
  help?: string;
  /**
   * Only meaningful when another parameter's value is one of `in` (or none of `notIn`): the form then
   * hides it and does not send it (the model uses its default, which it ignores anyway).
   */
  when?: { key: string; in?: readonly (string | number | boolean)[]; notIn?: readonly (string | number | boolean)[] };
}

export interface ModelInfo {
  name: string;
  label: string;
  description: string;
  /** Trains with TensorFlow.js (and so on the tfjs backend); false for plain-JS models (kNN, tree). */
  usesTensors: boolean;
  params: ModelParamSpec[];
  /** What the model's rows must be (e.g. the CNN: profile logmel, 3-s segments); absent = any. */
  requires?: ModelRequirements;
}

/** Rows a model can train on: a feature profile and/or segment rows, with a sentence saying why. */
export interface ModelRequirements {
  profile?: string;
  segments?: boolean;
  note: string;
}

export type Evaluation = { kind: 'cv'; folds: number } | { kind: 'holdout'; testFraction: number };

export interface TrainRequest {
  /** Library folders (or imported tables) to train on; default: every folder whose tracks have this profile. */
  folderIds?: number[];
  profile?: string;
  /** Train on 3-second segments (track predictions average segment probabilities). */
  segments?: boolean;
  /** A subset of the profile's columns; default: all. */
  columns?: string[];
  model: string;
  params?: Record<string, unknown>;
  evaluation?: Evaluation;
  /** Split unit: the track (default), or its folder (e.g. an album or artist folder). */
  groupBy?: 'track' | 'folder';
  seed?: number;
  name?: string;
  /** A hyperbolic-distance loss, or an embedding attached for mistake severity (shared/loss.ts). */
  loss?: import('./loss').LossRequest;
}

/** One epoch of one fold, streamed while a model trains. */
export interface EpochPoint {
  fold: number;
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  member?: number;
}

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface LevelReport {
  accuracy: number;
  macroF1: number;
  macroPrecision: number;
  macroRecall: number;
  /** Macro average precision of the class probabilities (one-vs-rest, scikit-learn's convention). */
  ap?: number;
  /** Coverage error of the class probabilities: mean rank of the true class, ties counted above. */
  coverageError?: number;
  perClass: ClassReport[];
  /** Counts, row = true label, column = predicted. */
  confusion: number[][];
  n: number;
}

export interface RunMetrics extends LevelReport {
  labels: string[];
  /** Folds run (1 for a held-out split). */
  folds: number;
  /** 'segment' when rows are 3-second segments (then trackLevel holds the track figures). */
  unit: 'track' | 'segment';
  foldAccuracy: number[];
  trackLevel: LevelReport | null;
  backend: string;
  seconds: number;
  warnings: string[];
  /** Hierarchical and graph models: per-tier accuracy, per-node variants, kept features, the genre tree. */
  hierarchy?: HierarchyReport;
  /** With an embedding attached: mistake severity, the baseline comparison, ΔF1 against distance. */
  hyperbolic?: import('./loss').LossReport;
}

// ---- hierarchical and graph models (issue 7) ----------------------------------------------------

/** A dendrogram: scipy's linkage-matrix convention (`genrelab tree --out`, the Tree view). */
export interface TreeDoc {
  format: 'genrelab-tree';
  /** Linkage method: single, complete, average, weighted or ward. */
  linkage: string;
  metric: string;
  labels: string[];
  /** Rows [a, b, height, size]: ids below labels.length are leaves, N + r is the cluster of row r. */
  merges: [number, number, number, number][];
  /** Leaves left to right. */
  order: string[];
  tiers?: { sizes: number[]; assign: number[][] };
}

export interface TierFigure {
  /** Clusters in the tier (the last tier is the genres). */
  k: number;
  /** Out-of-fold accuracy of predicting the tier cluster of the true genre. */
  accuracy: number;
  n: number;
  /** The final model's clusters of this tier: their genres joined by '+'. */
  clusters: string[];
}

export interface NodeVariantFigure {
  variant: 'flat' | 'hierarchical' | 'hint';
  label: string;
  accuracy: number;
  macroF1: number;
  ap: number;
  coverageError: number;
}

export interface HierarchyReport {
  /** StackNet / tier GRU: per-tier accuracy (out of fold), coarse to fine. */
  tiers?: TierFigure[];
  /** The genre tree of the final model (fitted on every row), with its tiers. */
  tree?: TreeDoc;
  /** Per-node: vanilla (flat), hierarchical and with-hint figures on the same folds (per row). */
  perNode?: { variants: NodeVariantFigure[]; superGenres: string[]; foldSuperGenres: string[][] };
  /** GraphSAGE: the features kept by the L1 selection (final model, and in how many folds each was kept). */
  keptFeatures?: { final: string[] | null; counts: Array<{ feature: string; folds: number }>; folds: number };
}

/** `tree.build`: a dendrogram of a library's features (genre means) or of a feature table. */
export interface TreeRequest {
  source:
    | { kind: 'features'; folderIds?: number[]; profile?: string }
    /** A CSV on the machine Genrelab runs on; groupBy names the genre column (default label, genres or genre). */
    | { kind: 'table'; path: string; groupBy?: string };
  linkage: string;
  metric: string;
}

export interface TreeResult {
  tree: TreeDoc;
  /** What was clustered, in words. */
  source: string;
  /** Rows read (tracks or table rows). */
  rows: number;
  seconds: number;
}

/** One explained prediction: Shapley values φ per feature and class. */
export interface RowAttribution {
  name: string;
  label: string;
  predicted: string;
  /** f(x): the class probabilities explained. */
  proba: number[];
  /** E f(background) per class; base + Σ φ = f(x). */
  base: number[];
  /** features × classes. */
  phi: number[][];
}

/** Per class over many explained rows: mean |φ| per feature and beeswarm points. */
export interface GlobalAttribution {
  rows: number;
  /** classes × features. */
  meanAbs: number[][];
  /** Per class, feature indices by decreasing mean |φ|. */
  order: number[][];
  /** Per class: rows × features φ, and each feature's value scaled to [0, 1] over the explained rows. */
  beeswarm: Array<{ phi: number[][]; value01: number[][] }>;
}

export interface AttributionMeta {
  features: string[];
  labels: string[];
  /** Background rows and coalitions per row (Kernel SHAP). */
  background: number;
  samples: number;
  seed: number;
  seconds: number;
  createdAt: string;
}

export interface ExplainRequest {
  runId: number;
  /** One track's prediction, or a global summary over `rows` rows (stratified by label). */
  scope: 'track' | 'global';
  /** The track (scope 'track'): its library id, or its name in the run's predictions. */
  trackId?: number | null;
  trackName?: string;
  rows?: number;
  background?: number;
  samples?: number;
  seed?: number;
}

export interface RunAttributions {
  runId: number;
  global: (GlobalAttribution & AttributionMeta) | null;
  /** The asked-for track's attribution, when computed before (segment runs: the mean over its segments). */
  track: (RowAttribution & AttributionMeta & { segments: number }) | null;
}

export interface RunSummary {
  id: number;
  name: string;
  createdAt: string;
  model: string;
  modelLabel: string;
  profile: string;
  segments: boolean;
  evaluation: string;
  labels: string[];
  accuracy: number;
  macroF1: number;
  trackAccuracy: number | null;
  n: number;
  backend: string;
  seconds: number;
  hasModel: boolean;
  /** Macro average precision and coverage error (own unit; absent in runs stored before they were measured). */
  ap?: number | null;
  coverageError?: number | null;
}

export interface RunDetail extends RunSummary {
  params: Record<string, unknown>;
  request: TrainRequest;
  metrics: RunMetrics;
  curves: EpochPoint[];
  description: string;
}

export interface SegmentPrediction {
  index: number;
  /** Seconds from the start of the track. */
  start: number;
  end: number;
  predicted: string;
  confidence: number;
}

export interface TrackPrediction {
  trackId: number | null;
  name: string;
  label: string;
  predicted: string;
  confidence: number;
  /** One probability per label of the run, in the run's label order. */
  probs: number[];
  fold: number;
  /** Segment models: the prediction of every segment (for regions on the waveform). */
  segments: SegmentPrediction[] | null;
}

export interface PredictOutcome {
  labels: string[];
  predictions: TrackPrediction[];
  failed: FailedFile[];
  backend: string;
  /** Share of predictions equal to the known label (null when no label is known). */
  accuracy: number | null;
}

export type RunExportKind =
  | 'confusion.png'
  | 'confusion.svg'
  | 'confusion.csv'
  | 'confusion.json'
  | 'predictions.csv'
  | 'metrics.json';

export interface ExportedFile {
  filename: string;
  mime: string;
  /** Text files as text, binary (PNG) as base64. */
  encoding: 'utf8' | 'base64';
  data: string;
}

// ---- latent maps ----------------------------------------------------------------------------

export type MapMethod = 'tsne' | 'umap' | 'pca';

export interface MapRequest {
  /** What to embed: the library's features (standardised), or a trained model's hidden layer. */
  source: { kind: 'features'; folderIds?: number[]; profile?: string; segments?: boolean; columns?: string[] } | { kind: 'run'; runId: number };
  method: MapMethod;
  dims: 2 | 3;
  perplexity?: number;
  iterations?: number;
  neighbours?: number;
  minDist?: number;
  seed?: number;
  name?: string;
}

export interface MapSummary {
  id: number;
  name: string;
  createdAt: string;
  method: MapMethod;
  dims: 2 | 3;
  n: number;
  source: string;
  trustworthiness: number | null;
  seconds: number;
  hasClusters: boolean;
}

export interface MapPoint {
  trackId: number | null;
  name: string;
  label: string;
  /** From the run the map was made of (model maps), else null. */
  predicted: string | null;
  /** Segment points: the segment's span in seconds from the start of the track. */
  start?: number;
  end?: number;
}

export interface ClusterStat {
  mean: number;
  sd: number;
}

export interface ClusterCell {
  k: number;
  method: 'kmeans' | 'gmm-full' | 'gmm-diag';
  silhouette: ClusterStat;
  calinskiHarabasz: ClusterStat;
  daviesBouldin: ClusterStat;
  accuracy: ClusterStat | null;
  /** Cluster of every point (first seed). */
  labels: number[];
}

export interface ClusterSweep {
  space: 'map' | 'features';
  seeds: number;
  cells: ClusterCell[];
  bestK: number;
  bestMethod: ClusterCell['method'];
}

export interface MapDetail extends MapSummary {
  request: MapRequest;
  /** n × dims coordinates, row-major, as base64 of a little-endian Float32Array. */
  points: string;
  meta: MapPoint[];
  labels: string[];
  warnings: string[];
  clusters: ClusterSweep | null;
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
