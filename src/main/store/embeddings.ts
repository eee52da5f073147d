// Hyperbolic genre space in SQLite: imported co-occurrence tables (genre_graphs, source text gzipped)
// and trained embeddings (vectors as little-endian Float64 BLOBs, n × dim row-major).
//
// listEmbeddings / getEmbedding are the stable API other areas (the hyperbolic-weighted loss) build on.
import { gunzipSync } from 'node:zlib';
import type {
  EmbeddingDetail,
  EmbeddingEvaluation,
  EmbeddingModel,
  EmbeddingSettings,
  EmbeddingSummary,
  GenreGraphSummary,
  GraphImportReport,
  LossPoint,
} from '../../shared/hyperbolic';
import type { DB } from './db';

/** Float64 values as a BLOB (little-endian, as the machine; every supported platform is). */
export function f64Blob(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A Float64 BLOB back as an array (copied: SQLite's Buffer need not be 8-byte aligned). */
export function f64FromBlob(blob: Buffer | Uint8Array | null): Float64Array {
  if (!blob || blob.byteLength === 0) return new Float64Array(0);
  if (blob.byteLength % 8 !== 0) throw new Error(`a Float64 BLOB must hold a multiple of 8 bytes, got ${blob.byteLength}`);
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float64Array(copy.buffer);
}

function i32Blob(values: Int32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function i32FromBlob(blob: Buffer | Uint8Array | null): Int32Array {
  if (!blob || blob.byteLength === 0) return new Int32Array(0);
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Int32Array(copy.buffer);
}

// ---------------------------------------------------------------- embeddings

interface EmbeddingRow {
  id: number;
  graph_id: number | null;
  pair_id: number | null;
  name: string;
  created_at: string;
  model: EmbeddingModel;
  dim: number;
  nodes: number;
  edges: number;
  settings: string;
  evaluation: string | null;
  seconds: number;
}

const SUMMARY_COLS = 'id, graph_id, pair_id, name, created_at, model, dim, nodes, edges, settings, evaluation, seconds';

function summary(r: EmbeddingRow): EmbeddingSummary {
  return {
    id: r.id,
    name: r.name,
    model: r.model,
    dim: r.dim,
    nodes: r.nodes,
    edges: r.edges,
    createdAt: r.created_at,
    evaluation: r.evaluation ? (JSON.parse(r.evaluation) as EmbeddingEvaluation) : null,
    graphId: r.graph_id,
    pairId: r.pair_id,
    settings: JSON.parse(r.settings) as EmbeddingSettings,
    seconds: r.seconds,
  };
}

/** Every stored embedding, newest first. */
export function listEmbeddings(db: DB): EmbeddingSummary[] {
  return (db.prepare(`SELECT ${SUMMARY_COLS} FROM embeddings ORDER BY id DESC`).all() as EmbeddingRow[]).map(summary);
}

export interface StoredEmbedding {
  id: number;
  name: string;
  model: EmbeddingModel;
  dim: number;
  names: string[];
  /** One Float64Array of length dim per genre, in the order of names. */
  vectors: Float64Array[];
}

function loadFlat(db: DB, id: number): { row: EmbeddingRow & { names: string; vectors: Buffer; losses: string; adjacency: Buffer | null }; flat: Float64Array } | null {
  const row = db.prepare(`SELECT ${SUMMARY_COLS}, names, vectors, losses, adjacency FROM embeddings WHERE id = ?`).get(id) as
    | (EmbeddingRow & { names: string; vectors: Buffer; losses: string; adjacency: Buffer | null })
    | undefined;
  if (!row) return null;
  return { row, flat: f64FromBlob(row.vectors) };
}

/** One embedding with its names and one vector per genre, or null when there is no such id. */
export function getEmbedding(db: DB, id: number): StoredEmbedding | null {
  const got = loadFlat(db, id);
  if (!got) return null;
  const { row, flat } = got;
  const dim = row.dim;
  const names = JSON.parse(row.names) as string[];
  const vectors = names.map((_, i) => flat.slice(i * dim, (i + 1) * dim));
  return { id: row.id, name: row.name, model: row.model, dim, names, vectors };
}

/** The embedding with flat vectors (n × dim), its training edges and loss history (for the service). */
export function getEmbeddingFlat(
  db: DB,
  id: number,
): (EmbeddingSummary & { names: string[]; flat: Float64Array; losses: LossPoint[]; src: Int32Array; dst: Int32Array }) | null {
  const got = loadFlat(db, id);
  if (!got) return null;
  const { row, flat } = got;
  const e = i32FromBlob(row.adjacency);
  const m = e.length >> 1;
  return {
    ...summary(row),
    names: JSON.parse(row.names) as string[],
    flat,
    losses: JSON.parse(row.losses) as LossPoint[],
    src: e.slice(0, m),
    dst: e.slice(m),
  };
}

/** The renderer's form: vectors as base64 Float64. */
export function embeddingDetail(db: DB, id: number): EmbeddingDetail | null {
  const e = getEmbeddingFlat(db, id);
  if (!e) return null;
  const { flat, src: _s, dst: _d, ...rest } = e;
  return { ...rest, vectors: f64Blob(flat).toString('base64') };
}

export interface EmbeddingWrite {
  graphId: number | null;
  name: string;
  model: EmbeddingModel;
  dim: number;
  names: string[];
  /** n × dim, row-major. */
  vectors: Float64Array;
  /** Training edges (node indices into names). */
  src: Int32Array;
  dst: Int32Array;
  settings: EmbeddingSettings;
  evaluation: EmbeddingEvaluation | null;
  losses: LossPoint[];
  seconds: number;
}

function checkWrite(e: EmbeddingWrite): void {
  if (e.vectors.length !== e.names.length * e.dim) throw new Error(`embedding: ${e.vectors.length} values for ${e.names.length} names × ${e.dim}`);
  for (let i = 0; i < e.vectors.length; i++) if (!Number.isFinite(e.vectors[i]!)) throw new Error('embedding: a coordinate is not finite');
}

function insertOne(db: DB, e: EmbeddingWrite, createdAt: string): number {
  checkWrite(e);
  const edges = new Int32Array(2 * e.src.length);
  edges.set(e.src, 0);
  edges.set(e.dst, e.src.length);
  return Number(
    db
      .prepare(
        `INSERT INTO embeddings (graph_id, name, created_at, model, dim, nodes, edges, settings, names, vectors, adjacency, evaluation, losses, seconds)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        e.graphId,
        e.name,
        createdAt,
        e.model,
        e.dim,
        e.names.length,
        e.src.length,
        JSON.stringify(e.settings),
        JSON.stringify(e.names),
        f64Blob(e.vectors),
        i32Blob(edges),
        e.evaluation ? JSON.stringify(e.evaluation) : null,
        JSON.stringify(e.losses),
        e.seconds,
      ).lastInsertRowid,
  );
}

/**
 * Store an embedding, and its baseline when given, in one transaction (both rows or neither),
 * linked to each other by pair_id. Returns the ids.
 */
export function insertEmbeddings(db: DB, main: EmbeddingWrite, baseline?: EmbeddingWrite | null): { id: number; baselineId: number | null } {
  const createdAt = new Date().toISOString();
  return db.transaction(() => {
    const id = insertOne(db, main, createdAt);
    if (!baseline) return { id, baselineId: null };
    const baselineId = insertOne(db, baseline, createdAt);
    const link = db.prepare('UPDATE embeddings SET pair_id = ? WHERE id = ?');
    link.run(baselineId, id);
    link.run(id, baselineId);
    return { id, baselineId };
  })();
}

/** Delete an embedding (its partner keeps existing, unlinked). */
export function deleteEmbedding(db: DB, id: number): boolean {
  return db.transaction(() => {
    db.prepare('UPDATE embeddings SET pair_id = NULL WHERE pair_id = ?').run(id);
    return db.prepare('DELETE FROM embeddings WHERE id = ?').run(id).changes > 0;
  })();
}

// ---------------------------------------------------------------- co-occurrence graphs

interface GraphRow {
  id: number;
  name: string;
  source_path: string;
  created_at: string;
  format: 'items' | 'edges';
  directed: number;
  tau: number | null;
  nodes: number;
  edges: number;
  report: string;
}

const GRAPH_COLS = 'id, name, source_path, created_at, format, directed, tau, nodes, edges, report';

function graphSummary(r: GraphRow): GenreGraphSummary {
  return {
    id: r.id,
    name: r.name,
    sourcePath: r.source_path,
    createdAt: r.created_at,
    format: r.format,
    directed: !!r.directed,
    tau: r.tau,
    nodes: r.nodes,
    edges: r.edges,
    report: JSON.parse(r.report) as GraphImportReport,
  };
}

export interface GraphWrite {
  name: string;
  sourcePath: string;
  directed: boolean;
  tau: number | null;
  report: GraphImportReport;
  /** The file's text gzipped, kept so the graph can be rebuilt with other settings. */
  sourceGz: Uint8Array;
}

export function insertGraph(db: DB, g: GraphWrite): number {
  return Number(
    db
      .prepare(
        `INSERT INTO genre_graphs (name, source_path, created_at, format, directed, tau, nodes, edges, report, source_gz)
         VALUES (?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(g.name, g.sourcePath, new Date().toISOString(), g.report.format, g.directed ? 1 : 0, g.tau, g.report.nodes, g.report.edges, JSON.stringify(g.report), Buffer.from(g.sourceGz.buffer, g.sourceGz.byteOffset, g.sourceGz.byteLength)).lastInsertRowid,
  );
}

export function listGraphs(db: DB): GenreGraphSummary[] {
  return (db.prepare(`SELECT ${GRAPH_COLS} FROM genre_graphs ORDER BY id DESC`).all() as GraphRow[]).map(graphSummary);
}

export function getGraph(db: DB, id: number): GenreGraphSummary | null {
  const r = db.prepare(`SELECT ${GRAPH_COLS} FROM genre_graphs WHERE id = ?`).get(id) as GraphRow | undefined;
  return r ? graphSummary(r) : null;
}

/** The imported file's text, gzipped as stored. */
export function graphSourceGz(db: DB, id: number): Uint8Array | null {
  const r = db.prepare('SELECT source_gz FROM genre_graphs WHERE id = ?').get(id) as { source_gz: Buffer } | undefined;
  return r ? Uint8Array.from(r.source_gz) : null;
}

/** The imported file's text. */
export function graphSource(db: DB, id: number): string | null {
  const gz = graphSourceGz(db, id);
  return gz ? gunzipSync(gz).toString('utf8') : null;
}

/** Distinct track labels of the library (to highlight them among the genres). */
export function libraryLabels(db: DB): string[] {
  return (db.prepare('SELECT DISTINCT label FROM tracks WHERE label IS NOT NULL AND label <> \'\' ORDER BY label').all() as Array<{ label: string }>).map((r) => r.label);
}

export function deleteGraph(db: DB, id: number): boolean {
  return db.prepare('DELETE FROM genre_graphs WHERE id = ?').run(id).changes > 0;
}
