// Plain data types of the hyperbolic genre space (co-occurrence graphs, embeddings, retrieval), and
// the genre-name normalisation shared by main and renderer. No node:, no DOM, no electron.
import type { CooccurrenceReport } from '../main/engine/hyperbolic/cooccurrence';

export type EmbeddingModel = 'poincare' | 'euclidean';

/** Reconstruction scores (Nickel & Kiela 2017; ../shared/reference/poincare_eval.py). */
export interface EmbeddingEvaluation {
  meanRank: number;
  map: number;
  /** Genres with at least one neighbour (MAP's denominator). */
  nodes: number;
  /** Ranked (genre, neighbour) pairs (mean rank's denominator). */
  pairs: number;
}

/** What an import found in a co-occurrence file: the engine's report (a type only; nothing runs from there). */
export type GraphImportReport = CooccurrenceReport;

export interface GenreGraphSummary {
  id: number;
  name: string;
  sourcePath: string;
  createdAt: string;
  format: 'items' | 'edges';
  directed: boolean;
  tau: number | null;
  nodes: number;
  edges: number;
  report: GraphImportReport;
}

export interface EmbeddingSettings {
  dim: number;
  epochs: number;
  negatives: number;
  burnIn: number;
  lr: number;
  seed: number;
  directed: boolean;
  tau: number | null;
}

export interface LossPoint {
  epoch: number;
  loss: number;
  burnIn: boolean;
  seconds: number;
}

export interface EmbeddingSummary {
  id: number;
  name: string;
  model: EmbeddingModel;
  dim: number;
  /** Genres embedded (isolated genres of the import are not). */
  nodes: number;
  edges: number;
  createdAt: string;
  evaluation: EmbeddingEvaluation | null;
  graphId: number | null;
  /** The embedding trained beside this one (the Euclidean baseline of a Poincaré run, and back). */
  pairId: number | null;
  settings: EmbeddingSettings;
  seconds: number;
}

/** An embedding as sent to the renderer: vectors flat (n × dim) as base64 little-endian Float64. */
export interface EmbeddingDetail extends EmbeddingSummary {
  names: string[];
  vectors: string;
  losses: LossPoint[];
}

export interface HyperTrainRequest {
  graphId: number;
  name?: string;
  dim?: number;
  epochs?: number;
  negatives?: number;
  burnIn?: number;
  lr?: number;
  seed?: number;
  directed?: boolean;
  tau?: number;
  /** Also train the Euclidean baseline the same way. */
  euclidean?: boolean;
}

export interface HyperTrainOutcome {
  embeddingId: number;
  euclideanId: number | null;
  nodes: number;
  edges: number;
  evaluation: EmbeddingEvaluation;
  euclideanEvaluation: EmbeddingEvaluation | null;
  seconds: number;
}

export interface HyperEpochEvent {
  jobId: string;
  model: EmbeddingModel;
  epoch: number;
  total: number;
  loss: number;
  burnIn: boolean;
}

export interface GenreHit {
  name: string;
  index: number;
  distance: number;
  norm: number;
  /** Cosine between the hit and the query (direction from the centre). */
  cos: number;
}

export interface ParentsRequest {
  embeddingId: number;
  genre: string;
  k?: number;
  /** Smallest cosine to the query (default 0). */
  minCos?: number;
  /** Candidate norm < query norm × normRatio (default 1). */
  normRatio?: number;
}

export interface DendrogramResult {
  /** Genre indices clustered (top-N by centrality, or the subtree around a genre). */
  leaves: number[];
  names: string[];
  /** scipy linkage rows [a, b, height, size] over the leaves (leaf k = leaves[k]). */
  Z: number[][];
  /** Leaf order left to right (indices into leaves). */
  order: number[];
  description: string;
}

export type HyperExportKind = 'vectors.tsv' | 'metadata.tsv' | 'embedding.json' | 'gensim.tsv';

/** Lower case, everything but letters and digits removed: "Hip-Hop" and "hiphop" meet "hip hop". */
export function normaliseGenre(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]/gu, '');
}

/** Edit distance (Levenshtein) with an early exit above `max`; used to suggest close genre names. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Names matching a query, best first: exact, then normalised-equal, prefix, substring (of the
 * normalised form), then close by edit distance. For search suggestions and "did you mean".
 */
export function suggestGenres(names: readonly string[], query: string, limit = 8): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const nq = normaliseGenre(q);
  const scored: Array<{ i: number; s: number }> = [];
  const maxEdit = Math.max(1, Math.floor(nq.length / 3));
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const low = name.toLowerCase();
    const nn = normaliseGenre(name);
    let s: number;
    if (low === q) s = 0;
    else if (nn === nq && nq) s = 1;
    else if (low.startsWith(q)) s = 2 + low.length / 1000;
    else if (nq && nn.startsWith(nq)) s = 3 + nn.length / 1000;
    else if (low.includes(q)) s = 4 + low.length / 1000;
    else if (nq && nn.includes(nq)) s = 5 + nn.length / 1000;
    else {
      const d = editDistance(nq, nn, maxEdit);
      if (d > maxEdit) continue;
      s = 6 + d;
    }
    scored.push({ i, s });
  }
  scored.sort((a, b) => a.s - b.s || a.i - b.i);
  return scored.slice(0, limit).map((x) => names[x.i]!);
}
