// Onset strength envelope (librosa.onset.onset_strength as used by librosa.beat.beat_track,
// librosa 0.7/0.8: lag 1, max_size 1, aggregate = median over bands, centred, no detrend).

/**
 * Sdb: frame-major dB mel spectrogram (nFrames x nBands). a_t = median over bands of
 * max(0, Sdb[t] - Sdb[t-1]) for t = 1..nFrames-1; the envelope is a_t shifted right by
 * `pad` - 1 frames (pad = lag + n_fft / (2 hop) = 3 in librosa): env = [0, 0, 0, a_1, ..., a_{T-3}].
 */
export function onsetStrengthMedian(Sdb: Float64Array, nFrames: number, nBands: number, pad = 3): Float64Array {
  const env = new Float64Array(nFrames);
  const d = new Float64Array(nBands);
  for (let t = 1; t < nFrames; t++) {
    const dst = t - 1 + pad;
    if (dst >= nFrames) break;
    const o = t * nBands;
    for (let b = 0; b < nBands; b++) {
      const v = Sdb[o + b] - Sdb[o - nBands + b];
      d[b] = v > 0 ? v : 0;
    }
    d.sort();
    env[dst] = nBands % 2 ? d[(nBands - 1) >> 1] : (d[nBands / 2 - 1] + d[nBands / 2]) / 2;
  }
  return env;
}
