import { describe, expect, it } from 'vitest';
import { getProfile } from '../../../src/main/engine/features';
import { meydaVector } from '../../../src/main/engine/features/meyda-profile';
import { allFinite, loadFixture, relErr, sine } from './helpers';

const SR = 22050;

/** Same formula as tests/fixtures/features/make_meyda_ref.py: tones (12000), silence (3000), DC 0.25 (2000). */
function testSignal(): Float32Array {
  const y = new Float32Array(17000);
  for (let i = 0; i < 12000; i++) {
    y[i] =
      0.5 * Math.sin((2 * Math.PI * 440 * i) / SR) +
      0.2 * Math.sin((2 * Math.PI * 1234.5 * i) / SR) +
      0.1 * Math.sin((2 * Math.PI * 97 * i) / SR) * Math.cos((2 * Math.PI * 3 * i) / SR);
  }
  y.fill(0.25, 15000);
  return y;
}

describe('profile meyda', () => {
  const p = getProfile('meyda');

  it('has mean/var columns for 20 MFCC, 12 chroma and 6 scalars', () => {
    expect(p.columns.length).toBe(2 * (20 + 12 + 6));
    expect(p.columns.slice(0, 3)).toEqual(['mfcc1_mean', 'mfcc1_var', 'mfcc2_mean']);
    expect(p.columns).toContain('chroma12_var');
    expect(p.columns.at(-1)).toBe('rms_var');
  });

  // Reference: numpy re-implementation of Meyda 5.6.3's extractors (make_meyda_ref.py), same frames.
  it('matches the numpy re-implementation of Meyda definitions (rel 1e-6, abs 1e-9)', () => {
    const ref = loadFixture<{ frames: number; values: Record<string, number> }>('meyda_ref.json');
    const { track } = p.extract(testSignal());
    const bad: string[] = [];
    p.columns.forEach((c, j) => {
      const want = ref.values[c];
      if (typeof want !== 'number') bad.push(`${c}: missing in fixture`);
      else if (Math.abs(track[j] - want) > 1e-9 && relErr(track[j], want) > 1e-6) bad.push(`${c}: ${track[j]} vs ${want}`);
    });
    expect(bad).toEqual([]);
  });

  it('a 440 Hz sine peaks in chroma A (chroma10, C = chroma1)', () => {
    const { track } = p.extract(sine(440, SR));
    const means = Array.from({ length: 12 }, (_, i) => track[p.columns.indexOf(`chroma${i + 1}_mean`)]);
    expect(means.indexOf(Math.max(...means))).toBe(9);
  });

  it('silence, DC and a 100-sample clip give finite values before the profile finite-value guard', () => {
    for (const y of [new Float32Array(30000), new Float32Array(30000).fill(0.3), sine(300, 100)]) {
      expect(allFinite(meydaVector(y))).toBe(true);
    }
  });

  it('silence, DC, a 100-sample clip and an empty clip give finite values; segments of 3 s', () => {
    for (const y of [new Float32Array(30000), new Float32Array(30000).fill(0.3), sine(300, 100), new Float32Array(0)]) {
      const r = p.extract(y, { segmentSeconds: 3 });
      expect(allFinite(r.track)).toBe(true);
      expect(r.segments.length).toBe(1);
      expect(allFinite(r.segments[0])).toBe(true);
    }
    const r = p.extract(sine(220, 7 * SR), { segmentSeconds: 3 });
    expect(r.segments.length).toBe(2);
  });
});
