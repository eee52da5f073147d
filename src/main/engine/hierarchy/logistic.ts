// Binary logistic regression with an L2 penalty, as scikit-learn's LogisticRegression(C) minimises:
// ½‖w‖² + C Σ_i log(1 + exp(−s_i (w·x_i + b))), the intercept unpenalised. Newton's method with a
// step-halving line search, until no coefficient moves by more than tol (relative); d + 1
// unknowns, so each step is one small Cholesky solve.
import { solveSPD } from './solve';

export interface LogisticModel {
  /** d weights then the intercept. */
  coef: Float64Array;
  iterations: number;
}

function objective(X: ArrayLike<number>, n: number, d: number, y: ArrayLike<number>, coef: Float64Array, C: number): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = coef[d]!;
    for (let j = 0; j < d; j++) z += X[i * d + j]! * coef[j]!;
    const m = y[i]! > 0 ? -z : z; // log(1 + e^m)
    loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  }
  let reg = 0;
  for (let j = 0; j < d; j++) reg += coef[j]! * coef[j]!;
  return 0.5 * reg + C * loss;
}

/** Fits on X (n × d, row-major) and 0/1 targets y. */
export function fitLogistic(X: ArrayLike<number>, n: number, d: number, y: ArrayLike<number>, C = 1, maxIter = 100, tol = 1e-9): LogisticModel {
  if (X.length !== n * d || y.length !== n) throw new Error('fitLogistic: shapes differ');
  const m = d + 1;
  let coef = new Float64Array(m);
  let f = objective(X, n, d, y, coef, C);
  let it = 0;
  for (; it < maxIter; it++) {
    const g = new Float64Array(m);
    const H = new Float64Array(m * m);
    const row = new Float64Array(m);
    row[d] = 1;
    for (let i = 0; i < n; i++) {
      let z = coef[d]!;
      for (let j = 0; j < d; j++) {
        row[j] = X[i * d + j]!;
        z += row[j]! * coef[j]!;
      }
      const p = 1 / (1 + Math.exp(-z));
      const r = C * (p - (y[i]! > 0 ? 1 : 0));
      const w = C * p * (1 - p);
      for (let a = 0; a < m; a++) {
        g[a] += r * row[a]!;
        if (w === 0) continue;
        const wa = w * row[a]!;
        for (let b = 0; b <= a; b++) H[a * m + b] += wa * row[b]!;
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] += coef[j]!;
      H[j * m + j] += 1;
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) H[b * m + a] = H[a * m + b]!;
    H[d * m + d] += 1e-12 * (1 + H[d * m + d]!);
    const step = solveSPD(H, m, g, 1, 'fitLogistic: singular Hessian');
    let t = 1;
    let next = coef;
    let fn = f;
    for (let half = 0; half < 40; half++) {
      next = coef.map((c, j) => c - t * step[j]!);
      fn = objective(X, n, d, y, next, C);
      if (fn <= f) break;
      t /= 2;
    }
    let change = 0;
    let scale = 1;
    for (let j = 0; j < m; j++) {
      change = Math.max(change, Math.abs(next[j]! - coef[j]!));
      scale = Math.max(scale, Math.abs(next[j]!));
    }
    coef = next;
    const done = change <= tol * scale || fn === f;
    f = fn;
    if (done) {
      it++;
      break;
    }
  }
  return { coef, iterations: it };
}

/** P(y = 1 | x) for each row of X (n × d). */
export function logisticProba(model: LogisticModel, X: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = model.coef[d]!;
    for (let j = 0; j < d; j++) z += X[i * d + j]! * model.coef[j]!;
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}
