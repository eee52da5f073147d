// Recurrent tier model: a bidirectional GRU reads one time step per tier of the genre tree (the
// standardised features plus a one-hot of the tier index) and predicts, at step t, which child of
// its tier-(t−1) parent the row's cluster is — a label relative to the parent, so the output width is
// the tree's largest branching factor, not the number of clusters. Training: mean cross-entropy over
// the steps. Prediction: at each step the softmax is restricted to the parent's actual children and
// renormalised, and P(genre) is the product along the genre's path (a distribution over the genres).
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { fileLoadHandler, fileSaveHandler, readJSON, writeJSON } from '../ml/io';
import { resolveParams, SCALER_FILE, writeManifest, type ModelManifest, type ParamSpec } from '../ml/manifest';
import { subSeed } from '../ml/rng';
import { StandardScaler, type ScalerJSON } from '../ml/scaler';
import { defaultLabels, numClassesOf, throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from '../ml/types';
import { mulberry32, shuffle } from '../random';
import { tierLabels, type Tiers } from './ihct';
import { seedOf, trainLoop, validationSplit } from './train';
import { describeTiers, fitTree, marginalsOf, TREE_PARAM_SPECS, tierAccuracies, treeFromJSON, treeToJSON, type FittedTree, type TierAccuracy, type TreeJSON, type TreeParams } from './tree-params';

export interface TierGruParams extends TreeParams, Record<string, unknown> {
  units: number;
  dense: number;
  dropout: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
}

export const TIERGRU_PARAMS: readonly ParamSpec[] = [
  ...TREE_PARAM_SPECS,
  { key: 'units', label: 'GRU units (each direction)', type: 'int', default: 32, min: 1, max: 4096 },
  { key: 'dense', label: 'Dense layer before the GRU (units, 0 = none)', type: 'int', default: 128, min: 0, max: 4096 },
  { key: 'dropout', label: 'Input dropout', type: 'number', default: 0.2, min: 0, max: 0.9 },
  { key: 'learningRate', label: 'Learning rate (Adam)', type: 'number', default: 5e-3, min: 1e-6, max: 1 },
  { key: 'batchSize', label: 'Batch size', type: 'int', default: 128, min: 1, max: 65536 },
  { key: 'maxEpochs', label: 'Maximum epochs', type: 'int', default: 200, min: 1, max: 100000 },
  { key: 'patience', label: 'Early-stopping patience', type: 'int', default: 15, min: 1, max: 100000 },
  { key: 'validationFraction', label: 'Validation slice of the training data', type: 'number', default: 0.1, min: 0, max: 0.5 },
];

export const TIERGRU_LABEL = 'Recurrent tier model (bidirectional GRU)';
const STATE_FILE = 'tiergru.json';
const PREDICT_BATCH = 2048;

/** Per tier and genre: the genre's cluster's index among its parent's children. */
function pathIndices(tiers: Tiers): Int32Array[] {
  return tiers.assign.map((a, t) => Int32Array.from(a, (c) => tiers.childIndex[t]![c]!));
}

/**
 * Genre probabilities from per-step logits (rows × T × B): at step t only the children of the
 * genre's tier-(t−1) cluster compete; P(genre) = Π_t softmax_restricted(step t)[relative index].
 */
export function leafProbabilities(logits: ArrayLike<number>, rows: number, tiers: Tiers): Float32Array {
  const T = tiers.sizes.length;
  const B = tiers.branching;
  const N = tiers.assign[0]!.length;
  const rel = pathIndices(tiers);
  const out = new Float32Array(rows * N);
  const logp = new Float64Array(N);
  for (let r = 0; r < rows; r++) {
    logp.fill(0);
    for (let t = 0; t < T; t++) {
      const o = (r * T + t) * B;
      for (let g = 0; g < N; g++) {
        const c = tiers.assign[t]![g]!;
        const width = tiers.children[t]![tiers.parent[t]![c]!]!;
        let m = -Infinity;
        for (let j = 0; j < width; j++) m = Math.max(m, logits[o + j]!);
        let s = 0;
        for (let j = 0; j < width; j++) s += Math.exp(logits[o + j]! - m);
        logp[g] += logits[o + rel[t]![g]!]! - m - Math.log(s);
      }
    }
    for (let g = 0; g < N; g++) out[r * N + g] = Math.exp(logp[g]!);
  }
  return out;
}

export class TierGruClassifier implements Classifier {
  readonly kind = 'tier-gru';
  readonly params: TierGruParams;
  labels: string[] = [];
  private fitted: FittedTree | null = null;
  private model: tf.LayersModel | null = null;
  private scaler = new StandardScaler();
  private columns: string[] | null = null;

  constructor(params: Partial<TierGruParams> = {}) {
    this.params = resolveParams<TierGruParams>('tier-gru', TIERGRU_PARAMS, params);
  }

  get tree(): FittedTree | null {
    return this.fitted;
  }

  describe(): string {
    const p = this.params;
    const width = this.fitted ? `${this.fitted.tiers.branching}-way` : 'branching-factor-wide';
    return `Recurrent tier model: ${p.dense > 0 ? `dense ${p.dense} ReLU → ` : ''}bidirectional GRU (${p.units} units per direction), one step per tier, ${width} softmax coded relative to the parent; input dropout ${p.dropout}, Adam lr ${p.learningRate}, batch ${p.batchSize}; ${describeTiers(this.fitted, p)}`;
  }

  private build(T: number, inDim: number, B: number, seed: number): tf.LayersModel {
    const rng = mulberry32(seed);
    const p = this.params;
    const input = tf.input({ shape: [T, inDim] });
    let h: tf.SymbolicTensor = input;
    if (p.dense > 0) h = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: p.dense, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seedOf(rng) }) }) }).apply(h) as tf.SymbolicTensor;
    const gru = tf.layers.gru({ units: p.units, returnSequences: true, kernelInitializer: tf.initializers.glorotUniform({ seed: seedOf(rng) }), recurrentInitializer: tf.initializers.glorotUniform({ seed: seedOf(rng) }) });
    h = tf.layers.bidirectional({ layer: gru as tf.RNN, mergeMode: 'concat' }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: B, kernelInitializer: tf.initializers.glorotUniform({ seed: seedOf(rng) }) }) }).apply(h) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  }

  /** rows × T × (d + T): the standardised features repeated at every step, plus the step's one-hot. */
  private sequences(X: Matrix): Float32Array {
    const T = this.fitted!.tiers.sizes.length;
    const xs = this.scaler.transform(X).data;
    const d = X.cols;
    const w = d + T;
    const out = new Float32Array(X.rows * T * w);
    for (let r = 0; r < X.rows; r++) {
      for (let t = 0; t < T; t++) {
        const o = (r * T + t) * w;
        for (let j = 0; j < d; j++) out[o + j] = xs[r * d + j]!;
        out[o + d + t] = 1;
      }
    }
    return out;
  }

  /** rows × T relative labels. */
  private targets(y: Int32Array): Int32Array {
    const tiers = this.fitted!.tiers;
    const T = tiers.sizes.length;
    const byTier = tierLabels(tiers, y);
    const out = new Int32Array(y.length * T);
    for (let r = 0; r < y.length; r++) for (let t = 0; t < T; t++) out[r * T + t] = tiers.childIndex[t]![byTier[t]![r]!]!;
    return out;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const p = this.params;
    if (X.rows !== y.length) throw new Error(`tier-gru.fit: ${X.rows} rows but ${y.length} labels`);
    throwIfAborted(opts.signal);
    this.dispose();
    const K = numClassesOf(y, opts.labels);
    this.labels = opts.labels ? [...opts.labels] : defaultLabels(K);
    this.columns = opts.columns ? [...opts.columns] : null;

    const { fitX, fitY, valX, valY } = validationSplit(X, y, opts, p.validationFraction);
    this.scaler.fit(fitX);
    this.fitted = fitTree(fitX, fitY, this.labels, p);
    const tiers = this.fitted.tiers;
    const T = tiers.sizes.length;
    const B = tiers.branching;
    const w = X.cols + T;
    this.model = this.build(T, w, B, subSeed(opts.seed, 2));
    const n = fitX.rows;
    const seq = this.sequences(fitX);
    const tgt = this.targets(fitY);
    const val = valX && valY ? { x: tf.tensor3d(this.sequences(valX), [valX.rows, T, w]), y: tf.oneHot(tf.tensor1d(this.targets(valY), 'int32'), B).reshape([valX.rows, T, B]) } : null;
    const rng = mulberry32(subSeed(opts.seed, 3));
    const order = Array.from({ length: n }, (_, i) => i);
    const bs = Math.min(p.batchSize, n);
    const xb = new Float32Array(bs * T * w);
    const yb = new Int32Array(bs * T);
    const model = this.model;
    const vars = model.trainableWeights.map((tw) => tw.read() as tf.Variable);
    const stepLoss = (x: tf.Tensor3D, yHot: tf.Tensor, m: number, dropSeed?: number) => {
      const xin = dropSeed !== undefined && p.dropout > 0 ? tf.dropout(x, p.dropout, [m, 1, w], dropSeed) : x;
      const logits = (model.apply(xin, { training: true }) as tf.Tensor).reshape([m * T, B]);
      const lab = yHot.reshape([m * T, B]);
      return { ce: tf.losses.softmaxCrossEntropy(lab, logits) as tf.Scalar, ok: tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(lab, 1)), 'float32')) };
    };
    try {
      return await trainLoop({
        vars,
        learningRate: p.learningRate,
        maxEpochs: p.maxEpochs,
        patience: p.patience,
        signal: opts.signal,
        onEpoch: opts.onEpoch,
        epoch: async (optimizer) => {
          shuffle(rng, order);
          let lossSum = 0;
          let okSum = 0;
          for (let start = 0; start < n; start += bs) {
            throwIfAborted(opts.signal);
            const m = Math.min(bs, n - start);
            for (let r = 0; r < m; r++) {
              const src = order[start + r]!;
              xb.set(seq.subarray(src * T * w, (src + 1) * T * w), r * T * w);
              yb.set(tgt.subarray(src * T, (src + 1) * T), r * T);
            }
            const dropSeed = seedOf(rng);
            let stats: tf.Tensor | null = null;
            const cost = optimizer.minimize(
              () => {
                const { ce, ok } = stepLoss(tf.tensor3d(xb.subarray(0, m * T * w), [m, T, w]), tf.oneHot(tf.tensor1d(yb.subarray(0, m * T), 'int32'), B), m, dropSeed);
                stats = tf.keep(tf.stack([ce, ok]));
                return ce;
              },
              false,
              vars,
            );
            cost?.dispose();
            const s = (stats as unknown as tf.Tensor).dataSync();
            (stats as unknown as tf.Tensor).dispose();
            lossSum += s[0]! * m;
            okSum += s[1]!;
          }
          return { loss: lossSum / n, acc: okSum / (n * T) };
        },
        validate: val
          ? () => {
              const [l, a] = tf.tidy(() => {
                const { ce, ok } = stepLoss(val.x, val.y, val.x.shape[0]);
                return tf.stack([ce, ok]).dataSync();
              });
              return { loss: l!, acc: a! / (val.x.shape[0] * T) };
            }
          : undefined,
      });
    } catch (err) {
      this.dispose();
      throw err;
    } finally {
      if (val) tf.dispose([val.x, val.y]);
    }
  }

  /** Raw per-step logits, rows × T × B. */
  private stepLogits(X: Matrix): Float32Array {
    if (!this.model || !this.fitted) throw new Error('tier-gru: not fitted');
    const T = this.fitted.tiers.sizes.length;
    const B = this.fitted.tiers.branching;
    const seq = this.sequences(X);
    const w = X.cols + T;
    const out = new Float32Array(X.rows * T * B);
    for (let start = 0; start < X.rows; start += PREDICT_BATCH) {
      const m = Math.min(PREDICT_BATCH, X.rows - start);
      const l = tf.tidy(() => (this.model!.predict(tf.tensor3d(seq.subarray(start * T * w, (start + m) * T * w), [m, T, w])) as tf.Tensor).dataSync());
      out.set(l, start * T * B);
    }
    return out;
  }

  predictProba(X: Matrix): Float32Array {
    const logits = this.stepLogits(X);
    return leafProbabilities(logits, X.rows, this.fitted!.tiers);
  }

  /** Accuracy per tier of the cluster probabilities implied by the genre probabilities. */
  tierAccuracy(X: Matrix, y: Int32Array): TierAccuracy[] {
    const tiers = this.fitted!.tiers;
    return tierAccuracies(tiers, marginalsOf(tiers, this.predictProba(X), X.rows), y);
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (!this.model || !this.fitted) throw new Error('tier-gru: not fitted');
    await this.model.save(fileSaveHandler(dir));
    await writeJSON(path.join(dir, SCALER_FILE), this.scaler.toJSON());
    await writeJSON(path.join(dir, STATE_FILE), { tree: treeToJSON(this.fitted) });
    await writeManifest(dir, this, TIERGRU_LABEL, meta, ['model.json', 'weights.bin', SCALER_FILE, STATE_FILE], { tiers: this.fitted.tiers.sizes, branching: this.fitted.tiers.branching }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<TierGruClassifier> {
    const clf = new TierGruClassifier(manifest.params as Partial<TierGruParams>);
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.scaler = StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(dir, SCALER_FILE)));
    clf.fitted = treeFromJSON((await readJSON<{ tree: TreeJSON }>(path.join(dir, STATE_FILE))).tree);
    clf.model = await tf.loadLayersModel(fileLoadHandler(dir));
    return clf;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}
