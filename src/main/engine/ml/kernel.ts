// RBF kernel ridge classifier (least-squares kernel machine): one-vs-rest ridge regression of one-hot
// targets in the feature space of a Gaussian kernel on standardised features. The ridge λ and the
// softmax temperature that turns scores into probabilities are both chosen on the training data
// alone, by exact leave-one-out (closed form: residual_i = α_i / [(K + λI)⁻¹]_ii).
import path from 'node:path';
import { readFloat32, readJSON, writeFloat32, writeJSON } from './io';
import { resolveParams, SCALER_FILE, writeManifest, type ModelManifest, type ParamSpec } from './manifest';
import { StandardScaler, varianceColumns, type ScalerJSON } from './scaler';
import { prepareFit } from './fitting';
import { cholesky, choleskySolve } from '../cholesky';
import { throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from './types';

export interface KernelParams extends Record<string, unknown> {
  /** RBF width: k(a, b) = exp(−γ‖a − b‖²); 0 means 1 / features (scikit-learn's 'scale' on standardised data). */
  gamma: number;
  /** Ridge λ; 0 means: pick from `lambdaGrid` by leave-one-out error on the training rows. */
  lambda: number;
  lambdaGrid: number[];
  /** Refuse training sets larger than this (memory n², time n³). */
  maxRows: number;
  /** Log-transform variance-type columns (`*_var`) before standardising. */
  logVariance: boolean;
}

export const KERNEL_PARAMS: readonly ParamSpec[] = [
  { key: 'gamma', label: 'RBF γ (0 = 1 / features)', type: 'number', default: 0, min: 0, max: 100 },
  { key: 'lambda', label: 'Ridge λ (0 = choose by leave-one-out)', type: 'number', default: 0, min: 0, max: 1e6 },
  { key: 'lambdaGrid', label: 'λ candidates for leave-one-out', type: 'number-list', default: [0.03, 0.1, 0.3, 1, 3], min: 1e-9, max: 1e6 },
  { key: 'maxRows', label: 'Largest training set (rows)', type: 'int', default: 6000, min: 2, max: 50000 },
  { key: 'logVariance', label: 'Log of variance columns (*_var) before standardising', type: 'boolean', default: true },
];

export const KERNEL_LABEL = 'RBF kernel ridge';
const ROWS_FILE = 'kernel-rows.f32';
const ALPHA_FILE = 'kernel-alpha.f32';
const META_FILE = 'kernel.json';
const TEMPERATURES = [1, 2, 3, 5, 8, 12, 20, 30, 50];

export { cholesky, choleskySolve };

/** diag((L Lᵀ)⁻¹) = Σ_k (L⁻¹)²_ki, column i of L⁻¹ by forward substitution from row i (n³/6 work). */
export function inverseDiagonal(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = i; k < n; k++) {
      let s = k === i ? 1 : 0;
      const rk = k * n;
      for (let j = i; j < k; j++) s -= l[rk + j]! * z[j]!;
      z[k] = s / l[rk + k]!;
      sum += z[k]! * z[k]!;
    }
    out[i] = sum;
  }
  return out;
}

/** RBF kernel between the rows of a (na × d) and b (nb × d): exp(−γ‖a_i − b_j‖²). */
export function rbfKernel(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, d: number, gamma: number): Float64Array {
  const out = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = a[i * d + c]! - b[j * d + c]!;
        s += t * t;
      }
      out[i * nb + j] = Math.exp(-gamma * s);
    }
  }
  return out;
}

export interface RidgeFit {
  /** Dual coefficients, n × classes. */
  alpha: Float64Array;
  /** Leave-one-out scores, n × classes: what a model fitted without row i predicts for row i. */
  loo: Float64Array;
  /** Leave-one-out error rate (argmax of loo ≠ label) and mean squared residual. */
  err: number;
  mse: number;
}

/**
 * Kernel ridge regression of one-hot labels for one λ, with its exact leave-one-out scores:
 * α = (K + λI)⁻¹ Y and loo_i = y_i − α_i / [(K + λI)⁻¹]_ii. `work` (n², optional) is overwritten.
 */
export function ridgeLeaveOneOut(gram: Float64Array, n: number, y: Int32Array, k: number, lambda: number, work = new Float64Array(n * n)): RidgeFit {
  work.set(gram);
  for (let i = 0; i < n; i++) work[i * n + i] += lambda;
  cholesky(work, n);
  const alpha = new Float64Array(n * k);
  for (let i = 0; i < n; i++) alpha[i * k + y[i]!] = 1;
  choleskySolve(work, n, alpha, k);
  const g = inverseDiagonal(work, n);
  const loo = new Float64Array(n * k);
  let wrong = 0;
  let mse = 0;
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let c = 0; c < k; c++) {
      const r = alpha[i * k + c]! / g[i]!;
      loo[i * k + c] = (c === y[i] ? 1 : 0) - r;
      mse += r * r;
      if (loo[i * k + c]! > loo[i * k + top]!) top = c;
    }
    if (top !== y[i]) wrong++;
  }
  return { alpha, loo, err: wrong / n, mse: mse / (n * k) };
}

function softmaxRows(scores: ArrayLike<number>, rows: number, k: number, t: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, t * scores[r * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(t * scores[r * k + c]! - max);
    for (let c = 0; c < k; c++) out[r * k + c] = Math.exp(t * scores[r * k + c]! - max) / sum;
  }
}

export class KernelRidgeClassifier implements Classifier {
  readonly kind = 'kernel';
  readonly params: KernelParams;
  labels: string[] = [];
  private scaler = new StandardScaler();
  private rows: Float32Array = new Float32Array(0);
  private alpha: Float32Array = new Float32Array(0);
  private cols = 0;
  private gamma = 0;
  private lambda = 0;
  private temperature = 1;
  private looAccuracy = NaN;
  private columns: string[] | null = null;

  constructor(params: Partial<KernelParams> = {}) {
    this.params = resolveParams<KernelParams>('kernel', KERNEL_PARAMS, params);
  }

  describe(): string {
    const fitted = this.cols > 0 ? `; fitted λ = ${this.lambda}, γ = ${this.gamma.toPrecision(3)}, softmax × ${this.temperature}, leave-one-out accuracy ${this.looAccuracy.toFixed(3)}` : '';
    const lam = this.params.lambda > 0 ? `λ = ${this.params.lambda}` : `λ from {${this.params.lambdaGrid.join(', ')}} by leave-one-out`;
    const logs = this.params.logVariance ? ' (log of variance columns)' : '';
    return `RBF kernel ridge classifier on standardised features${logs}, γ = ${this.params.gamma > 0 ? this.params.gamma : '1 / features'}, ${lam}${fitted}`;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const { k: K, labels, columns } = prepareFit('kernel', X, y, opts);
    const n = X.rows;
    if (n > this.params.maxRows) throw new Error(`kernel: ${n} training rows exceed maxRows ${this.params.maxRows} (time grows as rows³)`);
    this.labels = labels;
    this.columns = columns;
    const d = X.cols;
    this.scaler.fit(X, this.params.logVariance ? varianceColumns(columns) : []);
    const a = this.scaler.transform(X).data as Float32Array;
    const gamma = this.params.gamma > 0 ? this.params.gamma : 1 / d;
    const gram = rbfKernel(a, n, a, n, d, gamma);
    const lambdas = this.params.lambda > 0 ? [this.params.lambda] : this.params.lambdaGrid;
    let best: (RidgeFit & { lambda: number }) | null = null;
    const work = new Float64Array(n * n);
    for (const lambda of lambdas) {
      throwIfAborted(opts.signal);
      const r = ridgeLeaveOneOut(gram, n, y, K, lambda, work);
      if (!best || r.err < best.err || (r.err === best.err && r.mse < best.mse)) best = { ...r, lambda };
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Softmax temperature with the smallest leave-one-out log-loss.
    const probs = new Float32Array(n * K);
    let bestT = 1;
    let bestLoss = Infinity;
    for (const t of TEMPERATURES) {
      softmaxRows(best!.loo, n, K, t, probs);
      let loss = 0;
      for (let i = 0; i < n; i++) loss -= Math.log(Math.max(probs[i * K + y[i]!]!, 1e-12));
      if (loss < bestLoss) {
        bestLoss = loss;
        bestT = t;
      }
    }
    this.rows = a;
    this.alpha = Float32Array.from(best!.alpha);
    this.cols = d;
    this.gamma = gamma;
    this.lambda = best!.lambda;
    this.temperature = bestT;
    this.looAccuracy = 1 - best!.err;
    return { epochs: 0, bestEpoch: -1, history: [], seconds: (performance.now() - t0) / 1000 };
  }

  /** Raw one-vs-rest scores (rows × classes). */
  scores(X: Matrix): Float64Array {
    if (this.cols === 0) throw new Error('kernel: not fitted');
    if (X.cols !== this.cols) throw new Error(`kernel: ${X.cols} columns, fitted on ${this.cols}`);
    const q = this.scaler.transform(X).data;
    const n = this.alpha.length / this.labels.length;
    const K = this.labels.length;
    const kq = rbfKernel(q, X.rows, this.rows, n, this.cols, this.gamma);
    const out = new Float64Array(X.rows * K);
    for (let r = 0; r < X.rows; r++) {
      for (let i = 0; i < n; i++) {
        const w = kq[r * n + i]!;
        for (let c = 0; c < K; c++) out[r * K + c] += w * this.alpha[i * K + c]!;
      }
    }
    return out;
  }

  predictProba(X: Matrix): Float32Array {
    const s = this.scores(X);
    const out = new Float32Array(s.length);
    softmaxRows(s, X.rows, this.labels.length, this.temperature, out);
    return out;
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (this.cols === 0) throw new Error('kernel: not fitted');
    await writeFloat32(path.join(dir, ROWS_FILE), this.rows);
    await writeFloat32(path.join(dir, ALPHA_FILE), this.alpha);
    await writeJSON(path.join(dir, META_FILE), { rows: this.rows.length / this.cols, cols: this.cols, gamma: this.gamma, lambda: this.lambda, temperature: this.temperature, looAccuracy: this.looAccuracy });
    await writeJSON(path.join(dir, SCALER_FILE), this.scaler.toJSON());
    await writeManifest(dir, this, KERNEL_LABEL, meta, [ROWS_FILE, ALPHA_FILE, META_FILE, SCALER_FILE], { lambda: this.lambda, temperature: this.temperature }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<KernelRidgeClassifier> {
    const clf = new KernelRidgeClassifier(manifest.params as Partial<KernelParams>);
    const meta = await readJSON<{ rows: number; cols: number; gamma: number; lambda: number; temperature: number; looAccuracy: number }>(path.join(dir, META_FILE));
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.cols = meta.cols;
    clf.gamma = meta.gamma;
    clf.lambda = meta.lambda;
    clf.temperature = meta.temperature;
    clf.looAccuracy = meta.looAccuracy;
    clf.rows = await readFloat32(path.join(dir, ROWS_FILE), meta.rows * meta.cols);
    clf.alpha = await readFloat32(path.join(dir, ALPHA_FILE), meta.rows * clf.labels.length);
    clf.scaler = StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(dir, SCALER_FILE)));
    return clf;
  }

  dispose(): void {}
}
