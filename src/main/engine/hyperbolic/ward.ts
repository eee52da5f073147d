// Ward dendrogram of a genre embedding. The agglomeration is the hierarchy engine's
// (src/main/engine/hierarchy/linkage.ts: nearest-neighbour chain, Lance–Williams updates, scipy's
// linkage matrix); this file only supplies the distances — Poincaré distances for a hyperbolic
// embedding (Ward's update is then applied to them as a formula, as scipy does with a precomputed
// matrix: a heuristic, since Ward's criterion assumes Euclidean distances) or Euclidean ones.
import { cutTree, leafOrder as hierarchyLeafOrder, linkageFromDistances, pdist } from '../hierarchy/linkage';
import { poincareDistanceAt } from './math';
import type { Geometry } from './poincare';

/** scipy-style linkage: row t of Z = [a, b, height, size]; a < b; new clusters are numbered n, n+1, … */
export interface Linkage {
  n: number;
  /** (n − 1) × 4, flat. */
  Z: Float64Array;
}

/** Condensed pairwise distances (scipy's order) of the rows of X (n × dim). */
export function condensedDistances(X: Float64Array, n: number, dim: number, geometry: Geometry = 'poincare'): Float64Array {
  if (geometry === 'euclidean') return pdist(X, n, dim, 'euclidean');
  const D = new Float64Array((n * (n - 1)) / 2);
  let t = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) D[t++] = poincareDistanceAt(X, i, X, j, dim);
  return D;
}

/** Ward linkage of a condensed distance matrix (consumed: pass a copy to keep it). */
export function wardFromCondensed(D: Float64Array, n: number): Linkage {
  return { n, Z: linkageFromDistances(D, n, 'ward') };
}

/** Ward linkage of the rows of X (n × dim, n ≥ 2) under Poincaré (default) or Euclidean distances. */
export function wardLinkage(X: Float64Array, n: number, dim: number, geometry: Geometry = 'poincare'): Linkage {
  return wardFromCondensed(condensedDistances(X, n, dim, geometry), n);
}

/** k flat clusters (the first n − k merges applied), numbered 0..k−1 by their smallest point. */
export function cutLinkage(link: Linkage, k: number): Int32Array {
  return cutTree(link.Z, k);
}

/** Leaf order of the dendrogram, left to right (scipy's leaves_list). */
export function leafOrder(link: Linkage): Int32Array {
  return hierarchyLeafOrder(link.Z);
}
