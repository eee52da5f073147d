// Ensemble: the weighted mean of the class probabilities of several member models
// (copies of one model with different seeds, different models, or both).
import path from 'node:path';
import { resolveParams, writeManifest, type ModelManifest, type ParamSpec, type Params } from './manifest';
import { subSeed } from './rng';
import { prepareFit } from './fitting';
import { throwIfAborted, type Classifier, type FitInfo, type FitOptions, type Matrix, type SaveMeta } from './types';

export interface EnsembleMember {
  kind: string;
  params?: Params;
  /** Copies of this member, each with its own seed (default 1). */
  copies?: number;
  /** Weight of this member's (averaged) probabilities (default 1). */
  weight?: number;
}

export interface EnsembleParams extends Record<string, unknown> {
  members: EnsembleMember[];
}

/** Regularised dense net used by the default ensemble (see bench/ml.bench.ts for how it was chosen). */
export const REGULARISED_DENSE: Params = {
  hidden: [256, 256, 256],
  dropout: 0.3,
  weightDecay: 0.01,
  inputNoise: 0.1,
  labelSmoothing: 0.1,
};

/**
 * The default ensemble, the best model on the GTZAN 30-s table (bench/ml.bench.ts): three regularised
 * dense nets (different seeds), the RBF kernel ridge classifier, and half a vote of distance-weighted kNN.
 */
export const DEFAULT_ENSEMBLE_MEMBERS: EnsembleMember[] = [
  { kind: 'dense', params: REGULARISED_DENSE, copies: 3, weight: 1 },
  { kind: 'kernel', weight: 1 },
  { kind: 'knn', params: { k: 5, weights: 'distance' }, weight: 0.5 },
];

export const ENSEMBLE_PARAMS: readonly ParamSpec[] = [
  {
    key: 'members',
    label: 'Member models',
    type: 'members',
    default: DEFAULT_ENSEMBLE_MEMBERS,
    help: 'each member: a model kind, its parameters, how many seeded copies, and a weight',
  },
];

export const ENSEMBLE_LABEL = 'Ensemble (averaged probabilities)';

/** What the ensemble needs from the registry (injected to avoid an import cycle). */
export interface ModelFactory {
  create(kind: string, params?: Params): Classifier;
  load(dir: string): Promise<Classifier>;
  label(kind: string): string;
}

export class EnsembleClassifier implements Classifier {
  readonly kind = 'ensemble';
  readonly params: EnsembleParams;
  labels: string[] = [];
  /** Fitted models with the weight of each (member weight / copies). */
  private models: Array<{ model: Classifier; weight: number }> = [];
  private columns: string[] | null = null;

  constructor(
    private readonly factory: ModelFactory,
    params: Partial<EnsembleParams> = {},
  ) {
    this.params = resolveParams<EnsembleParams>('ensemble', ENSEMBLE_PARAMS, params);
    for (const m of this.params.members) {
      if (m.kind === 'ensemble') throw new Error('ensemble: members cannot be ensembles');
      factory.create(m.kind, m.params).dispose(); // checks kind and parameters now, not after hours of training
    }
  }

  describe(): string {
    const parts = this.params.members.map((m) => `${m.copies ?? 1} × ${this.factory.label(m.kind)}${(m.weight ?? 1) !== 1 ? ` (weight ${m.weight})` : ''}`);
    const first = this.models[0]?.model.describe();
    return `Mean of class probabilities over ${parts.join(' + ')}${first ? `; first member: ${first}` : ''}`;
  }

  async fit(X: Matrix, y: Int32Array, opts: FitOptions): Promise<FitInfo> {
    const t0 = performance.now();
    const { labels, columns } = prepareFit('ensemble', X, y, opts);
    this.dispose();
    this.labels = labels;
    this.columns = columns;
    const history: FitInfo['history'] = [];
    let index = 0;
    try {
      for (const m of this.params.members) {
        const copies = Math.max(1, m.copies ?? 1);
        for (let c = 0; c < copies; c++) {
          throwIfAborted(opts.signal);
          const model = this.factory.create(m.kind, m.params);
          this.models.push({ model, weight: (m.weight ?? 1) / copies });
          const member = index;
          const info = await model.fit(X, y, {
            ...opts,
            labels: this.labels,
            seed: subSeed(opts.seed, 100 + index),
            onEpoch: opts.onEpoch ? (log) => opts.onEpoch!({ ...log, member }) : undefined,
          });
          history.push(...info.history.map((h) => ({ ...h, member })));
          index++;
        }
      }
    } catch (err) {
      this.dispose();
      throw err;
    }
    return { epochs: history.length, bestEpoch: -1, history, seconds: (performance.now() - t0) / 1000 };
  }

  predictProba(X: Matrix): Float32Array {
    if (this.models.length === 0) throw new Error('ensemble: not fitted');
    const K = this.labels.length;
    const out = new Float32Array(X.rows * K);
    let total = 0;
    for (const { model, weight } of this.models) {
      const p = model.predictProba(X);
      for (let i = 0; i < out.length; i++) out[i] += weight * p[i]!;
      total += weight;
    }
    for (let i = 0; i < out.length; i++) out[i] /= total;
    return out;
  }

  async save(dir: string, meta?: SaveMeta): Promise<void> {
    if (this.models.length === 0) throw new Error('ensemble: not fitted');
    const members: Array<{ dir: string; weight: number }> = [];
    for (let i = 0; i < this.models.length; i++) {
      const sub = `member-${String(i).padStart(2, '0')}`;
      await this.models[i]!.model.save(path.join(dir, sub), meta);
      members.push({ dir: sub, weight: this.models[i]!.weight });
    }
    await writeManifest(dir, this, ENSEMBLE_LABEL, meta, members.map((m) => m.dir), { members }, this.columns);
  }

  static async load(dir: string, manifest: ModelManifest, factory: ModelFactory): Promise<EnsembleClassifier> {
    const clf = new EnsembleClassifier(factory, manifest.params as Partial<EnsembleParams>);
    clf.labels = [...manifest.labels];
    clf.columns = manifest.columns;
    const members = (manifest.extra.members ?? []) as Array<{ dir: string; weight: number }>;
    try {
      for (const m of members) clf.models.push({ model: await factory.load(path.join(dir, m.dir)), weight: m.weight });
    } catch (err) {
      clf.dispose();
      throw err;
    }
    return clf;
  }

  dispose(): void {
    for (const { model } of this.models) model.dispose();
    this.models = [];
  }
}
