import { describe, expect, it } from 'vitest';
import { DatasetError, validateDataset } from '../../../src/main/engine/ml/validate';
import type { Matrix } from '../../../src/main/engine/ml/types';

function table(rows: number[][]): Matrix {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length };
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    return (err as DatasetError).problems;
  }
  throw new Error('expected a DatasetError');
}

describe('validateDataset', () => {
  const good = table([
    [1, 5, 0.1],
    [2, 5, 0.2],
    [3, 5, 0.3],
    [4, 5, 0.5],
    [5, 5, 0.8],
    [6, 5, 1.3],
  ]);

  it('drops a constant column with a warning naming it, and encodes labels sorted', () => {
    const r = validateDataset({ X: good, rowLabels: ['rock', 'jazz', 'rock', 'jazz', 'rock', 'jazz'], columns: ['a', 'flat', 'c'] });
    expect(r.columns).toEqual(['a', 'c']);
    expect(r.droppedColumns).toEqual(['flat']);
    expect(r.warnings.join()).toMatch(/dropped constant column: flat/);
    expect(Array.from(r.X.data)).toEqual([1, 0.1, 2, 0.2, 3, 0.3, 4, 0.5, 5, 0.8, 6, 1.3].map(Math.fround));
    expect(r.labels).toEqual(['jazz', 'rock']);
    expect(Array.from(r.y)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('reports every problem at once: NaN, constant column (when not dropped), one-track class, case variants', () => {
    const X = table([
      [1, 5, NaN],
      [2, 5, 0.2],
      [3, 5, 0.3],
      [4, 5, Infinity],
      [5, 5, 0.8],
      [6, 5, 1.3],
    ]);
    const problems = problemsOf(() =>
      validateDataset({ X, rowLabels: ['Rock', 'rock', 'rock', 'jazz', 'jazz', 'pop'], columns: ['a', 'flat', 'c'], dropConstant: false }),
    );
    const codes = problems.map((p) => p.code).sort();
    expect(codes).toEqual(['constant-column', 'label-case', 'missing-values', 'singleton-class']);
    const byCode = Object.fromEntries(problems.map((p) => [p.code, p]));
    expect(byCode['missing-values']!.columns).toEqual(['c']);
    expect(byCode['missing-values']!.rows).toEqual([0, 3]);
    expect(byCode['missing-values']!.message).toMatch(/2 missing or non-finite values in 2 rows, column c/);
    expect(byCode['constant-column']!.columns).toEqual(['flat']);
    expect(byCode['label-case']!.labels).toEqual(['Rock', 'rock']);
    expect(byCode['singleton-class']!.labels).toEqual(['Rock', 'pop']);
  });

  it('counts tracks, not segments, when groups are given', () => {
    // "pop" has three segments but they all come from one track.
    const X = table([[1], [2], [3], [4], [5], [6], [7]]);
    const problems = problemsOf(() =>
      validateDataset({ X, rowLabels: ['pop', 'pop', 'pop', 'jazz', 'jazz', 'rock', 'rock'], groups: ['p1', 'p1', 'p1', 'j1', 'j2', 'r1', 'r2'] }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/class "pop" has fewer than 2 tracks/);
  });

  it('rejects empty labels, a single class and mismatched shapes; the error is a bad-request AppError', () => {
    const X = table([[1], [2], [3]]);
    const p = problemsOf(() => validateDataset({ X, rowLabels: ['a', ' ', 'a'] }));
    expect(p.map((q) => q.code).sort()).toEqual(['empty-label', 'too-few-classes']);
    expect(problemsOf(() => validateDataset({ X, rowLabels: ['a', 'b'] }))[0]!.code).toBe('shape');
    expect(() => validateDataset({ X, rowLabels: ['a', 'a', 'a'] })).toThrow(/^The dataset has a problem: 1 class; a classifier needs at least 2/);
    expect(problemsOf(() => validateDataset({ X, rowLabels: ['a', 'a', 'a'] }))).toHaveLength(1);
    expect(new DatasetError([{ code: 'shape', message: 'x' }]).kind).toBe('bad-request');
  });

  it('warns when a class has fewer tracks than folds', () => {
    const r = validateDataset({ X: good, rowLabels: ['a', 'a', 'a', 'b', 'b', 'b'], folds: 5 });
    expect(r.warnings.join()).toMatch(/classes a, b have fewer rows than the 5 folds/);
  });
});
