// What a dream is made of: the log-mel representation a network listens to (sample rate, STFT,
// mel bands, dB scale, patch length) and how a spectrogram longer than one patch is cut into the
// patches whose embeddings are averaged.

export interface LogMelSpec {
  sampleRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  /** Frames of one network input (a 3-second patch). */
  patchFrames: number;
  /** dB = 10 · log10(max(power, amin)) on the mel power spectrogram. */
  amin: number;
  /** Each patch is floored at its own maximum − topDb (librosa's top_db); null: no floor. */
  topDb: number | null;
  /** The dB range a dream stays inside (clipped after every step). */
  floorDb: number;
  ceilDb: number;
}

/** Centred STFT frames of n samples: 1 + floor(n / hop) (librosa, center=True). */
export function framesFor(samples: number, hop: number): number {
  return 1 + Math.floor(samples / hop);
}

export function samplesFor(seconds: number, sampleRate: number): number {
  return Math.round(seconds * sampleRate);
}

/**
 * Start frames of the patches that cover `frames` frames: every `stride` frames from 0, plus one
 * patch ending at the last frame when the stride does not land there. A spectrogram shorter than a
 * patch cannot be embedded (the caller pads or refuses).
 */
export function patchStarts(frames: number, patchFrames: number, stride = Math.max(1, Math.floor(patchFrames / 2))): number[] {
  if (frames < patchFrames) throw new RangeError(`${frames} frames are fewer than one patch (${patchFrames})`);
  const out: number[] = [];
  for (let s = 0; s + patchFrames <= frames; s += stride) out.push(s);
  const last = frames - patchFrames;
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/** The shortest dream, in seconds: one patch. */
export function minSeconds(spec: LogMelSpec): number {
  return ((spec.patchFrames - 1) * spec.hop) / spec.sampleRate;
}
