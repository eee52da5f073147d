import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourMap, contrastRatio, contrastText, parseColour, relativeLuminance } from '../../../src/main/engine/plot/colour';
import { formatTick, formatTicks, niceTicks, tickDecimals } from '../../../src/main/engine/plot/ticks';

const fixtures = join(__dirname, '../../fixtures/plot');

describe('colour maps', () => {
  // /usr/bin/python3 -c "from matplotlib import colormaps as C; ts=[0.0,0.1,0.25,0.5,0.7,0.999,1.0];
  //   [print(n, [[round(float(c)*255,1) for c in C[n](t)[:3]] for t in ts]) for n in ['viridis','Blues']]"
  // (matplotlib 3.6.3, Debian bookworm)
  const ts = [0.0, 0.1, 0.25, 0.5, 0.7, 0.999, 1.0];
  const ref: Record<'viridis' | 'blues', number[][]> = {
    viridis: [[68.1, 1.2, 84.0], [72.1, 35.9, 116.7], [58.6, 82.2, 139.2], [32.5, 144.6, 140.4], [68.1, 190.9, 112.3], [253.3, 231.1, 36.7], [253.3, 231.1, 36.7]],
    blues: [[247.0, 251.0, 255.0], [227.4, 238.5, 248.7], [197.7, 218.9, 238.9], [106.4, 173.6, 213.7], [45.7, 125.7, 187.5], [8.0, 48.0, 107.0], [8.0, 48.0, 107.0]],
  };

  it('viridis matches matplotlib to rounding (same 256-entry lookup), Blues to ≤ 1.5 levels', () => {
    for (const name of ['viridis', 'blues'] as const) {
      const cm = colourMap(name);
      ts.forEach((t, k) => {
        const got = parseColour(cm(t));
        const tol = name === 'viridis' ? 0.51 : 1.5; // Blues: matplotlib samples the ramp at 256 points
        for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - ref[name][k]![c]!), `${name}(${t})[${c}]`).toBeLessThanOrEqual(tol);
      });
    }
  });

  it('maps are monotone in luminance, clamp out-of-range input and never return NaN colours', () => {
    for (const name of ['viridis', 'blues'] as const) {
      const cm = colourMap(name);
      const lum = Array.from({ length: 101 }, (_, i) => relativeLuminance(cm(i / 100)));
      const sign = name === 'viridis' ? 1 : -1; // viridis gets lighter, Blues darker
      for (let i = 1; i < lum.length; i++) expect(sign * (lum[i]! - lum[i - 1]!)).toBeGreaterThanOrEqual(-1e-3);
      expect(cm(-3)).toBe(cm(0));
      expect(cm(7)).toBe(cm(1));
      expect(cm(NaN)).toBe(cm(0));
      expect(cm(Infinity)).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('contrast follows WCAG 2.x', () => {
    // WCAG 2.1 §1.4.3 definitions: black on white is 21:1; #767676 on white is the familiar 4.54:1.
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 12);
    expect(contrastText('#440154')).toBe('#ffffff'); // viridis bottom: white text
    expect(contrastText('#fde725')).toBe('#1a1a1a'); // viridis top: dark text
    // Whichever is picked, it is the better of the two.
    for (let i = 0; i <= 20; i++) {
      const bg = colourMap('viridis')(i / 20);
      const pick = contrastText(bg);
      const other = pick === '#ffffff' ? '#1a1a1a' : '#ffffff';
      expect(contrastRatio(bg, pick)).toBeGreaterThanOrEqual(contrastRatio(bg, other));
      expect(contrastRatio(bg, pick)).toBeGreaterThan(4);
    }
  });

  it('parses #rgb, #rrggbb and #rrggbbaa and rejects others', () => {
    expect(parseColour('#fa0')).toEqual([255, 170, 0, 255]);
    expect(parseColour('#1f77b4')).toEqual([31, 119, 180, 255]);
    expect(parseColour('#00000080')).toEqual([0, 0, 0, 128]);
    expect(() => parseColour('red')).toThrow();
  });
});

describe('niceTicks (port of matplotlib MaxNLocator)', () => {
  const ref = JSON.parse(readFileSync(join(fixtures, 'ticks.json'), 'utf8')) as {
    source: string;
    cases: { vmin: number; vmax: number; nbins: number; integer: boolean; ticks: number[] }[];
  };

  it(`matches ${ref.source} on ${ref.cases.length} ranges (tests/fixtures/plot/make_ticks.py)`, () => {
    for (const c of ref.cases) {
      const got = niceTicks(c.vmin, c.vmax, { nbins: c.nbins, integer: c.integer });
      const tol = 1e-9 * Math.max(Math.abs(c.vmax - c.vmin), 1e-300) + 1e-12 * Math.max(Math.abs(c.vmin), Math.abs(c.vmax));
      expect(got.length, JSON.stringify(c)).toBe(c.ticks.length);
      got.forEach((t, i) => expect(Math.abs(t - c.ticks[i]!), JSON.stringify(c)).toBeLessThanOrEqual(tol));
    }
  });

  it('brackets the range with evenly spaced ticks whose step is 1, 2, 2.5 or 5 × 10^k', () => {
    for (const [a, b, nbins] of [[0, 1, 5], [0.13, 0.87, 4], [-3.3, 12.9, 8], [1e-5, 3e-5, 6], [998, 1003, 5], [0, 3, 10]] as const) {
      const t = niceTicks(a, b, { nbins });
      expect(t[0]!).toBeLessThanOrEqual(a + 1e-12);
      expect(t[t.length - 1]!).toBeGreaterThanOrEqual(b - 1e-12);
      const step = t[1]! - t[0]!;
      for (let i = 2; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeCloseTo(step, 9);
      const mant = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 2.5, 5].some((m) => Math.abs(mant - m) < 1e-6)).toBe(true);
      expect(t.filter((x) => x >= a && x <= b).length).toBeGreaterThanOrEqual(2);
    }
    expect(niceTicks(1, 20, { nbins: 8, integer: true }).every(Number.isInteger)).toBe(true);
  });

  it('formats tick labels with shared decimals and a true minus sign', () => {
    expect(formatTicks([0, 0.25, 0.5, 0.75, 1])).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
    expect(formatTicks([-1, -0.5, 0, 0.5])).toEqual(['\u22121.0', '\u22120.5', '0.0', '0.5']);
    expect(formatTicks([0, 200, 400])).toEqual(['0', '200', '400']);
    expect(tickDecimals([0.1, 0.2, 0.30000000000000004])).toBe(1);
    expect(formatTick(-0.00000001, 2)).toBe('\u22121.0e\u22128');
    expect(formatTick(3e7, 0)).toBe('3.0e7');
    expect(formatTick(NaN, 2)).toBe('');
  });
});
