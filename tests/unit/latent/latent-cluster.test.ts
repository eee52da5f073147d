// Clustering, indices, Hungarian matching and trustworthiness against scikit-learn 1.2.1 / scipy
// 1.10.1 (reference values from tests/fixtures/latent/make_latent_reference.py), plus properties.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/main/engine/random';
import { gaussianMixture } from '../../../src/main/engine/latent/gmm';
import { clusteringAccuracy, linearSumAssignment } from '../../../src/main/engine/latent/hungarian';
import { calinskiHarabasz, daviesBouldin, pairwiseDistances, silhouetteSamples, silhouetteScore } from '../../../src/main/engine/latent/indices';
import { kmeans } from '../../../src/main/engine/latent/kmeans';
import { neighborhoodPreservation, trustworthiness } from '../../../src/main/engine/latent/quality';
import { clusterSweep } from '../../../src/main/engine/latent/sweep';
import { REF, blobs, expectClose, f64 } from './latent-helpers';

/** Reorder k × d centres (and a label map) so that they are sorted by their first coordinate. */
function canonical(centers: ArrayLike<number>, k: number, d: number): { rows: number[][]; order: number[] } {
  const rows = Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, t) => centers[c * d + t]));
  const order = rows.map((_, c) => c).sort((a, b) => rows[a][0] - rows[b][0] || rows[a][1] - rows[b][1]);
  return { rows: order.map((c) => rows[c]), order };
}

describe('clustering indices on fixed labels (sklearn.metrics, 1e-9)', () => {
  const r = REF.indices;
  const X = f64(r.X);
  it('silhouette score and samples', () => {
    expect(Math.abs(silhouetteScore(X, r.n, r.d, r.labels) - r.silhouette)).toBeLessThan(1e-12);
    expectClose(silhouetteSamples(X, r.n, r.d, r.labels), r.silhouette_samples, 1e-12);
    // a singleton cluster scores 0; a precomputed distance matrix gives the same result
    const D = pairwiseDistances(X, r.n, r.d);
    expect(Math.abs(silhouetteScore(X, r.n, r.d, r.labels_single, D) - r.silhouette_single)).toBeLessThan(1e-12);
  });
  it('Calinski–Harabasz', () => {
    expect(Math.abs(calinskiHarabasz(X, r.n, r.d, r.labels) - r.ch) / r.ch).toBeLessThan(1e-9);
    expect(Math.abs(calinskiHarabasz(X, r.n, r.d, r.labels_single) - r.ch_single) / r.ch_single).toBeLessThan(1e-9);
  });
  it('Davies–Bouldin', () => {
    expect(Math.abs(daviesBouldin(X, r.n, r.d, r.labels) - r.db)).toBeLessThan(1e-9);
    expect(Math.abs(daviesBouldin(X, r.n, r.d, r.labels_single) - r.db_single)).toBeLessThan(1e-9);
  });
  it('reject a single label, as sklearn does', () => {
    const one = new Array(r.n).fill(3);
    expect(() => silhouetteScore(X, r.n, r.d, one)).toThrow(/number of labels is 1/);
    expect(() => calinskiHarabasz(X, r.n, r.d, one)).toThrow(/number of labels/);
  });
});

describe('Hungarian algorithm (scipy.optimize.linear_sum_assignment)', () => {
  it('matches scipy on square and rectangular matrices, minimising and maximising', () => {
    for (const c of REF.hungarian) {
      const res = linearSumAssignment(f64(c.cost), c.rows, c.cols, c.maximize);
      expect(Math.abs(res.total - c.total)).toBeLessThan(1e-9);
      if (c.row_ind) {
        expect(Array.from(res.rowInd)).toEqual(c.row_ind);
        expect(Array.from(res.colInd)).toEqual(c.col_ind);
      } else {
        expect(res.rowInd.length).toBe(Math.min(c.rows, c.cols));
      }
    }
  });

  it('is optimal against brute force over all permutations (property, 6 × 6 random)', () => {
    const rng = mulberry32(13);
    const n = 6;
    for (let rep = 0; rep < 5; rep++) {
      const C = new Float64Array(n * n).map(() => Math.floor(rng() * 20));
      let best = Infinity;
      const perm = [0, 1, 2, 3, 4, 5];
      const permute = (k: number): void => {
        if (k === n) {
          best = Math.min(best, perm.reduce((s, c, r) => s + C[r * n + c], 0));
          return;
        }
        for (let i = k; i < n; i++) {
          [perm[k], perm[i]] = [perm[i], perm[k]];
          permute(k + 1);
          [perm[k], perm[i]] = [perm[i], perm[k]];
        }
      };
      permute(0);
      const res = linearSumAssignment(C, n, n);
      expect(res.total).toBe(best);
      expect(new Set(res.colInd).size).toBe(n);
    }
  });

  it('matched clustering accuracy equals scipy on a contingency table (7 clusters × 5 classes)', () => {
    const { truth, pred, accuracy } = REF.accuracy;
    const res = clusteringAccuracy(truth, pred);
    expect(Math.abs(res.accuracy - accuracy)).toBeLessThan(1e-12);
    expect(res.mapping.length).toBe(5);
    // permuting the predicted label names does not change it
    const renamed = pred.map((p: number) => (p * 5 + 3) % 7);
    expect(clusteringAccuracy(truth, renamed).accuracy).toBeCloseTo(res.accuracy, 12);
    expect(clusteringAccuracy([0, 0, 1, 1], [5, 5, 9, 9]).accuracy).toBe(1);
  });
});

describe('k-means', () => {
  it('finds sklearn KMeans\' unique optimum on 4 well-separated blobs (centres and inertia to 1e-9)', () => {
    const r = REF.kmeans;
    const res = kmeans(f64(r.X), r.n, r.d, r.k, { rng: mulberry32(1) });
    const mine = canonical(res.centers, r.k, r.d);
    const ref = canonical(r.centers, r.k, r.d);
    expectClose(mine.rows.flat(), ref.rows.flat(), 1e-9);
    expect(Math.abs(res.inertia - r.inertia) / r.inertia).toBeLessThan(1e-9);
    expect(clusteringAccuracy(r.labels, res.labels).accuracy).toBe(1);
  });

  it('is seeded (same seed, same result) and never worse than a single restart (property)', () => {
    const { X, n, d } = blobs([[0, 0], [3, 0], [0, 3], [3, 3], [1.5, 1.5]], 60, 0.8, mulberry32(14));
    const a = kmeans(X, n, d, 5, { rng: mulberry32(2) });
    const b = kmeans(X, n, d, 5, { rng: mulberry32(2) });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    const single = kmeans(X, n, d, 5, { rng: mulberry32(2), nInit: 1 });
    expect(a.inertia).toBeLessThanOrEqual(single.inertia + 1e-9);
    // Lloyd's fixed point: every point is nearest to its own centre
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let arg = -1;
      for (let c = 0; c < 5; c++) {
        const dd = (X[i * 2] - a.centers[c * 2]) ** 2 + (X[i * 2 + 1] - a.centers[c * 2 + 1]) ** 2;
        if (dd < best) {
          best = dd;
          arg = c;
        }
      }
      expect(arg).toBe(a.labels[i]);
    }
  });

  it('handles k = n and duplicate rows without empty clusters', () => {
    const X = f64([0, 0, 0, 0, 1, 1, 5, 5]);
    const r = kmeans(X, 4, 2, 3, { rng: mulberry32(3) });
    expect(new Set(r.labels).size).toBe(3);
    expect(r.inertia).toBeCloseTo(0, 12);
  });
});

describe('Gaussian mixtures (sklearn.mixture.GaussianMixture from the same initial labels)', () => {
  const r = REF.gmm;
  for (const type of ['full', 'diag'] as const) {
    it(`${type} covariances: weights, means, covariances, lower bound, BIC to 1e-6`, () => {
      const ref = r[type];
      const g = gaussianMixture(f64(r.X), r.n, r.d, r.k, { covarianceType: type, initLabels: Int32Array.from(r.init_labels) });
      expect(g.nIter).toBe(ref.n_iter);
      expect(g.converged).toBe(ref.converged);
      expectClose(g.weights, ref.weights, 1e-6);
      expectClose(g.means, ref.means, 1e-6);
      expectClose(g.covariances, ref.covariances, 1e-6);
      expect(Math.abs(g.lowerBound - ref.lower_bound)).toBeLessThan(1e-6);
      expect(Math.abs(g.logLikelihood - ref.score)).toBeLessThan(1e-6);
      expect(Math.abs(g.bic - ref.bic) / Math.abs(ref.bic)).toBeLessThan(1e-6);
      expect(Math.abs(g.aic - ref.aic) / Math.abs(ref.aic)).toBeLessThan(1e-6);
      expect(Array.from(g.labels)).toEqual(ref.labels);
    });
  }

  it('responsibilities are distributions; seeded k-means initialisation reproduces', () => {
    const { X, n, d } = blobs([[0, 0], [6, 0], [0, 6]], 50, 1, mulberry32(15));
    const a = gaussianMixture(X, n, d, 3, { rng: mulberry32(4) });
    const b = gaussianMixture(X, n, d, 3, { rng: mulberry32(4) });
    expect(Array.from(a.means)).toEqual(Array.from(b.means));
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < 3; c++) s += a.resp[i * 3 + c];
      expect(s).toBeCloseTo(1, 12);
    }
    expect(a.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });
});

describe('trustworthiness', () => {
  it('matches sklearn.manifold.trustworthiness (k = 5 and 10) to 1e-12', () => {
    const r = REF.trust;
    expect(Math.abs(trustworthiness(f64(r.X), r.n, r.d, f64(r.Y), 2, 5) - r.t5)).toBeLessThan(1e-12);
    expect(Math.abs(trustworthiness(f64(r.X), r.n, r.d, f64(r.Y), 2, 10) - r.t10)).toBeLessThan(1e-12);
  });

  it('is 1 for an isometry and drops when the embedding is shuffled (property)', () => {
    const r = REF.trust;
    const X = f64(r.X);
    expect(trustworthiness(X, r.n, r.d, X, r.d, 5)).toBeCloseTo(1, 12);
    expect(neighborhoodPreservation(X, r.n, r.d, X, r.d, 5)).toBe(1);
    const rng = mulberry32(16);
    const Y = new Float64Array(r.n * 2).map(() => rng());
    expect(trustworthiness(X, r.n, r.d, Y, 2, 5)).toBeLessThan(0.75);
  });
});

describe('clusterSweep', () => {
  it('finds k = 4 on four separated blobs by silhouette, CH, DB and BIC, with accuracy 1 there', () => {
    const { X, n, d, labels } = blobs([[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8]], 40, 1, mulberry32(17));
    const res = clusterSweep(X, n, d, [2, 3, 4, 5, 6], ['kmeans', 'gmm-full', 'gmm-diag'], [1, 2], { trueLabels: labels });
    expect(res.cells.length).toBe(15);
    expect(res.bestK).toBe(4);
    for (const m of ['kmeans', 'gmm-full', 'gmm-diag'] as const) {
      const b = res.best[m];
      expect(b?.silhouette).toBe(4);
      expect(b?.calinskiHarabasz).toBe(4);
      expect(b?.daviesBouldin).toBe(4);
      const cell = res.cells.find((c) => c.method === m && c.k === 4);
      expect(cell?.accuracy?.mean).toBe(1);
      expect(cell?.silhouette.values.length).toBe(2);
    }
    expect(res.best['gmm-full']?.bic).toBe(4);
    expect(res.best.kmeans?.bic).toBeUndefined();
  });

  it('reports progress and stops when asked', () => {
    const { X, n, d } = blobs([[0, 0], [5, 5]], 20, 1, mulberry32(18));
    const seen: number[] = [];
    expect(() =>
      clusterSweep(X, n, d, [2, 3], ['kmeans'], [1, 2, 3], {
        onProgress: (done) => seen.push(done),
        shouldStop: () => seen.length >= 2,
      }),
    ).toThrow(/cancelled/);
    expect(seen).toEqual([1, 2]);
  });
});
