// Feature engine: pure functions over frames and spectra, one framing engine, named profiles.
// INTERFACE — implemented by the features engine work.

export interface ExtractOptions {
  /** Segment length in seconds for per-segment vectors (0 or undefined: none). */
  segmentSeconds?: number;
}

export interface ExtractResult {
  /** Whole-track vector, one value per column (Float64). */
  track: Float64Array;
  /** Per-segment vectors (same columns). */
  segments: Float64Array[];
  /** Seconds spent per stage, for benchmarks. */
  timings: Record<string, number>;
}

export interface FeatureProfile {
  name: string;
  description: string;
  columns: readonly string[];
  /** samples: mono Float32 at 22,050 Hz. Must return finite numbers for any finite input. */
  extract(samples: Float32Array, opts?: ExtractOptions): ExtractResult;
}

export { getProfile, listProfiles, DEFAULT_PROFILE } from './profiles';
