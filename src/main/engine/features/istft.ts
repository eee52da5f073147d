// Inverse STFT (librosa.istft, librosa 0.7/0.8, then util.fix_length to the input length).
import { HOP, N_FFT, TINY32 } from './constants';
import { createFft } from './fft';
import { hannPeriodic } from './window';

/**
 * Inverse STFTs of two masked copies of one spectrogram X of a real signal (frame-major, N_FFT/2 + 1
 * bins per frame): a = istft(maskA * X), b = istft(maskB * X). Both are packed into one complex
 * inverse FFT per frame (a + i b). Each frame is windowed by the periodic Hann and overlap-added at
 * HOP; the sum is divided by the summed squared window where that exceeds float32 tiny; N_FFT/2
 * samples are dropped at both ends (librosa <= 0.8.1), so HOP * (nFrames - 1) samples remain, and the
 * result is cut or zero-padded to `length`.
 */
export function istftMaskedPair(
  re: Float32Array,
  im: Float32Array,
  maskA: Float32Array,
  maskB: Float32Array,
  nFrames: number,
  length: number,
): [Float64Array, Float64Array] {
  const N = N_FFT;
  const hop = HOP;
  const tiny = TINY32;
  const nb = N / 2 + 1;
  const win = hannPeriodic(N);
  const fft = createFft(N);
  const z = new Float64Array(2 * N);
  const total = N + hop * (nFrames - 1);
  const ya = new Float64Array(total);
  const yb = new Float64Array(total);
  for (let t = 0; t < nFrames; t++) {
    const o = t * nb;
    // irfft ignores the imaginary parts of the DC and Nyquist bins
    z[0] = maskA[o] * re[o];
    z[1] = maskB[o] * re[o];
    const ny = o + nb - 1;
    z[N] = maskA[ny] * re[ny];
    z[N + 1] = maskB[ny] * re[ny];
    for (let k = 1, m = 2 * (N - 1); k < nb - 1; k++, m -= 2) {
      const i = o + k;
      const xr = re[i];
      const xi = im[i];
      const ma = maskA[i];
      const mb = maskB[i];
      const ar = ma * xr;
      const ai = ma * xi;
      const br = mb * xr;
      const bi = mb * xi;
      z[2 * k] = ar - bi;
      z[2 * k + 1] = ai + br;
      z[m] = ar + bi;
      z[m + 1] = br - ai;
    }
    const x = fft.inverse(z);
    for (let n = 0, s = t * hop; n < N; n++, s++) {
      const w = win[n];
      ya[s] += x[2 * n] * w;
      yb[s] += x[2 * n + 1] * w;
    }
  }
  // normalise in place and return views (the buffers are longer than `length` + N/2: see below)
  const keep = Math.min(length, hop * (nFrames - 1));
  const off = N / 2;
  const period = windowSumSquarePeriod(win, hop);
  const fullLo = N - hop; // positions covered by all N / hop frames: [fullLo, fullHi)
  const fullHi = hop * nFrames;
  for (let i = off, end = off + keep; i < end; i++) {
    const w = i >= fullLo && i < fullHi ? period[i % hop] : windowSumSquareAt(win, hop, nFrames, i);
    if (w > tiny) {
      ya[i] /= w;
      yb[i] /= w;
    }
  }
  // total - off = N/2 + hop * (nFrames - 1) >= length + 1 since nFrames = 1 + floor(length / hop);
  // a caller passing a larger length gets a zero-padded copy
  let outA: Float64Array;
  let outB: Float64Array;
  if (off + length <= total) {
    ya.fill(0, off + keep, off + length);
    yb.fill(0, off + keep, off + length);
    outA = ya.subarray(off, off + length);
    outB = yb.subarray(off, off + length);
  } else {
    outA = new Float64Array(length);
    outB = new Float64Array(length);
    outA.set(ya.subarray(off, off + keep));
    outB.set(yb.subarray(off, off + keep));
  }
  return [outA, outB];
}

const wssCache = new Map<string, Float64Array>();

/**
 * One period of librosa.filters.window_sumsquare where all win.length / hop frames overlap: the sum
 * at position i only depends on i mod hop there, and its terms come in the same order (frames in
 * ascending order), so it is bit-identical to the frame-by-frame sum. Cached; do not mutate.
 */
export function windowSumSquarePeriod(win: Float64Array, hop: number): Float64Array {
  const N = win.length;
  if (N % hop !== 0) throw new RangeError('window length must be a multiple of the hop');
  const key = `${N}/${hop}/${win[1]}`;
  let period = wssCache.get(key);
  if (!period) {
    period = new Float64Array(hop);
    for (let r = 0; r < hop; r++) {
      let s = 0;
      for (let q = N / hop - 1; q >= 0; q--) s += win[r + q * hop] * win[r + q * hop];
      period[r] = s;
    }
    wssCache.set(key, period);
  }
  return period;
}

/** librosa.filters.window_sumsquare at position i: sum over frames t (ascending) of win[i - t*hop]^2. */
export function windowSumSquareAt(win: Float64Array, hop: number, nFrames: number, i: number): number {
  const N = win.length;
  let w = 0;
  const tLo = Math.max(0, Math.ceil((i - N + 1) / hop));
  const tHi = Math.min(nFrames - 1, Math.floor(i / hop));
  for (let t = tLo; t <= tHi; t++) w += win[i - t * hop] * win[i - t * hop];
  return w;
}
