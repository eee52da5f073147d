// Standardisation to zero mean and unit variance, per column (as scikit-learn's StandardScaler:
// population standard deviation, and a scale of 1 for constant columns).
import type { Matrix } from './types';

export interface ScalerJSON {
  kind: 'standard-scaler';
  mean: number[];
  scale: number[];
}

export class StandardScaler {
  mean: Float64Array = new Float64Array(0);
  scale: Float64Array = new Float64Array(0);

  get fitted(): boolean {
    return this.mean.length > 0;
  }

  fit(X: Matrix): this {
    const { rows, cols, data } = X;
    if (rows === 0) throw new Error('StandardScaler.fit: no rows');
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

  transform(X: Matrix): Matrix {
    if (X.cols !== this.mean.length) {
      throw new Error(`StandardScaler.transform: ${X.cols} columns, fitted on ${this.mean.length}`);
    }
    const out = new Float32Array(X.rows * X.cols);
    const { cols, data } = X;
    for (let r = 0; r < X.rows; r++) {
      for (let j = 0; j < cols; j++) out[r * cols + j] = (data[r * cols + j]! - this.mean[j]!) / this.scale[j]!;
    }
    return { data: out, rows: X.rows, cols };
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  toJSON(): ScalerJSON {
    return { kind: 'standard-scaler', mean: Array.from(this.mean), scale: Array.from(this.scale) };
  }

  static fromJSON(json: ScalerJSON): StandardScaler {
    if (json.kind !== 'standard-scaler' || json.mean.length !== json.scale.length) {
      throw new Error('not a standard-scaler JSON');
    }
    const s = new StandardScaler();
    s.mean = Float64Array.from(json.mean);
    s.scale = Float64Array.from(json.scale);
    return s;
  }
}
