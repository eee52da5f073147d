// What the tier models (StackNet, recurrent tier model) share: the tree parameters of their forms,
// fitting the genre tree and its tiers on the training rows, tier names, per-tier accuracy, and the
// tree's part of a saved model folder; and the dendrogram of a feature table (`genrelab tree`).
import { AppError } from '../../../shared/errors';
import type { ParamSpec } from '../ml/manifest';
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
  { key: 'customTiers', label: 'Custom tier sizes', type: 'int-list', default: [2, 5], min: 2, max: 100000, help: 'the genres are always the last tier', when: { key: 'tiers', in: ['custom'] } },
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
  /**
   * Column holding each row's genre (default: `label` when the table has one, else `genres`, else
   * `genre`; the Spotify per-genre table uses `genres`).
   */
  labelColumn?: string;
  /** Further non-feature columns (default: filename, length). Columns with no number at all are skipped too. */
  exclude?: readonly string[];
  linkage?: LinkageMethod;
  metric?: LinkageMetric;
  tiers?: TierScheme;
  customTiers?: number[];
}

/** The label column of a table header: the one asked for, else label, genres or genre. */
export function labelColumnOf(header: readonly string[], asked?: string): string {
  const names = header.map((h) => h.trim());
  if (asked) {
    if (!names.includes(asked)) throw new AppError('bad-request', `the table has no "${asked}" column (columns: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`);
    return asked;
  }
  const found = ['label', 'genres', 'genre'].find((c) => names.includes(c));
  if (!found) throw new AppError('bad-request', 'the table has no label, genres or genre column: name the genre column (--group-by)');
  return found;
}

/**
 * The dendrogram of a feature table (parsed CSV, header first) for `genrelab tree`: when every genre
 * has one row (a per-genre table such as Spotify's) the rows themselves are standardised and
 * clustered, otherwise the genre means of the standardised tracks (IHCT). Cells are read as float64.
 * A cell that is not a number in a numeric column is an error naming the row and column.
 */
export function treeFromTable(rows: readonly string[][], opts: TableTreeOptions = {}): DendrogramJSON {
  const [header, ...rest] = rows;
  if (!header) throw new AppError('bad-request', 'the table is empty');
  const names = header.map((h) => h.trim());
  const labelColumn = labelColumnOf(names, opts.labelColumn);
  const li = names.indexOf(labelColumn);
  const body = rest.filter((r) => r.length === names.length);
  if (body.length < 2) throw new AppError('bad-request', 'the table needs at least two rows');
  const exclude = new Set([labelColumn, ...(opts.exclude ?? ['filename', 'length'])]);
  const isNum = (cell: string) => cell.trim() !== '' && Number.isFinite(Number(cell));
  const cols = names.map((_, j) => j).filter((j) => !exclude.has(names[j]!) && body.some((r) => isNum(r[j]!)));
  if (cols.length === 0) throw new AppError('bad-request', 'the table has no numeric feature column');
  const X = new Float64Array(body.length * cols.length);
  body.forEach((r, i) =>
    cols.forEach((j, c) => {
      if (!isNum(r[j]!)) throw new AppError('bad-request', `row ${i + 1}, column "${names[j]}" is not a number`);
      X[i * cols.length + c] = Number(r[j]);
    }),
  );
  return treeFromLabelledRows({ data: X, rows: body.length, cols: cols.length }, body.map((r) => r[li]!.trim()), opts);
}

/**
 * The dendrogram of labelled rows: one row per label → the rows (standardised) are the leaves;
 * several rows per label → the IHCT tree of the labels' mean standardised rows.
 */
export function treeFromLabelledRows(X: Matrix, rowLabels: readonly string[], opts: Omit<TableTreeOptions, 'labelColumn' | 'exclude'> = {}): DendrogramJSON {
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i]!)) throw new AppError('bad-request', `row ${Math.floor(i / X.cols) + 1}, column ${(i % X.cols) + 1} is not a number`);
  }
  const method = opts.linkage ?? 'ward';
  const metric = opts.metric ?? 'euclidean';
  const perGenre = new Set(rowLabels).size === rowLabels.length;
  let tree: GenreTree;
  if (perGenre) tree = treeOfRows(X, rowLabels, method, metric);
  else {
    const { y, labels } = encodeLabels([...rowLabels]);
    if (labels.length < 2) throw new AppError('bad-request', 'a tree needs at least two genres');
    tree = buildGenreTree(X, y, labels, method, metric);
  }
  const tiers = opts.tiers ? tiersOf(tree.Z, tierSizes(tree.labels.length, opts.tiers, opts.customTiers)) : undefined;
  return dendrogramJSON(tree, tiers);
}
