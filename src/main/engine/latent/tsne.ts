// t-SNE (van der Maaten & Hinton 2008; Barnes–Hut variant, van der Maaten 2014) with the
// optimiser schedule of scikit-learn's sklearn.manifold.TSNE:
//   - P from the k = min(n − 1, ⌊3·perplexity + 1⌋) exact nearest neighbours (squared Euclidean),
//     perplexity-calibrated per point, symmetrised; 'exact' uses all n − 1 other points;
//   - Cauchy kernel q ∝ 1 / (1 + d²) in the embedding (one degree of freedom, any dimension, as in
//     van der Maaten's bhtsne; sklearn uses max(dim − 1, 1) degrees of freedom instead);
//   - early exaggeration 12 for the first 250 iterations with momentum 0.5, then momentum 0.8;
//     gains +0.2 / ×0.8 clipped at 0.01; update and gains reset when the phase changes (sklearn
//     runs the two phases as two calls of its gradient descent);
//   - learning rate 'auto' = max(n / early_exaggeration / 4, 50);
//   - PCA initialisation scaled to std 1e-4 on the first axis, or N(0, 1e-4²) random.
// The repulsive forces use an octree (3-D) or quadtree (2-D) with the criterion
// width / distance < theta (bhtree.ts), optionally split over worker threads (parallel.ts,
// option `threads`); 'exact' sums all pairs.

import { AppError } from '../../../shared/errors';
import { mulberry32, normal, type Rng } from '../random';
import { conditionalP, symmetrize, type SparseP } from './affinity';
import { BHTree } from './bhtree';
import { knnExact } from './knn';
import { RepulsionPool } from './parallel';
import { checkMatrix } from './linalg';
import { pca } from './pca';

export interface TSNEOptions {
  /** Embedding dimension, 1–3 (default 2). */
  dim?: number;
  /** Default 30. Lowered (with a warning) to (n − 1) / 3 when there are too few points. */
  perplexity?: number;
  /** Default 12. */
  earlyExaggeration?: number;
  /** Iterations with exaggeration and momentum 0.5 (default 250). */
  exaggerationIterations?: number;
  /** Total iterations (default 1000). */
  nIter?: number;
  /** A number or 'auto' (default): max(n / earlyExaggeration / 4, 50). */
  learningRate?: number | 'auto';
  /** Momentum before / after the exaggeration phase (default 0.5 / 0.8). */
  momentum?: [number, number];
  /** Smallest gain (default 0.01). */
  minGain?: number;
  /** Barnes–Hut opening angle (default 0.5; 0 makes the tree sum exact). */
  theta?: number;
  /** 'exact' sums all pairs; 'barnes-hut' uses the tree; 'auto' (default): exact when n ≤ 300. */
  method?: 'auto' | 'exact' | 'barnes-hut';
  /** 'pca' (default), 'random', or an n × dim array of starting positions. */
  init?: 'pca' | 'random' | Float64Array;
  /** Random source for 'random' init and padding (default mulberry32(0)). */
  rng?: Rng;
  /** Points per Barnes–Hut leaf (default 1). */
  leafSize?: number;
  /**
   * Threads for the Barnes–Hut repulsion (default 1). With more, helper worker_threads share the
   * work through SharedArrayBuffers while step() stays synchronous; call dispose() (or let run()
   * finish) to release them. Results are deterministic for a given thread count.
   */
  threads?: number;
  /** Refuse larger inputs (default 100,000 points). */
  maxPoints?: number;
  /** Refuse inputs whose working memory estimate exceeds this (default 2 GiB). */
  maxMemoryBytes?: number;
}

const EXACT_AUTO_MAX = 300;

/** Working-memory estimate of a t-SNE run, in bytes (the dominant arrays; JS overhead excluded). */
export function estimateTsneMemory(n: number, d: number, dim: number, k: number): number {
  const knn = n * k * (4 + 8 + 8); // indices, squared distances, conditional P
  const sym = n * k * 2 * (4 + 8) * 2; // provisional + merged symmetric CSR
  const tree = (2 * n + 100) * ((dim + 2) * 8 + 12) + n * (dim * 8 + 12);
  const opt = 5 * n * dim * 8; // Y, update, gains, gradient, repulsion
  return n * d * 8 + knn + sym + tree + opt;
}

export class TSNE {
  readonly dim: number;
  readonly nIter: number;
  /** Perplexity actually used (may be lowered for small inputs). */
  perplexity: number;
  readonly earlyExaggeration: number;
  readonly exaggerationIterations: number;
  readonly theta: number;
  readonly minGain: number;
  readonly momentum: [number, number];
  /** Learning rate actually used (resolved at init). */
  learningRate = 0;
  /** 'exact' or 'barnes-hut', resolved at init. */
  method: 'exact' | 'barnes-hut' = 'barnes-hut';
  /** Iterations done so far. */
  iteration = 0;
  /** Human-readable notes about adjustments made (lowered perplexity, fallback init, ...). */
  readonly warnings: string[] = [];
  /** Seconds spent in the preparation stages of init (neighbours, affinities, initialisation). */
  readonly timings: Record<string, number> = {};
  /**
   * Seconds spent per stage of the iterations so far (wall clock): tree build, repulsion (including
   * the build; the exact sum for 'exact'), attraction, and the gain/momentum update.
   */
  readonly stageSeconds = { tree: 0, repulsion: 0, attraction: 0, update: 0 };

  private readonly opts: TSNEOptions;
  private readonly rng: Rng;
  private n = 0;
  private Y: Float64Array = new Float64Array(0);
  private P: SparseP = { n: 0, rowPtr: new Int32Array(1), cols: new Int32Array(0), vals: new Float64Array(0) };
  private update: Float64Array = new Float64Array(0);
  private gains: Float64Array = new Float64Array(0);
  private grad: Float64Array = new Float64Array(0);
  private rep: Float64Array = new Float64Array(0);
  private attr: Float64Array = new Float64Array(0);
  /** Upper-triangle pairs (i < j) of P, for the attraction. */
  /** Upper triangle of P by row: pairs edgeStart[i] .. edgeStart[i+1]−1 have i < edgeJ. */
  private edgeStart: Int32Array = new Int32Array(1);
  private edgeJ: Int32Array = new Int32Array(0);
  private edgeP: Float64Array = new Float64Array(0);
  private tree: BHTree | null = null;
  private pool: RepulsionPool | null = null;
  private lastZ = 0;

  constructor(opts: TSNEOptions = {}) {
    this.opts = opts;
    this.dim = opts.dim ?? 2;
    if (!Number.isInteger(this.dim) || this.dim < 1 || this.dim > 3) throw new RangeError('TSNE: dim must be 1, 2 or 3');
    this.nIter = opts.nIter ?? 1000;
    this.perplexity = opts.perplexity ?? 30;
    if (!(this.perplexity > 0)) throw new RangeError('TSNE: perplexity must be positive');
    this.earlyExaggeration = opts.earlyExaggeration ?? 12;
    this.exaggerationIterations = opts.exaggerationIterations ?? 250;
    this.theta = opts.theta ?? 0.5;
    this.minGain = opts.minGain ?? 0.01;
    this.momentum = opts.momentum ?? [0.5, 0.8];
    this.rng = opts.rng ?? mulberry32(0);
  }

  /** Prepare affinities and the starting embedding for X (n × d, row-major). */
  init(X: Float64Array, n: number, d: number): this {
    checkMatrix('TSNE.init', X, n, d);
    const { dim, opts } = this;
    this.warnings.length = 0;
    this.perplexity = opts.perplexity ?? 30;
    const maxPoints = opts.maxPoints ?? 100_000;
    const maxMem = opts.maxMemoryBytes ?? 2 * 1024 ** 3;
    if (n > 1 && 3 * this.perplexity > n - 1) {
      const p = Math.max(1, (n - 1) / 3);
      this.warnings.push(
        `perplexity ${this.perplexity} needs more than ${Math.ceil(3 * this.perplexity)} points; lowered to ${p.toFixed(2)} for ${n} points`,
      );
      this.perplexity = p;
    }
    let method = opts.method ?? 'auto';
    if (method === 'auto') method = n <= EXACT_AUTO_MAX ? 'exact' : 'barnes-hut';
    this.method = method;
    const k = n <= 1 ? 0 : method === 'exact' ? n - 1 : Math.min(n - 1, Math.floor(3 * this.perplexity + 1));
    const mem = estimateTsneMemory(n, d, dim, k);
    if (n > maxPoints || mem > maxMem) {
      throw new AppError(
        'bad-request',
        `t-SNE of ${n.toLocaleString('en-US')} points is refused: it would need about ${formatBytes(mem)} of working memory ` +
          `and an O(n²) neighbour search (limit ${maxPoints.toLocaleString('en-US')} points, ${formatBytes(maxMem)}). ` +
          `Use PCA or UMAP for the whole set, or run t-SNE on a random sample of at most ${Math.min(maxPoints, 50_000).toLocaleString('en-US')} points.`,
      );
    }
    let t0 = performance.now();
    if (n > 1) {
      const nn = knnExact(X, n, d, k);
      this.timings.neighbours = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const cond = conditionalP(nn.sqDistances, n, k, this.perplexity);
      this.P = symmetrize(cond, nn.indices, n, k);
      this.timings.affinities = (performance.now() - t0) / 1000;
    } else {
      this.P = { n, rowPtr: new Int32Array(n + 1), cols: new Int32Array(0), vals: new Float64Array(0) };
    }
    t0 = performance.now();
    const Y = this.initialEmbedding(X, n, d);
    this.timings.initialisation = (performance.now() - t0) / 1000;
    return this.setup(n, Y);
  }

  /**
   * Start from precomputed affinities instead of data: P symmetric, non-negative, summing to 1
   * (both (i, j) and (j, i) stored). The `init` option must be 'random' or an array.
   */
  initWithAffinities(P: SparseP): this {
    const n = P.n;
    this.warnings.length = 0;
    if (P.rowPtr.length !== n + 1 || P.cols.length !== P.rowPtr[n] || P.vals.length !== P.rowPtr[n]) {
      throw new RangeError('TSNE.initWithAffinities: malformed sparse matrix');
    }
    if (this.opts.init === 'pca' || this.opts.init === undefined) {
      throw new RangeError("TSNE.initWithAffinities: PCA initialisation needs the data; use init 'random' or an array");
    }
    this.method = this.opts.method === 'exact' || (this.opts.method !== 'barnes-hut' && n <= EXACT_AUTO_MAX) ? 'exact' : 'barnes-hut';
    this.P = P;
    return this.setup(n, this.initialEmbedding(new Float64Array(0), n, 0));
  }

  private setup(n: number, Y: Float64Array): this {
    const { dim, opts } = this;
    this.n = n;
    this.iteration = 0;
    const lr = opts.learningRate ?? 'auto';
    this.learningRate = lr === 'auto' ? Math.max(n / this.earlyExaggeration / 4, 50) : lr;
    this.Y = Y;
    this.update = new Float64Array(n * dim);
    this.gains = new Float64Array(n * dim).fill(1);
    this.grad = new Float64Array(n * dim);
    this.attr = new Float64Array(n * dim);
    this.buildEdges();
    this.dispose();
    const threads = Math.max(1, Math.floor(opts.threads ?? 1));
    const parallel = this.method === 'barnes-hut' && threads > 1 && n >= 64 * threads;
    this.rep = new Float64Array(parallel ? new SharedArrayBuffer(n * dim * 8) : new ArrayBuffer(n * dim * 8));
    this.tree = this.method === 'barnes-hut' && n > 1 ? new BHTree(n, dim, opts.leafSize ?? 1, parallel) : null;
    if (parallel && this.tree) {
      try {
        this.pool = new RepulsionPool(this.tree, this.rep, threads, n);
      } catch (e) {
        this.warnings.push(`worker threads unavailable (${(e as Error).message}); running on one thread`);
      }
    }
    return this;
  }

  private buildEdges(): void {
    const { rowPtr, cols, vals } = this.P;
    let m = 0;
    for (let i = 0; i < this.n; i++) for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (cols[p] > i) m++;
    this.edgeStart = new Int32Array(this.n + 1);
    this.edgeJ = new Int32Array(m);
    this.edgeP = new Float64Array(m);
    m = 0;
    for (let i = 0; i < this.n; i++) {
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        if (cols[p] <= i) continue;
        this.edgeJ[m] = cols[p];
        this.edgeP[m++] = vals[p];
      }
      this.edgeStart[i + 1] = m;
    }
  }

  private initialEmbedding(X: Float64Array, n: number, d: number): Float64Array {
    const { dim, rng } = this;
    const init = this.opts.init ?? 'pca';
    const Y = new Float64Array(n * dim);
    if (init instanceof Float64Array) {
      checkMatrix('TSNE init positions', init, n, dim);
      Y.set(init.subarray(0, n * dim));
      return Y;
    }
    if (init === 'pca' && n > 1) {
      const kc = Math.min(dim, d, n);
      const { scores } = pca(X, n, d, { nComponents: kc });
      let m = 0;
      for (let i = 0; i < n; i++) m += scores[i * kc];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (scores[i * kc] - m) ** 2;
      const sd = Math.sqrt(v / n);
      if (sd > 0) {
        for (let i = 0; i < n; i++) {
          for (let a = 0; a < dim; a++) {
            Y[i * dim + a] = a < kc ? (scores[i * kc + a] / sd) * 1e-4 : 1e-4 * normal(rng);
          }
        }
        if (kc < dim) this.warnings.push(`input has only ${kc} principal axes; the other ${dim - kc} start random`);
        return Y;
      }
      this.warnings.push('all points are identical: PCA initialisation impossible, random initialisation used');
    }
    for (let i = 0; i < n * dim; i++) Y[i] = 1e-4 * normal(rng);
    return Y;
  }

  /** One iteration of gradient descent; returns the number of iterations done. */
  step(): number {
    const { n, dim, Y, update, gains, grad } = this;
    if (n <= 1) return ++this.iteration;
    const it = this.iteration;
    if (it === this.exaggerationIterations && it > 0) {
      // sklearn starts a fresh descent for the second phase.
      update.fill(0);
      gains.fill(1);
    }
    const exag = it < this.exaggerationIterations ? this.earlyExaggeration : 1;
    const mom = it < this.exaggerationIterations ? this.momentum[0] : this.momentum[1];
    this.gradient(exag, grad);
    const lr = this.learningRate;
    const minGain = this.minGain;
    const t0 = performance.now();
    for (let c = 0; c < n * dim; c++) {
      const g = grad[c];
      let u = update[c];
      let gain = u * g < 0 ? gains[c] + 0.2 : gains[c] * 0.8;
      if (gain < minGain) gain = minGain;
      gains[c] = gain;
      u = mom * u - lr * gain * g;
      update[c] = u;
      Y[c] += u;
    }
    this.stageSeconds.update += (performance.now() - t0) / 1000;
    return ++this.iteration;
  }

  /**
   * Run the remaining iterations; `stop(iteration)` returning true ends the run early. Helper
   * threads (option `threads`) are released when the last iteration is done.
   */
  run(stop?: (iteration: number) => boolean): Float64Array {
    while (this.iteration < this.nIter) {
      this.step();
      if (stop && stop(this.iteration)) break;
    }
    if (this.iteration >= this.nIter) this.dispose();
    return this.Y;
  }

  /** Threads currently computing the repulsion (1 unless helper threads are running). */
  get activeThreads(): number {
    return this.pool ? this.pool.threads : 1;
  }

  /** Release helper threads, if any (further steps run on the calling thread). Idempotent. */
  dispose(): void {
    this.pool?.dispose();
    this.pool = null;
  }

  /** The input affinities P (symmetric, summing to 1), e.g. to reuse with initWithAffinities. */
  get affinities(): SparseP {
    return this.P;
  }

  /** The current embedding, n × dim (a live view: copy it to keep a snapshot). */
  getEmbedding(): Float64Array {
    return this.Y;
  }

  /** Kullback–Leibler divergence KL(P‖Q) at the current embedding (Q by the method's own sum). */
  klDivergence(): number {
    if (this.n <= 1) return 0;
    this.gradient(1, this.grad);
    const Z = this.lastZ;
    const { rowPtr, cols, vals } = this.P;
    const { Y, dim } = this;
    let kl = 0;
    for (let i = 0; i < this.n; i++) {
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const pij = vals[p];
        if (pij <= 0) continue;
        const j = cols[p];
        let d2 = 0;
        for (let a = 0; a < dim; a++) {
          const u = Y[i * dim + a] - Y[j * dim + a];
          d2 += u * u;
        }
        const q = 1 / (1 + d2) / Z;
        kl += pij * Math.log(pij / Math.max(q, Number.MIN_VALUE));
      }
    }
    return kl;
  }

  /** Gradient of KL(exag·P ‖ Q) into g (n × dim); also records Z. */
  gradient(exag: number, g: Float64Array): void {
    const { n, dim, Y, rep } = this;
    const st = this.stageSeconds;
    let Z: number;
    const t0 = performance.now();
    if (this.tree) {
      this.tree.build(Y);
      const t1 = performance.now();
      st.tree += (t1 - t0) / 1000;
      Z = this.pool ? this.pool.repulsion(this.theta) : this.tree.repulsion(this.theta, rep);
    } else {
      Z = exactRepulsion(Y, n, dim, rep);
    }
    const t2 = performance.now();
    st.repulsion += (t2 - t0) / 1000;
    this.lastZ = Z;
    const invZ = Z > 0 ? 1 / Z : 0;
    // Attraction Σ_j p_ij q_ij (yi − yj), each symmetric pair visited once.
    const attr = this.attr;
    attr.fill(0);
    const { edgeStart, edgeJ, edgeP } = this;
    if (dim === 3) {
      for (let i = 0; i < n; i++) {
        const oi = 3 * i;
        const yx = Y[oi];
        const yy = Y[oi + 1];
        const yz = Y[oi + 2];
        let ax = 0;
        let ay = 0;
        let az = 0;
        for (let e = edgeStart[i], ee = edgeStart[i + 1]; e < ee; e++) {
          const oj = 3 * edgeJ[e];
          const dx = yx - Y[oj];
          const dy = yy - Y[oj + 1];
          const dz = yz - Y[oj + 2];
          const w = edgeP[e] / (1 + dx * dx + dy * dy + dz * dz);
          ax += w * dx;
          ay += w * dy;
          az += w * dz;
          attr[oj] -= w * dx;
          attr[oj + 1] -= w * dy;
          attr[oj + 2] -= w * dz;
        }
        attr[oi] += ax;
        attr[oi + 1] += ay;
        attr[oi + 2] += az;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const oi = dim * i;
        for (let e = edgeStart[i], ee = edgeStart[i + 1]; e < ee; e++) {
          const oj = dim * edgeJ[e];
          let d2 = 0;
          for (let a = 0; a < dim; a++) {
            const u = Y[oi + a] - Y[oj + a];
            d2 += u * u;
          }
          const w = edgeP[e] / (1 + d2);
          for (let a = 0; a < dim; a++) {
            const f = w * (Y[oi + a] - Y[oj + a]);
            attr[oi + a] += f;
            attr[oj + a] -= f;
          }
        }
      }
    }
    for (let c = 0; c < n * dim; c++) g[c] = 4 * (exag * attr[c] - rep[c] * invZ);
    st.attraction += (performance.now() - t2) / 1000;
  }
}

/** Exact repulsion: rep[i] = Σ_{j≠i} q_ij² (yi − yj) with q = 1/(1+d²); returns Z = Σ_{i≠j} q_ij. */
export function exactRepulsion(Y: Float64Array, n: number, dim: number, rep: Float64Array): number {
  rep.fill(0);
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dim;
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        const u = Y[oi + a] - Y[oj + a];
        d2 += u * u;
      }
      const q = 1 / (1 + d2);
      Z += 2 * q;
      const q2 = q * q;
      for (let a = 0; a < dim; a++) {
        const f = q2 * (Y[oi + a] - Y[oj + a]);
        rep[oi + a] += f;
        rep[oj + a] -= f;
      }
    }
  }
  return Z;
}

function formatBytes(b: number): string {
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(b / 1024 ** 2)} MiB`;
}
