// Standardisation to zero mean and unit variance, per column (as scikit-learn's StandardScaler:
// population standard deviation, and a scale of 1 for constant columns). Optionally, chosen columns
// are first mapped to log(max(x, 0) + offset): for variance-type features, which are scale parameters
// with heavy right tails, the logarithm makes them roughly symmetric, so distances between tracks are
// not dominated by a few loud outliers.
import type { Matrix } from './types';

export interface ScalerJSON {
  kind: 'standard-scaler';
  mean: number[];
  scale: number[];
  /** Columns log-transformed before standardising, with their offsets. */
  log?: { columns: number[]; offset: number[] };
}

/** Variance-type columns (name ends in `_var` or `_variance`, any case). */
export function varianceColumns(columns: readonly string[] | null | undefined): number[] {
  if (!columns) return [];
  const out: number[] = [];
  columns.forEach((c, j) => {
    if (/_var(iance)?$/i.test(c)) out.push(j);
  });
  return out;
}

export class StandardScaler {
  mean: Float64Array = new Float64Array(0);
  scale: Float64Array = new Float64Array(0);
  /** Log-transformed columns and the offset added to each before the log. */
  logColumns: Int32Array = new Int32Array(0);
  logOffset: Float64Array = new Float64Array(0);

  get fitted(): boolean {
    return this.mean.length > 0;
  }

  /**
   * Picks the columns to log-transform among `candidates`: those never negative on X. The offset of each
   * is 1e-3 × its median positive value (1e-12 when it has none), so zeros map to a finite value a few
   * units below the typical log, not to −∞.
   */
  private chooseLogColumns(X: Matrix, candidates: readonly number[]): void {
    const keep: number[] = [];
    const offset: number[] = [];
    const { rows, cols, data } = X;
    for (const j of candidates) {
      if (j < 0 || j >= cols) continue;
      const pos: number[] = [];
      let negative = false;
      for (let r = 0; r < rows; r++) {
        const v = data[r * cols + j]!;
        if (v < 0) negative = true;
        else if (v > 0) pos.push(v);
      }
      if (negative) continue;
      pos.sort((a, b) => a - b);
      keep.push(j);
      offset.push(pos.length > 0 ? 1e-3 * pos[Math.floor(pos.length / 2)]! : 1e-12);
    }
    this.logColumns = Int32Array.from(keep);
    this.logOffset = Float64Array.from(offset);
  }

  /** X with the log columns transformed (a copy in float64), or X itself when there are none. */
  private logged(X: Matrix): Matrix {
    if (this.logColumns.length === 0) return X;
    const data = Float64Array.from(X.data);
    const { rows, cols } = X;
    for (let i = 0; i < this.logColumns.length; i++) {
      const j = this.logColumns[i]!;
      const off = this.logOffset[i]!;
      for (let r = 0; r < rows; r++) data[r * cols + j] = Math.log(Math.max(data[r * cols + j]!, 0) + off);
    }
    return { data, rows, cols };
  }

  /** Fits on X; `logCandidates` are columns to log-transform first when X has no negative value in them. */
  fit(X0: Matrix, logCandidates: readonly number[] = []): this {
    if (X0.rows === 0) throw new Error('StandardScaler.fit: no rows');
    this.chooseLogColumns(X0, logCandidates);
    const X = this.logged(X0);
    const { rows, cols, data } = X;
    const mean = new Float64Array(cols);
    const m2 = new Float64Array(cols);
    // Two passes in float64: the mean, then the sum of squared deviations.
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += data[r * cols + j]!;
    for (let j = 0; j < cols; j++) mean[j] /= rows;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const d = data[r * cols + j]! - mean[j]!;
        m2[j] += d * d;
      }
    }
    const scale = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      const sd = Math.sqrt(m2[j]! / rows);
      // Like scikit-learn: a (near-)constant column keeps scale 1 so it maps to 0, not NaN.
      scale[j] = sd < 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j]!)) ? 1 : sd;
    }
    this.mean = mean;
    this.scale = scale;
    return this;
  }

  transform(X0: Matrix): Matrix {
    if (X0.cols !== this.mean.length) {
      throw new Error(`StandardScaler.transform: ${X0.cols} columns, fitted on ${this.mean.length}`);
    }
    const X = this.logged(X0);
    const out = new Float32Array(X.rows * X.cols);
    const { cols, data } = X;
    for (let r = 0; r < X.rows; r++) {
      for (let j = 0; j < cols; j++) out[r * cols + j] = (data[r * cols + j]! - this.mean[j]!) / this.scale[j]!;
    }
    return { data: out, rows: X.rows, cols };
  }

  fitTransform(X: Matrix, logCandidates: readonly number[] = []): Matrix {
    return this.fit(X, logCandidates).transform(X);
  }

  toJSON(): ScalerJSON {
    const json: ScalerJSON = { kind: 'standard-scaler', mean: Array.from(this.mean), scale: Array.from(this.scale) };
    if (this.logColumns.length > 0) json.log = { columns: Array.from(this.logColumns), offset: Array.from(this.logOffset) };
    return json;
  }

  static fromJSON(json: ScalerJSON): StandardScaler {
    if (json.kind !== 'standard-scaler' || json.mean.length !== json.scale.length) {
      throw new Error('not a standard-scaler JSON');
    }
    const s = new StandardScaler();
    s.mean = Float64Array.from(json.mean);
    s.scale = Float64Array.from(json.scale);
    if (json.log) {
      if (json.log.columns.length !== json.log.offset.length) throw new Error('standard-scaler JSON: log columns and offsets differ in length');
      s.logColumns = Int32Array.from(json.log.columns);
      s.logOffset = Float64Array.from(json.log.offset);
    }
    return s;
  }
}
