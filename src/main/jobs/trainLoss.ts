// The training task's hyperbolic part (in the worker): the class costs of the run's labels against the
// chosen embedding, handed to the model as its loss, and the plain cross-entropy baseline trained on
// the same folds with the same seeds when the comparison is asked for.
import type { LevelReport } from '../../shared/types';
import { LOSS_MODELS, type DistanceNorm, type LabelGenreRow, type LossKind } from '../../shared/loss';
import { buildTrainingLoss } from '../engine/hyperbolic/training-loss';
import { crossValidate, type CrossValidateOptions, type CrossValResult, type LevelMetrics } from '../engine/ml/crossval';
import type { TrainingLoss } from '../engine/ml/losses';


export interface TrainLossPayload {
  kind: LossKind;
  lambda: number;
  normalise: DistanceNorm;
  embedding: { id: number | null; name: string; model: 'poincare' | 'euclidean'; dim: number; names: string[]; vectors: Float64Array };
  /** label → genre overrides of the automatic mapping. */
  overrides: Record<string, string>;
  /** Train plain cross-entropy on the same folds as well. */
  baseline: boolean;
}

export interface TrainLossResult {
  kind: LossKind;
  lambda: number;
  embedding: { id: number | null; name: string; model: string; dim: number; nodes: number };
  mapping: LabelGenreRow[];
  /** K × K distances between the classes' genres, row-major. */
  distances: number[];
  normalise: DistanceNorm;
  scale: number;
  offset: number;
  warnings: string[];
  baseline: { rowReport: LevelReport; trackReport: LevelReport | null; seconds: number } | null;
}

export interface TrainLoss {
  /** The spec handed to the model (null for plain cross-entropy with an embedding attached). */
  loss: TrainingLoss | null;
  /** Extra cross-validation passes (for progress totals). */
  passes: number;
  /** Runs the baseline when asked for, on the folds of `cv`. */
  finish(cv: CrossValResult, base: CrossValidateOptions, toReport: (m: LevelMetrics) => LevelReport): Promise<TrainLossResult>;
}

export function prepareTrainLoss(p: TrainLossPayload | null | undefined, model: string, labels: string[]): TrainLoss | null {
  if (!p) return null;
  if (p.kind !== 'ce' && !LOSS_MODELS.includes(model)) {
    throw new Error(`the ${p.kind} loss is for models trained with cross-entropy (${LOSS_MODELS.join(', ')}), not "${model}"`);
  }
  const e = p.embedding;
  const built = buildTrainingLoss(labels, { names: e.names, vectors: e.vectors, dim: e.dim }, {
    kind: p.kind,
    lambda: p.lambda,
    normalise: p.normalise,
    overrides: p.overrides,
    geometry: e.model,
    source: { embedding: e.name, embeddingId: e.id, model: e.model, dim: e.dim },
  });
  const withBaseline = p.baseline && p.kind !== 'ce';
  return {
    loss: p.kind === 'ce' ? null : built.loss,
    passes: withBaseline ? 1 : 0,
    async finish(cv, base, toReport) {
      let baseline: TrainLossResult['baseline'] = null;
      if (withBaseline) {
        const t0 = performance.now();
        // The same folds (explicit for k-fold; a held-out split is redrawn from the same seed) and
        // the same per-fold seeds: only the loss differs.
        const b = await crossValidate({ ...base, folds: base.testSplit === undefined ? cv.predictions.fold : base.folds, loss: null, onEpoch: undefined, onFold: undefined });
        baseline = { rowReport: toReport(b), trackReport: b.trackLevel ? toReport(b.trackLevel) : null, seconds: (performance.now() - t0) / 1000 };
      }
      return {
        kind: p.kind,
        lambda: p.lambda,
        embedding: { id: e.id, name: e.name, model: e.model, dim: e.dim, nodes: e.names.length },
        mapping: built.mapping,
        distances: Array.from(built.distances.D),
        normalise: p.normalise,
        scale: built.loss.scale,
        offset: built.loss.offset ?? 0,
        warnings: built.warnings,
        baseline,
      };
    },
  };
}
