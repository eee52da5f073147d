// K-means (Lloyd) with greedy k-means++ initialisation, following sklearn.cluster.KMeans
// (algorithm 'lloyd'): 2 + ⌊ln k⌋ candidate centres per k-means++ step, tolerance relative to
// the mean feature variance, stop on unchanged labels or centre shift ≤ tol, n_init restarts
// keeping the lowest inertia, empty clusters re-seeded with the points farthest from their centre.

import { mulberry32, type Rng } from '../random';
import { checkMatrix, sqDist } from './linalg';

export interface KMeansOptions {
  /** Restarts; the run with the lowest inertia is kept (default 10). */
  nInit?: number;
  /** Lloyd iterations per run (default 300). */
  maxIter?: number;
  /** Convergence tolerance relative to the mean column variance (default 1e-4). */
  tol?: number;
  /** Random source (default mulberry32(0)). */
  rng?: Rng;
  /** Fixed starting centres (k × d); disables k-means++ and restarts. */
  initCenters?: Float64Array;
}

export interface KMeansResult {
  k: number;
  labels: Int32Array;
  /** k × d */
  centers: Float64Array;
  /** Sum of squared distances of points to their centre. */
  inertia: number;
  /** Lloyd iterations of the kept run. */
  nIter: number;
}

export function kmeans(X: Float64Array, n: number, d: number, k: number, opts: KMeansOptions = {}): KMeansResult {
  checkMatrix('kmeans', X, n, d);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kmeans: k must be an integer in [1, ${n}], got ${k}`);
  const rng = opts.rng ?? mulberry32(0);
  const maxIter = opts.maxIter ?? 300;
  // tol is scaled by the mean variance of the columns, as sklearn's _tolerance.
  let meanVar = 0;
  for (let t = 0; t < d; t++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i * d + t];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + t] - m) ** 2;
    meanVar += v / n;
  }
  const tol = (opts.tol ?? 1e-4) * (meanVar / d);
  const nInit = opts.initCenters ? 1 : (opts.nInit ?? 10);
  let best: KMeansResult | null = null;
  for (let run = 0; run < nInit; run++) {
    const centers = opts.initCenters ? Float64Array.from(opts.initCenters.subarray(0, k * d)) : kmeansPlusPlus(X, n, d, k, rng);
    const res = lloyd(X, n, d, k, centers, maxIter, tol);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best as KMeansResult;
}

/** Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, sklearn's variant). Returns k × d centres. */
export function kmeansPlusPlus(X: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  let first = Math.floor(rng() * n);
  if (first >= n) first = n - 1;
  centers.set(X.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(X, i, centers, 0, d);
    pot += closest[i];
  }
  const cand = new Float64Array(n);
  let bestDist = new Float64Array(n);
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cum[i] = acc;
    }
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const r = rng() * pot;
      // searchsorted (left): first index with cum >= r
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] < r) lo = mid + 1;
        else hi = mid;
      }
      const id = Math.min(lo, n - 1);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i], sqDist(X, i, X, id, d));
        cand[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        bestDist.set(cand);
      }
    }
    centers.set(X.subarray(bestId * d, bestId * d + d), c * d);
    const swap = closest;
    closest = bestDist;
    bestDist = swap;
    pot = bestPot;
  }
  return centers;
}

function lloyd(X: Float64Array, n: number, d: number, k: number, centers: Float64Array, maxIter: number, tol: number): KMeansResult {
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const next = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let nIter = 0;
  let strict = false;
  for (let it = 0; it < maxIter; it++) {
    nIter = it + 1;
    const changed = assign(X, n, d, k, centers, labels, dist);
    next.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let t = 0; t < d; t++) next[c * d + t] += X[i * d + t];
    }
    relocateEmpty(X, n, d, k, labels, dist, counts, next, centers);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let t = 0; t < d; t++) {
        const v = counts[c] > 0 ? next[c * d + t] / counts[c] : centers[c * d + t];
        shift += (v - centers[c * d + t]) ** 2;
        centers[c * d + t] = v;
      }
    }
    if (it > 0 && changed === 0) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
  }
  if (!strict) assign(X, n, d, k, centers, labels, dist);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i];
  return { k, labels, centers, inertia, nIter };
}

/** Label each row with its nearest centre; returns how many labels changed. */
function assign(X: Float64Array, n: number, d: number, k: number, centers: Float64Array, labels: Int32Array, dist: Float64Array): number {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const v = sqDist(X, i, centers, c, d);
      if (v < best) {
        best = v;
        arg = c;
      }
    }
    if (labels[i] !== arg) changed++;
    labels[i] = arg;
    dist[i] = best;
  }
  return changed;
}

/** Give each empty cluster the point farthest from its current centre. */
function relocateEmpty(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
  counts: Float64Array,
  sums: Float64Array,
  centers: Float64Array,
): void {
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    let far = -1;
    let farD = -1;
    for (let i = 0; i < n; i++) {
      if (counts[labels[i]] > 1 && dist[i] > farD) {
        farD = dist[i];
        far = i;
      }
    }
    if (far < 0) continue;
    const old = labels[far];
    for (let t = 0; t < d; t++) {
      sums[old * d + t] -= X[far * d + t];
      sums[c * d + t] = X[far * d + t];
    }
    counts[old]--;
    counts[c] = 1;
    labels[far] = c;
    dist[far] = 0;
    for (let t = 0; t < d; t++) centers[c * d + t] = X[far * d + t];
  }
}
