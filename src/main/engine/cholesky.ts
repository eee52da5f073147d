// Cholesky factorisation and solves for symmetric positive-definite systems — the one implementation
// the kernel ridge (ml/kernel), the GMM (latent/gmm) and the hierarchy's regressions (SHAP, logistic
// regression) share. Row-major Float64Array, n × n; checked against numpy.linalg in
// tests/unit/ml/ml-models.test.ts.

/** In-place Cholesky factorisation of the symmetric positive-definite n × n matrix `a` (lower triangle). */
export function cholesky(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: matrix is not positive definite');
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / a[rj + j]!;
      }
    }
  }
}

/** Solves (L Lᵀ) X = B in place for the n × m right-hand sides B (row-major), L from cholesky(). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k * m + c]!;
      b[i * m + c] = s / l[i * n + i]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k * m + c]!;
      b[i * m + c] = s / l[i * n + i]!;
    }
  }
}

/**
 * Solves A X = B for a symmetric positive-definite A (m × m, left untouched) and k right-hand sides
 * (B: m × k, row-major); a new X. Throws `message` when A is not positive definite.
 */
export function solveSPD(A: Float64Array, m: number, B: Float64Array, k: number, message = 'solveSPD: matrix is not positive definite'): Float64Array {
  const L = Float64Array.from(A);
  try {
    cholesky(L, m);
  } catch {
    throw new Error(message);
  }
  const X = Float64Array.from(B);
  choleskySolve(L, m, X, k);
  return X;
}
