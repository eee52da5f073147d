import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cophenetic, cutTree, leafOrder, linkage, linkageFromDistances, pdist, type LinkageMethod, type LinkageMetric } from '../../../src/main/engine/hierarchy/linkage';
import { buildGenreTree, dendrogramJSON, tierLabels, tierSizes, tiersOf, treeOfRows } from '../../../src/main/engine/hierarchy/ihct';
import { treeFromTable } from '../../../src/main/engine/hierarchy/tree-params';
import { mulberry32, normal } from '../../../src/main/engine/random';
import { samePartition } from '../../helpers/hierarchy';

// scipy 1.10.1 linkage / cut_tree / fcluster('maxclust') / leaves_list on 30 points in 4-D,
// written by tests/fixtures/hierarchy/make_linkage.py.
const REF = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hierarchy/linkage.json'), 'utf8')) as {
  X: number[]; n: number; d: number;
  cases: Array<{ metric: LinkageMetric; method: LinkageMethod; Z: number[]; leaves: number[]; cut_tree: Record<string, number[]>; fcluster: Record<string, number[]> }>;
};

describe('linkage vs scipy.cluster.hierarchy', () => {
  for (const c of REF.cases) {
    it(`${c.method} / ${c.metric}: same merges, heights within 1e-9 relative, same cuts and leaf order`, () => {
      const Z = linkage(REF.X, REF.n, REF.d, c.method, c.metric);
      expect(Z.length).toBe(c.Z.length);
      for (let r = 0; r < REF.n - 1; r++) {
        expect([Z[r * 4], Z[r * 4 + 1], Z[r * 4 + 3]]).toEqual([c.Z[r * 4], c.Z[r * 4 + 1], c.Z[r * 4 + 3]]);
        expect(Math.abs(Z[r * 4 + 2]! - c.Z[r * 4 + 2]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, c.Z[r * 4 + 2]!));
      }
      expect(Array.from(leafOrder(Z))).toEqual(c.leaves);
      for (const [k, labels] of Object.entries(c.cut_tree)) {
        const ours = cutTree(Z, Number(k));
        expect(Array.from(ours)).toEqual(labels);
        expect(samePartition(ours, c.fcluster[k]!)).toBe(true);
      }
    });
  }

  it('merge heights never decrease for the five reducible methods (random data, 200 points)', () => {
    const rng = mulberry32(11);
    const X = Float64Array.from({ length: 200 * 5 }, () => normal(rng));
    for (const m of ['single', 'complete', 'average', 'weighted', 'ward'] as const) {
      const Z = linkage(X, 200, 5, m);
      for (let r = 1; r < 199; r++) expect(Z[r * 4 + 2]!).toBeGreaterThanOrEqual(Z[(r - 1) * 4 + 2]!);
      expect(Z[198 * 4 + 3]).toBe(200);
    }
  });

  it('single linkage equals the minimum-spanning-tree heights (closed form: cophenetic ≤ every direct distance)', () => {
    const rng = mulberry32(5);
    const X = Float64Array.from({ length: 60 * 3 }, () => normal(rng));
    const D = pdist(X, 60, 3);
    const Z = linkageFromDistances(D.slice(), 60, 'single');
    const C = cophenetic(Z);
    // Subdominant ultrametric: the cophenetic distance never exceeds the distance itself.
    for (let i = 0; i < D.length; i++) expect(C[i]!).toBeLessThanOrEqual(D[i]! + 1e-12);
  });

  it('rejects bad input', () => {
    expect(() => linkage([0, 0], 1, 2)).toThrow(/two points/);
    expect(() => cutTree(linkage([0, 1, 3], 3, 1), 4)).toThrow(/k must be/);
    expect(() => linkageFromDistances(Float64Array.of(1, NaN, 2), 3, 'single')).toThrow(/finite/);
  });
});

describe('IHCT genre tree and tiers', () => {
  it('tier schemes: powers of two, recursive halving, custom', () => {
    expect(tierSizes(10, 'pow2')).toEqual([2, 4, 8, 10]);
    expect(tierSizes(16, 'pow2')).toEqual([2, 4, 8, 16]);
    expect(tierSizes(10, 'halving')).toEqual([2, 3, 5, 10]);
    expect(tierSizes(2970, 'halving')).toEqual([2, 3, 6, 12, 24, 47, 93, 186, 372, 743, 1485, 2970]);
    expect(tierSizes(10, 'custom', [3, 6, 3])).toEqual([3, 6, 10]);
    expect(() => tierSizes(10, 'custom', [11])).toThrow(/outside/);
  });

  it('tier cuts partition the classes and nest (every tier refines the one above)', () => {
    const rng = mulberry32(3);
    const N = 23;
    const X = Float64Array.from({ length: N * 6 }, () => normal(rng));
    for (const m of ['single', 'complete', 'average', 'weighted', 'ward'] as const) {
      const tree = treeOfRows({ data: X, rows: N, cols: 6 }, Array.from({ length: N }, (_, i) => `g${i}`), m);
      for (const scheme of ['pow2', 'halving'] as const) {
        const tiers = tiersOf(tree.Z, tierSizes(N, scheme));
        tiers.sizes.forEach((k, t) => {
          const a = tiers.assign[t]!;
          // A partition into exactly k non-empty clusters.
          expect(new Set(a).size).toBe(k);
          expect(Math.max(...a)).toBe(k - 1);
          if (t > 0) {
            // Nesting: genres in one cluster share the parent cluster of the tier above.
            for (let g = 0; g < N; g++) expect(tiers.parent[t]![a[g]!]).toBe(tiers.assign[t - 1]![g]);
            // Children counts add up to this tier's size; relative indices are below the branching factor.
            expect(tiers.children[t]!.reduce((s, v) => s + v, 0)).toBe(k);
          }
          for (const v of tiers.childIndex[t]!) expect(v).toBeLessThan(tiers.branching);
        });
        expect(Array.from(tiers.assign[tiers.assign.length - 1]!)).toEqual(Array.from({ length: N }, (_, i) => i));
      }
    }
  });

  it('genre means: two well separated families of genres end up on the two sides of the root', () => {
    const rng = mulberry32(9);
    const rows = 400;
    const y = Int32Array.from({ length: rows }, (_, i) => i % 4);
    // genres 0,1 around +4 on every column, genres 2,3 around −4; each genre offset a little.
    const X = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) for (let j = 0; j < 3; j++) X[r * 3 + j] = (y[r]! < 2 ? 4 : -4) + (y[r]! % 2) * 0.7 + 0.3 * normal(rng);
    const tree = buildGenreTree({ data: X, rows, cols: 3 }, y, ['a', 'b', 'c', 'd'], 'average');
    const tiers = tiersOf(tree.Z, [2, 4]);
    expect(Array.from(tiers.assign[0]!)).toEqual([0, 0, 1, 1]);
    expect(tierLabels(tiers, Int32Array.of(3, 0))[0]).toEqual(Int32Array.of(1, 0));
    const json = dendrogramJSON(tree, tiers);
    expect(json.merges[json.merges.length - 1]![3]).toBe(4);
    expect(json.order).toHaveLength(4);
    expect(json.merges).toHaveLength(3);
    expect(json.linkage).toBe('average');
  });

  it('treeFromTable: track tables cluster genre means, per-genre tables cluster rows, bad cells are named', () => {
    // Genre means (raw): a = (0, 0.5), b = (1, 0.5), c = (10, 10.5): a and b join first.
    const tracks = [['filename', 'f1', 'f2', 'label'], ['x1', '0', '0', 'b'], ['x2', '2', '1', 'b'], ['x3', '0', '1', 'a'], ['x4', '0', '0', 'a'], ['x5', '10', '10', 'c'], ['x6', '10', '11', 'c']];
    const json = treeFromTable(tracks, { linkage: 'average', tiers: 'custom', customTiers: [2] });
    expect(json.labels).toEqual(['a', 'b', 'c']);
    expect(json.merges[0]!.slice(0, 2)).toEqual([0, 1]);
    expect(json.tiers!.assign[0]).toEqual([0, 0, 1]);
    const perGenre = [['genres', 'x', 'y'], ['rock', '0', '0'], ['punk', '0.1', '0'], ['jazz', '5', '5']];
    const g = treeFromTable(perGenre, { labelColumn: 'genres', linkage: 'single' });
    expect(g.labels).toEqual(['rock', 'punk', 'jazz']);
    expect(g.merges[0]!.slice(0, 2)).toEqual([0, 1]);
    expect(() => treeFromTable([['genres', 'x'], ['a', '1'], ['b', 'oops']], { labelColumn: 'genres' })).toThrow(/row 2, column "x"/);
  });
});
