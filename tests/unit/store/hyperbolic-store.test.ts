// The embeddings store (src/main/store/embeddings.ts) on an in-memory SQLite: Float64 vectors stored
// bit-exactly, the two rows of a pair written together or not at all, the stable API other areas
// use (listEmbeddings, getEmbedding), deletion, graphs with their gzipped source.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/db';
import {
  deleteEmbedding,
  f64Blob,
  f64FromBlob,
  getEmbedding,
  getEmbeddingFlat,
  getGraph,
  graphSource,
  insertEmbeddings,
  insertGraph,
  libraryLabels,
  listEmbeddings,
  listGraphs,
  type EmbeddingWrite,
} from '../../../src/main/store/embeddings';
import type { GraphImportReport } from '../../../src/shared/hyperbolic';

const settings = { dim: 3, epochs: 5, negatives: 2, burnIn: 1, lr: 0.1, seed: 4, directed: false, tau: null };

function write(model: 'poincare' | 'euclidean', vectors: number[]): EmbeddingWrite {
  return {
    graphId: null, name: `e-${model}`, model, dim: 3, names: ['a', 'b'], vectors: Float64Array.from(vectors),
    src: Int32Array.from([0]), dst: Int32Array.from([1]), settings, evaluation: { meanRank: 1, map: 1, nodes: 2, pairs: 2 },
    losses: [{ epoch: 1, loss: 0.5, burnIn: true, seconds: 0.01 }], seconds: 0.2,
  };
}

describe('embeddings store', () => {
  it('stores Float64 vectors bit-exactly and reads them back as one vector per genre', () => {
    const db = openDatabase(':memory:');
    const v = [0.1, -0.2, 1 / 3, Math.PI / 10, -Number.MIN_VALUE, 0.9999999999999999];
    const { id, baselineId } = insertEmbeddings(db, write('poincare', v));
    expect(baselineId).toBeNull();
    const e = getEmbedding(db, id)!;
    expect(e).toMatchObject({ id, name: 'e-poincare', model: 'poincare', dim: 3, names: ['a', 'b'] });
    expect(e.vectors.map((x) => Array.from(x))).toEqual([v.slice(0, 3), v.slice(3)]);
    expect(getEmbedding(db, id + 1)).toBeNull();
    const flat = getEmbeddingFlat(db, id)!;
    expect(Array.from(flat.src)).toEqual([0]);
    expect(Array.from(flat.dst)).toEqual([1]);
    expect(flat.losses).toHaveLength(1);
    // unaligned Buffers are copied
    const b = Buffer.concat([Buffer.from([7]), f64Blob(Float64Array.from([1.5, -2]))]).subarray(1);
    expect(Array.from(f64FromBlob(b))).toEqual([1.5, -2]);
    expect(() => f64FromBlob(Buffer.alloc(7))).toThrow(/multiple of 8/);
  });

  it('writes a pair in one transaction, linked both ways, or nothing at all', () => {
    const db = openDatabase(':memory:');
    const { id, baselineId } = insertEmbeddings(db, write('poincare', [0, 0, 0.1, 0.2, 0, 0]), write('euclidean', [1, 2, 3, 4, 5, 6]));
    const list = listEmbeddings(db);
    expect(list.map((e) => [e.id, e.model, e.pairId])).toEqual([
      [baselineId, 'euclidean', id],
      [id, 'poincare', baselineId],
    ]);
    expect(list[0]).toMatchObject({ dim: 3, nodes: 2, edges: 1, settings, evaluation: { map: 1 } });
    // A bad second row (a non-finite coordinate) rolls the first back too.
    expect(() => insertEmbeddings(db, write('poincare', [0, 0, 0, 0, 0, 0]), write('euclidean', [0, 0, 0, 0, NaN, 0]))).toThrow(/finite/);
    expect(listEmbeddings(db)).toHaveLength(2);
    expect(() => insertEmbeddings(db, { ...write('poincare', [0, 0, 0]) })).toThrow(/3 values for 2 names/);
    // Deleting one unlinks the other.
    expect(deleteEmbedding(db, baselineId!)).toBe(true);
    expect(listEmbeddings(db)[0]!.pairId).toBeNull();
    expect(deleteEmbedding(db, baselineId!)).toBe(false);
  });

  it('keeps imported graphs with their report and source text; lists the library labels', () => {
    const db = openDatabase(':memory:');
    const report = { format: 'items', rows: 2, nodes: 2, edges: 1, topGenres: [] } as unknown as GraphImportReport;
    const text = 'artist,genres\n1,"[\'a\', \'b\']"\n';
    const id = insertGraph(db, { name: 't', sourcePath: '/x/t.csv', directed: true, tau: 0.4, report, sourceGz: Uint8Array.from(gzipSync(text)) });
    expect(getGraph(db, id)).toMatchObject({ id, name: 't', sourcePath: '/x/t.csv', format: 'items', directed: true, tau: 0.4, nodes: 2, edges: 1 });
    expect(graphSource(db, id)).toBe(text);
    expect(listGraphs(db)).toHaveLength(1);
    expect(getGraph(db, id + 1)).toBeNull();
    db.prepare(`INSERT INTO folders (path, added_at, profile) VALUES ('/m', '', 'gtzan57')`).run();
    for (const [p, l] of [['/m/1', 'rock'], ['/m/2', 'jazz'], ['/m/3', 'rock'], ['/m/4', null]] as const) {
      db.prepare(`INSERT INTO tracks (folder_id, path, rel_path, label, status, updated_at) VALUES (1, ?, ?, ?, 'ok', '')`).run(p, p, l);
    }
    expect(libraryLabels(db)).toEqual(['jazz', 'rock']);
  });
});
