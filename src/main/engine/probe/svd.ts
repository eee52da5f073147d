// Thin singular value decomposition by one-sided Jacobi rotations (Hestenes 1958; Demmel & Veselić
// 1992 for its accuracy): the columns of a copy of A are rotated pairwise until mutually orthogonal;
// their norms are the singular values, the rotations accumulate into V. Row-major Float64 in and out.
// Small and dense: meant for the d × d and n × d matrices of the latent probes (d, n up to ~10³).

export interface Svd {
  /** rows × r, orthonormal columns (a column of a zero singular value is zero). */
  U: Float64Array;
  /** r singular values, largest first. */
  S: Float64Array;
  /** cols × r, orthonormal columns. When rows ≥ cols (r = cols) V is a full orthogonal matrix. */
  V: Float64Array;
  rows: number;
  cols: number;
  /** min(rows, cols). */
  r: number;
  sweeps: number;
}

const EPS = 2.220446049250313e-16;

/** A = U diag(S) Vᵀ for a rows × cols row-major matrix (either shape). */
export function svd(A: Float64Array, rows: number, cols: number, maxSweeps = 60): Svd {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new RangeError(`svd: bad shape ${rows} × ${cols}`);
  if (A.length < rows * cols) throw new RangeError(`svd: need ${rows * cols} values, got ${A.length}`);
  if (rows >= cols) return tallSvd(A, rows, cols, maxSweeps);
  // Aᵀ = U' S V'ᵀ  ⇒  A = V' S U'ᵀ
  const At = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) At[j * rows + i] = A[i * cols + j]!;
  const t = tallSvd(At, cols, rows, maxSweeps);
  return { U: t.V, S: t.S, V: t.U, rows, cols, r: rows, sweeps: t.sweeps };
}

function tallSvd(A: Float64Array, m: number, k: number, maxSweeps: number): Svd {
  // Much taller than wide: A = Q R (Householder), the SVD of the k × k R, U = Q U_R.
  if (m >= 2 * k && k > 1) {
    const { Q, R } = householderQr(A, m, k);
    const f = jacobiSvd(R, k, k, maxSweeps);
    return { ...f, U: matMul(Q, m, k, f.U, k), rows: m };
  }
  return jacobiSvd(A, m, k, maxSweeps);
}

/** Thin QR of a row-major m × k matrix (m ≥ k) by Householder reflections: Q m × k, R k × k upper triangular. */
export function householderQr(A: Float64Array, m: number, k: number): { Q: Float64Array; R: Float64Array } {
  // Column-major working copy.
  const W = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) W[j * m + i] = A[i * k + j]!;
  const vs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const o = j * m;
    let norm = 0;
    for (let i = j; i < m; i++) norm += W[o + i]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m - j);
    if (norm === 0) {
      vs.push(v);
      continue;
    }
    const alpha = W[o + j]! >= 0 ? -norm : norm;
    for (let i = j; i < m; i++) v[i - j] = W[o + i]!;
    v[0] -= alpha;
    let vn = 0;
    for (const x of v) vn += x * x;
    if (vn === 0) {
      vs.push(new Float64Array(m - j));
      continue;
    }
    for (let c = j; c < k; c++) {
      const oc = c * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i - j]! * W[oc + i]!;
      const f = (2 * dot) / vn;
      for (let i = j; i < m; i++) W[oc + i] -= f * v[i - j]!;
    }
    const inv = 1 / Math.sqrt(vn);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
    vs.push(v);
  }
  const R = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) R[i * k + j] = W[j * m + i]!;
  // Q = H_0 … H_{k-1} applied to the first k columns of the identity (column-major build).
  const Qc = new Float64Array(m * k);
  for (let j = 0; j < k; j++) Qc[j * m + j] = 1;
  for (let h = k - 1; h >= 0; h--) {
    const v = vs[h]!;
    for (let c = 0; c < k; c++) {
      const oc = c * m;
      let dot = 0;
      for (let i = h; i < m; i++) dot += v[i - h]! * Qc[oc + i]!;
      if (dot === 0) continue;
      for (let i = h; i < m; i++) Qc[oc + i] -= 2 * dot * v[i - h]!;
    }
  }
  const Q = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) Q[i * k + j] = Qc[j * m + i]!;
  return { Q, R };
}

function jacobiSvd(A: Float64Array, m: number, k: number, maxSweeps: number): Svd {
  // Column-major working copies: column j of W is W[j*m .. j*m+m), column j of V is V[j*k .. j*k+k).
  const W = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) W[j * m + i] = A[i * k + j]!;
  const V = new Float64Array(k * k);
  for (let j = 0; j < k; j++) V[j * k + j] = 1;
  const norms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += W[j * m + i]! ** 2;
    norms[j] = s;
  }
  let sweeps = 0;
  const tol = EPS * m;
  for (; sweeps < maxSweeps; sweeps++) {
    let rotated = false;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const alpha = norms[p]!;
        const beta = norms[q]!;
        if (alpha === 0 || beta === 0) continue;
        const op = p * m;
        const oq = q * m;
        let gamma = 0;
        for (let i = 0; i < m; i++) gamma += W[op + i]! * W[oq + i]!;
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        let np = 0;
        let nq = 0;
        for (let i = 0; i < m; i++) {
          const wp = W[op + i]!;
          const wq = W[oq + i]!;
          const a = c * wp - s * wq;
          const b = s * wp + c * wq;
          W[op + i] = a;
          W[oq + i] = b;
          np += a * a;
          nq += b * b;
        }
        norms[p] = np;
        norms[q] = nq;
        const vp = p * k;
        const vq = q * k;
        for (let i = 0; i < k; i++) {
          const a = V[vp + i]!;
          const b = V[vq + i]!;
          V[vp + i] = c * a - s * b;
          V[vq + i] = s * a + c * b;
        }
      }
    }
    if (!rotated) break;
  }
  // Singular values, sorted descending; U columns normalised.
  const sv = Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += W[j * m + i]! ** 2;
    return { j, s: Math.sqrt(s) };
  }).sort((a, b) => b.s - a.s || a.j - b.j);
  const S = new Float64Array(k);
  const U = new Float64Array(m * k);
  const Vout = new Float64Array(k * k);
  const cutoff = (sv[0]?.s ?? 0) * EPS * Math.max(m, k);
  sv.forEach(({ j, s }, c) => {
    S[c] = s;
    if (s > cutoff && s > 0) for (let i = 0; i < m; i++) U[i * k + c] = W[j * m + i]! / s;
    for (let i = 0; i < k; i++) Vout[i * k + c] = V[j * k + i]!;
  });
  return { U, S, V: Vout, rows: m, cols: k, r: k, sweeps: sweeps + 1 };
}

/** Numerical rank: singular values above max(S) · rcond (default eps · max(rows, cols), numpy's). */
export function rankOf(s: Svd, rcond?: number): number {
  const tol = (s.S[0] ?? 0) * (rcond ?? EPS * Math.max(s.rows, s.cols));
  let r = 0;
  for (const x of s.S) if (x > tol) r++;
  return r;
}

/**
 * Columns that extend the orthonormal columns B (n × c, row-major, stride c) to an orthonormal basis of
 * Rⁿ: n × (n − c), by Gram–Schmidt (twice) of the standard basis vectors least covered by B.
 */
export function orthonormalComplement(B: Float64Array, n: number, c: number): Float64Array {
  const want = n - c;
  const out = new Float64Array(n * Math.max(0, want));
  if (want <= 0) return out;
  const basis: Float64Array[] = [];
  for (let j = 0; j < c; j++) basis.push(Float64Array.from({ length: n }, (_, i) => B[i * c + j]!));
  // How much of e_i the existing basis covers: sum over columns of B[i][j]².
  const cover = Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < c; j++) s += B[i * c + j]! ** 2;
    return { i, s };
  }).sort((a, b) => a.s - b.s || a.i - b.i);
  let added = 0;
  for (const { i } of cover) {
    if (added === want) break;
    const v = new Float64Array(n);
    v[i] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let dot = 0;
        for (let t = 0; t < n; t++) dot += v[t]! * b[t]!;
        for (let t = 0; t < n; t++) v[t] -= dot * b[t]!;
      }
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += v[t]! * v[t]!;
    norm = Math.sqrt(norm);
    if (norm < 1e-6) continue;
    for (let t = 0; t < n; t++) v[t] /= norm;
    basis.push(v);
    for (let t = 0; t < n; t++) out[t * want + added] = v[t]!;
    added++;
  }
  if (added < want) throw new Error(`orthonormalComplement: found ${added} of ${want} vectors`);
  return out;
}

/** C = A (ra × ca) · B (ca × cb), row-major. */
export function matMul(A: Float64Array, ra: number, ca: number, B: Float64Array, cb: number): Float64Array {
  const C = new Float64Array(ra * cb);
  for (let i = 0; i < ra; i++) {
    const oc = i * cb;
    for (let t = 0; t < ca; t++) {
      const a = A[i * ca + t]!;
      if (a === 0) continue;
      const ob = t * cb;
      for (let j = 0; j < cb; j++) C[oc + j] += a * B[ob + j]!;
    }
  }
  return C;
}

/** Aᵀ (ca × ra) for a row-major ra × ca matrix. */
export function transpose(A: Float64Array, ra: number, ca: number): Float64Array {
  const T = new Float64Array(ra * ca);
  for (let i = 0; i < ra; i++) for (let j = 0; j < ca; j++) T[j * ra + i] = A[i * ca + j]!;
  return T;
}
