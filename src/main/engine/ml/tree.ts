// CART decision tree (Gini impurity), depth- and size-limited; leaves hold class frequencies.
import path from 'node:path';
import { readJSON, writeJSON } from './io';
import { resolveParams, writeManifest, type ModelManifest, type ParamSpec } from './manifest';
import { mulberry32, shuffle, type Rng } from '../random';
import { prepareFit } from './fitting';
import { throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from './types';

export interface TreeParams extends Record<string, unknown> {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per split (0: all), as in random forests. */
  maxFeatures: number;
}

export const TREE_PARAMS: readonly ParamSpec[] = [
  { key: 'maxDepth', label: 'Maximum depth', type: 'int', default: 16, min: 1, max: 64 },
  { key: 'minSamplesSplit', label: 'Minimum rows to split a node', type: 'int', default: 2, min: 2, max: 100000 },
  { key: 'minSamplesLeaf', label: 'Minimum rows per leaf', type: 'int', default: 1, min: 1, max: 100000 },
  { key: 'maxFeatures', label: 'Features tried per split (0 = all)', type: 'int', default: 0, min: 0, max: 100000 },
];

export const TREE_LABEL = 'Decision tree (CART)';
const TREE_FILE = 'tree.json';

interface TreeArrays {
  /** Split feature per node, -1 for a leaf. */
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf class frequencies, nodes × classes (zeros for inner nodes). */
  value: number[];
}

export class TreeClassifier implements Classifier {
  readonly kind = 'tree';
  readonly params: TreeParams;
  labels: string[] = [];
  private nodes: TreeArrays | null = null;
  private cols = 0;
  private columns: string[] | null = null;
  private depth = 0;

  constructor(params: Partial<TreeParams> = {}) {
    this.params = resolveParams<TreeParams>('tree', TREE_PARAMS, params);
  }

  describe(): string {
    const p = this.params;
    const size = this.nodes ? `, ${this.nodes.feature.filter((f) => f < 0).length} leaves, depth ${this.depth}` : '';
    return `CART decision tree, Gini impurity, depth ≤ ${p.maxDepth}, ≥ ${p.minSamplesSplit} rows to split, ≥ ${p.minSamplesLeaf} per leaf${p.maxFeatures > 0 ? `, ${p.maxFeatures} random features per split` : ''}${size}`;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const { k: K, labels, columns } = prepareFit('tree', X, y, opts);
    this.labels = labels;
    this.columns = columns;
    this.cols = X.cols;
    const builder = new Builder(X, y, K, this.params, mulberry32(opts.seed), opts.signal);
    this.nodes = builder.build();
    this.depth = builder.maxDepthSeen;
    return { epochs: 0, bestEpoch: -1, history: [], seconds: (performance.now() - t0) / 1000 };
  }

  predictProba(X: Matrix): Float32Array {
    const t = this.nodes;
    if (!t) throw new Error('tree: not fitted');
    if (X.cols !== this.cols) throw new Error(`tree: ${X.cols} columns, fitted on ${this.cols}`);
    const K = this.labels.length;
    const out = new Float32Array(X.rows * K);
    for (let r = 0; r < X.rows; r++) {
      let node = 0;
      while (t.feature[node]! >= 0) {
        node = X.data[r * X.cols + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      }
      for (let c = 0; c < K; c++) out[r * K + c] = t.value[node * K + c]!;
    }
    return out;
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (!this.nodes) throw new Error('tree: not fitted');
    await writeJSON(path.join(dir, TREE_FILE), { cols: this.cols, depth: this.depth, ...this.nodes });
    await writeManifest(dir, this, TREE_LABEL, meta, [TREE_FILE], { nodes: this.nodes.feature.length }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<TreeClassifier> {
    const clf = new TreeClassifier(manifest.params as Partial<TreeParams>);
    const t = await readJSON<TreeArrays & { cols: number; depth: number }>(path.join(dir, TREE_FILE));
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.cols = t.cols;
    clf.depth = t.depth;
    clf.nodes = { feature: t.feature, threshold: t.threshold, left: t.left, right: t.right, value: t.value };
    return clf;
  }

  dispose(): void {}
}

/** Grows the tree depth-first over index arrays; each split sorts the node's rows per feature. */
class Builder {
  readonly out: TreeArrays = { feature: [], threshold: [], left: [], right: [], value: [] };
  maxDepthSeen = 0;
  private readonly featureOrder: number[];
  private readonly col: Float64Array;
  private readonly leftCounts: Float64Array;
  private readonly totalCounts: Float64Array;

  constructor(
    private readonly X: Matrix,
    private readonly y: Int32Array,
    private readonly K: number,
    private readonly p: TreeParams,
    private readonly rng: Rng,
    private readonly signal?: AbortSignal,
  ) {
    this.featureOrder = Array.from({ length: X.cols }, (_, j) => j);
    this.col = new Float64Array(X.rows);
    this.leftCounts = new Float64Array(K);
    this.totalCounts = new Float64Array(K);
  }

  build(): TreeArrays {
    this.grow(Int32Array.from({ length: this.y.length }, (_, i) => i), 0);
    return this.out;
  }

  private addNode(): number {
    const o = this.out;
    o.feature.push(-1);
    o.threshold.push(0);
    o.left.push(-1);
    o.right.push(-1);
    for (let c = 0; c < this.K; c++) o.value.push(0);
    return o.feature.length - 1;
  }

  private grow(rows: Int32Array, depth: number): number {
    throwIfAborted(this.signal);
    const node = this.addNode();
    this.maxDepthSeen = Math.max(this.maxDepthSeen, depth);
    const counts = new Float64Array(this.K);
    for (const r of rows) counts[this.y[r]!]++;
    const n = rows.length;
    let classes = 0;
    for (const c of counts) if (c > 0) classes++;
    const split = depth < this.p.maxDepth && n >= this.p.minSamplesSplit && n >= 2 * this.p.minSamplesLeaf && classes > 1 ? this.bestSplit(rows, counts) : null;
    if (!split) {
      for (let c = 0; c < this.K; c++) this.out.value[node * this.K + c] = counts[c]! / n;
      return node;
    }
    const left: number[] = [];
    const right: number[] = [];
    for (const r of rows) (this.X.data[r * this.X.cols + split.feature]! <= split.threshold ? left : right).push(r);
    this.out.feature[node] = split.feature;
    this.out.threshold[node] = split.threshold;
    this.out.left[node] = this.grow(Int32Array.from(left), depth + 1);
    this.out.right[node] = this.grow(Int32Array.from(right), depth + 1);
    return node;
  }

  /** The split with the largest Gini decrease, over all (or maxFeatures random) features. */
  private bestSplit(rows: Int32Array, counts: Float64Array): { feature: number; threshold: number } | null {
    const { X, y, K } = this;
    const n = rows.length;
    const minLeaf = this.p.minSamplesLeaf;
    shuffle(this.rng, this.featureOrder);
    const nf = this.p.maxFeatures > 0 ? Math.min(this.p.maxFeatures, X.cols) : X.cols;
    let sumSq = 0;
    for (const c of counts) sumSq += c * c;
    // Weighted child impurity is n·(1 − Σp²) summed over children; minimise Σ_children (n_c − Σ counts²/n_c).
    let bestScore = n - sumSq / n - 1e-12;
    let best: { feature: number; threshold: number } | null = null;
    const order = new Int32Array(n);
    const col = this.col;
    for (let fi = 0; fi < nf; fi++) {
      const f = this.featureOrder[fi]!;
      for (let i = 0; i < n; i++) {
        order[i] = rows[i]!;
        col[rows[i]!] = X.data[rows[i]! * X.cols + f]!;
      }
      order.sort((a, b) => col[a]! - col[b]!);
      if (col[order[0]!] === col[order[n - 1]!]) continue;
      this.leftCounts.fill(0);
      this.totalCounts.set(counts);
      let leftSq = 0;
      let rightSq = sumSq;
      for (let i = 0; i < n - 1; i++) {
        const c = y[order[i]!]!;
        const l = this.leftCounts[c]!;
        const t = this.totalCounts[c]!;
        leftSq += 2 * l + 1;
        rightSq -= 2 * (t - l) - 1;
        this.leftCounts[c] = l + 1;
        const nl = i + 1;
        const v0 = col[order[i]!]!;
        const v1 = col[order[i + 1]!]!;
        if (v0 === v1 || nl < minLeaf || n - nl < minLeaf) continue;
        const score = nl - leftSq / nl + (n - nl) - rightSq / (n - nl);
        if (score < bestScore) {
          bestScore = score;
          let thr = (v0 + v1) / 2;
          if (thr === v1) thr = v0; // midpoint rounded up to v1: keep v0 on the left
          best = { feature: f, threshold: thr };
        }
      }
    }
    return best;
  }
}
