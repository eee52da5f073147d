// FFT over fft.js (radix-4, Float64). Sizes must be powers of two >= 2.
import FFT from 'fft.js';

export interface Fft {
  readonly size: number;
  /**
   * DFT of a real signal of length `size` (no scaling), X[k] = sum x[n] e^{-2 pi i kn/N}, as an
   * interleaved complex buffer (re, im, ...) whose first size/2 + 1 entries are valid.
   */
  real(x: Float64Array): Float64Array;
  /** Forward DFT of an interleaved complex buffer. */
  forward(z: Float64Array): Float64Array;
  /** Inverse DFT with 1/N scaling, interleaved complex in and out. */
  inverse(z: Float64Array): Float64Array;
}

/** An FFT of one size. Every method returns the same output buffer, overwritten by the next call. */
export function createFft(n: number): Fft {
  if (!(n >= 2 && (n & (n - 1)) === 0)) throw new RangeError(`FFT size must be a power of two >= 2, got ${n}`);
  const f = new FFT(n);
  const out = new Float64Array(2 * n);
  return {
    size: n,
    real(x) {
      f.realTransform(out, x);
      return out;
    },
    forward(z) {
      f.transform(out, z);
      return out;
    },
    inverse(z) {
      f.inverseTransform(out, z);
      return out;
    },
  };
}
