// Running (sliding-window) median filters with scipy.ndimage's 'reflect' boundary
// (d c b a | a b c d | d c b a: the edge sample is repeated), odd window widths.

/** Index into a line of n samples for position i under scipy 'reflect' (period 2n mirror). */
export function symmetricIndex(i: number, n: number): number {
  const p = 2 * n;
  let j = i % p;
  if (j < 0) j += p;
  return j < n ? j : p - 1 - j;
}

/** Scratch buffers for repeated line filtering (reuse across lines of the same length/width). */
export interface MedianScratch {
  ext: Float32Array;
  win: Float32Array;
}

export function medianScratch(n: number, width: number): MedianScratch {
  return { ext: new Float32Array(n + width - 1), win: new Float32Array(width) };
}

/**
 * Median of the `width` samples centred on each sample of src[so .. so+n) (contiguous), written to
 * dst[dOff + i * dStride]. The line is copied first, so dst may overwrite src. Keeps the window sorted: each step removes the outgoing sample (binary
 * search) and slides the incoming one into place, O(width) worst case, no sort per sample.
 */
export function medianLine(
  src: Float32Array,
  so: number,
  n: number,
  width: number,
  dst: Float32Array,
  dOff: number,
  dStride: number,
  scratch: MedianScratch = medianScratch(n, width),
): void {
  if (width % 2 !== 1) throw new RangeError(`median width must be odd, got ${width}`);
  const half = (width - 1) >> 1;
  const { ext, win } = scratch;
  for (let j = 0; j < half; j++) {
    ext[j] = src[so + symmetricIndex(j - half, n)];
    ext[half + n + j] = src[so + symmetricIndex(n + j, n)];
  }
  ext.set(src.subarray(so, so + n), half);
  // sorted initial window (insertion sort, width is small)
  for (let j = 0; j < width; j++) {
    const v = ext[j];
    let k = j;
    while (k > 0 && win[k - 1] > v) {
      win[k] = win[k - 1];
      k--;
    }
    win[k] = v;
  }
  let d = dOff;
  for (let i = 0; i < n; i++, d += dStride) {
    dst[d] = win[half];
    if (i + 1 === n) break;
    const out = ext[i];
    const inc = ext[i + width];
    if (out === inc) continue;
    let lo = 0;
    let hi = width;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (win[mid] < out) lo = mid + 1;
      else hi = mid;
    }
    let k = lo;
    if (inc > out) {
      while (k + 1 < width && win[k + 1] < inc) {
        win[k] = win[k + 1];
        k++;
      }
    } else {
      while (k > 0 && win[k - 1] > inc) {
        win[k] = win[k - 1];
        k--;
      }
    }
    win[k] = inc;
  }
}

/** Transpose a row-major rows x cols array into cols x rows (blocked for cache locality). */
export function transpose(x: Float32Array, rows: number, cols: number, out: Float32Array = new Float32Array(x.length)): Float32Array {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const ro = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = x[ro + c];
      }
    }
  }
  return out;
}

/**
 * Median filter of a row-major rows x cols array along its rows (each row filtered over `width`
 * neighbouring columns) — scipy.ndimage.median_filter(x, size=(1, width), mode='reflect').
 */
export function medianFilterRows(x: Float32Array, rows: number, cols: number, width: number, out: Float32Array = new Float32Array(x.length)): Float32Array {
  const s = medianScratch(cols, width);
  for (let r = 0; r < rows; r++) medianLine(x, r * cols, cols, width, out, r * cols, 1, s);
  return out;
}

/**
 * Median filter along the columns (over `width` neighbouring rows) — scipy.ndimage.median_filter(x,
 * size=(width, 1), mode='reflect') — done on a transposed copy so every line is contiguous.
 */
export function medianFilterCols(x: Float32Array, rows: number, cols: number, width: number): Float32Array {
  const xt = transpose(x, rows, cols);
  medianFilterRows(xt, cols, rows, width, xt); // in place
  return transpose(xt, cols, rows);
}

/** Plain sort-based median of a window (reference implementation for tests). */
export function sortMedian(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
