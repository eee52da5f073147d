// Glue for services and the CLI: CSV text → graph (isolated genres dropped) → trainer → named
// embedding, the settings chosen on the Spotify data, and the TSV vector format gensim writes.
import { cooccurrenceFromCsv, dropIsolated, type CooccurrenceOptions, type CooccurrenceReport, type GenreGraph } from './cooccurrence';
import { buildAdjacency, type Adjacency } from './graph';
import { EmbeddingTrainer, type EmbeddingOptions } from './poincare';
import type { NamedEmbedding } from './parents';

/**
 * Settings chosen by measurement on the Spotify 2021 table (see bench/hyperbolic.bench.ts): gensim's
 * defaults (lr 0.1, 10 negatives, burn-in 10 at lr/10, batch 10) except negatives drawn uniformly
 * and every undirected edge trained in both directions.
 */
export const RECOMMENDED_EMBEDDING: EmbeddingOptions = {
  geometry: 'poincare',
  dim: 10,
  epochs: 50,
  negatives: 10,
  lr: 0.1,
  burnIn: 10,
  batchSize: 10,
  sampling: 'uniform',
  bothDirections: true,
};

export interface PreparedGraph {
  /** The graph without isolated genres (the nodes an embedding is trained on). */
  graph: GenreGraph;
  /** Undirected neighbourhoods of `graph` (for evaluation). */
  adjacency: Adjacency;
  /** Import report of the full table (isolated genres included). */
  report: CooccurrenceReport;
}

/** Parse an item table or edge list and keep the genres that have at least one edge. */
export function prepareGenreGraph(csvText: string, opts: CooccurrenceOptions = {}): PreparedGraph {
  const { graph: full, report } = cooccurrenceFromCsv(csvText, opts);
  const { graph } = dropIsolated(full);
  return { graph, report, adjacency: buildAdjacency(graph.names.length, graph.src, graph.dst, true) };
}

/** A step-wise trainer for a genre graph (call epoch() / run(onEpoch)). */
export function genreTrainer(graph: GenreGraph, opts: EmbeddingOptions = RECOMMENDED_EMBEDDING): EmbeddingTrainer {
  return new EmbeddingTrainer({ n: graph.names.length, src: graph.src, dst: graph.dst, directed: graph.directed }, opts);
}

/** The trainer's current parameters with the graph's genre names (a copy). */
export function namedEmbedding(graph: GenreGraph, trainer: EmbeddingTrainer): NamedEmbedding {
  return { names: graph.names.slice(), vectors: trainer.params.slice(), dim: trainer.dim };
}

/** One line per genre: name, then the coordinates, tab-separated (gensim's / parents_eval.py's format). */
export function embeddingToTsv(emb: NamedEmbedding, digits = 8): string {
  const lines: string[] = [];
  for (let i = 0; i < emb.names.length; i++) {
    const row = [emb.names[i]];
    for (let k = 0; k < emb.dim; k++) row.push(emb.vectors[i * emb.dim + k].toFixed(digits));
    lines.push(row.join('\t'));
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Parse the TSV vector format; every row must have the same number of finite coordinates. */
export function embeddingFromTsv(text: string): NamedEmbedding {
  const names: string[] = [];
  const values: number[] = [];
  let dim = -1;
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    if (lines[l] === '') continue;
    const parts = lines[l].split('\t');
    const d = parts.length - 1;
    if (dim < 0) dim = d;
    if (d !== dim || d < 1) throw new Error(`embedding TSV line ${l + 1}: expected ${dim} coordinates, found ${d}`);
    names.push(parts[0]);
    for (let k = 1; k <= d; k++) {
      const x = Number(parts[k]);
      if (!Number.isFinite(x)) throw new Error(`embedding TSV line ${l + 1}: ${JSON.stringify(parts[k])} is not a number`);
      values.push(x);
    }
  }
  return { names, vectors: Float64Array.from(values), dim: Math.max(dim, 0) };
}
