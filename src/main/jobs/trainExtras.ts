// The training task's figures beyond accuracy: average precision and coverage error of the
// out-of-fold probabilities (every model, row and track level), and the hierarchical and graph
// models' own figures (engine/hierarchy/evaluation.ts), gathered on the same folds.
import type { HierarchyReport } from '../../shared/types';
import type { CrossValResult } from '../engine/ml/crossval';
import type { Params } from '../engine/ml/manifest';
import { takeLabels, takeRows, type Classifier, type Matrix } from '../engine/ml/types';
import { HierarchyEvaluation, rankingFigures } from '../engine/hierarchy/evaluation';

export interface Ranking {
  ap: number;
  coverageError: number;
}

export interface TrainExtras {
  /** For crossValidate's onFold (undefined when the model has nothing more to report). */
  onFold?: (fold: number, model: Classifier, train: Int32Array, test: Int32Array, seed: number) => Promise<void>;
  /** The model fitted on every row, before it is disposed. */
  onFinal(model: Classifier): void;
  /** Ranking figures of the tested rows, and of the tracks when rows are segments. */
  ranking(cv: CrossValResult): { row: Ranking; track: Ranking | null };
  report(): HierarchyReport | undefined;
  warnings(): string[];
}

export function trainExtras(model: string, params: Params, X: Matrix, y: Int32Array, labels: string[]): TrainExtras {
  const h = HierarchyEvaluation.applies(model) ? new HierarchyEvaluation(model, params, X, y, labels) : null;
  const K = labels.length;
  let ranked: { cv: CrossValResult; value: { row: Ranking; track: Ranking | null } } | null = null;
  return {
    onFold: h ? (f, m, train, test, seed) => h.onFold(f, m, train, test, seed) : undefined,
    onFinal: (m) => h?.onFinal(m),
    ranking(cv) {
      if (ranked?.cv === cv) return ranked.value;
      const fold = cv.predictions.fold;
      const tested = Int32Array.from(fold.keys()).filter((i) => fold[i]! >= 0);
      const proba = takeRows({ data: cv.predictions.proba, rows: y.length, cols: K }, tested).data;
      const row = rankingFigures(takeLabels(y, tested), proba, K);
      const t = cv.trackLevel;
      ranked = { cv, value: { row, track: t ? rankingFigures(t.y, t.proba, K) : null } };
      return ranked.value;
    },
    report: () => h?.report(),
    warnings: () => (h ? [...h.warnings] : []),
  };
}
