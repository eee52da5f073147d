// The Tree view's pure dendrogram helpers (src/renderer/src/lib/dendrogram.ts): layout, cuts against
// scipy's cut_tree, the cut height ↔ k round trip, tier lists against the engine's, search, SVG.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TreeDoc } from '../../../src/shared/types';
import { tierSizes } from '../../../src/main/engine/hierarchy/ihct';
import { leafOrder } from '../../../src/main/engine/hierarchy/linkage';
import { samePartition } from '../../helpers/hierarchy';
import { clustersAtHeight, cutHeight, cutTree, fractionHeight, heightFraction, layoutTree, pathToRoot, searchLeaves, tierLists, treeSvg } from '../../../src/renderer/src/lib/dendrogram';

// scipy 1.10.1 linkage / leaves_list / cut_tree(n_clusters 3), written by tests/fixtures/hierarchy/make_cli_tree.py.
const REF = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hierarchy/cli_tree.json'), 'utf8')) as {
  genres: string[];
  labels: string[];
  cases: Array<{ table: 'per-genre' | 'tracks'; method: string; metric: string; Z: number[][]; leaves: number[]; cut3: number[] }>;
};

function docOf(c: (typeof REF.cases)[number]): TreeDoc {
  const labels = c.table === 'per-genre' ? REF.genres : REF.labels;
  return {
    format: 'genrelab-tree',
    linkage: c.method,
    metric: c.metric,
    labels,
    merges: c.Z.map((z) => [z[0]!, z[1]!, z[2]!, z[3]!] as [number, number, number, number]),
    order: c.leaves.map((i) => labels[i]!),
  };
}

describe('dendrogram layout and cuts', () => {
  for (const c of REF.cases) {
    it(`${c.table} ${c.method}/${c.metric}: rows follow scipy’s leaf order; the 3-cut equals cut_tree; k ↔ height round-trips`, () => {
      const doc = docOf(c);
      const n = doc.labels.length;
      const L = layoutTree(doc);
      expect(Array.from(L.leafAt)).toEqual(c.leaves);
      // Every merge sits between its children, spans their rows, and is at its height.
      doc.merges.forEach(([a, b, h], r) => {
        const id = n + r;
        expect(L.y[id]).toBeCloseTo((L.y[a]! + L.y[b]!) / 2, 12);
        expect(L.lo[id]).toBe(Math.min(L.lo[a]!, L.lo[b]!));
        expect(L.hi[id]! - L.lo[id]! + 1).toBe(doc.merges[r]![3]);
        expect(L.h[id]).toBe(h);
      });
      expect(L.parent[2 * n - 2]).toBe(-1);
      const cut = cutTree(doc, L, 3);
      expect(cut.k).toBe(3);
      expect(samePartition(Array.from(cut.cluster.subarray(0, n)), c.cut3)).toBe(true);
      expect(cut.sizes.reduce((s, v) => s + v, 0)).toBe(n);
      // Clusters are numbered left to right.
      const firstRow = cut.sizes.map((_, k) => Math.min(...Array.from({ length: n }, (_, id) => id).filter((id) => cut.cluster[id] === k).map((id) => L.y[id]!)));
      expect(firstRow).toEqual([...firstRow].sort((a, b) => a - b));
      // Distinct heights here: the cut at cutHeight(k) leaves exactly k clusters, for every k.
      for (let k = 1; k <= n; k++) expect(clustersAtHeight(doc, cutHeight(doc, k))).toBe(k);
    });
  }

  it('the leaf order of a tree whose order is not given matches the engine’s (scipy) leaf order', () => {
    const c = REF.cases[0]!;
    const Z = Float64Array.from(c.Z.flat());
    expect(Array.from(leafOrder(Z))).toEqual(c.leaves);
  });

  it('the path from a leaf to the root, and the height ↔ fraction scales', () => {
    const doc = docOf(REF.cases.find((c) => c.table === 'tracks' && c.method === 'ward')!);
    const L = layoutTree(doc);
    const p = pathToRoot(L, 0);
    expect(p[0]).toBe(0);
    expect(p[p.length - 1]).toBe(2 * doc.labels.length - 2);
    for (const scale of ['linear', 'sqrt'] as const) {
      for (const f of [0, 0.25, 0.5, 1]) expect(heightFraction(fractionHeight(f, 8, scale), 8, scale)).toBeCloseTo(f, 12);
    }
    expect(heightFraction(2, 8, 'sqrt')).toBeCloseTo(0.5, 12);
  });
});

describe('tiers, search and the SVG', () => {
  it('pow2 and halving tier lists equal the engine’s tierSizes for N = 2 … 300', () => {
    for (let n = 2; n <= 300; n++) {
      const t = tierLists(n);
      expect(t.pow2).toEqual(tierSizes(n, 'pow2'));
      expect(t.halving).toEqual(tierSizes(n, 'halving'));
    }
  });

  it('search: exact name first, then prefixes, then substrings; case-insensitive', () => {
    const doc = docOf(REF.cases[0]!);
    const names = (q: string) => searchLeaves(doc, q).map((i) => doc.labels[i]);
    expect(names('BOP')).toEqual(['bebop', 'hard bop']);
    expect(names('house')).toEqual(['house']);
    expect(names('b')[0]).toBe('bebop');
    expect(names('  ')).toEqual([]);
  });

  it('treeSvg: one path per merge, one name per leaf, the cut line, escaped text', () => {
    const doc = docOf(REF.cases[0]!);
    const svg = treeSvg({ ...doc, labels: doc.labels.map((l, i) => (i === 0 ? 'r&b <x>' : l)), order: doc.order.map((l) => (l === doc.labels[0] ? 'r&b <x>' : l)) }, { k: 3, title: 'A & B' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(doc.merges.length);
    expect(svg.match(/<text /g)).toHaveLength(doc.labels.length + 1);
    expect(svg).toContain('r&amp;b &lt;x&gt;');
    expect(svg).toContain('stroke-dasharray');
  });
});
