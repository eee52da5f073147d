// Inferred hierarchical classification trees (IHCT): each genre is the mean of its tracks'
// standardised features; agglomerative clustering of those means gives a genre tree; cutting it at
// k clusters gives tier T_k. Tiers come as nested partitions of the genres, with each cluster's
// parent in the tier above and its index among its parent's children (the "relative" label of the
// recurrent tier model).
import { standardize } from '../latent/linalg';
import type { Matrix } from '../ml/types';
import { cutTree, leafOrder, linkage, type LinkageMethod, type LinkageMetric } from './linkage';

export type TierScheme = 'pow2' | 'halving' | 'custom';
export const TIER_SCHEMES: readonly TierScheme[] = ['pow2', 'halving', 'custom'];

export interface GenreTree {
  labels: string[];
  method: LinkageMethod;
  metric: LinkageMetric;
  /** scipy-style linkage matrix over the genres (N − 1 rows of [a, b, height, size]). */
  Z: Float64Array;
  /** Genres in dendrogram order. */
  order: Int32Array;
}

/** Mean of each class's standardised rows (k × d, row-major); a class without rows gets zeros. */
export function classMeans(X: Matrix, y: Int32Array, k: number, standardise = true): Float64Array {
  // Standardised in float64 (population sd, a constant column keeps scale 1), as scikit-learn's StandardScaler.
  const xs = standardise ? { data: standardize(Float64Array.from(X.data), X.rows, X.cols), rows: X.rows, cols: X.cols } : X;
  const d = X.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let r = 0; r < X.rows; r++) {
    const c = y[r]!;
    counts[c]++;
    for (let j = 0; j < d; j++) sums[c * d + j] += xs.data[r * d + j]!;
  }
  for (let c = 0; c < k; c++) if (counts[c]! > 0) for (let j = 0; j < d; j++) sums[c * d + j] /= counts[c]!;
  return sums;
}

/** The IHCT genre tree of a labelled table: linkage over the class means of standardised features. */
export function buildGenreTree(X: Matrix, y: Int32Array, labels: readonly string[], method: LinkageMethod = 'ward', metric: LinkageMetric = 'euclidean'): GenreTree {
  const k = labels.length;
  if (k < 2) throw new Error('buildGenreTree: at least two genres are needed');
  const Z = linkage(classMeans(X, y, k), k, X.cols, method, metric);
  return { labels: [...labels], method, metric, Z, order: leafOrder(Z) };
}

/** The tree of rows that already are one per genre (e.g. Spotify's per-genre means), standardised first (float64). */
export function treeOfRows(X: Matrix, labels: readonly string[], method: LinkageMethod = 'ward', metric: LinkageMetric = 'euclidean'): GenreTree {
  if (labels.length !== X.rows) throw new Error('treeOfRows: one label per row');
  const xs = standardize(Float64Array.from(X.data), X.rows, X.cols);
  const Z = linkage(xs, X.rows, X.cols, method, metric);
  return { labels: [...labels], method, metric, Z, order: leafOrder(Z) };
}

/**
 * Tier sizes, ascending, ending at N (the genres). pow2: 2, 4, 8, … below N, then N. halving: N,
 * ⌈N/2⌉, ⌈N/4⌉, … down to 2, reversed. custom: the given sizes (each in 2..N), sorted, N added.
 */
export function tierSizes(N: number, scheme: TierScheme, custom: readonly number[] = []): number[] {
  if (!Number.isInteger(N) || N < 2) throw new Error(`tierSizes: need at least 2 classes, got ${N}`);
  const s = new Set<number>();
  if (scheme === 'pow2') for (let k = 2; k < N; k *= 2) s.add(k);
  else if (scheme === 'halving') for (let k = N; k >= 2; k = k === 2 ? 1 : Math.ceil(k / 2)) s.add(k);
  else {
    for (const k of custom) {
      if (!Number.isInteger(k) || k < 2 || k > N) throw new Error(`tierSizes: custom tier ${k} outside 2..${N}`);
      s.add(k);
    }
  }
  s.add(N);
  return [...s].sort((a, b) => a - b);
}

export interface Tiers {
  /** Clusters per tier, ascending; the last is N. */
  sizes: number[];
  /** Per tier: cluster (0..size−1) of each genre. */
  assign: Int32Array[];
  /** Per tier: parent cluster in the tier above of each cluster (all 0 for the first tier: the root). */
  parent: Int32Array[];
  /** Per tier: index of each cluster among its parent's children. */
  childIndex: Int32Array[];
  /** Per tier: number of children of each cluster of the tier above (tier 0: [size of tier 0]). */
  children: Int32Array[];
  /** Largest number of children of any node (the width of a relative label). */
  branching: number;
}

/** Nested tiers of a genre tree cut at the given sizes (see tierSizes). */
export function tiersOf(Z: Float64Array, sizes: readonly number[]): Tiers {
  const N = Z.length / 4 + 1;
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  if (sorted[sorted.length - 1] !== N) throw new Error(`tiersOf: the last tier must have ${N} clusters`);
  const assign = sorted.map((k) => cutTree(Z, k));
  const parent: Int32Array[] = [];
  const childIndex: Int32Array[] = [];
  const children: Int32Array[] = [];
  let branching = 0;
  sorted.forEach((k, t) => {
    const par = new Int32Array(k);
    const up = t > 0 ? sorted[t - 1]! : 1;
    if (t > 0) {
      par.fill(-1);
      for (let g = 0; g < N; g++) {
        const c = assign[t]![g]!;
        const p = assign[t - 1]![g]!;
        if (par[c] !== -1 && par[c] !== p) throw new Error('tiersOf: tiers do not nest');
        par[c] = p;
      }
    }
    const count = new Int32Array(up);
    const idx = new Int32Array(k);
    for (let c = 0; c < k; c++) idx[c] = count[par[c]!]++;
    for (const v of count) branching = Math.max(branching, v);
    parent.push(par);
    childIndex.push(idx);
    children.push(count);
  });
  return { sizes: sorted, assign, parent, childIndex, children, branching };
}

/** Tier labels of rows: per tier, the cluster of each row's genre. */
export function tierLabels(tiers: Tiers, y: Int32Array): Int32Array[] {
  return tiers.assign.map((a) => Int32Array.from(y, (g) => a[g]!));
}

export interface DendrogramJSON {
  format: 'genrelab-tree';
  /** Linkage method (single, complete, average, weighted, ward). */
  linkage: LinkageMethod;
  metric: LinkageMetric;
  /** Leaf names; leaf i is cluster id i. */
  labels: string[];
  /**
   * scipy's linkage-matrix convention: row r merges clusters a and b (ids < N are leaves, N + r' is
   * the cluster made by row r') at the given height; size is the new cluster's number of leaves.
   */
  merges: [number, number, number, number][];
  /** Leaves in dendrogram order (left to right), as names. */
  order: string[];
  /** Optional tiers: sizes and, per tier, the cluster of each leaf. */
  tiers?: { sizes: number[]; assign: number[][] };
}

/** The tree as JSON for the tree view and `genrelab tree --out`. */
export function dendrogramJSON(tree: GenreTree, tiers?: Tiers): DendrogramJSON {
  const N = tree.labels.length;
  const { Z } = tree;
  return {
    format: 'genrelab-tree',
    linkage: tree.method,
    metric: tree.metric,
    labels: [...tree.labels],
    merges: Array.from({ length: N - 1 }, (_, r) => [Z[r * 4]!, Z[r * 4 + 1]!, Z[r * 4 + 2]!, Z[r * 4 + 3]!] as [number, number, number, number]),
    order: Array.from(tree.order, (g) => tree.labels[g]!),
    tiers: tiers ? { sizes: [...tiers.sizes], assign: tiers.assign.map((a) => Array.from(a)) } : undefined,
  };
}
