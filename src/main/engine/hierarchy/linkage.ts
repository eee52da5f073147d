// Agglomerative (hierarchical) clustering with the nearest-neighbour-chain algorithm over a
// condensed distance matrix, O(n²) time and memory, and Lance–Williams updates for single,
// complete, average (UPGMA), weighted (WPGMA) and Ward linkage. All five are reducible, so the
// chain finds the same merges as the naive algorithm. Output: scipy's linkage matrix — n−1 rows of
// [a, b, height, size], rows sorted by height (stable), new cluster n+i formed at row i, a < b.

export type LinkageMethod = 'single' | 'complete' | 'average' | 'weighted' | 'ward';
export type LinkageMetric = 'euclidean' | 'cosine';

export const LINKAGE_METHODS: readonly LinkageMethod[] = ['single', 'complete', 'average', 'weighted', 'ward'];
export const LINKAGE_METRICS: readonly LinkageMetric[] = ['euclidean', 'cosine'];

/** Position of pair (i, j), i < j, in a condensed distance matrix of n points (scipy's order). */
export function condensedIndex(n: number, i: number, j: number): number {
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * Condensed pairwise distances of the n rows of X (n × d, row-major), as scipy's pdist:
 * 'euclidean', or 'cosine' = 1 − u·v / (|u| |v|) (a zero row is at distance 1 from everything).
 */
export function pdist(X: ArrayLike<number>, n: number, d: number, metric: LinkageMetric = 'euclidean'): Float64Array {
  if (X.length !== n * d) throw new Error(`pdist: ${X.length} values cannot be ${n} × ${d}`);
  const D = new Float64Array((n * (n - 1)) / 2);
  const norms = new Float64Array(n);
  if (metric === 'cosine') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += X[i * d + k]! * X[i * d + k]!;
      norms[i] = Math.sqrt(s);
    }
  }
  let p = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let s = 0;
      if (metric === 'euclidean') {
        for (let k = 0; k < d; k++) {
          const t = X[oi + k]! - X[oj + k]!;
          s += t * t;
        }
        D[p++] = Math.sqrt(s);
      } else {
        for (let k = 0; k < d; k++) s += X[oi + k]! * X[oj + k]!;
        const den = norms[i]! * norms[j]!;
        D[p++] = den > 0 ? Math.max(0, 1 - s / den) : 1;
      }
    }
  }
  return D;
}

/**
 * Linkage matrix from a condensed distance matrix (which is overwritten: pass a copy to keep it).
 * Ward's update assumes Euclidean distances; with others it is applied as a formula, as scipy does
 * when given a precomputed matrix.
 */
export function linkageFromDistances(D: Float64Array, n: number, method: LinkageMethod): Float64Array {
  if (!LINKAGE_METHODS.includes(method)) throw new Error(`linkage: unknown method "${method}"`);
  if (n < 2) throw new Error('linkage: at least two points are needed');
  if (D.length !== (n * (n - 1)) / 2) throw new Error(`linkage: ${D.length} distances do not fit ${n} points`);
  for (let i = 0; i < D.length; i++) if (!Number.isFinite(D[i]!)) throw new Error('linkage: distances must be finite');
  const at = (i: number, j: number) => (i < j ? condensedIndex(n, i, j) : condensedIndex(n, j, i));
  const size = new Float64Array(n).fill(1);
  // Active slots as a linked list so each scan skips merged ones.
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  // slot n is the list head; next[last] = n
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i + 1] = i;
  }
  next[n - 1] = n;
  next[n] = 0;
  prev[0] = n;
  const remove = (x: number) => {
    next[prev[x]!] = next[x]!;
    prev[next[x]!] = prev[x]!;
  };
  const raw = new Float64Array((n - 1) * 4);
  const chain = new Int32Array(n);
  let len = 0;
  for (let k = 0; k < n - 1; k++) {
    if (len === 0) chain[len++] = next[n]!;
    let x = 0;
    let y = 0;
    let best = Infinity;
    for (;;) {
      x = chain[len - 1]!;
      if (len > 1) {
        y = chain[len - 2]!;
        best = D[at(x, y)]!;
      } else best = Infinity;
      for (let i = next[n]!; i !== n; i = next[i]!) {
        if (i === x) continue;
        const v = D[at(x, i)]!;
        if (v < best) {
          best = v;
          y = i;
        }
      }
      if (len > 1 && y === chain[len - 2]) break;
      chain[len++] = y;
    }
    len -= 2;
    if (x > y) [x, y] = [y, x];
    const nx = size[x]!;
    const ny = size[y]!;
    raw[k * 4] = x;
    raw[k * 4 + 1] = y;
    raw[k * 4 + 2] = best;
    raw[k * 4 + 3] = nx + ny;
    remove(x);
    size[x] = 0;
    size[y] = nx + ny;
    // Lance–Williams: distance from every other active cluster i to the merged cluster (kept in slot y).
    for (let i = next[n]!; i !== n; i = next[i]!) {
      if (i === y) continue;
      const ix = at(i, x);
      const iy = at(i, y);
      const dx = D[ix]!;
      const dy = D[iy]!;
      let v: number;
      switch (method) {
        case 'single':
          v = dx < dy ? dx : dy;
          break;
        case 'complete':
          v = dx > dy ? dx : dy;
          break;
        case 'average':
          v = (nx * dx + ny * dy) / (nx + ny);
          break;
        case 'weighted':
          v = 0.5 * (dx + dy);
          break;
        default: {
          const ni = size[i]!;
          v = Math.sqrt(Math.max(0, ((ni + nx) * dx * dx + (ni + ny) * dy * dy - ni * best * best) / (nx + ny + ni)));
        }
      }
      D[iy] = v;
    }
  }
  return relabel(raw, n);
}

/** Linkage of the rows of X under a metric (see pdist and linkageFromDistances). */
export function linkage(X: ArrayLike<number>, n: number, d: number, method: LinkageMethod = 'ward', metric: LinkageMetric = 'euclidean'): Float64Array {
  return linkageFromDistances(pdist(X, n, d, metric), n, method);
}

/** Stable sort of merges by height, then scipy's relabelling (union–find: cluster n+i is row i). */
function relabel(raw: Float64Array, n: number): Float64Array {
  const m = n - 1;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => raw[a * 4 + 2]! - raw[b * 4 + 2]! || a - b);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number) => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const p = parent[x]!;
      parent[x] = r;
      x = p;
    }
    return r;
  };
  const Z = new Float64Array(m * 4);
  order.forEach((src, i) => {
    const a = find(raw[src * 4]!);
    const b = find(raw[src * 4 + 1]!);
    Z[i * 4] = Math.min(a, b);
    Z[i * 4 + 1] = Math.max(a, b);
    Z[i * 4 + 2] = raw[src * 4 + 2]!;
    Z[i * 4 + 3] = raw[src * 4 + 3]!;
    parent[a] = n + i;
    parent[b] = n + i;
  });
  return Z;
}

/** Number of leaves of a linkage matrix. */
export function leavesOf(Z: Float64Array): number {
  if (Z.length % 4 !== 0) throw new Error('linkage matrix: rows of 4 values expected');
  return Z.length / 4 + 1;
}

/**
 * Cluster of every leaf when the tree is cut into k clusters: the first n − k merges are applied
 * (scipy's cut_tree, which gives exactly k clusters; equal to fcluster 'maxclust' when no two merge
 * heights tie). Clusters are numbered 0..k−1 in order of their smallest leaf.
 */
export function cutTree(Z: Float64Array, k: number): Int32Array {
  const n = leavesOf(Z);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`cutTree: k must be an integer in [1, ${n}], got ${k}`);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number) => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (let i = 0; i < n - k; i++) {
    parent[find(Z[i * 4]!)] = n + i;
    parent[find(Z[i * 4 + 1]!)] = n + i;
  }
  const out = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let leaf = 0; leaf < n; leaf++) {
    const r = find(leaf);
    let c = ids.get(r);
    if (c === undefined) {
      c = ids.size;
      ids.set(r, c);
    }
    out[leaf] = c;
  }
  return out;
}

/** Leaves in dendrogram order (scipy's leaves_list: depth first, left = column 0 before right). */
export function leafOrder(Z: Float64Array): Int32Array {
  const n = leavesOf(Z);
  const out = new Int32Array(n);
  if (n === 1) return out;
  let p = 0;
  const stack = [2 * n - 2];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c < n) out[p++] = c;
    else {
      const r = c - n;
      stack.push(Z[r * 4 + 1]!, Z[r * 4]!);
    }
  }
  return out;
}

/** Cophenetic distances (condensed): the height at which each pair of leaves first joins. */
export function cophenetic(Z: Float64Array): Float64Array {
  const n = leavesOf(Z);
  const out = new Float64Array((n * (n - 1)) / 2);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  for (let r = 0; r < n - 1; r++) {
    const a = members[Z[r * 4]!]!;
    const b = members[Z[r * 4 + 1]!]!;
    for (const i of a) for (const j of b) out[i < j ? condensedIndex(n, i, j) : condensedIndex(n, j, i)] = Z[r * 4 + 2]!;
    members.push(a.concat(b));
  }
  return out;
}
