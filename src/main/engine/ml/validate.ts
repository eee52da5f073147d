// Checks a training table before any model sees it, so that problems surface as one clear
// message instead of NaN metrics half-way through a cross-validation.
import { AppError } from '../../../shared/errors';
import type { Matrix } from './types';

export type DatasetProblemCode =
  | 'shape'
  | 'missing-values'
  | 'constant-column'
  | 'empty-label'
  | 'label-case'
  | 'singleton-class'
  | 'too-few-classes';

export interface DatasetProblem {
  code: DatasetProblemCode;
  message: string;
  /** Column names involved (missing values, constant columns). */
  columns?: string[];
  /** Labels involved (case variants, classes with one track). */
  labels?: string[];
  /** First rows involved (0-based), at most 10. */
  rows?: number[];
}

/** Thrown before training when the table cannot give meaningful results; lists every problem. */
export class DatasetError extends AppError {
  readonly problems: DatasetProblem[];
  constructor(problems: DatasetProblem[]) {
    const head = problems.length === 1 ? 'The dataset has a problem' : `The dataset has ${problems.length} problems`;
    super('bad-request', `${head}: ${problems.map((p) => p.message).join('; ')}`, JSON.stringify(problems));
    this.name = 'DatasetError';
    this.problems = problems;
  }
}

export interface ValidateInput {
  X: Matrix;
  /** One label per row, as text (folder name, tag, table column). */
  rowLabels: readonly string[];
  /** Column names (default c0, c1, ...). */
  columns?: readonly string[];
  /** Track id of each row when rows are segments (classes are counted in tracks). */
  groups?: ArrayLike<string | number>;
  /** Drop constant columns with a warning (default) instead of reporting a problem. */
  dropConstant?: boolean;
  /** Minimum number of tracks per class (default 2). */
  minTracksPerClass?: number;
  /** Planned number of folds: classes with fewer tracks get a warning. */
  folds?: number;
}

export interface ValidatedDataset {
  /** The table, without dropped columns (the input itself when nothing was dropped). */
  X: Matrix;
  columns: string[];
  /** Indices (into the input columns) of the columns kept. */
  keptColumns: Int32Array;
  droppedColumns: string[];
  /** Class index per row, into `labels` (sorted by name). */
  y: Int32Array;
  labels: string[];
  warnings: string[];
}

const MAX_LISTED = 10;

function listNames(names: string[]): string {
  const head = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${head} and ${names.length - MAX_LISTED} more` : head;
}

/** Sorted class names and the class index of each row. */
export function encodeLabels(rowLabels: readonly string[], labels?: readonly string[]): { y: Int32Array; labels: string[] } {
  const names = labels ? [...labels] : [...new Set(rowLabels)].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const y = new Int32Array(rowLabels.length);
  rowLabels.forEach((l, i) => {
    const k = index.get(l);
    if (k === undefined) throw new AppError('bad-request', `label "${l}" is not one of ${names.join(', ')}`);
    y[i] = k;
  });
  return { y, labels: names };
}

/**
 * Validates a table and its labels. Throws DatasetError listing every problem found:
 * non-finite values, constant columns (unless dropped), empty labels, labels equal but for
 * case or surrounding spaces, classes with fewer than `minTracksPerClass` tracks, fewer than two classes.
 */
export function validateDataset(input: ValidateInput): ValidatedDataset {
  const { X, rowLabels } = input;
  const { rows, cols, data } = X;
  const columns = input.columns ? [...input.columns] : Array.from({ length: cols }, (_, j) => `c${j}`);
  const problems: DatasetProblem[] = [];
  const warnings: string[] = [];

  if (data.length !== rows * cols || rowLabels.length !== rows || columns.length !== cols || (input.groups && input.groups.length !== rows)) {
    problems.push({
      code: 'shape',
      message: `shapes disagree: ${rows} × ${cols} table with ${data.length} values, ${rowLabels.length} labels, ${columns.length} column names${input.groups ? `, ${input.groups.length} track ids` : ''}`,
    });
    throw new DatasetError(problems);
  }

  // Non-finite values, per column.
  const badCols: string[] = [];
  const badRows = new Set<number>();
  let badCount = 0;
  for (let j = 0; j < cols; j++) {
    let colBad = false;
    for (let r = 0; r < rows; r++) {
      if (!Number.isFinite(data[r * cols + j]!)) {
        badCount++;
        colBad = true;
        badRows.add(r);
      }
    }
    if (colBad) badCols.push(columns[j]!);
  }
  if (badCount > 0) {
    problems.push({
      code: 'missing-values',
      message: `${badCount} missing or non-finite value${badCount === 1 ? '' : 's'} in ${badRows.size} row${badRows.size === 1 ? '' : 's'}, column${badCols.length === 1 ? '' : 's'} ${listNames(badCols)}`,
      columns: badCols,
      rows: [...badRows].slice(0, MAX_LISTED),
    });
  }

  // Constant columns (ignoring non-finite cells, which are reported above).
  const constant: number[] = [];
  for (let j = 0; j < cols; j++) {
    let first = NaN;
    let same = true;
    for (let r = 0; r < rows && same; r++) {
      const v = data[r * cols + j]!;
      if (!Number.isFinite(v)) continue;
      if (Number.isNaN(first)) first = v;
      else if (v !== first) same = false;
    }
    if (same) constant.push(j);
  }
  const constNames = constant.map((j) => columns[j]!);
  const dropConstant = input.dropConstant ?? true;
  if (constant.length > 0 && !dropConstant) {
    problems.push({
      code: 'constant-column',
      message: `constant column${constant.length === 1 ? '' : 's'} ${listNames(constNames)} carr${constant.length === 1 ? 'ies' : 'y'} no information`,
      columns: constNames,
    });
  } else if (constant.length > 0) {
    warnings.push(`dropped constant column${constant.length === 1 ? '' : 's'}: ${constNames.join(', ')}`);
  }

  // Labels: empty ones, and names that differ only in case or surrounding whitespace.
  const emptyRows: number[] = [];
  rowLabels.forEach((l, i) => {
    if (l.trim() === '') emptyRows.push(i);
  });
  if (emptyRows.length > 0) {
    problems.push({
      code: 'empty-label',
      message: `${emptyRows.length} row${emptyRows.length === 1 ? ' has' : 's have'} no label`,
      rows: emptyRows.slice(0, MAX_LISTED),
    });
  }
  const variants = new Map<string, Set<string>>();
  for (const l of new Set(rowLabels)) {
    if (l.trim() === '') continue;
    const key = l.trim().toLowerCase();
    if (!variants.has(key)) variants.set(key, new Set());
    variants.get(key)!.add(l);
  }
  for (const set of variants.values()) {
    if (set.size > 1) {
      const names = [...set].sort();
      problems.push({
        code: 'label-case',
        message: `labels ${names.map((n) => `"${n}"`).join(', ')} differ only in case or spacing; rename them to one spelling`,
        labels: names,
      });
    }
  }

  // Tracks per class.
  const tracksPerClass = new Map<string, Set<string | number>>();
  rowLabels.forEach((l, i) => {
    if (l.trim() === '') return;
    if (!tracksPerClass.has(l)) tracksPerClass.set(l, new Set());
    tracksPerClass.get(l)!.add(input.groups ? input.groups[i]! : i);
  });
  const minTracks = input.minTracksPerClass ?? 2;
  const unit = input.groups ? 'track' : 'row';
  const thin = [...tracksPerClass].filter(([, s]) => s.size < minTracks).map(([l]) => l).sort();
  if (thin.length > 0) {
    problems.push({
      code: 'singleton-class',
      message: `class${thin.length === 1 ? '' : 'es'} ${thin.map((n) => `"${n}"`).join(', ')} ha${thin.length === 1 ? 's' : 've'} fewer than ${minTracks} ${unit}s; add ${unit}s or remove the class`,
      labels: thin,
    });
  }
  if (tracksPerClass.size < 2) {
    problems.push({ code: 'too-few-classes', message: `${tracksPerClass.size} class${tracksPerClass.size === 1 ? '' : 'es'}; a classifier needs at least 2` });
  }
  if (input.folds !== undefined) {
    const few = [...tracksPerClass].filter(([, s]) => s.size >= minTracks && s.size < input.folds!).map(([l]) => l).sort();
    if (few.length > 0) warnings.push(`class${few.length === 1 ? '' : 'es'} ${few.join(', ')} ha${few.length === 1 ? 's' : 've'} fewer ${unit}s than the ${input.folds} folds, so some test folds will lack ${few.length === 1 ? 'it' : 'them'}`);
  }

  if (problems.length > 0) throw new DatasetError(problems);

  const { y, labels } = encodeLabels(rowLabels);
  if (constant.length === 0) {
    return { X, columns, keptColumns: Int32Array.from({ length: cols }, (_, j) => j), droppedColumns: [], y, labels, warnings };
  }
  const dropped = new Set(constant);
  const kept = Int32Array.from(columns.map((_, j) => j).filter((j) => !dropped.has(j)));
  return { X: selectColumns(X, kept), columns: Array.from(kept, (j) => columns[j]!), keptColumns: kept, droppedColumns: constNames, y, labels, warnings };
}

/** Throws a DatasetError (missing-values) if X holds NaN or ±Infinity: the last guard before training. */
export function assertFinite(X: Matrix, columns?: readonly string[]): void {
  const bad = new Set<number>();
  const rows = new Set<number>();
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i]!)) {
      bad.add(i % X.cols);
      rows.add(Math.floor(i / X.cols));
    }
  }
  if (bad.size === 0) return;
  const names = [...bad].sort((a, b) => a - b).map((j) => columns?.[j] ?? `c${j}`);
  throw new DatasetError([
    {
      code: 'missing-values',
      message: `missing or non-finite values in ${rows.size} row${rows.size === 1 ? '' : 's'}, column${names.length === 1 ? '' : 's'} ${listNames(names)}`,
      columns: names,
      rows: [...rows].slice(0, MAX_LISTED),
    },
  ]);
}

/** The columns `keep` of X, as a new Float32 matrix. */
export function selectColumns(X: Matrix, keep: ArrayLike<number>): Matrix {
  const out = new Float32Array(X.rows * keep.length);
  for (let r = 0; r < X.rows; r++) {
    for (let j = 0; j < keep.length; j++) out[r * keep.length + j] = X.data[r * X.cols + keep[j]!]!;
  }
  return { data: out, rows: X.rows, cols: keep.length };
}
