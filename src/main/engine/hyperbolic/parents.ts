// Parent retrieval in a genre embedding, and its score against a genre taxonomy.
//
// Poincaré-constrained retrieval (the hyperbolic-genre parent query): among genres with a smaller
// norm than the query (more general, nearer the centre) and cosine ≥ minCos to it, the nearest by
// Poincaré distance. Plain retrieval: all genres by Poincaré distance. Euclidean retrieval: all
// genres by Euclidean distance (in a Euclidean embedding when one is given).
// evaluateParents mirrors ../shared/reference/parents_eval.py: for every `parent---child` pair of the
// taxonomy whose two names are embedded, the rank of the true parent is the number of candidates
// strictly closer than it (∞ when the parent is not a candidate); hit@k = share of pairs with rank < k.
import { euclideanDistanceAt, poincareDistanceAt } from './math';
import type { Geometry } from './poincare';

/** Named vectors: row i of `vectors` (n × dim, flat) embeds names[i]. */
export interface NamedEmbedding {
  names: string[];
  vectors: Float64Array;
  dim: number;
}

export interface Neighbour {
  index: number;
  name: string;
  distance: number;
}

export interface RetrievalOptions {
  /** Number of results (default 10). */
  k?: number;
  /** Distance used for ranking (default 'poincare'). */
  geometry?: Geometry;
}

export interface ParentQueryOptions extends RetrievalOptions {
  /** Smallest cosine between a candidate parent and the query (default 0). */
  minCos?: number;
  /** A candidate's norm must be below the query's norm times this factor (default 1: strictly smaller). */
  normRatio?: number;
}

function norms(emb: NamedEmbedding): Float64Array {
  const n = emb.names.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < emb.dim; k++) s += emb.vectors[i * emb.dim + k] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

function distancesFrom(emb: NamedEmbedding, q: number, geometry: Geometry): Float64Array {
  const n = emb.names.length;
  const d = new Float64Array(n);
  const f = geometry === 'poincare' ? poincareDistanceAt : euclideanDistanceAt;
  for (let i = 0; i < n; i++) d[i] = i === q ? Infinity : f(emb.vectors, q, emb.vectors, i, emb.dim);
  return d;
}

function cosinesFrom(emb: NamedEmbedding, q: number, nrm: Float64Array): Float64Array {
  const n = emb.names.length;
  const c = new Float64Array(n);
  const dim = emb.dim;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += emb.vectors[i * dim + k] * emb.vectors[q * dim + k];
    c[i] = s / (nrm[i] * nrm[q] + 1e-12);
  }
  return c;
}

function topK(emb: NamedEmbedding, d: Float64Array, k: number): Neighbour[] {
  const idx: number[] = [];
  for (let i = 0; i < d.length; i++) if (Number.isFinite(d[i])) idx.push(i);
  idx.sort((a, b) => d[a] - d[b] || a - b);
  return idx.slice(0, k).map((i) => ({ index: i, name: emb.names[i], distance: d[i] }));
}

/** Distances from query q with every non-candidate set to +∞ (the constrained parent query). */
function constrainedDistances(emb: NamedEmbedding, q: number, nrm: Float64Array, minCos: number, normRatio: number, geometry: Geometry): Float64Array {
  const d = distancesFrom(emb, q, geometry);
  const cos = cosinesFrom(emb, q, nrm);
  const limit = nrm[q] * normRatio;
  for (let i = 0; i < d.length; i++) if (!(nrm[i] < limit && cos[i] >= minCos)) d[i] = Infinity;
  return d;
}

/** The k nearest genres to query q (plain nearest neighbours). */
export function nearestNeighbours(emb: NamedEmbedding, q: number, opts: RetrievalOptions = {}): Neighbour[] {
  return topK(emb, distancesFrom(emb, q, opts.geometry ?? 'poincare'), opts.k ?? 10);
}

/** Candidate parents of q: smaller norm, cosine ≥ minCos, ranked by distance. */
export function parentCandidates(emb: NamedEmbedding, q: number, opts: ParentQueryOptions = {}): Neighbour[] {
  const d = constrainedDistances(emb, q, norms(emb), opts.minCos ?? 0, opts.normRatio ?? 1, opts.geometry ?? 'poincare');
  return topK(emb, d, opts.k ?? 10);
}

export interface Taxonomy {
  /** [parent, child] names, lowercased, in file order. */
  pairs: Array<[string, string]>;
  /** Top-level genres (rows without `---`). */
  roots: string[];
}

/** Parse an AcousticBrainz `.stats` taxonomy: `parent---child<TAB>count…` rows; names lowercased; the header row is skipped. */
export function parseTaxonomy(text: string): Taxonomy {
  const pairs: Array<[string, string]> = [];
  const roots: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const key = lines[i].split('\t')[0].trim().toLowerCase();
    if (!key || (i === 0 && key === 'genre/subgenre')) continue;
    const cut = key.indexOf('---');
    if (cut < 0) roots.push(key);
    else pairs.push([key.slice(0, cut), key.slice(cut + 3)]);
  }
  return { pairs, roots };
}

export interface HitRates {
  hit1: number;
  hit5: number;
  hit10: number;
}

export interface ParentEvaluation {
  /** Taxonomy pairs whose parent and child are both embedded. */
  pairs: number;
  /** Taxonomy pairs in the file. */
  taxonomyPairs: number;
  constrained: HitRates;
  plain: HitRates;
  /** Plain retrieval by Euclidean distance (in `opts.euclidean` when given, else in the same coordinates). */
  euclidean: HitRates;
  euclideanSource: 'euclidean-embedding' | 'same-coordinates';
  /** Per pair: parent, child and the true parent's rank under each method (∞ → -1). */
  details: Array<{ parent: string; child: string; constrained: number; plain: number; euclidean: number }>;
}

export interface EvaluateParentsOptions {
  /** Cosine threshold of the constrained query (default 0, as parents_eval.py). */
  minCos?: number;
  /** A Euclidean embedding of the same genres for the Euclidean method. */
  euclidean?: NamedEmbedding;
  /**
   * How taxonomy names meet embedding names: 'exact' (lowercase, as parents_eval.py) or 'compact'
   * (lowercase with everything but letters and digits removed, so Last.fm's "chicagoblues" meets
   * "chicago blues"). Default 'exact'.
   */
  match?: 'exact' | 'compact';
}

const compact = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

function nameIndex(names: string[], match: 'exact' | 'compact'): Map<string, number> {
  const m = new Map<string, number>();
  names.forEach((nm, i) => {
    const key = match === 'compact' ? compact(nm) : nm.toLowerCase();
    // parents_eval.py's dict keeps the last occurrence of a repeated name
    m.set(key, i);
  });
  return m;
}

function rankOf(d: Float64Array, target: number): number {
  const dt = d[target];
  if (!Number.isFinite(dt)) return Infinity;
  let r = 0;
  for (let i = 0; i < d.length; i++) if (d[i] < dt) r++;
  return r;
}

function rates(ranks: number[]): HitRates {
  const n = ranks.length;
  const at = (k: number): number => (n ? ranks.filter((r) => r < k).length / n : 0);
  return { hit1: at(1), hit5: at(5), hit10: at(10) };
}

/** Score parent retrieval of `embedding` (Poincaré coordinates) against a taxonomy text. */
export function evaluateParents(embedding: NamedEmbedding, taxonomyText: string, opts: EvaluateParentsOptions = {}): ParentEvaluation {
  const match = opts.match ?? 'exact';
  const minCos = opts.minCos ?? 0;
  const tax = parseTaxonomy(taxonomyText);
  const idx = nameIndex(embedding.names, match);
  const key = (s: string): string => (match === 'compact' ? compact(s) : s);
  const euc = opts.euclidean;
  const eIdx = euc ? nameIndex(euc.names, match) : null;
  const nrm = norms(embedding);
  const cons: number[] = [];
  const plain: number[] = [];
  const eucl: number[] = [];
  const details: ParentEvaluation['details'] = [];
  const cache = new Map<number, { d: Float64Array; c: Float64Array; e: Float64Array | null }>();
  for (const [par, ch] of tax.pairs) {
    const p = idx.get(key(par));
    const c = idx.get(key(ch));
    if (p === undefined || c === undefined) continue;
    let entry = cache.get(c);
    if (!entry) {
      const d = distancesFrom(embedding, c, 'poincare');
      const cd = constrainedDistances(embedding, c, nrm, minCos, 1, 'poincare');
      let e: Float64Array | null = null;
      if (euc && eIdx) {
        const ce = eIdx.get(key(ch));
        e = ce === undefined ? null : distancesFrom(euc, ce, 'euclidean');
      } else {
        e = distancesFrom(embedding, c, 'euclidean');
      }
      entry = { d, c: cd, e };
      cache.set(c, entry);
    }
    const rc = rankOf(entry.c, p);
    const rp = rankOf(entry.d, p);
    let re = Infinity;
    if (entry.e) {
      const pe = euc && eIdx ? eIdx.get(key(par)) : p;
      if (pe !== undefined) re = rankOf(entry.e, pe);
    }
    cons.push(rc);
    plain.push(rp);
    eucl.push(re);
    const fin = (r: number): number => (Number.isFinite(r) ? r : -1);
    details.push({ parent: par, child: ch, constrained: fin(rc), plain: fin(rp), euclidean: fin(re) });
  }
  return {
    pairs: cons.length,
    taxonomyPairs: tax.pairs.length,
    constrained: rates(cons),
    plain: rates(plain),
    euclidean: rates(eucl),
    euclideanSource: euc ? 'euclidean-embedding' : 'same-coordinates',
    details,
  };
}
