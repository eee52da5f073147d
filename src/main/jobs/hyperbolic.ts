// Hyperbolic tasks, run in a worker thread (and in-process by the CLI): read a co-occurrence table
// into a report (and its gzipped text, which the store keeps), and train + evaluate one embedding
// of the graph with a per-epoch loss report. Cancellation is the pool's: the worker is terminated.
import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError } from '../../shared/errors';
import type { EmbeddingEvaluation, EmbeddingModel, EmbeddingSettings, GraphImportReport, LossPoint } from '../../shared/hyperbolic';
import { reconstruction } from '../engine/hyperbolic/evaluate';
import type { EmbeddingOptions } from '../engine/hyperbolic/poincare';
import { cooccurrenceFromCsv } from '../engine/hyperbolic/cooccurrence';
import { genreTrainer, prepareGenreGraph, RECOMMENDED_EMBEDDING } from '../engine/hyperbolic/pipeline';
import type { TaskContext } from './tasks';

export interface GraphBuildOptions {
  directed: boolean;
  /** Directed threshold τ (used when directed). */
  tau: number;
}

/** Parse a co-occurrence table; an unusable table is a bad request, not an internal error. */
function parseTable<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad-request', err instanceof Error ? err.message.replace(/^co-occurrence: /, '') : String(err));
  }
}

export interface HyperImportPayload extends GraphBuildOptions {
  text: string;
}

export interface HyperImportResult {
  report: GraphImportReport;
  /** The text, gzipped (what the store keeps). */
  gz: Uint8Array;
}

export async function hyperImportTask(p: HyperImportPayload): Promise<HyperImportResult> {
  const { report } = parseTable(() => cooccurrenceFromCsv(p.text, { directed: p.directed, tau: p.tau }));
  // A fresh copy: the worker transfers result buffers, and a Buffer may share a pooled one.
  const gz = Uint8Array.from(gzipSync(Buffer.from(p.text, 'utf8')));
  return { report, gz };
}

export interface HyperTrainPayload extends GraphBuildOptions, Omit<EmbeddingSettings, 'directed' | 'tau'> {
  /** The table's text, or its gzipped bytes (as stored). */
  text?: string;
  gz?: Uint8Array;
  model: EmbeddingModel;
  /** Score reconstruction (mean rank, MAP) after training (default true). */
  evaluate?: boolean;
}

export type HyperTrainProgress =
  | { kind: 'epoch'; model: EmbeddingModel; epoch: number; total: number; loss: number; burnIn: boolean; seconds: number }
  | { kind: 'evaluate'; model: EmbeddingModel; done: number; total: number };

export interface HyperTrainResult {
  model: EmbeddingModel;
  names: string[];
  /** n × dim, row-major. */
  vectors: Float64Array;
  dim: number;
  src: Int32Array;
  dst: Int32Array;
  directed: boolean;
  losses: LossPoint[];
  evaluation: EmbeddingEvaluation | null;
  /** Training time (graph building and evaluation excluded). */
  seconds: number;
  evalSeconds: number;
  /** Engine options used (for the record). */
  options: EmbeddingOptions;
}

/** The engine options for a request: the measured recommended settings with the user's choices on top. */
export function embeddingOptions(p: Pick<HyperTrainPayload, 'model' | 'dim' | 'epochs' | 'negatives' | 'burnIn' | 'lr' | 'seed'>): EmbeddingOptions {
  return { ...RECOMMENDED_EMBEDDING, geometry: p.model, dim: p.dim, epochs: p.epochs, negatives: p.negatives, burnIn: p.burnIn, lr: p.lr, seed: p.seed };
}

/** Build the graph, train the embedding epoch by epoch (reporting each), then evaluate it. */
export function trainGenreEmbedding(p: HyperTrainPayload, onProgress?: (q: HyperTrainProgress) => void): HyperTrainResult {
  const text = p.text ?? (p.gz ? gunzipSync(p.gz).toString('utf8') : '');
  const prep = parseTable(() => prepareGenreGraph(text, { directed: p.directed, tau: p.tau }));
  const n = prep.graph.names.length;
  if (prep.graph.src.length === 0 || n < 2) throw new AppError('bad-request', 'The graph has no co-occurring genres: there is nothing to embed');
  const options = embeddingOptions(p);
  const trainer = parseTable(() => genreTrainer(prep.graph, options));
  const losses: LossPoint[] = [];
  const t0 = performance.now();
  trainer.run((log) => {
    // A diverging run must never store NaN: refuse it with the epoch where it happened.
    if (!Number.isFinite(log.loss)) throw new AppError('bad-request', `The loss became ${log.loss} in epoch ${log.epoch}: lower the learning rate`);
    losses.push({ epoch: log.epoch, loss: log.loss, burnIn: log.burnIn, seconds: log.seconds });
    onProgress?.({ kind: 'epoch', model: p.model, epoch: log.epoch, total: trainer.totalEpochs, loss: log.loss, burnIn: log.burnIn, seconds: log.seconds });
  });
  const seconds = (performance.now() - t0) / 1000;
  const vectors = trainer.params.slice();
  for (let i = 0; i < vectors.length; i++) if (!Number.isFinite(vectors[i]!)) throw new AppError('bad-request', 'A coordinate became non-finite: lower the learning rate');
  let evaluation: EmbeddingEvaluation | null = null;
  const t1 = performance.now();
  if (p.evaluate !== false) {
    let done = 0;
    let last = 0;
    const r = reconstruction(vectors, n, trainer.dim, prep.adjacency, p.model, () => {
      done++;
      const now = performance.now();
      if (now - last > 200) {
        last = now;
        onProgress?.({ kind: 'evaluate', model: p.model, done, total: n });
      }
      return false;
    });
    evaluation = { meanRank: r.meanRank, map: r.map, nodes: r.nodes, pairs: r.pairs };
  }
  return {
    model: p.model,
    names: prep.graph.names,
    vectors,
    dim: trainer.dim,
    src: prep.graph.src,
    dst: prep.graph.dst,
    directed: prep.graph.directed,
    losses,
    evaluation,
    seconds,
    evalSeconds: (performance.now() - t1) / 1000,
    options,
  };
}

export async function hyperTrainTask(p: HyperTrainPayload, ctx: TaskContext): Promise<HyperTrainResult> {
  return trainGenreEmbedding(p, (q) => ctx.progress(q));
}
