// Profile `logmel`: per 3-second segment, the flattened 64 × 130 log-mel patch the CNN eats
// (logmel.ts). The whole-track row is the mean of the segment patches (a patch-shaped summary, so the
// profile keeps one column set); the CNN itself trains on the segments.
import type { ExtractOptions, ExtractResult, FeatureProfile } from '../features/index';
import { LOGMEL, logMelColumns, segmentPatches } from './logmel';

export const LOGMEL_COLUMNS: readonly string[] = logMelColumns();

export const logmelProfile: FeatureProfile = {
  name: 'logmel',
  description:
    'Log-mel patches for the convolutional model: per 3-second segment, 64 Slaney mel bands × 130 frames ' +
    '(n_fft 2048, hop 512, power → dB, 80 dB below the patch maximum), flattened mel-major. ' +
    'Train the CNN on 3-s segments; the whole-track row is the mean patch.',
  columns: LOGMEL_COLUMNS,
  extract(samples: Float32Array, opts?: ExtractOptions): ExtractResult {
    const t0 = performance.now();
    const patches = segmentPatches(samples);
    const d = LOGMEL_COLUMNS.length;
    const track = new Float64Array(d);
    for (const p of patches) for (let i = 0; i < d; i++) track[i] += p.data[i]! / patches.length;
    const wantSegments = !!opts?.segmentSeconds && opts.segmentSeconds > 0;
    if (wantSegments && opts!.segmentSeconds !== LOGMEL.segmentSeconds) {
      throw new RangeError(`logmel: patches are ${LOGMEL.segmentSeconds}-second segments, not ${opts!.segmentSeconds}`);
    }
    const segments = wantSegments ? patches.map((p) => Float64Array.from(p.data)) : [];
    return { track, segments, timings: { logmel: (performance.now() - t0) / 1000, total: (performance.now() - t0) / 1000 } };
  },
};
