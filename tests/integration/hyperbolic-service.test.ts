// The hyperbolic service against a real SQLite file and real worker threads: import reports (bad rows
// with their line numbers, isolated genres, components), training of the Poincaré embedding and its
// Euclidean baseline in parallel with epoch events, storage (both rows or neither), reload identical
// (also from a fresh process' view of the file), queries (neighbours, parents, dendrogram), exports,
// deletion, bad requests, and a cancel that stops within a second and stores nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconstruction } from '../../src/main/engine/hyperbolic/evaluate';
import { prepareGenreGraph } from '../../src/main/engine/hyperbolic/pipeline';
import { mulberry32 } from '../../src/main/engine/random';
import { trainGenreEmbedding } from '../../src/main/jobs/hyperbolic';
import { Services, unwrap } from '../../src/main/services';
import { getEmbedding, listEmbeddings } from '../../src/main/store/embeddings';
import type { HyperEpochEvent } from '../../src/shared/hyperbolic';
import { CHILDREN, PARENTS, TREE, genreTreeCsv } from '../helpers/hyperbolic-tree';

let dir: string;
let s: Services;
const table = genreTreeCsv({ badRows: true });
const N = PARENTS.length + CHILDREN.length;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-hyper-'));
  writeFileSync(join(dir, 'tree.csv'), table.csv);
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const events = (): HyperEpochEvent[] => {
  const got: HyperEpochEvent[] = [];
  s.bus.on('event', (name, payload) => {
    if (name === 'hyper.epoch') got.push(payload as HyperEpochEvent);
  });
  return got;
};

describe('hyperbolic service', () => {
  let graphId = 0;

  it('imports a table with bad rows and reports them with their line numbers', async () => {
    const g = await s.handlers['hyper.import']({ path: join(dir, 'tree.csv') });
    graphId = g.id;
    expect(g.name).toBe('tree');
    expect(g.format).toBe('items');
    expect(g.nodes).toBe(N);
    // 16 parent–child pairs, rock–electronic, jazz–hip hop, jazz rap–jazz (jazz rap–hip hop is a pair already)
    expect(g.edges).toBe(16 + 3);
    const r = g.report;
    expect(r.rows).toBe(table.rows);
    expect(r.rowsWithoutGenres).toBe(1);
    expect(r.malformed).toBe(1);
    expect(r.malformedLines).toEqual([table.malformedLine]);
    expect(r.malformedReasons[0]).toMatch(/unterminated/);
    expect(r.duplicateMentions).toBe(1);
    expect(r.isolated).toBe(0);
    // rock and electronic meet, and jazz and hip hop: two components of ten genres
    expect(r.components).toBe(2);
    expect(r.largestComponent).toBe(10);
    expect(r.topGenres[0]!.name).toBe('jazz');
    expect(await s.handlers['hyper.graphs'](undefined)).toHaveLength(1);
  });

  it('imports dropped text, edge lists with isolated genres and several components, and refuses unusable input', async () => {
    const dropped = await s.handlers['hyper.import']({ text: table.csv, name: 'dropped.csv' });
    expect(dropped.nodes).toBe(N);
    expect(dropped.sourcePath).toBe('dropped.csv');
    const edges = ['source,target,weight', 'a,b,2', 'b,c,1', 'x,y,1', 'z,z,3', 'q,,1', 'solo,solo,1'].join('\n');
    const e = await s.handlers['hyper.import']({ text: edges, name: 'edges' });
    expect(e.format).toBe('edges');
    expect(e.edges).toBe(3);
    expect(e.report.components).toBe(4); // {a,b,c}, {x,y}, {z}, {solo}
    expect(e.report.isolated).toBe(2);
    expect(e.report.selfLoopsDropped).toBe(2);
    expect(e.report.malformedLines).toEqual([6]);
    await expect(s.handlers['hyper.import']({ path: join(dir, 'nope.csv') })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(s.handlers['hyper.import']({ text: 'name,other\na,b\n' })).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringContaining('genres') });
    await expect(s.handlers['hyper.import']({ text: table.csv, directed: true, tau: 0 })).rejects.toMatchObject({ kind: 'bad-request' });
    for (const g of [dropped, e]) await s.handlers['hyper.delete']({ graphId: g.id });
    expect(await s.handlers['hyper.graphs'](undefined)).toHaveLength(1);
  });

  it('refuses bad training requests before starting a job', async () => {
    expect(() => s.hyper.startTraining({ graphId, dim: 1 })).toThrow(/dimension/);
    expect(() => s.hyper.startTraining({ graphId, lr: 0 })).toThrow(/learning rate/);
    expect(() => s.hyper.startTraining({ graphId, directed: true, tau: 1.5 })).toThrow(/τ/);
    expect(() => s.hyper.startTraining({ graphId: 999 })).toThrow(/No imported genre graph/);
    expect(listEmbeddings(s.db)).toHaveLength(0);
  });

  let poincareId = 0;
  let euclidId = 0;

  it('trains the Poincaré embedding and the Euclidean baseline, stores both, and reloads them identical', async () => {
    const got = events();
    const settings = { dim: 2, epochs: 200, negatives: 10, burnIn: 10, lr: 0.1, seed: 3 };
    const { done } = s.hyper.startTraining({ graphId, euclidean: true, ...settings });
    const out = await unwrap(done);
    expect(out.nodes).toBe(N);
    expect(out.edges).toBe(19);
    expect(out.euclideanId).not.toBeNull();
    poincareId = out.embeddingId;
    euclidId = out.euclideanId!;
    // one event per epoch per model, numbered 1..70 each
    for (const model of ['poincare', 'euclidean'] as const) {
      expect(got.filter((e) => e.model === model).map((e) => e.epoch)).toEqual(Array.from({ length: 210 }, (_, i) => i + 1));
    }
    expect(got.every((e) => Number.isFinite(e.loss))).toBe(true);
    const list = await s.handlers['hyper.embeddings'](undefined);
    expect(list.map((e) => e.model).sort()).toEqual(['euclidean', 'poincare']);
    expect(list.find((e) => e.id === poincareId)!.pairId).toBe(euclidId);
    expect(list.find((e) => e.id === euclidId)!.pairId).toBe(poincareId);

    // The worker's result is what the same code computes in this process (seeded, Float64).
    const direct = trainGenreEmbedding({ text: table.csv, directed: false, tau: 0.3, model: 'poincare', ...settings });
    const stored = getEmbedding(s.db, poincareId)!;
    expect(stored.model).toBe('poincare');
    expect(stored.dim).toBe(2);
    expect(stored.names).toEqual(direct.names);
    expect(stored.vectors).toHaveLength(N);
    for (let i = 0; i < N; i++) expect(Array.from(stored.vectors[i]!)).toEqual(Array.from(direct.vectors.subarray(2 * i, 2 * i + 2)));
    // every point strictly inside the ball
    expect(stored.vectors.every((v) => Math.hypot(v[0]!, v[1]!) < 1)).toBe(true);

    // Stored evaluation = the engine's reconstruction of the reloaded vectors.
    const prep = prepareGenreGraph(table.csv);
    const flat = Float64Array.from(stored.vectors.flatMap((v) => Array.from(v)));
    const rec = reconstruction(flat, N, 2, prep.adjacency, 'poincare');
    expect(out.evaluation.map).toBe(rec.map);
    expect(out.evaluation.meanRank).toBe(rec.meanRank);
    expect(out.evaluation.map).toBeGreaterThanOrEqual(0.95); // a small tree embeds well in the disk (issue 6)
    expect(out.euclideanEvaluation!.map).toBeGreaterThan(0);

    // The detail the renderer gets carries the same bytes, the loss history and the settings.
    const detail = await s.handlers['hyper.get']({ embeddingId: poincareId });
    expect(Buffer.from(detail.vectors, 'base64').equals(Buffer.from(flat.buffer))).toBe(true);
    expect(detail.losses).toHaveLength(210);
    expect(detail.losses.slice(0, 10).every((l) => l.burnIn)).toBe(true);
    expect(detail.settings).toMatchObject({ ...settings, directed: false, tau: null });

    // A second connection to the file sees the same rows.
    const other = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 1 });
    try {
      const again = getEmbedding(other.db, poincareId)!;
      expect(again.names).toEqual(stored.names);
      for (let i = 0; i < N; i++) expect(Array.from(again.vectors[i]!)).toEqual(Array.from(stored.vectors[i]!));
    } finally {
      await other.close();
    }
  });

  it('answers neighbour, parent and dendrogram queries', async () => {
    const nb = await s.handlers['hyper.neighbours']({ embeddingId: poincareId, genre: 'Queens Hip-Hop', k: 5 });
    expect(nb.query.name).toBe('queens hip hop');
    expect(nb.hits).toHaveLength(5);
    expect(nb.hits.map((h) => h.name)).toContain('hip hop');
    expect(nb.hits.every((h, i) => i === 0 || h.distance >= nb.hits[i - 1]!.distance)).toBe(true);
    // In the tree every subgenre's first parent candidate is its parent.
    let right = 0;
    for (const p of PARENTS) {
      for (const ch of TREE[p]!) {
        const r = await s.handlers['hyper.parents']({ embeddingId: poincareId, genre: ch, k: 3 });
        expect(r.hits.every((h) => h.norm < r.query.norm && h.cos >= 0)).toBe(true);
        if (r.hits[0]?.name === p) right++;
      }
    }
    expect(right).toBeGreaterThanOrEqual(14);
    // A narrower cone never yields more candidates.
    const wide = await s.handlers['hyper.parents']({ embeddingId: poincareId, genre: 'swing', k: 19 });
    const narrow = await s.handlers['hyper.parents']({ embeddingId: poincareId, genre: 'swing', k: 19, minCos: Math.cos((10 * Math.PI) / 180) });
    expect(narrow.hits.length).toBeLessThanOrEqual(wide.hits.length);
    expect(narrow.hits.every((h) => h.cos >= Math.cos((10 * Math.PI) / 180))).toBe(true);
    await expect(s.handlers['hyper.parents']({ embeddingId: poincareId, genre: 'qeens hip hop' })).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('"queens hip hop"') });
    await expect(s.handlers['hyper.neighbours']({ embeddingId: 4242, genre: 'rock' })).rejects.toMatchObject({ kind: 'not-found' });

    const top = await s.handlers['hyper.dendrogram']({ embeddingId: poincareId, top: 8 });
    expect(top.leaves).toHaveLength(8);
    expect(top.Z).toHaveLength(7);
    expect(top.names.slice(0, 4).sort()).toEqual([...PARENTS].sort()); // parents have the most co-occurring genres
    expect([...top.order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(top.Z.every((r, i) => i === 0 || r[2]! >= top.Z[i - 1]![2]!)).toBe(true);
    const around = await s.handlers['hyper.dendrogram']({ embeddingId: poincareId, top: 6, around: 'bebop' });
    expect(around.names[0]).toBe('bebop');
    expect(around.leaves).toHaveLength(6);
    await expect(s.handlers['hyper.dendrogram']({ embeddingId: poincareId, top: 1 })).rejects.toMatchObject({ kind: 'bad-request' });
  });

  it('exports the Embedding Projector pair, JSON and the name<TAB>vector TSV', async () => {
    const stored = getEmbedding(s.db, poincareId)!;
    const vec = await s.handlers['hyper.export']({ embeddingId: poincareId, kind: 'vectors.tsv' });
    const meta = await s.handlers['hyper.export']({ embeddingId: poincareId, kind: 'metadata.tsv' });
    const rows = vec.data.trim().split('\n').map((l) => l.split('\t').map(Number));
    expect(rows).toHaveLength(N);
    rows.forEach((r, i) => {
      expect(r[0]).toBeCloseTo(stored.vectors[i]![0]!, 9);
      expect(r[1]).toBeCloseTo(stored.vectors[i]![1]!, 9);
    });
    expect(meta.data.trim().split('\n')).toEqual(stored.names);
    const json = JSON.parse((await s.handlers['hyper.export']({ embeddingId: poincareId, kind: 'embedding.json' })).data);
    expect(json).toEqual({ model: 'poincare', dim: 2, names: stored.names, vectors: stored.vectors.map((v) => Array.from(v)) });
    const tsv = (await s.handlers['hyper.export']({ embeddingId: euclidId, kind: 'gensim.tsv' })).data;
    expect(tsv.split('\n')[0]!.split('\t')).toHaveLength(3);
  });

  it('cancels a long training within a second and stores nothing', async () => {
    // A larger random graph (600 genres, 4,000 items) trained for many epochs.
    const rng = mulberry32(11);
    const lines = ['artist,genres'];
    for (let a = 0; a < 4000; a++) {
      const k = 2 + Math.floor(rng() * 4);
      const gs = Array.from({ length: k }, () => `genre ${Math.floor(rng() * 600)}`);
      lines.push(`a${a},"[${gs.map((g) => `'${g}'`).join(', ')}]"`);
    }
    const big = await s.handlers['hyper.import']({ text: lines.join('\n'), name: 'big' });
    const before = listEmbeddings(s.db).length;
    const got = events();
    const { jobId, done } = s.hyper.startTraining({ graphId: big.id, dim: 10, epochs: 3000, burnIn: 0, euclidean: true });
    const t0 = Date.now();
    while (got.filter((e) => e.jobId === jobId).length < 2 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    expect(got.some((e) => e.jobId === jobId)).toBe(true);
    const t1 = performance.now();
    expect(s.jobs.cancel(jobId)).toBe(true);
    const info = await done;
    const ms = performance.now() - t1;
    expect(info.state).toBe('cancelled');
    expect(ms).toBeLessThan(1000);
    expect(listEmbeddings(s.db)).toHaveLength(before);
    expect((s.db.prepare('SELECT COUNT(*) AS n FROM embeddings').get() as { n: number }).n).toBe(before);
    // The pool still works after its workers were terminated.
    const again = await unwrap(s.hyper.startTraining({ graphId, dim: 2, epochs: 2, burnIn: 0 }).done);
    expect(again.euclideanId).toBeNull();
    expect(listEmbeddings(s.db)).toHaveLength(before + 1);
  });

  it('deletes an embedding and unlinks its partner', async () => {
    expect((await s.handlers['hyper.delete']({ embeddingId: euclidId })).deleted).toBe(true);
    const p = (await s.handlers['hyper.embeddings'](undefined)).find((e) => e.id === poincareId)!;
    expect(p.pairId).toBeNull();
    expect((await s.handlers['hyper.delete']({ embeddingId: euclidId })).deleted).toBe(false);
    await expect(s.handlers['hyper.get']({ embeddingId: euclidId })).rejects.toMatchObject({ kind: 'not-found' });
  });
});
