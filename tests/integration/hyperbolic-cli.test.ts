// `genrelab poincare | parents | neighbours | evaluate-parents` as a user runs them: a small genre tree
// (its parents are known), JSON and TSV outputs, exit codes and messages for bad input, and — when
// ../shared/data is beside the checkout — the Spotify 2021 table with a few epochs and the Discogs
// taxonomy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sharedPath } from '../helpers/shared';
import { CHILDREN, PARENTS, TREE, genreTreeCsv, genreTreeTaxonomy } from '../helpers/hyperbolic-tree';

let dir: string;
const bin = join(repoRoot, 'bin', 'genrelab.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, GENRELAB_DATA_DIR: join(dir, 'data') }, timeout: 300_000 });
const json = (r: ReturnType<typeof run>) => {
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-hyper-cli-'));
  writeFileSync(join(dir, 'tree.csv'), genreTreeCsv({ badRows: true }).csv);
  writeFileSync(join(dir, 'tree.stats'), genreTreeTaxonomy());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('genrelab poincare / parents / neighbours / evaluate-parents', () => {
  const emb = () => join(dir, 'emb.json');

  it('poincare embeds the tree, prints the summary and writes {"model","dim","names","vectors"}', () => {
    const s = json(run('poincare', '--cooccurrence', join(dir, 'tree.csv'), '--dim', '2', '--epochs', '200', '--seed', '1', '--out', emb(), '--json'));
    expect(Object.keys(s).sort()).toEqual(['edges', 'map', 'meanRank', 'nodes', 'seconds']);
    expect(s.nodes).toBe(20);
    expect(s.edges).toBe(19);
    expect(s.map).toBeGreaterThanOrEqual(0.95);
    expect(s.meanRank).toBeGreaterThanOrEqual(1);
    expect(s.meanRank).toBeLessThan(1.5);
    expect(s.seconds).toBeGreaterThan(0);
    const doc = JSON.parse(readFileSync(emb(), 'utf8'));
    expect(doc.model).toBe('poincare');
    expect(doc.dim).toBe(2);
    expect([...doc.names].sort()).toEqual([...PARENTS, ...CHILDREN].sort());
    expect(doc.vectors).toHaveLength(20);
    for (const v of doc.vectors as number[][]) {
      expect(v).toHaveLength(2);
      expect(Math.hypot(v[0]!, v[1]!)).toBeLessThan(1);
    }
    // The same seed gives the same vectors.
    const again = join(dir, 'again.json');
    json(run('poincare', '--cooccurrence', join(dir, 'tree.csv'), '--dim', '2', '--epochs', '200', '--seed', '1', '--out', again, '--json'));
    expect(JSON.parse(readFileSync(again, 'utf8')).vectors).toEqual(doc.vectors);
  });

  it('writes a name<TAB>vector TSV when --out ends in .tsv, and the Euclidean baseline with --euclidean', () => {
    const tsv = join(dir, 'emb.tsv');
    json(run('poincare', '--cooccurrence', join(dir, 'tree.csv'), '--dim', '3', '--epochs', '20', '--out', tsv, '--json'));
    const rows = readFileSync(tsv, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.length === 4 && r.slice(1).every((x) => Number.isFinite(Number(x))))).toBe(true);
    const e = join(dir, 'euc.json');
    const s = json(run('poincare', '--cooccurrence', join(dir, 'tree.csv'), '--dim', '2', '--epochs', '200', '--euclidean', '--out', e, '--json'));
    expect(s.map).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(e, 'utf8')).model).toBe('euclidean');
    // The TSV reads back as an embedding.
    const p = json(run('neighbours', '--embedding', tsv, '--genre', 'bebop', '-k', '3', '--json'));
    expect(p.neighbours).toHaveLength(3);
  });

  it('parents finds each subgenre’s parent nearer the centre; neighbours lists the nearest genres', () => {
    const r = json(run('parents', '--embedding', emb(), '--genre', 'queens hip hop', '-k', '3', '--json'));
    expect(r.genre).toBe('queens hip hop');
    expect(r.parents[0].name).toBe('hip hop');
    for (const h of r.parents) {
      expect(h.norm).toBeLessThan(r.norm);
      expect(h.cos).toBeGreaterThanOrEqual(0);
    }
    const text = run('parents', '--embedding', emb(), '--genre', 'Queens Hip-Hop', '-k', '2');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('Likely parents of “queens hip hop”');
    expect(text.stdout).toMatch(/1\. hip hop/);
    // (every subgenre's first candidate: see evaluate-parents' hit@1 below)
    const j = json(run('parents', '--embedding', emb(), '--genre', TREE.jazz![0]!, '-k', '1', '--json'));
    expect(j.parents[0].name).toBe('jazz');
    const n = json(run('neighbours', '--embedding', emb(), '--genre', 'swing', '-k', '4', '--json'));
    expect(n.neighbours).toHaveLength(4);
    expect(n.neighbours.map((h: { name: string }) => h.name)).toContain('jazz');
    const d = n.neighbours.map((h: { distance: number }) => h.distance);
    expect(d).toEqual([...d].sort((a, b) => a - b));
  });

  it('evaluate-parents reports hit@1/5/10 for the three retrievals', () => {
    const r = json(run('evaluate-parents', '--embedding', emb(), '--taxonomy', join(dir, 'tree.stats'), '--euclidean', join(dir, 'euc.json'), '--json'));
    expect(r.pairs).toBe(16);
    expect(r.taxonomyPairs).toBe(16);
    expect(r.constrained.hit1).toBeGreaterThanOrEqual(14 / 16);
    expect(r.constrained.hit10).toBe(1);
    for (const m of ['constrained', 'plain', 'euclidean']) {
      expect(r[m].hit1).toBeLessThanOrEqual(r[m].hit5);
      expect(r[m].hit5).toBeLessThanOrEqual(r[m].hit10);
    }
    expect(r.euclideanSource).toBe('euclidean-embedding');
    const t = run('evaluate-parents', '--embedding', emb(), '--taxonomy', join(dir, 'tree.stats'));
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('16 of 16 parent–child pairs');
    expect(t.stdout).toContain('Euclidean distance, same vectors');
  });

  it('refuses bad input with a clear message and exit status 2', () => {
    const unknown = run('parents', '--embedding', emb(), '--genre', 'qeens hip hop');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown genre "qeens hip hop"; did you mean "queens hip hop"');
    const missing = run('poincare', '--cooccurrence', join(dir, 'none.csv'), '--out', join(dir, 'x.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    expect(run('poincare', '--cooccurrence', join(dir, 'tree.csv')).stderr).toContain('--out');
    expect(run('poincare', '--cooccurrence', join(dir, 'tree.csv'), '--dim', '1', '--out', join(dir, 'x.json')).stderr).toContain('dimension');
    expect(run('poincare', '--cooccurrence', join(dir, 'tree.csv'), '--tau', '0.3', '--out', join(dir, 'x.json')).stderr).toContain('--directed');
    expect(run('parents', '--embedding', emb(), '--genre', 'rock', '--frobnicate').stderr).toContain('unknown option --frobnicate');
    writeFileSync(join(dir, 'bad.json'), '{"names":["a"],"vectors":[[0.1, "x"]]}');
    expect(run('neighbours', '--embedding', join(dir, 'bad.json'), '--genre', 'a').stderr).toContain('non-finite');
    writeFileSync(join(dir, 'nogenres.csv'), 'artist,styles\n1,"[\'rock\']"\n');
    const cols = run('poincare', '--cooccurrence', join(dir, 'nogenres.csv'), '--out', join(dir, 'x.json'), '--json');
    expect(cols.status).toBe(2);
    expect(JSON.parse(cols.stdout).error.message).toContain('genres');
    const help = run('--help');
    for (const c of ['poincare', 'parents', 'neighbours', 'evaluate-parents']) expect(help.stdout).toContain(`genrelab ${c}`);
  });

  it('embeds the Spotify 2021 table (a few epochs) and scores parents on the Discogs taxonomy', () => {
    const table = sharedPath('spotify-genres/data_w_genres_artists_genres_only_2021.csv', 'hyperbolic CLI on Spotify');
    const discogs = sharedPath('genre-taxonomy/acousticbrainz-mediaeval2017-discogs-train.stats', 'hyperbolic CLI on Discogs');
    if (!table || !discogs) return;
    const out = join(dir, 'spotify.json');
    const s = json(run('poincare', '--cooccurrence', table, '--dim', '10', '--epochs', '3', '--burn-in', '1', '--out', out, '--json'));
    // SOURCES.md / REFERENCE.md: 2,952 genres with a co-occurrence, 26,196 undirected edges
    expect(s.nodes).toBe(2952);
    expect(s.edges).toBe(26196);
    expect(s.map).toBeGreaterThan(0);
    expect(s.map).toBeLessThanOrEqual(1);
    const p = json(run('parents', '--embedding', out, '--genre', 'queens hip hop', '-k', '5', '--json'));
    expect(p.parents.length).toBeGreaterThan(0);
    const e = json(run('evaluate-parents', '--embedding', out, '--taxonomy', discogs, '--json'));
    expect(e.pairs).toBe(120); // REFERENCE.md: 120 Discogs pairs have both names in the 2021 table
    const d = json(run('poincare', '--cooccurrence', table, '--directed', '--tau', '0.3', '--dim', '5', '--epochs', '1', '--burn-in', '0', '--out', join(dir, 'd.json'), '--json'));
    expect(d.edges).toBeGreaterThan(0);
    expect(d.edges).toBeLessThan(2 * 26196);
  });
});
