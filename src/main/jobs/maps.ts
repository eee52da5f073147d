// Map tasks, run in a worker thread: project a standardised table to 2-D/3-D (t-SNE, UMAP, PCA)
// with snapshots for the animated view, and sweep clusterings over k.
import { UMAP } from 'umap-js';
import type { ClusterCell, ClusterSweep, MapMethod } from '../../shared/types';
import { mulberry32 } from '../engine/random';
import { clusterSweep, type ClusterMethod } from '../engine/latent/sweep';
import { pca } from '../engine/latent/pca';
import { trustworthiness } from '../engine/latent/quality';
import { TSNE } from '../engine/latent/tsne';
import type { TaskContext } from './tasks';

export interface EmbedPayload {
  X: Float64Array;
  n: number;
  d: number;
  method: MapMethod;
  dims: 2 | 3;
  perplexity: number;
  iterations: number;
  neighbours: number;
  minDist: number;
  seed: number;
  /** Send snapshots while optimising (the UI animates them). */
  frames: boolean;
}

export interface EmbedFrame {
  iteration: number;
  total: number;
  points: Float32Array;
}

export interface EmbedResult {
  points: Float32Array;
  trustworthiness: number | null;
  warnings: string[];
  seconds: number;
}

/**
 * Trustworthiness at 10 neighbours (fewer on tiny maps: it needs k < n / 2); on large maps, over a
 * seeded sample of 3,000 points (said so).
 */
function trust(X: Float64Array, n: number, d: number, Y: Float64Array, dims: number, seed: number, warnings: string[]): number | null {
  const k = Math.min(10, Math.ceil(n / 2) - 1);
  if (k < 1) return null;
  if (k < 10) warnings.push(`trustworthiness at ${k} neighbours: the map has only ${n} points`);
  const LIMIT = 3000;
  if (n <= LIMIT) return trustworthiness(X, n, d, Y, dims, k);
  const rng = mulberry32(seed ^ 0x5eed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const pick = idx.slice(0, LIMIT);
  const Xs = new Float64Array(LIMIT * d);
  const Ys = new Float64Array(LIMIT * dims);
  pick.forEach((r, i) => {
    Xs.set(X.subarray(r * d, (r + 1) * d), i * d);
    Ys.set(Y.subarray(r * dims, (r + 1) * dims), i * dims);
  });
  warnings.push(`trustworthiness computed on a random sample of ${LIMIT} of the ${n} points`);
  return trustworthiness(Xs, LIMIT, d, Ys, dims, 10);
}

export async function embedTask(p: EmbedPayload, ctx: TaskContext): Promise<EmbedResult> {
  const t0 = performance.now();
  const warnings: string[] = [];
  let Y: Float64Array;
  let lastFrame = 0;
  const frame = (iteration: number, total: number, get: () => Float64Array) => {
    const now = performance.now();
    if (!p.frames || (now - lastFrame < 200 && iteration < total)) return;
    lastFrame = now;
    ctx.progress({ iteration, total, points: Float32Array.from(get()) } satisfies EmbedFrame);
  };
  if (p.method === 'pca') {
    Y = pca(p.X, p.n, p.d, { nComponents: p.dims }).scores;
    if (Y.length < p.n * p.dims) {
      const padded = new Float64Array(p.n * p.dims);
      for (let i = 0; i < p.n; i++) padded.set(Y.subarray((i * Y.length) / p.n, ((i + 1) * Y.length) / p.n), i * p.dims);
      Y = padded;
    }
  } else if (p.method === 'tsne') {
    const t = new TSNE({ dim: p.dims, perplexity: p.perplexity, nIter: p.iterations, rng: mulberry32(p.seed) }).init(p.X, p.n, p.d);
    if (t.perplexity !== p.perplexity) {
      warnings.push(`perplexity lowered from ${p.perplexity} to ${Number(t.perplexity.toFixed(2))}: there are only ${p.n} points`);
    }
    for (let it = 0; it < p.iterations; it++) {
      t.step();
      frame(it + 1, p.iterations, () => t.getEmbedding());
    }
    Y = t.getEmbedding();
  } else {
    const rows: number[][] = Array.from({ length: p.n }, (_, i) => Array.from(p.X.subarray(i * p.d, (i + 1) * p.d)));
    const neighbours = Math.min(p.neighbours, p.n - 1);
    if (neighbours !== p.neighbours) warnings.push(`neighbours lowered to ${neighbours}: there are only ${p.n} points`);
    const u = new UMAP({ nComponents: p.dims, nNeighbors: Math.max(2, neighbours), minDist: p.minDist, random: mulberry32(p.seed) });
    const epochs = u.initializeFit(rows);
    const flat = () => Float64Array.from(u.getEmbedding().flat());
    for (let e = 0; e < epochs; e++) {
      u.step();
      frame(e + 1, epochs, flat);
    }
    Y = flat();
  }
  for (let i = 0; i < Y.length; i++) if (!Number.isFinite(Y[i]!)) throw new Error(`${p.method} produced a non-finite coordinate`);
  const tw = trust(p.X, p.n, p.d, Y, p.dims, p.seed, warnings);
  return { points: Float32Array.from(Y), trustworthiness: tw, warnings, seconds: (performance.now() - t0) / 1000 };
}

export interface ClusterPayload {
  X: Float64Array;
  n: number;
  d: number;
  kMin: number;
  kMax: number;
  seeds: number;
  /** Class index of every point (for Hungarian-matched accuracy), or null. */
  trueLabels: Int32Array | null;
  space: 'map' | 'features';
}

export async function clusterTask(p: ClusterPayload, ctx: TaskContext): Promise<ClusterSweep> {
  const kMax = Math.min(p.kMax, p.n - 1);
  const ks: number[] = [];
  for (let k = Math.max(2, p.kMin); k <= kMax; k++) ks.push(k);
  if (ks.length === 0) throw new Error(`no k in ${p.kMin}..${p.kMax} fits ${p.n} points`);
  const methods: ClusterMethod[] = ['kmeans', 'gmm-full'];
  const seeds = Array.from({ length: p.seeds }, (_, i) => i);
  const r = clusterSweep(p.X, p.n, p.d, ks, methods, seeds, {
    trueLabels: p.trueLabels ?? undefined,
    onProgress: (done, total) => ctx.progress({ done, total }),
  });
  const stat = (s: { mean: number; sd: number }) => ({ mean: s.mean, sd: s.sd });
  const cells: ClusterCell[] = r.cells.map((c) => ({
    k: c.k,
    method: c.method,
    silhouette: stat(c.silhouette),
    calinskiHarabasz: stat(c.calinskiHarabasz),
    daviesBouldin: stat(c.daviesBouldin),
    accuracy: c.accuracy ? stat(c.accuracy) : null,
    labels: Array.from(c.labels),
  }));
  return { space: p.space, seeds: p.seeds, cells, bestK: r.bestK, bestMethod: r.bestMethod };
}
