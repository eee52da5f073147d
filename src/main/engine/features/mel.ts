// Slaney-scale mel filter bank (librosa.filters.mel, htk=False, norm='slaney' / 1), stored sparsely.
import { fftFrequencies } from './spectral';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/** Slaney mel scale: linear (200/3 Hz per mel) below 1 kHz, logarithmic above. */
export function hzToMel(f: number): number {
  return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP : f / F_SP;
}

export function melToHz(m: number): number {
  return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m;
}

/** numpy.linspace(a, b, n) (endpoint included). */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = a;
    return out;
  }
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = i * step + a;
  out[n - 1] = b;
  return out;
}

/** Band i has weights[offset[i] + j] for FFT bins start[i] + j, j < end[i] - start[i]. */
export interface MelFilterbank {
  nMels: number;
  nBins: number;
  start: Int32Array;
  end: Int32Array;
  offset: Int32Array;
  weights: Float32Array;
}

/**
 * librosa.filters.mel(sr, nFft, nMels) with fmin 0, fmax sr/2: triangles between nMels + 2 points
 * evenly spaced in Slaney mel, each scaled by 2 / (f[i+2] - f[i]); float32 weights (as librosa).
 */
export function melFilterbank(sampleRate: number, nFft: number, nMels: number): MelFilterbank {
  const fft = fftFrequencies(sampleRate, nFft);
  const nBins = fft.length;
  const melF = linspace(hzToMel(0), hzToMel(sampleRate / 2), nMels + 2).map(melToHz);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  const offset = new Int32Array(nMels);
  const w: number[] = [];
  for (let i = 0; i < nMels; i++) {
    const lo = melF[i + 1] - melF[i];
    const hi = melF[i + 2] - melF[i + 1];
    const enorm = 2 / (melF[i + 2] - melF[i]);
    const row = new Float64Array(nBins);
    let s = -1;
    let e = 0;
    for (let k = 0; k < nBins; k++) {
      const lower = -(melF[i] - fft[k]) / lo;
      const upper = (melF[i + 2] - fft[k]) / hi;
      row[k] = Math.max(0, Math.min(lower, upper));
      if (row[k] > 0) {
        if (s < 0) s = k;
        e = k + 1;
      }
    }
    if (s < 0) s = 0;
    start[i] = s;
    end[i] = e;
    offset[i] = w.length;
    for (let k = s; k < e; k++) w.push(Math.fround(Math.fround(row[k]) * enorm));
  }
  return { nMels, nBins, start, end, offset, weights: Float32Array.from(w) };
}

/** Dense copy (nMels x nBins, row-major) for tests and inspection. */
export function melDense(fb: MelFilterbank): Float64Array {
  const out = new Float64Array(fb.nMels * fb.nBins);
  for (let i = 0; i < fb.nMels; i++) {
    for (let k = fb.start[i]; k < fb.end[i]; k++) out[i * fb.nBins + k] = fb.weights[fb.offset[i] + k - fb.start[i]];
  }
  return out;
}

/** M[t, i] = sum_k W[i, k] P[t, k] for frame-major P (nFrames x nBins); returns nFrames x nMels. */
export function applyMel(fb: MelFilterbank, P: Float32Array, nFrames: number): Float64Array {
  const { nMels, nBins, start, end, offset, weights } = fb;
  const out = new Float64Array(nFrames * nMels);
  for (let t = 0; t < nFrames; t++) {
    const po = t * nBins;
    const oo = t * nMels;
    for (let i = 0; i < nMels; i++) {
      let s = 0;
      const wo = offset[i] - start[i];
      for (let k = start[i]; k < end[i]; k++) s += weights[wo + k] * P[po + k];
      out[oo + i] = s;
    }
  }
  return out;
}
