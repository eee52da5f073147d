// The common start of every classifier's fit(): shape check, class names, feature columns, and the
// early-stopping slice (explicit rows, or a stratified, group-aware fraction of the training rows).
import { subSeed } from './rng';
import { holdoutSplit } from './splits';
import { defaultLabels, numClassesOf, takeLabels, takeRows, throwIfAborted, type FitOptions, type Matrix } from './types';

export interface FitSetup {
  k: number;
  labels: string[];
  columns: string[] | null;
  /** Rows to train on (all of X when there is no validation slice). */
  fitX: Matrix;
  fitY: Int32Array;
  /** Early-stopping rows, or null. */
  valX: Matrix | null;
  valY: Int32Array | null;
}

/**
 * Checks X against y and the abort signal, resolves labels and columns, and splits off the validation
 * rows: `opts.validation` if given (rows, or a fraction), else `defaultFraction` (0: none). A fraction
 * is taken by holdoutSplit over `opts.groups` (tracks stay on one side), seeded from `opts.seed`.
 */
export function prepareFit(model: string, X: Matrix, y: Int32Array, opts: FitOptions, defaultFraction = 0): FitSetup {
  if (X.rows !== y.length) throw new Error(`${model}.fit: ${X.rows} rows but ${y.length} labels`);
  throwIfAborted(opts.signal);
  const k = numClassesOf(y, opts.labels);
  const setup: FitSetup = {
    k,
    labels: opts.labels ? [...opts.labels] : defaultLabels(k),
    columns: opts.columns ? [...opts.columns] : null,
    fitX: X,
    fitY: y,
    valX: null,
    valY: null,
  };
  const v = opts.validation ?? defaultFraction;
  if (typeof v === 'object') {
    setup.valX = v.X;
    setup.valY = v.y;
  } else if (v > 0) {
    const split = holdoutSplit(y, opts.groups, v, subSeed(opts.seed, 1));
    if (split.test.length > 0 && split.train.length > 0) {
      setup.fitX = takeRows(X, split.train);
      setup.fitY = takeLabels(y, split.train);
      setup.valX = takeRows(X, split.test);
      setup.valY = takeLabels(y, split.test);
    }
  }
  return setup;
}
