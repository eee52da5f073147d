// Transforms between embeddings: fit Y ≈ X A + b (rows are points: an original clip's embedding x
// and its shifted version's y) under increasingly free constraints, as in the latent-space study's
// Table 2, and score each fit by MSE, R² and nearest-neighbour accuracy. Float64, pure.
//
//   translation      A = I                      b = mean(Y − X)
//   uniform          A = s I                    s = ⟨Xc, Yc⟩ / ‖Xc‖²
//   diagonal         A = diag(s)                s_j = ⟨xc_j, yc_j⟩ / ‖xc_j‖²   (1 where x_j is constant)
//   orthogonal       A = s R, RᵀR = I           R = U Vᵀ from Xcᵀ Yc = U Σ Vᵀ (orthogonal Procrustes),
//                                               s = tr Σ / ‖Xc‖²; on directions the training points do
//                                               not span, R is the rotation closest to the identity
//   affine           A free                     least squares on centred data, ridge-stabilised: the
//                                               penalty λ‖A − s₀I‖² shrinks A towards the uniform-scaling
//                                               fit s₀I (not towards 0: a shift moves embeddings, it does
//                                               not erase them); λ chosen by exact leave-one-out over a grid
//                                               (λ = 0 is a choice when Xc has full column rank), or given
//                                               (0: least squares, minimum-norm about s₀I via the pseudo-inverse)
// In every case b = mean(Y) − mean(X) A, so a fit passes through the centroids.
import { matMul, orthonormalComplement, rankOf, svd, transpose } from './svd';
import { shuffle, type Rng } from '../random';

export const TRANSFORM_KINDS = ['translation', 'uniform', 'diagonal', 'orthogonal', 'affine'] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

export const TRANSFORM_LABELS: Record<TransformKind | 'identity', string> = {
  identity: 'none (X₊ ≈ X)',
  translation: 'translation',
  uniform: 'uniform scaling',
  diagonal: 'non-uniform scaling',
  orthogonal: 'scaled orthogonal (Procrustes)',
  affine: 'affine',
};

/** Ridge strengths tried by leave-one-out, relative to the mean squared (non-zero) singular value of Xc. */
export const RIDGE_GRID = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000] as const;

export interface Transform {
  kind: TransformKind | 'identity';
  d: number;
  /** d × d, row convention (y = x A + b); null for the identity. */
  A: Float64Array | null;
  b: Float64Array;
  /** Uniform and orthogonal: the scale s; affine: the scale s₀ of the ridge's target s₀I. */
  scale?: number;
  /** Affine: the ridge λ used (0 = plain least squares). */
  ridge?: number;
  /** Number of free parameters. */
  params: number;
}

export interface FitScore {
  /** Mean over points and dimensions of (prediction − target)². */
  mse: number;
  /** 1 − SS_res / SS_tot, SS pooled over all dimensions (sklearn's r2_score with multioutput='variance_weighted'). */
  r2: number;
  /** Share of points whose prediction's nearest target (Euclidean, first index on ties) is their own. */
  nnAccuracy: number;
  n: number;
}

function check(X: Float64Array, Y: Float64Array, n: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) throw new RangeError(`fit: bad shape ${n} × ${d}`);
  if (X.length < n * d || Y.length < n * d) throw new RangeError(`fit: X and Y need ${n * d} values each`);
  for (let i = 0; i < n * d; i++) {
    if (!Number.isFinite(X[i]!) || !Number.isFinite(Y[i]!)) throw new RangeError(`fit: non-finite value at row ${Math.floor(i / d)}`);
  }
}

function means(X: Float64Array, n: number, d: number): Float64Array {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j] += X[i * d + j]!;
  for (let j = 0; j < d; j++) m[j] /= n;
  return m;
}

function centred(X: Float64Array, n: number, d: number, m: Float64Array): Float64Array {
  const C = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) C[i * d + j] = X[i * d + j]! - m[j]!;
  return C;
}

/** b = mean(Y) − mean(X) A (A null = identity). */
function offset(mx: Float64Array, my: Float64Array, d: number, A: Float64Array | null): Float64Array {
  const b = new Float64Array(d);
  if (!A) {
    for (let j = 0; j < d; j++) b[j] = my[j]! - mx[j]!;
    return b;
  }
  const xa = matMul(mx, 1, d, A, d);
  for (let j = 0; j < d; j++) b[j] = my[j]! - xa[j]!;
  return b;
}

/** The identity transform (no fit): how far the shifted embeddings are from the originals as they are. */
export function identityTransform(d: number): Transform {
  return { kind: 'identity', d, A: null, b: new Float64Array(d), params: 0 };
}

export interface FitOptions {
  /**
   * Affine: 'loo' (default) picks the ridge strength by leave-one-out from RIDGE_GRID (and no ridge when
   * Xc has full column rank); a number is the strength relative to the mean σ² of Xc (0: least squares).
   */
  ridge?: number | 'loo';
}

/** Fit Y ≈ X A + b under the constraint `kind`. X, Y: n × d row-major. */
export function fitTransform(kind: TransformKind, X: Float64Array, Y: Float64Array, n: number, d: number, opts: FitOptions = {}): Transform {
  check(X, Y, n, d);
  const mx = means(X, n, d);
  const my = means(Y, n, d);
  if (kind === 'translation') return { kind, d, A: null, b: offset(mx, my, d, null), params: d };
  const Xc = centred(X, n, d, mx);
  const Yc = centred(Y, n, d, my);
  if (kind === 'uniform' || kind === 'diagonal') {
    const num = new Float64Array(d);
    const den = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const x = Xc[i * d + j]!;
        num[j] += x * Yc[i * d + j]!;
        den[j] += x * x;
      }
    }
    const A = new Float64Array(d * d);
    if (kind === 'uniform') {
      let sn = 0;
      let sd = 0;
      for (let j = 0; j < d; j++) {
        sn += num[j]!;
        sd += den[j]!;
      }
      const s = sd > 0 ? sn / sd : 1;
      for (let j = 0; j < d; j++) A[j * d + j] = s;
      return { kind, d, A, b: offset(mx, my, d, A), scale: s, params: d + 1 };
    }
    for (let j = 0; j < d; j++) A[j * d + j] = den[j]! > 0 ? num[j]! / den[j]! : 1;
    return { kind, d, A, b: offset(mx, my, d, A), params: 2 * d };
  }
  if (kind === 'orthogonal') {
    const { R, traceSigma } = procrustes(Xc, Yc, n, d);
    let xx = 0;
    for (const v of Xc) xx += v * v;
    const s = xx > 0 ? traceSigma / xx : 1;
    const A = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) A[i] = s * R[i]!;
    return { kind, d, A, b: offset(mx, my, d, A), scale: s, params: 1 + (d * (d - 1)) / 2 + d };
  }
  if (kind === 'affine') {
    const f = svd(Xc, n, d);
    const r = rankOf(f);
    let ss = 0;
    for (let c = 0; c < r; c++) ss += f.S[c]! ** 2;
    const unit = ss / Math.max(1, r);
    const k = f.r;
    // The shrinkage target s₀I: the uniform-scaling fit. The ridge fits the rest, Yc − s₀ Xc.
    let sn = 0;
    let sd = 0;
    for (let i = 0; i < n * d; i++) {
      sn += Xc[i]! * Yc[i]!;
      sd += Xc[i]! * Xc[i]!;
    }
    const s0 = sd > 0 ? sn / sd : 1;
    const Z = Float64Array.from(Yc, (v, i) => v - s0 * Xc[i]!);
    const UtZ = matMul(transpose(f.U, n, k), k, n, Z, d); // k × d
    const lambda = opts.ridge === undefined || opts.ridge === 'loo' ? looRidge(f.U, f.S, r, UtZ, Z, n, d, unit) : opts.ridge * unit;
    // A = s₀I + V diag(σ / (σ² + λ)) Uᵀ Z, with σ below the rank cut-off dropped when λ = 0.
    for (let c = 0; c < k; c++) {
      const s = f.S[c]!;
      const w = lambda > 0 ? s / (s * s + lambda) : c < r ? 1 / s : 0;
      for (let j = 0; j < d; j++) UtZ[c * d + j] *= w;
    }
    const A = matMul(f.V, d, k, UtZ, d);
    for (let j = 0; j < d; j++) A[j * d + j] += s0;
    return { kind, d, A, b: offset(mx, my, d, A), scale: s0, ridge: lambda, params: d * d + d };
  }
  throw new RangeError(`fitTransform: unknown kind ${String(kind)}`);
}

/**
 * The ridge strength with the smallest leave-one-out error of the residual Z = Yc − s₀Xc (s₀ is held
 * fixed): for ridge with an unpenalised intercept on centred data the fit is a linear smoother
 * Ẑ = H Z with H = 11ᵀ/n + U diag(σ²/(σ²+λ)) Uᵀ, and the
 * leave-one-out residual of row i is exactly e_i / (1 − H_ii). No ridge (λ = 0) is a candidate when Xc
 * has full column rank (rank = d).
 */
function looRidge(U: Float64Array, S: Float64Array, r: number, UtY: Float64Array, Yc: Float64Array, n: number, d: number, unit: number): number {
  const k = S.length;
  const candidates: number[] = [...(r === d ? [0] : []), ...RIDGE_GRID.map((g) => g * unit)];
  let best = candidates[candidates.length - 1]!;
  let bestErr = Infinity;
  const shrink = new Float64Array(k);
  for (const lambda of candidates) {
    for (let c = 0; c < k; c++) {
      const s2 = S[c]! ** 2;
      shrink[c] = lambda > 0 ? s2 / (s2 + lambda) : c < r ? 1 : 0;
    }
    let err = 0;
    let ok = true;
    for (let i = 0; i < n; i++) {
      let h = 1 / n;
      for (let c = 0; c < k; c++) h += U[i * k + c]! ** 2 * shrink[c]!;
      const denom = 1 - h;
      if (!(denom > 1e-10)) {
        ok = false;
        break;
      }
      let e2 = 0;
      for (let j = 0; j < d; j++) {
        let fit = 0;
        for (let c = 0; c < k; c++) fit += U[i * k + c]! * shrink[c]! * UtY[c * d + j]!;
        e2 += (Yc[i * d + j]! - fit) ** 2;
      }
      err += e2 / (denom * denom);
    }
    if (ok && err < bestErr) {
      bestErr = err;
      best = lambda;
    }
  }
  return best;
}

/**
 * Orthogonal Procrustes on centred data: R maximising tr(Rᵀ Xcᵀ Yc), and tr Σ (the sum of the singular
 * values of Xcᵀ Yc). With fewer points than dimensions the cross product has rank < n, and R is built
 * from thin factors (Xc = Ux Sx Vxᵀ, Yc = Uy Sy Vyᵀ, Xcᵀ Yc = Vx (Sx Uxᵀ Uy Sy) Vyᵀ) without any d × d
 * decomposition; the result is the same as procrustesRotation(Xcᵀ Yc).
 */
export function procrustes(Xc: Float64Array, Yc: Float64Array, n: number, d: number): { R: Float64Array; traceSigma: number } {
  if (n >= d) {
    const M = matMul(transpose(Xc, n, d), d, n, Yc, d);
    const R = procrustesRotation(M, d);
    let tr = 0;
    for (let i = 0; i < d * d; i++) tr += R[i]! * M[i]!; // tr(Rᵀ M) = tr Σ
    return { R, traceSigma: tr };
  }
  const fx = svd(Xc, n, d);
  const fy = svd(Yc, n, d);
  const rx = rankOf(fx);
  const ry = rankOf(fy);
  const cols = (A: Float64Array, rows: number, stride: number, c: number, scale?: Float64Array) => {
    const out = new Float64Array(rows * c);
    for (let i = 0; i < rows; i++) for (let j = 0; j < c; j++) out[i * c + j] = A[i * stride + j]! * (scale ? scale[j]! : 1);
    return out;
  };
  const UxS = cols(fx.U, n, fx.r, rx, fx.S); // n × rx
  const UyS = cols(fy.U, n, fy.r, ry, fy.S); // n × ry
  const K = matMul(transpose(UxS, n, rx), rx, n, UyS, ry); // rx × ry
  if (rx === 0 || ry === 0) return { R: identity(d), traceSigma: 0 };
  const fk = svd(K, rx, ry);
  const r = rankOf(fk);
  let traceSigma = 0;
  for (const v of fk.S) traceSigma += v;
  const Ur = matMul(cols(fx.V, d, fx.r, rx), d, rx, cols(fk.U, rx, fk.r, r), r); // d × r
  const Vr = matMul(cols(fy.V, d, fy.r, ry), d, ry, cols(fk.V, ry, fk.r, r), r); // d × r
  return { R: completeRotation(Ur, Vr, d, r), traceSigma };
}

function identity(d: number): Float64Array {
  const I = new Float64Array(d * d);
  for (let j = 0; j < d; j++) I[j * d + j] = 1;
  return I;
}

/**
 * R = Ur Vrᵀ plus the orthogonal map from Vr's complement onto Ur's complement that maximises tr(R).
 * That map is the identity outside span(Ur, Vr); inside it (dimension m ≤ 2r) it is found in the
 * coordinates of an orthonormal basis B = [Ur, B₂] of the span: R = Ur Vrᵀ + B₂ S Q̃vᵀ Bᵀ + (I − B Bᵀ),
 * with Q̃v the complement of Bᵀ Vr in Rᵐ and S = polar(rows r… of Q̃v).
 */
function completeRotation(Ur: Float64Array, Vr: Float64Array, d: number, r: number): Float64Array {
  const R = matMul(Ur, d, r, transpose(Vr, d, r), d);
  if (r === d) return R;
  // B₂: Vr's columns orthogonalised (twice) against Ur and each other.
  const basis: Float64Array[] = [];
  for (let j = 0; j < r; j++) basis.push(Float64Array.from({ length: d }, (_, i) => Ur[i * r + j]!));
  const extra: Float64Array[] = [];
  for (let j = 0; j < r; j++) {
    const v = Float64Array.from({ length: d }, (_, i) => Vr[i * r + j]!);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of [...basis, ...extra]) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += v[t]! * b[t]!;
        for (let t = 0; t < d; t++) v[t] -= dot * b[t]!;
      }
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm < 1e-8) continue;
    for (let t = 0; t < d; t++) v[t] /= norm;
    extra.push(v);
  }
  const m = r + extra.length;
  const q = m - r;
  const B = new Float64Array(d * m);
  [...basis, ...extra].forEach((v, j) => {
    for (let i = 0; i < d; i++) B[i * m + j] = v[i]!;
  });
  // I − B Bᵀ
  const BBt = matMul(B, d, m, transpose(B, d, m), d);
  for (let i = 0; i < d * d; i++) R[i] += (i % (d + 1) === 0 ? 1 : 0) - BBt[i]!;
  if (q === 0) return R;
  const Vt = matMul(transpose(B, d, m), m, d, Vr, r); // Bᵀ Vr, m × r
  const Qv = orthonormalComplement(Vt, m, r); // m × q
  const C = new Float64Array(q * q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) C[i * q + j] = Qv[(r + i) * q + j]!;
  const S = polarFactor(C, q);
  const B2 = new Float64Array(d * q);
  for (let i = 0; i < d; i++) for (let j = 0; j < q; j++) B2[i * q + j] = B[i * m + r + j]!;
  const QvtBt = matMul(transpose(Qv, m, q), q, m, transpose(B, d, m), d); // q × d
  const part = matMul(matMul(B2, d, q, S, q), d, q, QvtBt, d);
  for (let i = 0; i < d * d; i++) R[i] += part[i]!;
  return R;
}

/**
 * The orthogonal R maximising tr(Rᵀ M) (M = Xcᵀ Yc): U Vᵀ from M = U Σ Vᵀ. When M is rank-deficient
 * (fewer points than dimensions) the rotation is fixed only on the span of M's columns; on the rest,
 * R = Qu S Qvᵀ with S orthogonal maximising tr(R), i.e. as close to the identity as the constraint allows.
 */
export function procrustesRotation(M: Float64Array, d: number): Float64Array {
  const f = svd(M, d, d);
  const r = rankOf(f);
  const Ur = new Float64Array(d * r);
  const Vr = new Float64Array(d * r);
  for (let i = 0; i < d; i++) {
    for (let c = 0; c < r; c++) {
      Ur[i * r + c] = f.U[i * d + c]!;
      Vr[i * r + c] = f.V[i * d + c]!;
    }
  }
  const R = matMul(Ur, d, r, transpose(Vr, d, r), d);
  if (r === d) return R;
  const q = d - r;
  const Qu = orthonormalComplement(Ur, d, r);
  // V from Jacobi is a full orthogonal matrix: its last q columns span the complement of Vr.
  const Qv = new Float64Array(d * q);
  for (let i = 0; i < d; i++) for (let c = 0; c < q; c++) Qv[i * q + c] = f.V[i * d + r + c]!;
  // max over orthogonal S of tr(Qu S Qvᵀ) = tr(S Qvᵀ Qu): S = polar(Quᵀ Qv)
  const C = matMul(transpose(Qu, d, q), q, d, Qv, q);
  const S = polarFactor(C, q);
  const part = matMul(matMul(Qu, d, q, S, q), d, q, transpose(Qv, d, q), d);
  for (let i = 0; i < d * d; i++) R[i] += part[i]!;
  return R;
}

/** The orthogonal factor of a square matrix (U Vᵀ of its SVD), completing null directions arbitrarily. */
function polarFactor(C: Float64Array, q: number): Float64Array {
  const f = svd(C, q, q);
  const r = rankOf(f);
  let U = f.U;
  if (r < q) {
    const Ur = new Float64Array(q * r);
    for (let i = 0; i < q; i++) for (let c = 0; c < r; c++) Ur[i * r + c] = f.U[i * q + c]!;
    const comp = orthonormalComplement(Ur, q, r);
    U = new Float64Array(q * q);
    for (let i = 0; i < q; i++) {
      for (let c = 0; c < r; c++) U[i * q + c] = Ur[i * r + c]!;
      for (let c = r; c < q; c++) U[i * q + c] = comp[i * (q - r) + c - r]!;
    }
  }
  return matMul(U, q, q, transpose(f.V, q, q), q);
}

/** Predictions X A + b (m × d). */
export function applyTransform(t: Transform, X: Float64Array, m: number): Float64Array {
  const d = t.d;
  let P: Float64Array;
  if (!t.A) P = Float64Array.from(X.subarray(0, m * d));
  else if (t.kind === 'uniform' || t.kind === 'diagonal') {
    P = new Float64Array(m * d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) P[i * d + j] = X[i * d + j]! * t.A[j * d + j]!;
  } else P = matMul(X, m, d, t.A, d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) P[i * d + j] += t.b[j]!;
  return P;
}

/** MSE, pooled R² and nearest-neighbour accuracy of predictions P against targets Y (n × d). */
export function scorePredictions(P: Float64Array, Y: Float64Array, n: number, d: number): FitScore {
  const my = means(Y, n, d);
  let res = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const y = Y[i * d + j]!;
      res += (P[i * d + j]! - y) ** 2;
      tot += (y - my[j]!) ** 2;
    }
  }
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (P[i * d + t]! - Y[j * d + t]!) ** 2;
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    if (best === i) hits++;
  }
  return { mse: res / (n * d), r2: tot > 0 ? 1 - res / tot : res === 0 ? 1 : Number.NEGATIVE_INFINITY, nnAccuracy: hits / n, n };
}

export interface ProbeFitRow {
  kind: TransformKind | 'identity';
  label: string;
  params: number;
  scale?: number;
  ridge?: number;
  /** Fitted and scored on every clip. */
  inSample: FitScore;
  /** Fitted on the training half, scored on the other half (null when there are too few clips). */
  heldOut: FitScore | null;
}

export interface ProbeFitResult {
  n: number;
  d: number;
  rows: ProbeFitRow[];
  /** Clip indices of the held-out evaluation (empty when there was none). */
  train: number[];
  test: number[];
}

function take(X: Float64Array, idx: readonly number[], d: number): Float64Array {
  const out = new Float64Array(idx.length * d);
  idx.forEach((r, i) => out.set(X.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** A seeded split of 0..n−1 into two halves (training gets floor(n / 2)). */
export function halfSplit(n: number, rng: Rng): { train: number[]; test: number[] } {
  const idx = shuffle(rng, Array.from({ length: n }, (_, i) => i));
  const h = Math.floor(n / 2);
  return { train: idx.slice(0, h).sort((a, b) => a - b), test: idx.slice(h).sort((a, b) => a - b) };
}

/** Minimum clips for the held-out evaluation (two on each side). */
export const MIN_HELD_OUT = 4;

/**
 * The probe table: the identity baseline and the five transforms, each fitted on all clips (in-sample)
 * and on a seeded half, scored on the other half (held-out). `onRow` reports progress.
 */
export function probeFits(X: Float64Array, Y: Float64Array, n: number, d: number, rng: Rng, opts: FitOptions & { onRow?: (done: number, total: number) => void } = {}): ProbeFitResult {
  check(X, Y, n, d);
  const split = n >= MIN_HELD_OUT ? halfSplit(n, rng) : { train: [], test: [] };
  const held = split.train.length >= 2 && split.test.length >= 2;
  const Xtr = held ? take(X, split.train, d) : null;
  const Ytr = held ? take(Y, split.train, d) : null;
  const Xte = held ? take(X, split.test, d) : null;
  const Yte = held ? take(Y, split.test, d) : null;
  const kinds: (TransformKind | 'identity')[] = ['identity', ...TRANSFORM_KINDS];
  const rows: ProbeFitRow[] = [];
  kinds.forEach((kind, k) => {
    const t = kind === 'identity' ? identityTransform(d) : fitTransform(kind, X, Y, n, d, opts);
    const inSample = scorePredictions(applyTransform(t, X, n), Y, n, d);
    let heldOut: FitScore | null = null;
    if (held) {
      const th = kind === 'identity' ? t : fitTransform(kind, Xtr!, Ytr!, split.train.length, d, opts);
      heldOut = scorePredictions(applyTransform(th, Xte!, split.test.length), Yte!, split.test.length, d);
    }
    rows.push({ kind, label: TRANSFORM_LABELS[kind], params: t.params, scale: t.scale, ridge: t.ridge, inSample, heldOut });
    opts.onRow?.(k + 1, kinds.length);
  });
  return { n, d, rows, train: held ? split.train : [], test: held ? split.test : [] };
}
