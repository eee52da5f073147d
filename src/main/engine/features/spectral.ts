// Spectral centroid, bandwidth and roll-off per frame from a magnitude spectrogram
// (librosa.feature.spectral_centroid / spectral_bandwidth / spectral_rolloff, librosa 0.7/0.8 defaults).
import { TINY32 } from './constants';

export interface SpectralShape {
  centroid: Float64Array;
  bandwidth: Float64Array;
  rolloff: Float64Array;
}

/** FFT bin frequencies k * sr / nFft, k = 0..nBins-1 (numpy.linspace(0, sr/2, nBins)). */
export function fftFrequencies(sampleRate: number, nFft: number): Float64Array {
  const nBins = nFft / 2 + 1;
  const f = new Float64Array(nBins);
  const step = sampleRate / 2 / (nBins - 1);
  for (let k = 0; k < nBins; k++) f[k] = k * step;
  f[nBins - 1] = sampleRate / 2;
  return f;
}

/**
 * Per frame t of mag (frame-major, nBins per frame):
 * centroid = sum f_k S_k / sum S_k; bandwidth = sqrt(sum (S_k / sum S) (f_k - centroid)^2);
 * rolloff = smallest f_k whose cumulative magnitude reaches `rollPercent` of the total.
 * As librosa: the normalised spectrum S_k / sum S is rounded to float32 and frames whose sum is
 * below float32 tiny are not normalised; the roll-off cumulative sum and threshold are float32.
 */
export function spectralShape(
  mag: Float32Array,
  nFrames: number,
  freqs: Float64Array,
  rollPercent = 0.85,
): SpectralShape {
  const nBins = freqs.length;
  const centroid = new Float64Array(nFrames);
  const bandwidth = new Float64Array(nFrames);
  const rolloff = new Float64Array(nFrames);
  const sn = new Float32Array(nBins);
  const roll32 = Math.fround(rollPercent);
  for (let t = 0; t < nFrames; t++) {
    const o = t * nBins;
    let sum = 0;
    let cum32 = 0;
    for (let k = 0; k < nBins; k++) {
      const m = mag[o + k];
      sum += m;
      cum32 = Math.fround(cum32 + m);
    }
    const norm = sum < TINY32 ? 1 : sum;
    let c = 0;
    for (let k = 0; k < nBins; k++) {
      sn[k] = mag[o + k] / norm;
      c += freqs[k] * sn[k];
    }
    let b = 0;
    for (let k = 0; k < nBins; k++) {
      const d = freqs[k] - c;
      b += sn[k] * d * d;
    }
    centroid[t] = c;
    bandwidth[t] = Math.sqrt(b);
    const thr = Math.fround(roll32 * cum32);
    let acc = 0;
    let k = 0;
    for (; k < nBins; k++) {
      acc = Math.fround(acc + mag[o + k]);
      if (acc >= thr) break;
    }
    rolloff[t] = freqs[Math.min(k, nBins - 1)];
  }
  return { centroid, bandwidth, rolloff };
}
