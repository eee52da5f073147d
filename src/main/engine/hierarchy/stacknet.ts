// StackNet over IHCT tiers: one dense net per tier of the genre tree, coarse to fine, each fed the
// features plus the probability distributions predicted by the nets of the previous tiers, trained
// tier by tier. The last tier is the genres, so its net's output is the prediction.
// The previous tiers' distributions on the training rows are in-sample predictions, or out-of-fold
// ones (innerFolds ≥ 2: each tier's net is also trained innerFolds times on the other folds), which
// keeps the next net from learning to trust over-confident in-sample outputs.
import path from 'node:path';
import { DenseClassifier, type DenseParams } from '../ml/dense';
import { readJSON, writeJSON } from '../ml/io';
import { reorderTrainingLoss } from '../ml/losses';
import { readManifest, resolveParams, writeManifest, type ModelManifest, type ParamSpec } from '../ml/manifest';
import { subSeed } from '../ml/rng';
import { foldIndices, stratifiedKFold } from '../ml/splits';
import { defaultLabels, numClassesOf, takeLabels, takeRows, throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from '../ml/types';
import { tierLabels } from './ihct';
import { describeTiers, fitTree, TREE_PARAM_SPECS, tierAccuracies, treeFromJSON, treeToJSON, type FittedTree, type TierAccuracy, type TreeJSON, type TreeParams } from './tree-params';

export interface StackNetParams extends TreeParams, Record<string, unknown> {
  hidden: number[];
  dropout: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
  l2: number;
  innerFolds: number;
}

export const STACKNET_PARAMS: readonly ParamSpec[] = [
  ...TREE_PARAM_SPECS,
  { key: 'hidden', label: 'Hidden layers of each tier net', type: 'int-list', default: [256, 128], min: 1, max: 4096 },
  { key: 'dropout', label: 'Dropout', type: 'number', default: 0.3, min: 0, max: 0.9 },
  { key: 'learningRate', label: 'Learning rate (Adam)', type: 'number', default: 1e-3, min: 1e-6, max: 1 },
  { key: 'batchSize', label: 'Batch size', type: 'int', default: 64, min: 1, max: 65536 },
  { key: 'maxEpochs', label: 'Maximum epochs per tier', type: 'int', default: 200, min: 1, max: 100000 },
  { key: 'patience', label: 'Early-stopping patience', type: 'int', default: 20, min: 1, max: 100000 },
  { key: 'validationFraction', label: 'Validation slice of the training data', type: 'number', default: 0.1, min: 0, max: 0.5 },
  { key: 'l2', label: 'L2 penalty on weights', type: 'number', default: 1e-4, min: 0, max: 1 },
  { key: 'innerFolds', label: 'Out-of-fold stacking folds (0 = in-sample)', type: 'int', default: 0, min: 0, max: 20 },
];

export const STACKNET_LABEL = 'StackNet over genre-tree tiers';
const STATE_FILE = 'stacknet.json';

export class StackNetClassifier implements Classifier {
  readonly kind = 'stacknet';
  readonly params: StackNetParams;
  labels: string[] = [];
  private fitted: FittedTree | null = null;
  private nets: DenseClassifier[] = [];
  private columns: string[] | null = null;

  constructor(params: Partial<StackNetParams> = {}) {
    this.params = resolveParams<StackNetParams>('stacknet', STACKNET_PARAMS, params);
  }

  /** The genre tree and tiers (after fit or load). */
  get tree(): FittedTree | null {
    return this.fitted;
  }

  describe(): string {
    const p = this.params;
    return `StackNet: one dense net per tier (${p.hidden.join('→')}, dropout ${p.dropout}, L2 ${p.l2}), each fed the features and the previous tiers' ${p.innerFolds >= 2 ? `out-of-fold (${p.innerFolds} folds)` : 'in-sample'} distributions; ${describeTiers(this.fitted, p)}`;
  }

  private denseParams(): Partial<DenseParams> {
    const p = this.params;
    return { hidden: p.hidden, dropout: p.dropout, learningRate: p.learningRate, batchSize: p.batchSize, maxEpochs: p.maxEpochs, patience: p.patience, validationFraction: p.validationFraction, l2: p.l2 };
  }

  /** X with the given probability blocks appended as columns. */
  private static augment(X: Matrix, blocks: readonly Float32Array[]): Matrix {
    const widths = blocks.map((b) => b.length / X.rows);
    const cols = X.cols + widths.reduce((a, b) => a + b, 0);
    const out = new Float32Array(X.rows * cols);
    for (let r = 0; r < X.rows; r++) {
      let o = r * cols;
      for (let j = 0; j < X.cols; j++) out[o++] = X.data[r * X.cols + j]!;
      blocks.forEach((b, t) => {
        const w = widths[t]!;
        for (let j = 0; j < w; j++) out[o++] = b[r * w + j]!;
      });
    }
    return { data: out, rows: X.rows, cols };
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const p = this.params;
    if (X.rows !== y.length) throw new Error(`stacknet.fit: ${X.rows} rows but ${y.length} labels`);
    throwIfAborted(opts.signal);
    this.dispose();
    const K = numClassesOf(y, opts.labels);
    this.labels = opts.labels ? [...opts.labels] : defaultLabels(K);
    this.columns = opts.columns ? [...opts.columns] : null;
    const fitted = fitTree(X, y, this.labels, p);
    this.fitted = fitted;
    const ys = tierLabels(fitted.tiers, y);
    const blocks: Float32Array[] = [];
    const history: FitInfo['history'] = [];
    let bestEpoch = -1;
    try {
      for (let t = 0; t < ys.length; t++) {
        const Xt = StackNetClassifier.augment(X, blocks);
        const fitOpts = (seedK: number): FitOptions => ({
          seed: subSeed(opts.seed, seedK),
          labels: fitted.names[t],
          groups: opts.groups,
          signal: opts.signal,
          onEpoch: opts.onEpoch ? (log) => opts.onEpoch!({ ...log, member: t }) : undefined,
        });
        const net = new DenseClassifier(this.denseParams());
        this.nets.push(net);
        // A class-cost loss trains the last tier, whose classes are the genres (in the tier's order).
        const loss = t === ys.length - 1 && opts.loss && opts.loss.kind !== 'ce' ? reorderTrainingLoss(opts.loss, fitted.names[t]!) : undefined;
        const info = await net.fit(Xt, ys[t]!, { ...fitOpts(100 + t), loss });
        history.push(...info.history.map((h) => ({ ...h, member: t })));
        bestEpoch = info.bestEpoch;
        if (t === ys.length - 1) break;
        blocks.push(p.innerFolds >= 2 ? await this.outOfFold(Xt, ys[t]!, t, fitOpts) : net.predictProba(Xt));
      }
    } catch (err) {
      this.dispose();
      throw err;
    }
    return { epochs: history.length, bestEpoch, history, seconds: (performance.now() - t0) / 1000 };
  }

  private async outOfFold(Xt: Matrix, yt: Int32Array, t: number, fitOpts: (seedK: number) => FitOptions): Promise<Float32Array> {
    const k = this.fitted!.tiers.sizes[t]!;
    const out = new Float32Array(Xt.rows * k);
    const { fold, k: folds } = stratifiedKFold(yt, this.params.innerFolds, subSeed(fitOpts(0).seed, 7 + t));
    for (let f = 0; f < folds; f++) {
      const { train, test } = foldIndices(fold, f);
      const net = new DenseClassifier(this.denseParams());
      try {
        await net.fit(takeRows(Xt, train), takeLabels(yt, train), { ...fitOpts(1000 + 20 * t + f), groups: undefined, onEpoch: undefined });
        const p = net.predictProba(takeRows(Xt, test));
        test.forEach((row, i) => out.set(p.subarray(i * k, (i + 1) * k), row * k));
      } finally {
        net.dispose();
      }
    }
    return out;
  }

  /** Probabilities of every tier's net (coarse to fine; the last is the genres). */
  predictTiers(X: Matrix): Float32Array[] {
    if (this.nets.length === 0) throw new Error('stacknet: not fitted');
    const blocks: Float32Array[] = [];
    for (const net of this.nets) blocks.push(net.predictProba(StackNetClassifier.augment(X, blocks)));
    return blocks;
  }

  predictProba(X: Matrix): Float32Array {
    const tiers = this.predictTiers(X);
    return tiers[tiers.length - 1]!;
  }

  /** Accuracy of each tier's net at predicting the tier cluster of the true genre. */
  tierAccuracy(X: Matrix, y: Int32Array): TierAccuracy[] {
    return tierAccuracies(this.fitted!.tiers, this.predictTiers(X), y);
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (!this.fitted || this.nets.length === 0) throw new Error('stacknet: not fitted');
    const files = [STATE_FILE];
    for (let t = 0; t < this.nets.length; t++) {
      await this.nets[t]!.save(path.join(dir, `tier-${t}`));
      files.push(`tier-${t}/`);
    }
    await writeJSON(path.join(dir, STATE_FILE), { tree: treeToJSON(this.fitted) });
    await writeManifest(dir, this, STACKNET_LABEL, meta, files, { tiers: this.fitted.tiers.sizes }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<StackNetClassifier> {
    const clf = new StackNetClassifier(manifest.params as Partial<StackNetParams>);
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    const state = await readJSON<{ tree: TreeJSON }>(path.join(dir, STATE_FILE));
    clf.fitted = treeFromJSON(state.tree);
    for (let t = 0; t < clf.fitted.tiers.sizes.length; t++) {
      const sub = path.join(dir, `tier-${t}`);
      clf.nets.push(await DenseClassifier.load(sub, await readManifest(sub)));
    }
    return clf;
  }

  dispose(): void {
    for (const n of this.nets) n.dispose();
    this.nets = [];
  }
}
