// Reconstruction mean rank and MAP of a graph embedding, exactly as
// ../shared/reference/poincare_eval.py (Nickel & Kiela 2017): for each node u, every other node is
// ranked by distance (a stable sort: ties keep index order); u's neighbours are the relevant ones.
// mean rank: over every (u, v ∈ N(u)), 1 + the number of NON-neighbours ranked before v.
// MAP: mean over nodes with at least one neighbour of the average precision of that ranking.
import type { Adjacency } from './graph';
import { euclideanDistanceAt, poincareDistanceAt } from './math';
import type { Geometry } from './poincare';

export interface ReconstructionScore {
  meanRank: number;
  map: number;
  /** Nodes with at least one neighbour (the MAP's denominator). */
  nodes: number;
  /** Ranked (u, v) pairs (the mean rank's denominator; each undirected edge counts twice). */
  pairs: number;
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Mean rank and MAP of the embedding X (n × dim, flat) for the neighbourhoods in `adj` (use the
 * symmetric adjacency of an undirected graph), ranking by Poincaré or Euclidean distance.
 * `stopCheck`, when given, is called once per node and may return true to abort (NaN results).
 */
export function reconstruction(X: Float64Array, n: number, dim: number, adj: Adjacency, geometry: Geometry = 'poincare', stopCheck?: () => boolean): ReconstructionScore {
  const dist = geometry === 'poincare' ? poincareDistanceAt : euclideanDistanceAt;
  const d = new Float64Array(n);
  const sorted = new Float64Array(n);
  let rankSum = 0;
  let pairs = 0;
  let apSum = 0;
  let nodes = 0;
  const pos: number[] = [];
  for (let u = 0; u < n; u++) {
    const a = adj.offsets[u];
    const b = adj.offsets[u + 1];
    if (a === b) continue;
    if (stopCheck && stopCheck()) return { meanRank: NaN, map: NaN, nodes, pairs };
    for (let w = 0; w < n; w++) d[w] = w === u ? Infinity : dist(X, u, X, w, dim);
    sorted.set(d);
    sorted.sort();
    pos.length = 0;
    for (let e = a; e < b; e++) {
      const v = adj.targets[e];
      const dv = d[v];
      let p = lowerBound(sorted, dv);
      const ties = upperBound(sorted, dv) - p;
      if (ties > 1) {
        // stable order among equal distances: count equal-distance nodes with a smaller index
        for (let w = 0; w < v; w++) if (d[w] === dv) p++;
      }
      pos.push(p);
    }
    pos.sort((x, y) => x - y);
    let ap = 0;
    for (let k = 0; k < pos.length; k++) {
      ap += (k + 1) / (pos[k] + 1);
      rankSum += pos[k] - k + 1;
    }
    apSum += ap / pos.length;
    pairs += pos.length;
    nodes++;
  }
  return { meanRank: pairs ? rankSum / pairs : NaN, map: nodes ? apSum / nodes : NaN, nodes, pairs };
}
