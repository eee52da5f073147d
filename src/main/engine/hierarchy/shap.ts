// Shapley-value feature attributions for any model's predictProba (interventional: a coalition S
// keeps x's values on S and takes the other features from background rows; v(S) is the mean
// prediction over the background). Exact Shapley values by enumerating all 2^M coalitions (small M),
// and Kernel SHAP (Lundberg & Lee 2017): a weighted linear regression on coalitions — all of them
// when they fit in the budget, else sampled from the Shapley kernel in complementary pairs —
// constrained so that the attributions sum to f(x) − E f(background) (efficiency).
import { type Rng } from '../random';
import { solveSPD } from './solve';
import type { Matrix } from '../ml/types';

/** A model's class probabilities, rows × k (e.g. (X) => clf.predictProba(X)). */
export type PredictFn = (X: Matrix) => Float32Array | Float64Array;

export interface Attribution {
  /** M × k: attribution of feature i to class c at [i * k + c]. */
  phi: Float64Array;
  /** k: E f(background). */
  base: Float64Array;
  /** k: f(x). */
  fx: Float64Array;
  /** Coalitions evaluated. */
  coalitions: number;
}

export interface KernelShapOptions {
  /** Coalition budget (default 2·M + 2048). Exact enumeration when 2^M − 2 fits. */
  nSamples?: number;
  rng: Rng;
  /** Ridge added to the normal equations (default 1e-10). */
  ridge?: number;
}

/** Mean predictions of each coalition mask (coalitions × M bytes) over the background. */
function coalitionValues(f: PredictFn, x: ArrayLike<number>, bg: Matrix, masks: Uint8Array, nMasks: number, k: number): Float64Array {
  const M = bg.cols;
  const B = bg.rows;
  const out = new Float64Array(nMasks * k);
  // Batches of coalitions so that one predict call has at most ~65k rows.
  const per = Math.max(1, Math.floor(65536 / B));
  for (let s0 = 0; s0 < nMasks; s0 += per) {
    const cnt = Math.min(per, nMasks - s0);
    const rows = new Float32Array(cnt * B * M);
    for (let s = 0; s < cnt; s++) {
      const mask = (s0 + s) * M;
      for (let b = 0; b < B; b++) {
        const o = (s * B + b) * M;
        for (let i = 0; i < M; i++) rows[o + i] = masks[mask + i] ? x[i]! : bg.data[b * M + i]!;
      }
    }
    const p = f({ data: rows, rows: cnt * B, cols: M });
    for (let s = 0; s < cnt; s++) {
      for (let b = 0; b < B; b++) for (let c = 0; c < k; c++) out[(s0 + s) * k + c] += p[(s * B + b) * k + c]!;
      for (let c = 0; c < k; c++) out[(s0 + s) * k + c] /= B;
    }
  }
  return out;
}

function classesOf(f: PredictFn, x: ArrayLike<number>, M: number): { k: number; fx: Float64Array } {
  const p = f({ data: Float32Array.from(x), rows: 1, cols: M });
  return { k: p.length, fx: Float64Array.from(p) };
}

function checkInputs(x: ArrayLike<number>, bg: Matrix): void {
  if (x.length !== bg.cols) throw new Error(`shap: x has ${x.length} features, the background ${bg.cols}`);
  if (bg.rows < 1) throw new Error('shap: the background needs at least one row');
}

/** Exact Shapley values by enumerating all 2^M coalitions (M ≤ 16). */
export function exactShapley(f: PredictFn, x: ArrayLike<number>, background: Matrix): Attribution {
  checkInputs(x, background);
  const M = background.cols;
  if (M > 16) throw new Error(`exactShapley: ${M} features is too many to enumerate (≤ 16); use kernelShap`);
  const { k, fx } = classesOf(f, x, M);
  const n = 1 << M;
  const masks = new Uint8Array(n * M);
  for (let s = 0; s < n; s++) for (let i = 0; i < M; i++) masks[s * M + i] = (s >> i) & 1;
  const v = coalitionValues(f, x, background, masks, n, k);
  // weight(|S|) = |S|! (M − |S| − 1)! / M!
  const fact = [1];
  for (let i = 1; i <= M; i++) fact.push(fact[i - 1]! * i);
  const phi = new Float64Array(M * k);
  for (let s = 0; s < n; s++) {
    let size = 0;
    for (let i = 0; i < M; i++) size += (s >> i) & 1;
    if (size === M) continue;
    const w = (fact[size]! * fact[M - size - 1]!) / fact[M]!;
    for (let i = 0; i < M; i++) {
      if ((s >> i) & 1) continue;
      const t = s | (1 << i);
      for (let c = 0; c < k; c++) phi[i * k + c] += w * (v[t * k + c]! - v[s * k + c]!);
    }
  }
  return { phi, base: v.slice(0, k), fx, coalitions: n };
}

function binom(n: number, r: number): number {
  let out = 1;
  for (let i = 1; i <= r; i++) out = (out * (n - r + i)) / i;
  return out;
}

/** Kernel SHAP attributions of x against a background sample. */
export function kernelShap(f: PredictFn, x: ArrayLike<number>, background: Matrix, opts: KernelShapOptions): Attribution {
  checkInputs(x, background);
  const M = background.cols;
  const { k, fx } = classesOf(f, x, M);
  const empty = new Uint8Array(M);
  const base = coalitionValues(f, x, background, empty, 1, k);
  if (M === 1) return { phi: Float64Array.from(fx, (v, c) => v - base[c]!), base, fx, coalitions: 2 };
  const budget = opts.nSamples ?? 2 * M + 2048;
  const masks: number[][] = [];
  const weights: number[] = [];
  if (M < 31 && 2 ** M - 2 <= budget) {
    // Every proper non-empty coalition, with its Shapley-kernel weight.
    for (let s = 1; s < 2 ** M - 1; s++) {
      const z = Array.from({ length: M }, (_, i) => (s >> i) & 1);
      const size = z.reduce((a, b) => a + b, 0);
      masks.push(z);
      weights.push((M - 1) / (binom(M, size) * size * (M - size)));
    }
  } else {
    // Sizes drawn ∝ (M − 1) / (s (M − s)), members uniformly, each with its complement; equal weights.
    const sizeW = Array.from({ length: M - 1 }, (_, i) => (M - 1) / ((i + 1) * (M - i - 1)));
    const total = sizeW.reduce((a, b) => a + b, 0);
    const idx = Array.from({ length: M }, (_, i) => i);
    while (masks.length + 2 <= budget) {
      let u = opts.rng() * total;
      let size = 1;
      while (size < M - 1 && u > sizeW[size - 1]!) u -= sizeW[size++ - 1]!;
      for (let i = 0; i < size; i++) {
        const j = i + Math.floor(opts.rng() * (M - i));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
      const z = new Array<number>(M).fill(0);
      for (let i = 0; i < size; i++) z[idx[i]!] = 1;
      masks.push(z, z.map((b) => 1 - b));
      weights.push(1, 1);
    }
  }
  const S = masks.length;
  const flat = new Uint8Array(S * M);
  masks.forEach((z, s) => flat.set(z, s * M));
  const v = coalitionValues(f, x, background, flat, S, k);
  // Eliminate φ_M with the efficiency constraint: regress y = v − base − z_M Δ on (z_i − z_M), i < M.
  const m = M - 1;
  const A = new Float64Array(m * m);
  const rhs = new Float64Array(m * k);
  const a = new Float64Array(m);
  for (let s = 0; s < S; s++) {
    const z = masks[s]!;
    const w = weights[s]!;
    for (let i = 0; i < m; i++) a[i] = z[i]! - z[m]!;
    for (let i = 0; i < m; i++) {
      if (a[i] === 0) continue;
      for (let j = 0; j < m; j++) A[i * m + j] += w * a[i]! * a[j]!;
      for (let c = 0; c < k; c++) rhs[i * k + c] += w * a[i]! * (v[s * k + c]! - base[c]! - z[m]! * (fx[c]! - base[c]!));
    }
  }
  let trace = 0;
  for (let i = 0; i < m; i++) trace += A[i * m + i]!;
  const ridge = (opts.ridge ?? 1e-10) * Math.max(trace / m, 1e-300);
  for (let i = 0; i < m; i++) A[i * m + i] += ridge;
  const sol = solveSPD(A, m, rhs, k, 'kernelShap: singular coalition design; raise nSamples');
  const phi = new Float64Array(M * k);
  for (let c = 0; c < k; c++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      phi[i * k + c] = sol[i * k + c]!;
      sum += sol[i * k + c]!;
    }
    phi[m * k + c] = fx[c]! - base[c]! - sum;
  }
  return { phi, base, fx, coalitions: S + 1 };
}

export interface ShapSummary {
  features: string[];
  labels: string[];
  /** k × M mean |φ| (global importance of each feature for each class). */
  meanAbs: Float64Array;
  /** Per class: features by decreasing mean |φ|. */
  order: Int32Array[];
  /**
   * Beeswarm data per class: for each feature, every explained row's φ and the feature's value
   * scaled to [0, 1] over the explained rows (for colour). rows × M arrays, row-major.
   */
  beeswarm: Array<{ phi: Float64Array; value01: Float64Array }>;
  rows: number;
}

/** Global per-class summary of per-row attributions (e.g. from kernelShap on each row of X). */
export function shapSummary(attributions: readonly Attribution[], X: Matrix, features: readonly string[], labels: readonly string[]): ShapSummary {
  const M = X.cols;
  const k = labels.length;
  const R = attributions.length;
  if (R !== X.rows) throw new Error('shapSummary: one attribution per row of X');
  const lo = new Float64Array(M).fill(Infinity);
  const hi = new Float64Array(M).fill(-Infinity);
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < M; i++) {
      lo[i] = Math.min(lo[i]!, X.data[r * M + i]!);
      hi[i] = Math.max(hi[i]!, X.data[r * M + i]!);
    }
  }
  const meanAbs = new Float64Array(k * M);
  const beeswarm = Array.from({ length: k }, () => ({ phi: new Float64Array(R * M), value01: new Float64Array(R * M) }));
  attributions.forEach((a, r) => {
    for (let i = 0; i < M; i++) {
      const span = hi[i]! - lo[i]!;
      const v01 = span > 0 ? (X.data[r * M + i]! - lo[i]!) / span : 0.5;
      for (let c = 0; c < k; c++) {
        const p = a.phi[i * k + c]!;
        meanAbs[c * M + i] += Math.abs(p) / R;
        beeswarm[c]!.phi[r * M + i] = p;
        beeswarm[c]!.value01[r * M + i] = v01;
      }
    }
  });
  const order = Array.from({ length: k }, (_, c) => Int32Array.from(Array.from({ length: M }, (_, i) => i).sort((a, b) => meanAbs[c * M + b]! - meanAbs[c * M + a]! || a - b)));
  return { features: [...features], labels: [...labels], meanAbs, order, beeswarm, rows: R };
}
