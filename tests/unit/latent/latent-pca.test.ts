// Symmetric eigen-decomposition and PCA against numpy / scikit-learn.
// Reference values: tests/fixtures/latent/make_latent_reference.py (numpy.linalg.eigh,
// sklearn.decomposition.PCA(svd_solver='full'), scikit-learn 1.2.1).
import { describe, expect, it } from 'vitest';
import { standardize, symmetricEigen } from '../../../src/main/engine/latent/linalg';
import { pca, pcaTransform } from '../../../src/main/engine/latent/pca';
import { featureMatrix } from '../../../src/main/engine/latent/table';
import { REF, expectClose, f64 } from './latent-helpers';

describe('symmetricEigen', () => {
  it('matches numpy.linalg.eigh on a 7 × 7 symmetric matrix (1e-10; vectors up to sign)', () => {
    const { n, S, values_desc, vectors_desc_cols } = REF.eigen;
    const { values, vectors } = symmetricEigen(f64(S), n);
    expectClose(values, values_desc, 1e-10);
    for (let c = 0; c < n; c++) {
      const mine = Array.from(vectors.subarray(c * n, c * n + n));
      const ref = Array.from({ length: n }, (_, k) => vectors_desc_cols[k * n + c]);
      const dot = mine.reduce((s, v, k) => s + v * ref[k], 0);
      const sign = Math.sign(dot);
      expectClose(mine.map((v) => v * sign), ref, 1e-10);
    }
  });

  it('reconstructs A = V diag(λ) Vᵀ and gives orthonormal vectors (property)', () => {
    const { n, S } = REF.eigen;
    const { values, vectors } = symmetricEigen(f64(S), n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let rec = 0;
        let orth = 0;
        for (let c = 0; c < n; c++) {
          rec += vectors[c * n + a] * values[c] * vectors[c * n + b];
          orth += vectors[a * n + c] * vectors[b * n + c];
        }
        expect(Math.abs(rec - S[a * n + b])).toBeLessThan(1e-10);
        expect(Math.abs(orth - (a === b ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('handles diagonal and zero matrices', () => {
    const { values } = symmetricEigen(f64([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3);
    expectClose(values, [3, 2, -1], 1e-15);
    const z = symmetricEigen(new Float64Array(9), 3);
    expectClose(z.values, [0, 0, 0], 0);
  });
});

describe('pca', () => {
  // pca_tall: 40 × 6 (covariance path); pca_wide: 8 × 20 (fewer rows than columns, Gram-matrix path)
  it.each(['pca_tall', 'pca_wide'])('matches sklearn PCA on %s (1e-9)', (key) => {
    const r = REF[key];
    const m = pca(f64(r.X), r.n, r.d, { nComponents: r.k });
    expectClose(m.components, r.components, 1e-9);
    expectClose(m.explainedVariance, r.explained_variance, 1e-9, 1e-12);
    expectClose(m.explainedVarianceRatio, r.explained_variance_ratio, 1e-12);
    expectClose(m.scores, r.scores, 1e-9);
    if (key === 'pca_tall') {
      expectClose(m.singularValues, r.singular_values, 1e-9, 1e-12);
      expectClose(m.mean, r.mean, 1e-12);
      expectClose(pcaTransform(m, f64(r.Xnew), 5), r.new_scores, 1e-9);
    }
  });

  it('whitened scores have unit variance; constant columns give zero variance, not NaN', () => {
    const r = REF.pca_tall;
    const m = pca(f64(r.X), r.n, r.d, { nComponents: 2, whiten: true });
    for (let c = 0; c < 2; c++) {
      let v = 0;
      for (let i = 0; i < r.n; i++) v += m.scores[i * 2 + c] ** 2;
      expect(v / (r.n - 1)).toBeCloseTo(1, 10);
    }
    const X = new Float64Array(30 * 3);
    for (let i = 0; i < 30; i++) {
      X[i * 3] = i;
      X[i * 3 + 1] = 5; // constant
      X[i * 3 + 2] = (i * 7) % 11;
    }
    const c = pca(X, 30, 3);
    expect(Array.from(c.scores).every(Number.isFinite)).toBe(true);
    expect(c.explainedVariance[2]).toBeLessThan(1e-12);
  });

  it('standardize matches StandardScaler conventions (ddof 0, constant column stays 0)', () => {
    const X = f64([1, 5, 2, 5, 3, 5, 6, 5]);
    const Z = standardize(X, 4, 2);
    // column 0: mean 3, population sd sqrt(3.5)
    expectClose([Z[0], Z[2], Z[4], Z[6]], [-2, -1, 0, 3].map((v) => v / Math.sqrt(3.5)), 1e-15);
    expectClose([Z[1], Z[3], Z[5], Z[7]], [0, 0, 0, 0], 0);
  });
});

describe('featureMatrix', () => {
  it('keeps the numeric columns, drops filename/length/label, keeps labels, skips ragged rows', () => {
    const rows = [
      ['filename', 'length', 'a', 'b', 'label'],
      ['x.wav', '10', '1.5', '-2', 'jazz'],
      ['short'],
      ['y.wav', '10', '3', '4e-1', ' rock '],
    ];
    const m = featureMatrix(rows);
    expect([m.n, m.d]).toEqual([2, 2]);
    expect(m.columns).toEqual(['a', 'b']);
    expect(Array.from(m.X)).toEqual([1.5, -2, 3, 0.4]);
    expect(m.labels).toEqual(['jazz', 'rock']);
  });

  it('names the row and column of a value that is not a number', () => {
    expect(() => featureMatrix([['a', 'label'], ['1', 'x'], ['oops', 'y']])).toThrow(/row 2, column "a"/);
    expect(() => featureMatrix([['a'], ['']])).toThrow(/not a number/);
  });
});
