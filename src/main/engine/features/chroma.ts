// Chroma from a power spectrogram (librosa.filters.chroma + librosa.feature.chroma_stft, 0.7/0.8).
import { TINY32 } from './constants';

/**
 * Ellis' chroma filter bank (librosa.filters.chroma(sr, nFft, tuning=tuning), n_chroma 12,
 * ctroct 5, octwidth 2, base_c): Gaussian bumps around each pitch class, each FFT-bin column
 * L2-normalised, weighted by a Gaussian over octaves centred on C5, rows rolled so that row 0 = C.
 * Returns 12 x nBins (row-major) float32 weights for bins 0..nFft/2.
 */
export function chromaFilterbank(sampleRate: number, nFft: number, tuning: number, nChroma = 12): Float32Array {
  const ctroct = 5;
  const octwidth = 2;
  const a440 = 440 * 2 ** (tuning / nChroma);
  const frq = new Float64Array(nFft);
  for (let j = 1; j < nFft; j++) frq[j] = nChroma * Math.log2(((j * sampleRate) / nFft) / (a440 / 16));
  frq[0] = frq[1] - 1.5 * nChroma;
  const width = new Float64Array(nFft);
  for (let j = 0; j < nFft - 1; j++) width[j] = Math.max(frq[j + 1] - frq[j], 1);
  width[nFft - 1] = 1;
  const half = Math.round(nChroma / 2);
  const nBins = nFft / 2 + 1;
  const w = new Float64Array(nChroma * nFft);
  for (let j = 0; j < nFft; j++) {
    let ss = 0;
    for (let c = 0; c < nChroma; c++) {
      const x = frq[j] - c + half + 10 * nChroma;
      let m = x % nChroma; // numpy.remainder: fmod, moved into [0, n) for negative x
      if (m < 0) m += nChroma;
      const d = m - half;
      const v = Math.exp(-0.5 * ((2 * d) / width[j]) ** 2);
      w[c * nFft + j] = v;
      ss += v * v;
    }
    let norm = Math.sqrt(ss);
    if (norm < 2.2250738585072014e-308) norm = 1;
    const oct = Math.exp(-0.5 * ((frq[j] / nChroma - ctroct) / octwidth) ** 2);
    for (let c = 0; c < nChroma; c++) w[c * nFft + j] = (w[c * nFft + j] / norm) * oct;
  }
  const out = new Float32Array(nChroma * nBins);
  for (let r = 0; r < nChroma; r++) {
    const src = ((r + 3) % nChroma) * nFft; // numpy.roll(wts, -3, axis=0)
    for (let j = 0; j < nBins; j++) out[r * nBins + j] = w[src + j];
  }
  return out;
}

/**
 * chroma[t, c] = sum_k F[c, k] P[t, k], each frame divided by its maximum (frames whose maximum is
 * below float32 tiny are left as they are). Frame-major output: nFrames x nChroma.
 */
export function chromaFromPower(F: Float32Array, nChroma: number, P: Float32Array, nFrames: number, nBins: number): Float64Array {
  const out = new Float64Array(nFrames * nChroma);
  const tiny = TINY32;
  const F64 = Float64Array.from(F);
  for (let t = 0; t < nFrames; t++) {
    const po = t * nBins;
    const oo = t * nChroma;
    let c = 0;
    // four chroma rows per pass over the frame (same summation order as one row at a time)
    for (; c + 4 <= nChroma; c += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const f0 = c * nBins;
      const f1 = f0 + nBins;
      const f2 = f1 + nBins;
      const f3 = f2 + nBins;
      for (let k = 0; k < nBins; k++) {
        const p = P[po + k];
        s0 += F64[f0 + k] * p;
        s1 += F64[f1 + k] * p;
        s2 += F64[f2 + k] * p;
        s3 += F64[f3 + k] * p;
      }
      out[oo + c] = s0;
      out[oo + c + 1] = s1;
      out[oo + c + 2] = s2;
      out[oo + c + 3] = s3;
    }
    for (; c < nChroma; c++) {
      let s = 0;
      const fo = c * nBins;
      for (let k = 0; k < nBins; k++) s += F64[fo + k] * P[po + k];
      out[oo + c] = s;
    }
    let mx = 0;
    for (let j = 0; j < nChroma; j++) if (Math.abs(out[oo + j]) > mx) mx = Math.abs(out[oo + j]);
    const norm = mx < tiny ? 1 : mx;
    for (let j = 0; j < nChroma; j++) out[oo + j] /= norm;
  }
  return out;
}
