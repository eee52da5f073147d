// Types shared by the audio engine's modules (re-exported from ./index).
import type { FailureKind } from '../../../shared/types';

export const TARGET_SAMPLE_RATE = 22050;
/** The shortest usable clip: one analysis frame of 2,048 samples at TARGET_SAMPLE_RATE. */
export const MIN_SAMPLES = 2048;

export interface DecodedAudio {
  /** Mono samples at TARGET_SAMPLE_RATE, finite, in [-1, 1] (not clipped by us, just as decoded). */
  samples: Float32Array;
  sampleRate: number;
  /** As stored in the file. */
  originalSampleRate: number;
  channels: number;
  /** Seconds. */
  duration: number;
  /** Container/codec name, e.g. 'wav', 'flac', 'mp3'. */
  format: string;
  /** Things the user may want to know although the file decoded (e.g. a truncated data chunk). */
  warnings?: string[];
}

/** Thrown by the decoder: a failure kind the library table shows, and a human message. */
export class DecodeError extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.name = 'DecodeError';
    this.kind = kind;
  }
}
