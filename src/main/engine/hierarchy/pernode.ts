// Super-genres and per-node classifiers. Super-genres are found by clustering — the training tracks
// embedded in 2-D by UMAP (umap-js, seeded) then HDBSCAN (hdbscan.ts, noise allowed), each genre
// going to the cluster where most of its non-noise tracks fall; or the IHCT genre tree cut into a
// given number of clusters. One binary classifier per node: each super-genre against the rest, and
// each genre against the other genres of its super-genre (trained on that super-genre's tracks).
// P(genre) = P(super) × P(genre | super), where the one-vs-rest scores are normalised within each
// level, so the product is a distribution over the genres. `structure: 'flat'` is the vanilla
// baseline (one binary classifier per genre over all tracks, normalised). predictProbaWithHint
// replaces the super-genre classifiers by the truth (the ceiling of the hierarchy).
import path from 'node:path';
import { UMAP } from 'umap-js';
import { DenseClassifier } from '../ml/dense';
import { readJSON, writeJSON } from '../ml/io';
import { readManifest, resolveParams, SCALER_FILE, writeManifest, type ModelManifest, type ParamSpec } from '../ml/manifest';
import { subSeed } from '../ml/rng';
import { StandardScaler, type ScalerJSON } from '../ml/scaler';
import { foldIndices } from '../ml/splits';
import { defaultLabels, numClassesOf, takeLabels, takeRows, throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from '../ml/types';
import { mulberry32 } from '../random';
import { hdbscan } from './hdbscan';
import { buildGenreTree } from './ihct';
import { cutTree, LINKAGE_METHODS, LINKAGE_METRICS, type LinkageMethod, type LinkageMetric } from './linkage';
import { fitLogistic, logisticProba } from './logistic';

export interface PerNodeParams extends Record<string, unknown> {
  structure: 'hierarchical' | 'flat';
  superMethod: 'umap-hdbscan' | 'linkage';
  superGenres: number;
  linkage: LinkageMethod;
  metric: LinkageMetric;
  umapNeighbors: number;
  minClusterSize: number;
  minSamples: number;
  base: 'logistic' | 'dense';
  C: number;
  denseHidden: number[];
}

export const PERNODE_PARAMS: readonly ParamSpec[] = [
  { key: 'structure', label: 'Structure', type: 'enum', default: 'hierarchical', options: ['hierarchical', 'flat'], help: 'flat: one binary classifier per genre (the vanilla baseline)' },
  { key: 'superMethod', label: 'Super-genres from', type: 'enum', default: 'umap-hdbscan', options: ['umap-hdbscan', 'linkage'], help: 'UMAP of the tracks to 2-D then HDBSCAN, or the genre tree cut into N super-genres', when: { key: 'structure', in: ['hierarchical'] } },
  { key: 'superGenres', label: 'Number of super-genres (from the genre tree)', type: 'int', default: 3, min: 1, max: 1000, when: { key: 'superMethod', in: ['linkage'] } },
  { key: 'linkage', label: 'Linkage of the genre tree (super-genres from the tree)', type: 'enum', default: 'ward', options: LINKAGE_METHODS, when: { key: 'superMethod', in: ['linkage'] } },
  { key: 'metric', label: 'Distance between genre means (super-genres from the tree)', type: 'enum', default: 'euclidean', options: LINKAGE_METRICS, when: { key: 'superMethod', in: ['linkage'] } },
  { key: 'umapNeighbors', label: 'UMAP neighbours', type: 'int', default: 15, min: 2, max: 200, when: { key: 'superMethod', in: ['umap-hdbscan'] } },
  { key: 'minClusterSize', label: 'HDBSCAN minimum cluster size (0 = tracks / (2 × genres))', type: 'int', default: 0, min: 0, max: 100000, when: { key: 'superMethod', in: ['umap-hdbscan'] } },
  { key: 'minSamples', label: 'HDBSCAN min samples', type: 'int', default: 5, min: 1, max: 1000, when: { key: 'superMethod', in: ['umap-hdbscan'] } },
  { key: 'base', label: 'Node classifier', type: 'enum', default: 'logistic', options: ['logistic', 'dense'] },
  { key: 'C', label: 'Logistic regression C (inverse L2 strength)', type: 'number', default: 1, min: 1e-6, max: 1e6, when: { key: 'base', in: ['logistic'] } },
  { key: 'denseHidden', label: 'Dense node nets: hidden layers', type: 'int-list', default: [64], min: 1, max: 4096, when: { key: 'base', in: ['dense'] } },
];

export const PERNODE_LABEL = 'Per-node classifiers over super-genres';
const STATE_FILE = 'pernode.json';

/** One binary node: P(positive | x) for standardised rows. */
interface BinaryNode {
  proba(X: Matrix): Float64Array;
  toJSON(): { coef: number[] } | { dir: string };
  dispose(): void;
}

class LogisticNode implements BinaryNode {
  constructor(private readonly coef: Float64Array) {}
  proba(X: Matrix): Float64Array {
    return logisticProba({ coef: this.coef, iterations: 0 }, X.data, X.rows, X.cols);
  }
  toJSON() {
    return { coef: Array.from(this.coef) };
  }
  dispose() {}
}

class DenseNode implements BinaryNode {
  constructor(
    readonly net: DenseClassifier,
    readonly dir: string,
  ) {}
  proba(X: Matrix): Float64Array {
    const p = this.net.predictProba(X);
    return Float64Array.from({ length: X.rows }, (_, i) => p[i * 2 + 1]!);
  }
  toJSON() {
    return { dir: this.dir };
  }
  dispose() {
    this.net.dispose();
  }
}

/** Constant nodes: a level with a single child (P = 1), or a genre without training rows (P = 0). */
const ONE: BinaryNode = { proba: (X) => new Float64Array(X.rows).fill(1), toJSON: () => ({ coef: [] }), dispose() {} };
const ZERO: BinaryNode = { proba: (X) => new Float64Array(X.rows), toJSON: () => ({ coef: [] }), dispose() {} };

export interface SuperGenres {
  /** Super-genre of each genre (0..S−1). */
  superOf: Int32Array;
  count: number;
  /** Clustering found (before assignment): clusters and the share of tracks marked noise. */
  clusters: number;
  noiseShare: number;
}

/** Assigns each genre to the cluster holding most of its non-noise rows; genres with none get their own. */
export function assignGenres(clusterOfRow: Int32Array, y: Int32Array, K: number): Int32Array {
  const C = Math.max(-1, ...clusterOfRow) + 1;
  const votes = new Int32Array(K * Math.max(C, 1));
  for (let i = 0; i < y.length; i++) if (clusterOfRow[i]! >= 0) votes[y[i]! * C + clusterOfRow[i]!]++;
  const raw = new Int32Array(K);
  let extra = C;
  for (let g = 0; g < K; g++) {
    let best = -1;
    for (let c = 0; c < C; c++) if (votes[g * C + c]! > 0 && (best < 0 || votes[g * C + c]! > votes[g * C + best]!)) best = c;
    raw[g] = best >= 0 ? best : extra++;
  }
  // Renumber the super-genres actually used, in order of their first genre.
  const ids = new Map<number, number>();
  return Int32Array.from(raw, (c) => {
    if (!ids.has(c)) ids.set(c, ids.size);
    return ids.get(c)!;
  });
}

export class PerNodeClassifier implements Classifier {
  readonly kind = 'per-node';
  readonly params: PerNodeParams;
  labels: string[] = [];
  supers: SuperGenres | null = null;
  private scaler = new StandardScaler();
  private superNodes: BinaryNode[] = [];
  /** Per genre: its node within its super-genre (or among all genres when flat). */
  private genreNodes: BinaryNode[] = [];
  private columns: string[] | null = null;

  constructor(params: Partial<PerNodeParams> = {}) {
    this.params = resolveParams<PerNodeParams>('per-node', PERNODE_PARAMS, params);
  }

  describe(): string {
    const p = this.params;
    const base = p.base === 'logistic' ? `logistic regression (C = ${p.C})` : `dense nets (${p.denseHidden.join('→')})`;
    if (p.structure === 'flat') return `Flat per-genre binary classifiers: ${base}, one per genre against the rest, normalised`;
    const how = p.superMethod === 'linkage' ? `${p.linkage} linkage of genre means cut into ${p.superGenres}` : `UMAP 2-D (${p.umapNeighbors} neighbours) + HDBSCAN (min cluster ${p.minClusterSize || 'auto'}, min samples ${p.minSamples})`;
    const found = this.supers ? `; ${this.supers.count} super-genres: ${this.superNames().join(' | ')}` : '';
    return `Per-node ${base}: super-genre vs rest, genre vs rest within its super-genre, P(genre) = P(super) × P(genre | super); super-genres by ${how}${found}`;
  }

  /** Names of the super-genres: their genres joined by '+'. */
  superNames(): string[] {
    if (!this.supers) return [];
    return Array.from({ length: this.supers.count }, (_, s) => this.labels.filter((_, g) => this.supers!.superOf[g] === s).join('+'));
  }

  private findSupers(xs: Matrix, y: Int32Array, K: number, seed: number): SuperGenres {
    const p = this.params;
    if (p.structure === 'flat') return { superOf: new Int32Array(K), count: 1, clusters: 1, noiseShare: 0 };
    if (p.superMethod === 'linkage') {
      const tree = buildGenreTree(xs, y, this.labels, p.linkage, p.metric);
      const superOf = cutTree(tree.Z, Math.min(p.superGenres, K));
      return { superOf, count: Math.max(...superOf) + 1, clusters: Math.max(...superOf) + 1, noiseShare: 0 };
    }
    const rows: number[][] = Array.from({ length: xs.rows }, (_, i) => Array.from(xs.data.subarray(i * xs.cols, (i + 1) * xs.cols)));
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(p.umapNeighbors, xs.rows - 1), minDist: 0, random: mulberry32(seed) });
    const emb = umap.fit(rows);
    const flat = Float64Array.from(emb.flat());
    const mcs = p.minClusterSize > 0 ? p.minClusterSize : Math.max(5, Math.round(xs.rows / (2 * K)));
    const h = hdbscan(flat, xs.rows, 2, { minClusterSize: mcs, minSamples: p.minSamples });
    const superOf = assignGenres(h.labels, y, K);
    let noise = 0;
    for (const l of h.labels) if (l < 0) noise++;
    return { superOf, count: Math.max(...superOf) + 1, clusters: h.clusters, noiseShare: noise / xs.rows };
  }

  private async trainNode(X: Matrix, positive: Uint8Array, seed: number, opts: FitOptions, name: string): Promise<BinaryNode> {
    throwIfAborted(opts.signal);
    let pos = 0;
    for (const v of positive) pos += v;
    if (pos === 0 || pos === positive.length) return pos === 0 ? ZERO : ONE;
    if (this.params.base === 'logistic') return new LogisticNode(fitLogistic(X.data, X.rows, X.cols, positive, this.params.C).coef);
    const net = new DenseClassifier({ hidden: this.params.denseHidden, dropout: 0.2, maxEpochs: 200, patience: 20 });
    await net.fit(X, Int32Array.from(positive), { seed, labels: ['rest', name], signal: opts.signal, onEpoch: opts.onEpoch });
    return new DenseNode(net, name);
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    if (X.rows !== y.length) throw new Error(`per-node.fit: ${X.rows} rows but ${y.length} labels`);
    throwIfAborted(opts.signal);
    this.dispose();
    const K = numClassesOf(y, opts.labels);
    this.labels = opts.labels ? [...opts.labels] : defaultLabels(K);
    this.columns = opts.columns ? [...opts.columns] : null;
    const xs = this.scaler.fit(X).transform(X);
    const supers = this.findSupers(xs, y, K, subSeed(opts.seed, 1));
    this.supers = supers;
    const S = supers.count;
    const sup = Int32Array.from(y, (g) => supers.superOf[g]!);
    const names = this.superNames();
    for (let s = 0; s < S; s++) {
      this.superNodes.push(S === 1 ? ONE : await this.trainNode(xs, Uint8Array.from(sup, (v) => (v === s ? 1 : 0)), subSeed(opts.seed, 10 + s), opts, `super:${names[s]}`));
    }
    for (let g = 0; g < K; g++) {
      const s = supers.superOf[g]!;
      const members = Int32Array.from(y.keys()).filter((i) => sup[i] === s);
      const siblings = this.labels.filter((_, h) => supers.superOf[h] === s).length;
      if (siblings === 1) {
        this.genreNodes.push(ONE);
        continue;
      }
      const Xs = takeRows(xs, members);
      const pos = Uint8Array.from(takeLabels(y, members), (v) => (v === g ? 1 : 0));
      this.genreNodes.push(await this.trainNode(Xs, pos, subSeed(opts.seed, 1000 + g), opts, this.labels[g]!));
    }
    return { epochs: 0, bestEpoch: -1, history: [], seconds: (performance.now() - t0) / 1000 };
  }

  /** Super-genre probabilities (rows × S, normalised one-vs-rest scores). */
  predictSupers(X: Matrix): Float64Array {
    if (!this.supers) throw new Error('per-node: not fitted');
    return this.levelProba(this.scaler.transform(X), this.superNodes);
  }

  private levelProba(xs: Matrix, nodes: BinaryNode[]): Float64Array {
    const S = nodes.length;
    const out = new Float64Array(xs.rows * S);
    nodes.forEach((node, s) => node.proba(xs).forEach((v, i) => (out[i * S + s] = v)));
    for (let i = 0; i < xs.rows; i++) {
      let t = 0;
      for (let s = 0; s < S; s++) t += out[i * S + s]!;
      for (let s = 0; s < S; s++) out[i * S + s] = t > 0 ? out[i * S + s]! / t : 1 / S;
    }
    return out;
  }

  /** P(genre) = P(super) × P(genre | super); with `superProba` given (rows × S) it replaces the super classifiers. */
  private combine(X: Matrix, superProba?: Float64Array): Float32Array {
    if (!this.supers) throw new Error('per-node: not fitted');
    const xs = this.scaler.transform(X);
    const K = this.labels.length;
    const S = this.supers.count;
    const ps = superProba ?? this.levelProba(xs, this.superNodes);
    const within = this.genreNodes.map((node) => node.proba(xs));
    const out = new Float32Array(X.rows * K);
    const of = this.supers.superOf;
    for (let i = 0; i < X.rows; i++) {
      const norm = new Float64Array(S);
      for (let g = 0; g < K; g++) norm[of[g]!] += within[g]![i]!;
      let total = 0;
      for (let g = 0; g < K; g++) {
        const s = of[g]!;
        const cond = norm[s]! > 0 ? within[g]![i]! / norm[s]! : 1 / this.labels.filter((_, h) => of[h] === s).length;
        const v = ps[i * S + s]! * cond;
        out[i * K + g] = v;
        total += v;
      }
      for (let g = 0; g < K; g++) out[i * K + g] /= total;
    }
    return out;
  }

  predictProba(X: Matrix): Float32Array {
    return this.combine(X);
  }

  /** The "with hint" ceiling: the true super-genre of each row (from its genre y) is given. */
  predictProbaWithHint(X: Matrix, y: Int32Array): Float32Array {
    if (!this.supers) throw new Error('per-node: not fitted');
    const S = this.supers.count;
    const hint = new Float64Array(X.rows * S);
    for (let i = 0; i < X.rows; i++) hint[i * S + this.supers.superOf[y[i]!]!] = 1;
    return this.combine(X, hint);
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (!this.supers) throw new Error('per-node: not fitted');
    const files = [STATE_FILE, SCALER_FILE];
    const dump = async (node: BinaryNode, sub: string) => {
      if (node instanceof DenseNode) {
        await node.net.save(path.join(dir, sub));
        files.push(`${sub}/`);
        return { dir: sub };
      }
      return node === ONE ? { one: true } : node === ZERO ? { zero: true } : node.toJSON();
    };
    const superNodes = [];
    for (let s = 0; s < this.superNodes.length; s++) superNodes.push(await dump(this.superNodes[s]!, `super-${s}`));
    const genreNodes = [];
    for (let g = 0; g < this.genreNodes.length; g++) genreNodes.push(await dump(this.genreNodes[g]!, `genre-${g}`));
    await writeJSON(path.join(dir, STATE_FILE), { supers: { ...this.supers, superOf: Array.from(this.supers.superOf) }, superNodes, genreNodes });
    await writeJSON(path.join(dir, SCALER_FILE), this.scaler.toJSON());
    await writeManifest(dir, this, PERNODE_LABEL, meta, files, { superGenres: this.superNames() }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<PerNodeClassifier> {
    type NodeJSON = { one: true } | { zero: true } | { coef: number[] } | { dir: string };
    const clf = new PerNodeClassifier(manifest.params as Partial<PerNodeParams>);
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.scaler = StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(dir, SCALER_FILE)));
    const st = await readJSON<{ supers: Omit<SuperGenres, 'superOf'> & { superOf: number[] }; superNodes: NodeJSON[]; genreNodes: NodeJSON[] }>(path.join(dir, STATE_FILE));
    clf.supers = { ...st.supers, superOf: Int32Array.from(st.supers.superOf) };
    const revive = async (j: NodeJSON): Promise<BinaryNode> => {
      if ('one' in j) return ONE;
      if ('zero' in j) return ZERO;
      if ('coef' in j) return new LogisticNode(Float64Array.from(j.coef));
      const sub = path.join(dir, j.dir);
      return new DenseNode(await DenseClassifier.load(sub, await readManifest(sub)), j.dir);
    };
    for (const j of st.superNodes) clf.superNodes.push(await revive(j));
    for (const j of st.genreNodes) clf.genreNodes.push(await revive(j));
    return clf;
  }

  dispose(): void {
    for (const n of [...this.superNodes, ...this.genreNodes]) n.dispose();
    this.superNodes = [];
    this.genreNodes = [];
  }
}

export interface HintEvaluation {
  /** Out-of-fold probabilities (rows × K) of the flat, hierarchical and with-hint variants. */
  flat: Float32Array;
  hierarchical: Float32Array;
  hint: Float32Array;
  /** Super-genres found in each fold. */
  supers: string[][];
}

/** Cross-validates the three per-node variants on the same folds (fold per row, 0..k−1). */
export async function evaluatePerNode(X: Matrix, y: Int32Array, labels: string[], params: Partial<PerNodeParams>, fold: Int32Array, seed: number, signal?: AbortSignal): Promise<HintEvaluation> {
  const K = labels.length;
  const out: HintEvaluation = { flat: new Float32Array(y.length * K), hierarchical: new Float32Array(y.length * K), hint: new Float32Array(y.length * K), supers: [] };
  const k = Math.max(...fold) + 1;
  for (let f = 0; f < k; f++) {
    const { train, test } = foldIndices(fold, f);
    if (test.length === 0) continue;
    const Xtr = takeRows(X, train);
    const ytr = takeLabels(y, train);
    const Xte = takeRows(X, test);
    const opts = { seed: subSeed(seed, f), labels, signal };
    const hier = new PerNodeClassifier({ ...params, structure: 'hierarchical' });
    const flat = new PerNodeClassifier({ ...params, structure: 'flat' });
    try {
      await hier.fit(Xtr, ytr, opts);
      await flat.fit(Xtr, ytr, opts);
      const put = (dst: Float32Array, p: Float32Array) => test.forEach((row, i) => dst.set(p.subarray(i * K, (i + 1) * K), row * K));
      put(out.hierarchical, hier.predictProba(Xte));
      put(out.hint, hier.predictProbaWithHint(Xte, takeLabels(y, test)));
      put(out.flat, flat.predictProba(Xte));
      out.supers.push(hier.superNames());
    } finally {
      hier.dispose();
      flat.dispose();
    }
  }
  return out;
}
