// Tuning estimate from a power spectrogram (librosa.estimate_tuning(S=P) as called by chroma_stft:
// piptrack with fmin 150, fmax 4000, threshold 0.1, resolution 0.01, 12 bins per octave).
// Arithmetic is rounded to float32 step by step, as librosa does on a float32 spectrogram.
import { TINY32 } from './constants';

const f = Math.fround;

/**
 * Peaks of each frame (bins with 150 <= f < 4000 Hz that are local maxima of P * [P > 0.1 max(P)]),
 * refined by parabolic interpolation; peaks with magnitude >= the median are kept; the deviation of
 * their pitch from 12-TET (A440) is histogrammed on 100 bins over [-0.5, 0.5]; the tuning (in
 * fractions of a bin) is the left edge of the fullest bin. Returns 0 when there is no peak.
 */
export function estimateTuning(
  P: Float32Array,
  nFrames: number,
  nBins: number,
  sampleRate: number,
  nFft: number,
  fmin = 150,
  fmax = 4000,
): number {
  const binHz = sampleRate / nFft;
  const kLo = Math.max(1, Math.ceil(fmin / binHz));
  let kHi = Math.min(nBins - 2, Math.floor(fmax / binHz));
  while (kHi * binHz >= fmax) kHi--;
  const pitches: number[] = [];
  const mags: number[] = [];
  const tenth = f(0.1);
  const tiny = TINY32;
  for (let t = 0; t < nFrames; t++) {
    const o = t * nBins;
    let mx = 0;
    for (let k = 0; k < nBins; k++) if (P[o + k] > mx) mx = P[o + k];
    const ref = f(tenth * mx);
    for (let k = kLo; k <= kHi; k++) {
      const x = P[o + k] > ref ? P[o + k] : 0;
      if (x === 0) continue;
      const xm = P[o + k - 1] > ref ? P[o + k - 1] : 0;
      const xp = P[o + k + 1] > ref ? P[o + k + 1] : 0;
      if (!(x > xm && x >= xp)) continue;
      const a = P[o + k - 1];
      const b = P[o + k];
      const c = P[o + k + 1];
      const avg = f(0.5 * f(c - a));
      let den = f(f(2 * b - c) - a);
      den = f(den + (Math.abs(den) < tiny ? 1 : 0));
      const shift = f(avg / den);
      const dskew = f(f(0.5 * avg) * shift);
      const pitch = f(((k + shift) * sampleRate) / nFft);
      if (pitch > 0) {
        pitches.push(pitch);
        mags.push(f(b + dskew));
      }
    }
  }
  if (pitches.length === 0) return 0;
  const sorted = Float64Array.from(mags).sort();
  const n = sorted.length;
  const thr = n % 2 ? sorted[(n - 1) / 2] : f(f(sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  const counts = new Int32Array(100);
  const base = f(27.5);
  let kept = 0;
  for (let i = 0; i < pitches.length; i++) {
    if (!(mags[i] >= thr)) continue;
    const octs = f(Math.log2(f(pitches[i] / base)));
    const x = f(12 * octs);
    let r = x % 1;
    if (r !== 0 && r < 0) r = f(r + 1);
    r = f(r);
    if (r >= 0.5) r = f(r - 1);
    counts[histBin(r)]++;
    kept++;
  }
  if (kept === 0) return 0;
  let best = 0;
  for (let i = 1; i < 100; i++) if (counts[i] > counts[best]) best = i;
  return histEdge(best);
}

/** numpy.linspace(-0.5, 0.5, 101)[i]. */
function histEdge(i: number): number {
  return i === 100 ? 0.5 : i * 0.01 + -0.5;
}

/** numpy.histogram's bin for a value in [-0.5, 0.5] with 100 equal bins (same rounding corrections). */
function histBin(r: number): number {
  let idx = Math.trunc((r - -0.5) * 100);
  if (idx === 100) idx = 99;
  if (r < histEdge(idx)) idx--;
  if (idx !== 99 && r >= histEdge(idx + 1)) idx++;
  return idx;
}
