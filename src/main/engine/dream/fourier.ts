// A differentiable STFT for tfjs built from conv1d with a fixed Fourier basis (the wasm backend has
// no FFT kernel): one filter per real and imaginary part of every rfft bin, the periodic Hann
// window folded in, stride = hop. The signal is centred as librosa does (numpy 'reflect' padding by
// nFft/2), so the frames are those of features/stft.ts. When nFft is a multiple of the hop, the
// input gradient is computed as a matMul by the basis followed by overlap-add, which is what the
// conv1d gradient is, at a fraction of the cost of the backend's Conv2DBackpropInput.
import * as tf from '@tensorflow/tfjs';
import { melDense, melFilterbank } from '../features/mel';
import { hannPeriodic } from '../features/window';
import type { LogMelSpec } from './spec';

export interface FourierBasis {
  nFft: number;
  hop: number;
  nBins: number;
  /** conv1d filter [nFft, 1, 2 · nBins]: channel k is w·cos, channel nBins + k is −w·sin. */
  filter: tf.Tensor3D;
  /** The same values as a matrix [nFft, 2 · nBins] (for the gradient). */
  matrix: tf.Tensor2D;
}

/** Windowed Fourier basis, row-major [nFft, 2 · nBins]: X[k] = Σ_n x[n] w[n] e^{−2πikn/N}. */
export function fourierBasisValues(nFft: number): Float32Array {
  // a dream builds several bases of one size (STFTs of its start, its Griffin–Lim result and its WAV,
  // the refinement's): the n_fft × (n_fft + 2) cos/sin table is computed once (read-only)
  if (cachedValues?.nFft === nFft) return cachedValues.values;
  const values = computeBasisValues(nFft);
  cachedValues = { nFft, values };
  return values;
}

let cachedValues: { nFft: number; values: Float32Array } | null = null;

function computeBasisValues(nFft: number): Float32Array {
  const nBins = nFft / 2 + 1;
  const w = hannPeriodic(nFft);
  const out = new Float32Array(nFft * 2 * nBins);
  for (let n = 0; n < nFft; n++) {
    const row = n * 2 * nBins;
    for (let k = 0; k < nBins; k++) {
      // (k · n) mod N keeps the angle small, so cos/sin are exact to double precision.
      const a = (2 * Math.PI * ((k * n) % nFft)) / nFft;
      out[row + k] = w[n]! * Math.cos(a);
      out[row + nBins + k] = -w[n]! * Math.sin(a);
    }
  }
  return out;
}

export function fourierBasis(nFft: number, hop: number): FourierBasis {
  if (!(Number.isInteger(nFft) && nFft >= 4 && nFft % 2 === 0)) throw new RangeError(`nFft must be an even integer ≥ 4, got ${nFft}`);
  if (!(Number.isInteger(hop) && hop >= 1 && hop <= nFft)) throw new RangeError(`hop must be 1..nFft, got ${hop}`);
  const nBins = nFft / 2 + 1;
  const values = fourierBasisValues(nFft);
  return {
    nFft,
    hop,
    nBins,
    filter: tf.tensor3d(values, [nFft, 1, 2 * nBins]),
    matrix: tf.tensor2d(values, [nFft, 2 * nBins]),
  };
}

export function disposeBasis(b: FourierBasis): void {
  b.filter.dispose();
  b.matrix.dispose();
}

/** Strided conv1d over an already padded signal [Lp] → [frames, 2 · nBins], with a cheap input gradient. */
function framesTimesBasis(padded: tf.Tensor1D, b: FourierBasis): tf.Tensor2D {
  const frames = 1 + Math.floor((padded.shape[0] - b.nFft) / b.hop);
  const conv = (x: tf.Tensor1D): tf.Tensor2D =>
    tf.conv1d(x.reshape([1, x.shape[0], 1]) as tf.Tensor3D, b.filter, b.hop, 'valid').reshape([frames, 2 * b.nBins]);
  if (b.nFft % b.hop !== 0) return conv(padded);
  const r = b.nFft / b.hop;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor1D;
    (args[1] as tf.GradSaveFunc)([]);
    return {
      value: conv(x),
      gradFunc: (dy) => {
        // d frames = dy · basisᵀ [frames, nFft]; each frame's gradient lands on its own samples.
        const dFrames = tf.matMul(dy as tf.Tensor2D, b.matrix, false, true).reshape([frames, r, b.hop]);
        const parts: tf.Tensor[] = [];
        for (let j = 0; j < r; j++) {
          const slab = dFrames.slice([0, j, 0], [frames, 1, b.hop]).reshape([frames, b.hop]);
          parts.push(slab.pad([
            [j, r - 1 - j],
            [0, 0],
          ]));
        }
        const summed = tf.addN(parts).reshape([(frames + r - 1) * b.hop]);
        const tail = x.shape[0] - (frames + r - 1) * b.hop;
        return tail > 0 ? summed.pad([[0, tail]]) : summed;
      },
    };
  });
  return op(padded) as tf.Tensor2D;
}

/**
 * STFT of a signal [L] as [frames, 2 · nBins] (real parts, then imaginary parts), centred with
 * reflect padding: frames = 1 + floor(L / hop), as librosa.stft(center=True).
 */
export function stftConv(y: tf.Tensor1D, b: FourierBasis): tf.Tensor2D {
  const half = b.nFft / 2;
  if (y.shape[0] <= half) throw new RangeError(`a signal of ${y.shape[0]} samples is too short for reflect padding by ${half}`);
  const padded = tf.mirrorPad(y, [[half, half]], 'reflect');
  return framesTimesBasis(padded, b);
}

/** |X|² [frames, nBins] from stftConv's output. */
export function powerOf(stft: tf.Tensor2D, nBins: number): tf.Tensor2D {
  const frames = stft.shape[0];
  const re = stft.slice([0, 0], [frames, nBins]);
  const im = stft.slice([0, nBins], [frames, nBins]);
  return re.square().add(im.square());
}

/** The mel filterbank as a dense matrix [nBins, nMels] (the transpose of librosa's). */
export function melMatrix(spec: Pick<LogMelSpec, 'sampleRate' | 'nFft' | 'nMels'>): tf.Tensor2D {
  const fb = melFilterbank(spec.sampleRate, spec.nFft, spec.nMels);
  const dense = melDense(fb);
  return tf.tensor2d(Float32Array.from(dense), [spec.nMels, fb.nBins]).transpose() as tf.Tensor2D;
}

/** 10 · log10(max(x, amin)). */
export function powerToDb(x: tf.Tensor, amin: number): tf.Tensor {
  return tf.log(tf.maximum(x, amin)).mul(10 / Math.LN10);
}

/**
 * The log-mel spectrogram of a waveform [L], differentiable in the waveform: [nMels, frames] in dB
 * (mel power, 10 · log10(max(P, amin))), not clipped.
 */
export function logMelConv(y: tf.Tensor1D, b: FourierBasis, mel: tf.Tensor2D, amin: number): tf.Tensor2D {
  return tf.tidy(() => {
    const p = powerOf(stftConv(y, b), b.nBins);
    return powerToDb(tf.matMul(p, mel), amin).transpose() as tf.Tensor2D;
  });
}
