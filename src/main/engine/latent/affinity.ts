// t-SNE input affinities: per-point Gaussian bandwidths calibrated to a perplexity by binary
// search on the precision (scikit-learn's `_binary_search_perplexity`: start at β = 1, double or
// halve until bracketed, then bisect; 100 steps; |H − log(perplexity)| ≤ 1e-5, natural log), then
// the conditional distributions symmetrised P = (P_{j|i} + P_{i|j}) / Σ into a sparse CSR matrix.

/** A symmetric sparse matrix in compressed-row form (both (i, j) and (j, i) stored). */
export interface SparseP {
  n: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

const PERPLEXITY_TOLERANCE = 1e-5;
const N_STEPS = 100;

/**
 * Conditional probabilities P_{j|i} over each row's k neighbours, from SQUARED distances
 * (n × k, row-major). Returns a new n × k array whose rows sum to 1.
 * Each row's smallest distance is subtracted before exponentiating; P and the entropy are
 * mathematically unchanged by that shift, and far-away rows no longer underflow to zero.
 */
export function conditionalP(sqDist: Float64Array, n: number, k: number, perplexity: number): Float64Array {
  const P = new Float64Array(n * k);
  const desiredEntropy = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let dMin = Infinity;
    for (let j = 0; j < k; j++) if (sqDist[o + j] < dMin) dMin = sqDist[o + j];
    let beta = 1;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    for (let step = 0; step < N_STEPS; step++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const p = Math.exp(-(sqDist[o + j] - dMin) * beta);
        P[o + j] = p;
        sum += p;
      }
      // sum ≥ 1 thanks to the shift (the nearest neighbour contributes exp(0)).
      let sumDP = 0;
      for (let j = 0; j < k; j++) {
        P[o + j] /= sum;
        sumDP += (sqDist[o + j] - dMin) * P[o + j];
      }
      const entropy = Math.log(sum) + beta * sumDP;
      const diff = entropy - desiredEntropy;
      if (Math.abs(diff) <= PERPLEXITY_TOLERANCE) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  return P;
}

/**
 * Symmetrise conditional probabilities given on a neighbour graph (row i's neighbours are
 * nbr[i*k .. i*k+k)) into P = (C + Cᵀ) / sum(C + Cᵀ), stored as CSR with sorted columns.
 */
export function symmetrize(cond: Float64Array, nbr: Int32Array, n: number, k: number): SparseP {
  // Count the union pattern of C and Cᵀ: an entry (i, j) exists if j ∈ N(i) or i ∈ N(j).
  const deg = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      deg[i]++;
      deg[j]++;
    }
  }
  // Provisional storage with duplicates (i, j) appearing twice when mutual; merged below.
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + deg[i];
  const fill = ptr.slice(0, n);
  const cols = new Int32Array(ptr[n]);
  const vals = new Float64Array(ptr[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      const v = cond[i * k + t];
      cols[fill[i]] = j;
      vals[fill[i]++] = v;
      cols[fill[j]] = i;
      vals[fill[j]++] = v;
    }
  }
  // Sort each row by column and merge duplicates.
  const outPtr = new Int32Array(n + 1);
  const outCols = new Int32Array(ptr[n]);
  const outVals = new Float64Array(ptr[n]);
  let w = 0;
  let total = 0;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let p = ptr[i]; p < ptr[i + 1]; p++) order.push(p);
    order.sort((a, b) => cols[a] - cols[b]);
    let last = -1;
    for (const p of order) {
      if (cols[p] === last) {
        outVals[w - 1] += vals[p];
      } else {
        outCols[w] = cols[p];
        outVals[w] = vals[p];
        last = cols[p];
        w++;
      }
      total += vals[p];
    }
    outPtr[i + 1] = w;
  }
  const scale = total > 0 ? 1 / total : 0;
  for (let p = 0; p < w; p++) outVals[p] *= scale;
  return { n, rowPtr: outPtr, cols: outCols.slice(0, w), vals: outVals.slice(0, w) };
}
