// k-nearest-neighbour graphs over rows (tracks or segments) for graph models: brute force,
// metrics Euclidean, cosine, Manhattan and Jaccard (on features binarised at per-column thresholds),
// and edge weights from the distances, normalised per row so that aggregation is a weighted mean.
// Queries connect new rows to their k nearest rows of a fixed graph (inductive use): the graph
// itself is not changed.
import { insertTopK } from '../topk';

export type GraphMetric = 'euclidean' | 'cosine' | 'manhattan' | 'jaccard';
export type EdgeWeighting = 'uniform' | 'inverse' | 'gaussian';
export const GRAPH_METRICS: readonly GraphMetric[] = ['euclidean', 'cosine', 'manhattan', 'jaccard'];
export const EDGE_WEIGHTINGS: readonly EdgeWeighting[] = ['uniform', 'inverse', 'gaussian'];

export interface KnnGraph {
  /** Rows (nodes). */
  n: number;
  /** Neighbours per node. */
  k: number;
  /** n × k neighbour indices, nearest first (a node is never its own neighbour). */
  neighbours: Int32Array;
  /** n × k distances under the metric. */
  distances: Float64Array;
  /** n × k edge weights; each row sums to 1. */
  weights: Float32Array;
}

export interface GraphSpace {
  metric: GraphMetric;
  weighting: EdgeWeighting;
  /** Jaccard only: a feature is "on" when above its threshold (the training column medians). */
  thresholds: Float64Array | null;
  /** Gaussian weighting: σ, the median neighbour distance of the training graph. */
  sigma: number;
}

/** Column medians of a row-major n × d matrix (thresholds for binarising features). */
export function columnMedians(X: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(d);
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = X[i * d + j]!;
    col.sort();
    out[j] = n % 2 ? col[(n - 1) >> 1]! : 0.5 * (col[n / 2 - 1]! + col[n / 2]!);
  }
  return out;
}

/** Distance between row a of A and row b of B (both with d columns) in a graph space. */
export function rowDistance(space: GraphSpace, A: ArrayLike<number>, a: number, B: ArrayLike<number>, b: number, d: number): number {
  const oa = a * d;
  const ob = b * d;
  switch (space.metric) {
    case 'euclidean': {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = A[oa + j]! - B[ob + j]!;
        s += t * t;
      }
      return Math.sqrt(s);
    }
    case 'manhattan': {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.abs(A[oa + j]! - B[ob + j]!);
      return s;
    }
    case 'cosine': {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let j = 0; j < d; j++) {
        const u = A[oa + j]!;
        const v = B[ob + j]!;
        dot += u * v;
        na += u * u;
        nb += v * v;
      }
      const den = Math.sqrt(na * nb);
      return den > 0 ? Math.max(0, 1 - dot / den) : 1;
    }
    case 'jaccard': {
      const t = space.thresholds!;
      let both = 0;
      let either = 0;
      for (let j = 0; j < d; j++) {
        const u = A[oa + j]! > t[j]!;
        const v = B[ob + j]! > t[j]!;
        if (u && v) both++;
        if (u || v) either++;
      }
      return either === 0 ? 0 : 1 - both / either;
    }
  }
}

/** The k nearest rows of `base` (nb × d) for each row of `query` (nq × d); `self` skips index i for query row i. */
function nearest(space: GraphSpace, base: ArrayLike<number>, nb: number, query: ArrayLike<number>, nq: number, d: number, k: number, self: boolean): { idx: Int32Array; dist: Float64Array } {
  const avail = self ? nb - 1 : nb;
  if (!Number.isInteger(k) || k < 1 || k > avail) throw new Error(`knn graph: k must be an integer in [1, ${avail}], got ${k}`);
  const idx = new Int32Array(nq * k);
  const dist = new Float64Array(nq * k);
  const bd = new Float64Array(k);
  const bi = new Int32Array(k);
  for (let q = 0; q < nq; q++) {
    bd.fill(Infinity);
    bi.fill(-1);
    for (let i = 0; i < nb; i++) {
      if (self && i === q) continue;
      insertTopK(bd, bi, rowDistance(space, query, q, base, i, d), i);
    }
    idx.set(bi, q * k);
    dist.set(bd, q * k);
  }
  return { idx, dist };
}

function edgeWeights(space: GraphSpace, dist: Float64Array, k: number): Float32Array {
  const w = new Float32Array(dist.length);
  for (let r = 0; r < dist.length / k; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      const v = dist[r * k + j]!;
      const raw = space.weighting === 'uniform' ? 1 : space.weighting === 'inverse' ? 1 / (v + 1e-6) : Math.exp(-(v * v) / (space.sigma * space.sigma || 1));
      w[r * k + j] = raw;
      s += raw;
    }
    // A row whose Gaussian weights all underflow falls back to the plain mean.
    for (let j = 0; j < k; j++) w[r * k + j] = s > 0 ? w[r * k + j]! / s : 1 / k;
  }
  return w;
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return 1;
  return s.length % 2 ? s[(s.length - 1) >> 1]! : 0.5 * (s[s.length / 2 - 1]! + s[s.length / 2]!);
}

/**
 * The kNN graph of the n rows of X (n × d). Returns the graph and the space (metric, weighting,
 * Jaccard thresholds, Gaussian σ) needed to connect new rows to it later.
 */
export function knnGraph(X: ArrayLike<number>, n: number, d: number, k: number, metric: GraphMetric = 'euclidean', weighting: EdgeWeighting = 'uniform'): { graph: KnnGraph; space: GraphSpace } {
  if (X.length !== n * d) throw new Error(`knnGraph: ${X.length} values cannot be ${n} × ${d}`);
  const space: GraphSpace = { metric, weighting, thresholds: metric === 'jaccard' ? columnMedians(X, n, d) : null, sigma: 1 };
  const { idx, dist } = nearest(space, X, n, X, n, d, k, true);
  space.sigma = median(dist) || 1;
  return { graph: { n, k, neighbours: idx, distances: dist, weights: edgeWeights(space, dist, k) }, space };
}

/** Connects m new rows (Q, m × d) to their k nearest rows of the graph's data X (n × d). */
export function connect(space: GraphSpace, X: ArrayLike<number>, n: number, Q: ArrayLike<number>, m: number, d: number, k: number): KnnGraph {
  const { idx, dist } = nearest(space, X, n, Q, m, d, k, false);
  return { n: m, k, neighbours: idx, distances: dist, weights: edgeWeights(space, dist, k) };
}

/** Weighted mean of the neighbours' rows: out[i] = Σ_j w_ij H[nbr_ij] (the mean aggregator, in plain arrays). */
export function meanAggregate(graph: KnnGraph, H: ArrayLike<number>, dim: number): Float64Array {
  const out = new Float64Array(graph.n * dim);
  const { k } = graph;
  for (let i = 0; i < graph.n; i++) {
    for (let j = 0; j < k; j++) {
      const u = graph.neighbours[i * k + j]!;
      const w = graph.weights[i * k + j]!;
      for (let c = 0; c < dim; c++) out[i * dim + c] += w * H[u * dim + c]!;
    }
  }
  return out;
}
