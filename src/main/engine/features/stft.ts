// Short-time Fourier transform (librosa.stft defaults) and its magnitude / power.
import { HOP, N_BINS, N_FFT } from './constants';
import { createFft } from './fft';
import { centredFrames, type Framing } from './frames';
import { hannPeriodic } from './window';

/** A spectrogram stored frame-major: value of bin k in frame t at [t * nBins + k]. */
export interface Stft {
  nFrames: number;
  nBins: number;
  /** Real and imaginary parts, Float32 (librosa stores complex64). */
  re: Float32Array;
  im: Float32Array;
}

/**
 * librosa.stft(y): n_fft 2048, hop 512, periodic Hann, center=True with numpy 'reflect' padding.
 * Each float32 frame times the float64 window goes through a float64 real FFT; the result is
 * rounded to float32 (complex64), as librosa 0.7/0.8 does. nFrames = 1 + floor(len / 512).
 */
export function stft(y: Float32Array): Stft {
  return stftFrames(centredFrames(y, N_FFT, HOP));
}

/** STFT of an existing centred framing (frame length must be N_FFT). */
export function stftFrames(fr: Framing): Stft {
  if (fr.frameLength !== N_FFT) throw new RangeError(`stft: frame length ${fr.frameLength} != ${N_FFT}`);
  const T = fr.nFrames;
  const nFft = N_FFT; // local copies: imported bindings are getters under some loaders
  const nBins = N_BINS;
  const hop = fr.hop;
  const win = hannPeriodic(nFft);
  const fft = createFft(nFft);
  const buf = new Float64Array(nFft);
  const re = new Float32Array(T * nBins);
  const im = new Float32Array(T * nBins);
  const p = fr.padded;
  for (let t = 0; t < T; t++) {
    const start = t * hop;
    for (let n = 0; n < nFft; n++) buf[n] = p[start + n] * win[n];
    const X = fft.real(buf);
    const o = t * nBins;
    for (let k = 0; k < nBins; k++) {
      re[o + k] = X[2 * k];
      im[o + k] = X[2 * k + 1];
    }
  }
  return { nFrames: T, nBins, re, im };
}

/** |X| rounded to float32 (numpy.abs of complex64). */
export function magnitude(s: Stft): Float32Array {
  const n = s.re.length;
  const out = new Float32Array(n);
  const { re, im } = s;
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
  return out;
}

/** mag^2 rounded to float32 (the product of two float32 values is exact in float64 before rounding). */
export function powerFromMagnitude(mag: Float32Array): Float32Array {
  const out = new Float32Array(mag.length);
  for (let i = 0; i < mag.length; i++) out[i] = mag[i] * mag[i];
  return out;
}
