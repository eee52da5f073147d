// Hyperbolic service: import genre co-occurrence tables, train Poincaré embeddings (and the Euclidean
// baseline trained the same way) in worker threads with live loss events and cancellation, store
// them (both or neither, in one transaction), and answer queries: neighbours, parents, dendrograms,
// exports.
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { EventName, Handlers, PayloadOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type {
  EmbeddingModel,
  EmbeddingSettings,
  GenreGraphSummary,
  HyperTrainOutcome,
  HyperTrainRequest,
} from '../../shared/hyperbolic';
import type { JobInfo } from '../../shared/types';
import type { JobManager } from '../jobs/manager';
import type { WorkerPool } from '../jobs/pool';
import type { HyperTrainResult } from '../jobs/hyperbolic';
import type { DB } from '../store/db';
import {
  deleteEmbedding,
  deleteGraph,
  embeddingDetail,
  getEmbeddingFlat,
  getGraph,
  graphSourceGz,
  insertEmbeddings,
  insertGraph,
  libraryLabels,
  listEmbeddings,
  listGraphs,
  type EmbeddingWrite,
} from '../store/embeddings';
import { degrees, dendrogramQuery, exportEmbedding, neighboursQuery, parentsQuery, type ModelEmbedding } from './hyperQuery';

/** The largest co-occurrence file read (the Spotify tables are 1.5–4 MB). */
export const MAX_TABLE_BYTES = 200 * 1024 * 1024;

export interface HyperDeps {
  db: DB;
  pool: WorkerPool;
  jobs: JobManager;
  emit: <E extends EventName>(name: E, payload: PayloadOf<E>) => void;
}

export type HyperMethod = Extract<keyof Handlers, `hyper.${string}`>;

export interface ResolvedTrain {
  graph: GenreGraphSummary;
  settings: EmbeddingSettings;
  euclidean: boolean;
  name: string;
}

function num(v: unknown, name: string, lo: number, hi: number, integer: boolean, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const x = Number(v);
  if (!Number.isFinite(x) || x < lo || x > hi || (integer && !Number.isInteger(x))) {
    throw new AppError('bad-request', `${name} must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got ${String(v)}`);
  }
  return x;
}

/** Training settings from a request (defaults: the issue's, dim 10, 50 epochs, 10 negatives, burn-in 10, lr 0.1). */
export function resolveSettings(req: Omit<HyperTrainRequest, 'graphId' | 'name' | 'euclidean'>, defaults: { directed: boolean; tau: number | null }): EmbeddingSettings {
  const directed = req.directed ?? defaults.directed;
  const tau = req.tau ?? defaults.tau ?? 0.3;
  if (directed && !(tau > 0 && tau <= 1)) throw new AppError('bad-request', `τ must lie in (0, 1], got ${String(req.tau)}`);
  return {
    dim: num(req.dim, 'dimension', 2, 100, true, 10),
    epochs: num(req.epochs, 'epochs', 1, 5000, true, 50),
    negatives: num(req.negatives, 'negatives', 1, 200, true, 10),
    burnIn: num(req.burnIn, 'burn-in epochs', 0, 1000, true, 10),
    lr: num(req.lr, 'learning rate', 1e-6, 100, false, 0.1),
    seed: num(req.seed, 'seed', 0, 2 ** 31 - 1, true, 0),
    directed,
    tau: directed ? tau : null,
  };
}

/** Validate a training request against its graph. */
export function resolveTrainRequest(req: HyperTrainRequest, graph: GenreGraphSummary | null): ResolvedTrain {
  if (!req || typeof req !== 'object') throw new AppError('bad-request', 'Choose a graph and the training settings');
  if (!graph) throw new AppError('not-found', `No imported genre graph ${String(req.graphId)}`);
  const settings = resolveSettings(req, { directed: graph.directed, tau: graph.tau });
  if (graph.edges === 0) throw new AppError('bad-request', `“${graph.name}” has no co-occurring genres: there is nothing to embed`);
  const stem = req.name?.trim() || graph.name;
  return { graph, settings, euclidean: !!req.euclidean, name: `${stem} · ${settings.dim}-D${settings.directed ? ` · directed τ ${settings.tau}` : ''}` };
}

const MODEL_TEXT: Record<EmbeddingModel, string> = { poincare: 'Poincaré', euclidean: 'Euclidean' };

export class HyperbolicService {
  /** Recently used embeddings, parsed (queries come in bursts: click, slider, dendrogram). */
  private readonly cache = new Map<number, { emb: ModelEmbedding; degree: Float64Array }>();

  constructor(private readonly deps: HyperDeps) {}

  /** Read a table (a path, or the text of a dropped file), report what it holds and store it. */
  async importGraph(req: { path?: string; text?: string; name?: string; directed?: boolean; tau?: number }): Promise<GenreGraphSummary> {
    if (!req || (typeof req.path !== 'string' && typeof req.text !== 'string')) throw new AppError('bad-request', 'Give the path of a co-occurrence table (or drop one)');
    const directed = !!req.directed;
    const tau = req.tau ?? 0.3;
    if (directed && !(tau > 0 && tau <= 1)) throw new AppError('bad-request', `τ must lie in (0, 1], got ${String(req.tau)}`);
    let text: string;
    let sourcePath: string;
    if (typeof req.text === 'string') {
      text = req.text;
      sourcePath = req.name?.trim() || 'dropped file';
    } else {
      const p = req.path!.trim();
      if (!p) throw new AppError('bad-request', 'Give the path of a co-occurrence table');
      sourcePath = resolve(p);
      const st = await stat(sourcePath).catch(() => null);
      if (!st) throw new AppError('not-found', `No such file: ${sourcePath}`);
      if (!st.isFile()) throw new AppError('bad-request', `${sourcePath} is not a file (choose a CSV table)`);
      if (st.size > MAX_TABLE_BYTES) throw new AppError('bad-request', `${sourcePath} is ${(st.size / 2 ** 20).toFixed(0)} MB; tables up to ${MAX_TABLE_BYTES / 2 ** 20} MB are read`);
      text = await readFile(sourcePath, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new AppError('io', `Cannot read ${sourcePath}: ${err.code ?? err.message}`);
      });
    }
    const r = await this.deps.pool.run('hyper-import', { text, directed, tau });
    const name = req.name?.trim() || basename(sourcePath).replace(/\.(csv|tsv|txt)$/i, '');
    const id = insertGraph(this.deps.db, { name, sourcePath, directed, tau: directed ? tau : null, report: r.report, sourceGz: r.gz });
    this.deps.emit('hyper.changed', { graphId: id });
    return getGraph(this.deps.db, id)!;
  }

  /**
   * Train the embedding (and, when asked, the Euclidean baseline, in parallel on the pool), evaluate
   * both, and store them in one transaction once both are done. A cancelled job stores nothing.
   */
  startTraining(req: HyperTrainRequest): { jobId: string; done: Promise<JobInfo<HyperTrainOutcome>> } {
    const r = resolveTrainRequest(req, req && typeof req === 'object' ? getGraph(this.deps.db, Number(req.graphId)) : null);
    const gz = graphSourceGz(this.deps.db, r.graph.id)!;
    const ref = { jobId: '' };
    const { jobId, done } = this.deps.jobs.start('hyper-train', async (ctx) => {
      const t0 = performance.now();
      const s = r.settings;
      const models: EmbeddingModel[] = r.euclidean ? ['poincare', 'euclidean'] : ['poincare'];
      const epochsEach = s.burnIn + s.epochs;
      const done = new Map<EmbeddingModel, number>();
      const report = (message: string): void => {
        let sum = 0;
        for (const v of done.values()) sum += v;
        ctx.progress(sum, epochsEach * models.length + models.length, message);
      };
      report(`building the graph of ${r.graph.name}`);
      // One model failing (e.g. a diverging learning rate) stops the other at once.
      const inner = new AbortController();
      const stop = (): void => inner.abort();
      ctx.signal.addEventListener('abort', stop, { once: true });
      const results = await Promise.all(
        models.map((model) =>
          this.deps.pool.run(
            'hyper-train',
            { gz, directed: s.directed, tau: s.tau ?? 0.3, model, dim: s.dim, epochs: s.epochs, negatives: s.negatives, burnIn: s.burnIn, lr: s.lr, seed: s.seed },
            inner.signal,
            (q) => {
              if (q.kind === 'epoch') {
                done.set(model, q.epoch);
                report(`${MODEL_TEXT[model]}: epoch ${q.epoch} of ${q.total}${q.burnIn ? ' (burn-in)' : ''}, loss ${q.loss.toFixed(4)}`);
                this.deps.emit('hyper.epoch', { jobId: ref.jobId, model, epoch: q.epoch, total: q.total, loss: q.loss, burnIn: q.burnIn });
              } else {
                done.set(model, epochsEach + q.done / Math.max(1, q.total));
                report(`${MODEL_TEXT[model]}: evaluating (${q.done} of ${q.total} genres ranked)`);
              }
            },
          ),
        ),
      ).catch((err: unknown) => {
        inner.abort();
        throw err;
      }).finally(() => ctx.signal.removeEventListener('abort', stop));
      ctx.checkCancelled();
      const [poincare, euclid] = results as [HyperTrainResult, HyperTrainResult | undefined];
      const write = (x: HyperTrainResult): EmbeddingWrite => ({
        graphId: r.graph.id,
        name: `${r.name} · ${MODEL_TEXT[x.model]}`,
        model: x.model,
        dim: x.dim,
        names: x.names,
        vectors: x.vectors,
        src: x.src,
        dst: x.dst,
        settings: s,
        evaluation: x.evaluation,
        losses: x.losses,
        seconds: x.seconds,
      });
      const ids = insertEmbeddings(this.deps.db, write(poincare), euclid ? write(euclid) : null);
      ctx.progress(1, 1, 'stored');
      this.deps.emit('hyper.changed', { embeddingId: ids.id });
      return {
        embeddingId: ids.id,
        euclideanId: ids.baselineId,
        nodes: poincare.names.length,
        edges: poincare.src.length,
        evaluation: poincare.evaluation!,
        euclideanEvaluation: euclid?.evaluation ?? null,
        seconds: (performance.now() - t0) / 1000,
      } satisfies HyperTrainOutcome;
    });
    ref.jobId = jobId;
    return { jobId, done };
  }

  /** A stored embedding, parsed (cached), with the degree of each genre in its training graph. */
  embedding(id: number): { emb: ModelEmbedding; degree: Float64Array } {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const e = getEmbeddingFlat(this.deps.db, id);
    if (!e) throw new AppError('not-found', `No embedding ${id}`);
    const entry = { emb: { names: e.names, vectors: e.flat, dim: e.dim, model: e.model }, degree: degrees(e.names.length, e.src, e.dst) };
    this.cache.set(id, entry);
    while (this.cache.size > 4) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  handlers(): Pick<Handlers, HyperMethod> {
    const db = this.deps.db;
    const id = (x: unknown): number => {
      const n = Number(x);
      if (!Number.isInteger(n)) throw new AppError('bad-request', 'embeddingId must be a whole number');
      return n;
    };
    return {
      'hyper.import': async (req) => this.importGraph(req),
      'hyper.graphs': async () => listGraphs(db),
      'hyper.train': async (req) => {
        const { jobId, done } = this.startTraining(req);
        done.catch(() => undefined);
        return { jobId };
      },
      'hyper.embeddings': async () => listEmbeddings(db),
      'hyper.get': async (req) => {
        const d = embeddingDetail(db, id(req?.embeddingId));
        if (!d) throw new AppError('not-found', `No embedding ${String(req?.embeddingId)}`);
        return d;
      },
      'hyper.labels': async () => libraryLabels(db),
      'hyper.neighbours': async (req) => neighboursQuery(this.embedding(id(req?.embeddingId)).emb, String(req?.genre ?? ''), req.k),
      'hyper.parents': async (req) => parentsQuery(this.embedding(id(req?.embeddingId)).emb, String(req?.genre ?? ''), req),
      'hyper.dendrogram': async (req) => {
        const { emb, degree } = this.embedding(id(req?.embeddingId));
        return dendrogramQuery(emb, degree, { top: req.top, around: req.around });
      },
      'hyper.export': async (req) => {
        const { emb } = this.embedding(id(req?.embeddingId));
        return exportEmbedding(emb, req.kind, `embedding-${req.embeddingId}-${emb.model}-${emb.dim}d`);
      },
      'hyper.delete': async (req) => {
        let deleted = false;
        if (req?.embeddingId !== undefined) {
          deleted = deleteEmbedding(db, id(req.embeddingId));
          this.cache.delete(req.embeddingId);
        }
        if (req?.graphId !== undefined) deleted = deleteGraph(db, Number(req.graphId)) || deleted;
        if (deleted) this.deps.emit('hyper.changed', { embeddingId: req.embeddingId, graphId: req.graphId });
        return { deleted };
      },
    };
  }
}
