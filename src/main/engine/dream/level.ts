// How loud a dreamt spectrogram will be once it is sound normalised to −1 dBFS peak. The network is
// not level-invariant (it standardises each mel band with fixed training statistics), and the
// finished WAV is peak-normalised, so a spectrogram dream must be heard at the level its sound will
// be written at. The sound's peak is estimated from the spectrogram: the loudest frame's RMS (mel
// power back to linear energy by a partition of unity over the bands, Parseval through the periodic
// Hann window) times a crest factor (Griffin–Lim's random-phase sound peaks at about 4 × its frame
// RMS; the finished dream reports the factor it really had).
import * as tf from '@tensorflow/tfjs';
import type { MelFilterbank } from '../features/mel';

/** Typical peak / loudest-frame RMS of Griffin–Lim sound (measured: see DreamFigures.crestFactor). */
export const GL_CREST = 4;
/** Softness of the maximum over frames, dB (≤ 0.25 · ln 216 = 1.3 dB above the maximum for 5 s). */
export const SOFTNESS_DB = 0.25;

/**
 * a_m = 1 / (peak weight of band m): the bands' triangles scaled to height 1 sum to 1 over the
 * covered bins, so Σ_m a_m · M_m ≈ Σ_k P_k (mel power back to the frame's linear energy).
 */
export function bandEnergyWeights(fb: MelFilterbank): Float32Array {
  const a = new Float32Array(fb.nMels);
  for (let m = 0; m < fb.nMels; m++) {
    let peak = 0;
    for (let j = fb.offset[m]!; j < fb.offset[m]! + fb.end[m]! - fb.start[m]!; j++) peak = Math.max(peak, fb.weights[j]!);
    a[m] = peak > 0 ? 1 / peak : 0;
  }
  return a;
}

/**
 * Mean-square sample value of each frame of the sound of a dB mel spectrogram [nMels, T] → [T]:
 * Σ_n (w_n y_n)² = (2/N) Σ_k |X_k|² (one-sided), and Σ_n w_n² = 3N/8 for the periodic Hann window.
 */
export function frameMeanSquare(db: tf.Tensor2D, weights: tf.Tensor1D, nFft: number): tf.Tensor1D {
  return tf.tidy(() => {
    const power = tf.exp(db.mul(Math.LN10 / 10)); // 10^(dB/10)
    const energy = tf.matMul(weights.reshape([1, -1]), power).reshape([-1]);
    return energy.mul(16 / (3 * nFft * nFft)) as tf.Tensor1D;
  });
}

/**
 * dB of the loudest frame's RMS — a smooth maximum over frames (log-sum-exp at `softness` dB: between
 * the true maximum and softness · ln(frames) dB above it; 0: the plain maximum), so that its gradient
 * spreads over the loudest frames instead of landing on one.
 */
export function loudestFrameDb(db: tf.Tensor2D, weights: tf.Tensor1D, nFft: number, softness = SOFTNESS_DB): tf.Scalar {
  return tf.tidy(() => {
    const frameDb = tf.log(frameMeanSquare(db, weights, nFft).add(1e-30)).mul(10 / Math.LN10);
    return softness > 0 ? (tf.logSumExp(frameDb.div(softness)).mul(softness) as tf.Scalar) : (frameDb.max() as tf.Scalar);
  });
}

/** The dB shift that normalising the spectrogram's sound to `peakDb` dBFS peak would apply. */
export function levelShift(db: tf.Tensor2D, weights: tf.Tensor1D, nFft: number, peakDb: number, crest = GL_CREST, softness = SOFTNESS_DB): tf.Scalar {
  return tf.tidy(() => tf.scalar(peakDb - 20 * Math.log10(crest)).sub(loudestFrameDb(db, weights, nFft, softness)) as tf.Scalar);
}
