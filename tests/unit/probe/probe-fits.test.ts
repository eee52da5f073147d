// Transform fits of the latent probes against numpy / scipy (tests/fixtures/probe/make_fits.py:
// scipy.linalg.orthogonal_procrustes, numpy.linalg.lstsq, numpy ridge solve, numpy.linalg.svd), and
// their properties: a known transform is recovered exactly, R² = 1 on noiseless data, the training
// MSE does not grow along the nested chains of constraints, the held-out split is a seeded partition.
import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../../../src/main/engine/random';
import {
  RIDGE_GRID,
  TRANSFORM_KINDS,
  applyTransform,
  fitTransform,
  halfSplit,
  probeFits,
  procrustes,
  procrustesRotation,
  scorePredictions,
  type FitScore,
  type TransformKind,
} from '../../../src/main/engine/probe/fits';
import { matMul, orthonormalComplement, svd, transpose } from '../../../src/main/engine/probe/svd';
import { fixture } from './probe-signal';

interface RefFit {
  A: number[];
  b: number[];
  inSample: FitScore;
  heldOut?: FitScore;
  scale?: number;
  ridge?: number;
  traceR?: number;
}
interface RefCase {
  n: number;
  d: number;
  X: number[];
  Y: number[];
  fits: Record<TransformKind, RefFit>;
  identity: FitScore;
  singularValues: number[];
}
const REF = fixture<{ tall: RefCase; wide: RefCase }>('fits.json');

function expectScore(got: FitScore, want: FitScore, tol: number): void {
  expect(Math.abs(got.mse - want.mse)).toBeLessThan(tol * Math.max(1, want.mse));
  expect(Math.abs(got.r2 - want.r2)).toBeLessThan(tol);
  expect(got.nnAccuracy).toBe(want.nnAccuracy);
}

/** Solve G A = B (G d × d, B d × d) by Gaussian elimination with partial pivoting. */
function gaussSolve(G0: Float64Array, B0: Float64Array, d: number): Float64Array {
  const G = Float64Array.from(G0);
  const B = Float64Array.from(B0);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(G[r * d + c]!) > Math.abs(G[p * d + c]!)) p = r;
    for (let j = 0; j < d; j++) {
      [G[c * d + j], G[p * d + j]] = [G[p * d + j]!, G[c * d + j]!];
      [B[c * d + j], B[p * d + j]] = [B[p * d + j]!, B[c * d + j]!];
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = G[r * d + c]! / G[c * d + c]!;
      if (f === 0) continue;
      for (let j = 0; j < d; j++) {
        G[r * d + j] -= f * G[c * d + j]!;
        B[r * d + j] -= f * B[c * d + j]!;
      }
    }
  }
  for (let r = 0; r < d; r++) for (let j = 0; j < d; j++) B[r * d + j] /= G[r * d + r]!;
  return B;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  return Float64Array.from({ length: rows * cols }, () => normal(rng));
}

/** A random orthogonal d × d matrix (Q of the SVD of a Gaussian matrix). */
function randomOrthogonal(d: number, seed: number): Float64Array {
  const f = svd(randomMatrix(d, d, seed), d, d);
  return matMul(f.U, d, d, transpose(f.V, d, d), d);
}

describe('Jacobi SVD (numpy.linalg.svd, 1e-12)', () => {
  for (const name of ['tall', 'wide'] as const) {
    it(`${name}: singular values, orthonormal factors, reconstruction`, () => {
      const c = REF[name];
      const X = Float64Array.from(c.X);
      const f = svd(X, c.n, c.d);
      expect(maxDiff(f.S, c.singularValues)).toBeLessThan(1e-12 * c.singularValues[0]!);
      const r = f.r;
      const UtU = matMul(transpose(f.U, c.n, r), r, c.n, f.U, r);
      const VtV = matMul(transpose(f.V, c.d, r), r, c.d, f.V, r);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          expect(Math.abs(UtU[i * r + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
          expect(Math.abs(VtV[i * r + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
      const US = Float64Array.from(f.U, (v, k) => v * f.S[k % r]!);
      expect(maxDiff(matMul(US, c.n, r, transpose(f.V, c.d, r), c.d), X)).toBeLessThan(1e-12 * c.singularValues[0]!);
    });
  }
  it('completes an orthonormal basis', () => {
    const d = 7;
    const Q = randomOrthogonal(d, 3);
    const B = new Float64Array(d * 3);
    for (let i = 0; i < d; i++) for (let j = 0; j < 3; j++) B[i * 3 + j] = Q[i * d + j]!;
    const C = orthonormalComplement(B, d, 3);
    const full = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < 3; j++) full[i * d + j] = B[i * 3 + j]!;
      for (let j = 0; j < 4; j++) full[i * d + 3 + j] = C[i * 4 + j]!;
    }
    const G = matMul(transpose(full, d, d), d, d, full, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(Math.abs(G[i * d + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
  });
});

describe('fits against numpy / scipy: n = 30 > d = 5 (1e-9; affine as plain least squares)', () => {
  const c = REF.tall;
  const X = Float64Array.from(c.X);
  const Y = Float64Array.from(c.Y);
  const h = c.n / 2;
  for (const kind of TRANSFORM_KINDS) {
    it(`${kind}: A, b, in-sample and held-out (rows 0–14 fit, 15–29 scored) scores`, () => {
      const want = c.fits[kind];
      const t = fitTransform(kind, X, Y, c.n, c.d, { ridge: 0 });
      const A = t.A ?? Float64Array.from({ length: c.d * c.d }, (_, k) => (k % (c.d + 1) === 0 ? 1 : 0));
      expect(maxDiff(A, want.A)).toBeLessThan(1e-9);
      expect(maxDiff(t.b, want.b)).toBeLessThan(1e-9);
      if (want.scale !== undefined) expect(Math.abs(t.scale! - want.scale)).toBeLessThan(1e-12);
      expectScore(scorePredictions(applyTransform(t, X, c.n), Y, c.n, c.d), want.inSample, 1e-9);
      const th = fitTransform(kind, X.subarray(0, h * c.d), Y.subarray(0, h * c.d), h, c.d, { ridge: 0 });
      expectScore(scorePredictions(applyTransform(th, X.subarray(h * c.d), h), Y.subarray(h * c.d), h, c.d), want.heldOut!, 1e-9);
    });
  }
  it('identity baseline', () => {
    expectScore(scorePredictions(X, Y, c.n, c.d), c.identity, 1e-12);
  });
});

describe('fits against numpy / scipy: n = 8 < d = 12 (ridge affine, rank-deficient Procrustes)', () => {
  const c = REF.wide;
  const X = Float64Array.from(c.X);
  const Y = Float64Array.from(c.Y);
  for (const kind of TRANSFORM_KINDS) {
    it(`${kind}: in-sample scores (1e-8; affine with the reference's ridge, 1e-3 × mean σ²)`, () => {
      const t = fitTransform(kind, X, Y, c.n, c.d, { ridge: 1e-3 });
      expectScore(scorePredictions(applyTransform(t, X, c.n), Y, c.n, c.d), c.fits[kind].inSample, 1e-8);
      if (kind === 'affine') {
        expect(Math.abs(t.ridge! - c.fits.affine.ridge!) / c.fits.affine.ridge!).toBeLessThan(1e-10);
        expect(maxDiff(t.A!, c.fits.affine.A)).toBeLessThan(1e-8);
        expect(maxDiff(t.b, c.fits.affine.b)).toBeLessThan(1e-8);
      }
    });
  }
  it('Procrustes R is orthogonal, agrees with scipy on the data, and is closest to I off it', () => {
    const t = fitTransform('orthogonal', X, Y, c.n, c.d);
    const d = c.d;
    const R = t.A!.map((v) => v / t.scale!);
    const RtR = matMul(transpose(R, d, d), d, d, R, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(Math.abs(RtR[i * d + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-10);
    expect(Math.abs(t.scale! - c.fits.orthogonal.scale!)).toBeLessThan(1e-10);
    let tr = 0;
    for (let i = 0; i < d; i++) tr += R[i * d + i]!;
    expect(tr).toBeGreaterThanOrEqual(c.fits.orthogonal.traceR! - 1e-9);
  });
});

describe('fit properties', () => {
  const n = 40;
  const d = 6;
  const X = randomMatrix(n, d, 11);
  const b = Float64Array.from({ length: d }, (_, j) => 0.5 * j - 1);
  const cases: Record<TransformKind, Float64Array> = {
    translation: Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0)),
    uniform: Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 0.7 : 0)),
    diagonal: Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 0.5 + (k / (d + 1)) * 0.3 : 0)),
    orthogonal: randomOrthogonal(d, 5).map((v) => 1.8 * v),
    affine: randomMatrix(d, d, 7),
  };
  for (const kind of TRANSFORM_KINDS) {
    it(`${kind}: a known A, b is recovered exactly, with R² = 1 and NN accuracy 1 (noiseless)`, () => {
      const Y = applyTransform({ kind, d, A: cases[kind], b, params: 0 }, X, n);
      const t = fitTransform(kind, X, Y, n, d);
      const A = t.A ?? cases.translation;
      expect(maxDiff(A, cases[kind])).toBeLessThan(1e-10);
      expect(maxDiff(t.b, b)).toBeLessThan(1e-10);
      const s = scorePredictions(applyTransform(t, X, n), Y, n, d);
      expect(s.mse).toBeLessThan(1e-20);
      expect(Math.abs(s.r2 - 1)).toBeLessThan(1e-12);
      expect(s.nnAccuracy).toBe(1);
    });
  }

  it('training MSE never grows along translation ⊂ uniform ⊂ diagonal ⊂ affine and uniform ⊂ orthogonal ⊂ affine', () => {
    for (const seed of [1, 2, 3]) {
      for (const [nn, dd] of [
        [50, 4],
        [12, 9],
        [6, 10],
      ] as const) {
        const Xs = randomMatrix(nn, dd, seed);
        const Ys = randomMatrix(nn, dd, seed + 100).map((v, k) => v + 0.8 * Xs[k]!);
        // affine as plain (minimum-norm) least squares: a ridge trades training error for generalisation
        const mse = Object.fromEntries(TRANSFORM_KINDS.map((k) => [k, scorePredictions(applyTransform(fitTransform(k, Xs, Ys, nn, dd, { ridge: 0 }), Xs, nn), Ys, nn, dd).mse])) as Record<TransformKind, number>;
        const tol = 1e-9;
        expect(mse.uniform).toBeLessThanOrEqual(mse.translation + tol);
        expect(mse.diagonal).toBeLessThanOrEqual(mse.uniform + tol);
        expect(mse.orthogonal).toBeLessThanOrEqual(mse.uniform + tol);
        expect(mse.affine).toBeLessThanOrEqual(Math.min(mse.diagonal, mse.orthogonal) + tol);
      }
    }
  });

  it('Procrustes of a rank-one cross product: orthogonal, and the identity where the data say nothing', () => {
    const d = 5;
    const M = new Float64Array(d * d);
    M[0] = 2; // e1 → e1
    const R = procrustesRotation(M, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(Math.abs(R[i * d + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
  });

  it('Procrustes from thin factors (n < d) equals the d × d route, and is orthogonal', () => {
    for (const [nn, dd, seed] of [
      [6, 10, 1],
      [9, 16, 2],
      [3, 7, 3],
    ] as const) {
      const Xs = randomMatrix(nn, dd, seed);
      const Ys = randomMatrix(nn, dd, seed + 50).map((v, k) => v + Xs[k]!);
      const centre = (A: Float64Array) => {
        const m = new Float64Array(dd);
        for (let i = 0; i < nn; i++) for (let j = 0; j < dd; j++) m[j] += A[i * dd + j]! / nn;
        return A.map((v, k) => v - m[k % dd]!);
      };
      const Xc = centre(Xs);
      const Yc = centre(Ys);
      const fast = procrustes(Xc, Yc, nn, dd);
      const M = matMul(transpose(Xc, nn, dd), dd, nn, Yc, dd);
      const slow = procrustesRotation(M, dd);
      expect(maxDiff(fast.R, slow)).toBeLessThan(1e-8);
      const RtR = matMul(transpose(fast.R, dd, dd), dd, dd, fast.R, dd);
      for (let i = 0; i < dd; i++) for (let j = 0; j < dd; j++) expect(Math.abs(RtR[i * dd + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      let tr = 0;
      for (let i = 0; i < dd * dd; i++) tr += slow[i]! * M[i]!;
      expect(Math.abs(fast.traceSigma - tr)).toBeLessThan(1e-9 * Math.max(1, tr));
    }
  });

  it('affine ridge by leave-one-out: the chosen strength has the smallest exact LOO error of the grid', () => {
    const nn = 14;
    const dd = 20;
    const Xs = randomMatrix(nn, dd, 21);
    const Ys = randomMatrix(nn, dd, 22).map((v, k) => 0.3 * v + Xs[k]!);
    const t = fitTransform('affine', Xs, Ys, nn, dd);
    expect(t.ridge).toBeGreaterThan(0);
    // brute force: for each grid value (its absolute λ on all rows), refit without row i by solving
    // (XcᵀXc + λI)(A − s₀I) = Xcᵀ(Yc − s₀Xc) directly (s₀ fixed: the uniform fit on all rows), and predict row i
    const s0 = fitTransform('affine', Xs, Ys, nn, dd).scale!;
    expect(Math.abs(s0 - fitTransform('uniform', Xs, Ys, nn, dd).scale!)).toBeLessThan(1e-12);
    const looError = (rel: number) => {
      const lambda = fitTransform('affine', Xs, Ys, nn, dd, { ridge: rel }).ridge!;
      let e = 0;
      for (let i = 0; i < nn; i++) {
        const keep = Array.from({ length: nn }, (_, k) => k).filter((k) => k !== i);
        const mx = new Float64Array(dd);
        const my = new Float64Array(dd);
        for (const k of keep) for (let j = 0; j < dd; j++) {
          mx[j] += Xs[k * dd + j]! / keep.length;
          my[j] += Ys[k * dd + j]! / keep.length;
        }
        const G = new Float64Array(dd * dd);
        const B = new Float64Array(dd * dd);
        for (const k of keep) for (let a = 0; a < dd; a++) for (let b = 0; b < dd; b++) {
          G[a * dd + b] += (Xs[k * dd + a]! - mx[a]!) * (Xs[k * dd + b]! - mx[b]!);
          B[a * dd + b] += (Xs[k * dd + a]! - mx[a]!) * (Ys[k * dd + b]! - my[b]!);
        }
        // shrinkage target s₀I (s₀ held fixed, as the shortcut does): solve for A − s₀I
        for (let a = 0; a < dd; a++) for (let b = 0; b < dd; b++) B[a * dd + b] -= s0 * G[a * dd + b]!;
        for (let a = 0; a < dd; a++) G[a * dd + a] += lambda;
        const A = gaussSolve(G, B, dd);
        for (let a = 0; a < dd; a++) A[a * dd + a] += s0;
        for (let j = 0; j < dd; j++) {
          let p = my[j]!;
          for (let a = 0; a < dd; a++) p += (Xs[i * dd + a]! - mx[a]!) * A[a * dd + j]!;
          e += (p - Ys[i * dd + j]!) ** 2;
        }
      }
      return e;
    };
    const errs = RIDGE_GRID.map((g) => looError(g));
    const bestRel = RIDGE_GRID[errs.indexOf(Math.min(...errs))]!;
    const chosen = fitTransform('affine', Xs, Ys, nn, dd, { ridge: bestRel });
    expect(Math.abs(t.ridge! - chosen.ridge!) / chosen.ridge!).toBeLessThan(1e-12);
  });

  it('the held-out split is a seeded partition into halves', () => {
    const a = halfSplit(11, mulberry32(4));
    const b2 = halfSplit(11, mulberry32(4));
    expect(a).toEqual(b2);
    expect(a.train).toHaveLength(5);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(halfSplit(11, mulberry32(5))).not.toEqual(a);
  });

  it('probeFits: identity + five rows, held-out on the split halves, progress per row', () => {
    const Y = applyTransform({ kind: 'affine', d, A: cases.affine, b, params: 0 }, X, n).map((v, k) => v + 0.01 * Math.sin(k));
    const seen: number[] = [];
    const r = probeFits(X, Y, n, d, mulberry32(9), { onRow: (done) => seen.push(done) });
    expect(r.rows.map((x) => x.kind)).toEqual(['identity', ...TRANSFORM_KINDS]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.train.length + r.test.length).toBe(n);
    const affine = r.rows.at(-1)!;
    expect(affine.inSample.r2).toBeGreaterThan(0.999);
    expect(affine.heldOut!.r2).toBeGreaterThan(0.99);
    expect(affine.heldOut!.n).toBe(n / 2);
    // too few clips: no held-out figures
    const tiny = probeFits(X, Y, 3, d, mulberry32(9));
    expect(tiny.rows.every((x) => x.heldOut === null)).toBe(true);
    expect(() => fitTransform('affine', X, Y, 0, d)).toThrow(RangeError);
  });
});
