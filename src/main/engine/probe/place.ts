// Placing new points into an existing map. t-SNE has no transform: a new point goes to the
// distance-weighted mean of the map coordinates of its k nearest training points in the source
// space (weights 1/distance; a point that coincides with training points sits on their mean).
// PCA projects exactly; UMAP has its own transform (jobs/place.ts). Pure, Float64.
import { insertTopK } from '../topk';

export interface KnnPlacement {
  /** m × dims map coordinates. */
  points: Float64Array;
  /** m × k indices of the nearest training points (nearest first). */
  neighbours: Int32Array;
  /** m × k Euclidean distances in the source space. */
  distances: Float64Array;
  k: number;
}

/**
 * X: n × d training points (source space), Y: their n × dims map coordinates, Q: m × d new points.
 * k is capped at n.
 */
export function knnPlace(X: Float64Array, n: number, d: number, Y: ArrayLike<number>, dims: number, Q: Float64Array, m: number, k: number): KnnPlacement {
  if (!(n >= 1) || !(d >= 1) || !(dims >= 1)) throw new RangeError(`knnPlace: bad shape n ${n}, d ${d}, dims ${dims}`);
  if (X.length < n * d || Y.length < n * dims || Q.length < m * d) throw new RangeError('knnPlace: arrays shorter than their shapes');
  const kk = Math.max(1, Math.min(Math.floor(k), n));
  const points = new Float64Array(m * dims);
  const neighbours = new Int32Array(m * kk);
  const distances = new Float64Array(m * kk);
  const bd = new Float64Array(kk);
  const bi = new Int32Array(kk);
  for (let q = 0; q < m; q++) {
    // the kk smallest distances, stable by index on ties
    bd.fill(Infinity);
    bi.fill(-1);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (Q[q * d + t]! - X[i * d + t]!) ** 2;
      insertTopK(bd, bi, Math.sqrt(s), i);
    }
    const zero = bd.filter((v) => v === 0).length;
    let wsum = 0;
    for (let j = 0; j < (zero > 0 ? zero : kk); j++) {
      const w = zero > 0 ? 1 : 1 / bd[j]!;
      wsum += w;
      for (let c = 0; c < dims; c++) points[q * dims + c] += w * Y[bi[j]! * dims + c]!;
    }
    for (let c = 0; c < dims; c++) points[q * dims + c] /= wsum;
    neighbours.set(bi, q * kk);
    distances.set(bd, q * kk);
  }
  return { points, neighbours, distances, k: kk };
}

/** The most common label among each new point's neighbours (ties: the nearer neighbour's label). */
export function nearestLabels(p: KnnPlacement, m: number, labels: readonly string[]): string[] {
  const out: string[] = [];
  for (let q = 0; q < m; q++) {
    const counts = new Map<string, { n: number; first: number }>();
    for (let j = 0; j < p.k; j++) {
      const l = labels[p.neighbours[q * p.k + j]!]!;
      const c = counts.get(l);
      if (c) c.n++;
      else counts.set(l, { n: 1, first: j });
    }
    const best = [...counts].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)[0];
    out.push(best ? best[0] : '');
  }
  return out;
}

/** Column means and population standard deviations (1 where a column is constant), as StandardScaler. */
export function columnStats(X: Float64Array, n: number, d: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sd[j] += (X[i * d + j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(sd[j]! / Math.max(1, n));
    sd[j] = s > 0 ? s : 1;
  }
  return { mean, sd };
}

/** (X − mean) / sd, row by row (a new array). */
export function applyStats(X: Float64Array, m: number, d: number, s: { mean: Float64Array; sd: Float64Array }): Float64Array {
  const out = new Float64Array(m * d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) out[i * d + j] = (X[i * d + j]! - s.mean[j]!) / s.sd[j]!;
  return out;
}
