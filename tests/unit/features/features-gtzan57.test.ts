// The gtzan57 profile end to end on synthetic signals, against the numpy reference of the GTZAN table
// (../shared/reference/gtzan57_numpy.py `features()`, via tests/fixtures/features/make_gtzan57_ref.py
// -> profile_ref.json), plus edge cases and segments.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, getProfile, listProfiles } from '../../../src/main/engine/features';
import { GTZAN57_COLUMNS, gtzan57Vector } from '../../../src/main/engine/features/gtzan57';
import { segmentSpans } from '../../../src/main/engine/features/segments';
import { allFinite, loadFixture } from './helpers';
import { clicks, detuned, tonesNoise } from './signals';

const ref = loadFixture('profile_ref.json');
const SR = 22050;

const SIGNALS: Record<string, () => Float32Array> = {
  tones_noise_3s: () => tonesNoise(3 * SR),
  clicks_6s_period_10752: () => clicks(6 * SR, 10752),
  detuned_2s_23c: () => detuned(2 * SR, 23),
  tones_noise_1000: () => tonesNoise(1000),
  tones_noise_1: () => tonesNoise(1),
  silence_1s: () => new Float32Array(SR),
  dc_1s: () => new Float32Array(SR).fill(0.25),
};

describe('profile gtzan57', () => {
  const p = getProfile('gtzan57');

  it('is the default profile and lists the table columns in the table order', () => {
    expect(DEFAULT_PROFILE).toBe('gtzan57');
    expect(getProfile().name).toBe('gtzan57');
    expect(listProfiles().map((q) => q.name)).toEqual(['gtzan57', 'meyda', 'logmel']);
    expect(p.columns).toEqual(ref.columns);
    expect(GTZAN57_COLUMNS.length).toBe(57);
    expect(() => getProfile('nope')).toThrow(/unknown feature profile/);
  });

  // Tolerance: rel 1e-5 (1e-4 for clips of 1-2 frames, where a variance over 2 frames amplifies the
  // reference's float32 rounding), or abs 1e-8 for values that are float32 noise around 0 (DC's MFCC
  // variance, means of the HPSS waveforms). Clips under 16 frames use the documented 'reflect' median
  // in the reference (make_gtzan57_ref.py explains scipy 1.10's out-of-line reads there).
  for (const [name, make] of Object.entries(SIGNALS)) {
    it(`${name}: all 57 values equal the numpy reference`, () => {
      const want = ref[name] as number[];
      const y = make();
      const rel = y.length < 2048 ? 1e-4 : 1e-5;
      const { track } = p.extract(y);
      const bad: string[] = [];
      p.columns.forEach((c, j) => {
        const d = Math.abs(track[j] - want[j]);
        if (!(d <= 1e-8 || d <= rel * Math.abs(want[j]))) bad.push(`${c}: ${track[j]} vs ${want[j]}`);
      });
      expect(bad).toEqual([]);
    });
  }

  it('silence, DC, one sample, a huge DC offset give finite values before the profile finite-value guard', () => {
    for (const y of [new Float32Array(5000), new Float32Array(5000).fill(-0.7), Float32Array.of(0.3), new Float32Array(30000).fill(1e6), new Float32Array(70000).fill(1e-30)]) {
      expect(allFinite(gtzan57Vector(y))).toBe(true);
    }
  });

  it('the same and an empty clip give finite values and one segment through the profile', () => {
    for (const y of [new Float32Array(5000), new Float32Array(5000).fill(-0.7), Float32Array.of(0.3), new Float32Array(0), new Float32Array(30000).fill(1e6)]) {
      const r = p.extract(y, { segmentSeconds: 3 });
      expect(allFinite(r.track)).toBe(true);
      expect(r.segments.length).toBe(1);
      expect(allFinite(r.segments[0])).toBe(true);
    }
  });

  it('reports per-stage timings', () => {
    const { timings } = p.extract(tonesNoise(SR));
    for (const k of ['stft', 'spectral+rms+zcr', 'mel+mfcc', 'chroma', 'hpss.median', 'hpss', 'tempo', 'total']) {
      expect(timings[k]).toBeGreaterThanOrEqual(0);
    }
  });

  it('segments are the 57 columns of each 66,149-sample piece (3 s, stride 66,150)', () => {
    const y = tonesNoise(7 * SR);
    y.fill(0, 4 * SR); // the second segment differs from the first
    const r = p.extract(y, { segmentSeconds: 3 });
    expect(r.segments.length).toBe(2);
    const direct = p.extract(y.subarray(66150, 66150 + 66149)).track;
    expect(Array.from(r.segments[1])).toEqual(Array.from(direct));
    expect(r.segments[0]).not.toEqual(r.segments[1]);
  });
});

describe('segmentSpans (features_3_sec.csv convention)', () => {
  it('cuts 66,149 samples every 66,150 while (s + 1) * 66,150 < n', () => {
    // lengths seen in the table: 661,794 and 661,504 -> 10 segments; 661,500 and 661,408 -> 9
    expect(segmentSpans(661794, 3).length).toBe(10);
    expect(segmentSpans(661504, 3).length).toBe(10);
    expect(segmentSpans(661500, 3).length).toBe(9);
    expect(segmentSpans(661408, 3).length).toBe(9);
    expect(segmentSpans(661794, 3)[9]).toEqual({ start: 595350, length: 66149 });
    expect(segmentSpans(675808, 3).length).toBe(10);
  });
  it('a clip of at most one segment gives one segment: the whole clip', () => {
    expect(segmentSpans(1000, 3)).toEqual([{ start: 0, length: 1000 }]);
    expect(segmentSpans(66150, 3)).toEqual([{ start: 0, length: 66150 }]);
    expect(segmentSpans(66151, 3)).toEqual([{ start: 0, length: 66149 }]);
    expect(segmentSpans(0, 3)).toEqual([{ start: 0, length: 0 }]);
  });
  it('other segment lengths scale the same way', () => {
    expect(segmentSpans(10 * SR, 1)).toEqual(Array.from({ length: 9 }, (_, s) => ({ start: s * SR, length: SR - 1 })));
    expect(() => segmentSpans(100, 0)).toThrow(RangeError);
  });
});
