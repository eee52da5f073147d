// Dense (multi-layer perceptron) classifier on standardised inputs, trained with Adam in a custom
// loop: seeded shuffling, dropout, input noise, label smoothing and L2; early stopping on a
// validation slice of the training data with the best weights restored; cancellable between batches.
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { JsAdam } from './adam';
import { checkTrainingLoss, describeLoss, logitLoss, type TrainingLoss } from './losses';
import { runEpochs } from './epoch-loop';
import { prepareFit } from './fitting';
import { fileLoadHandler, fileSaveHandler, readJSON, writeJSON } from './io';
import { resolveParams, SCALER_FILE, writeManifest, type ModelManifest, type ParamSpec } from './manifest';
import { mulberry32, normal, shuffle, type Rng } from '../random';
import { subSeed } from './rng';
import { StandardScaler, type ScalerJSON } from './scaler';
import {
  defaultLabels,
  numClassesOf,
  takeLabels,
  takeRows,
  throwIfAborted,
  type Classifier,
  type FitInfo,
  type FitOptions,
  type Matrix,
  type SaveMeta,
} from './types';

export interface DenseParams extends Record<string, unknown> {
  hidden: number[];
  dropout: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
  l2: number;
  weightDecay: number;
  inputNoise: number;
  labelSmoothing: number;
}

export const DENSE_PARAMS: readonly ParamSpec[] = [
  { key: 'hidden', label: 'Hidden layers (units)', type: 'int-list', default: [256, 256, 256], min: 1, max: 4096 },
  { key: 'dropout', label: 'Dropout', type: 'number', default: 0.1, min: 0, max: 0.9 },
  { key: 'learningRate', label: 'Learning rate (Adam)', type: 'number', default: 1e-3, min: 1e-6, max: 1 },
  { key: 'batchSize', label: 'Batch size', type: 'int', default: 64, min: 1, max: 65536 },
  { key: 'maxEpochs', label: 'Maximum epochs', type: 'int', default: 200, min: 1, max: 100000 },
  { key: 'patience', label: 'Early-stopping patience (epochs)', type: 'int', default: 20, min: 1, max: 100000 },
  { key: 'validationFraction', label: 'Validation slice of the training data', type: 'number', default: 0.1, min: 0, max: 0.5, help: '0 trains for maxEpochs without early stopping' },
  { key: 'l2', label: 'L2 penalty on weights', type: 'number', default: 0, min: 0, max: 1, help: 'added to the loss: l2 · Σ w² over the weight matrices' },
  { key: 'weightDecay', label: 'Weight decay (decoupled, AdamW)', type: 'number', default: 0, min: 0, max: 1, help: 'after each step every weight matrix shrinks by learningRate · weightDecay' },
  { key: 'inputNoise', label: 'Gaussian input noise (σ, standardised units)', type: 'number', default: 0, min: 0, max: 5 },
  { key: 'labelSmoothing', label: 'Label smoothing', type: 'number', default: 0, min: 0, max: 0.5 },
];

export const DENSE_LABEL = 'Dense network';

/** How often (ms) the training loop lets the event loop run, so that an abort is seen. */
const YIELD_MS = 50;
const PREDICT_BATCH = 4096;

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function seedInt(rng: Rng): number {
  return Math.floor(rng() * 2147483647);
}

export class DenseClassifier implements Classifier {
  readonly kind = 'dense';
  readonly params: DenseParams;
  labels: string[] = [];
  private model: tf.LayersModel | null = null;
  private scaler = new StandardScaler();
  private columns: string[] | null = null;
  /** The class-cost loss it was trained with (null: cross-entropy); saved in the manifest. */
  trainingLoss: TrainingLoss | null = null;

  constructor(params: Partial<DenseParams> = {}) {
    this.params = resolveParams<DenseParams>('dense', DENSE_PARAMS, params);
  }

  describe(): string {
    const p = this.params;
    const d = this.model ? String((this.model.inputs[0]!.shape as number[])[1]) : 'in';
    const shape = [d, ...p.hidden.map(String), this.labels.length > 0 ? String(this.labels.length) : 'classes'].join('→');
    const reg = [
      p.dropout > 0 ? `dropout ${p.dropout}` : '',
      p.l2 > 0 ? `L2 ${p.l2}` : '',
      p.weightDecay > 0 ? `weight decay ${p.weightDecay}` : '',
      p.inputNoise > 0 ? `input noise σ ${p.inputNoise}` : '',
      p.labelSmoothing > 0 ? `label smoothing ${p.labelSmoothing}` : '',
    ].filter(Boolean);
    const stop = p.validationFraction > 0 ? `early stopping on ${Math.round(p.validationFraction * 100)} % of the training data (patience ${p.patience}, best weights kept)` : 'no early stopping';
    const loss = this.trainingLoss ? `; ${describeLoss(this.trainingLoss)}` : '';
    return `Dense net ${shape} (ReLU, softmax${loss}), ${reg.join(', ') || 'no regularisation'}; ${p.weightDecay > 0 ? 'AdamW' : 'Adam'} lr ${p.learningRate}, batch ${p.batchSize}, ≤ ${p.maxEpochs} epochs, ${stop}; standardised inputs`;
  }

  private build(inputDim: number, k: number, seed: number): tf.LayersModel {
    const rng = mulberry32(seed);
    const model = tf.sequential();
    this.params.hidden.forEach((units, i) => {
      model.add(
        tf.layers.dense({
          units,
          activation: 'relu',
          inputShape: i === 0 ? [inputDim] : undefined,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seedInt(rng) }),
          name: `dense_${i}`,
        }),
      );
      if (this.params.dropout > 0) model.add(tf.layers.dropout({ rate: this.params.dropout, name: `dropout_${i}` }));
    });
    model.add(tf.layers.dense({ units: k, kernelInitializer: tf.initializers.glorotUniform({ seed: seedInt(rng) }), name: 'logits' }));
    return model;
  }

  /** Dense layers in order (the last gives logits). */
  private denseLayers(): tf.layers.Layer[] {
    if (!this.model) throw new Error('dense: not fitted');
    return this.model.layers.filter((l) => l.getClassName() === 'Dense');
  }

  /** Logits for a batch; with `dropoutSeed`, dropout is applied after each hidden layer. */
  private forward(x: tf.Tensor2D, dropoutRng?: Rng): tf.Tensor2D {
    const layers = this.denseLayers();
    let h: tf.Tensor = x;
    layers.forEach((layer, i) => {
      h = layer.apply(h) as tf.Tensor;
      if (dropoutRng && i < layers.length - 1 && this.params.dropout > 0) h = tf.dropout(h, this.params.dropout, undefined, seedInt(dropoutRng));
    });
    return h as tf.Tensor2D;
  }

  private disposeModel(): void {
    this.model?.dispose();
    this.model = null;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const p = this.params;
    const { k, labels, columns, fitX, fitY, valX, valY } = prepareFit('dense', X, y, opts, p.validationFraction);
    this.disposeModel();
    this.labels = labels;
    this.columns = columns;
    this.trainingLoss = opts.loss && opts.loss.kind !== 'ce' ? opts.loss : null;
    if (this.trainingLoss) checkTrainingLoss(this.trainingLoss, labels);
    const lossFn = logitLoss(this.trainingLoss, k, p.labelSmoothing);
    const valLossFn = logitLoss(this.trainingLoss, k);
    this.scaler.fit(fitX);
    const xs = this.scaler.transform(fitX).data as Float32Array;
    const d = X.cols;
    const n = fitX.rows;
    this.model = this.build(d, k, subSeed(opts.seed, 2));
    const rng = mulberry32(subSeed(opts.seed, 3));
    const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new JsAdam(vars, { learningRate: p.learningRate, weightDecay: p.weightDecay, l2: p.l2 });

    const valTensors = valX && valY ? tf.tidy(() => [tf.tensor2d(this.scaler.transform(valX).data as Float32Array, [valX.rows, d]), tf.tensor1d(valY, 'int32')] as const) : null;

    const bs = Math.min(p.batchSize, n);
    const order = Array.from({ length: n }, (_, i) => i);
    const xb = new Float32Array(bs * d);
    const yb = new Float32Array(bs * k);
    let lastYield = performance.now();
    /** One shuffled pass over the training rows: mean loss and accuracy. */
    const epochPass = async (): Promise<{ loss: number; acc: number }> => {
      shuffle(rng, order);
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < n; start += bs) {
        throwIfAborted(opts.signal);
        const m = Math.min(bs, n - start);
        yb.fill(0, 0, m * k);
        for (let r = 0; r < m; r++) {
          const src = order[start + r]! * d;
          for (let j = 0; j < d; j++) xb[r * d + j] = xs[src + j]! + (p.inputNoise > 0 ? p.inputNoise * normal(rng) : 0);
          yb[r * k + fitY[order[start + r]!]!] = 1;
        }
        const dropRng = mulberry32(seedInt(rng));
        let hits: tf.Tensor | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const xt = tf.tensor2d(xb.subarray(0, m * d), [m, d]);
          const yt = tf.tensor2d(yb.subarray(0, m * k), [m, k]);
          const logits = this.forward(xt, dropRng);
          hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(yt, 1)), 'float32')));
          return lossFn(yt, logits);
        }, vars);
        optimizer.step(vars.map((v) => grads[v.name]!));
        lossSum += value.dataSync()[0]! * m;
        correct += (hits as tf.Tensor | null)!.dataSync()[0]!;
        tf.dispose([value, hits!, ...Object.values(grads)]);
        if (performance.now() - lastYield > YIELD_MS) {
          await nextTick();
          lastYield = performance.now();
        }
      }
      return { loss: lossSum / n, acc: correct / n };
    };
    const validate = (vt: readonly [tf.Tensor2D, tf.Tensor1D]) => (): { loss: number; acc: number } => {
      const [loss, acc] = tf.tidy(() => {
        const logits = this.forward(vt[0]);
        const l = valLossFn(tf.oneHot(vt[1], k).toFloat() as tf.Tensor2D, logits);
        const a = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), vt[1]), 'float32'));
        return tf.stack([l, a]).dataSync();
      });
      return { loss: loss!, acc: acc! };
    };
    try {
      const { history, bestEpoch } = await runEpochs<Float32Array[]>({
        model: 'dense',
        maxEpochs: p.maxEpochs,
        patience: p.patience,
        train: epochPass,
        validate: valTensors ? validate(valTensors) : undefined,
        snapshot: () => optimizer.snapshot(),
        restore: (best) => optimizer.setValues(best),
        onEpoch: opts.onEpoch,
      });
      return { epochs: history.length, bestEpoch, history, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      this.disposeModel();
      throw err;
    } finally {
      if (valTensors) tf.dispose([...valTensors]);
    }
  }

  predictProba(X: Matrix): Float32Array {
    if (!this.model) throw new Error('dense: not fitted');
    const k = this.labels.length;
    const xs = this.scaler.transform(X).data as Float32Array;
    const out = new Float32Array(X.rows * k);
    for (let start = 0; start < X.rows; start += PREDICT_BATCH) {
      const m = Math.min(PREDICT_BATCH, X.rows - start);
      const probs = tf.tidy(() => tf.softmax(this.forward(tf.tensor2d(xs.subarray(start * X.cols, (start + m) * X.cols), [m, X.cols]))).dataSync());
      out.set(probs, start * k);
    }
    return out;
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (!this.model) throw new Error('dense: not fitted');
    await this.model.save(fileSaveHandler(dir));
    await writeJSON(path.join(dir, SCALER_FILE), this.scaler.toJSON());
    await writeManifest(dir, this, DENSE_LABEL, meta, ['model.json', 'weights.bin', SCALER_FILE], { inputs: this.scaler.mean.length, output: 'logits', ...(this.trainingLoss ? { loss: this.trainingLoss } : {}) }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<DenseClassifier> {
    const clf = new DenseClassifier(manifest.params as Partial<DenseParams>);
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.trainingLoss = (manifest.extra.loss as TrainingLoss | undefined) ?? null;
    clf.scaler = StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(dir, SCALER_FILE)));
    clf.model = await tf.loadLayersModel(fileLoadHandler(dir));
    return clf;
  }

  dispose(): void {
    this.disposeModel();
  }
}
