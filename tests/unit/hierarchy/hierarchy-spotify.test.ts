// Real data: the Spotify per-genre table in ../shared/data (skipped with a message when absent).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readCsv } from '../../../src/main/engine/features/csv';
import { dendrogramJSON, tierSizes, tiersOf, treeOfRows } from '../../../src/main/engine/hierarchy/ihct';
import { cutTree, type LinkageMethod, type LinkageMetric } from '../../../src/main/engine/hierarchy/linkage';

const repoRoot = path.resolve(__dirname, '../../..');
const FILE = path.join(path.resolve(repoRoot, '../shared/data'), 'spotify-genres/data_by_genres.csv');
const have = existsSync(FILE);
if (!have) console.warn(`hierarchy-spotify: skipped, ${FILE} is absent`);

// scipy 1.10.1 linkage / cut_tree on the same standardised table, written by tests/fixtures/hierarchy/make_spotify.py.
const REF = JSON.parse(readFileSync(path.resolve(repoRoot, 'tests/fixtures/hierarchy/spotify.json'), 'utf8')) as {
  n: number; columns: string[]; cases: Array<{ method: LinkageMethod; metric: LinkageMetric; top_heights: number[]; cut8: number[] }>;
};

describe.skipIf(!have)('IHCT tree of the Spotify per-genre table (~2,970 genres)', () => {
  const rows = have ? readCsv(FILE) : [];
  const header = rows[0] ?? [];
  const gi = header.indexOf('genres');
  const body = rows.slice(1).filter((r) => r.length === header.length);
  const cols = header.map((_, j) => j).filter((j) => j !== gi);
  const X = { data: Float64Array.from(body.flatMap((r) => cols.map((j) => Number(r[j])))), rows: body.length, cols: cols.length };
  const labels = body.map((r) => r[gi]!);

  for (const c of REF.cases) {
    it(`${c.method} / ${c.metric}: last 40 merge heights within 1e-9 relative, 8-cluster cut equal to scipy's`, () => {
      expect(X.rows).toBe(REF.n);
      expect(cols.map((j) => header[j])).toEqual(REF.columns);
      const tree = treeOfRows(X, labels, c.method, c.metric);
      const n = X.rows;
      c.top_heights.forEach((h, i) => {
        const r = n - 1 - 40 + i;
        expect(Math.abs(tree.Z[r * 4 + 2]! - h)).toBeLessThanOrEqual(1e-9 * Math.max(1, h));
      });
      expect(Array.from(cutTree(tree.Z, 8))).toEqual(c.cut8);
      const tiers = tiersOf(tree.Z, tierSizes(n, 'halving'));
      expect(tiers.sizes[tiers.sizes.length - 1]).toBe(n);
      for (let t = 1; t < tiers.sizes.length; t++) for (let g = 0; g < n; g += 97) expect(tiers.parent[t]![tiers.assign[t]![g]!]).toBe(tiers.assign[t - 1]![g]);
      const json = dendrogramJSON(tree);
      expect(json.order).toHaveLength(n);
      expect(new Set(json.order).size).toBe(new Set(labels).size);
    });
  }
});
