// Principal component analysis by eigen-decomposition of the covariance matrix (d × d), or of
// the Gram matrix (n × n) when there are fewer rows than columns. Signs follow scikit-learn's
// `svd_flip` (u-based): in each component's score column the entry of largest magnitude is
// positive, so results compare directly with sklearn.decomposition.PCA.

import { checkMatrix, columnMeans, symmetricEigen } from './linalg';

export interface PCAOptions {
  /** Number of components to keep (default: min(n, d)). */
  nComponents?: number;
  /** Divide scores by the singular values × sqrt(n − 1) (unit-variance components). Default false. */
  whiten?: boolean;
}

export interface PCAModel {
  nComponents: number;
  /** Input dimension d. */
  dim: number;
  /** Column means (length d). */
  mean: Float64Array;
  /** Principal axes as rows, nComponents × d, unit length. */
  components: Float64Array;
  /** Variance along each axis (eigenvalues of the covariance with ddof = 1). */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance. */
  explainedVarianceRatio: Float64Array;
  /** Singular values of the centred data. */
  singularValues: Float64Array;
  whiten: boolean;
}

export interface PCAResult extends PCAModel {
  /** Projections of the input rows, n × nComponents. */
  scores: Float64Array;
}

/** Fit a PCA to X (n × d, row-major) and return the model with the projected rows. */
export function pca(X: Float64Array, n: number, d: number, opts: PCAOptions = {}): PCAResult {
  checkMatrix('pca', X, n, d);
  if (n < 1) throw new RangeError('pca: need at least one row');
  const maxK = Math.min(n, d);
  const k = opts.nComponents ?? maxK;
  if (!Number.isInteger(k) || k < 1 || k > maxK) {
    throw new RangeError(`pca: nComponents must be an integer in [1, ${maxK}], got ${k}`);
  }
  const mean = columnMeans(X, n, d);
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X[i * d + j] - mean[j];
  const dof = Math.max(n - 1, 1);

  const components = new Float64Array(k * d);
  const eig = new Float64Array(maxK); // eigenvalues of Xcᵀ Xc (= squared singular values)
  let totalSS = 0;
  if (d <= n) {
    const C = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let a = 0; a < d; a++) {
        const xa = Xc[o + a];
        if (xa === 0) continue;
        const row = a * d;
        for (let b = a; b < d; b++) C[row + b] += xa * Xc[o + b];
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) C[a * d + b] = C[b * d + a];
    for (let a = 0; a < d; a++) totalSS += C[a * d + a];
    const { values, vectors } = symmetricEigen(C, d);
    for (let c = 0; c < maxK; c++) eig[c] = Math.max(values[c], 0);
    components.set(vectors.subarray(0, k * d));
  } else {
    // Fewer rows than columns: eigenvectors u of G = Xc Xcᵀ give axes v = Xcᵀ u / σ.
    const G = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += Xc[i * d + t] * Xc[j * d + t];
        G[i * n + j] = s;
        G[j * n + i] = s;
      }
      totalSS += G[i * n + i];
    }
    const { values, vectors } = symmetricEigen(G, n);
    for (let c = 0; c < maxK; c++) eig[c] = Math.max(values[c], 0);
    for (let c = 0; c < k; c++) {
      const sigma = Math.sqrt(eig[c]);
      if (sigma === 0) continue; // a null direction: leave the row zero (no data spread to show)
      for (let i = 0; i < n; i++) {
        const u = vectors[c * n + i];
        for (let t = 0; t < d; t++) components[c * d + t] += (Xc[i * d + t] * u) / sigma;
      }
    }
  }

  const scores = project(Xc, n, d, components, k);
  // svd_flip, u-based: the largest |score| of each component is made positive.
  for (let c = 0; c < k; c++) {
    let best = 0;
    let arg = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(scores[i * k + c]);
      if (v > best) {
        best = v;
        arg = i;
      }
    }
    if (scores[arg * k + c] < 0) {
      for (let i = 0; i < n; i++) scores[i * k + c] = -scores[i * k + c];
      for (let t = 0; t < d; t++) components[c * d + t] = -components[c * d + t];
    }
  }

  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  const singularValues = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    explainedVariance[c] = eig[c] / dof;
    explainedVarianceRatio[c] = totalSS > 0 ? eig[c] / totalSS : 0;
    singularValues[c] = Math.sqrt(eig[c]);
  }
  const whiten = opts.whiten ?? false;
  if (whiten) whitenInPlace(scores, n, k, explainedVariance);
  return {
    nComponents: k,
    dim: d,
    mean,
    components,
    explainedVariance,
    explainedVarianceRatio,
    singularValues,
    whiten,
    scores,
  };
}

/** Project new rows (m × d) onto a fitted model's components; returns m × nComponents. */
export function pcaTransform(model: PCAModel, X: Float64Array, m: number): Float64Array {
  const d = model.dim;
  checkMatrix('pcaTransform', X, m, d);
  const Xc = new Float64Array(m * d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X[i * d + j] - model.mean[j];
  const out = project(Xc, m, d, model.components, model.nComponents);
  if (model.whiten) whitenInPlace(out, m, model.nComponents, model.explainedVariance);
  return out;
}

function project(Xc: Float64Array, n: number, d: number, comps: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += Xc[i * d + t] * comps[c * d + t];
      out[i * k + c] = s;
    }
  }
  return out;
}

function whitenInPlace(scores: Float64Array, n: number, k: number, variance: Float64Array): void {
  for (let c = 0; c < k; c++) {
    const s = variance[c] > 0 ? Math.sqrt(variance[c]) : 1;
    for (let i = 0; i < n; i++) scores[i * k + c] /= s;
  }
}
