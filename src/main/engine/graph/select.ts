// Feature selection before the graph, in the spirit of ControlBurn: an L1-type penalty that keeps
// one feature of each correlated group. Here: the regularisation path of a group-lasso multinomial
// logistic regression (one group = one feature's weights over all classes), solved by FISTA with
// warm starts; features are taken in the order they enter the path, and a feature is skipped when
// it correlates (|r| ≥ threshold) with one already kept, so each correlated group gives one feature.
import { pearson } from '../features/parity';

export interface GroupLassoFit {
  /** d × k weights, row-major. */
  W: Float64Array;
  /** k intercepts. */
  b: Float64Array;
  lambda: number;
  iterations: number;
}

export interface LassoPath {
  lambdas: number[];
  /** Per λ: the norm of each feature's weight group (d values). */
  norms: Float64Array[];
  /** λ at which each feature first becomes non-zero (0 when it never does). */
  entry: Float64Array;
}

export interface SelectionResult {
  /** Kept feature indices, in the order they entered the path. */
  kept: number[];
  /** For every feature: the kept feature standing for its correlated group (−1 when not represented). */
  representedBy: Int32Array;
  path: LassoPath;
}

export interface SelectionOptions {
  /** Maximum number of kept features (0: every feature that enters the path, less correlated ones). */
  maxFeatures?: number;
  /** |Pearson r| at or above which two features count as one group (default 0.9). */
  corrThreshold?: number;
  /** Number of λ values on the path (default 20) and the smallest λ as a fraction of λ_max (default 0.01). */
  nLambda?: number;
  minRatio?: number;
  maxIter?: number;
  tol?: number;
}

/** Softmax cross-entropy (mean) and its gradient with respect to the logits' weights and intercepts. */
function lossGrad(X: Float64Array, n: number, d: number, y: Int32Array, k: number, W: Float64Array, b: Float64Array, gW: Float64Array, gb: Float64Array): number {
  gW.fill(0);
  gb.fill(0);
  const z = new Float64Array(k);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = b[c]!;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * W[j * k + c]!;
      z[c] = s;
      if (s > m) m = s;
    }
    let se = 0;
    for (let c = 0; c < k; c++) se += Math.exp(z[c]! - m);
    loss += m + Math.log(se) - z[y[i]!]!;
    for (let c = 0; c < k; c++) {
      const r = Math.exp(z[c]! - m) / se - (c === y[i] ? 1 : 0);
      gb[c] += r / n;
      if (r !== 0) for (let j = 0; j < d; j++) gW[j * k + c] += (X[i * d + j]! * r) / n;
    }
  }
  return loss / n;
}

/** Largest eigenvalue of XᵀX / n by power iteration (for the step size). */
function gramNorm(X: Float64Array, n: number, d: number): number {
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  let lam = 0;
  const xv = new Float64Array(n);
  for (let it = 0; it < 100; it++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * v[j]!;
      xv[i] = s;
    }
    const w = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) w[j] += (X[i * d + j]! * xv[i]!) / n;
    const norm = Math.hypot(...w);
    if (norm === 0) return 0;
    const done = Math.abs(norm - lam) <= 1e-9 * norm;
    lam = norm;
    v = w.map((x) => x / norm);
    if (done) break;
  }
  return lam;
}

/** Group soft-thresholding: shrinks each feature's k weights toward zero by t in Euclidean norm. */
function proxGroups(W: Float64Array, d: number, k: number, t: number): void {
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += W[j * k + c]! ** 2;
    const norm = Math.sqrt(s);
    const f = norm > t ? 1 - t / norm : 0;
    for (let c = 0; c < k; c++) W[j * k + c] *= f;
  }
}

/**
 * min_W,b mean softmax cross-entropy + λ Σ_j ‖W_j‖₂ by FISTA (step 1/L with L = ½ λ_max(XᵀX/n) + tiny),
 * from a warm start when given. X should be standardised (n × d), y in 0..k−1.
 */
export function groupLasso(X: Float64Array, n: number, d: number, y: Int32Array, k: number, lambda: number, warm?: { W: Float64Array; b: Float64Array }, maxIter = 500, tol = 1e-7): GroupLassoFit {
  const L = 0.5 * gramNorm(X, n, d) + 0.5 + 1e-9; // intercept column adds at most ½ (‖1‖²/n = 1)
  const step = 1 / L;
  let W = warm ? Float64Array.from(warm.W) : new Float64Array(d * k);
  let b = warm ? Float64Array.from(warm.b) : new Float64Array(k);
  let VW = Float64Array.from(W);
  let Vb = Float64Array.from(b);
  const gW = new Float64Array(d * k);
  const gb = new Float64Array(k);
  let t = 1;
  let it = 0;
  for (; it < maxIter; it++) {
    lossGrad(X, n, d, y, k, VW, Vb, gW, gb);
    const nW = new Float64Array(d * k);
    const nb = new Float64Array(k);
    for (let i = 0; i < nW.length; i++) nW[i] = VW[i]! - step * gW[i]!;
    for (let c = 0; c < k; c++) nb[c] = Vb[c]! - step * gb[c]!;
    proxGroups(nW, d, k, step * lambda);
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    let change = 0;
    let scale = 0;
    for (let i = 0; i < nW.length; i++) {
      change = Math.max(change, Math.abs(nW[i]! - W[i]!));
      scale = Math.max(scale, Math.abs(nW[i]!));
    }
    for (let c = 0; c < k; c++) change = Math.max(change, Math.abs(nb[c]! - b[c]!));
    VW = nW.map((v, i) => v + ((t - 1) / tn) * (v - W[i]!));
    Vb = nb.map((v, c) => v + ((t - 1) / tn) * (v - b[c]!));
    W = nW;
    b = nb;
    t = tn;
    if (change <= tol * Math.max(1, scale)) {
      it++;
      break;
    }
  }
  return { W, b, lambda, iterations: it };
}

/** Gradient of the mean cross-entropy at (W, b) (for optimality checks: the group-lasso KKT conditions). */
export function crossEntropyGradient(X: Float64Array, n: number, d: number, y: Int32Array, k: number, W: Float64Array, b: Float64Array): { gW: Float64Array; gb: Float64Array; loss: number } {
  const gW = new Float64Array(d * k);
  const gb = new Float64Array(k);
  const loss = lossGrad(X, n, d, y, k, W, b, gW, gb);
  return { gW, gb, loss };
}

/** The group-lasso path from λ_max (all weights zero) down to minRatio · λ_max. */
export function groupLassoPath(X: Float64Array, n: number, d: number, y: Int32Array, k: number, opts: SelectionOptions = {}): LassoPath {
  const nLambda = opts.nLambda ?? 20;
  const minRatio = opts.minRatio ?? 0.01;
  // λ_max: the largest gradient group norm at W = 0 with the intercepts at the class log-frequencies.
  const b0 = new Float64Array(k);
  for (const c of y) b0[c]++;
  for (let c = 0; c < k; c++) b0[c] = Math.log(Math.max(b0[c]!, 1e-3) / n);
  const { gW } = crossEntropyGradient(X, n, d, y, k, new Float64Array(d * k), b0);
  let lmax = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += gW[j * k + c]! ** 2;
    lmax = Math.max(lmax, Math.sqrt(s));
  }
  const lambdas: number[] = [];
  const norms: Float64Array[] = [];
  const entry = new Float64Array(d);
  let warm: { W: Float64Array; b: Float64Array } = { W: new Float64Array(d * k), b: b0 };
  for (let i = 0; i < nLambda; i++) {
    const lambda = lmax * minRatio ** (nLambda > 1 ? i / (nLambda - 1) : 0);
    const fit = groupLasso(X, n, d, y, k, lambda, warm, opts.maxIter ?? 300, opts.tol ?? 1e-6);
    warm = fit;
    const nm = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += fit.W[j * k + c]! ** 2;
      nm[j] = Math.sqrt(s);
      if (nm[j]! > 0 && entry[j] === 0) entry[j] = lambda;
    }
    lambdas.push(lambda);
    norms.push(nm);
  }
  return { lambdas, norms, entry };
}

/** Column j of X (n × d). */
function column(X: Float64Array, n: number, d: number, j: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => X[i * d + j]!);
}

/** Group-lasso path selection keeping one feature per correlated group (see the file comment). */
export function selectFeatures(X: Float64Array, n: number, d: number, y: Int32Array, k: number, opts: SelectionOptions = {}): SelectionResult {
  const path = groupLassoPath(X, n, d, y, k, opts);
  const thr = opts.corrThreshold ?? 0.9;
  const last = path.norms[path.norms.length - 1]!;
  // Entry order: earlier (larger λ) first; among features entering together, the larger final weight.
  const order = Array.from({ length: d }, (_, j) => j)
    .filter((j) => path.entry[j]! > 0)
    .sort((a, b) => path.entry[b]! - path.entry[a]! || last[b]! - last[a]! || a - b);
  const kept: number[] = [];
  const representedBy = new Int32Array(d).fill(-1);
  const max = opts.maxFeatures && opts.maxFeatures > 0 ? opts.maxFeatures : d;
  for (const j of order) {
    const cj = column(X, n, d, j);
    const rep = kept.find((q) => Math.abs(pearson(cj, column(X, n, d, q)) || 0) >= thr);
    if (rep !== undefined) {
      representedBy[j] = rep;
      continue;
    }
    if (kept.length >= max) continue;
    kept.push(j);
    representedBy[j] = j;
  }
  return { kept, representedBy, path };
}
