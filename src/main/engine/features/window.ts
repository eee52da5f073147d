// Window functions.

const cache = new Map<number, Float64Array>();

/**
 * Periodic Hann window, w[n] = 0.5 - 0.5 cos(2 pi n / N), n = 0..N-1
 * (scipy.signal.get_window('hann', N, fftbins=True)). Cached per length; do not mutate the result.
 */
export function hannPeriodic(n: number): Float64Array {
  let w = cache.get(n);
  if (!w) {
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    cache.set(n, w);
  }
  return w;
}
