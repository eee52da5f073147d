// Out-of-domain placement: the distance-weighted k-nearest-neighbour mean against hand-computed
// values (closed form), PCA projection of new points (a map point placed again lands on itself, and
// a linear combination of points lands on the same combination of their coordinates), UMAP's
// transform against a stored layout, and the standardisation a features map used.
import { describe, expect, it } from 'vitest';
import { pca } from '../../../src/main/engine/latent/pca';
import { standardize } from '../../../src/main/engine/latent/linalg';
import { applyStats, columnStats, knnPlace, nearestLabels } from '../../../src/main/engine/probe/place';
import { mulberry32, normal } from '../../../src/main/engine/random';
import { placeTask, type PlacePayload } from '../../../src/main/jobs/place';

describe('k-nearest-neighbour placement (closed form)', () => {
  // four training points on a line in 1-D source space, mapped to 2-D
  const X = Float64Array.from([0, 1, 2, 10]);
  const Y = Float64Array.from([0, 0, 10, 0, 10, 10, 50, 50]);
  it('weights 1/distance over the k nearest', () => {
    // q = 0.25: nearest 0 (d 0.25), 1 (d 0.75) → weights 4, 4/3 → x = (4·0 + 4/3·10) / (16/3) = 2.5, y = 0
    const r = knnPlace(X, 4, 1, Y, 2, Float64Array.from([0.25]), 1, 2);
    expect(r.points[0]).toBeCloseTo(2.5, 12);
    expect(r.points[1]).toBeCloseTo(0, 12);
    expect(Array.from(r.neighbours)).toEqual([0, 1]);
    expect(Array.from(r.distances)).toEqual([0.25, 0.75]);
    // q = 1.5, k = 3: 1 and 2 at 0.5 (w 2 each), 0 at 1.5 (w 2/3): x = (2·10 + 2·10 + 2/3·0) / (14/3) = 60/7, y = (2·0 + 2·10) / (14/3) = 30/7
    const s = knnPlace(X, 4, 1, Y, 2, Float64Array.from([1.5]), 1, 3);
    expect(s.points[0]).toBeCloseTo(60 / 7, 12);
    expect(s.points[1]).toBeCloseTo(30 / 7, 12);
  });
  it('a point on a training point lands on it; k is capped at n; labels by majority', () => {
    const r = knnPlace(X, 4, 1, Y, 2, Float64Array.from([2, 9]), 2, 10);
    expect(r.k).toBe(4);
    expect([r.points[0], r.points[1]]).toEqual([10, 10]);
    expect(nearestLabels(knnPlace(X, 4, 1, Y, 2, Float64Array.from([0.4, 9.5]), 2, 3), 2, ['a', 'a', 'b', 'b'])).toEqual(['a', 'b']);
    expect(() => knnPlace(X, 4, 1, Y, 2, new Float64Array(0), 1, 2)).toThrow(RangeError);
  });
  it('the standardisation of new points uses the map points’ means and deviations (= StandardScaler, as the map)', () => {
    const rng = mulberry32(3);
    const A = Float64Array.from({ length: 30 }, () => normal(rng) * 3 + 1);
    const st = columnStats(A, 10, 3);
    const mine = applyStats(A, 10, 3, st);
    const ref = standardize(A, 10, 3);
    for (let i = 0; i < 30; i++) expect(mine[i]).toBe(ref[i]);
  });
});

function gaussian(n: number, d: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  return Float64Array.from({ length: n * d }, (_, k) => normal(rng) + (k % d === 0 ? (Math.floor(k / d) % 3) * 4 : 0));
}

function payload(method: PlacePayload['method'], X: Float64Array, n: number, d: number, Y: Float32Array, Q: Float64Array, m: number): PlacePayload {
  return { method, X, n, d, Y, dims: 3, Q, m, k: 5, labels: Array.from({ length: n }, (_, i) => `c${i % 3}`), neighbours: 8, minDist: 0.1, seed: 1 };
}

describe('placement task', () => {
  const n = 60;
  const d = 5;
  const X = gaussian(n, d, 1);
  const scores = Float32Array.from(pca(X, n, d, { nComponents: 3 }).scores);

  it('PCA: map points placed again land on themselves; a mean of points lands on the mean of their coordinates', async () => {
    const Q = new Float64Array(3 * d);
    Q.set(X.subarray(0, d), 0);
    Q.set(X.subarray(7 * d, 8 * d), d);
    for (let j = 0; j < d; j++) Q[2 * d + j] = (X[2 * d + j]! + X[3 * d + j]!) / 2;
    const r = await placeTask(payload('pca', X, n, d, scores, Q, 3));
    expect(r.method).toBe('pca-projection');
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(r.points[c]! - scores[c]!)).toBeLessThan(1e-5);
      expect(Math.abs(r.points[3 + c]! - scores[7 * 3 + c]!)).toBeLessThan(1e-5);
      expect(Math.abs(r.points[6 + c]! - (scores[2 * 3 + c]! + scores[3 * 3 + c]!) / 2)).toBeLessThan(1e-5);
    }
    expect(r.nearest[0]).toBe('c0');
  });

  it('PCA: a stored map that is not this data’s projection falls back to neighbours, with a warning', async () => {
    const wrong = Float32Array.from(scores, (v) => v * 2 + 1);
    const r = await placeTask(payload('pca', X, n, d, wrong, X.slice(0, d), 1));
    expect(r.method).toBe('knn-mean');
    expect(r.warnings.join(' ')).toMatch(/principal axes/);
  });

  it('t-SNE: the neighbour mean, said so', async () => {
    const r = await placeTask(payload('tsne', X, n, d, scores, X.slice(0, 2 * d), 2));
    expect(r.method).toBe('knn-mean');
    expect(r.note).toMatch(/t-SNE has no transform/);
    expect(Array.from(r.points.subarray(0, 3))).toEqual(Array.from(scores.subarray(0, 3))); // distance 0: on the point
  });

  it('UMAP: umap-js transform against the stored layout lands new points near their source neighbours', async () => {
    // the stored layout: well-separated clusters by label
    const Y = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(i / 1) % 3;
      Y.set([c * 20 + (i % 5) * 0.1, (i % 7) * 0.1, 0], i * 3);
    }
    const Q = new Float64Array(3 * d);
    for (let q = 0; q < 3; q++) for (let j = 0; j < d; j++) Q[q * d + j] = X[(q * 3 + q) * d + j]! + 0.01; // rows 0, 4, 8 → labels c0, c1, c2
    const r = await placeTask(payload('umap', X, n, d, Y, Q, 3));
    expect(r.method).toBe('umap-transform');
    expect(r.points.every((v) => Number.isFinite(v))).toBe(true);
    // each lands in its neighbours' cluster (clusters are 20 apart along x)
    for (let q = 0; q < 3; q++) {
      const want = (q * 3 + q) % 3;
      expect(Math.abs(r.points[q * 3]! - want * 20)).toBeLessThan(10);
    }
  });
});
