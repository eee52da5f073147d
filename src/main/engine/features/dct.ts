// DCT-II with orthonormal scaling (scipy.fftpack.dct(x, type=2, norm='ortho')), first nOut outputs.

/** Row-major nOut x nIn matrix: C[k, n] = s_k cos(pi k (2n + 1) / (2 nIn)), s_0 = sqrt(1/nIn), s_k = sqrt(2/nIn). */
export function dctOrthoMatrix(nIn: number, nOut: number): Float64Array {
  const m = new Float64Array(nOut * nIn);
  for (let k = 0; k < nOut; k++) {
    const s = Math.sqrt((k === 0 ? 1 : 2) / nIn);
    for (let n = 0; n < nIn; n++) m[k * nIn + n] = s * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nIn));
  }
  return m;
}

/** For each of nRows rows of x (row-major, nIn values each) the first nOut orthonormal DCT-II coefficients. */
export function dctOrthoRows(x: Float64Array, nRows: number, nIn: number, nOut: number): Float64Array {
  const m = dctOrthoMatrix(nIn, nOut);
  const out = new Float64Array(nRows * nOut);
  for (let r = 0; r < nRows; r++) {
    const xo = r * nIn;
    for (let k = 0; k < nOut; k++) {
      let s = 0;
      const mo = k * nIn;
      for (let n = 0; n < nIn; n++) s += m[mo + n] * x[xo + n];
      out[r * nOut + k] = s;
    }
  }
  return out;
}
