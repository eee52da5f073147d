// Sweep the number of clusters: for each k, method and seed, cluster and score the labels with
// the internal indices (and, given true labels, the Hungarian-matched accuracy); report
// mean ± sd per (k, method) and the best k per method and index.

import { mulberry32 } from '../random';
import { gaussianMixture } from './gmm';
import { clusteringAccuracy } from './hungarian';
import { calinskiHarabasz, daviesBouldin, pairwiseDistances, silhouetteScore } from './indices';
import { kmeans } from './kmeans';

export type ClusterMethod = 'kmeans' | 'gmm-full' | 'gmm-diag';

export interface Stat {
  mean: number;
  /** Population standard deviation over seeds (ddof = 0, as numpy.std). */
  sd: number;
  values: number[];
}

export interface SweepCell {
  k: number;
  method: ClusterMethod;
  silhouette: Stat;
  calinskiHarabasz: Stat;
  daviesBouldin: Stat;
  /** GMM only. */
  bic?: Stat;
  /** When true labels were given. */
  accuracy?: Stat;
  /** Labels of the first seed's run. */
  labels: Int32Array;
}

export interface SweepBest {
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
  bic?: number;
  accuracy?: number;
}

export interface SweepResult {
  cells: SweepCell[];
  /** Best k per method, per index (max silhouette, max CH, min DB, min BIC, max accuracy). */
  best: Partial<Record<ClusterMethod, SweepBest>>;
  /** The (method, k) with the highest mean silhouette. */
  bestK: number;
  bestMethod: ClusterMethod;
}

export interface SweepOptions {
  /** True classes, for Hungarian-matched accuracy. */
  trueLabels?: ArrayLike<number>;
  /** K-means restarts per seed (default 10). */
  kmeansInit?: number;
  /** Precompute all pairwise distances for the silhouette when n ≤ this (default 3000). */
  cacheDistancesUpTo?: number;
  /** Called after each (k, method, seed) run. */
  onProgress?: (done: number, total: number) => void;
  /** Polled between runs; returning true abandons the sweep with an AbortError. */
  shouldStop?: () => boolean;
}

/** Mean and population sd (NaN for an empty list). */
export function stat(values: number[]): Stat {
  if (values.length === 0) return { mean: NaN, sd: NaN, values };
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length;
  return { mean: m, sd: Math.sqrt(v), values };
}

export function clusterSweep(
  X: Float64Array,
  n: number,
  d: number,
  kRange: number[],
  methods: ClusterMethod[],
  seeds: number[],
  opts: SweepOptions = {},
): SweepResult {
  if (kRange.length === 0 || methods.length === 0 || seeds.length === 0) {
    throw new RangeError('clusterSweep: kRange, methods and seeds must be non-empty');
  }
  for (const k of kRange) {
    if (!Number.isInteger(k) || k < 2 || k > n - 1) throw new RangeError(`clusterSweep: k = ${k} is not in [2, n − 1]`);
  }
  const D = n <= (opts.cacheDistancesUpTo ?? 3000) ? pairwiseDistances(X, n, d) : undefined;
  const total = kRange.length * methods.length * seeds.length;
  let done = 0;
  const cells: SweepCell[] = [];
  for (const method of methods) {
    for (const k of kRange) {
      const sil: number[] = [];
      const ch: number[] = [];
      const db: number[] = [];
      const bic: number[] = [];
      const acc: number[] = [];
      let first: Int32Array | null = null;
      for (const seed of seeds) {
        if (opts.shouldStop?.()) {
          const e = new Error('clusterSweep cancelled');
          e.name = 'AbortError';
          throw e;
        }
        const rng = mulberry32(seed);
        let labels: Int32Array;
        if (method === 'kmeans') {
          labels = kmeans(X, n, d, k, { nInit: opts.kmeansInit ?? 10, rng }).labels;
        } else {
          const g = gaussianMixture(X, n, d, k, { covarianceType: method === 'gmm-full' ? 'full' : 'diag', rng });
          labels = g.labels;
          bic.push(g.bic);
        }
        first ??= labels;
        // A run may leave fewer than 2 distinct labels (a collapsed GMM); the indices are undefined then.
        const distinct = new Set(labels).size;
        if (distinct >= 2 && distinct <= n - 1) {
          sil.push(silhouetteScore(X, n, d, labels, D));
          ch.push(calinskiHarabasz(X, n, d, labels));
          db.push(daviesBouldin(X, n, d, labels));
        }
        if (opts.trueLabels) acc.push(clusteringAccuracy(opts.trueLabels, labels).accuracy);
        opts.onProgress?.(++done, total);
      }
      const cell: SweepCell = {
        k,
        method,
        silhouette: stat(sil),
        calinskiHarabasz: stat(ch),
        daviesBouldin: stat(db),
        labels: first as Int32Array,
      };
      if (bic.length) cell.bic = stat(bic);
      if (opts.trueLabels) cell.accuracy = stat(acc);
      cells.push(cell);
    }
  }
  const best: Partial<Record<ClusterMethod, SweepBest>> = {};
  const argBest = (list: SweepCell[], key: (c: SweepCell) => number | undefined, max: boolean): number | undefined => {
    let bestK: number | undefined;
    let bestV = max ? -Infinity : Infinity;
    for (const c of list) {
      const v = key(c);
      if (v === undefined || Number.isNaN(v)) continue;
      if (max ? v > bestV : v < bestV) {
        bestV = v;
        bestK = c.k;
      }
    }
    return bestK;
  };
  let overall: SweepCell | null = null;
  for (const method of methods) {
    const list = cells.filter((c) => c.method === method);
    const b: SweepBest = {
      silhouette: argBest(list, (c) => c.silhouette.mean, true) ?? list[0].k,
      calinskiHarabasz: argBest(list, (c) => c.calinskiHarabasz.mean, true) ?? list[0].k,
      daviesBouldin: argBest(list, (c) => c.daviesBouldin.mean, false) ?? list[0].k,
    };
    const bb = argBest(list, (c) => c.bic?.mean, false);
    if (bb !== undefined) b.bic = bb;
    const ba = argBest(list, (c) => c.accuracy?.mean, true);
    if (ba !== undefined) b.accuracy = ba;
    best[method] = b;
    for (const c of list) if (!overall || c.silhouette.mean > overall.silhouette.mean || Number.isNaN(overall.silhouette.mean)) overall = c;
  }
  const o = overall as SweepCell;
  return { cells, best, bestK: o.k, bestMethod: o.method };
}
