// Plain data types of the ML engine. Matrices are row-major typed arrays with explicit shape.
import { cancelled } from '../../../shared/errors';
import type { TrainingLoss } from './losses';

export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Per-epoch figures reported by iterative models (NaN where a figure does not apply). */
export interface EpochLog {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  seconds: number;
  /** Ensembles: which member model the epoch belongs to. */
  member?: number;
}

export interface FitOptions {
  /** Seed of every random choice the model makes (initialisation, shuffling, dropout, noise). */
  seed: number;
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
  /**
   * Early-stopping data: explicit rows, or a fraction of the training rows held aside
   * (stratified, seeded). Default: the model's own `validationFraction` parameter.
   */
  validation?: { X: Matrix; y: Int32Array } | number;
  /** Track (or artist) of each training row, so that a validation slice never splits a group. */
  groups?: ArrayLike<string | number>;
  /** Class names, index = class id. Default: 'class 0', 'class 1', ... up to max(y). */
  labels?: string[];
  /** Feature column names (kept in the saved manifest). */
  columns?: string[];
  /** A class-cost loss instead of plain cross-entropy (ml/losses.ts), for models that take one. */
  loss?: TrainingLoss | null;
}

export interface FitInfo {
  epochs: number;
  /** The epoch whose weights were kept (early stopping), or -1 when not iterative. */
  bestEpoch: number;
  history: EpochLog[];
  seconds: number;
}

export interface SaveMeta {
  /** Feature profile name the columns come from. */
  profile?: string;
  columns?: string[];
}

export interface Classifier {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Class names once fitted (or loaded). */
  readonly labels: readonly string[];
  fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo>;
  /** rows × classes probabilities, row-major. */
  predictProba(X: Matrix): Float32Array;
  /** Writes the model folder (manifest, labels, weights); see registry.ts. */
  save(dir: string, meta?: SaveMeta): Promise<void>;
  describe(): string;
  /** Frees tensors (no-op for models without any). */
  dispose(): void;
}

export function matrix(data: Float32Array | Float64Array, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) {
    throw new Error(`matrix: ${data.length} values cannot be ${rows} × ${cols}`);
  }
  return { data, rows, cols };
}

/** The rows `idx` of `X`, as a new Float32 matrix. */
export function takeRows(X: Matrix, idx: ArrayLike<number>): Matrix {
  const out = new Float32Array(idx.length * X.cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    for (let j = 0; j < X.cols; j++) out[i * X.cols + j] = X.data[r * X.cols + j]!;
  }
  return { data: out, rows: idx.length, cols: X.cols };
}

export function takeLabels(y: Int32Array, idx: ArrayLike<number>): Int32Array {
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]!]!;
  return out;
}

export function numClassesOf(y: Int32Array, labels?: readonly string[]): number {
  let max = -1;
  for (const v of y) if (v > max) max = v;
  return Math.max(max + 1, labels?.length ?? 0);
}

export function defaultLabels(k: number): string[] {
  return Array.from({ length: k }, (_, i) => `class ${i}`);
}

/** Index of the largest value in row `r` of a rows × k matrix (first one on ties). */
export function argmaxRow(p: ArrayLike<number>, r: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[r * k + c]! > p[r * k + best]!) best = c;
  return best;
}

export function argmaxRows(p: ArrayLike<number>, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argmaxRow(p, r, k);
  return out;
}

/** Throws the shared 'cancelled' AppError if the signal has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelled();
}
