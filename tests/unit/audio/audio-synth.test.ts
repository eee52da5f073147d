import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { DEMO_STYLES, synthesiseClip, type DemoStyle } from '../../../src/main/engine/audio/index';

const SR = 22050;

/**
 * Simple spectral features (not the product's extractor): log energies of 24 log-spaced bands
 * (50 Hz – 10 kHz) of a Hann-windowed 2,048-point STFT, hop 1,024 — mean and standard deviation
 * over time of each band, plus mean and sd of the positive spectral flux (rhythm strength).
 */
function features(x: Float32Array): number[] {
  const size = 2048;
  const hop = 1024;
  const fft = new FFT(size);
  const edges = Array.from({ length: 25 }, (_, k) => 50 * (10000 / 50) ** (k / 24));
  const bins = edges.map((f) => Math.round((f * size) / SR));
  const frames: number[][] = [];
  const flux: number[] = [];
  const input = new Array<number>(size);
  const out = fft.createComplexArray() as number[];
  let prev: Float64Array | null = null;
  for (let start = 0; start + size <= x.length; start += hop) {
    for (let i = 0; i < size; i++) input[i] = x[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
    fft.realTransform(out, input);
    const mag = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) mag[k] = Math.hypot(out[2 * k], out[2 * k + 1]);
    const bands: number[] = [];
    for (let b = 0; b < 24; b++) {
      let e = 1e-9;
      for (let k = bins[b]; k < Math.max(bins[b] + 1, bins[b + 1]); k++) e += mag[k] * mag[k];
      bands.push(Math.log(e));
    }
    frames.push(bands);
    if (prev) {
      let f = 0;
      for (let k = 0; k < size / 2; k++) f += Math.max(0, mag[k] - prev[k]);
      flux.push(Math.log(1e-9 + f));
    }
    prev = mag;
  }
  const stats = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)];
  };
  const feats: number[] = [];
  for (let b = 0; b < 24; b++) feats.push(...stats(frames.map((f) => f[b])));
  feats.push(...stats(flux));
  return feats;
}

describe('synthesiseClip', () => {
  it('is deterministic for a seed, differs between seeds, and has the requested length', () => {
    for (const style of DEMO_STYLES) {
      const a = synthesiseClip(style, 123, 2);
      const b = synthesiseClip(style, 123, 2);
      const c = synthesiseClip(style, 124, 2);
      expect(a.length).toBe(2 * SR);
      expect(a).toEqual(b);
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - c[i]);
      expect(diff / a.length, style).toBeGreaterThan(1e-3);
    }
    expect(synthesiseClip('jazz', 1, 1.5, 44100).length).toBe(66150);
  });

  it('is finite, peaks at −3 dBFS (±0.01 dB) and never clips', () => {
    for (const style of DEMO_STYLES) {
      for (const seed of [0, 1, 99]) {
        const x = synthesiseClip(style, seed, 3);
        let peak = 0;
        let nonFinite = 0;
        for (const v of x) {
          if (!Number.isFinite(v)) nonFinite++;
          peak = Math.max(peak, Math.abs(v));
        }
        expect(nonFinite).toBe(0);
        expect(Math.abs(20 * Math.log10(peak) + 3), `${style}/${seed}`).toBeLessThan(0.01);
      }
    }
  });

  it('rejects bad arguments', () => {
    expect(() => synthesiseClip('polka' as DemoStyle, 1, 1)).toThrow(RangeError);
    expect(() => synthesiseClip('rock', 1, 0)).toThrow(RangeError);
    expect(() => synthesiseClip('rock', 1, 1, 100)).toThrow(RangeError);
  });

  it('makes styles a nearest-centroid classifier separates (leave-one-out, 4 clips × 6 styles) and between-style distances exceed within-style ones', () => {
    const perStyle = 4;
    const rows: { style: DemoStyle; f: number[] }[] = [];
    for (const style of DEMO_STYLES) for (let s = 0; s < perStyle; s++) rows.push({ style, f: features(synthesiseClip(style, 1000 + s, 6)) });
    // Standardise each feature over all clips.
    const dim = rows[0].f.length;
    for (let j = 0; j < dim; j++) {
      const v = rows.map((r) => r.f[j]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) || 1;
      for (const r of rows) r.f[j] = (r.f[j] - m) / sd;
    }
    const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0));
    let correct = 0;
    const confusions: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      let best: DemoStyle | null = null;
      let bestD = Infinity;
      for (const style of DEMO_STYLES) {
        const members = rows.filter((r, k) => r.style === style && k !== i);
        const centroid = Array.from({ length: dim }, (_, j) => members.reduce((s, r) => s + r.f[j], 0) / members.length);
        const d = dist(rows[i].f, centroid);
        if (d < bestD) {
          bestD = d;
          best = style;
        }
      }
      if (best === rows[i].style) correct++;
      else confusions.push(`${rows[i].style}→${best}`);
    }
    const accuracy = correct / rows.length;
    let within = 0;
    let between = 0;
    let nw = 0;
    let nb = 0;
    for (let i = 0; i < rows.length; i++) {
      for (let k = i + 1; k < rows.length; k++) {
        const d = dist(rows[i].f, rows[k].f);
        if (rows[i].style === rows[k].style) {
          within += d;
          nw++;
        } else {
          between += d;
          nb++;
        }
      }
    }
    console.info(`[audio-synth] leave-one-out nearest-centroid accuracy ${correct}/${rows.length} (${confusions.join(', ') || 'no confusions'}); mean distance within ${(within / nw).toFixed(2)}, between ${(between / nb).toFixed(2)}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(between / nb).toBeGreaterThan(1.5 * (within / nw));
  });
});
