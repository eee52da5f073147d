// How a clip is cut into segments (the GTZAN "3-second" table's convention).

import { SAMPLE_RATE } from './constants';

export interface SegmentSpan {
  start: number;
  length: number;
}

/**
 * Segments of a clip of n samples, matching features_3_sec.csv: with S = round(seconds * sr),
 * segment s covers samples [s*S, s*S + S - 1) (66,149 samples for 3 s, the table's `length`), for every
 * s with (s+1)*S < n (strictly: a 661,500-sample clip has 9 segments in the table, a 661,504-sample one 10).
 * A clip with no complete segment gives ONE segment: the whole clip. n = 0 gives one empty segment.
 */
export function segmentSpans(n: number, seconds: number, sampleRate = SAMPLE_RATE): SegmentSpan[] {
  const step = Math.round(seconds * sampleRate);
  if (!(step >= 2)) throw new RangeError(`segmentSeconds too small: ${seconds}`);
  const spans: SegmentSpan[] = [];
  for (let s = 0; (s + 1) * step < n; s++) spans.push({ start: s * step, length: step - 1 });
  if (spans.length === 0) spans.push({ start: 0, length: n });
  return spans;
}
