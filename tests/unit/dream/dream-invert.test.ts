// Dream audio: the conv1d STFT against the FFT STFT, NNLS mel inversion, Griffin–Lim, the energy
// gate and the WAV round trip.
//
// References:
// - conv1d STFT: src/main/engine/features/stft.ts (a float64 FFT, itself checked against librosa in
//   tests/unit/features); tolerance |conv − fft| ≤ 1e-4 · max|X| element-wise (float32 sums of 2,048
//   products; measured 1.8e-6).
// - Griffin–Lim and NNLS: tests/fixtures/dream/dream_reference.json, made by
//   `/usr/bin/python3 tests/fixtures/dream/make_dream_reference.py` (numpy 1.24 STFT/ISTFT and fast
//   Griffin–Lim written as librosa 0.8's; scipy.optimize.nnls). Same closed-form signal here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBytes, encodeWav } from '../../../src/main/engine/audio';
import { audioFigures, energyGate, normalisePeak } from '../../../src/main/engine/dream/audio';
import { disposeBasis, fourierBasis, logMelConv, melMatrix, stftConv } from '../../../src/main/engine/dream/fourier';
import { griffinLim, melToLinearPower, spectralConvergence } from '../../../src/main/engine/dream/invert';
import { applyMel, melFilterbank } from '../../../src/main/engine/features/mel';
import { magnitude, powerFromMagnitude, stft } from '../../../src/main/engine/features/stft';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { mulberry32, normal } from '../../../src/main/engine/random';
import { repoRoot } from '../../helpers/shared';

interface Reference {
  griffinLim: Record<string, { iterations: number; momentum: number; sc: number[]; mean: number }>;
  nnls: { nMels: number; frames: number[]; relativeResidual: number[] };
  melSpectrumTotal: number;
}
const ref = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/dream/dream_reference.json'), 'utf8')) as Reference;

const SR = 22050;
/** The closed-form test signal of make_dream_reference.py. */
function signal(seconds = 2): Float32Array {
  const n = Math.round(seconds * SR);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    y[i] =
      0.4 * Math.sin(2 * Math.PI * 440 * t) +
      0.3 * Math.sin(2 * Math.PI * (200 * t + 300 * t * t)) +
      0.2 * Math.sin(2 * Math.PI * 1320 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 2 * t));
  }
  return y;
}

beforeAll(async () => {
  await initBackend();
});

describe('conv1d STFT', () => {
  it('equals the FFT STFT to 1e-4 of the largest magnitude, frames and bins alike', () => {
    const rng = mulberry32(3);
    const y = signal(1.3);
    for (let i = 0; i < y.length; i++) y[i] += 0.05 * normal(rng);
    const want = stft(y);
    const b = fourierBasis(2048, 512);
    const got = tf.tidy(() => stftConv(tf.tensor1d(y), b));
    const d = got.dataSync();
    expect(got.shape).toEqual([want.nFrames, 2 * want.nBins]);
    let maxAbs = 0;
    let maxErr = 0;
    for (let t = 0; t < want.nFrames; t++) {
      for (let k = 0; k < want.nBins; k++) {
        const re = want.re[t * want.nBins + k]!;
        const im = want.im[t * want.nBins + k]!;
        maxAbs = Math.max(maxAbs, Math.hypot(re, im));
        maxErr = Math.max(maxErr, Math.abs(d[t * 2 * want.nBins + k]! - re), Math.abs(d[t * 2 * want.nBins + want.nBins + k]! - im));
      }
    }
    got.dispose();
    disposeBasis(b);
    expect(maxAbs).toBeGreaterThan(100);
    expect(maxErr / maxAbs).toBeLessThan(1e-4);
  });

  it('has the gradient of plain conv1d autodiff (its overlap-add gradient is exact)', () => {
    const b = fourierBasis(2048, 512);
    const x = tf.tensor1d(signal(0.4));
    const frames = 1 + Math.floor(x.shape[0] / 512);
    const w = tf.randomNormal([frames, 2 * b.nBins], 0, 1, 'float32', 7);
    const fast = tf.grad((v: tf.Tensor) => stftConv(v as tf.Tensor1D, b).mul(w).sum())(x);
    const plain = tf.grad((v: tf.Tensor) => {
      const p = tf.mirrorPad(v as tf.Tensor1D, [[1024, 1024]], 'reflect');
      return tf.conv1d(p.reshape([1, -1, 1]) as tf.Tensor3D, b.filter, 512, 'valid').reshape(w.shape).mul(w).sum();
    })(x);
    const a = fast.dataSync();
    const c = plain.dataSync();
    let err = 0;
    let scale = 0;
    for (let i = 0; i < a.length; i++) {
      err = Math.max(err, Math.abs(a[i]! - c[i]!));
      scale = Math.max(scale, Math.abs(c[i]!));
    }
    tf.dispose([x, w, fast, plain]);
    disposeBasis(b);
    expect(scale).toBeGreaterThan(1);
    expect(err / scale).toBeLessThan(1e-4);
  });

  it('gives the log-mel of features/mel.ts on the FFT power spectrum (within 0.01 dB down to 60 dB below the peak)', () => {
    const y = signal(1);
    const spec = { sampleRate: SR, nFft: 2048, nMels: 64 };
    const s = stft(y);
    const want = applyMel(melFilterbank(SR, 2048, 64), powerFromMagnitude(magnitude(s)), s.nFrames);
    const b = fourierBasis(2048, 512);
    const mel = melMatrix(spec);
    const got = tf.tidy(() => logMelConv(tf.tensor1d(y), b, mel, 1e-10).dataSync());
    disposeBasis(b);
    mel.dispose();
    // float32 sums lose relative precision in cells far below the loudest one
    const db = (v: number) => 10 * Math.log10(Math.max(1e-10, v));
    const top = db(Math.max(...want));
    let worst = 0;
    let checked = 0;
    for (let m = 0; m < 64; m++) {
      for (let t = 0; t < s.nFrames; t++) {
        const w = db(want[t * 64 + m]!);
        if (w < top - 60) continue;
        checked++;
        worst = Math.max(worst, Math.abs(got[m * s.nFrames + t]! - w));
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(worst).toBeLessThan(0.01);
  });
});

describe('mel → linear inversion (NNLS)', () => {
  it('fits the mel spectrum of a real signal as closely as scipy.optimize.nnls (residual ≈ 0), with non-negative power', () => {
    const y = signal();
    const s = stft(y);
    const fb = melFilterbank(SR, 2048, ref.nnls.nMels);
    const melPower = applyMel(fb, powerFromMagnitude(magnitude(s)), s.nFrames);
    let total = 0;
    for (const v of melPower) total += v;
    // the same mel spectrum as numpy's (float32 STFT here, float64 there)
    expect(Math.abs(total - ref.melSpectrumTotal) / ref.melSpectrumTotal).toBeLessThan(1e-5);
    const r = melToLinearPower(fb, melPower, s.nFrames, 500);
    for (const v of r.power) expect(v).toBeGreaterThanOrEqual(0);
    // scipy's active-set NNLS reaches 0 on these frames; ours gets within 1e-3 of the mel energy
    expect(Math.max(...ref.nnls.relativeResidual)).toBeLessThan(1e-9);
    expect(r.relativeResidual).toBeLessThan(1e-3);
  });

  it('puts a sine back near its frequency (property)', () => {
    const n = SR;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / SR);
    const s = stft(y);
    const fb = melFilterbank(SR, 2048, 64);
    const mel = applyMel(fb, powerFromMagnitude(magnitude(s)), s.nFrames);
    const r = melToLinearPower(fb, mel, s.nFrames);
    const t = Math.floor(s.nFrames / 2);
    let best = 0;
    for (let k = 1; k < s.nBins; k++) if (r.power[t * s.nBins + k]! > r.power[t * s.nBins + best]!) best = k;
    const hz = (best * SR) / 2048;
    // one mel band near 1 kHz is about 70 Hz wide at 64 bands
    expect(Math.abs(hz - 1000)).toBeLessThan(80);
  });
});

describe('Griffin–Lim', () => {
  const y = signal();
  const s = stft(y);
  const mag = magnitude(s);

  it('fast Griffin–Lim (100 iterations) reaches the spectral convergence of the numpy reference', () => {
    const want = ref.griffinLim['100/0.99']!;
    const scs = [0, 1, 2].map((seed) => spectralConvergence(mag, griffinLim(mag, y.length, { iterations: 100, momentum: 0.99, rng: mulberry32(seed) }).samples));
    const mean = scs.reduce((a, b) => a + b, 0) / scs.length;
    // numpy: 0.069 mean over 3 seeds (0.059–0.074); random starts differ, so allow 25 %
    expect(mean).toBeLessThan(want.mean * 1.25);
    for (const sc of scs) expect(sc).toBeLessThan(0.1);
  });

  it('at 60 iterations, fast beats classic Griffin–Lim, as in the reference', () => {
    const fast = spectralConvergence(mag, griffinLim(mag, y.length, { iterations: 60, momentum: 0.99, rng: mulberry32(5) }).samples);
    const classic = spectralConvergence(mag, griffinLim(mag, y.length, { iterations: 60, momentum: 0, rng: mulberry32(5) }).samples);
    expect(fast).toBeLessThan(ref.griffinLim['60/0.99']!.mean * 1.3);
    expect(classic).toBeLessThan(ref.griffinLim['60/0.0']!.mean * 1.5);
    expect(fast).toBeLessThan(classic);
  });

  it('stops when asked', () => {
    let seen = 0;
    const r = griffinLim(mag, y.length, { iterations: 100, rng: mulberry32(1), onIteration: (i) => ((seen = i), i >= 7) });
    expect(r.iterations).toBe(7);
    expect(seen).toBe(7);
    expect(r.samples.length).toBe(y.length);
  });
});

describe('finishing the audio', () => {
  it('the gate silences a near-silent stretch and keeps the loud one; normalisation puts the peak at −1 dBFS', () => {
    const n = SR;
    const rng = mulberry32(9);
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = i < n / 2 ? 0.5 * Math.sin((2 * Math.PI * 300 * i) / SR) : 1e-4 * normal(rng);
    const g = energyGate(x);
    const out = normalisePeak(g.samples, -1);
    const quiet = audioFigures(out.subarray(Math.floor(0.6 * n)), SR);
    const loud = audioFigures(out.subarray(Math.floor(0.05 * n), Math.floor(0.45 * n)), SR);
    expect(quiet.rmsDbfs).toBe(-Infinity);
    expect(loud.rmsDbfs).toBeGreaterThan(-5);
    expect(g.closedFraction).toBeGreaterThan(0.3);
    const all = audioFigures(out, SR);
    expect(all.peakDbfs).toBeCloseTo(-1, 6);
    expect(all.clippedSamples).toBe(0);
    expect(all.finite).toBe(true);
  });

  it('writes 16-bit PCM WAV that decodes back to the same samples (within one LSB) with a correct header', async () => {
    const x = normalisePeak(signal(0.5), -1);
    const bytes = encodeWav(x, SR, 16);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ascii = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
    expect(ascii(0)).toBe('RIFF');
    expect(dv.getUint32(4, true)).toBe(bytes.length - 8);
    expect(ascii(8)).toBe('WAVE');
    expect(dv.getUint16(20, true)).toBe(1); // PCM
    expect(dv.getUint16(22, true)).toBe(1); // mono
    expect(dv.getUint32(24, true)).toBe(SR);
    expect(dv.getUint16(34, true)).toBe(16);
    expect(ascii(36)).toBe('data');
    expect(dv.getUint32(40, true)).toBe(2 * x.length);
    const back = await decodeBytes(bytes, 'dream.wav');
    expect(back.sampleRate).toBe(SR);
    expect(back.samples.length).toBe(x.length);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(back.samples[i]! - x[i]!));
    expect(worst).toBeLessThanOrEqual(1 / 32768 + 1e-7);
  });
});
