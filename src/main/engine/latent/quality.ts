// Embedding quality: trustworthiness (Venna & Kaski 2001, as sklearn.manifold.trustworthiness
// with the Euclidean metric) and k-nearest-neighbour preservation.

import { knnExact } from './knn';
import { checkMatrix } from './linalg';

/**
 * T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^Y(i)} max(0, r(i, j) − k), where r(i, j) is
 * the rank of j among i's neighbours in the input space (1 = nearest; ties ordered by index).
 * X is n × d, Y is n × dY. Requires k < n / 2 (as sklearn).
 */
export function trustworthiness(X: Float64Array, n: number, d: number, Y: Float64Array, dY: number, k = 5): number {
  checkMatrix('trustworthiness X', X, n, d);
  checkMatrix('trustworthiness Y', Y, n, dY);
  if (!Number.isInteger(k) || k < 1 || k >= n / 2) {
    throw new RangeError(`trustworthiness: k must be an integer in [1, n/2), got ${k} for n = ${n}`);
  }
  const embNbr = knnExact(Y, n, dY, k).indices;
  const row = new Float64Array(n);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let l = 0; l < n; l++) {
      const ol = l * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = X[oi + t] - X[ol + t];
        s += u * u;
      }
      row[l] = s;
    }
    for (let m = 0; m < k; m++) {
      const j = embNbr[i * k + m];
      const dj = row[j];
      let rank = 1;
      for (let l = 0; l < n; l++) {
        if (l === i || l === j) continue;
        const dl = row[l];
        if (dl < dj || (dl === dj && l < j)) rank++;
      }
      if (rank > k) penalty += rank - k;
    }
  }
  return 1 - (penalty * 2) / (n * k * (2 * n - 3 * k - 1));
}

/** Mean fraction of each point's k nearest input-space neighbours that are also among its k nearest in Y. */
export function neighborhoodPreservation(X: Float64Array, n: number, d: number, Y: Float64Array, dY: number, k = 10): number {
  checkMatrix('neighborhoodPreservation X', X, n, d);
  checkMatrix('neighborhoodPreservation Y', Y, n, dY);
  const a = knnExact(X, n, d, k).indices;
  const b = knnExact(Y, n, dY, k).indices;
  const mark = new Int32Array(n).fill(-1);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < k; m++) mark[a[i * k + m]] = i;
    for (let m = 0; m < k; m++) if (mark[b[i * k + m]] === i) hits++;
  }
  return hits / (n * k);
}
