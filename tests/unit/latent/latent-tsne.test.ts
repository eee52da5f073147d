// t-SNE: neighbours, affinities, gradient and a whole exact run against scikit-learn 1.2.1
// (reference values from tests/fixtures/latent/make_latent_reference.py), plus properties of the
// Barnes–Hut approximation, determinism, cluster preservation and the input guards.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { mulberry32 } from '../../../src/main/engine/random';
import { conditionalP, symmetrize, type SparseP } from '../../../src/main/engine/latent/affinity';
import { BHTree } from '../../../src/main/engine/latent/bhtree';
import { knnExact } from '../../../src/main/engine/latent/knn';
import { RepulsionPool } from '../../../src/main/engine/latent/parallel';
import { neighborhoodPreservation, trustworthiness } from '../../../src/main/engine/latent/quality';
import { TSNE, exactRepulsion } from '../../../src/main/engine/latent/tsne';
import { REF, blobs, expectClose, f64 } from './latent-helpers';

/** sklearn's condensed exact P (upper triangle) as a full CSR matrix without the diagonal. */
function csrFromCondensed(cond: number[], n: number): SparseP {
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const at = (i: number, j: number) => (i < j ? cond[n * i - (i * (i + 1)) / 2 + j - i - 1] : cond[n * j - (j * (j + 1)) / 2 + i - j - 1]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      cols.push(j);
      vals.push(at(i, j));
    }
    rowPtr[i + 1] = cols.length;
  }
  return { n, rowPtr, cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('knnExact', () => {
  it('matches sklearn NearestNeighbors (brute) on 50 × 4: same indices, squared distances to 1e-12', () => {
    const r = REF.knn;
    const res = knnExact(f64(r.X), r.n, r.d, r.k);
    expect(Array.from(res.indices)).toEqual(r.indices);
    expectClose(res.sqDistances, r.sq_distances, 1e-12, 1e-12);
  });

  it('is exact on data with duplicates and n not a multiple of the 4-row tile (property: brute-force sort)', () => {
    const rng = mulberry32(11);
    const n = 103;
    const d = 5;
    const X = new Float64Array(n * d).map(() => Math.round(rng() * 4)); // many ties and duplicates
    const k = 7;
    const res = knnExact(X, n, d, k);
    for (let i = 0; i < n; i++) {
      const all: [number, number][] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let t = 0; t < d; t++) s += (X[i * d + t] - X[j * d + t]) ** 2;
        all.push([s, j]);
      }
      all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(Array.from(res.indices.subarray(i * k, i * k + k))).toEqual(all.slice(0, k).map((p) => p[1]));
      expect(Array.from(res.sqDistances.subarray(i * k, i * k + k))).toEqual(all.slice(0, k).map((p) => p[0]));
    }
  });
});

describe('t-SNE affinities', () => {
  it('match sklearn _joint_probabilities_nn (perplexity 5, k = 16) to 1e-9', () => {
    const a = REF.affinity;
    const nn = knnExact(f64(a.X), a.n, a.d, a.k);
    const P = symmetrize(conditionalP(nn.sqDistances, a.n, a.k, a.perplexity), nn.indices, a.n, a.k);
    expect(Array.from(P.rowPtr)).toEqual(a.indptr);
    expect(Array.from(P.cols)).toEqual(a.indices);
    // sklearn rounds the distances to float32 before the binary search: ~1e-10 absolute here.
    expectClose(P.vals, a.data, 1e-9);
    expect(P.vals.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('each conditional row reaches the perplexity: exp(entropy) = 5 ± 1e-4 (closed form)', () => {
    const a = REF.affinity;
    const nn = knnExact(f64(a.X), a.n, a.d, a.k);
    const C = conditionalP(nn.sqDistances, a.n, a.k, a.perplexity);
    for (let i = 0; i < a.n; i++) {
      let h = 0;
      let s = 0;
      for (let j = 0; j < a.k; j++) {
        const p = C[i * a.k + j];
        s += p;
        if (p > 0) h -= p * Math.log(p);
      }
      expect(s).toBeCloseTo(1, 12);
      expect(Math.abs(Math.exp(h) - a.perplexity)).toBeLessThan(1e-4);
    }
  });

  it("the 'exact' method's P matches sklearn _joint_probabilities to 1e-9", () => {
    const a = REF.affinity;
    const t = new TSNE({ dim: 2, perplexity: a.perplexity, method: 'exact' }).init(f64(a.X), a.n, a.d);
    expect(t.method).toBe('exact');
    const P = t.affinities;
    const ref = csrFromCondensed(a.P_exact_condensed, a.n);
    expect(Array.from(P.rowPtr)).toEqual(Array.from(ref.rowPtr));
    expect(Array.from(P.cols)).toEqual(Array.from(ref.cols));
    expectClose(P.vals, ref.vals, 1e-9);
  });
});

describe('t-SNE gradient', () => {
  it('exact gradient and KL at a fixed Y match sklearn _kl_divergence (2-D, 1e-9)', () => {
    const a = REF.affinity;
    const g = REF.tsne_gradient;
    const t = new TSNE({ dim: 2, method: 'exact', init: f64(g.Y) }).initWithAffinities(csrFromCondensed(a.P_exact_condensed, a.n));
    const grad = new Float64Array(a.n * 2);
    t.gradient(1, grad);
    expectClose(grad, g.grad, 1e-12, 1e-9);
    expect(Math.abs(t.klDivergence() - g.kl)).toBeLessThan(1e-9);
  });

  it('equals central differences of the KL divergence in 3-D (exact method, rel. 1e-6)', () => {
    const { X, n, d } = blobs([[0, 0, 0, 0], [3, 3, 0, 0]], 10, 1, mulberry32(3));
    const rng = mulberry32(4);
    const Y0 = new Float64Array(n * 3).map(() => rng() * 4 - 2);
    const t = new TSNE({ dim: 3, perplexity: 4, method: 'exact', init: Y0 }).init(X, n, d);
    const grad = new Float64Array(n * 3);
    t.gradient(1, grad);
    const Y = t.getEmbedding();
    const h = 1e-5;
    const fd = new Float64Array(n * 3);
    for (let c = 0; c < n * 3; c++) {
      const y = Y[c];
      Y[c] = y + h;
      const up = t.klDivergence();
      Y[c] = y - h;
      const down = t.klDivergence();
      Y[c] = y;
      fd[c] = (up - down) / (2 * h);
    }
    expect(relErr(grad, fd)).toBeLessThan(1e-6);
  });

  it('Barnes–Hut with theta = 0 is the exact repulsion; theta = 0.5 is within 2 % on Z and 5 % on the forces (2-D quadtree, 3-D octree)', () => {
    const rng = mulberry32(5);
    for (const dim of [2, 3]) {
      const n = 500;
      const Y = new Float64Array(n * dim).map(() => (rng() - 0.5) * 40);
      for (let t = 0; t < dim; t++) Y[7 * dim + t] = Y[3 * dim + t]; // a duplicate pair
      const ex = new Float64Array(n * dim);
      const zEx = exactRepulsion(Y, n, dim, ex);
      const tree = new BHTree(n, dim);
      tree.build(Y);
      const r0 = new Float64Array(n * dim);
      const z0 = tree.repulsion(0, r0);
      expect(Math.abs(z0 - zEx) / zEx).toBeLessThan(1e-12);
      expect(relErr(r0, ex)).toBeLessThan(1e-12);
      const r5 = new Float64Array(n * dim);
      const z5 = tree.repulsion(0.5, r5);
      // Monopole Barnes–Hut at theta 0.5 on a uniform cloud (where net forces largely cancel):
      // measured 1.4 % / 3.8 % in 2-D and 0.6 % / 2.4 % in 3-D.
      expect(Math.abs(z5 - zEx) / zEx).toBeLessThan(0.02);
      expect(relErr(r5, ex)).toBeLessThan(0.05);
    }
  });
});

describe('BHTree edge cases', () => {
  it('near-duplicates one ulp apart (splits that cannot separate them) and 1-D input stay exact at theta = 0', () => {
    const n = 600;
    for (const dim of [1, 3]) {
      const Y = new Float64Array(n * dim);
      const rng = mulberry32(21);
      for (let i = 0; i < n; i += 2) {
        for (let t = 0; t < dim; t++) {
          // v with an odd last mantissa bit, and the next double above it: (v + v') / 2 rounds
          // (half to even) onto v', so the midpoint split cannot separate the pair.
          const buf = new Float64Array([1 + rng()]);
          const bits = new BigInt64Array(buf.buffer);
          bits[0] |= 1n;
          Y[i * dim + t] = buf[0];
          bits[0] += 1n;
          Y[(i + 1) * dim + t] = buf[0];
        }
      }
      const ex = new Float64Array(n * dim);
      const zEx = exactRepulsion(Y, n, dim, ex);
      const tree = new BHTree(n, dim);
      tree.build(Y);
      const r0 = new Float64Array(n * dim);
      expect(Math.abs(tree.repulsion(0, r0) - zEx) / zEx).toBeLessThan(1e-12);
      expect(relErr(r0, ex)).toBeLessThan(1e-9);
      let total = 0;
      for (let id = 0; id < tree.nNodes; id++) if (tree.next[id] === id + 1) total += tree.end[id] - tree.start[id];
      expect(total).toBe(n); // every point sits in exactly one leaf
      if (dim === 1) expect(tree.nNodes).toBeLessThan(2 * n); // unsplittable pairs end as leaves, not chains
    }
  });
});

describe('parallel repulsion (worker threads)', () => {
  it('gives the single-thread forces bit for bit and Z to 1e-12 (2-D and 3-D, 3 threads)', () => {
    const rng = mulberry32(22);
    for (const dim of [2, 3]) {
      const n = 1500;
      const Y = new Float64Array(n * dim).map(() => (rng() - 0.5) * 30);
      const tree = new BHTree(n, dim, 1, true);
      tree.build(Y);
      const one = new Float64Array(n * dim);
      const z1 = tree.repulsion(0.5, one);
      const shared = new Float64Array(new SharedArrayBuffer(n * dim * 8));
      const pool = new RepulsionPool(tree, shared, 3, n);
      try {
        const z3 = pool.repulsion(0.5);
        expect(Math.abs(z3 - z1) / z1).toBeLessThan(1e-12);
        expect(Array.from(shared)).toEqual(Array.from(one));
        // a second round on a moved embedding still agrees
        for (let i = 0; i < n * dim; i++) Y[i] *= 1.5;
        tree.build(Y);
        const z1b = tree.repulsion(0.5, one);
        expect(Math.abs(pool.repulsion(0.5) - z1b) / z1b).toBeLessThan(1e-12);
        expect(Array.from(shared)).toEqual(Array.from(one));
      } finally {
        pool.dispose();
      }
      expect(() => pool.repulsion(0.5)).toThrow(/dispose/);
    }
  });

  it('a 2-thread t-SNE is deterministic, keeps clusters apart and releases its threads when done', () => {
    const { X, n, d, labels } = blobs([[0, 0, 0, 0], [9, 0, 0, 0], [0, 9, 0, 0]], 100, 1, mulberry32(23));
    const run = () => {
      const t = new TSNE({ dim: 3, nIter: 300, threads: 2, method: 'barnes-hut' }).init(X, n, d);
      expect(t.activeThreads).toBe(2);
      const Y = Array.from(t.run());
      expect(t.activeThreads).toBe(1);
      return Y;
    };
    const a = run();
    expect(run()).toEqual(a);
    const nn = knnExact(Float64Array.from(a), n, 3, 5).indices;
    let same = 0;
    for (let i = 0; i < n; i++) for (let m = 0; m < 5; m++) if (labels[nn[i * 5 + m]] === labels[i]) same++;
    expect(same / (n * 5)).toBeGreaterThan(0.99);
  });
});

describe('t-SNE optimisation', () => {
  it('reproduces sklearn\'s exact 2-D optimisation (its _gradient_descent schedule, 50 + 50 iterations) to 1e-6', () => {
    const a = REF.affinity;
    const r = REF.tsne_exact_run;
    const P = csrFromCondensed(a.P_exact_condensed, a.n);
    const t = new TSNE({
      dim: 2,
      method: 'exact',
      init: f64(r.Y0),
      learningRate: r.learning_rate,
      earlyExaggeration: r.early_exaggeration,
      exaggerationIterations: r.exaggeration_iterations,
      nIter: r.n_iter,
    }).initWithAffinities(P);
    t.run((it) => it >= r.exaggeration_iterations);
    expectClose(t.getEmbedding(), r.Y_after_phase1, 1e-6);
    t.run();
    expect(t.iteration).toBe(r.n_iter);
    expectClose(t.getEmbedding(), r.Y, 1e-6);
    expect(Math.abs(t.klDivergence() - r.kl)).toBeLessThan(1e-8);
  });

  it('is deterministic: the same seed gives the same 3-D Barnes–Hut embedding, another seed a different one', () => {
    const { X, n, d } = blobs([[0, 0, 0, 0, 0], [6, 0, 0, 0, 0], [0, 6, 0, 0, 0]], 120, 1, mulberry32(6));
    const run = (seed: number) =>
      Array.from(new TSNE({ dim: 3, init: 'random', rng: mulberry32(seed), nIter: 300, method: 'barnes-hut' }).init(X, n, d).run());
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('keeps well-separated clusters apart in 3-D (trustworthiness@10 > 0.95, 10-NN label purity > 0.99)', () => {
    const centres = [0, 1, 2, 3].map((c) => Array.from({ length: 10 }, (_, t) => (t === c ? 12 : 0)));
    const { X, n, d, labels } = blobs(centres, 150, 1, mulberry32(7));
    const t = new TSNE({ dim: 3, perplexity: 30, method: 'barnes-hut' }).init(X, n, d);
    const Y = t.run();
    expect(trustworthiness(X, n, d, Y, 3, 10)).toBeGreaterThan(0.95);
    expect(neighborhoodPreservation(X, n, d, Y, 3, 10)).toBeGreaterThan(0.3);
    const nn = knnExact(Y, n, 3, 10).indices;
    let same = 0;
    for (let i = 0; i < n; i++) for (let m = 0; m < 10; m++) if (labels[nn[i * 10 + m]] === labels[i]) same++;
    expect(same / (n * 10)).toBeGreaterThan(0.99);
  });

  it('PCA initialisation has sd 1e-4 on the first axis; learning rate auto = max(n / 48, 50)', () => {
    const { X, n, d } = blobs([[0, 0, 0], [5, 1, 0]], 1500, 1, mulberry32(8));
    const t = new TSNE({ dim: 2, nIter: 1 }).init(X, n, d);
    const Y = t.getEmbedding();
    let m = 0;
    for (let i = 0; i < n; i++) m += Y[i * 2];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (Y[i * 2] - m) ** 2;
    expect(Math.sqrt(v / n)).toBeCloseTo(1e-4, 12);
    expect(t.learningRate).toBe(3000 / 48);
    expect(new TSNE().init(X.subarray(0, 300 * 3), 300, 3).learningRate).toBe(50);
  });

  it('step / iteration / run(stop) follow the step-wise contract', () => {
    const { X, n, d } = blobs([[0, 0], [4, 4]], 40, 1, mulberry32(9));
    const t = new TSNE({ perplexity: 10, nIter: 50 }).init(X, n, d);
    expect(t.iteration).toBe(0);
    expect(t.step()).toBe(1);
    const seen: number[] = [];
    t.run((it) => {
      seen.push(it);
      return it >= 10;
    });
    expect(t.iteration).toBe(10);
    expect(seen[0]).toBe(2);
    t.run();
    expect(t.iteration).toBe(50);
    expect(t.getEmbedding().length).toBe(n * 2);
  });
});

describe('t-SNE input guards', () => {
  it('lowers the perplexity for few points, with a warning, and stays finite', () => {
    const { X, n, d } = blobs([[0, 0, 0]], 20, 1, mulberry32(10));
    const t = new TSNE({ dim: 3, perplexity: 30, nIter: 300 }).init(X, n, d);
    expect(t.perplexity).toBeCloseTo(19 / 3, 12);
    expect(t.warnings.join(' ')).toMatch(/perplexity 30 .* lowered/);
    expect(Array.from(t.run()).every(Number.isFinite)).toBe(true);
  });

  it('duplicate points, constant columns and all-identical input give finite embeddings', () => {
    const rng = mulberry32(12);
    const n = 400;
    const d = 4;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const src = i < 100 ? 0 : i; // 100 copies of row 0
      const r2 = mulberry32(src + 1);
      X[i * d] = r2() * 10;
      X[i * d + 1] = 3; // constant column
      X[i * d + 2] = r2() * 10;
      X[i * d + 3] = rng() < 2 ? 7 : 0; // constant too
    }
    for (const method of ['barnes-hut', 'exact'] as const) {
      const Y = new TSNE({ dim: 3, nIter: 300, method }).init(X, n, d).run();
      expect(Array.from(Y).every(Number.isFinite)).toBe(true);
    }
    const same = new Float64Array(50 * 3).fill(1.5);
    const t = new TSNE({ dim: 2, nIter: 300 }).init(same, 50, 3);
    expect(t.warnings.join(' ')).toMatch(/identical/);
    expect(Array.from(t.run()).every(Number.isFinite)).toBe(true);
  });

  it('refuses 200,000 points with an error that suggests PCA, UMAP or sampling', () => {
    const n = 200_000;
    const X = new Float64Array(n * 2).map((_, i) => (i * 7919) % 1000);
    let err: unknown;
    try {
      new TSNE({ dim: 3 }).init(X, n, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('bad-request');
    expect((err as AppError).message).toMatch(/200,000 points/);
    expect((err as AppError).message).toMatch(/PCA/);
    expect((err as AppError).message).toMatch(/UMAP/);
    expect((err as AppError).message).toMatch(/sample/);
    expect((err as AppError).message).toMatch(/[0-9.]+ (MiB|GiB)/);
  });

  it('rejects non-finite input and bad shapes', () => {
    expect(() => new TSNE().init(f64([0, 1, NaN, 2]), 2, 2)).toThrow(/non-finite/);
    expect(() => new TSNE().init(f64([0, 1, 2]), 2, 2)).toThrow(/need 4 values/);
    expect(() => new TSNE({ dim: 4 })).toThrow(/dim/);
  });
});
