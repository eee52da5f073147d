// Small dense linear algebra for this folder's regressions (Kernel SHAP, logistic regression).

/**
 * Solves A X = B for a symmetric positive definite A (m × m) and k right-hand sides (B: m × k,
 * row-major) by Cholesky factorisation. Throws `message` when A is not positive definite.
 */
export function solveSPD(A: Float64Array, m: number, B: Float64Array, k: number, message = 'solveSPD: matrix is not positive definite'): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j]!;
      for (let t = 0; t < j; t++) s -= L[i * m + t]! * L[j * m + t]!;
      if (i === j) {
        if (!(s > 0)) throw new Error(message);
        L[i * m + i] = Math.sqrt(s);
      } else L[i * m + j] = s / L[j * m + j]!;
    }
  }
  const X = Float64Array.from(B);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) {
      let s = X[i * k + c]!;
      for (let t = 0; t < i; t++) s -= L[i * m + t]! * X[t * k + c]!;
      X[i * k + c] = s / L[i * m + i]!;
    }
    for (let i = m - 1; i >= 0; i--) {
      let s = X[i * k + c]!;
      for (let t = i + 1; t < m; t++) s -= L[t * m + i]! * X[t * k + c]!;
      X[i * k + c] = s / L[i * m + i]!;
    }
  }
  return X;
}
