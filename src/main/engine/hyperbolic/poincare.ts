// Poincaré embeddings (Nickel & Kiela, NeurIPS 2017) and the Euclidean baseline trained the same way.
//
// Loss per relation (u, v), as gensim's PoincareModel: −log( e^{−d(u,v)} / Σ_{w ∈ {v} ∪ N(u)} e^{−d(u,w)} )
// over `negatives` nodes w sampled for u among nodes not adjacent to u (rejection by binary search in
// a sorted CSR adjacency). Poincaré: Riemannian SGD, θ ← proj(θ − lr · (1 − ‖θ‖²)²/4 · ∇_E), with the
// projection keeping ‖θ‖ ≤ 1 − ε. Euclidean: d = ‖u − v‖, plain SGD, no ball. Burn-in epochs first at
// a reduced rate (lr/10 by default, as the paper and gensim). Float64 throughout, seeded.
//
// Step-wise: `new EmbeddingTrainer(graph, opts)` initialises; `epoch()` runs one epoch and returns its
// log; `run(onEpoch)` runs the rest and stops early when the callback returns true.
import { mulberry32, type Rng } from '../random';
import { buildAdjacency, hasNeighbour, type Adjacency } from './graph';
import { MIN_CONFORMAL } from './math';

export type Geometry = 'poincare' | 'euclidean';
/** Negative sampling distribution: ∝ degree (gensim), ∝ degree^0.75 (word2vec), or uniform. */
export type NegativeSampling = 'degree' | 'degree75' | 'uniform';

export interface EmbeddingOptions {
  geometry?: Geometry;
  dim?: number;
  /** Epochs after burn-in (default 50). */
  epochs?: number;
  /** Negatives per relation (default 10). */
  negatives?: number;
  /** Learning rate (default 0.1 for the Poincaré ball, 0.1 for the Euclidean baseline). */
  lr?: number;
  /** Burn-in epochs at burnInLr (default 10). */
  burnIn?: number;
  /** Burn-in learning rate (default lr / 10). */
  burnInLr?: number;
  /** Relations per update (default 10): gradients of a batch are taken at the same parameters and summed. */
  batchSize?: number;
  seed?: number;
  sampling?: NegativeSampling;
  /** Projection margin: ‖θ‖ ≤ 1 − epsilon (default 1e-5, gensim's). */
  epsilon?: number;
  /** Initial coordinates uniform in [−initRange, initRange] (default 1e-3, gensim's). */
  initRange?: number;
  /**
   * For an undirected graph, train every edge in both directions (u→v and v→u), so both ends get
   * their own negatives (default true). gensim trains the pairs only as given.
   */
  bothDirections?: boolean;
  /** Learning-rate schedule after burn-in: constant (gensim) or linear decay to lrFinal · lr. */
  schedule?: 'constant' | 'linear';
  /** Final fraction of lr for the linear schedule (default 0.1). */
  lrFinal?: number;
  /**
   * How a Poincaré step moves a point: 'first-order' θ + v (Nickel & Kiela, gensim), or 'exp' along the
   * geodesic, exp_θ(v) (Bécigneul & Ganea, "Riemannian Adaptive Optimization Methods", ICLR 2019).
   * Either way the point is projected back inside the ball. Default 'first-order'.
   */
  retraction?: 'first-order' | 'exp';
}

export interface EpochLog {
  /** 1-based, burn-in epochs included. */
  epoch: number;
  burnIn: boolean;
  lr: number;
  /** Mean loss per relation. */
  loss: number;
  seconds: number;
}

/** The relations to embed: node count and edges (undirected graphs hold each edge once). */
export interface RelationGraph {
  n: number;
  src: ArrayLike<number>;
  dst: ArrayLike<number>;
  directed: boolean;
}

export interface ResolvedEmbeddingOptions extends Required<EmbeddingOptions> {}

export function resolveEmbeddingOptions(o: EmbeddingOptions = {}): ResolvedEmbeddingOptions {
  const lr = o.lr ?? 0.1;
  const r: ResolvedEmbeddingOptions = {
    geometry: o.geometry ?? 'poincare',
    dim: o.dim ?? 10,
    epochs: o.epochs ?? 50,
    negatives: o.negatives ?? 10,
    lr,
    burnIn: o.burnIn ?? 10,
    burnInLr: o.burnInLr ?? lr / 10,
    batchSize: o.batchSize ?? 10,
    seed: o.seed ?? 0,
    sampling: o.sampling ?? 'degree',
    epsilon: o.epsilon ?? 1e-5,
    initRange: o.initRange ?? 1e-3,
    bothDirections: o.bothDirections ?? true,
    schedule: o.schedule ?? 'constant',
    lrFinal: o.lrFinal ?? 0.1,
    retraction: o.retraction ?? 'first-order',
  };
  const bad = (what: string): never => {
    throw new RangeError(`embedding: ${what}`);
  };
  if (!(Number.isInteger(r.dim) && r.dim >= 1)) bad(`dim must be a positive integer, got ${r.dim}`);
  if (!(Number.isInteger(r.epochs) && r.epochs >= 0)) bad(`epochs must be a non-negative integer, got ${r.epochs}`);
  if (!(Number.isInteger(r.burnIn) && r.burnIn >= 0)) bad(`burnIn must be a non-negative integer, got ${r.burnIn}`);
  if (!(Number.isInteger(r.negatives) && r.negatives >= 1)) bad(`negatives must be a positive integer, got ${r.negatives}`);
  if (!(Number.isInteger(r.batchSize) && r.batchSize >= 1)) bad(`batchSize must be a positive integer, got ${r.batchSize}`);
  if (!(r.lr > 0) || !(r.burnInLr > 0)) bad('learning rates must be positive');
  if (!(r.epsilon > 0 && r.epsilon < 0.5)) bad(`epsilon must lie in (0, 0.5), got ${r.epsilon}`);
  return r;
}

/** Walker's alias table: O(1) draws from a discrete distribution. */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;
  constructor(weights: Float64Array) {
    const n = weights.length;
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    if (!(total > 0)) throw new RangeError('alias table: all weights are zero');
    const scaled = Float64Array.from(weights, (w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = n - 1; i >= 0; i--) (scaled[i] < 1 ? small : large).push(i);
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }
  draw(rng: Rng): number {
    const x = rng() * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i] ? i : this.alias[i];
  }
}

export class EmbeddingTrainer {
  readonly opts: ResolvedEmbeddingOptions;
  readonly n: number;
  readonly dim: number;
  /** n × dim, row-major; updated in place by every epoch. */
  readonly params: Float64Array;
  /** Relations trained per epoch (u → v). */
  readonly relU: Int32Array;
  readonly relV: Int32Array;
  /** Undirected neighbourhood used to reject negatives. */
  readonly adjacency: Adjacency;
  readonly totalEpochs: number;
  private epochsDone = 0;
  private readonly rng: Rng;
  private readonly sampler: AliasTable | null;
  private readonly order: Int32Array;
  // scratch
  private readonly acc: Float64Array;
  private readonly mark: Uint8Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  /** Squared norms of the rows of params, kept current. */
  private readonly sq: Float64Array;
  private readonly sqd: Float64Array;
  private readonly poincare: boolean;
  private readonly expRetraction: boolean;
  private readonly cand: Int32Array;
  private readonly dists: Float64Array;
  private readonly coef: Float64Array;
  private readonly gu: Float64Array;

  constructor(graph: RelationGraph, options: EmbeddingOptions = {}) {
    const o = (this.opts = resolveEmbeddingOptions(options));
    const n = (this.n = graph.n);
    const dim = (this.dim = o.dim);
    const m = graph.src.length;
    if (graph.dst.length !== m) throw new RangeError('embedding: src and dst differ in length');
    for (let e = 0; e < m; e++) {
      const a = graph.src[e];
      const b = graph.dst[e];
      if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n)) throw new RangeError(`embedding: edge ${e} (${a}, ${b}) is outside 0..${n - 1}`);
    }
    const both = !graph.directed && o.bothDirections;
    const count = both ? 2 * m : m;
    this.relU = new Int32Array(count);
    this.relV = new Int32Array(count);
    for (let e = 0; e < m; e++) {
      this.relU[e] = graph.src[e];
      this.relV[e] = graph.dst[e];
      if (both) {
        this.relU[m + e] = graph.dst[e];
        this.relV[m + e] = graph.src[e];
      }
    }
    this.adjacency = buildAdjacency(n, graph.src, graph.dst, true);
    this.totalEpochs = o.burnIn + o.epochs;
    this.rng = mulberry32(o.seed);
    // Negative sampling weights: appearances in the relation list (gensim's counts), optionally ^0.75.
    const appear = new Float64Array(n);
    for (let e = 0; e < m; e++) {
      appear[graph.src[e]]++;
      appear[graph.dst[e]]++;
    }
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = o.sampling === 'uniform' ? 1 : o.sampling === 'degree75' ? Math.pow(appear[i], 0.75) : appear[i];
    this.sampler = n > 1 && w.some((x) => x > 0) ? new AliasTable(w) : null;
    this.params = new Float64Array(n * dim);
    for (let k = 0; k < n * dim; k++) this.params[k] = (2 * this.rng() - 1) * o.initRange;
    this.order = Int32Array.from({ length: count }, (_, i) => i);
    const slots = o.batchSize * (o.negatives + 2);
    this.acc = new Float64Array(n * dim);
    this.mark = new Uint8Array(n);
    this.touched = new Int32Array(Math.min(n, slots) + 1);
    this.cand = new Int32Array(o.negatives + 1);
    this.dists = new Float64Array(o.negatives + 1);
    this.coef = new Float64Array(o.negatives + 1);
    this.gu = new Float64Array(dim);
    this.sqd = new Float64Array(o.negatives + 1);
    this.poincare = o.geometry === 'poincare';
    this.expRetraction = this.poincare && o.retraction === 'exp';
    this.sq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let k = 0; k < dim; k++) q += this.params[i * dim + k] ** 2;
      this.sq[i] = q;
    }
  }

  /** Epochs run so far (burn-in included). */
  get epochsRun(): number {
    return this.epochsDone;
  }

  get done(): boolean {
    return this.epochsDone >= this.totalEpochs;
  }

  /** Learning rate of the next epoch. */
  currentLr(): number {
    const o = this.opts;
    const e = this.epochsDone;
    if (e < o.burnIn) return o.burnInLr;
    if (o.schedule === 'linear' && o.epochs > 1) {
      const t = (e - o.burnIn) / (o.epochs - 1);
      return o.lr * (1 - t * (1 - o.lrFinal));
    }
    return o.lr;
  }

  /** Draw up to `negatives` nodes not adjacent to u (and not u, not v) into this.cand[1..]; returns the count. */
  private sampleNegatives(u: number, v: number): number {
    const N = this.opts.negatives;
    const sampler = this.sampler;
    if (!sampler) return 0;
    const adj = this.adjacency;
    const rng = this.rng;
    let got = 0;
    const maxTries = 50 * N + 50;
    for (let t = 0; t < maxTries && got < N; t++) {
      const w = sampler.draw(rng);
      if (w === u || w === v || hasNeighbour(adj, u, w)) continue;
      this.cand[1 + got++] = w;
    }
    return got;
  }

  /**
   * Loss of one relation; its gradient, scaled by −rate (and the Riemannian factor in the ball), is
   * added to acc and the nodes it moves are recorded in `touched`. Returns the loss.
   */
  private relationStep(u: number, v: number, rate: number): number {
    const got = this.sampleNegatives(u, v);
    this.cand[0] = v;
    return this.relationCore(u, got + 1, rate);
  }

  /**
   * Loss of the relation (u, v) against the given negatives, and the update one SGD step at `rate`
   * would make (n × dim: −rate · (1 − ‖θ‖²)²/4 · ∇_E loss in the ball, −rate · ∇ loss in Euclidean
   * space), without changing the parameters. For inspection and tests; training uses the same code.
   */
  relationUpdate(u: number, v: number, negatives: ArrayLike<number>, rate = 1): { loss: number; update: Float64Array } {
    if (negatives.length > this.opts.negatives) throw new RangeError(`relationUpdate: at most ${this.opts.negatives} negatives`);
    this.cand[0] = v;
    for (let j = 0; j < negatives.length; j++) this.cand[1 + j] = negatives[j];
    const loss = this.relationCore(u, negatives.length + 1, rate);
    const update = this.acc.slice();
    for (let t = 0; t < this.touchedCount; t++) {
      const i = this.touched[t];
      this.mark[i] = 0;
      this.acc.fill(0, i * this.dim, (i + 1) * this.dim);
    }
    this.touchedCount = 0;
    return { loss, update };
  }

  private relationCore(u: number, K: number, rate: number): number {
    const dim = this.dim;
    const P = this.params;
    const sq = this.sq;
    const poincare = this.poincare;
    const cand = this.cand;
    const ou = u * dim;
    const alpha = Math.max(1 - sq[u], MIN_CONFORMAL);
    const dists = this.dists;
    const coef = this.coef;
    const sqd = this.sqd;
    let dmin = Infinity;
    for (let j = 0; j < K; j++) {
      const ow = cand[j] * dim;
      let dd = 0;
      for (let k = 0; k < dim; k++) {
        const t = P[ou + k] - P[ow + k];
        dd += t * t;
      }
      sqd[j] = dd;
      let d: number;
      if (poincare) {
        const beta = Math.max(1 - sq[cand[j]], MIN_CONFORMAL);
        const y = (2 * dd) / (alpha * beta);
        const root = Math.sqrt(y * (y + 2)); // √(γ² − 1), γ = 1 + y
        d = Math.log1p(y + root);
        coef[j] = root > 0 ? 4 / (alpha * beta * root) : 0;
      } else {
        d = Math.sqrt(dd);
        coef[j] = d > 0 ? 1 / d : 0;
      }
      dists[j] = d;
      if (d < dmin) dmin = d;
    }
    // softmax over −d (shifted by the smallest distance)
    let Z = 0;
    for (let j = 0; j < K; j++) {
      const e = Math.exp(dmin - dists[j]);
      dists[j] = e;
      Z += e;
    }
    const loss = -Math.log(dists[0] / Z);
    // ∂loss/∂d_j is 1 − p_0 for the positive and −p_j for a negative.
    const gu = this.gu;
    gu.fill(0);
    const acc = this.acc;
    const invZ = 1 / Z;
    for (let j = 0; j < K; j++) {
      const p = dists[j] * invZ;
      const gd = (j === 0 ? 1 - p : -p) * coef[j];
      if (gd === 0) continue;
      const w = cand[j];
      const ow = w * dim;
      if (!this.mark[w]) {
        this.mark[w] = 1;
        this.touched[this.touchedCount++] = w;
      }
      if (poincare) {
        // ∂d/∂u = c((‖u−w‖² + α)/α · u − w), ∂d/∂w = c((‖u−w‖² + β)/β · w − u)  (Nickel & Kiela eq. 4)
        const beta = Math.max(1 - sq[w], MIN_CONFORMAL);
        const cu = gd * ((sqd[j] + alpha) / alpha);
        const cw = gd * ((sqd[j] + beta) / beta);
        const facW = (-rate * beta * beta) / 4;
        for (let k = 0; k < dim; k++) {
          const a = P[ou + k];
          const b = P[ow + k];
          gu[k] += cu * a - gd * b;
          acc[ow + k] += facW * (cw * b - gd * a);
        }
      } else {
        // ∂d/∂u = (u − w)/d, ∂d/∂w = (w − u)/d
        for (let k = 0; k < dim; k++) {
          const diff = P[ou + k] - P[ow + k];
          gu[k] += gd * diff;
          acc[ow + k] += rate * gd * diff;
        }
      }
    }
    if (!this.mark[u]) {
      this.mark[u] = 1;
      this.touched[this.touchedCount++] = u;
    }
    const facU = poincare ? (-rate * alpha * alpha) / 4 : -rate;
    for (let k = 0; k < dim; k++) acc[ou + k] += facU * gu[k];
    return loss;
  }

  /** Apply the accumulated batch update to the touched rows, re-project them and refresh their norms. */
  private applyBatch(): void {
    const dim = this.dim;
    const P = this.params;
    const acc = this.acc;
    const sq = this.sq;
    const limit = 1 - this.opts.epsilon;
    const lim2 = limit * limit;
    for (let t = 0; t < this.touchedCount; t++) {
      const i = this.touched[t];
      this.mark[i] = 0;
      const o = i * dim;
      let s = 0;
      if (this.expRetraction) {
        // θ ← exp_θ(v) = θ ⊕ (tanh(λ‖v‖/2) v/‖v‖), v = the accumulated step, λ = 2/(1 − ‖θ‖²)
        let vv = 0;
        let tv = 0;
        for (let k = 0; k < dim; k++) {
          vv += acc[o + k] * acc[o + k];
          tv += P[o + k] * acc[o + k];
        }
        const tt = sq[i];
        const nv = Math.sqrt(vv);
        const lambda = 2 / Math.max(1 - tt, MIN_CONFORMAL);
        const f = nv > 0 ? Math.tanh((lambda * nv) / 2) / nv : 0;
        // Möbius addition θ ⊕ w with w = f·v
        const tw = f * tv;
        const ww = f * f * vv;
        const a = 1 + 2 * tw + ww;
        const b = 1 - tt;
        const den = Math.max(1 + 2 * tw + tt * ww, MIN_CONFORMAL);
        for (let k = 0; k < dim; k++) {
          const x = (a * P[o + k] + b * f * acc[o + k]) / den;
          acc[o + k] = 0;
          P[o + k] = x;
          s += x * x;
        }
      } else {
        for (let k = 0; k < dim; k++) {
          const x = P[o + k] + acc[o + k];
          acc[o + k] = 0;
          P[o + k] = x;
          s += x * x;
        }
      }
      if (this.poincare && s >= lim2) {
        const f = (limit / Math.sqrt(s)) * (1 - 1e-15);
        s = 0;
        for (let k = 0; k < dim; k++) {
          const x = P[o + k] * f;
          P[o + k] = x;
          s += x * x;
        }
      }
      sq[i] = s;
    }
    this.touchedCount = 0;
  }

  /** Run one epoch (shuffled relations, batches of batchSize). */
  epoch(): EpochLog {
    if (this.done) throw new Error('embedding: all epochs have run');
    const t0 = performance.now();
    const lr = this.currentLr();
    const burnIn = this.epochsDone < this.opts.burnIn;
    const order = this.order;
    const rng = this.rng;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    const B = this.opts.batchSize;
    let lossSum = 0;
    for (let s = 0; s < order.length; s += B) {
      const end = Math.min(order.length, s + B);
      for (let r = s; r < end; r++) {
        const e = order[r];
        lossSum += this.relationStep(this.relU[e], this.relV[e], lr);
      }
      this.applyBatch();
    }
    this.epochsDone++;
    return { epoch: this.epochsDone, burnIn, lr, loss: order.length ? lossSum / order.length : 0, seconds: (performance.now() - t0) / 1000 };
  }

  /**
   * Run the remaining epochs. `onEpoch` sees each epoch's log; returning true stops training (the
   * parameters stay as they are after that epoch), as does an aborted `signal` (an AbortSignal, checked
   * before each epoch). Returns the parameters.
   */
  run(onEpoch?: (log: EpochLog) => boolean | void, signal?: { readonly aborted: boolean }): Float64Array {
    while (!this.done && !signal?.aborted) {
      const log = this.epoch();
      if (onEpoch && onEpoch(log) === true) break;
    }
    return this.params;
  }

  /** One epoch (the umap-js-style name for `epoch()`). */
  step(): EpochLog {
    return this.epoch();
  }
}

/** Train an embedding of a graph in one call (see EmbeddingTrainer for the step-wise form). */
export function trainEmbedding(graph: RelationGraph, options: EmbeddingOptions = {}, onEpoch?: (log: EpochLog) => boolean | void): { params: Float64Array; n: number; dim: number; logs: EpochLog[] } {
  const t = new EmbeddingTrainer(graph, options);
  const logs: EpochLog[] = [];
  t.run((log) => {
    logs.push(log);
    return onEpoch ? onEpoch(log) : undefined;
  });
  return { params: t.params, n: t.n, dim: t.dim, logs };
}
