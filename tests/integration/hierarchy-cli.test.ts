// The hierarchical models from the command line: `genrelab tree` against scipy on small fixed tables
// (and on the Spotify per-genre table when ../shared/data is there), `train` with the genre-tree
// flags (metrics.json carries average precision and coverage error, recomputed here from
// predictions.csv, and the per-node variants), flag errors, and `genrelab explain`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/engine/features/csv';
import { coverageError, macroAveragePrecision } from '../../src/main/engine/hierarchy/metrics';
import { samePartition } from '../helpers/hierarchy';
import { repoRoot, sharedPath } from '../helpers/shared';

// scipy 1.10.1 linkage / leaves_list / cut_tree(n_clusters 3) of two small tables, written by
// tests/fixtures/hierarchy/make_cli_tree.py (the tables are in the fixture as CSV text).
const REF = JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/hierarchy/cli_tree.json'), 'utf8')) as {
  per_genre_csv: string;
  genres: string[];
  track_csv: string;
  labels: string[];
  cases: Array<{ table: 'per-genre' | 'tracks'; method: string; metric: string; Z: number[][]; leaves: number[]; cut3: number[] }>;
};

let dir: string;
const bin = join(repoRoot, 'bin', 'genrelab.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, GENRELAB_DATA_DIR: join(dir, 'data') }, timeout: 300_000 });

interface TreeOut {
  format: string;
  labels: string[];
  merges: [number, number, number, number][];
  linkage: string;
  metric: string;
  order: string[];
  tiers?: { sizes: number[]; assign: number[][] };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-hier-cli-'));
  writeFileSync(join(dir, 'per-genre.csv'), REF.per_genre_csv);
  writeFileSync(join(dir, 'tracks.csv'), REF.track_csv);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('genrelab tree', () => {
  it('writes scipy’s linkage matrix, leaf order and 3-cluster cut for both tables and every linkage', () => {
    for (const c of REF.cases) {
      const out = join(dir, `tree-${c.table}-${c.method}-${c.metric}.json`);
      const r = run('tree', '--features', join(dir, `${c.table}.csv`), '--linkage', c.method, '--metric', c.metric, '--tiers', '3', '--out', out, '--json');
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim());
      const doc = JSON.parse(readFileSync(out, 'utf8')) as TreeOut;
      const names = c.table === 'per-genre' ? REF.genres : REF.labels;
      expect(summary.leaves).toBe(names.length);
      expect(doc.format).toBe('genrelab-tree');
      expect(doc.linkage).toBe(c.method);
      expect(doc.metric).toBe(c.metric);
      expect(doc.labels).toEqual(names);
      expect(doc.merges).toHaveLength(names.length - 1);
      doc.merges.forEach((m, i) => {
        const z = c.Z[i]!;
        expect([m[0], m[1], m[3]], `${c.table} ${c.method} row ${i}`).toEqual([z[0], z[1], z[3]]);
        expect(Math.abs(m[2] - z[2]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, z[2]!));
      });
      expect(doc.order).toEqual(c.leaves.map((i) => names[i]));
      expect(doc.tiers!.sizes).toEqual([3, names.length]);
      expect(samePartition(doc.tiers!.assign[0]!, c.cut3), `${c.table} ${c.method}/${c.metric} cut`).toBe(true);
    }
  });

  it('--group-by names the genre column; a missing column and Ward with cosine are errors', () => {
    const a = join(dir, 'g1.json');
    expect(run('tree', '--features', join(dir, 'per-genre.csv'), '--group-by', 'genres', '--out', a).status).toBe(0);
    const ward = REF.cases.find((c) => c.table === 'per-genre' && c.method === 'ward')!;
    expect((JSON.parse(readFileSync(a, 'utf8')) as TreeOut).merges.map((m) => m.slice(0, 2))).toEqual(ward.Z.map((z) => z.slice(0, 2)));
    const bad = run('tree', '--features', join(dir, 'tracks.csv'), '--group-by', 'genre', '--out', join(dir, 'g2.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no "genre" column');
    const cos = run('tree', '--features', join(dir, 'tracks.csv'), '--linkage', 'ward', '--metric', 'cosine', '--out', join(dir, 'g3.json'));
    expect(cos.status).toBe(2);
    expect(cos.stderr).toMatch(/Ward/);
  });

  const spotify = sharedPath('spotify-genres/data_by_genres.csv', 'genrelab tree on the Spotify per-genre table');
  it.skipIf(!spotify)('the Spotify per-genre table (2,973 genres): top merge heights equal scipy’s', () => {
    // Top heights from tests/fixtures/hierarchy/make_spotify.py (scipy 1.10.1 on the same standardised table).
    const ref = JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/hierarchy/spotify.json'), 'utf8')) as { n: number; cases: Array<{ method: string; metric: string; top_heights: number[] }> };
    const out = join(dir, 'spotify.json');
    const r = run('tree', '--features', spotify!, '--linkage', 'ward', '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as TreeOut;
    expect(doc.labels).toHaveLength(ref.n);
    expect(new Set(doc.order).size).toBe(new Set(doc.labels).size);
    const top = ref.cases.find((c) => c.method === 'ward')!.top_heights;
    top.forEach((h, i) => expect(Math.abs(doc.merges[ref.n - 1 - top.length + i]![2] - h)).toBeLessThanOrEqual(1e-9 * h));
  });
});

describe('genrelab train with the genre-tree flags, and explain', () => {
  it('per-node --linkage ward: metrics.json has AP and coverage error (equal to predictions.csv’s) and the three variants', () => {
    const out = join(dir, 'pernode');
    const r = run('train', '--features', join(dir, 'tracks.csv'), '--model', 'per-node', '--linkage', 'ward', '--cv', '3', '--db', join(dir, 't.sqlite'), '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // The figures again, from the written per-track probabilities (filename,label,predicted,confidence,<labels>).
    const rows = parseCsv(readFileSync(join(out, 'predictions.csv'), 'utf8')).filter((x) => x.length > 1);
    const labels = rows[0]!.slice(4);
    expect(labels).toEqual(REF.labels);
    const body = rows.slice(1);
    const y = Int32Array.from(body, (x) => labels.indexOf(x[1]!));
    const P = Float64Array.from(body.flatMap((x) => x.slice(4).map(Number)));
    // predictions.csv rounds to 6 decimals, so ties may differ from the stored floats: tolerance 1e-4.
    expect(Math.abs(m.ap - macroAveragePrecision(y, P, labels.length))).toBeLessThan(1e-4);
    expect(Math.abs(m.coverageError - coverageError(y, P, labels.length))).toBeLessThan(1e-4);
    expect(m.ap).toBeGreaterThan(0);
    expect(m.ap).toBeLessThanOrEqual(1);
    expect(m.coverageError).toBeGreaterThanOrEqual(1);
    expect(m.coverageError).toBeLessThanOrEqual(labels.length);
    const variants = m.hierarchy.perNode.variants as Array<{ variant: string; accuracy: number; ap: number }>;
    expect(variants.map((v) => v.variant)).toEqual(['flat', 'hierarchical', 'hint']);
    // The hierarchical variant is the run itself (same folds, same model).
    const hier = variants.find((v) => v.variant === 'hierarchical')!;
    expect(hier.accuracy).toBeCloseTo(m.accuracy, 12);
    expect(hier.ap).toBeCloseTo(m.ap, 12);
    expect(m.hierarchy.perNode.superGenres.join('+').split('+').sort()).toEqual([...REF.labels].sort());
    const params = JSON.parse(readFileSync(join(out, 'model', 'genrelab-model.json'), 'utf8')).params;
    expect(params).toMatchObject({ linkage: 'ward', superMethod: 'linkage' });
  });

  it('a flat model gets AP and coverage error too; flags that do not apply are errors', () => {
    const out = join(dir, 'knn');
    const r = run('train', '--features', join(dir, 'tracks.csv'), '--model', 'knn', '--k-neighbours', '3', '--cv', '3', '--db', join(dir, 't.sqlite'), '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(typeof m.ap).toBe('number');
    expect(typeof m.coverageError).toBe('number');
    expect(m.hierarchy).toBeUndefined();
    const bad = run('train', '--features', join(dir, 'tracks.csv'), '--model', 'graphsage', '--tiers', 'pow2', '--out', join(dir, 'x'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--tiers does not apply to graphsage');
    const bad2 = run('train', '--features', join(dir, 'tracks.csv'), '--model', 'graphsage', '--reduce', 'umap', '--out', join(dir, 'x'));
    expect(bad2.status).toBe(2);
    expect(bad2.stderr).toContain('graphsage.reduce must be one of none, pca, tsne');
  });

  it('explain: φ per row and class add up to f(x) − E f(background); per-class mean |φ| for every feature', () => {
    const out = join(dir, 'shap.json');
    const r = run('explain', '--model', join(dir, 'pernode', 'model'), join(dir, 'tracks.csv'), '--rows', '8', '--background', '6', '--samples', '64', '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.features).toEqual(['f1', 'f2', 'f3', 'f4']);
    expect(doc.labels).toEqual(REF.labels);
    expect(doc.rows).toHaveLength(8);
    // Two rows of each genre (stratified).
    expect(doc.rows.map((x: { label: string }) => x.label).sort()).toEqual(REF.labels.flatMap((l) => [l, l]));
    for (const row of doc.rows as Array<{ proba: number[]; base: number[]; phi: number[][] }>) {
      expect(row.phi).toHaveLength(4);
      row.proba.forEach((p, c) => expect(Math.abs(row.base[c]! + row.phi.reduce((s, f) => s + f[c]!, 0) - p)).toBeLessThan(1e-9));
    }
    // 4 features: 2^4 − 2 = 14 coalitions fit in 64, so these are exact Shapley values.
    expect(doc.coalitions).toBe(15);
    for (const l of REF.labels) expect(Object.keys(doc.global.meanAbs[l])).toEqual(['f1', 'f2', 'f3', 'f4']);
  });
});

if (!existsSync(bin)) throw new Error(`${bin} is missing`);
