// Harmonic / percussive soft masks (librosa.decompose.hpss(S, kernel_size=31, power=2, margin=1)).
import { TINY32 } from './constants';
import { medianFilterCols, medianFilterRows } from './median';

export interface HpssMasks {
  harmonic: Float32Array;
  percussive: Float32Array;
}

/**
 * mag is frame-major (nFrames x nBins). H = median over `width` frames (time), P = median over
 * `width` bins (frequency), scipy 'reflect' boundaries; masks H^2 / (H^2 + P^2) and P^2 / (H^2 + P^2),
 * 0.5 each where both medians are (below float32 tiny) zero. `timings.median` gets the filter time.
 */
export function hpssMasks(
  mag: Float32Array,
  nFrames: number,
  nBins: number,
  width = 31,
  timings?: Record<string, number>,
): HpssMasks {
  const t0 = performance.now();
  const H = medianFilterCols(mag, nFrames, nBins, width); // along time (frames are rows)
  const P = medianFilterRows(mag, nFrames, nBins, width); // along frequency
  if (timings) timings.median = (performance.now() - t0) / 1000;
  // reuse the filter outputs as mask storage
  const tiny = TINY32;
  for (let i = 0; i < H.length; i++) {
    const h = H[i];
    const p = P[i];
    const z = h > p ? h : p;
    if (z < tiny) {
      H[i] = 0.5;
      P[i] = 0.5;
    } else {
      const a = (h / z) ** 2;
      const b = (p / z) ** 2;
      H[i] = a / (a + b);
      P[i] = b / (a + b);
    }
  }
  return { harmonic: H, percussive: P };
}
