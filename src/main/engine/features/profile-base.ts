// Shared scaffolding: a profile = a column list + a function from one clip (or segment) to a vector.

import type { ExtractOptions, ExtractResult, FeatureProfile } from './index';
import { segmentSpans } from './segments';

/** Computes one vector (one value per column) and adds seconds per stage into `timings`. */
export type VectorExtractor = (y: Float32Array, timings: Record<string, number>) => Float64Array;

const ONE_ZERO = new Float32Array(1);

/** Replace any non-finite value by 0 (a guard: the extractors are written not to produce any). */
function finite(v: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) v[i] = 0;
  return v;
}

export function makeProfile(
  name: string,
  description: string,
  columns: readonly string[],
  vector: VectorExtractor,
): FeatureProfile {
  const run = (y: Float32Array, timings: Record<string, number>): Float64Array => {
    // An empty clip is treated as one silent sample, so every profile still returns finite numbers.
    const v = vector(y.length === 0 ? ONE_ZERO : y, timings);
    if (v.length !== columns.length) throw new Error(`${name}: ${v.length} values for ${columns.length} columns`);
    return finite(v);
  };
  return {
    name,
    description,
    columns,
    extract(samples: Float32Array, opts?: ExtractOptions): ExtractResult {
      const timings: Record<string, number> = {};
      const t0 = performance.now();
      const track = run(samples, timings);
      timings.total = (performance.now() - t0) / 1000;
      const segments: Float64Array[] = [];
      const secs = opts?.segmentSeconds;
      if (secs && secs > 0) {
        const t1 = performance.now();
        const scratch: Record<string, number> = {};
        for (const sp of segmentSpans(samples.length, secs)) {
          segments.push(run(samples.subarray(sp.start, sp.start + sp.length), scratch));
        }
        timings.segments = (performance.now() - t1) / 1000;
      }
      return { track, segments, timings };
    },
  };
}

/** Column names `${base}_mean, ${base}_var` for each base. */
export function meanVarColumns(bases: readonly string[]): string[] {
  const out: string[] = [];
  for (const b of bases) out.push(`${b}_mean`, `${b}_var`);
  return out;
}
