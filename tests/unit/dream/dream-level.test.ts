// The loudness a dreamt spectrogram will be written at (engine/dream/level.ts).
// References: the frame energy of a known signal computed directly from its samples
// (Σ_n (w_n y_n)² / Σ_n w_n², periodic Hann, centred reflect-padded frames as features/stft.ts);
// the closed form Σ_n w_n² = 3N/8 of the periodic Hann window; and the invariance that makes the
// shift useful: a spectrogram moved by c dB gets a shift c dB smaller, so x + shift(x) stays put.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandEnergyWeights, frameMeanSquare, levelShift, SOFTNESS_DB } from '../../../src/main/engine/dream/level';
import { centredFrames, frameView } from '../../../src/main/engine/features/frames';
import { applyMel, melFilterbank } from '../../../src/main/engine/features/mel';
import { magnitude, powerFromMagnitude, stft } from '../../../src/main/engine/features/stft';
import { hannPeriodic } from '../../../src/main/engine/features/window';
import { initBackend } from '../../../src/main/engine/ml/backend';

const SR = 22050;
const N = 2048;

function signal(seconds: number): Float32Array {
  const n = Math.round(seconds * SR);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    // loudness rising over time, so frames differ
    y[i] = (0.1 + 0.8 * (i / n)) * (0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.3 * Math.sin(2 * Math.PI * (200 * t + 300 * t * t)));
  }
  return y;
}

/** dB mel spectrogram [nMels, frames] of y (power, 10·log10, no floor). */
function logMel(y: Float32Array, nMels: number): { db: Float32Array; frames: number } {
  const s = stft(y);
  const m = applyMel(melFilterbank(SR, N, nMels), powerFromMagnitude(magnitude(s)), s.nFrames);
  const db = new Float32Array(nMels * s.nFrames);
  for (let t = 0; t < s.nFrames; t++) for (let k = 0; k < nMels; k++) db[k * s.nFrames + t] = 10 * Math.log10(Math.max(1e-20, m[t * nMels + k]!));
  return { db, frames: s.nFrames };
}

beforeAll(async () => {
  await initBackend();
});

describe('the level of a spectrogram’s sound', () => {
  it('Σ w² of the periodic Hann window is 3N/8 (the constant in frameMeanSquare)', () => {
    const w = hannPeriodic(N);
    let s = 0;
    for (const v of w) s += v * v;
    expect(s).toBeCloseTo((3 * N) / 8, 9);
  });

  it('estimates each frame’s mean square from the mel spectrogram within 5 % (64 bands)', () => {
    const y = signal(2);
    const { db, frames } = logMel(y, 64);
    const weights = tf.tensor1d(bandEnergyWeights(melFilterbank(SR, N, 64)));
    const est = tf.tidy(() => frameMeanSquare(tf.tensor2d(db, [64, frames]), weights, N).dataSync());
    weights.dispose();
    const fr = centredFrames(y, N, 512);
    const w = hannPeriodic(N);
    let worst = 0;
    for (let t = 2; t < frames - 2; t++) {
      const f = frameView(fr, t);
      let num = 0;
      for (let n = 0; n < N; n++) num += (w[n]! * f[n]!) ** 2;
      const truth = num / ((3 * N) / 8);
      worst = Math.max(worst, Math.abs(est[t]! / truth - 1));
    }
    expect(worst).toBeLessThan(0.05);
  });

  it('moves opposite to the spectrogram: x + shift(x) does not depend on x’s level (property)', () => {
    const { db, frames } = logMel(signal(1), 32);
    const weights = tf.tensor1d(bandEnergyWeights(melFilterbank(SR, N, 32)));
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor2d(db, [32, frames]);
      const y = x.sub<tf.Tensor2D>(17.5);
      return [levelShift(x, weights, N, -1).dataSync()[0]!, levelShift(y, weights, N, -1).dataSync()[0]!];
    });
    weights.dispose();
    expect(b - a).toBeCloseTo(17.5, 3);
  });

  it('puts a full-scale sine’s loudest frame where its peak says (crest √2 for a sine)', () => {
    const n = SR;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = 0.891 * Math.sin((2 * Math.PI * 1000 * i) / SR); // −1 dBFS peak
    const { db, frames } = logMel(y, 64);
    const weights = tf.tensor1d(bandEnergyWeights(melFilterbank(SR, N, 64)));
    // with the sine's own crest factor √2, the sound is already at −1 dBFS: the shift is ~0 dB
    // (within 0.5 dB: the bands' partition of unity is not exact between band centres, ~6 % here)
    const [hard, soft] = tf.tidy(() => {
      const x = tf.tensor2d(db, [64, frames]);
      return [levelShift(x, weights, N, -1, Math.SQRT2, 0).dataSync()[0]!, levelShift(x, weights, N, -1, Math.SQRT2).dataSync()[0]!];
    });
    weights.dispose();
    expect(Math.abs(hard)).toBeLessThan(0.5);
    // the smooth maximum lies between the maximum and softness · ln(frames) above it
    expect(hard - soft).toBeGreaterThanOrEqual(0);
    expect(hard - soft).toBeLessThanOrEqual(SOFTNESS_DB * Math.log(frames) + 1e-4);
  });
});
