// A compact convolutional classifier over log-mel patches (registry name `cnn`):
//
//   input [mels, frames, 1] (raw dB, as logMelPatch gives it)
//   → input_norm   per-mel-band standardisation, frozen (mean / variance of the training patches)
//   → n × [conv_i 3×3 'same', no bias → bn_i batch norm → relu_i → pool_i 2×2 max-pool]
//   → gap (global average pooling) → embedding (dense, ReLU) → dropout → logits (dense) → probs (softmax)
//
// Trained with Adam (JsAdam) in a custom loop like ml/dense.ts: seeded shuffling, dropout and light
// SpecAugment-style augmentation (random circular time shift, one time mask, one mel mask); early
// stopping on a validation slice (prepareFit: tracks stay on one side) with the best weights (and
// batch-norm statistics) restored. Rows come in as flattened patches whose column names say which
// (mel, frame) cell they hold (`mel00_t000` …), so constant columns the dataset check drops are put
// back as the band mean (0 after standardisation).
//
// For dreams and probes: `tfModel()` (patch → probabilities), `embeddingModel()` (patch → embedding),
// `logitsModel()` (patch → logits) are tfjs LayersModels over [batch, mels, frames, 1] raw-dB
// patches, differentiable end to end; `embed(X)` gives the embedding rows of a feature matrix.
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { JsAdam } from '../ml/adam';
import { runEpochs } from '../ml/epoch-loop';
import { prepareFit } from '../ml/fitting';
import { fileLoadHandler, fileSaveHandler } from '../ml/io';
import { resolveParams, writeManifest, type ModelManifest, type ParamSpec } from '../ml/manifest';
import type { ModelSpec } from '../ml/registry';
import { subSeed } from '../ml/rng';
import { throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from '../ml/types';
import { mulberry32, shuffle, type Rng } from '../random';
import { bnReluTraining, type BnReluScratch } from './bn-relu';
import { LOGMEL, parseLogMelColumn } from './logmel';
import { registerCnnWasmKernels } from './wasm-kernels';

export interface CnnParams extends Record<string, unknown> {
  filters: number[];
  embedding: number;
  dropout: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
  weightDecay: number;
  augment: boolean;
}

export const CNN_PARAMS: readonly ParamSpec[] = [
  { key: 'filters', label: 'Conv blocks (filters per block)', type: 'int-list', default: [8, 16, 32, 64], min: 1, max: 512, help: 'each block: 3×3 conv, batch norm, ReLU, 2×2 max-pool' },
  { key: 'embedding', label: 'Embedding units', type: 'int', default: 64, min: 2, max: 1024 },
  { key: 'dropout', label: 'Dropout after the embedding', type: 'number', default: 0.3, min: 0, max: 0.9 },
  { key: 'learningRate', label: 'Learning rate (Adam)', type: 'number', default: 1e-3, min: 1e-6, max: 1 },
  { key: 'batchSize', label: 'Batch size', type: 'int', default: 32, min: 1, max: 4096 },
  { key: 'maxEpochs', label: 'Maximum epochs', type: 'int', default: 40, min: 1, max: 10000 },
  { key: 'patience', label: 'Early-stopping patience (epochs)', type: 'int', default: 8, min: 1, max: 10000 },
  { key: 'validationFraction', label: 'Validation slice of the training data', type: 'number', default: 0.15, min: 0, max: 0.5, help: '0 trains for maxEpochs without early stopping' },
  { key: 'weightDecay', label: 'Weight decay (decoupled, AdamW)', type: 'number', default: 1e-4, min: 0, max: 1 },
  { key: 'augment', label: 'Augment (time shift, time and mel masks)', type: 'boolean', default: true },
];

export const CNN_LABEL = 'Convolutional network (log-mel)';
export const CNN_DESCRIPTION =
  'Compact CNN over 64 × 130 log-mel patches of 3-second segments (profile logmel, rows = segments; a track is predicted by averaging its segments): ' +
  'conv–batch-norm–ReLU–max-pool blocks, global average pooling, a dense embedding layer, dropout, softmax; Adam, early stopping on a validation slice.';

/** Layer names other code looks up (dreams, probes, maps). */
export const CNN_LAYERS = { inputNorm: 'input_norm', embedding: 'embedding', logits: 'logits', probs: 'probs' } as const;

const YIELD_MS = 50;
const PREDICT_BATCH = 64;
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function seedInt(rng: Rng): number {
  return Math.floor(rng() * 2147483647);
}

/** How feature columns map onto the patch grid. */
export interface CnnGrid {
  mels: number;
  frames: number;
  /** Grid cell (m · frames + t) of each input column. */
  cell: Int32Array;
}

/** The grid of a column list (names `melMM_tTTT`); without names, the full LOGMEL patch in order. */
export function gridOf(columns: readonly string[] | null | undefined, cols: number): CnnGrid {
  let mels: number = LOGMEL.nMels;
  let frames: number = LOGMEL.patchFrames;
  if (!columns) {
    if (cols !== mels * frames) throw new Error(`cnn: ${cols} columns without names cannot be a ${mels} × ${frames} log-mel patch; train on the logmel profile`);
    return { mels, frames, cell: Int32Array.from({ length: cols }, (_, i) => i) };
  }
  const cells = columns.map(parseLogMelColumn);
  const bad = columns.filter((_, i) => !cells[i]);
  if (bad.length) throw new Error(`cnn: the CNN reads log-mel patches (profile logmel); columns such as ${bad.slice(0, 3).join(', ')} are not patch cells`);
  for (const c of cells) {
    mels = Math.max(mels, c!.mel + 1);
    frames = Math.max(frames, c!.frame + 1);
  }
  return { mels, frames, cell: Int32Array.from(cells, (c) => c!.mel * frames + c!.frame) };
}

export class CnnClassifier implements Classifier {
  readonly kind = 'cnn';
  readonly params: CnnParams;
  labels: string[] = [];
  private model: tf.LayersModel | null = null;
  private grid: CnnGrid | null = null;
  private columns: string[] | null = null;
  /** Per-mel-band mean and standard deviation of the training patches (dB). */
  private bandMean = new Float64Array(0);
  private bandStd = new Float64Array(0);
  private subModels = new Map<string, tf.LayersModel>();
  /** Reusable buffers of the fused batch-norm + ReLU, per layer (training only). */
  private bnScratch = new Map<string, BnReluScratch>();

  constructor(params: Partial<CnnParams> = {}) {
    this.params = resolveParams<CnnParams>('cnn', CNN_PARAMS, params);
  }

  describe(): string {
    const p = this.params;
    const g = this.grid ? `${this.grid.mels}×${this.grid.frames}` : `${LOGMEL.nMels}×${LOGMEL.patchFrames}`;
    const stop = p.validationFraction > 0 ? `early stopping on ${Math.round(p.validationFraction * 100)} % of the training tracks (patience ${p.patience}, best weights kept)` : 'no early stopping';
    return `CNN on ${g} log-mel patches: ${p.filters.map((f) => `conv3×3·${f}`).join(' → ')} (batch norm, ReLU, 2×2 max-pool each), global average pooling, embedding ${p.embedding} (ReLU), dropout ${p.dropout}, softmax; ${p.weightDecay > 0 ? `AdamW (decay ${p.weightDecay})` : 'Adam'} lr ${p.learningRate}, batch ${p.batchSize}, ≤ ${p.maxEpochs} epochs, ${stop}${p.augment ? '; time-shift and mask augmentation' : ''}; per-band standardised input`;
  }

  /** [mels, frames, 1]: the input shape of the tfjs models (raw dB patches). */
  get inputShape(): [number, number, number] {
    const g = this.requireGrid();
    return [g.mels, g.frames, 1];
  }

  /** Units of the embedding layer. */
  get embeddingSize(): number {
    return this.params.embedding;
  }

  private requireModel(): tf.LayersModel {
    if (!this.model) throw new Error('cnn: not fitted');
    ensureKernels();
    return this.model;
  }

  private requireGrid(): CnnGrid {
    if (!this.grid) throw new Error('cnn: not fitted');
    return this.grid;
  }

  /** input → probabilities (softmax), over [batch, mels, frames, 1] raw-dB patches. */
  tfModel(): tf.LayersModel {
    return this.requireModel();
  }

  /** input → embedding-layer activations (batch × embedding). */
  embeddingModel(): tf.LayersModel {
    return this.subModel(CNN_LAYERS.embedding);
  }

  /** input → logits (before the softmax). */
  logitsModel(): tf.LayersModel {
    return this.subModel(CNN_LAYERS.logits);
  }

  private subModel(layer: string): tf.LayersModel {
    const model = this.requireModel();
    let sub = this.subModels.get(layer);
    if (!sub) {
      sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
      this.subModels.set(layer, sub);
    }
    return sub;
  }

  private build(k: number, seed: number): tf.LayersModel {
    const g = this.requireGrid();
    const rng = mulberry32(seed);
    const p = this.params;
    const m = tf.sequential();
    m.add(tf.layers.batchNormalization({ axis: 1, inputShape: [g.mels, g.frames, 1], trainable: false, epsilon: 1e-6, name: CNN_LAYERS.inputNorm }));
    p.filters.forEach((f, i) => {
      m.add(tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: seedInt(rng) }), name: `conv_${i}` }));
      m.add(tf.layers.batchNormalization({ momentum: 0.9, name: `bn_${i}` }));
      m.add(tf.layers.activation({ activation: 'relu', name: `relu_${i}` }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2, name: `pool_${i}` }));
    });
    m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
    m.add(tf.layers.dense({ units: p.embedding, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seedInt(rng) }), name: CNN_LAYERS.embedding }));
    m.add(tf.layers.dropout({ rate: p.dropout, name: 'dropout' }));
    m.add(tf.layers.dense({ units: k, kernelInitializer: tf.initializers.glorotUniform({ seed: seedInt(rng) }), name: CNN_LAYERS.logits }));
    m.add(tf.layers.activation({ activation: 'softmax', name: CNN_LAYERS.probs }));
    return m;
  }

  /**
   * Logits of a batch of raw-dB patches. Training: batch statistics in the conv blocks' batch norms
   * (their moving averages are updated), seeded dropout; input_norm always uses its frozen statistics.
   */
  private forward(x: tf.Tensor4D, dropoutRng?: Rng): tf.Tensor2D {
    const layers = this.requireModel().layers;
    const training = !!dropoutRng;
    let h: tf.Tensor = x;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      const kind = layer.getClassName();
      if (layer.name === CNN_LAYERS.probs) break;
      if (kind === 'Dropout') {
        if (training && this.params.dropout > 0) h = tf.dropout(h, this.params.dropout, undefined, seedInt(dropoutRng!));
        continue;
      }
      if (training && kind === 'Conv2D') {
        // The layer's own call is a fused conv, whose gradient always computes dx; the plain op only
        // computes what the tape needs (no input gradient for the first conv).
        h = tf.conv2d(h as tf.Tensor4D, layer.trainableWeights[0]!.read() as tf.Tensor4D, 1, 'same');
        continue;
      }
      if (training && kind === 'BatchNormalization' && layer.name !== CNN_LAYERS.inputNorm && layers[i + 1]?.name.startsWith('relu_')) {
        h = this.bnRelu(layer, h);
        i++; // the ReLU is part of the fused op
        continue;
      }
      h = layer.apply(h, { training: training && layer.name !== CNN_LAYERS.inputNorm }) as tf.Tensor;
    }
    return h as tf.Tensor2D;
  }

  /** Training-mode batch norm + ReLU of a conv block (bn-relu.ts), updating the layer's moving statistics. */
  private bnRelu(layer: tf.layers.Layer, h: tf.Tensor): tf.Tensor {
    const [gamma, beta] = layer.trainableWeights;
    const [movingMean, movingVar] = layer.nonTrainableWeights;
    const cfg = layer.getConfig() as { momentum: number; epsilon: number };
    let scratch = this.bnScratch.get(layer.name);
    if (!scratch) this.bnScratch.set(layer.name, (scratch = {}));
    const r = bnReluTraining(h, gamma!.read(), beta!.read(), cfg.epsilon, scratch);
    for (const [v, batch] of [
      [movingMean!, r.mean],
      [movingVar!, r.variance],
    ] as const) {
      const old = v.read().dataSync() as Float32Array;
      const next = tf.tensor1d(old.map((o, c) => o - (o - batch[c]!) * (1 - cfg.momentum)));
      v.write(next);
      next.dispose();
    }
    return r.y;
  }

  /** Per-band mean and standard deviation (population) over the cells of X the columns cover. */
  private fitBands(X: Matrix): void {
    const g = this.requireGrid();
    const sum = new Float64Array(g.mels);
    const count = new Float64Array(g.mels);
    const bandOf = Int32Array.from(g.cell, (c) => Math.floor(c / g.frames));
    for (let r = 0; r < X.rows; r++) {
      const o = r * X.cols;
      for (let j = 0; j < X.cols; j++) {
        sum[bandOf[j]!] += X.data[o + j]!;
        count[bandOf[j]!]++;
      }
    }
    const mean = sum.map((s, b) => (count[b]! > 0 ? s / count[b]! : 0));
    const m2 = new Float64Array(g.mels);
    for (let r = 0; r < X.rows; r++) {
      const o = r * X.cols;
      for (let j = 0; j < X.cols; j++) {
        const d = X.data[o + j]! - mean[bandOf[j]!]!;
        m2[bandOf[j]!] += d * d;
      }
    }
    this.bandMean = mean;
    this.bandStd = m2.map((s, b) => {
      const sd = count[b]! > 0 ? Math.sqrt(s / count[b]!) : 0;
      return sd > 1e-6 ? sd : 1;
    });
  }

  /** Rows of X as full patches (mels × frames, raw dB); cells without a column hold the band mean. */
  toPatches(X: Matrix): Float32Array {
    const g = this.requireGrid();
    if (X.cols !== g.cell.length) throw new Error(`cnn: ${X.cols} columns, the model reads ${g.cell.length}`);
    const size = g.mels * g.frames;
    const out = new Float32Array(X.rows * size);
    const complete = g.cell.length === size;
    if (!complete) {
      const blank = new Float32Array(size);
      for (let m = 0; m < g.mels; m++) blank.fill(this.bandMean[m]!, m * g.frames, (m + 1) * g.frames);
      for (let r = 0; r < X.rows; r++) out.set(blank, r * size);
    }
    for (let r = 0; r < X.rows; r++) {
      const o = r * X.cols;
      const d = r * size;
      for (let j = 0; j < X.cols; j++) out[d + g.cell[j]!] = X.data[o + j]!;
    }
    return out;
  }

  /** Random circular time shift, one time mask and one mel mask (masked cells = band mean), in place. */
  private augmentPatch(x: Float32Array, rng: Rng, scratch: Float32Array): void {
    const { mels, frames } = this.requireGrid();
    const shift = Math.floor(rng() * frames);
    scratch.set(x);
    for (let m = 0; m < mels; m++) {
      const o = m * frames;
      for (let t = 0; t < frames; t++) x[o + t] = scratch[o + ((t + shift) % frames)]!;
    }
    const tw = Math.floor(rng() * (frames / 10 + 1));
    const t0 = Math.floor(rng() * (frames - tw + 1));
    const mw = Math.floor(rng() * (mels / 10 + 1));
    const m0 = Math.floor(rng() * (mels - mw + 1));
    for (let m = 0; m < mels; m++) {
      const mean = this.bandMean[m]!;
      if (m >= m0 && m < m0 + mw) x.fill(mean, m * frames, (m + 1) * frames);
      else x.fill(mean, m * frames + t0, m * frames + t0 + tw);
    }
  }

  private setInputNorm(): void {
    const layer = this.requireModel().getLayer(CNN_LAYERS.inputNorm);
    const [gamma, beta, mean, variance] = layer.getWeights();
    const vals = [
      tf.onesLike(gamma!),
      tf.zerosLike(beta!),
      tf.tensor1d(Float32Array.from(this.bandMean)),
      tf.tensor1d(Float32Array.from(this.bandStd, (s) => s * s)),
    ];
    layer.setWeights(vals);
    tf.dispose(vals);
  }

  private disposeModel(): void {
    // The sub-models share the main model's layers and own no weights: dropped, never disposed.
    this.subModels.clear();
    this.model?.dispose();
    this.model = null;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const p = this.params;
    const { k, labels, columns, fitX, fitY, valX, valY } = prepareFit('cnn', X, y, opts, p.validationFraction);
    this.disposeModel();
    ensureKernels();
    this.labels = labels;
    this.columns = columns;
    this.grid = gridOf(columns, X.cols);
    this.fitBands(fitX);
    this.model = this.build(k, subSeed(opts.seed, 2));
    this.setInputNorm();
    const patches = this.toPatches(fitX);
    const valPatches = valX && valY ? this.toPatches(valX) : null;
    const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = new JsAdam(vars, { learningRate: p.learningRate, weightDecay: p.weightDecay });
    const epochPass = this.epochPass(patches, fitY, k, vars, optimizer, mulberry32(subSeed(opts.seed, 3)), opts.signal);
    try {
      const { history, bestEpoch } = await runEpochs<Float32Array[]>({
        model: 'cnn',
        maxEpochs: p.maxEpochs,
        patience: p.patience,
        train: epochPass,
        validate: valPatches ? () => this.evaluate(valPatches, valY!, k) : undefined,
        snapshot: () => this.snapshot(),
        restore: (best) => this.restore(best, optimizer),
        onEpoch: opts.onEpoch,
        between: nextTick,
      });
      return { epochs: history.length, bestEpoch, history, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      this.disposeModel();
      throw err;
    }
  }

  /**
   * One epoch of Adam steps over shuffled mini-batches of the training patches (augmented when
   * asked), yielding to the event loop every YIELD_MS so that an abort is seen between batches.
   */
  private epochPass(patches: Float32Array, y: Int32Array, k: number, vars: tf.Variable[], optimizer: JsAdam, rng: Rng, signal?: AbortSignal) {
    const g = this.requireGrid();
    const size = g.mels * g.frames;
    const n = y.length;
    const bs = Math.min(this.params.batchSize, n);
    const order = Array.from({ length: n }, (_, i) => i);
    const xb = new Float32Array(bs * size);
    const yb = new Float32Array(bs * k);
    const scratch = new Float32Array(size);
    return async (): Promise<{ loss: number; acc: number }> => {
      shuffle(rng, order);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let lastYield = performance.now();
      for (let start = 0; start < n; start += bs) {
        throwIfAborted(signal);
        const m = Math.min(bs, n - start);
        // A last batch of one row cannot be batch-normalised; it joins the next epoch's shuffle.
        if (m < 2 && bs >= 2) continue;
        yb.fill(0, 0, m * k);
        for (let r = 0; r < m; r++) {
          const row = order[start + r]!;
          const dst = xb.subarray(r * size, (r + 1) * size);
          dst.set(patches.subarray(row * size, (row + 1) * size));
          if (this.params.augment) this.augmentPatch(dst, rng, scratch);
          yb[r * k + y[row]!] = 1;
        }
        const step = this.step(tf.tensor4d(xb.subarray(0, m * size), [m, g.mels, g.frames, 1]), tf.tensor2d(yb.subarray(0, m * k), [m, k]), vars, optimizer, mulberry32(seedInt(rng)));
        lossSum += step.loss * m;
        correct += step.hits;
        seen += m;
        if (performance.now() - lastYield > YIELD_MS) {
          await nextTick();
          lastYield = performance.now();
        }
      }
      return { loss: lossSum / seen, acc: correct / seen };
    };
  }

  /** One Adam step on a batch (the tensors are consumed): its mean loss and the rows it got right. */
  private step(xt: tf.Tensor4D, yt: tf.Tensor2D, vars: tf.Variable[], optimizer: JsAdam, dropRng: Rng): { loss: number; hits: number } {
    let hits = 0;
    const { value, grads } = tf.variableGrads(() => {
      const logits = this.forward(xt, dropRng);
      hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(yt, 1)), 'float32')).dataSync()[0]!);
      return tf.losses.softmaxCrossEntropy(yt, logits) as tf.Scalar;
    }, vars);
    optimizer.step(vars.map((v) => grads[v.name]!));
    const loss = value.dataSync()[0]!;
    tf.dispose([value, xt, yt, ...Object.values(grads)]);
    return { loss, hits };
  }

  /** Every weight of the model (trainable and batch-norm statistics), copied. */
  private snapshot(): Float32Array[] {
    return this.requireModel().weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  }

  private restore(values: Float32Array[], optimizer: JsAdam): void {
    const model = this.requireModel();
    const tensors = model.weights.map((w, i) => tf.tensor(values[i]!, w.shape as number[], 'float32'));
    model.setWeights(tensors);
    tf.dispose(tensors);
    const trainable = new Set(model.trainableWeights.map((w) => w.name));
    optimizer.setValues(model.weights.flatMap((w, i) => (trainable.has(w.name) ? [values[i]!] : [])));
  }

  /** Mean cross-entropy and accuracy of patches in inference mode. */
  private evaluate(patches: Float32Array, y: Int32Array, k: number): { loss: number; acc: number } {
    const g = this.requireGrid();
    const size = g.mels * g.frames;
    let loss = 0;
    let ok = 0;
    for (let start = 0; start < y.length; start += PREDICT_BATCH) {
      const m = Math.min(PREDICT_BATCH, y.length - start);
      const [l, a] = tf.tidy(() => {
        const logits = this.forward(tf.tensor4d(patches.subarray(start * size, (start + m) * size), [m, g.mels, g.frames, 1]));
        const labels = tf.tensor1d(y.subarray(start, start + m), 'int32');
        const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, k).toFloat(), logits, undefined, 0, tf.Reduction.SUM);
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
        return tf.stack([ce, hits]).dataSync();
      });
      loss += l!;
      ok += a!;
    }
    return { loss: loss / y.length, acc: ok / y.length };
  }

  /** Runs `model` over the rows of X in batches; rows × (output size). */
  private runBatches(model: tf.LayersModel, X: Matrix, width: number): Float32Array {
    const g = this.requireGrid();
    const size = g.mels * g.frames;
    const patches = this.toPatches(X);
    const out = new Float32Array(X.rows * width);
    for (let start = 0; start < X.rows; start += PREDICT_BATCH) {
      const m = Math.min(PREDICT_BATCH, X.rows - start);
      const v = tf.tidy(() => (model.predict(tf.tensor4d(patches.subarray(start * size, (start + m) * size), [m, g.mels, g.frames, 1])) as tf.Tensor).dataSync());
      out.set(v, start * width);
    }
    return out;
  }

  predictProba(X: Matrix): Float32Array {
    return this.runBatches(this.requireModel(), X, this.labels.length);
  }

  /** Embedding-layer activations of the rows of X: rows × embeddingSize, row-major. */
  embed(X: Matrix): Float32Array {
    return this.runBatches(this.embeddingModel(), X, this.params.embedding);
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    const model = this.requireModel();
    const g = this.requireGrid();
    await model.save(fileSaveHandler(dir));
    await writeManifest(
      dir,
      this,
      CNN_LABEL,
      meta,
      ['model.json', 'weights.bin'],
      {
        input: [g.mels, g.frames, 1],
        logmel: { ...LOGMEL },
        layers: { ...CNN_LAYERS },
        bandMean: Array.from(this.bandMean),
        bandStd: Array.from(this.bandStd),
      },
      this.columns,
    );
  }

  static async load(dir: string, manifest: ModelManifest): Promise<CnnClassifier> {
    ensureKernels();
    const clf = new CnnClassifier(manifest.params as Partial<CnnParams>);
    const extra = manifest.extra as { input?: number[]; bandMean?: number[]; bandStd?: number[] };
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    const cols = manifest.columns?.length ?? (extra.input ? extra.input[0]! * extra.input[1]! : LOGMEL.nMels * LOGMEL.patchFrames);
    clf.grid = gridOf(manifest.columns, cols);
    clf.bandMean = Float64Array.from(extra.bandMean ?? []);
    clf.bandStd = Float64Array.from(extra.bandStd ?? []);
    clf.model = await tf.loadLayersModel(fileLoadHandler(dir));
    return clf;
  }

  /** Loads a saved cnn model folder (as registry.load does for any kind). */
  static async fromDir(dir: string): Promise<CnnClassifier> {
    const { readManifest } = await import('../ml/manifest');
    const manifest = await readManifest(path.resolve(dir));
    if (manifest.kind !== 'cnn') throw new Error(`${dir} holds a ${manifest.label}, not a CNN`);
    return CnnClassifier.load(dir, manifest);
  }

  dispose(): void {
    this.disposeModel();
  }
}

/** The CNN's faster wasm kernels, registered once the wasm backend is active. */
function ensureKernels(): void {
  if (tf.getBackend() === 'wasm') registerCnnWasmKernels();
}

/** The registry entry of the CNN (registered in engine/models.ts). */
export const CNN_SPEC: ModelSpec = {
  name: 'cnn',
  label: CNN_LABEL,
  description: CNN_DESCRIPTION,
  params: CNN_PARAMS,
  usesTensors: true,
  create: (p) => new CnnClassifier(p as Partial<CnnParams>),
  load: (dir, m) => CnnClassifier.load(dir, m),
};
