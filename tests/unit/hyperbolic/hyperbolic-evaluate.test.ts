// Reconstruction mean rank / MAP against ../shared/reference/poincare_eval.py, parent retrieval
// against ../shared/reference/parents_eval.py and Ward linkage against scipy 1.10.1 — all values from
// tests/fixtures/hyperbolic/make_hyperbolic_reference.py — plus properties.
import { describe, expect, it } from 'vitest';
import { buildAdjacency, hasNeighbour } from '../../../src/main/engine/hyperbolic/graph';
import { reconstruction } from '../../../src/main/engine/hyperbolic/evaluate';
import { evaluateParents, nearestNeighbours, parentCandidates, parseTaxonomy } from '../../../src/main/engine/hyperbolic/parents';
import { condensedDistances, cutLinkage, leafOrder, wardFromCondensed, wardLinkage } from '../../../src/main/engine/hyperbolic/ward';
import { poincareDistanceAt } from '../../../src/main/engine/hyperbolic/math';
import { REF, expectAllClose, f64 } from './hyperbolic-helpers';

describe('CSR adjacency', () => {
  it('sorts, de-duplicates, drops self-loops and answers membership by binary search', () => {
    const adj = buildAdjacency(5, [0, 2, 0, 3, 1, 4], [2, 0, 4, 3, 0, 0], true);
    expect(Array.from(adj.offsets)).toEqual([0, 3, 4, 5, 5, 6]);
    expect(Array.from(adj.targets)).toEqual([1, 2, 4, 0, 0, 0]);
    expect(hasNeighbour(adj, 0, 4)).toBe(true);
    expect(hasNeighbour(adj, 4, 0)).toBe(true);
    expect(hasNeighbour(adj, 3, 3)).toBe(false);
    expect(hasNeighbour(adj, 1, 2)).toBe(false);
    const directed = buildAdjacency(3, [0, 1], [1, 2], false);
    expect(hasNeighbour(directed, 1, 0)).toBe(false);
  });
});

describe('reconstruction mean rank and MAP (poincare_eval.py, 1e-12)', () => {
  const r = REF.eval;
  const X = f64(r.X);
  const adj = buildAdjacency(r.n, r.src, r.dst, true);
  it('Poincaré distances, including exact ties (duplicate points) ranked by index', () => {
    const s = reconstruction(X, r.n, r.dim, adj, 'poincare');
    expect(Math.abs(s.meanRank - r.meanRank)).toBeLessThan(1e-12);
    expect(Math.abs(s.map - r.map)).toBeLessThan(1e-12);
    expect(s.pairs).toBe(2 * r.src.length);
  });
  it('Euclidean distances (the same ranking code with the distance swapped)', () => {
    const s = reconstruction(X, r.n, r.dim, adj, 'euclidean');
    expect(Math.abs(s.meanRank - r.euclideanMeanRank)).toBeLessThan(1e-12);
    expect(Math.abs(s.map - r.euclideanMap)).toBeLessThan(1e-12);
  });
  it('is perfect (mean rank 1, MAP 1) when every neighbour is nearer than every non-neighbour', () => {
    // two tight clusters far apart, each a clique
    const pts = [0.5, 0, 0.51, 0, 0.5, 0.01, -0.5, 0, -0.51, 0.01];
    const a = buildAdjacency(5, [0, 0, 1, 3], [1, 2, 2, 4], true);
    const s = reconstruction(f64(pts), 5, 2, a);
    expect(s.meanRank).toBe(1);
    expect(s.map).toBe(1);
    expect(s.nodes).toBe(5);
  });
});

describe('parent retrieval (parents_eval.py, exact to its 3 printed decimals)', () => {
  const r = REF.parents;
  const emb = { names: r.names as string[], vectors: f64(r.X), dim: r.dim as number };
  it.each(['0', '0.3'])('hit@1/5/10, plain and constrained, --min-cos %s', (c) => {
    const ev = evaluateParents(emb, r.taxonomy, { minCos: Number(c) });
    const want = r.results[c];
    expect(ev.pairs).toBe(want.plain.pairs);
    expect(ev.taxonomyPairs).toBe(21);
    for (const [mine, theirs] of [[ev.plain, want.plain], [ev.constrained, want.constrained]] as const) {
      expect(Math.abs(mine.hit1 - theirs['hit@1'])).toBeLessThan(5e-4);
      expect(Math.abs(mine.hit5 - theirs['hit@5'])).toBeLessThan(5e-4);
      expect(Math.abs(mine.hit10 - theirs['hit@10'])).toBeLessThan(5e-4);
    }
    // the details agree with the rates, and 'Dream Pop' was matched case-insensitively
    expect(ev.details.some((d) => d.child === 'dream pop')).toBe(true);
    expect(ev.details.filter((d) => d.plain >= 0 && d.plain < 10).length / ev.pairs).toBeCloseTo(ev.plain.hit10, 12);
  });
  it('constrained candidates are all more general (smaller norm) and within the angle; plain neighbours are sorted', () => {
    const q = r.names.indexOf('hard rock');
    const nrm = (i: number): number => Math.hypot(...Array.from(emb.vectors.subarray(i * 4, i * 4 + 4)));
    const cands = parentCandidates(emb, q, { k: 30, minCos: 0.2 });
    for (const c of cands) {
      expect(nrm(c.index)).toBeLessThan(nrm(q));
      let dot = 0;
      for (let k = 0; k < 4; k++) dot += emb.vectors[c.index * 4 + k] * emb.vectors[q * 4 + k];
      expect(dot / (nrm(c.index) * nrm(q))).toBeGreaterThanOrEqual(0.2);
    }
    const nn = nearestNeighbours(emb, q, { k: 5 });
    expect(nn.length).toBe(5);
    for (let i = 1; i < nn.length; i++) expect(nn[i].distance).toBeGreaterThanOrEqual(nn[i - 1].distance);
    expect(nn[0].distance).toBeCloseTo(poincareDistanceAt(emb.vectors, q, emb.vectors, nn[0].index, 4), 12);
    expect(nn.map((x) => x.index)).not.toContain(q);
  });
  it('Euclidean retrieval ranks by Euclidean distance in a given Euclidean embedding', () => {
    // a Euclidean "embedding" that puts every child right next to its parent scores hit@1 = 1
    const names = ['rock', 'hard rock', 'pop', 'dance pop'];
    const vec = f64([0, 0, 0.01, 0, 5, 5, 5.01, 5]);
    const ev = evaluateParents(emb, 'rock---hard rock\t1\npop---dance pop\t1\n', { euclidean: { names, vectors: vec, dim: 2 } });
    expect(ev.euclideanSource).toBe('euclidean-embedding');
    expect(ev.euclidean.hit1).toBe(1);
  });
  it('compact matching joins Last.fm-style names ("hardrock") to spaced ones', () => {
    const text = 'rock---hardrock\t1\npop---dancepop\t1\n';
    expect(evaluateParents(emb, text).pairs).toBe(0);
    expect(evaluateParents(emb, text, { match: 'compact' }).pairs).toBe(2);
    expect(parseTaxonomy('genre/subgenre\tx\nrock\t1\nrock---punk\t2\n')).toEqual({ pairs: [['rock', 'punk']], roots: ['rock'] });
  });
});

describe('Ward linkage (scipy.cluster.hierarchy.linkage, method="ward")', () => {
  const r = REF.ward;
  const X = f64(r.X);
  it('on Euclidean coordinates: the same Z (merges, heights 1e-12, sizes) and leaf order', () => {
    const link = wardLinkage(X, r.n, r.dim, 'euclidean');
    expectAllClose(link.Z, r.Zeuclidean, 1e-12);
    expect(Array.from(leafOrder(link))).toEqual(r.leavesEuclidean);
  });
  it('on a condensed Poincaré distance matrix: the same Z and leaf order', () => {
    const link = wardFromCondensed(condensedDistances(X, r.n, r.dim, 'poincare'), r.n);
    expectAllClose(link.Z, r.Zpoincare, 1e-10);
    expect(Array.from(leafOrder(link))).toEqual(r.leavesPoincare);
  });
  it('cutting the tree gives the same partitions as scipy fcluster(maxclust)', () => {
    const samePartition = (a: ArrayLike<number>, b: ArrayLike<number>): void => {
      for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) expect(a[i] === a[j]).toBe(b[i] === b[j]);
    };
    samePartition(cutLinkage(wardLinkage(X, r.n, r.dim, 'euclidean'), 4), r.fcluster4);
    samePartition(cutLinkage(wardLinkage(X, r.n, r.dim, 'poincare'), 7), r.fcluster7);
    const one = cutLinkage(wardLinkage(X, r.n, r.dim), 1);
    expect(new Set(one).size).toBe(1);
    expect(new Set(cutLinkage(wardLinkage(X, r.n, r.dim), r.n)).size).toBe(r.n);
  });
  it('heights never decrease (Ward is monotone) and the last merge holds every point', () => {
    const link = wardLinkage(X, r.n, r.dim);
    for (let t = 1; t < r.n - 1; t++) expect(link.Z[4 * t + 2]).toBeGreaterThanOrEqual(link.Z[4 * (t - 1) + 2]);
    expect(link.Z[4 * (r.n - 2) + 3]).toBe(r.n);
  });
});
