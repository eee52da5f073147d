// Training losses that use hyperbolic distances between genres: what a training request asks for,
// and what a run records (mistake severity, the baseline comparison, ΔF1 against distance).

export type LossKind = 'ce' | 'hyperbolic-weighted' | 'hyperbolic-expected';
export const LOSS_KINDS: readonly LossKind[] = ['ce', 'hyperbolic-weighted', 'hyperbolic-expected'];

/**
 * Models whose training takes a class-cost loss: the dense network, the ensemble (its dense members),
 * GraphSAGE (its full-batch cross-entropy) and StackNet (the dense net of its last tier, the genres).
 */
export const LOSS_MODELS: readonly string[] = ['dense', 'ensemble', 'graphsage', 'stacknet'];

/**
 * How distances become the loss's class costs in [0, 1]: 'max' divides by the largest distance between
 * two of the run's genres (cost ∝ distance); 'range' maps the smallest distance between two different
 * genres to 0 and the largest to 1 (cost = how much farther than the nearest pair).
 */
export type DistanceNorm = 'max' | 'range';
export const DISTANCE_NORMS: readonly DistanceNorm[] = ['max', 'range'];

/** How a label found its genre: user's map, exact name, normalised name, best word overlap, or not at all. */
export type LabelMatch = 'override' | 'exact' | 'normalised' | 'token' | 'none';

export interface LabelGenreRow {
  label: string;
  genre: string | null;
  how: LabelMatch;
  /** 1 for override/exact/normalised, the word overlap for a token match, 0 when unmapped. */
  score: number;
  note?: string;
}

/** The loss part of a TrainRequest. An embedding is required unless kind is 'ce' and none is wanted. */
export interface LossRequest {
  kind: LossKind;
  /** Weight of the distance term (default 1). */
  lambda?: number;
  /** Distances → costs (default 'max'). */
  normalise?: DistanceNorm;
  /** A stored embedding (Hyperbolic view) ... */
  embeddingId?: number;
  /** ... or an embedding file: {"model","dim","names","vectors"} JSON, or name<TAB>coordinates TSV. */
  embeddingPath?: string;
  /** label → genre overrides of the automatic mapping. */
  labelMap?: Record<string, string>;
  /** Also train plain cross-entropy on the same folds in the same job and compare (default true). */
  baseline?: boolean;
  /** Compare with this stored run instead (same data and folds expected). */
  baselineRunId?: number;
}

export interface LossBaseline {
  source: 'same-job' | 'run';
  runId?: number;
  accuracy: number;
  macroF1: number;
  mistakeSeverity: number | null;
  trackAccuracy: number | null;
  trackMistakeSeverity: number | null;
}

export interface DeltaF1Point {
  label: string;
  /** F1 of this run minus F1 of the baseline, for the class. */
  deltaF1: number;
  /** Mean Poincaré distance from the class's genre to the other classes' genres. */
  meanDistance: number;
}

/** Stored in RunMetrics.hyperbolic whenever a run had an embedding attached. */
export interface LossReport {
  loss: LossKind;
  lambda: number;
  embedding: { id: number | null; name: string; model: string; dim: number; nodes: number };
  mapping: LabelGenreRow[];
  /** K × K Poincaré distances between the classes' genres (run's label order); unmapped rows hold the largest. */
  distances: number[][];
  /** Costs in the loss are (distance − offset) / scale between different classes (see DistanceNorm). */
  normalise: DistanceNorm;
  scale: number;
  offset: number;
  /** Mean distance between true and predicted genre over the mistakes (row level; null without mistakes). */
  mistakeSeverity: number | null;
  mistakes: number;
  /** The same over tracks, for segment runs. */
  trackMistakeSeverity: number | null;
  baseline: LossBaseline | null;
  /** Per class, ΔF1 (this run − baseline) against the class's mean distance to the others. */
  deltaF1: DeltaF1Point[] | null;
  /** Pearson correlation of deltaF1 with meanDistance (null when undefined). */
  deltaF1Correlation: number | null;
  warnings: string[];
}

/** `train.lossMapping`: the automatic label → genre map of the chosen data against an embedding. */
export interface LossMappingRequest {
  embeddingId?: number;
  embeddingPath?: string;
  /** The labels to map; default: the labels of the chosen folders (or every folder of the profile). */
  labels?: string[];
  profile?: string;
  folderIds?: number[];
  labelMap?: Record<string, string>;
}

export interface LossMappingResult {
  embedding: { id: number | null; name: string; model: string; dim: number; nodes: number };
  mapping: LabelGenreRow[];
  /** Every genre of the embedding (for the search in the mapping table). */
  genres: string[];
  /** K × K distances of the mapped labels (label order of `mapping`). */
  distances: number[][];
  unmapped: string;
}
