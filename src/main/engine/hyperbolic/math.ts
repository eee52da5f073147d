// Poincaré-ball geometry (curvature −1): distance and its gradient, Möbius addition and scalar
// multiplication, exponential and logarithmic maps, the Möbius transformation that re-centres the
// ball on a point, geodesics in the disk, and projection back inside the ball.
//
// Formulas: Nickel & Kiela, "Poincaré Embeddings for Learning Hierarchical Representations"
// (NeurIPS 2017), eqs. (1) and (4) for the distance and its gradient; Ganea, Bécigneul & Hofmann,
// "Hyperbolic Neural Networks" (NeurIPS 2018), §2 for Möbius addition, exp/log maps (c = 1).
// Every function is finite for every input inside the closed ball: 1 − ‖x‖² is clamped to
// MIN_CONFORMAL and arcosh/artanh arguments are clamped, so no distance is Infinity or NaN.
import { sqDist } from '../latent/linalg';

/** Smallest value used for 1 − ‖x‖² (points on or beyond the boundary behave as if just inside). */
export const MIN_CONFORMAL = 1e-15;
/** Default margin of `project`: points are kept at ‖x‖ ≤ 1 − PROJECT_EPS. */
export const PROJECT_EPS = 1e-5;

type Vec = ArrayLike<number>;

export function dot(u: Vec, v: Vec): number {
  let s = 0;
  for (let k = 0; k < u.length; k++) s += u[k] * v[k];
  return s;
}

export function sqNorm(u: Vec): number {
  return dot(u, u);
}

/** arcosh(1 + y) for y ≥ 0, accurate for small y (log1p form), finite for every finite y. */
export function arcosh1p(y: number): number {
  const t = y > 0 ? y : 0;
  return Math.log1p(t + Math.sqrt(t * (t + 2)));
}

/** artanh(x), with x clamped to [0, 1 − 1e-16] so the result is finite. */
function artanhClamped(x: number): number {
  const t = x < 0 ? 0 : x > 1 - 1e-16 ? 1 - 1e-16 : x;
  return 0.5 * Math.log1p((2 * t) / (1 - t));
}

function conformal(sq: number): number {
  const a = 1 - sq;
  return a > MIN_CONFORMAL ? a : MIN_CONFORMAL;
}

function distanceCore(X: Vec, oi: number, Y: Vec, oj: number, dim: number): number {
  let uu = 0;
  let vv = 0;
  let dd = 0;
  for (let k = 0; k < dim; k++) {
    const a = X[oi + k];
    const b = Y[oj + k];
    uu += a * a;
    vv += b * b;
    dd += (a - b) * (a - b);
  }
  return arcosh1p((2 * dd) / (conformal(uu) * conformal(vv)));
}

/** Poincaré distance d(u, v) = arcosh(1 + 2‖u − v‖² / ((1 − ‖u‖²)(1 − ‖v‖²))). */
export function poincareDistance(u: Vec, v: Vec): number {
  return distanceCore(u, 0, v, 0, u.length);
}

/** Poincaré distance between row i of X and row j of Y (flat row-major, `dim` columns). */
export function poincareDistanceAt(X: Float64Array, i: number, Y: Float64Array, j: number, dim: number): number {
  return distanceCore(X, i * dim, Y, j * dim, dim);
}

/** Euclidean distance between row i of X and row j of Y. */
export function euclideanDistanceAt(X: Float64Array, i: number, Y: Float64Array, j: number, dim: number): number {
  return Math.sqrt(sqDist(X, i, Y, j, dim));
}

/**
 * Euclidean gradient of d(u, v) with respect to u (Nickel & Kiela eq. 4):
 * 4 / (β √(γ² − 1)) · ((‖v‖² − 2⟨u,v⟩ + 1)/α² · u − v/α), α = 1 − ‖u‖², β = 1 − ‖v‖².
 * Zero at u = v (where d is not differentiable), as gensim does.
 */
export function poincareDistanceGrad(u: Vec, v: Vec, out = new Float64Array(u.length)): Float64Array {
  const uu = sqNorm(u);
  const vv = sqNorm(v);
  const uv = dot(u, v);
  const alpha = conformal(uu);
  const beta = conformal(vv);
  const dd = Math.max(uu + vv - 2 * uv, 0);
  const g = 1 + (2 * dd) / (alpha * beta);
  const root = Math.sqrt(Math.max(g * g - 1, 0));
  if (!(root > 0)) {
    out.fill(0);
    return out;
  }
  const c = 4 / (alpha * beta * root);
  const cu = (c * (vv - 2 * uv + 1)) / alpha;
  for (let k = 0; k < u.length; k++) out[k] = cu * u[k] - c * v[k];
  return out;
}

/** Möbius addition u ⊕ v = ((1 + 2⟨u,v⟩ + ‖v‖²) u + (1 − ‖u‖²) v) / (1 + 2⟨u,v⟩ + ‖u‖²‖v‖²). */
export function mobiusAdd(u: Vec, v: Vec, out = new Float64Array(u.length)): Float64Array {
  const uv = dot(u, v);
  const uu = sqNorm(u);
  const vv = sqNorm(v);
  const a = 1 + 2 * uv + vv;
  const b = 1 - uu;
  const den = Math.max(1 + 2 * uv + uu * vv, MIN_CONFORMAL);
  for (let k = 0; k < u.length; k++) out[k] = (a * u[k] + b * v[k]) / den;
  return out;
}

/** Möbius scalar multiplication r ⊗ x = tanh(r · artanh ‖x‖) x / ‖x‖. */
export function mobiusScale(r: number, x: Vec, out = new Float64Array(x.length)): Float64Array {
  const nx = Math.sqrt(sqNorm(x));
  if (nx === 0) {
    out.fill(0);
    return out;
  }
  const s = Math.tanh(r * artanhClamped(nx)) / nx;
  for (let k = 0; k < x.length; k++) out[k] = s * x[k];
  return out;
}

/** Exponential map at x: exp_x(v) = x ⊕ (tanh(λ_x ‖v‖ / 2) v / ‖v‖), λ_x = 2 / (1 − ‖x‖²). */
export function expMap(x: Vec, v: Vec, out = new Float64Array(x.length)): Float64Array {
  const nv = Math.sqrt(sqNorm(v));
  if (nv === 0) {
    for (let k = 0; k < x.length; k++) out[k] = x[k];
    return out;
  }
  const lambda = 2 / conformal(sqNorm(x));
  const s = Math.tanh((lambda * nv) / 2) / nv;
  const w = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) w[k] = s * v[k];
  return mobiusAdd(x, w, out);
}

/** Logarithmic map at x: log_x(y) = (2 / λ_x) artanh(‖−x ⊕ y‖) (−x ⊕ y) / ‖−x ⊕ y‖. */
export function logMap(x: Vec, y: Vec, out = new Float64Array(x.length)): Float64Array {
  const negX = Float64Array.from(x, (t) => -t);
  const w = mobiusAdd(negX, y);
  const nw = Math.sqrt(sqNorm(w));
  if (nw === 0) {
    out.fill(0);
    return out;
  }
  const lambda = 2 / conformal(sqNorm(x));
  const s = ((2 / lambda) * artanhClamped(nw)) / nw;
  for (let k = 0; k < w.length; k++) out[k] = s * w[k];
  return out;
}

/**
 * The Möbius transformation that moves `a` to the centre: z ↦ (−a) ⊕ z. In 2-D this is
 * z ↦ (z − a) / (1 − ā z) in complex form (see recentre2D); its inverse is w ↦ a ⊕ w. It is an
 * isometry of the ball, so distances between re-centred points are unchanged.
 */
export function recentre(z: Vec, a: Vec, out = new Float64Array(z.length)): Float64Array {
  const negA = Float64Array.from(a, (t) => -t);
  return mobiusAdd(negA, z, out);
}

/** Re-centre every row of X (n × dim, flat) on `a`; returns a new array. */
export function recentreAll(X: Float64Array, n: number, dim: number, a: Vec): Float64Array {
  const out = new Float64Array(n * dim);
  const negA = Float64Array.from(a, (t) => -t);
  for (let i = 0; i < n; i++) {
    const row = X.subarray(i * dim, (i + 1) * dim);
    mobiusAdd(negA, row, out.subarray(i * dim, (i + 1) * dim));
  }
  return out;
}

/** Complex form of the re-centring in the unit disk: (z − a) / (1 − ā z), z = x + iy, a = ax + i·ay. */
export function recentre2D(x: number, y: number, ax: number, ay: number): [number, number] {
  // numerator z − a
  const nr = x - ax;
  const ni = y - ay;
  // denominator 1 − ā z = 1 − (ax − i ay)(x + i y)
  const dr = 1 - (ax * x + ay * y);
  const di = -(ax * y - ay * x);
  const den = Math.max(dr * dr + di * di, MIN_CONFORMAL * MIN_CONFORMAL);
  return [(nr * dr + ni * di) / den, (ni * dr - nr * di) / den];
}

/** A geodesic between two points of the unit disk: a diameter segment or an arc of a circle orthogonal to the boundary. */
export type Geodesic2D =
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number }
  | {
      kind: 'arc';
      /** Centre and radius of the circle carrying the geodesic (it meets the unit circle at right angles). */
      cx: number;
      cy: number;
      r: number;
      /** Angles (radians, atan2 convention) of the two end points seen from the centre. */
      start: number;
      end: number;
      /** Direction from start to end along the arc inside the disk (canvas `arc()` convention, y up). */
      anticlockwise: boolean;
    };

/**
 * The geodesic from p to q in the Poincaré disk. The carrying circle passes through p and q and is
 * orthogonal to the unit circle: its centre c solves 2⟨c, p⟩ = ‖p‖² + 1 and 2⟨c, q⟩ = ‖q‖² + 1, and
 * r² = ‖c‖² − 1. When p, q and the origin are (nearly) collinear the geodesic is a straight segment.
 */
export function geodesicArc2D(px: number, py: number, qx: number, qy: number): Geodesic2D {
  const det = 2 * (px * qy - py * qx);
  // Points lie in the unit disk, so an absolute threshold suits: below it the circle's radius
  // exceeds ~1e10 and a straight segment is indistinguishable from the arc.
  if (Math.abs(det) < 1e-10) {
    return { kind: 'line', x1: px, y1: py, x2: qx, y2: qy };
  }
  const bp = px * px + py * py + 1;
  const bq = qx * qx + qy * qy + 1;
  // [2px 2py; 2qx 2qy] c = [bp; bq]
  const cx = (bp * qy - py * bq) / det;
  const cy = (px * bq - bp * qx) / det;
  const r = Math.sqrt(Math.max(cx * cx + cy * cy - 1, 0));
  const start = Math.atan2(py - cy, px - cx);
  const end = Math.atan2(qy - cy, qx - cx);
  // The arc inside the disk is the shorter one (the centre lies outside the disk): go the way whose
  // angular span is below π.
  let delta = end - start;
  while (delta <= -Math.PI) delta += 2 * Math.PI;
  while (delta > Math.PI) delta -= 2 * Math.PI;
  return { kind: 'arc', cx, cy, r, start, end, anticlockwise: delta > 0 };
}

/**
 * `count` ≥ 2 points along the geodesic from p to q (any dimension), equally spaced in hyperbolic
 * length: γ(t) = p ⊕ (t ⊗ ((−p) ⊕ q)), t = 0 … 1. Returns count × dim, flat.
 */
export function geodesicPoints(p: Vec, q: Vec, count: number): Float64Array {
  const dim = p.length;
  const out = new Float64Array(count * dim);
  const dir = recentre(q, p);
  const step = new Float64Array(dim);
  for (let s = 0; s < count; s++) {
    const t = count === 1 ? 0 : s / (count - 1);
    mobiusScale(t, dir, step);
    mobiusAdd(p, step, out.subarray(s * dim, (s + 1) * dim));
  }
  return out;
}

/**
 * Project rows of X (n × dim, flat) into the open ball in place: a row with ‖x‖ ≥ 1 − eps is scaled to
 * norm 1 − eps; a row with a non-finite coordinate is reset to the origin. Returns how many rows moved.
 */
export function project(X: Float64Array, n: number, dim: number, eps = PROJECT_EPS): number {
  const limit = 1 - eps;
  let moved = 0;
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    let s = 0;
    for (let k = 0; k < dim; k++) s += X[o + k] * X[o + k];
    if (!Number.isFinite(s)) {
      X.fill(0, o, o + dim);
      moved++;
      continue;
    }
    if (s >= limit * limit) {
      const f = limit / Math.sqrt(s);
      for (let k = 0; k < dim; k++) X[o + k] *= f;
      // guard against rounding leaving the norm a hair above the limit
      let s2 = 0;
      for (let k = 0; k < dim; k++) s2 += X[o + k] * X[o + k];
      if (s2 > limit * limit) for (let k = 0; k < dim; k++) X[o + k] *= 1 - 1e-15;
      moved++;
    }
  }
  return moved;
}
