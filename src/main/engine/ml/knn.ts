// k-nearest-neighbour classifier: brute force over standardised rows (Euclidean distance).
import path from 'node:path';
import { readFloat32, readJSON, writeFloat32, writeJSON } from './io';
import { resolveParams, SCALER_FILE, writeManifest, type ModelManifest, type ParamSpec } from './manifest';
import { StandardScaler, varianceColumns, type ScalerJSON } from './scaler';
import { prepareFit } from './fitting';
import type { Classifier, FitInfo, FitOptions, Matrix, SaveMeta } from './types';
import { insertTopK } from '../topk';

export interface KnnParams extends Record<string, unknown> {
  k: number;
  weights: 'uniform' | 'distance';
  standardize: boolean;
  /** Log-transform variance-type columns (`*_var`) before standardising. */
  logVariance: boolean;
}

export const KNN_PARAMS: readonly ParamSpec[] = [
  { key: 'k', label: 'Neighbours (k)', type: 'int', default: 5, min: 1, max: 1000 },
  { key: 'weights', label: 'Vote weights', type: 'enum', default: 'uniform', options: ['uniform', 'distance'], help: 'distance: each neighbour votes with 1/distance' },
  { key: 'standardize', label: 'Standardise features', type: 'boolean', default: true },
  { key: 'logVariance', label: 'Log of variance columns (*_var) before standardising', type: 'boolean', default: false, when: { key: 'standardize', in: [true] } },
];

export const KNN_LABEL = 'k nearest neighbours';
const DATA_FILE = 'knn-rows.f32';
const META_FILE = 'knn.json';

export class KnnClassifier implements Classifier {
  readonly kind = 'knn';
  readonly params: KnnParams;
  labels: string[] = [];
  private X: Float32Array = new Float32Array(0);
  private y: Int32Array = new Int32Array(0);
  private cols = 0;
  private scaler: StandardScaler | null = null;
  private columns: string[] | null = null;

  constructor(params: Partial<KnnParams> = {}) {
    this.params = resolveParams<KnnParams>('knn', KNN_PARAMS, params);
  }

  describe(): string {
    const p = this.params;
    return `k-nearest neighbours, k = ${p.k}, ${p.weights === 'distance' ? '1/distance' : 'equal'} votes, Euclidean distance${p.standardize ? ` on standardised features${p.logVariance ? ' (log of variance columns)' : ''}` : ''}`;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const { labels, columns } = prepareFit('knn', X, y, opts);
    this.labels = labels;
    this.columns = columns;
    this.scaler = this.params.standardize ? new StandardScaler().fit(X, this.params.logVariance ? varianceColumns(columns) : []) : null;
    this.X = this.scaler ? (this.scaler.transform(X).data as Float32Array) : Float32Array.from(X.data);
    this.y = Int32Array.from(y);
    this.cols = X.cols;
    return { epochs: 0, bestEpoch: -1, history: [], seconds: (performance.now() - t0) / 1000 };
  }

  predictProba(Xq: Matrix): Float32Array {
    if (this.cols === 0) throw new Error('knn: not fitted');
    if (Xq.cols !== this.cols) throw new Error(`knn: ${Xq.cols} columns, fitted on ${this.cols}`);
    const q = this.scaler ? this.scaler.transform(Xq).data : Xq.data;
    const K = this.labels.length;
    const n = this.y.length;
    const kk = Math.min(this.params.k, n);
    const d = this.cols;
    const out = new Float32Array(Xq.rows * K);
    const nd = new Float64Array(kk); // the kk smallest squared distances, ascending
    const ni = new Int32Array(kk);
    const votes = new Float64Array(K);
    for (let r = 0; r < Xq.rows; r++) {
      nd.fill(Infinity);
      ni.fill(-1);
      const qo = r * d;
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = q[qo + j]! - this.X[xo + j]!;
          s += t * t;
        }
        insertTopK(nd, ni, s, i);
      }
      votes.fill(0);
      if (this.params.weights === 'distance' && nd[0] === 0) {
        // As scikit-learn: exact matches take all the weight.
        for (let p = 0; p < kk && nd[p] === 0; p++) votes[this.y[ni[p]!]!]++;
      } else {
        for (let p = 0; p < kk; p++) votes[this.y[ni[p]!]!] += this.params.weights === 'distance' ? 1 / Math.sqrt(nd[p]!) : 1;
      }
      let total = 0;
      for (let c = 0; c < K; c++) total += votes[c]!;
      for (let c = 0; c < K; c++) out[r * K + c] = votes[c]! / total;
    }
    return out;
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (this.cols === 0) throw new Error('knn: not fitted');
    await writeFloat32(path.join(dir, DATA_FILE), this.X);
    await writeJSON(path.join(dir, META_FILE), { rows: this.y.length, cols: this.cols, y: Array.from(this.y) });
    const files = [DATA_FILE, META_FILE];
    if (this.scaler) {
      await writeJSON(path.join(dir, SCALER_FILE), this.scaler.toJSON());
      files.push(SCALER_FILE);
    }
    await writeManifest(dir, this, KNN_LABEL, meta, files, {}, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest): Promise<KnnClassifier> {
    const clf = new KnnClassifier(manifest.params as Partial<KnnParams>);
    const meta = await readJSON<{ rows: number; cols: number; y: number[] }>(path.join(dir, META_FILE));
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    clf.cols = meta.cols;
    clf.y = Int32Array.from(meta.y);
    clf.X = await readFloat32(path.join(dir, DATA_FILE), meta.rows * meta.cols);
    clf.scaler = clf.params.standardize ? StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(dir, SCALER_FILE))) : null;
    return clf;
  }

  dispose(): void {}
}
