// Poincaré / Euclidean embedding training: the per-relation gradient against finite differences of
// the loss, a 3-level balanced tree embedded in the 2-D disk (Nickel & Kiela's setting: the
// transitive closure of a hierarchy), the step-wise API, seeding and the negative sampler.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/main/engine/random';
import { AliasTable, EmbeddingTrainer, trainEmbedding } from '../../../src/main/engine/hyperbolic/poincare';
import { reconstruction } from '../../../src/main/engine/hyperbolic/evaluate';
import { buildAdjacency } from '../../../src/main/engine/hyperbolic/graph';
import { euclideanDistanceAt, expMap, poincareDistanceAt } from '../../../src/main/engine/hyperbolic/math';

/** Balanced tree with branching b and 3 levels (root, b children, b² grandchildren); edges = transitive closure. */
function tree(b: number): { n: number; src: number[]; dst: number[]; parent: number[] } {
  const parent = [-1];
  for (let i = 0; i < b; i++) parent.push(0);
  for (let i = 1; i <= b; i++) for (let j = 0; j < b; j++) parent.push(i);
  const src: number[] = [];
  const dst: number[] = [];
  for (let v = 1; v < parent.length; v++) for (let a = parent[v]; a >= 0; a = parent[a]) {
    src.push(v);
    dst.push(a);
  }
  return { n: parent.length, src, dst, parent };
}

describe('per-relation loss and update', () => {
  // loss = −log(e^{−d(u,v)} / Σ_{w ∈ {v} ∪ negatives} e^{−d(u,w)}), from the definition
  const lossOf = (P: Float64Array, dim: number, u: number, v: number, negs: number[], poincare: boolean): number => {
    const d = (w: number): number => (poincare ? poincareDistanceAt(P, u, P, w, dim) : euclideanDistanceAt(P, u, P, w, dim));
    let z = 0;
    for (const w of [v, ...negs]) z += Math.exp(-d(w));
    return d(v) + Math.log(z);
  };
  it.each(['poincare', 'euclidean'] as const)('%s: the update is −rate · factor · ∂loss/∂θ with ∂ from central differences (1e-6 relative)', (geometry) => {
    const n = 8;
    const dim = 4;
    const t = new EmbeddingTrainer({ n, src: [0, 1], dst: [1, 2], directed: false }, { dim, negatives: 5, geometry, initRange: 0.6, seed: 3 });
    const P = t.params;
    const poincare = geometry === 'poincare';
    const u = 0;
    const v = 1;
    const negs = [3, 4, 5, 6, 7];
    const { loss, update } = t.relationUpdate(u, v, negs, 0.5);
    expect(loss).toBeCloseTo(lossOf(P, dim, u, v, negs, poincare), 12);
    for (const node of [u, v, ...negs, 2]) {
      let sq = 0;
      for (let k = 0; k < dim; k++) sq += P[node * dim + k] ** 2;
      const factor = poincare ? (1 - sq) ** 2 / 4 : 1;
      for (let k = 0; k < dim; k++) {
        const h = 1e-6;
        const keep = P[node * dim + k];
        P[node * dim + k] = keep + h;
        const up = lossOf(P, dim, u, v, negs, poincare);
        P[node * dim + k] = keep - h;
        const dn = lossOf(P, dim, u, v, negs, poincare);
        P[node * dim + k] = keep;
        const want = -0.5 * factor * ((up - dn) / (2 * h));
        expect(Math.abs(update[node * dim + k] - want)).toBeLessThan(1e-6 * Math.max(1e-3, Math.abs(want)));
      }
    }
    // node 2 takes no part: no update; and the call leaves the parameters and scratch untouched
    for (let k = 0; k < dim; k++) expect(update[2 * dim + k]).toBe(0);
    const again = t.relationUpdate(u, v, negs, 0.5);
    expect(Array.from(again.update)).toEqual(Array.from(update));
  });
});

describe('one optimiser step', () => {
  // 3 nodes, one relation 0 → 1, one negative: node 2 is the only non-neighbour, so the step is known
  // (uniform sampling: drawn ∝ degree, node 2, which has no edge, would never be a negative)
  const g = { n: 3, src: [0], dst: [1], directed: false };
  it.each(['first-order', 'exp'] as const)('%s retraction: θ ← θ + v, or θ ← exp_θ(v) (math.ts expMap), with v the relation’s update', (retraction) => {
    const t = new EmbeddingTrainer(g, { dim: 3, negatives: 1, burnIn: 0, epochs: 1, lr: 0.7, initRange: 0.5, seed: 5, bothDirections: false, retraction, batchSize: 1, sampling: 'uniform' });
    const before = t.params.slice();
    const { update } = t.relationUpdate(0, 1, [2], 0.7);
    t.epoch();
    for (let i = 0; i < 3; i++) {
      const theta = before.subarray(3 * i, 3 * i + 3);
      const v = update.subarray(3 * i, 3 * i + 3);
      const want = retraction === 'exp' ? expMap(theta, v) : theta.map((x, k) => x + v[k]);
      expectCloseArr(Array.from(t.params.subarray(3 * i, 3 * i + 3)), Array.from(want));
    }
    expect(update.some((x) => x !== 0)).toBe(true);
  });
});

describe('a 3-level balanced tree (branching 4, 21 nodes) in the 2-D Poincaré disk', () => {
  const tr = tree(4);
  const adj = buildAdjacency(tr.n, tr.src, tr.dst, true);
  const opts = { dim: 2, epochs: 100, negatives: 5, lr: 0.3 };
  it.each([0, 1, 2])('seed %i: MAP ≥ 0.95, every parent nearer the centre than its children, all points inside the ball', (seed) => {
    const { params } = trainEmbedding({ n: tr.n, src: tr.src, dst: tr.dst, directed: false }, { ...opts, seed });
    const s = reconstruction(params, tr.n, 2, adj, 'poincare');
    expect(s.map).toBeGreaterThanOrEqual(0.95);
    const nrm = (i: number): number => Math.hypot(params[2 * i], params[2 * i + 1]);
    for (let v = 1; v < tr.n; v++) expect(nrm(tr.parent[v])).toBeLessThan(nrm(v));
    for (let i = 0; i < tr.n; i++) expect(nrm(i)).toBeLessThanOrEqual(1 - 1e-5);
  });
  it('with the exponential-map retraction too: MAP ≥ 0.95 and parents nearer the centre', () => {
    const { params } = trainEmbedding({ n: tr.n, src: tr.src, dst: tr.dst, directed: false }, { ...opts, seed: 0, retraction: 'exp' });
    expect(reconstruction(params, tr.n, 2, adj, 'poincare').map).toBeGreaterThanOrEqual(0.95);
    const nrm = (i: number): number => Math.hypot(params[2 * i], params[2 * i + 1]);
    for (let v = 1; v < tr.n; v++) expect(nrm(tr.parent[v])).toBeLessThan(nrm(v));
  });
  it('the Euclidean baseline trained the same way reconstructs the tree worse in 2-D (the paper’s point)', () => {
    let hyp = 0;
    let euc = 0;
    for (const seed of [0, 1, 2]) {
      const h = trainEmbedding({ n: tr.n, src: tr.src, dst: tr.dst, directed: false }, { ...opts, seed });
      const e = trainEmbedding({ n: tr.n, src: tr.src, dst: tr.dst, directed: false }, { ...opts, seed, geometry: 'euclidean' });
      hyp += reconstruction(h.params, tr.n, 2, adj, 'poincare').map;
      euc += reconstruction(e.params, tr.n, 2, adj, 'euclidean').map;
    }
    expect(hyp / 3).toBeGreaterThan(euc / 3 + 0.1);
  });
});

describe('step-wise training', () => {
  const tr = tree(3);
  const g = { n: tr.n, src: tr.src, dst: tr.dst, directed: false };
  it('runs burn-in epochs at lr/10, reports a falling loss per epoch, and stops when asked', () => {
    const t = new EmbeddingTrainer(g, { dim: 3, epochs: 20, burnIn: 4, lr: 0.2, seed: 1 });
    const logs: number[] = [];
    const first = t.epoch();
    expect(first).toMatchObject({ epoch: 1, burnIn: true, lr: 0.02 });
    t.run((log) => {
      logs.push(log.loss);
      expect(Number.isFinite(log.loss)).toBe(true);
      if (log.epoch === 5) expect(log).toMatchObject({ burnIn: false, lr: 0.2 });
    });
    expect(t.epochsRun).toBe(24);
    expect(t.done).toBe(true);
    expect(logs[logs.length - 1]).toBeLessThan(first.loss);
    expect(() => t.epoch()).toThrow(/all epochs/);
    const s = new EmbeddingTrainer(g, { dim: 3, epochs: 20, burnIn: 4, seed: 1 });
    s.run((log) => log.epoch >= 7);
    expect(s.epochsRun).toBe(7);
    expect(s.done).toBe(false);
    // an AbortSignal stops it before the next epoch; step() is one more epoch
    const ctl = new AbortController();
    s.run((log) => {
      if (log.epoch === 9) ctl.abort();
    }, ctl.signal);
    expect(s.epochsRun).toBe(9);
    expect(s.step().epoch).toBe(10);
  });
  it('the linear schedule decays lr to lrFinal · lr over the main epochs', () => {
    const t = new EmbeddingTrainer(g, { dim: 2, epochs: 5, burnIn: 1, lr: 0.4, schedule: 'linear', lrFinal: 0.25 });
    const lrs: number[] = [];
    t.run((log) => void lrs.push(log.lr));
    expectCloseArr(lrs, [0.04, 0.4, 0.325, 0.25, 0.175, 0.1]);
  });
  it('is reproducible from its seed, and different seeds give different embeddings', () => {
    const a = trainEmbedding(g, { dim: 3, epochs: 5, seed: 42 }).params;
    const b = trainEmbedding(g, { dim: 3, epochs: 5, seed: 42 }).params;
    const c = trainEmbedding(g, { dim: 3, epochs: 5, seed: 43 }).params;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
  it('rejects bad settings', () => {
    expect(() => new EmbeddingTrainer(g, { dim: 0 })).toThrow(/dim/);
    expect(() => new EmbeddingTrainer(g, { negatives: 0 })).toThrow(/negatives/);
    expect(() => new EmbeddingTrainer(g, { lr: -1 })).toThrow(/learning rate/);
    expect(() => new EmbeddingTrainer(g, { batchSize: 1.5 })).toThrow(/batchSize/);
    expect(() => new EmbeddingTrainer({ n: 3, src: [0, 1], dst: [1, 3], directed: false })).toThrow(/outside/);
  });
});

function expectCloseArr(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 12));
}

describe('alias sampler', () => {
  it('draws each index with probability weight/total (1e5 draws, within 4 standard errors)', () => {
    const w = Float64Array.from([5, 0, 1, 3, 0.5, 10]);
    const table = new AliasTable(w);
    const rng = mulberry32(9);
    const counts = new Array(w.length).fill(0);
    const N = 100_000;
    for (let i = 0; i < N; i++) counts[table.draw(rng)]++;
    const total = w.reduce((a, b) => a + b, 0);
    w.forEach((x, i) => {
      const p = x / total;
      const se = Math.sqrt((p * (1 - p)) / N);
      expect(Math.abs(counts[i] / N - p)).toBeLessThanOrEqual(4 * se + 1e-12);
    });
    expect(counts[1]).toBe(0);
  });
});
