// Building blocks of the feature engine against numpy / scipy (tests/fixtures/features/make_gtzan57_ref.py
// writes blocks_ref.json: scipy.signal.get_window, numpy.pad, numpy.fft.rfft, scipy.ndimage.median_filter,
// scipy.fftpack.dct, and librosa-0.7 mel / chroma filter banks from the reference gtzan57_numpy.py).
import { describe, expect, it } from 'vitest';
import { chromaFilterbank } from '../../../src/main/engine/features/chroma';
import { powerToDbInPlace } from '../../../src/main/engine/features/db';
import { dctOrthoMatrix, dctOrthoRows } from '../../../src/main/engine/features/dct';
import { createFft } from '../../../src/main/engine/features/fft';
import { centredFrameCount, padEdge, padReflect } from '../../../src/main/engine/features/frames';
import { melDense, melFilterbank } from '../../../src/main/engine/features/mel';
import {
  medianFilterCols,
  medianFilterRows,
  medianLine,
  sortMedian,
  symmetricIndex,
} from '../../../src/main/engine/features/median';
import { hannPeriodic } from '../../../src/main/engine/features/window';
import { loadFixture } from './helpers';
import { maxRel } from './signals';

const ref = loadFixture('blocks_ref.json');

describe('window', () => {
  it('periodic Hann equals scipy get_window("hann", 8) (abs 1e-15)', () => {
    expect(maxRel(hannPeriodic(8), ref.hann8, 1)).toBeLessThan(1e-15);
  });
  it('periodic Hann 2048: sum = N/2 (closed form), w[n] = w[N-n], w[0] = 0', () => {
    const w = hannPeriodic(2048);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(ref.hann2048_sum, 9);
    expect(ref.hann2048_sum).toBeCloseTo(1024, 9);
    for (let n = 1; n < 2048; n++) expect(Math.abs(w[n] - w[2048 - n])).toBeLessThan(1e-15);
    expect(w[0]).toBe(0);
  });
});

describe('padding and framing', () => {
  const x = Float32Array.from(ref.pad.x as number[]);
  it('reflect padding equals numpy.pad(mode="reflect"), also for pads longer than the signal', () => {
    expect(Array.from(padReflect(x, 3))).toEqual(ref.pad.reflect3);
    expect(Array.from(padReflect(x, 11))).toEqual(ref.pad.reflect11);
    expect(Array.from(padReflect(Float32Array.of(2.5), 4))).toEqual(ref.pad.reflect1_of_1);
    expect(Array.from(padReflect(Float32Array.of(1, 2), 5))).toEqual(ref.pad.reflect_of_2);
  });
  it('edge padding equals numpy.pad(mode="edge")', () => {
    expect(Array.from(padEdge(x, 4))).toEqual(ref.pad.edge4);
  });
  it('centred frame count is 1 + floor(n / hop) (librosa center=True)', () => {
    expect(centredFrameCount(661794, 512)).toBe(1293);
    expect(centredFrameCount(661500, 512)).toBe(1292);
    expect(centredFrameCount(66149, 512)).toBe(130);
    expect(centredFrameCount(1, 512)).toBe(1);
  });
});

describe('fft (fft.js)', () => {
  it('real FFT of 64 values equals numpy.fft.rfft (abs 1e-12)', () => {
    const X = createFft(64).real(Float64Array.from(ref.rfft64.x as number[]));
    for (let k = 0; k <= 32; k++) {
      expect(Math.abs(X[2 * k] - ref.rfft64.re[k])).toBeLessThan(1e-12);
      expect(Math.abs(X[2 * k + 1] - ref.rfft64.im[k])).toBeLessThan(1e-12);
    }
  });
  it('complex inverse undoes the forward transform (property, abs 1e-12)', () => {
    const f = createFft(1024);
    const z = new Float64Array(2048);
    for (let i = 0; i < 2048; i++) z[i] = Math.sin(i * 0.61) + (i % 5) * 0.1;
    const back = f.inverse(Float64Array.from(f.forward(z)));
    expect(maxRel(back, z, 1)).toBeLessThan(1e-12);
  });
  it('rejects sizes that are not powers of two', () => {
    expect(() => createFft(100)).toThrow(RangeError);
  });
});

describe('running median filter (scipy.ndimage.median_filter, mode "reflect")', () => {
  for (const [name, c] of Object.entries<any>(ref.median)) {
    it(`${name} equals scipy exactly`, () => {
      const [rows, cols] = c.shape;
      const x = Float32Array.from(c.x as number[]);
      const y = c.axis === 'rows' ? medianFilterRows(x, rows, cols, c.width) : medianFilterCols(x, rows, cols, c.width);
      expect(Array.from(y)).toEqual(Array.from(Float32Array.from(c.y as number[])));
    });
  }
  it('equals a sort-based median on random data with ties (property, 200 lines)', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rnd() * 120);
      const width = 2 * Math.floor(rnd() * 20) + 1;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.floor(rnd() * 12) / 4; // many ties
      const y = new Float32Array(n);
      medianLine(x, 0, n, width, y, 0, 1);
      const half = (width - 1) / 2;
      for (let i = 0; i < n; i++) {
        const win: number[] = [];
        for (let j = i - half; j <= i + half; j++) win.push(x[symmetricIndex(j, n)]);
        expect(y[i]).toBe(sortMedian(win));
      }
    }
  });
  it('rejects even widths', () => {
    expect(() => medianLine(new Float32Array(4), 0, 4, 4, new Float32Array(4), 0, 1)).toThrow(RangeError);
  });
});

describe('DCT-II, orthonormal', () => {
  it('equals scipy.fftpack.dct(type=2, norm="ortho")[:20] (rel 1e-12)', () => {
    const y = dctOrthoRows(Float64Array.from(ref.dct.x as number[]), 1, 128, 20);
    expect(maxRel(y, ref.dct.y20, 1e-6)).toBeLessThan(1e-12);
  });
  it('the full 128 x 128 matrix is orthonormal (property, abs 1e-12)', () => {
    const m = dctOrthoMatrix(128, 128);
    for (const [a, b] of [[0, 0], [3, 3], [0, 5], [17, 90], [127, 127]]) {
      let s = 0;
      for (let n = 0; n < 128; n++) s += m[a * 128 + n] * m[b * 128 + n];
      expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    }
  });
});

describe('power to dB', () => {
  it('equals librosa.power_to_db(ref=1, amin=1e-10, top_db=80) (abs 1e-10)', () => {
    const y = powerToDbInPlace(Float64Array.from(ref.db.x as number[]));
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - ref.db.y[i])).toBeLessThan(1e-10);
    // closed form: max is 10 log10(1e5) = 50 dB, floor at -30 dB
    expect(Math.max(...y)).toBeCloseTo(50, 12);
    expect(Math.min(...y)).toBeCloseTo(-30, 12);
  });
});

describe('mel filter bank (Slaney, 128 bands, norm 2/(f[i+2]-f[i]))', () => {
  const fb = melFilterbank(22050, 2048, 128);
  it('every band has the same non-zero run and float32 weights as librosa 0.7 (rel 1e-6)', () => {
    const mel = ref.mel as { start: number; w: number[] }[];
    expect(mel.length).toBe(128);
    mel.forEach((band, i) => {
      expect(fb.start[i]).toBe(band.start);
      expect(fb.end[i] - fb.start[i]).toBe(band.w.length);
      const w = fb.weights.subarray(fb.offset[i], fb.offset[i] + band.w.length);
      expect(maxRel(w, band.w, 1e-12)).toBeLessThan(1e-6);
    });
  });
  it('dense copy has the band area normalisation: sum_k w[i,k] * df ~ 1 (property, Slaney norm, rel 2 %)', () => {
    const d = melDense(fb);
    for (const i of [20, 60, 100, 127]) {
      let s = 0;
      for (let k = 0; k < fb.nBins; k++) s += d[i * fb.nBins + k];
      expect(Math.abs(s * (22050 / 2048) - 1)).toBeLessThan(0.02);
    }
  });
});

describe('chroma filter bank (librosa.filters.chroma, Ellis)', () => {
  for (const tuning of ['0', '-0.27']) {
    it(`tuning ${tuning}: equals librosa 0.7 on every 8th FFT bin (rel 1e-6, abs 1e-12)`, () => {
      const F = chromaFilterbank(22050, 2048, Number(tuning));
      const want = ref.chroma_fb[tuning] as number[];
      const cols = Math.ceil(1025 / 8);
      expect(want.length).toBe(12 * cols);
      for (let c = 0; c < 12; c++) {
        for (let j = 0; j < cols; j++) {
          const a = F[c * 1025 + 8 * j];
          const b = want[c * cols + j];
          expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(1e-12, 1e-6 * Math.abs(b)));
        }
      }
    });
  }
});
