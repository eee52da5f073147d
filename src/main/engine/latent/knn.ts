// Exact k-nearest neighbours by brute force over typed arrays: every pair's squared Euclidean
// distance is computed once (register-tiled dot products) and offered to both rows' bounded
// max-heaps. O(n² d) time, O(n k) memory. Ties are broken by the smaller index, so the result is deterministic.

export interface KnnResult {
  k: number;
  /** Neighbour indices, n × k, nearest first (the point itself excluded). */
  indices: Int32Array;
  /** Squared Euclidean distances matching `indices`. */
  sqDistances: Float64Array;
}

/** The k nearest other rows of every row of X (n × d). Requires 1 ≤ k ≤ n − 1. */
export function knnExact(X: Float64Array, n: number, d: number, k: number): KnnResult {
  if (!Number.isInteger(k) || k < 1 || k > n - 1) {
    throw new RangeError(`knnExact: k must be an integer in [1, ${n - 1}], got ${k}`);
  }
  const idx = new Int32Array(n * k);
  const dist = new Float64Array(n * k);
  const size = new Int32Array(n);
  // Each row's heap lives in idx/dist[i*k .. i*k+k), a max-heap on (distance, index).
  const offer = (row: number, j: number, dj: number): void => {
    const base = row * k;
    let s = size[row];
    if (s < k) {
      // sift up
      let c = s;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const dp = dist[base + p];
        if (dp > dj || (dp === dj && idx[base + p] > j)) break;
        dist[base + c] = dp;
        idx[base + c] = idx[base + p];
        c = p;
      }
      dist[base + c] = dj;
      idx[base + c] = j;
      size[row] = s + 1;
      return;
    }
    const dTop = dist[base];
    if (dj > dTop || (dj === dTop && j > idx[base])) return;
    // replace the root and sift down
    s = k;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= s) break;
      let m = l;
      const r = l + 1;
      if (r < s && (dist[base + r] > dist[base + l] || (dist[base + r] === dist[base + l] && idx[base + r] > idx[base + l]))) m = r;
      const dm = dist[base + m];
      if (dm < dj || (dm === dj && idx[base + m] < j)) break;
      dist[base + c] = dm;
      idx[base + c] = idx[base + m];
      c = m;
    }
    dist[base + c] = dj;
    idx[base + c] = j;
  };

  // Candidate distances by |xi|² + |xj|² − 2 xi·xj with 4 × 4 register tiles inside 64 × 64 cache
  // tiles; the selected neighbours' distances are recomputed exactly from differences below.
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += X[i * d + t] * X[i * d + t];
    norm[i] = s;
  }
  const consider = (i: number, j: number, dot: number): void => {
    let s = norm[i] + norm[j] - 2 * dot;
    if (s < 0) s = 0;
    if (size[i] < k || s <= dist[i * k]) offer(i, j, s);
    if (size[j] < k || s <= dist[j * k]) offer(j, i, s);
  };
  const n4 = n - (n % 4);
  const B = 64;
  for (let I0 = 0; I0 < n4; I0 += B) {
    const I1 = Math.min(n4, I0 + B);
    for (let J0 = I0; J0 < n4; J0 += B) {
      const J1 = Math.min(n4, J0 + B);
      for (let i0 = I0; i0 < I1; i0 += 4) {
        const a0 = i0 * d;
        const a1 = a0 + d;
        const a2 = a1 + d;
        const a3 = a2 + d;
        for (let j0 = J0 === I0 ? i0 : J0; j0 < J1; j0 += 4) {
          const b0 = j0 * d;
          const b1 = b0 + d;
          const b2 = b1 + d;
          const b3 = b2 + d;
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
          for (let t = 0; t < d; t++) {
            const x0 = X[a0 + t], x1 = X[a1 + t], x2 = X[a2 + t], x3 = X[a3 + t];
            const y0 = X[b0 + t], y1 = X[b1 + t], y2 = X[b2 + t], y3 = X[b3 + t];
            s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
            s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
            s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
            s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
          }
          if (j0 !== i0) {
            consider(i0, j0, s00); consider(i0, j0 + 1, s01); consider(i0, j0 + 2, s02); consider(i0, j0 + 3, s03);
            consider(i0 + 1, j0, s10); consider(i0 + 1, j0 + 1, s11); consider(i0 + 1, j0 + 2, s12); consider(i0 + 1, j0 + 3, s13);
            consider(i0 + 2, j0, s20); consider(i0 + 2, j0 + 1, s21); consider(i0 + 2, j0 + 2, s22); consider(i0 + 2, j0 + 3, s23);
            consider(i0 + 3, j0, s30); consider(i0 + 3, j0 + 1, s31); consider(i0 + 3, j0 + 2, s32); consider(i0 + 3, j0 + 3, s33);
          } else {
            consider(i0, j0 + 1, s01); consider(i0, j0 + 2, s02); consider(i0, j0 + 3, s03);
            consider(i0 + 1, j0 + 2, s12); consider(i0 + 1, j0 + 3, s13);
            consider(i0 + 2, j0 + 3, s23);
          }
        }
      }
    }
  }
  // The last n mod 4 rows against every other row.
  for (let i = n4; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += X[i * d + t] * X[j * d + t];
      consider(j, i, s);
    }
  }
  // Exact distances for the chosen neighbours (the dot-product form loses digits to cancellation).
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < k; m++) {
      const j = idx[i * k + m];
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = X[i * d + t] - X[j * d + t];
        s += u * u;
      }
      dist[i * k + m] = s;
    }
  }
  sortRows(idx, dist, n, k);
  return { k, indices: idx, sqDistances: dist };
}

/** Sort each row's (distance, index) pairs ascending, in place (insertion sort: rows are short). */
function sortRows(idx: Int32Array, dist: Float64Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let a = 1; a < k; a++) {
      const da = dist[base + a];
      const ia = idx[base + a];
      let b = a - 1;
      while (b >= 0 && (dist[base + b] > da || (dist[base + b] === da && idx[base + b] > ia))) {
        dist[base + b + 1] = dist[base + b];
        idx[base + b + 1] = idx[base + b];
        b--;
      }
      dist[base + b + 1] = da;
      idx[base + b + 1] = ia;
    }
  }
}
