// The clustering panel's data: index-against-k series per method, the best k of each index, the
// Hungarian-matched accuracy table (as in the latent-space study's Table 1) and the (method, k)
// that "colour by cluster" uses. Pure functions over a ClusterSweep, no DOM.
import type { ClusterCell, ClusterStat, ClusterSweep } from '../../../shared/types';

export type ClusterMethod = ClusterCell['method'];
export type IndexKey = 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin';

export interface IndexInfo {
  key: IndexKey;
  title: string;
  /** Which end is better. */
  better: 'max' | 'min';
  help: string;
}

export const INDICES: readonly IndexInfo[] = [
  { key: 'silhouette', title: 'Silhouette', better: 'max', help: 'higher is better (−1 … 1)' },
  { key: 'calinskiHarabasz', title: 'Calinski–Harabasz', better: 'max', help: 'higher is better' },
  { key: 'daviesBouldin', title: 'Davies–Bouldin', better: 'min', help: 'lower is better' },
];

const METHOD_NAMES: Record<ClusterMethod, string> = { kmeans: 'K-means', 'gmm-full': 'GMM', 'gmm-diag': 'GMM (diagonal)' };

export function methodName(m: ClusterMethod): string {
  return METHOD_NAMES[m] ?? m;
}

/** The methods in the sweep, in a fixed order (K-means first). */
export function sweepMethods(s: ClusterSweep): ClusterMethod[] {
  const order: ClusterMethod[] = ['kmeans', 'gmm-full', 'gmm-diag'];
  const present = new Set(s.cells.map((c) => c.method));
  return order.filter((m) => present.has(m));
}

/** The k values swept, ascending. */
export function sweepKs(s: ClusterSweep): number[] {
  return [...new Set(s.cells.map((c) => c.k))].sort((a, b) => a - b);
}

export function cellOf(s: ClusterSweep, method: ClusterMethod, k: number): ClusterCell | undefined {
  return s.cells.find((c) => c.method === method && c.k === k);
}

export interface IndexSeries {
  key: ClusterMethod;
  /** [k, mean] in k order; non-finite means left out. */
  points: Array<[number, number]>;
  /** The best k for this method by this index, or null. */
  bestK: number | null;
}

/** One series per method: the index's mean against k, with the method's best k. */
export function indexSeries(s: ClusterSweep, index: IndexKey): IndexSeries[] {
  const better = INDICES.find((i) => i.key === index)!.better;
  return sweepMethods(s).map((m) => {
    const points = s.cells
      .filter((c) => c.method === m && Number.isFinite(c[index].mean))
      .map((c): [number, number] => [c.k, c[index].mean])
      .sort((a, b) => a[0] - b[0]);
    let bestK: number | null = null;
    let bestV = better === 'max' ? -Infinity : Infinity;
    for (const [k, v] of points) {
      if (better === 'max' ? v > bestV : v < bestV) {
        bestV = v;
        bestK = k;
      }
    }
    return { key: m, points, bestK };
  });
}

export interface AccuracyRow {
  k: number;
  /** Why this k is in the table: 'study' (Table 1's 7 and 10), 'classes', 'best' (silhouette). */
  why: string;
  cells: Array<{ method: ClusterMethod; accuracy: ClusterStat | null }>;
}

/**
 * The Hungarian-matched accuracy table: k = 7 and 10 (the latent-space study's Table 1), the
 * number of classes and the sweep's best k, where they were swept, in k order.
 */
export function accuracyTable(s: ClusterSweep, classes: number): AccuracyRow[] {
  const ks = new Set(sweepKs(s));
  const why = new Map<number, string[]>();
  const note = (k: number, w: string) => {
    if (!ks.has(k)) return;
    const list = why.get(k) ?? [];
    if (!list.includes(w)) list.push(w);
    why.set(k, list);
  };
  note(7, 'study');
  note(10, 'study');
  note(classes, 'classes');
  note(s.bestK, 'best');
  const methods = sweepMethods(s);
  return [...why]
    .sort((a, b) => a[0] - b[0])
    .map(([k, w]) => ({ k, why: w.join(', '), cells: methods.map((m) => ({ method: m, accuracy: cellOf(s, m, k)?.accuracy ?? null })) }));
}

/** "0.812 ± 0.014" (mean ± population sd over seeds); '–' when missing. */
export function meanSd(x: ClusterStat | null | undefined, digits = 3, scale = 1): string {
  if (!x || !Number.isFinite(x.mean)) return '–';
  const sd = Number.isFinite(x.sd) ? ` ± ${(x.sd * scale).toFixed(digits)}` : '';
  return `${(x.mean * scale).toFixed(digits)}${sd}`;
}

export interface ClusterChoice {
  method: ClusterMethod;
  k: number;
}

/** The chosen (method, k) if the sweep has it, else the sweep's best. */
export function clusterChoice(s: ClusterSweep, current: ClusterChoice | null): ClusterChoice {
  if (current && cellOf(s, current.method, current.k)) return current;
  return { method: s.bestMethod, k: s.bestK };
}
