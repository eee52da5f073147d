// Placing new points into an existing map. t-SNE has no transform: a new point goes to the
// distance-weighted mean of the map coordinates of its k nearest training points in the source
// space (weights 1/distance; a point that coincides with training points sits on their mean).
// PCA projects exactly; UMAP has its own transform (jobs/place.ts). Pure, Float64.

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
  const dist = new Float64Array(n);
  const order = new Int32Array(n);
  for (let q = 0; q < m; q++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (Q[q * d + t]! - X[i * d + t]!) ** 2;
      dist[i] = Math.sqrt(s);
      order[i] = i;
    }
    // partial selection of the kk smallest (stable by index on ties)
    const idx = Array.from(order).sort((a, b) => dist[a]! - dist[b]! || a - b).slice(0, kk);
    const zero = idx.filter((i) => dist[i] === 0);
    const use = zero.length > 0 ? zero : idx;
    let wsum = 0;
    for (const i of use) {
      const w = zero.length > 0 ? 1 : 1 / dist[i]!;
      wsum += w;
      for (let c = 0; c < dims; c++) points[q * dims + c] += w * Y[i * dims + c]!;
    }
    for (let c = 0; c < dims; c++) points[q * dims + c] /= wsum;
    idx.forEach((i, j) => {
      neighbours[q * kk + j] = i;
      distances[q * kk + j] = dist[i]!;
    });
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
