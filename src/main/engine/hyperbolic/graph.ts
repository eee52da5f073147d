// Compressed sparse row adjacency over node ids 0..n-1 with sorted, de-duplicated neighbour lists,
// and a binary-search membership test (used to reject negatives and to rank neighbours).

export interface Adjacency {
  n: number;
  /** Neighbours of u are targets[offsets[u] .. offsets[u + 1]), ascending. */
  offsets: Int32Array;
  targets: Int32Array;
}

/**
 * CSR adjacency from an edge list. `symmetric` adds both directions (the undirected neighbourhood);
 * otherwise only src → dst. Self-loops and repeated edges are dropped.
 */
export function buildAdjacency(n: number, src: ArrayLike<number>, dst: ArrayLike<number>, symmetric = true): Adjacency {
  const m = src.length;
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    if (src[e] === dst[e]) continue;
    deg[src[e]]++;
    if (symmetric) deg[dst[e]]++;
  }
  const start = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) start[u + 1] = start[u] + deg[u];
  const raw = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let e = 0; e < m; e++) {
    const a = src[e];
    const b = dst[e];
    if (a === b) continue;
    raw[fill[a]++] = b;
    if (symmetric) raw[fill[b]++] = a;
  }
  // sort each list and drop repeats
  const offsets = new Int32Array(n + 1);
  let w = 0;
  for (let u = 0; u < n; u++) {
    const seg = raw.subarray(start[u], start[u + 1]).sort();
    offsets[u] = w;
    let prev = -1;
    for (let k = 0; k < seg.length; k++) {
      const x = seg[k];
      if (x !== prev) raw[w++] = x;
      prev = x;
    }
  }
  offsets[n] = w;
  return { n, offsets, targets: raw.slice(0, w) };
}

/** Whether v is a neighbour of u (binary search in u's sorted list). */
export function hasNeighbour(adj: Adjacency, u: number, v: number): boolean {
  let lo = adj.offsets[u];
  let hi = adj.offsets[u + 1] - 1;
  const t = adj.targets;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = t[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function degree(adj: Adjacency, u: number): number {
  return adj.offsets[u + 1] - adj.offsets[u];
}
