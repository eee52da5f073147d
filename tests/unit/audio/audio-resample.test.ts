import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { besselI0, kaiserBeta, resample, resamplerDesign, setResampleSimd } from '../../../src/main/engine/audio/resample';
import { loadRefs, rms, sine, tones } from './audio-helpers';

const refs = loadRefs();

/** Level of y relative to a full-scale (amplitude 1) sine, in dB, away from the edges. */
function levelDb(y: Float32Array, edge: number): number {
  return 20 * Math.log10(rms(y, edge, y.length - edge) / Math.SQRT1_2);
}

describe('filter design helpers', () => {
  it('besselI0 matches scipy.special.i0 to 1e-12 relative', () => {
    for (const [x, ref] of refs.besselI0) expect(Math.abs(besselI0(x) - ref) / ref).toBeLessThan(1e-12);
  });
  it('kaiserBeta matches scipy.signal.kaiser_beta to 1e-12', () => {
    for (const [a, ref] of refs.kaiserBeta) expect(kaiserBeta(a)).toBeCloseTo(ref, 12);
  });
  it('puts the cut-off below the target Nyquist and the stop band at it', () => {
    for (const from of [8000, 44100, 48000, 96000, 44056]) {
      const d = resamplerDesign(from, 22050);
      const nyq = Math.min(from, 22050) / 2;
      expect(d.cutoffHz).toBeLessThan(nyq);
      expect(d.stopHz).toBeCloseTo(nyq, 9);
      expect(d.passHz).toBeLessThan(d.cutoffHz);
    }
  });
});

// Every check runs twice: with the WebAssembly SIMD inner loop (the default) and with the
// JavaScript loop it replaces.
afterAll(() => setResampleSimd(true));
describe.each([
  ['WebAssembly SIMD', true],
  ['JavaScript loop', false],
])('resample (%s)', (_name, simd) => {
  beforeAll(() => {
    setResampleSimd(simd);
  });

  it('has length round(n · to / from) for many rate pairs and lengths', () => {
    for (const [from, to] of [
      [48000, 22050],
      [44100, 22050],
      [96000, 22050],
      [8000, 22050],
      [22050, 16000],
      [44056, 22050],
      [11025.5, 22050],
      [192000, 22050],
    ]) {
      for (const n of [0, 1, 2, 3, 99, 1000, 4801]) {
        expect(resample(new Float32Array(n), from, to).length).toBe(Math.round((n * to) / from));
      }
    }
  });

  it('removes a 15 kHz sine going 48 kHz → 22,050 Hz by at least 60 dB (stop band)', () => {
    const x = sine(15000, 48000, 48000);
    const y = resample(x, 48000, 22050);
    const rejection = -levelDb(y, 500);
    console.info(`[audio] 15 kHz @ 48 kHz → 22,050 Hz: residual ${(-rejection).toFixed(1)} dB (rejection ${rejection.toFixed(1)} dB)`);
    expect(rejection).toBeGreaterThanOrEqual(60);
  });

  it('rejects everything from the target Nyquist up by ≥ 60 dB for several rates and tones', () => {
    for (const [from, f] of [
      [48000, 11100],
      [48000, 20000],
      [44100, 12000],
      [96000, 30000],
      [96000, 47000],
      [44056, 16000],
    ]) {
      const y = resample(sine(f, from, from), from, 22050);
      expect(levelDb(y, 600), `${f} Hz from ${from} Hz`).toBeLessThan(-60);
    }
  });

  it('keeps a 1 kHz sine within 0.1 dB and its waveform within 1e-4 of the closed form (pass band)', () => {
    for (const from of [48000, 44100, 96000, 8000, 32000, 44056, 192000]) {
      const x = sine(1000, from, from);
      const y = resample(x, from, 22050);
      const edge = 600;
      expect(Math.abs(levelDb(y, edge)), `level from ${from} Hz`).toBeLessThan(0.1);
      const exact = sine(1000, 22050, y.length);
      let maxErr = 0;
      for (let i = edge; i < y.length - edge; i++) maxErr = Math.max(maxErr, Math.abs(y[i] - exact[i]));
      expect(maxErr, `waveform from ${from} Hz`).toBeLessThan(1e-4);
    }
  });

  it('agrees with scipy.signal.resample_poly (long Kaiser filter) on multi-tone signals to 1e-4', () => {
    for (const c of refs.resample) {
      const x = tones(c.tones, c.fromRate, c.n);
      const y = resample(x, c.fromRate, c.toRate);
      expect(y.length).toBe(c.outLength);
      let maxErr = 0;
      c.indices.forEach((idx, k) => (maxErr = Math.max(maxErr, Math.abs(y[idx] - c.scipy[k]))));
      expect(maxErr, c.name).toBeLessThan(1e-4);
    }
  });

  it('is linear and time-aligned: resample(a·x + b·y) = a·resample(x) + b·resample(y); an impulse peaks where it should', () => {
    const x = tones([[700, 0.3, 0.1]], 48000, 4800);
    const z = tones([[2900, 0.2, 1.3]], 48000, 4800);
    const mix = x.map((v, i) => 2 * v - 0.5 * z[i]);
    const rx = resample(x, 48000, 22050);
    const rz = resample(z, 48000, 22050);
    const rm = resample(mix, 48000, 22050);
    for (let i = 0; i < rm.length; i++) expect(Math.abs(rm[i] - (2 * rx[i] - 0.5 * rz[i]))).toBeLessThan(1e-5);
    // An impulse at input sample 44100·k lands on output sample 22050·k (44.1 → 22.05 kHz).
    const imp = new Float32Array(44100);
    imp[20000] = 1;
    const out = resample(imp, 44100, 22050);
    let arg = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[arg]) arg = i;
    expect(arg).toBe(10000);
  });

  it('keeps DC at unit gain and returns a copy when the rates match', () => {
    const y = resample(new Float32Array(9600).fill(0.25), 48000, 22050);
    for (let i = 400; i < y.length - 400; i++) expect(Math.abs(y[i] - 0.25)).toBeLessThan(1e-5);
    const x = Float32Array.of(1, 2, 3);
    const same = resample(x, 22050, 22050);
    expect(same).toEqual(x);
    expect(same).not.toBe(x);
    expect(() => resample(x, 0, 22050)).toThrow(RangeError);
    expect(() => resample(x, 44100, Number.NaN)).toThrow(RangeError);
  });
});

describe('SIMD and JavaScript paths', () => {
  it('agree to float32 rounding (≤ 1e-6) on noise for every rational rate pair used', () => {
    let state = 1;
    const noise = Float32Array.from({ length: 96000 }, () => ((state = (state * 48271) % 2147483647) / 2147483647) * 2 - 1);
    for (const from of [8000, 16000, 32000, 44100, 48000, 88200, 96000, 192000]) {
      const x = noise.subarray(0, from);
      setResampleSimd(false);
      const js = resample(x, from, 22050);
      setResampleSimd(true);
      const simd = resample(x, from, 22050);
      expect(simd.length).toBe(js.length);
      let maxDiff = 0;
      for (let i = 0; i < js.length; i++) maxDiff = Math.max(maxDiff, Math.abs(js[i] - simd[i]));
      expect(maxDiff, `from ${from} Hz`).toBeLessThan(1e-6);
    }
  });
});
