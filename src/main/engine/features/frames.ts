// The framing engine: centred frames (pad n_fft/2 each side), fixed frame length and hop.

/** Index into x of length n for position i of numpy's 'reflect' padding (mirror without repeating the edge). */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/**
 * numpy.pad(x, pad, mode='reflect'): ... x[2], x[1] | x[0], x[1], ... | x[n-2], x[n-3] ...
 * Pads longer than the signal keep reflecting (periodic mirror), as numpy does. Empty input → zeros.
 */
export function padReflect(x: Float32Array, pad: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n + 2 * pad);
  if (n === 0) return out;
  out.set(x, pad);
  for (let i = 0; i < pad; i++) {
    out[pad - 1 - i] = x[reflectIndex(-1 - i, n)];
    out[pad + n + i] = x[reflectIndex(n + i, n)];
  }
  return out;
}

/** numpy.pad(x, pad, mode='edge'): repeat the first / last sample. Empty input → zeros. */
export function padEdge(x: Float32Array, pad: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n + 2 * pad);
  if (n === 0) return out;
  out.set(x, pad);
  out.fill(x[0], 0, pad);
  out.fill(x[n - 1], pad + n);
  return out;
}

/** Number of centred frames for n samples: 1 + floor(n / hop) (librosa, center=True). */
export function centredFrameCount(n: number, hop: number): number {
  return 1 + Math.floor(n / hop);
}

/** Centred frames of a signal: frame t is padded[t*hop, t*hop + frameLength). */
export interface Framing {
  /** The padded signal (frameLength/2 on each side). */
  padded: Float32Array;
  frameLength: number;
  hop: number;
  nFrames: number;
}

/** Frame a signal librosa-style (center=True, numpy 'reflect' padding by frameLength/2). */
export function centredFrames(y: Float32Array, frameLength: number, hop: number): Framing {
  return {
    padded: padReflect(y, frameLength / 2),
    frameLength,
    hop,
    nFrames: centredFrameCount(y.length, hop),
  };
}

/** View of frame t (no copy). */
export function frameView(f: Framing, t: number): Float32Array {
  const start = t * f.hop;
  return f.padded.subarray(start, start + f.frameLength);
}
