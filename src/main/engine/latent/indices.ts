// Internal clustering-quality indices, as sklearn.metrics: silhouette (Rousseeuw 1987, Euclidean),
// Calinski–Harabasz (variance ratio) and Davies–Bouldin. Labels may be any integers.

import { checkMatrix, sqDist } from './linalg';

/** Label values: integers, or strings such as genre names. */
export type LabelValue = number | string;

/** Map arbitrary labels to 0..L−1 (in increasing order of the label value). */
export function encodeLabels<T extends LabelValue>(labels: ArrayLike<T>): { codes: Int32Array; nLabels: number; values: T[] } {
  const values = Array.from(new Set(Array.from(labels))).sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  const map = new Map<T, number>();
  values.forEach((v, i) => map.set(v, i));
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = map.get(labels[i]) as number;
  return { codes, nLabels: values.length, values };
}

function checkLabels(what: string, n: number, labels: ArrayLike<number>, needFewer: boolean): { codes: Int32Array; L: number } {
  if (labels.length !== n) throw new RangeError(`${what}: ${labels.length} labels for ${n} rows`);
  const { codes, nLabels } = encodeLabels(labels);
  if (nLabels < 2 || (needFewer && nLabels > n - 1)) {
    throw new RangeError(`${what}: number of labels is ${nLabels}; valid values are 2 to n_samples - 1 (inclusive)`);
  }
  return { codes, L: nLabels };
}

/**
 * Condensed Euclidean distance matrix (the upper triangle, row by row, as scipy's pdist):
 * entry (i, j), i < j, sits at n·i − i(i+1)/2 + j − i − 1. Reuse it across silhouette calls.
 */
export function pairwiseDistances(X: Float64Array, n: number, d: number): Float64Array {
  checkMatrix('pairwiseDistances', X, n, d);
  const out = new Float64Array((n * (n - 1)) / 2);
  let w = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[w++] = Math.sqrt(sqDist(X, i, X, j, d));
  return out;
}

/**
 * Silhouette coefficient of every sample (0 for members of singleton clusters). Distances are
 * computed on the fly (O(n²d) time, O(n·L) memory) unless a condensed matrix is passed.
 */
export function silhouetteSamples(
  X: Float64Array,
  n: number,
  d: number,
  labels: ArrayLike<number>,
  distances?: Float64Array,
): Float64Array {
  const { codes, L } = checkLabels('silhouette', n, labels, true);
  if (distances) {
    if (distances.length !== (n * (n - 1)) / 2) throw new RangeError('silhouette: distances must be the condensed n × n matrix');
  } else {
    checkMatrix('silhouette', X, n, d);
  }
  const size = new Float64Array(L);
  for (let i = 0; i < n; i++) size[codes[i]]++;
  // sums[i*L + c] = Σ_{j in c} d(i, j)
  const sums = new Float64Array(n * L);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const ci = codes[i];
    for (let j = i + 1; j < n; j++) {
      const v = distances ? distances[w++] : Math.sqrt(sqDist(X, i, X, j, d));
      sums[i * L + codes[j]] += v;
      sums[j * L + ci] += v;
    }
  }
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = codes[i];
    if (size[ci] <= 1) continue;
    const a = sums[i * L + ci] / (size[ci] - 1);
    let b = Infinity;
    for (let c = 0; c < L; c++) if (c !== ci) b = Math.min(b, sums[i * L + c] / size[c]);
    const m = Math.max(a, b);
    s[i] = m > 0 ? (b - a) / m : 0;
  }
  return s;
}

/** Mean silhouette coefficient over all samples (sklearn.metrics.silhouette_score). */
export function silhouetteScore(X: Float64Array, n: number, d: number, labels: ArrayLike<number>, distances?: Float64Array): number {
  const s = silhouetteSamples(X, n, d, labels, distances);
  let t = 0;
  for (let i = 0; i < n; i++) t += s[i];
  return t / n;
}

function centroids(X: Float64Array, n: number, d: number, codes: Int32Array, L: number): { cent: Float64Array; size: Float64Array } {
  const cent = new Float64Array(L * d);
  const size = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    size[c]++;
    for (let t = 0; t < d; t++) cent[c * d + t] += X[i * d + t];
  }
  for (let c = 0; c < L; c++) for (let t = 0; t < d; t++) cent[c * d + t] /= size[c];
  return { cent, size };
}

/** Calinski–Harabasz score: between-cluster over within-cluster dispersion, × (n − L)/(L − 1). */
export function calinskiHarabasz(X: Float64Array, n: number, d: number, labels: ArrayLike<number>): number {
  checkMatrix('calinskiHarabasz', X, n, d);
  const { codes, L } = checkLabels('calinskiHarabasz', n, labels, true);
  const { cent, size } = centroids(X, n, d, codes, L);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += X[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  let extra = 0;
  for (let c = 0; c < L; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (cent[c * d + t] - mean[t]) ** 2;
    extra += size[c] * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    for (let t = 0; t < d; t++) intra += (X[i * d + t] - cent[c * d + t]) ** 2;
  }
  return intra === 0 ? 1 : (extra * (n - L)) / (intra * (L - 1));
}

/** Davies–Bouldin index: mean over clusters of the worst (s_i + s_j) / d(c_i, c_j). Lower is better. */
export function daviesBouldin(X: Float64Array, n: number, d: number, labels: ArrayLike<number>): number {
  checkMatrix('daviesBouldin', X, n, d);
  const { codes, L } = checkLabels('daviesBouldin', n, labels, true);
  const { cent, size } = centroids(X, n, d, codes, L);
  const intra = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    let s = 0;
    for (let t = 0; t < d; t++) s += (X[i * d + t] - cent[c * d + t]) ** 2;
    intra[c] += Math.sqrt(s);
  }
  for (let c = 0; c < L; c++) intra[c] /= size[c];
  const cd = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (cent[a * d + t] - cent[b * d + t]) ** 2;
      cd[a * L + b] = Math.sqrt(s);
    }
  }
  // np.allclose(x, 0): |x| ≤ 1e-8 everywhere.
  if (intra.every((v) => Math.abs(v) <= 1e-8) || cd.every((v) => Math.abs(v) <= 1e-8)) return 0;
  let total = 0;
  for (let a = 0; a < L; a++) {
    let worst = 0;
    for (let b = 0; b < L; b++) {
      const dist = cd[a * L + b];
      if (dist === 0) continue; // sklearn sets zero distances to +inf, making the ratio 0
      const r = (intra[a] + intra[b]) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / L;
}
