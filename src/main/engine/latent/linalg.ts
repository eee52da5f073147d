// Small dense linear algebra over row-major Float64Arrays: symmetric eigen-decomposition
// (Householder tridiagonalisation + implicit QL, the EISPACK tred2/tql2 pair as published in
// JAMA, public domain), Cholesky, column statistics and squared Euclidean distances.
import { cholesky } from '../cholesky';

/** Result of a symmetric eigen-decomposition, eigenvalues in DESCENDING order. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as ROWS (row j is the unit eigenvector of values[j]), row-major n × n. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (row-major; only symmetry is assumed, the
 * input is not modified). Accuracy is at the level of LAPACK's dsyev for well-scaled input.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length < n * n) throw new RangeError(`symmetricEigen: need ${n * n} values, got ${a.length}`);
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const V = Float64Array.from(a.subarray(0, n * n)); // V[k*n + j]: row k, column j
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(V, d, e, n);
  tql2(V, d, e, n);
  // tql2 leaves eigenvalues ascending with eigenvectors in the columns of V.
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    const col = n - 1 - r;
    values[r] = d[col];
    for (let k = 0; k < n; k++) vectors[r * n + k] = V[k * n + col];
  }
  return { values, vectors };
}

function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m === n) m = n - 1; // e[n-1] is 0, so this only guards against NaN input
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('symmetricEigen: QL iteration did not converge (non-finite input?)');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const kn = k * n;
            h = V[kn + i + 1];
            V[kn + i + 1] = s * V[kn + i] + c * h;
            V[kn + i] = c * V[kn + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // Selection sort, ascending (n is small: this runs on d × d matrices).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[j * n + i];
        V[j * n + i] = V[j * n + k];
        V[j * n + k] = t;
      }
    }
  }
}

/**
 * In-place lower Cholesky factor of a symmetric positive-definite n × n matrix (row-major): on
 * return the lower triangle holds L with A = L Lᵀ and the strict upper triangle is zeroed.
 * Returns false (leaving `a` partly overwritten) when A is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  try {
    cholesky(a, n);
  } catch {
    return false;
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
  return true;
}

/** Column means of an n × d matrix. */
export function columnMeans(X: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += X[o + j];
  }
  if (n > 0) for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/**
 * Standardise columns to zero mean and unit variance (population variance, ddof = 0, as
 * sklearn.preprocessing.StandardScaler). Constant columns are centred and left at zero.
 */
export function standardize(X: Float64Array, n: number, d: number): Float64Array {
  const mean = columnMeans(X, n, d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const t = X[o + j] - mean[j];
      sd[j] += t * t;
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(sd[j] / Math.max(n, 1));
    // StandardScaler leaves a zero-variance column's scale at 1.
    sd[j] = s > 0 ? s : 1;
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) out[o + j] = (X[o + j] - mean[j]) / sd[j];
  }
  return out;
}

/** Squared Euclidean distance between row i of A and row j of B (both with d columns). */
export function sqDist(A: Float64Array, i: number, B: Float64Array, j: number, d: number): number {
  let s = 0;
  const oa = i * d;
  const ob = j * d;
  for (let k = 0; k < d; k++) {
    const t = A[oa + k] - B[ob + k];
    s += t * t;
  }
  return s;
}

/** Throws a RangeError unless X holds n × d finite numbers. */
export function checkMatrix(what: string, X: Float64Array, n: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) {
    throw new RangeError(`${what}: bad shape ${n} × ${d}`);
  }
  if (X.length < n * d) throw new RangeError(`${what}: need ${n * d} values for ${n} × ${d}, got ${X.length}`);
  for (let i = 0; i < n * d; i++) {
    if (!Number.isFinite(X[i])) {
      throw new RangeError(`${what}: non-finite value at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
}
