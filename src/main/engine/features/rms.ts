// Root-mean-square energy per frame (librosa.feature.rms(y), librosa 0.7/0.8).
import type { Framing } from './frames';

/**
 * sqrt(mean(frame^2)) over the frames of a centred framing (numpy 'reflect' padding, no window).
 * Sums in Float64 (librosa sums in float32; the difference is ~1e-7 relative).
 */
export function rmsFrames(f: Framing): Float64Array {
  const { padded: p, frameLength: L, hop, nFrames: T } = f;
  const out = new Float64Array(T);
  const per = L / hop;
  if (Number.isInteger(per)) {
    // sums of squares per hop-sized block, each frame = `per` consecutive blocks
    const nBlocks = T - 1 + per;
    const block = new Float64Array(nBlocks);
    for (let b = 0; b < nBlocks; b++) {
      let s = 0;
      for (let i = b * hop, e = i + hop; i < e; i++) s += p[i] * p[i];
      block[b] = s;
    }
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let j = 0; j < per; j++) s += block[t + j];
      out[t] = Math.sqrt(s / L);
    }
  } else {
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let i = t * hop, e = i + L; i < e; i++) s += p[i] * p[i];
      out[t] = Math.sqrt(s / L);
    }
  }
  return out;
}
