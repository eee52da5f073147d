// GraphSAGE (Hamilton, Ying & Leskovec 2017) with the mean aggregator for node classification on a
// kNN graph of tracks. Layer l: h_v ← ReLU(W_l [h_v ‖ Σ_u w_vu h_u] + b_l) over v's neighbours u
// (weights w normalised per node), then a dense softmax layer; cross-entropy, Adam, full-batch steps,
// early stopping on held-out rows. Inductive: new rows are connected to their k nearest training rows
// (the training graph is left as it is) and pass through the same layers, without retraining.
// Before the graph: standardisation, an optional group-lasso feature selection (select.ts) and an
// optional reduction: PCA, or t-SNE of the training rows, where a new row (which t-SNE cannot place
// by itself) takes the distance-weighted mean position of its nearest training rows in the space
// before the reduction (an exact match takes that row's position).
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { pca, pcaTransform, type PCAModel } from '../latent/pca';
import { TSNE } from '../latent/tsne';
import { readFloat32, readJSON, writeFloat32, writeJSON } from '../ml/io';
import { resolveParams, SCALER_FILE, writeManifest, type ModelManifest, type ParamSpec } from '../ml/manifest';
import { checkTrainingLoss, logitLoss, type TrainingLoss } from '../ml/losses';
import { subSeed } from '../ml/rng';
import { StandardScaler, type ScalerJSON } from '../ml/scaler';
import { defaultLabels, numClassesOf, throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from '../ml/types';
import { mulberry32, type Rng } from '../random';
import { glorot, lossAndAccuracy, seedOf, trainLoop, validationSplit } from '../hierarchy/train';
import { connect, EDGE_WEIGHTINGS, GRAPH_METRICS, knnGraph, type EdgeWeighting, type GraphMetric, type GraphSpace, type KnnGraph } from './knn-graph';
import { selectFeatures } from './select';
import { insertTopK } from '../topk';

export interface GraphSageParams extends Record<string, unknown> {
  k: number;
  metric: GraphMetric;
  weighting: EdgeWeighting;
  hidden: number[];
  dropout: number;
  learningRate: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
  l2: number;
  normalise: boolean;
  reduce: 'none' | 'pca' | 'tsne';
  components: number;
  selectFeatures: number;
  corrThreshold: number;
}

/** Training rows whose t-SNE positions are averaged to place a new row. */
export const TSNE_PLACE_K = 10;

export const GRAPHSAGE_PARAMS: readonly ParamSpec[] = [
  { key: 'k', label: 'Neighbours per node (k)', type: 'int', default: 5, min: 1, max: 200 },
  { key: 'metric', label: 'Graph metric', type: 'enum', default: 'euclidean', options: GRAPH_METRICS, help: 'jaccard: on features binarised at the training medians' },
  { key: 'weighting', label: 'Edge weights', type: 'enum', default: 'uniform', options: EDGE_WEIGHTINGS, help: 'uniform mean, 1/distance, or exp(−d²/σ²) with σ the median neighbour distance' },
  { key: 'hidden', label: 'Layers (units per aggregation layer)', type: 'int-list', default: [256], min: 1, max: 4096, help: 'K = number of entries' },
  { key: 'dropout', label: 'Dropout', type: 'number', default: 0.5, min: 0, max: 0.9 },
  { key: 'learningRate', label: 'Learning rate (Adam)', type: 'number', default: 0.01, min: 1e-6, max: 1 },
  { key: 'maxEpochs', label: 'Maximum epochs (full-batch steps)', type: 'int', default: 400, min: 1, max: 100000 },
  { key: 'patience', label: 'Early-stopping patience', type: 'int', default: 50, min: 1, max: 100000 },
  { key: 'validationFraction', label: 'Validation slice of the training data', type: 'number', default: 0.1, min: 0, max: 0.5, help: 'held out of the graph and attached inductively, like new tracks' },
  { key: 'l2', label: 'L2 penalty on weights', type: 'number', default: 5e-4, min: 0, max: 1 },
  { key: 'normalise', label: 'L2-normalise each layer\'s output', type: 'boolean', default: false },
  { key: 'reduce', label: 'Reduction before the graph', type: 'enum', default: 'none', options: ['none', 'pca', 'tsne'], help: `t-SNE embeds the training tracks; a new track goes to the distance-weighted mean position of its ${TSNE_PLACE_K} nearest training tracks` },
  { key: 'components', label: 'Components of the reduction (t-SNE: 1–3)', type: 'int', default: 20, min: 1, max: 4096, when: { key: 'reduce', notIn: ['none'] } },
  { key: 'selectFeatures', label: 'L1 feature selection: keep at most (0 = off, −1 = auto)', type: 'int', default: 0, min: -1, max: 100000, help: 'group-lasso path, one feature per correlated group; auto keeps every feature that enters the path' },
  { key: 'corrThreshold', label: 'Correlated-group threshold |r|', type: 'number', default: 0.9, min: 0.1, max: 1, when: { key: 'selectFeatures', notIn: [0] } },
];

export const GRAPHSAGE_LABEL = 'GraphSAGE (kNN graph)';
const STATE_FILE = 'graphsage.json';
const NODES_FILE = 'graphsage-nodes.f32';
const WEIGHTS_FILE = 'graphsage-weights.f32';
const TSNE_BASE_FILE = 'graphsage-tsne-base.f32';
const TSNE_POS_FILE = 'graphsage-tsne-positions.f32';

/** A t-SNE of the training rows and the rows it was made from, to place new rows. */
export interface TsnePlacement {
  /** Training rows before the reduction, n × d. */
  base: Float32Array;
  n: number;
  d: number;
  /** Their t-SNE positions, n × dim. */
  positions: Float32Array;
  dim: number;
}

/**
 * Positions of new rows (m × d, the space before the reduction) in a t-SNE of the training rows:
 * the inverse-distance weighted mean of the positions of their k nearest training rows (Euclidean);
 * a row equal to a training row takes that row's position.
 */
export function placeInTsne(t: TsnePlacement, Q: ArrayLike<number>, m: number, k = TSNE_PLACE_K): Float32Array {
  const kk = Math.min(k, t.n);
  const out = new Float32Array(m * t.dim);
  const bd = new Float64Array(kk);
  const bi = new Int32Array(kk);
  for (let q = 0; q < m; q++) {
    bd.fill(Infinity);
    bi.fill(-1);
    for (let i = 0; i < t.n; i++) {
      let s = 0;
      for (let j = 0; j < t.d; j++) {
        const v = Q[q * t.d + j]! - t.base[i * t.d + j]!;
        s += v * v;
      }
      insertTopK(bd, bi, s, i);
    }
    if (bd[0]! === 0) {
      for (let c = 0; c < t.dim; c++) out[q * t.dim + c] = t.positions[bi[0]! * t.dim + c]!;
      continue;
    }
    let wsum = 0;
    for (let j = 0; j < kk; j++) {
      const w = 1 / Math.sqrt(bd[j]!);
      wsum += w;
      for (let c = 0; c < t.dim; c++) out[q * t.dim + c] += w * t.positions[bi[j]! * t.dim + c]!;
    }
    for (let c = 0; c < t.dim; c++) out[q * t.dim + c] /= wsum;
  }
  return out;
}
const PREDICT_BATCH = 2048;

interface GraphSageState {
  keep: number[] | null;
  keptFeatures: string[] | null;
  pca: { mean: number[]; components: number[]; nComponents: number; dim: number } | null;
  /** t-SNE reduction: sizes of the stored base rows and positions (absent in older models). */
  tsne?: { n: number; d: number; dim: number } | null;
  space: { metric: GraphMetric; weighting: EdgeWeighting; thresholds: number[] | null; sigma: number };
  n: number;
  dim: number;
  neighbours: number[];
  edgeWeights: number[];
  shapes: number[][];
}

/** A graph's neighbour averaging as tensors: a dense m × n weight matrix when small, else gather indices. */
export type Aggregator = { dense: tf.Tensor2D } | { idx: tf.Tensor1D; w: tf.Tensor3D; m: number; k: number };

/** Largest dense aggregation matrix (entries) before falling back to gathers. */
const DENSE_LIMIT = 1 << 24;

/** Tensors for aggregating over graph `g` whose neighbours index rows of a table of `n` rows. */
export function aggregator(g: KnnGraph, n: number): Aggregator {
  if (g.n * n <= DENSE_LIMIT) {
    const A = new Float32Array(g.n * n);
    for (let i = 0; i < g.n; i++) for (let j = 0; j < g.k; j++) A[i * n + g.neighbours[i * g.k + j]!] += g.weights[i * g.k + j]!;
    return { dense: tf.tensor2d(A, [g.n, n]) };
  }
  return { idx: tf.tensor1d(g.neighbours, 'int32'), w: tf.tensor3d(g.weights, [g.n, g.k, 1]), m: g.n, k: g.k };
}

/** The mean aggregator: row i of the result is Σ_j w_ij H[neighbour_ij]. */
export function aggregate(a: Aggregator, H: tf.Tensor2D): tf.Tensor2D {
  if ('dense' in a) return tf.matMul(a.dense, H);
  return tf.sum(tf.mul(tf.reshape(tf.gather(H, a.idx), [a.m, a.k, H.shape[1]!]), a.w), 1) as tf.Tensor2D;
}

/**
 * One GraphSAGE layer with the mean aggregator: ReLU([h ‖ agg] W + b), where `agg` is the aggregate of
 * the neighbours' rows (see aggregate); `drop` is applied to the concatenation (dropout in training).
 */
export function sageLayer(h: tf.Tensor2D, agg: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D, drop?: (x: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  const x = tf.concat([h, agg], 1);
  return tf.relu(tf.add(tf.matMul(drop ? drop(x) : x, W), b)) as tf.Tensor2D;
}

function disposeAggregator(a: Aggregator): void {
  if ('dense' in a) a.dense.dispose();
  else tf.dispose([a.idx, a.w]);
}

export class GraphSageClassifier implements Classifier {
  readonly kind = 'graphsage';
  readonly params: GraphSageParams;
  labels: string[] = [];
  /** The class-cost loss it was trained with (null: cross-entropy); saved in the manifest. */
  trainingLoss: TrainingLoss | null = null;
  /** Names (or indices) of the features kept by the selection, when it ran. */
  keptFeatures: string[] | null = null;
  private keep: number[] | null = null;
  private scaler = new StandardScaler();
  private pcaModel: PCAModel | null = null;
  private tsne: TsnePlacement | null = null;
  private columns: string[] | null = null;
  /** Training node features (after preprocessing), n × dim. */
  private nodes: Float32Array = new Float32Array(0);
  private dim = 0;
  private graph: KnnGraph | null = null;
  private space: GraphSpace | null = null;
  /** Per layer then output: kernel and bias. */
  private vars: tf.Variable[] = [];

  constructor(params: Partial<GraphSageParams> = {}) {
    this.params = resolveParams<GraphSageParams>('graphsage', GRAPHSAGE_PARAMS, params);
  }

  describe(): string {
    const p = this.params;
    const pre = [
      'standardised',
      this.keptFeatures
        ? `group-lasso selection kept ${this.keptFeatures.length}: ${this.keptFeatures.join(', ')}`
        : p.selectFeatures > 0
          ? `group-lasso selection of ≤ ${p.selectFeatures} features`
          : p.selectFeatures < 0
            ? 'group-lasso selection (auto)'
            : '',
      p.reduce === 'pca' ? `PCA to ${p.components}` : '',
      p.reduce === 'tsne' ? `t-SNE to ${Math.min(3, p.components)}-D (new tracks placed by their ${TSNE_PLACE_K} nearest training tracks)` : '',
    ].filter(Boolean);
    return `GraphSAGE, mean aggregator, ${p.hidden.length} layer${p.hidden.length > 1 ? 's' : ''} (${p.hidden.join('→')}, ReLU${p.normalise ? ', L2-normalised' : ''}), dropout ${p.dropout}, L2 ${p.l2}; kNN graph k = ${p.k}, ${p.metric}, ${p.weighting} edge weights; inductive (new rows join their k nearest training rows); Adam lr ${p.learningRate}, full-batch, ≤ ${p.maxEpochs} steps; features ${pre.join(', ')}`;
  }

  /** The training graph (after fit or load). */
  get trainingGraph(): KnnGraph | null {
    return this.graph;
  }

  /** Standardise, select, reduce: rows → node features. */
  private features(X: Matrix): Float32Array {
    if (X.cols !== this.scaler.mean.length) throw new Error(`graphsage: ${X.cols} columns, fitted on ${this.scaler.mean.length}`);
    let F: Float64Array | Float32Array = this.scaler.transform(X).data;
    let d = X.cols;
    if (this.keep) {
      const keep = this.keep;
      const out = new Float64Array(X.rows * keep.length);
      for (let r = 0; r < X.rows; r++) keep.forEach((j, c) => (out[r * keep.length + c] = F[r * d + j]!));
      F = out;
      d = keep.length;
    }
    if (this.pcaModel) F = pcaTransform(this.pcaModel, Float64Array.from(F), X.rows);
    if (this.tsne) return placeInTsne(this.tsne, F, X.rows);
    return Float32Array.from(F);
  }

  /** The k training rows each row of X is connected to (inductive use), nearest first. */
  neighbours(X: Matrix): KnnGraph {
    if (!this.graph || !this.space) throw new Error('graphsage: not fitted');
    return connect(this.space, this.nodes, this.graph.n, this.features(X), X.rows, this.dim, this.graph.k);
  }

  private disposeVars(): void {
    tf.dispose(this.vars);
    this.vars = [];
  }

  private initVars(dim: number, k: number, rng: Rng): void {
    this.disposeVars();
    let inDim = dim;
    for (const h of this.params.hidden) {
      this.vars.push(tf.variable(tf.tensor2d(glorot(rng, 2 * inDim, h), [2 * inDim, h])), tf.variable(tf.zeros([h])));
      inDim = h;
    }
    this.vars.push(tf.variable(tf.tensor2d(glorot(rng, inDim, k), [inDim, k])), tf.variable(tf.zeros([k])));
  }

  /**
   * Logits of `self` rows whose neighbours (aggregator `agg`) are rows of `src`, the training nodes
   * (aggregator `srcAgg` among themselves). When `self` is `src` (training) both advance together.
   * `firstAgg`: the first layer's aggregate of `self`, when precomputed (it does not change in training).
   */
  private forward(self: tf.Tensor2D, agg: Aggregator, src: tf.Tensor2D, srcAgg: Aggregator, sameNodes: boolean, dropRng?: Rng, firstAgg?: tf.Tensor2D): tf.Tensor2D {
    const p = this.params;
    const drop = dropRng && p.dropout > 0 ? (x: tf.Tensor2D) => tf.dropout(x, p.dropout, undefined, seedOf(dropRng)) as tf.Tensor2D : undefined;
    const layer = (l: number, h: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D => {
      let out = sageLayer(h, a, this.vars[2 * l] as tf.Variable<tf.Rank.R2>, this.vars[2 * l + 1] as tf.Variable<tf.Rank.R1>, drop);
      if (p.normalise) out = tf.div(out, tf.maximum(tf.norm(out, 'euclidean', 1, true), 1e-6)) as tf.Tensor2D;
      return out;
    };
    let h = self;
    let s = src;
    for (let l = 0; l < p.hidden.length; l++) {
      const hn = layer(l, h, l === 0 && firstAgg ? firstAgg : aggregate(agg, s));
      s = sameNodes ? hn : layer(l, s, aggregate(srcAgg, s));
      h = hn;
    }
    const L = p.hidden.length;
    if (drop) h = drop(h);
    return tf.add(tf.matMul(h, this.vars[2 * L] as tf.Variable<tf.Rank.R2>), this.vars[2 * L + 1]!) as tf.Tensor2D;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const p = this.params;
    if (X.rows !== y.length) throw new Error(`graphsage.fit: ${X.rows} rows but ${y.length} labels`);
    throwIfAborted(opts.signal);
    const K = numClassesOf(y, opts.labels);
    this.labels = opts.labels ? [...opts.labels] : defaultLabels(K);
    this.columns = opts.columns ? [...opts.columns] : null;
    this.trainingLoss = opts.loss && opts.loss.kind !== 'ce' ? opts.loss : null;
    if (this.trainingLoss) checkTrainingLoss(this.trainingLoss, this.labels);
    const lossFn = logitLoss(this.trainingLoss, K);

    const { fitX, fitY, valX, valY } = validationSplit(X, y, opts, p.validationFraction, p.k);
    const n = fitX.rows;
    if (n <= p.k) throw new Error(`graphsage: ${n} training rows for k = ${p.k} neighbours`);

    // Preprocessing on the training rows only.
    this.scaler.fit(fitX);
    this.keep = null;
    this.keptFeatures = null;
    this.pcaModel = null;
    this.tsne = null;
    if (p.selectFeatures !== 0) {
      const xs = Float64Array.from(this.scaler.transform(fitX).data);
      const sel = selectFeatures(xs, n, X.cols, fitY, K, { maxFeatures: Math.max(0, p.selectFeatures), corrThreshold: p.corrThreshold });
      if (sel.kept.length > 0) {
        this.keep = sel.kept;
        this.keptFeatures = sel.kept.map((j) => opts.columns?.[j] ?? `feature ${j}`);
      }
    }
    if (p.reduce === 'pca') {
      this.pcaModel = null;
      const pre = this.features(fitX);
      const d0 = pre.length / n;
      this.pcaModel = pca(Float64Array.from(pre), n, d0, { nComponents: Math.min(p.components, d0, n) });
    }
    if (p.reduce === 'tsne') {
      const pre = this.features(fitX);
      const d0 = pre.length / n;
      const dim = Math.min(3, p.components);
      const ts = new TSNE({ dim, rng: mulberry32(subSeed(opts.seed, 4)), nIter: 750 });
      ts.init(Float64Array.from(pre), n, d0);
      const Y = ts.run(() => opts.signal?.aborted === true);
      ts.dispose();
      throwIfAborted(opts.signal);
      // t-SNE coordinates run to tens of units: scaled to unit standard deviation (over all of
      // them, so the layout's shape is kept) before they become node features
      let ss = 0;
      let mean = 0;
      for (const v of Y) mean += v / Y.length;
      for (const v of Y) ss += (v - mean) ** 2;
      const scale = 1 / Math.max(Math.sqrt(ss / Y.length), 1e-12);
      const positions = Float32Array.from(Y, (v) => (v - mean) * scale);
      this.tsne = { base: pre, n, d: d0, positions, dim };
      this.nodes = Float32Array.from(positions);
    } else this.nodes = this.features(fitX);
    this.dim = this.nodes.length / n;
    const { graph, space } = knnGraph(this.nodes, n, this.dim, p.k, p.metric, p.weighting);
    this.graph = graph;
    this.space = space;
    const rng = mulberry32(subSeed(opts.seed, 2));
    this.initVars(this.dim, K, rng);

    const nodesT = tf.tensor2d(this.nodes, [n, this.dim]);
    const yT = tf.tensor1d(fitY, 'int32');
    const yHot = tf.tidy(() => tf.oneHot(yT, K).toFloat());
    const agg = aggregator(graph, n);
    const firstAgg = aggregate(agg, nodesT);
    let val: { F: tf.Tensor2D; agg: Aggregator; y: tf.Tensor1D } | null = null;
    if (valX && valY) {
      const F = this.features(valX);
      val = { F: tf.tensor2d(F, [valX.rows, this.dim]), agg: aggregator(connect(space, this.nodes, n, F, valX.rows, this.dim, p.k), n), y: tf.tensor1d(valY, 'int32') };
    }
    const kernels = this.vars.filter((w) => w.shape.length === 2);
    const dropRng = mulberry32(subSeed(opts.seed, 3));
    try {
      return await trainLoop({
        vars: this.vars,
        learningRate: p.learningRate,
        maxEpochs: p.maxEpochs,
        patience: p.patience,
        signal: opts.signal,
        onEpoch: opts.onEpoch,
        epoch: (optimizer) => {
          let stats: tf.Tensor | null = null;
          const cost = optimizer.minimize(
            () => {
              const logits = this.forward(nodesT, agg, nodesT, agg, true, dropRng, firstAgg);
              const ce = lossFn(yHot as tf.Tensor2D, logits);
              stats = tf.keep(tf.stack([ce, tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), yT), 'float32'))]));
              return p.l2 > 0 ? (tf.add(ce, tf.mul(p.l2, tf.addN(kernels.map((w) => tf.sum(tf.square(w)))))) as tf.Scalar) : ce;
            },
            false,
            this.vars,
          );
          cost?.dispose();
          const s = (stats as unknown as tf.Tensor).dataSync();
          (stats as unknown as tf.Tensor).dispose();
          return { loss: s[0]!, acc: s[1]! };
        },
        validate: val ? () => tf.tidy(() => lossAndAccuracy(this.forward(val!.F, val!.agg, nodesT, agg, false), val!.y, K)) : undefined,
      });
    } catch (err) {
      this.disposeVars();
      throw err;
    } finally {
      tf.dispose([nodesT, yT, yHot, firstAgg]);
      disposeAggregator(agg);
      if (val) {
        tf.dispose([val.F, val.y]);
        disposeAggregator(val.agg);
      }
    }
  }

  predictProba(X: Matrix): Float32Array {
    if (!this.graph || !this.space || this.vars.length === 0) throw new Error('graphsage: not fitted');
    const K = this.labels.length;
    const F = this.features(X);
    const out = new Float32Array(X.rows * K);
    const n = this.graph.n;
    const nodesT = tf.tensor2d(this.nodes, [n, this.dim]);
    const trainAgg = aggregator(this.graph, n);
    try {
      for (let start = 0; start < X.rows; start += PREDICT_BATCH) {
        const m = Math.min(PREDICT_BATCH, X.rows - start);
        const Fq = F.subarray(start * this.dim, (start + m) * this.dim);
        const qAgg = aggregator(connect(this.space, this.nodes, n, Fq, m, this.dim, this.graph.k), n);
        try {
          const probs = tf.tidy(() => tf.softmax(this.forward(tf.tensor2d(Fq, [m, this.dim]), qAgg, nodesT, trainAgg, false)).dataSync());
          out.set(probs, start * K);
        } finally {
          disposeAggregator(qAgg);
        }
      }
    } finally {
      nodesT.dispose();
      disposeAggregator(trainAgg);
    }
    return out;
  }

  /**
   * Probabilities of the training nodes inside their own graph (transductive: each node's neighbours
   * are its k nearest other training nodes, as in training), rows in training order. Predicting a
   * training row through predictProba instead connects it to its k nearest training nodes, itself
   * (at distance 0) among them.
   */
  trainingProba(): Float32Array {
    if (!this.graph || this.vars.length === 0) throw new Error('graphsage: not fitted');
    const n = this.graph.n;
    const nodesT = tf.tensor2d(this.nodes, [n, this.dim]);
    const agg = aggregator(this.graph, n);
    try {
      return tf.tidy(() => tf.softmax(this.forward(nodesT, agg, nodesT, agg, true)).dataSync() as Float32Array);
    } finally {
      nodesT.dispose();
      disposeAggregator(agg);
    }
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (!this.graph || !this.space || this.vars.length === 0) throw new Error('graphsage: not fitted');
    const values = this.vars.map((v) => v.dataSync() as Float32Array);
    const flat = new Float32Array(values.reduce((s, a) => s + a.length, 0));
    let o = 0;
    for (const a of values) {
      flat.set(a, o);
      o += a.length;
    }
    const state: GraphSageState = {
      keep: this.keep,
      keptFeatures: this.keptFeatures,
      pca: this.pcaModel ? { mean: Array.from(this.pcaModel.mean), components: Array.from(this.pcaModel.components), nComponents: this.pcaModel.nComponents, dim: this.pcaModel.dim } : null,
      tsne: this.tsne ? { n: this.tsne.n, d: this.tsne.d, dim: this.tsne.dim } : null,
      space: { metric: this.space.metric, weighting: this.space.weighting, thresholds: this.space.thresholds ? Array.from(this.space.thresholds) : null, sigma: this.space.sigma },
      n: this.graph.n,
      dim: this.dim,
      neighbours: Array.from(this.graph.neighbours),
      edgeWeights: Array.from(this.graph.weights),
      shapes: this.vars.map((v) => [...v.shape]),
    };
    await writeJSON(path.join(dir, STATE_FILE), state);
    await writeFloat32(path.join(dir, NODES_FILE), this.nodes);
    await writeFloat32(path.join(dir, WEIGHTS_FILE), flat);
    await writeJSON(path.join(dir, SCALER_FILE), this.scaler.toJSON());
    const files = [STATE_FILE, NODES_FILE, WEIGHTS_FILE, SCALER_FILE];
    if (this.tsne) {
      await writeFloat32(path.join(dir, TSNE_BASE_FILE), this.tsne.base);
      await writeFloat32(path.join(dir, TSNE_POS_FILE), this.tsne.positions);
      files.push(TSNE_BASE_FILE, TSNE_POS_FILE);
    }
    await writeManifest(dir, this, GRAPHSAGE_LABEL, meta, files, { nodes: this.graph.n, dim: this.dim, keptFeatures: this.keptFeatures, ...(this.trainingLoss ? { loss: this.trainingLoss } : {}) }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<GraphSageClassifier> {
    const clf = new GraphSageClassifier(manifest.params as Partial<GraphSageParams>);
    const s = await readJSON<GraphSageState>(path.join(dir, STATE_FILE));
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.trainingLoss = (manifest.extra.loss as TrainingLoss | undefined) ?? null;
    clf.scaler = StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(dir, SCALER_FILE)));
    clf.keep = s.keep;
    clf.keptFeatures = s.keptFeatures;
    if (s.pca) {
      const zeros = new Float64Array(s.pca.nComponents);
      clf.pcaModel = { mean: Float64Array.from(s.pca.mean), components: Float64Array.from(s.pca.components), nComponents: s.pca.nComponents, dim: s.pca.dim, explainedVariance: zeros, explainedVarianceRatio: zeros, singularValues: zeros, whiten: false };
    }
    if (s.tsne) {
      const t = s.tsne;
      clf.tsne = { n: t.n, d: t.d, dim: t.dim, base: await readFloat32(path.join(dir, TSNE_BASE_FILE), t.n * t.d), positions: await readFloat32(path.join(dir, TSNE_POS_FILE), t.n * t.dim) };
    }
    clf.dim = s.dim;
    clf.nodes = await readFloat32(path.join(dir, NODES_FILE), s.n * s.dim);
    const k = s.neighbours.length / s.n;
    clf.graph = { n: s.n, k, neighbours: Int32Array.from(s.neighbours), distances: new Float64Array(s.n * k), weights: Float32Array.from(s.edgeWeights) };
    clf.space = { metric: s.space.metric, weighting: s.space.weighting, thresholds: s.space.thresholds ? Float64Array.from(s.space.thresholds) : null, sigma: s.space.sigma };
    const flat = await readFloat32(path.join(dir, WEIGHTS_FILE));
    let o = 0;
    clf.vars = s.shapes.map((shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const t = tf.variable(tf.tensor(flat.slice(o, o + size), shape));
      o += size;
      return t;
    });
    return clf;
  }

  dispose(): void {
    this.disposeVars();
  }
}
