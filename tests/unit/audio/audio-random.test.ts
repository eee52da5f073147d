import { describe, expect, it } from 'vitest';
import { fork, mulberry32, normal, pick, randInt, shuffle, uniform } from '../../../src/main/engine/random';
import { loadRefs } from './audio-helpers';

const refs = loadRefs();

describe('mulberry32', () => {
  it('reproduces the reference sequence (Python port of the C reference, make_audio_refs.py)', () => {
    for (const [seed, expected] of Object.entries(refs.mulberry32)) {
      const rng = mulberry32(Number(seed));
      const got = expected.map(() => rng());
      // Both sides compute uint32 / 2^32 exactly, so the values must be identical.
      expect(got).toEqual(expected);
    }
  });

  it('is uniform on [0, 1): mean 1/2, variance 1/12 within 4 standard errors (n = 200,000)', () => {
    const rng = mulberry32(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });
});

describe('helpers', () => {
  it('normal(): mean 0, sd 1, and the 97.5 % quantile near 1.96 (n = 100,000)', () => {
    const rng = mulberry32(11);
    const n = 100_000;
    const xs = Float64Array.from({ length: n }, () => normal(rng));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sd - 1)).toBeLessThan(0.01);
    const sorted = Array.from(xs).sort((a, b) => a - b);
    expect(sorted[Math.floor(0.975 * n)]).toBeCloseTo(1.96, 1);
    expect(normal(mulberry32(3), 10, 0)).toBe(10);
  });

  it('randInt covers [lo, hi] inclusively, uniform and pick stay in range', () => {
    const rng = mulberry32(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const k = randInt(rng, -2, 3);
      expect(k).toBeGreaterThanOrEqual(-2);
      expect(k).toBeLessThanOrEqual(3);
      seen.add(k);
      const u = uniform(rng, 4, 5);
      expect(u >= 4 && u < 5).toBe(true);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2, 3].sort());
    expect(['a', 'b']).toContain(pick(rng, ['a', 'b']));
    expect(() => pick(rng, [])).toThrow(RangeError);
  });

  it('shuffle permutes, and the same seed gives the same order; fork is deterministic', () => {
    const a = shuffle(mulberry32(9), Array.from({ length: 50 }, (_, i) => i));
    const b = shuffle(mulberry32(9), Array.from({ length: 50 }, (_, i) => i));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const f1 = fork(mulberry32(1));
    const f2 = fork(mulberry32(1));
    expect([f1(), f1()]).toEqual([f2(), f2()]);
  });
});
