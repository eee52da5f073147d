// Poincaré-ball geometry against closed forms (named in each test) and numpy, plus properties.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/main/engine/random';
import {
  expMap, geodesicArc2D, geodesicPoints, logMap, mobiusAdd, mobiusScale, poincareDistance, poincareDistanceAt,
  poincareDistanceGrad, project, recentre, recentre2D, recentreAll, sqNorm,
} from '../../../src/main/engine/hyperbolic/math';
import { REF, ballPoint, expectAllClose, f64 } from './hyperbolic-helpers';

const norm = (x: ArrayLike<number>): number => Math.sqrt(sqNorm(x));

describe('Poincaré distance', () => {
  it('from the origin equals 2·artanh(r) = ln((1 + r)/(1 − r)) (closed form), 1e-12 relative', () => {
    for (const r of [1e-8, 0.1, 0.5, 0.9, 0.999]) {
      const x = [r * 0.6, -r * 0.8, 0];
      // Math.atanh, not the log of a ratio: the latter loses digits for small r
      const want = 2 * Math.atanh(r);
      expect(Math.abs(poincareDistance([0, 0, 0], x) - want) / want).toBeLessThan(1e-12);
    }
    // 1e-9 from the rim the rounding of ‖x‖² (≈1e-16 against 1 − ‖x‖² ≈ 2e-9) bounds the accuracy
    const r = 1 - 1e-9;
    const want = Math.log((1 + r) / (1 - r));
    expect(Math.abs(poincareDistance([0, 0, 0], [r * 0.6, -r * 0.8, 0]) - want) / want).toBeLessThan(1e-7);
  });
  it('between opposite points ±r·e equals 2·ln((1 + r)/(1 − r)) (closed form, the geodesic through 0)', () => {
    for (const r of [0.3, 0.7, 0.99]) {
      const want = 2 * Math.log((1 + r) / (1 - r));
      expect(Math.abs(poincareDistance([r, 0], [-r, 0]) - want)).toBeLessThan(1e-12 * want);
    }
  });
  it('matches numpy arccosh (poincare_eval.poincare_dist) on random 5-D points near the boundary, 1e-9 relative', () => {
    const { U, V, D, dim } = REF.dist;
    const X = f64(U);
    const Y = f64(V);
    const got: number[] = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) got.push(poincareDistanceAt(X, i, Y, j, dim));
    expectAllClose(got, D, 0, 1e-9);
  });
  it('equals 2·artanh‖(−u) ⊕ v‖ (Ganea et al. 2018, eq. for d_c with c = 1) and is symmetric', () => {
    const rng = mulberry32(7);
    for (let t = 0; t < 50; t++) {
      const u = ballPoint(rng, 4, 0.95);
      const v = ballPoint(rng, 4, 0.95);
      const w = mobiusAdd(Float64Array.from(u, (x) => -x), v);
      const alt = 2 * Math.atanh(norm(w));
      const d = poincareDistance(u, v);
      expect(Math.abs(d - alt)).toBeLessThan(1e-9 * Math.max(1, d));
      expect(poincareDistance(v, u)).toBeCloseTo(d, 12);
    }
  });
  it('is finite (never Infinity or NaN) for points on or beyond the boundary', () => {
    const cases: number[][][] = [[[1, 0], [0, 1]], [[1, 0], [1, 0]], [[2, 0], [-3, 0]], [[1 - 1e-17, 0], [0, 0]]];
    for (const [u, v] of cases) {
      const d = poincareDistance(u, v);
      expect(Number.isFinite(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('gradient of the distance', () => {
  it('matches central finite differences (h = 1e-6) to 1e-6 relative, including points near the rim', () => {
    const rng = mulberry32(11);
    for (let t = 0; t < 40; t++) {
      const u = ballPoint(rng, 5, t < 20 ? 0.9 : 0.999);
      const v = ballPoint(rng, 5, 0.9);
      const g = poincareDistanceGrad(u, v);
      const h = 1e-6 * (1 - norm(u));
      for (let k = 0; k < 5; k++) {
        const up = u.slice();
        const dn = u.slice();
        up[k] += h;
        dn[k] -= h;
        const fd = (poincareDistance(up, v) - poincareDistance(dn, v)) / (2 * h);
        expect(Math.abs(g[k] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
  it('is zero at u = v (not differentiable there; gensim does the same)', () => {
    expect(Array.from(poincareDistanceGrad([0.2, 0.1], [0.2, 0.1]))).toEqual([0, 0]);
  });
});

describe('Möbius addition and scalar multiplication', () => {
  it('in 2-D equals the complex form (u + v)/(1 + ū v) (closed form)', () => {
    const rng = mulberry32(3);
    for (let t = 0; t < 30; t++) {
      const u = ballPoint(rng, 2, 0.99);
      const v = ballPoint(rng, 2, 0.99);
      // (a + bi) = u + v ; (c + di) = 1 + conj(u) v
      const a = u[0] + v[0];
      const b = u[1] + v[1];
      const c = 1 + (u[0] * v[0] + u[1] * v[1]);
      const d = u[0] * v[1] - u[1] * v[0];
      const den = c * c + d * d;
      const want = [(a * c + b * d) / den, (b * c - a * d) / den];
      expectAllClose(mobiusAdd(u, v), want, 1e-12);
    }
  });
  it('has 0 as identity and −u as inverse; left cancellation (−u) ⊕ (u ⊕ v) = v (gyrogroup laws)', () => {
    const rng = mulberry32(4);
    for (let t = 0; t < 30; t++) {
      const u = ballPoint(rng, 3, 0.9);
      const v = ballPoint(rng, 3, 0.9);
      const negU = Float64Array.from(u, (x) => -x);
      expectAllClose(mobiusAdd(u, new Float64Array(3)), u, 1e-15);
      expectAllClose(mobiusAdd(new Float64Array(3), u), u, 1e-15);
      expectAllClose(mobiusAdd(negU, u), [0, 0, 0], 1e-15);
      expectAllClose(mobiusAdd(negU, mobiusAdd(u, v)), v, 1e-12);
    }
  });
  it('r ⊗ x: 1 ⊗ x = x, 2 ⊗ x = x ⊕ x, and d(0, r ⊗ x) = r · d(0, x)', () => {
    const rng = mulberry32(5);
    for (let t = 0; t < 20; t++) {
      const x = ballPoint(rng, 3, 0.9);
      expectAllClose(mobiusScale(1, x), x, 1e-14);
      expectAllClose(mobiusScale(2, x), mobiusAdd(x, x), 1e-12);
      const d = poincareDistance([0, 0, 0], x);
      expect(poincareDistance([0, 0, 0], mobiusScale(0.37, x))).toBeCloseTo(0.37 * d, 10);
    }
  });
});

describe('exponential and logarithmic maps', () => {
  it('exp_0(v) = tanh(‖v‖) v/‖v‖ (closed form at the origin)', () => {
    const v = [0.3, -1.2, 0.5];
    const nv = norm(v);
    expectAllClose(expMap([0, 0, 0], v), v.map((x) => (Math.tanh(nv) * x) / nv), 1e-15);
  });
  it('d(x, exp_x(v)) = λ_x ‖v‖ with λ_x = 2/(1 − ‖x‖²) (the metric’s conformal factor), and log_x inverts exp_x', () => {
    const rng = mulberry32(6);
    for (let t = 0; t < 40; t++) {
      const x = ballPoint(rng, 4, 0.9);
      const v = ballPoint(rng, 4, 0.5).map((z) => z * 0.3);
      const y = expMap(x, v);
      expect(norm(y)).toBeLessThan(1);
      const lambda = 2 / (1 - sqNorm(x));
      expect(Math.abs(poincareDistance(x, y) - lambda * norm(v))).toBeLessThan(1e-9);
      expectAllClose(logMap(x, y), v, 1e-9);
      // and exp_x(log_x(z)) = z for any z
      const z = ballPoint(rng, 4, 0.95);
      expectAllClose(expMap(x, logMap(x, z)), z, 1e-9);
    }
  });
});

describe('re-centring (Möbius transformation)', () => {
  it('the general form (−a) ⊕ z equals the complex form (z − a)/(1 − ā z) in 2-D, sends a to 0 and keeps distances', () => {
    const rng = mulberry32(8);
    for (let t = 0; t < 30; t++) {
      const a = ballPoint(rng, 2, 0.95);
      const z = ballPoint(rng, 2, 0.95);
      const w = ballPoint(rng, 2, 0.95);
      const g = recentre(z, a);
      expectAllClose(g, recentre2D(z[0], z[1], a[0], a[1]), 1e-12);
      expectAllClose(recentre(a, a), [0, 0], 1e-15);
      expect(poincareDistance(recentre(z, a), recentre(w, a))).toBeCloseTo(poincareDistance(z, w), 9);
      // the inverse is w ↦ a ⊕ w
      expectAllClose(mobiusAdd(a, g), z, 1e-12);
    }
  });
  it('recentreAll maps every row and keeps all pairwise distances (an isometry), in 6-D', () => {
    const rng = mulberry32(9);
    const n = 12;
    const X = new Float64Array(n * 6);
    for (let i = 0; i < n; i++) X.set(ballPoint(rng, 6, 0.97), i * 6);
    const a = X.slice(18, 24);
    const Y = recentreAll(X, n, 6, a);
    expectAllClose(Y.subarray(18, 24), new Float64Array(6), 1e-15);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      expect(Math.abs(poincareDistanceAt(Y, i, Y, j, 6) - poincareDistanceAt(X, i, X, j, 6))).toBeLessThan(1e-8);
    }
  });
});

describe('geodesics in the disk', () => {
  it('the arc’s circle passes through both points and meets the unit circle at right angles (r² + 1 = ‖c‖²)', () => {
    const rng = mulberry32(10);
    for (let t = 0; t < 30; t++) {
      const p = ballPoint(rng, 2, 0.95);
      const q = ballPoint(rng, 2, 0.95);
      const g = geodesicArc2D(p[0], p[1], q[0], q[1]);
      if (g.kind !== 'arc') throw new Error('expected an arc for points in general position');
      expect(Math.hypot(p[0] - g.cx, p[1] - g.cy)).toBeCloseTo(g.r, 9);
      expect(Math.hypot(q[0] - g.cx, q[1] - g.cy)).toBeCloseTo(g.r, 9);
      expect(g.r * g.r + 1).toBeCloseTo(g.cx * g.cx + g.cy * g.cy, 9);
      // points sampled along the geodesic lie on that circle, on the arc between start and end
      const pts = geodesicPoints(p, q, 9);
      for (let s = 0; s < 9; s++) {
        const x = pts[2 * s];
        const y = pts[2 * s + 1];
        expect(Math.hypot(x - g.cx, y - g.cy)).toBeCloseTo(g.r, 7);
        let ang = Math.atan2(y - g.cy, x - g.cx) - g.start;
        while (ang <= -Math.PI) ang += 2 * Math.PI;
        while (ang > Math.PI) ang -= 2 * Math.PI;
        let span = g.end - g.start;
        while (span <= -Math.PI) span += 2 * Math.PI;
        while (span > Math.PI) span -= 2 * Math.PI;
        expect(g.anticlockwise).toBe(span > 0);
        expect(ang * Math.sign(span)).toBeGreaterThanOrEqual(-1e-9);
        expect(Math.abs(ang)).toBeLessThanOrEqual(Math.abs(span) + 1e-9);
      }
    }
  });
  it('is a straight segment through the origin for collinear points, and the sampled points split the distance evenly', () => {
    const g = geodesicArc2D(0.5, 0.5, -0.2, -0.2);
    expect(g.kind).toBe('line');
    const p = [0.1, 0.6, -0.3];
    const q = [-0.7, 0.2, 0.4];
    const pts = geodesicPoints(p, q, 5);
    const total = poincareDistance(p, q);
    expectAllClose(pts.subarray(0, 3), p, 1e-14);
    expectAllClose(pts.subarray(12, 15), q, 1e-12);
    for (let s = 0; s < 4; s++) {
      expect(poincareDistance(pts.subarray(3 * s, 3 * s + 3), pts.subarray(3 * s + 3, 3 * s + 6))).toBeCloseTo(total / 4, 9);
    }
  });
});

describe('projection', () => {
  it('keeps every point strictly inside the ball (‖x‖ ≤ 1 − ε < 1), leaves inner points alone, resets non-finite rows', () => {
    const rng = mulberry32(12);
    const n = 500;
    const dim = 7;
    const X = new Float64Array(n * dim);
    for (let k = 0; k < X.length; k++) X[k] = (rng() * 2 - 1) * (k % 3 === 0 ? 10 : 0.2);
    X[5] = NaN;
    X[dim * 3] = Infinity;
    const before = X.slice();
    const eps = 1e-5;
    const moved = project(X, n, dim, eps);
    expect(moved).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      const r = norm(X.subarray(i * dim, (i + 1) * dim));
      expect(r).toBeLessThanOrEqual(1 - eps);
      expect(r).toBeLessThan(1);
      const r0 = norm(before.subarray(i * dim, (i + 1) * dim));
      if (r0 < 1 - eps) expectAllClose(X.subarray(i * dim, (i + 1) * dim), before.subarray(i * dim, (i + 1) * dim), 0);
    }
    expectAllClose(X.subarray(0, dim), new Float64Array(dim), 0);
    // and every pairwise distance is finite
    for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) expect(Number.isFinite(poincareDistanceAt(X, i, X, j, dim))).toBe(true);
  });
});
