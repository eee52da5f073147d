// Zero-crossing rate per frame (librosa.feature.zero_crossing_rate(y), librosa 0.7/0.8).
import { centredFrameCount } from './frames';

/**
 * Centred frames of `frameLength` (hop `hop`) over the signal padded by repeating its edge samples
 * ('edge', not 'reflect'); samples with |y| <= 1e-10 count as 0 and 0 counts as positive; the rate
 * is the number of sign changes between consecutive samples inside the frame (frameLength - 1 pairs)
 * divided by frameLength.
 */
export function zcrFrames(y: Float32Array, frameLength: number, hop: number): Float64Array {
  const n = y.length;
  const pad = frameLength / 2;
  const T = centredFrameCount(n, hop);
  const out = new Float64Array(T);
  if (n === 0) return out;
  // cum[i] = number of sign changes between padded positions (j-1, j) for 1 <= j <= i.
  const total = n + 2 * pad;
  const neg = (i: number): number => {
    const j = i < pad ? 0 : i >= pad + n ? n - 1 : i - pad;
    return y[j] < -1e-10 ? 1 : 0;
  };
  const cum = new Int32Array(total);
  let prev = neg(0);
  for (let i = 1; i < total; i++) {
    const s = neg(i);
    cum[i] = cum[i - 1] + (s !== prev ? 1 : 0);
    prev = s;
  }
  for (let t = 0; t < T; t++) {
    const start = t * hop;
    out[t] = (cum[start + frameLength - 1] - cum[start]) / frameLength;
  }
  return out;
}
