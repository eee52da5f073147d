// Co-occurrence import: every odd case of the Spotify tables (counts worked out by hand from the
// tables below), both list styles, edge lists, the directed rule, and the real files' published
// counts (../shared/data/SOURCES.md and ../shared/REFERENCE.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cooccurrenceFromCsv, dropIsolated, parseGenreList, type CooccurrenceReport, type GenreGraph } from '../../../src/main/engine/hyperbolic/cooccurrence';
import { repoRoot } from './hyperbolic-helpers';

const edgeSet = (g: GenreGraph): Map<string, number> => {
  const m = new Map<string, number>();
  for (let e = 0; e < g.src.length; e++) m.set(`${g.names[g.src[e]]} > ${g.names[g.dst[e]]}`, g.weight[e]);
  return m;
};

function expectNoNaN(rep: CooccurrenceReport): void {
  for (const [k, v] of Object.entries(rep)) if (typeof v === 'number') expect(Number.isFinite(v), k).toBe(true);
}

describe('parseGenreList', () => {
  it('reads Python list literals with both quote styles, escapes, commas and apostrophes inside names', () => {
    expect(parseGenreList(`['alternative metal', 'nu metal']`)).toEqual({ ok: true, genres: ['alternative metal', 'nu metal'], python: true });
    expect(parseGenreList(`["children's music", 'kids', "canzone d'autore"]`)).toMatchObject({ genres: ["children's music", 'kids', "canzone d'autore"] });
    expect(parseGenreList(`['rock \\'n\\' roll', 'say \\"hi\\"', 'back\\\\slash', 'caf\\xe9']`)).toMatchObject({ genres: ["rock 'n' roll", 'say "hi"', 'back\\slash', 'café'] });
    expect(parseGenreList(`['folk, world, & country', 'pop',]`)).toMatchObject({ genres: ['folk, world, & country', 'pop'] });
    expect(parseGenreList('[]')).toEqual({ ok: true, genres: [], python: true });
    expect(parseGenreList('  ')).toEqual({ ok: true, genres: [], python: false });
  });
  it('reads plain comma-separated strings, with double-quoted names', () => {
    expect(parseGenreList('comedy rock, comic, parody')).toEqual({ ok: true, genres: ['comedy rock', 'comic', 'parody'], python: false });
    expect(parseGenreList('"childrens folk", "childrens music", kids dance party')).toMatchObject({ genres: ['childrens folk', 'childrens music', 'kids dance party'] });
  });
  it('rejects malformed lists with a reason', () => {
    for (const bad of [`['rock', 'pop'`, `['rock' 'pop']`, `[rock, pop]`, `['rock]`, `['a'] trailing`, `"unterminated, x`, `['bad \\x4']`]) {
      const r = parseGenreList(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    }
  });
});

// Lines (1 = header). Line 3's artist name spans two lines, so every later row starts one line lower.
const ITEMS = [
  'artists,genres', //                                           1
  `A,"['rock', 'pop rock', 'pop']"`, //                          2  rock–pop rock, rock–pop, pop rock–pop
  `"Multi`, //                                                   3
  `line","['pop rock', 'rock', 'rock']"`, //                     4  duplicate 'rock' (1 repeat); rock–pop rock
  'C,[]', //                                                     5  no genres
  'D,', //                                                       6  no genres (empty field)
  `E,"['rock', 'pop'"`, //                                       7  malformed (no closing ])
  `F,"[""children's music"", 'kids']"`, //                       8  children's music–kids
  `G,['ambient']`, //                                            9  isolated genre
  `H,"['folk, world, & country', 'x']"`, //                      10 a name with commas
  'I,"jazz, ""cool jazz"""', //                                  11 plain style: jazz–cool jazz
  `J,"['a' 'b']"`, //                                            12 malformed (missing comma)
  'K,only,three', //                                             13 malformed (3 fields)
  `L,"['pop rock', 'rock']"`, //                                 14 rock–pop rock again
].join('\n') + '\n';

describe('cooccurrenceFromCsv on an item table with every odd case', () => {
  const { graph, report } = cooccurrenceFromCsv(ITEMS);
  it('counts rows, empty lists, malformed rows (with line numbers), duplicates and both list styles', () => {
    expect(report.format).toBe('items');
    expect(report.rows).toBe(12); // A … L
    expect(report.itemsWithGenres).toBe(7); // A, Multi-line, F, G, H, I, L
    expect(report.rowsWithoutGenres).toBe(2); // C, D
    expect(report.malformed).toBe(3);
    expect(report.malformedLines).toEqual([7, 12, 13]);
    expect(report.malformedReasons[0]).toMatch(/unterminated/);
    expect(report.duplicateMentions).toBe(1);
    expect(report.pythonListRows).toBe(7); // A, Multi-line, C ([]), F, G, H, L; not D (empty field) nor the malformed E, J
    expect(report.plainListRows).toBe(1);
    expectNoNaN(report);
  });
  it('builds the undirected graph: weight = shared items, each edge once', () => {
    expect(graph.directed).toBe(false);
    const names = new Set(graph.names);
    for (const g of ['rock', 'pop rock', 'pop', "children's music", 'kids', 'ambient', 'folk, world, & country', 'x', 'jazz', 'cool jazz']) expect(names.has(g), g).toBe(true);
    expect(graph.names.length).toBe(10);
    const e = new Map<string, number>();
    for (let k = 0; k < graph.src.length; k++) {
      expect(graph.src[k]).toBeLessThan(graph.dst[k]);
      e.set([graph.names[graph.src[k]], graph.names[graph.dst[k]]].sort().join(' | '), graph.weight[k]);
    }
    expect(Object.fromEntries(e)).toEqual({
      'pop rock | rock': 3, 'pop | rock': 1, 'pop | pop rock': 1, "children's music | kids": 1,
      'folk, world, & country | x': 1, 'cool jazz | jazz': 1,
    });
    const count = (g: string): number => graph.itemCounts[graph.names.indexOf(g)];
    expect(count('rock')).toBe(3);
    expect(count('pop rock')).toBe(3);
    expect(count('pop')).toBe(1);
  });
  it('reports isolated genres, components and the largest genres', () => {
    expect(report.nodes).toBe(10);
    expect(report.edges).toBe(6);
    expect(report.isolated).toBe(1);
    expect(report.isolatedNames).toEqual(['ambient']);
    expect(report.components).toBe(5); // {rock, pop rock, pop}, {children's music, kids}, {ambient}, {folk…, x}, {jazz, cool jazz}
    expect(report.largestComponent).toBe(3);
    expect(report.topGenres.slice(0, 2).map((t) => t.name).sort()).toEqual(['pop rock', 'rock']);
    const { graph: g2, index } = dropIsolated(graph);
    expect(g2.names).not.toContain('ambient');
    expect(g2.names.length).toBe(9);
    for (let k = 0; k < g2.src.length; k++) expect(g2.names[g2.src[k]]).toBe(graph.names[index[g2.src[k]]]);
  });
  it('builds the directed graph with threshold τ: i → j when j is on ≥ τ of i’s items', () => {
    // rock: 3 items, pop rock on all 3; pop: 1 item, with rock and pop rock
    const d = cooccurrenceFromCsv(ITEMS, { directed: true, tau: 0.5 });
    const e = edgeSet(d.graph);
    expect(e.get('pop > rock')).toBe(1); // 1/1 ≥ 0.5
    expect(e.has('rock > pop')).toBe(false); // 1/3 < 0.5
    expect(e.get('rock > pop rock')).toBe(3);
    expect(e.get('pop rock > rock')).toBe(3);
    expect(d.graph.directed).toBe(true);
    const low = edgeSet(cooccurrenceFromCsv(ITEMS, { directed: true, tau: 0.3 }).graph);
    expect(low.has('rock > pop')).toBe(true); // 1/3 ≥ 0.3
    expect(() => cooccurrenceFromCsv(ITEMS, { directed: true, tau: 0 })).toThrow(/tau/);
  });
  it('minShared drops rare pairs', () => {
    const { graph: g } = cooccurrenceFromCsv(ITEMS, { minShared: 2 });
    expect(g.src.length).toBe(1);
  });
});

describe('cooccurrenceFromCsv on the plain-string style (data_w_genres.csv) and on edge lists', () => {
  it('reads the plain style with quoted names and the [] marker', () => {
    const text = 'genres,artists,count\n"comedy rock, comic, parody",W,1\n"""childrens folk"", ""childrens music"", kids dance party",X,2\n[],Y,3\n"a, a, b",Z,4\n';
    const { graph, report } = cooccurrenceFromCsv(text);
    expect(report.plainListRows).toBe(3);
    expect(report.rowsWithoutGenres).toBe(1);
    expect(report.duplicateMentions).toBe(1);
    expect(graph.names).toContain('childrens music');
    expect(report.edges).toBe(3 + 3 + 1);
    expectNoNaN(report);
  });
  it('reads source,target,weight edge lists: sums repeats, drops self-loops, flags bad rows', () => {
    const text = 'source,target,weight\nrock,pop,2\npop,rock,1.5\nrock,rock,3\njazz,,1\nblues,jazz,x\nfunk,soul,\nsoul,funk,1\n';
    const { graph, report } = cooccurrenceFromCsv(text);
    expect(report.format).toBe('edges');
    expect(report.selfLoopsDropped).toBe(1);
    expect(report.malformed).toBe(2);
    expect(report.malformedLines).toEqual([5, 6]);
    expect(report.duplicateMentions).toBe(2);
    const e = edgeSet(graph);
    expect(e.get('rock > pop')).toBe(3.5);
    expect(e.get('funk > soul')).toBe(2); // empty weight = 1
    expect(report.components).toBe(2);
    expect(report.isolated).toBe(0); // 'jazz' and 'blues' never became nodes: their rows were malformed
    const d = cooccurrenceFromCsv(text, { directed: true });
    expect(edgeSet(d.graph).get('pop > rock')).toBe(1.5);
    expectNoNaN(d.report);
  });
  it('an empty file gives an empty graph and a zero report', () => {
    const { graph, report } = cooccurrenceFromCsv('');
    expect(graph.names.length).toBe(0);
    expectNoNaN(report);
    const h = cooccurrenceFromCsv('artists,genres\n');
    expect(h.report.rows).toBe(0);
    expect(h.report.components).toBe(0);
  });
});

describe('the real Spotify tables (../shared/data)', () => {
  const dir = path.resolve(repoRoot, '../shared/data/spotify-genres');
  let ok = true;
  try {
    readFileSync(path.join(dir, 'data_w_genres.csv'), { flag: 'r' });
  } catch {
    ok = false;
    console.warn(`[skip] hyperbolic-cooccurrence real tables: ${dir} is absent (../shared/data is not beside this checkout)`);
  }
  // distinct genres / co-occurring pairs / artists with ≥ 1 genre, from SOURCES.md's table; the 2021
  // table's 2,952 non-isolated genres and 26,196 edges are gensim's graph (REFERENCE.md)
  it.skipIf(!ok).each([
    ['data_w_genres.csv', 2972, 26784, 18823, 28680],
    ['data_w_genres_2020v1.csv', 2604, 24288, 16403, 22727],
    ['data_w_genres_artists_genres_only_2021.csv', 3232, 26196, 18976, 32539],
  ])('%s: %i genres, %i pairs, %i artists with genres', (file, genres, pairs, withGenres, rows) => {
    const { graph, report } = cooccurrenceFromCsv(readFileSync(path.join(dir, file), 'utf8'));
    expect(report.nodes).toBe(genres);
    expect(report.edges).toBe(pairs);
    expect(report.itemsWithGenres).toBe(withGenres);
    expect(report.rows).toBe(rows);
    expect(report.malformed).toBe(0);
    expectNoNaN(report);
    if (file.includes('2021')) expect(dropIsolated(graph).graph.names.length).toBe(2952);
  });
});
