// What the tier models (StackNet, recurrent tier model) share: the tree parameters of their forms,
// fitting the genre tree and its tiers on the training rows, tier names, per-tier accuracy, and the
// tree's part of a saved model folder; and the dendrogram of a feature table (`genrelab tree`).
import { AppError } from '../../../shared/errors';
import type { ParamSpec } from '../ml/manifest';
import { featureTable } from '../ml/table';
import { argmaxRows, type Matrix } from '../ml/types';
import { encodeLabels } from '../ml/validate';
import { buildGenreTree, dendrogramJSON, tierLabels, tierSizes, tiersOf, treeOfRows, TIER_SCHEMES, type DendrogramJSON, type GenreTree, type TierScheme, type Tiers } from './ihct';
import { leafOrder, LINKAGE_METHODS, LINKAGE_METRICS, type LinkageMethod, type LinkageMetric } from './linkage';

export interface TreeParams {
  linkage: LinkageMethod;
  metric: LinkageMetric;
  tiers: TierScheme;
  customTiers: number[];
}

export const TREE_PARAM_SPECS: readonly ParamSpec[] = [
  { key: 'linkage', label: 'Linkage of the genre tree', type: 'enum', default: 'ward', options: LINKAGE_METHODS },
  { key: 'metric', label: 'Distance between genre means', type: 'enum', default: 'euclidean', options: LINKAGE_METRICS },
  { key: 'tiers', label: 'Tiers', type: 'enum', default: 'pow2', options: TIER_SCHEMES, help: 'pow2: 2, 4, 8, … then all genres; halving: N, ⌈N/2⌉, … 2; custom: the list below' },
  { key: 'customTiers', label: 'Custom tier sizes', type: 'int-list', default: [2, 5], min: 2, max: 100000, help: 'used when tiers = custom; the genres are always the last tier' },
];

export interface FittedTree {
  tree: GenreTree;
  tiers: Tiers;
  /** Per tier, the label of each cluster: its genres joined by '+'. */
  names: string[][];
}

/** The genre tree of the training rows and its tiers. */
export function fitTree(X: Matrix, y: Int32Array, labels: readonly string[], p: TreeParams): FittedTree {
  const tree = buildGenreTree(X, y, labels, p.linkage, p.metric);
  const tiers = tiersOf(tree.Z, tierSizes(labels.length, p.tiers, p.customTiers));
  return { tree, tiers, names: tierNames(tiers, labels) };
}

export function tierNames(tiers: Tiers, labels: readonly string[]): string[][] {
  return tiers.assign.map((a, t) => Array.from({ length: tiers.sizes[t]! }, (_, c) => labels.filter((_, g) => a[g] === c).join('+')));
}

export interface TreeJSON {
  labels: string[];
  linkage: LinkageMethod;
  metric: LinkageMetric;
  Z: number[];
  sizes: number[];
}

export function treeToJSON(f: FittedTree): TreeJSON {
  return { labels: [...f.tree.labels], linkage: f.tree.method, metric: f.tree.metric, Z: Array.from(f.tree.Z), sizes: [...f.tiers.sizes] };
}

export function treeFromJSON(j: TreeJSON): FittedTree {
  const Z = Float64Array.from(j.Z);
  const tree: GenreTree = { labels: j.labels, method: j.linkage, metric: j.metric, Z, order: leafOrder(Z) };
  const tiers = tiersOf(Z, j.sizes);
  return { tree, tiers, names: tierNames(tiers, j.labels) };
}

export interface TierAccuracy {
  /** Clusters in the tier. */
  k: number;
  accuracy: number;
}

/** Accuracy per tier of tier probabilities (one rows × k_t matrix per tier) against genre labels. */
export function tierAccuracies(tiers: Tiers, tierProba: readonly ArrayLike<number>[], y: Int32Array): TierAccuracy[] {
  const truth = tierLabels(tiers, y);
  return tiers.sizes.map((k, t) => {
    const pred = argmaxRows(tierProba[t]!, y.length, k);
    let ok = 0;
    for (let i = 0; i < y.length; i++) if (pred[i] === truth[t]![i]) ok++;
    return { k, accuracy: y.length ? ok / y.length : NaN };
  });
}

/** Tier probabilities implied by genre probabilities (sums over each cluster's genres). */
export function marginalsOf(tiers: Tiers, proba: ArrayLike<number>, rows: number): Float32Array[] {
  const N = tiers.assign[0]!.length;
  return tiers.sizes.map((k, t) => {
    const out = new Float32Array(rows * k);
    const a = tiers.assign[t]!;
    for (let r = 0; r < rows; r++) for (let g = 0; g < N; g++) out[r * k + a[g]!] += proba[r * N + g]!;
    return out;
  });
}

export function describeTiers(f: FittedTree | null, p: TreeParams): string {
  const sizes = f ? f.tiers.sizes.join(', ') : p.tiers === 'custom' ? `${p.customTiers.join(', ')}, N` : p.tiers;
  return `${p.linkage} linkage of genre means (${p.metric}), tiers ${sizes}`;
}

export interface TableTreeOptions {
  /** Column holding each row's genre (default 'label'; the Spotify per-genre table uses 'genres'). */
  labelColumn?: string;
  /** Further non-feature columns (default: filename, length). */
  exclude?: readonly string[];
  linkage?: LinkageMethod;
  metric?: LinkageMetric;
  tiers?: TierScheme;
  customTiers?: number[];
}

/**
 * The dendrogram of a feature table (parsed CSV, header first) for `genrelab tree`: when every genre
 * has one row (a per-genre table) the rows themselves are clustered, otherwise the genre means of
 * the standardised tracks (IHCT). Non-numeric cells are an error naming the column.
 */
export function treeFromTable(rows: readonly string[][], opts: TableTreeOptions = {}): DendrogramJSON {
  const labelColumn = opts.labelColumn ?? 'label';
  const t = featureTable(rows, { labelColumn, idColumn: labelColumn, exclude: opts.exclude ?? ['filename', 'length'] });
  for (let i = 0; i < t.X.data.length; i++) {
    if (!Number.isFinite(t.X.data[i]!)) throw new AppError('bad-request', `row ${Math.floor(i / t.X.cols) + 1}, column "${t.columns[i % t.X.cols]}" is not a number`);
  }
  const method = opts.linkage ?? 'ward';
  const metric = opts.metric ?? 'euclidean';
  const perGenre = new Set(t.rowLabels).size === t.rowLabels.length;
  let tree: GenreTree;
  if (perGenre) tree = treeOfRows(t.X, t.rowLabels, method, metric);
  else {
    const { y, labels } = encodeLabels(t.rowLabels);
    tree = buildGenreTree(t.X, y, labels, method, metric);
  }
  const tiers = opts.tiers ? tiersOf(tree.Z, tierSizes(tree.labels.length, opts.tiers, opts.customTiers)) : undefined;
  return dendrogramJSON(tree, tiers);
}
