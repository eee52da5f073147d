// Queries on a named genre embedding, shared by the hyperbolic service and the CLI: find a genre by
// name (with "did you mean"), nearest neighbours, likely parents (smaller norm, small angle), a Ward
// dendrogram of a top-N or of the neighbourhood of a genre, and the export formats.
import { AppError } from '../../shared/errors';
import { normaliseGenre, suggestGenres, type DendrogramResult, type EmbeddingModel, type GenreHit, type HyperExportKind } from '../../shared/hyperbolic';
import type { ExportedFile } from '../../shared/types';
import { nearestNeighbours, parentCandidates, type NamedEmbedding, type Neighbour } from '../engine/hyperbolic/parents';
import { embeddingFromTsv, embeddingToTsv } from '../engine/hyperbolic/pipeline';
import { leafOrder, wardLinkage } from '../engine/hyperbolic/ward';

export interface ModelEmbedding extends NamedEmbedding {
  model: EmbeddingModel;
}

/** Index of a genre: exact name, then case-insensitive, then normalised ("Hip-Hop" → "hip hop"). */
export function findGenre(emb: NamedEmbedding, name: string): number {
  const q = name.trim();
  if (!q) throw new AppError('bad-request', 'Name a genre');
  let i = emb.names.indexOf(q);
  if (i >= 0) return i;
  const low = q.toLowerCase();
  i = emb.names.findIndex((n) => n.toLowerCase() === low);
  if (i >= 0) return i;
  const nq = normaliseGenre(q);
  if (nq) {
    i = emb.names.findIndex((n) => normaliseGenre(n) === nq);
    if (i >= 0) return i;
  }
  const close = suggestGenres(emb.names, q, 5);
  throw new AppError('not-found', `Unknown genre "${q}"${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : ' (no close name in this embedding)'}`);
}

function normOf(emb: NamedEmbedding, i: number): number {
  let s = 0;
  for (let k = 0; k < emb.dim; k++) s += emb.vectors[i * emb.dim + k]! ** 2;
  return Math.sqrt(s);
}

function cosine(emb: NamedEmbedding, i: number, j: number): number {
  let s = 0;
  for (let k = 0; k < emb.dim; k++) s += emb.vectors[i * emb.dim + k]! * emb.vectors[j * emb.dim + k]!;
  return s / (normOf(emb, i) * normOf(emb, j) + 1e-12);
}

function hit(emb: NamedEmbedding, q: number, h: Neighbour | { index: number; distance: number }): GenreHit {
  return { name: emb.names[h.index]!, index: h.index, distance: h.distance, norm: normOf(emb, h.index), cos: cosine(emb, q, h.index) };
}

export interface QueryResult {
  query: GenreHit;
  hits: GenreHit[];
}

function checkK(k: number | undefined, n: number): number {
  const kk = k ?? 10;
  if (!(Number.isInteger(kk) && kk >= 1)) throw new AppError('bad-request', `k must be a whole number ≥ 1, got ${k}`);
  return Math.min(kk, Math.max(0, n - 1));
}

/** The k nearest genres (Poincaré distance in a Poincaré embedding, Euclidean in a Euclidean one). */
export function neighboursQuery(emb: ModelEmbedding, genre: string, k?: number): QueryResult {
  const q = findGenre(emb, genre);
  const hits = nearestNeighbours(emb, q, { k: checkK(k, emb.names.length), geometry: emb.model });
  return { query: hit(emb, q, { index: q, distance: 0 }), hits: hits.map((h) => hit(emb, q, h)) };
}

export interface ParentOptions {
  k?: number;
  /** Smallest cosine between a candidate and the query (default 0: within 90°). */
  minCos?: number;
  /** Candidate norm < query norm × normRatio (default 1). */
  normRatio?: number;
}

/** Likely parents: genres nearer the centre (norm below the query's × normRatio) within the angle, nearest first. */
export function parentsQuery(emb: ModelEmbedding, genre: string, o: ParentOptions = {}): QueryResult {
  const q = findGenre(emb, genre);
  const minCos = o.minCos ?? 0;
  const normRatio = o.normRatio ?? 1;
  if (!(minCos >= -1 && minCos <= 1)) throw new AppError('bad-request', `minCos must lie in [-1, 1], got ${o.minCos}`);
  if (!(normRatio > 0 && normRatio <= 10)) throw new AppError('bad-request', `normRatio must lie in (0, 10], got ${o.normRatio}`);
  const hits = parentCandidates(emb, q, { k: checkK(o.k, emb.names.length), minCos, normRatio, geometry: emb.model });
  return { query: hit(emb, q, { index: q, distance: 0 }), hits: hits.map((h) => hit(emb, q, h)) };
}

export const DENDROGRAM_MAX = 600;

/**
 * Ward dendrogram of part of an embedding: the `top` genres of highest degree in the training graph
 * (ties: nearer the centre first), or the genre `around` and its top − 1 nearest genres.
 */
export function dendrogramQuery(emb: ModelEmbedding, degree: ArrayLike<number> | null, o: { top?: number; around?: string }): DendrogramResult {
  const n = emb.names.length;
  const top = o.top ?? 100;
  if (!(Number.isInteger(top) && top >= 2 && top <= DENDROGRAM_MAX)) throw new AppError('bad-request', `A dendrogram holds 2 to ${DENDROGRAM_MAX} genres, not ${o.top}`);
  const m = Math.min(top, n);
  if (m < 2) throw new AppError('bad-request', 'A dendrogram needs at least two genres');
  let leaves: number[];
  let description: string;
  if (o.around !== undefined && o.around.trim() !== '') {
    const q = findGenre(emb, o.around);
    leaves = [q, ...nearestNeighbours(emb, q, { k: m - 1, geometry: emb.model }).map((h) => h.index)];
    description = `“${emb.names[q]}” and its ${m - 1} nearest genres`;
  } else {
    const norms = Float64Array.from({ length: n }, (_, i) => normOf(emb, i));
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => (degree ? degree[b]! - degree[a]! : 0) || norms[a]! - norms[b]! || a - b);
    leaves = idx.slice(0, m);
    description = degree ? `the ${m} genres with the most co-occurring genres` : `the ${m} genres nearest the centre`;
  }
  const X = new Float64Array(m * emb.dim);
  leaves.forEach((g, r) => X.set(emb.vectors.subarray(g * emb.dim, (g + 1) * emb.dim), r * emb.dim));
  const link = wardLinkage(X, m, emb.dim, emb.model);
  const Z: number[][] = [];
  for (let r = 0; r < m - 1; r++) Z.push(Array.from(link.Z.subarray(r * 4, r * 4 + 4)));
  return {
    leaves,
    names: leaves.map((g) => emb.names[g]!),
    Z,
    order: Array.from(leafOrder(link)),
    description: `${description}; Ward linkage on ${emb.model === 'poincare' ? 'Poincaré' : 'Euclidean'} distances`,
  };
}

/** Degree of every node in an edge list. */
export function degrees(n: number, src: ArrayLike<number>, dst: ArrayLike<number>): Float64Array {
  const d = new Float64Array(n);
  for (let e = 0; e < src.length; e++) {
    d[src[e]!]!++;
    d[dst[e]!]!++;
  }
  return d;
}

/** `{"model","dim","names","vectors"}` — the CLI's and the view's JSON export. */
export function embeddingJson(emb: ModelEmbedding): string {
  const vectors = emb.names.map((_, i) => Array.from(emb.vectors.subarray(i * emb.dim, (i + 1) * emb.dim)));
  return JSON.stringify({ model: emb.model, dim: emb.dim, names: emb.names, vectors });
}

/** Parse the JSON export (or a gensim-style `name<TAB>coords` TSV) back into an embedding. */
export function parseEmbeddingFile(text: string, file: string): ModelEmbedding {
  const t = text.trimStart();
  if (!t.startsWith('{')) {
    try {
      const e = embeddingFromTsv(text);
      if (e.names.length === 0) throw new Error('no rows');
      return { ...e, model: 'poincare' };
    } catch (err) {
      throw new AppError('bad-request', `${file} is neither an embedding JSON nor a name<TAB>vector TSV: ${(err as Error).message}`);
    }
  }
  let doc: { model?: unknown; dim?: unknown; names?: unknown; vectors?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    throw new AppError('bad-request', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const model = doc.model === 'euclidean' ? 'euclidean' : doc.model === 'poincare' || doc.model === undefined ? 'poincare' : null;
  if (!model) throw new AppError('bad-request', `${file}: model must be "poincare" or "euclidean"`);
  if (!Array.isArray(doc.names) || !Array.isArray(doc.vectors) || doc.names.length !== doc.vectors.length || doc.names.length === 0) {
    throw new AppError('bad-request', `${file}: expected {"model","dim","names":[…],"vectors":[[…],…]} with one vector per name`);
  }
  const dim = typeof doc.dim === 'number' ? doc.dim : Array.isArray(doc.vectors[0]) ? (doc.vectors[0] as unknown[]).length : 0;
  if (!(Number.isInteger(dim) && dim >= 1)) throw new AppError('bad-request', `${file}: dim must be a positive whole number`);
  const vectors = new Float64Array(doc.names.length * dim);
  doc.vectors.forEach((v, i) => {
    if (!Array.isArray(v) || v.length !== dim) throw new AppError('bad-request', `${file}: vector ${i} has ${Array.isArray(v) ? v.length : 'no'} coordinates, expected ${dim}`);
    v.forEach((x, k) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new AppError('bad-request', `${file}: vector ${i} has a non-finite coordinate`);
      vectors[i * dim + k] = x;
    });
  });
  return { model, dim, names: doc.names.map(String), vectors };
}

const clean = (s: string): string => s.replace(/[\t\r\n]/g, ' ');

/** The export files of an embedding. */
export function exportEmbedding(emb: ModelEmbedding, kind: HyperExportKind, stem: string): ExportedFile {
  const rows = (): string[] => emb.names.map((_, i) => Array.from(emb.vectors.subarray(i * emb.dim, (i + 1) * emb.dim), (v) => v.toPrecision(10)).join('\t'));
  switch (kind) {
    case 'vectors.tsv':
      return { filename: `${stem}-vectors.tsv`, mime: 'text/tab-separated-values', encoding: 'utf8', data: rows().join('\n') + '\n' };
    case 'metadata.tsv':
      // One column: the Embedding Projector reads it without a header row.
      return { filename: `${stem}-metadata.tsv`, mime: 'text/tab-separated-values', encoding: 'utf8', data: emb.names.map(clean).join('\n') + '\n' };
    case 'gensim.tsv':
      return { filename: `${stem}.tsv`, mime: 'text/tab-separated-values', encoding: 'utf8', data: embeddingToTsv({ ...emb, names: emb.names.map(clean) }, 10) };
    case 'embedding.json':
      return { filename: `${stem}.json`, mime: 'application/json', encoding: 'utf8', data: embeddingJson(emb) };
    default:
      throw new AppError('bad-request', `unknown export ${String(kind)}`);
  }
}
