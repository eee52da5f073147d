// Linear sum assignment (the Hungarian method, Kuhn 1955 / Munkres 1957, in the O(r²c)
// shortest-augmenting-path form with row and column potentials), rectangular allowed, with the
// same output convention as scipy.optimize.linear_sum_assignment; and the Hungarian-matched
// clustering accuracy built on it.

import { encodeLabels, type LabelValue } from './indices';

export interface Assignment {
  /** Row indices, increasing (length min(rows, cols)). */
  rowInd: Int32Array;
  /** Column assigned to each entry of rowInd. */
  colInd: Int32Array;
  /** Sum of cost[rowInd[t], colInd[t]]. */
  total: number;
}

/**
 * Minimise (or maximise) Σ cost[i, σ(i)] over one-to-one matchings of min(rows, cols) pairs.
 * cost is rows × cols, row-major, all finite.
 */
export function linearSumAssignment(cost: Float64Array, rows: number, cols: number, maximize = false): Assignment {
  if (cost.length < rows * cols) throw new RangeError(`linearSumAssignment: need ${rows * cols} costs, got ${cost.length}`);
  for (let t = 0; t < rows * cols; t++) {
    if (!Number.isFinite(cost[t])) throw new RangeError('linearSumAssignment: costs must be finite');
  }
  const transpose = rows > cols;
  const n = transpose ? cols : rows; // n ≤ m
  const m = transpose ? rows : cols;
  const sign = maximize ? -1 : 1;
  const a = (i: number, j: number): number => sign * (transpose ? cost[j * cols + i] : cost[i * cols + j]);
  // 1-based arrays; column 0 is a virtual start.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row matched to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  // Collect pairs (row, col) in the original orientation, sorted by row.
  const pairs: [number, number][] = [];
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    const r = p[j] - 1;
    const c = j - 1;
    pairs.push(transpose ? [c, r] : [r, c]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const rowInd = new Int32Array(pairs.length);
  const colInd = new Int32Array(pairs.length);
  let total = 0;
  pairs.forEach(([r, c], t) => {
    rowInd[t] = r;
    colInd[t] = c;
    total += cost[r * cols + c];
  });
  return { rowInd, colInd, total };
}

export interface MatchedAccuracy<P extends LabelValue = number, T extends LabelValue = number> {
  /** Fraction of samples whose cluster is matched to their true class. */
  accuracy: number;
  /** Number of correctly matched samples. */
  correct: number;
  /** Pairs [predicted label, true label] of the optimal one-to-one matching. */
  mapping: [P, T][];
}

/**
 * Clustering accuracy under the best one-to-one matching of clusters to classes (Hungarian
 * algorithm on the contingency table). With more clusters than classes (or fewer), the
 * unmatched clusters count as wrong.
 */
export function clusteringAccuracy<T extends LabelValue, P extends LabelValue>(
  trueLabels: ArrayLike<T>,
  predLabels: ArrayLike<P>,
): MatchedAccuracy<P, T> {
  const n = trueLabels.length;
  if (predLabels.length !== n) throw new RangeError('clusteringAccuracy: label vectors differ in length');
  if (n === 0) return { accuracy: 0, correct: 0, mapping: [] };
  const t = encodeLabels(trueLabels);
  const p = encodeLabels(predLabels);
  const C = new Float64Array(p.nLabels * t.nLabels);
  for (let i = 0; i < n; i++) C[p.codes[i] * t.nLabels + t.codes[i]]++;
  const { rowInd, colInd, total } = linearSumAssignment(C, p.nLabels, t.nLabels, true);
  const mapping: [P, T][] = [];
  for (let q = 0; q < rowInd.length; q++) mapping.push([p.values[rowInd[q]], t.values[colInd[q]]]);
  return { accuracy: total / n, correct: total, mapping };
}
