// A tiny fixed network to dream through in tests: 16 mels × 20 frames → conv 3×3 (4 filters, tanh)
// → global average pooling → dense embedding (6, tanh) → dense scores (3) → softmax. Every weight is
// drawn from a seeded generator, so the model is the same on every run.
import * as tf from '@tensorflow/tfjs';
import type { DreamNet } from '../../../src/main/engine/dream/network';
import type { LogMelSpec } from '../../../src/main/engine/dream/spec';
import { mulberry32, normal } from '../../../src/main/engine/random';

export const TINY_SPEC: LogMelSpec = {
  sampleRate: 22050,
  nFft: 2048,
  hop: 512,
  nMels: 16,
  patchFrames: 20,
  amin: 1e-10,
  topDb: 80,
  floorDb: -60,
  ceilDb: 20,
};

export const TINY_LABELS = ['alpha', 'beta', 'gamma'];

export function tinyNet(seed = 11): DreamNet {
  const input = tf.input({ shape: [TINY_SPEC.nMels, TINY_SPEC.patchFrames, 1] });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh', name: 'conv' });
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' });
  const emb = tf.layers.dense({ units: 6, activation: 'tanh', name: 'embedding' });
  const scores = tf.layers.dense({ units: TINY_LABELS.length, name: 'scores' });
  const probs = tf.layers.activation({ activation: 'softmax', name: 'probs' });
  const e = emb.apply(gap.apply(conv.apply(input))) as tf.SymbolicTensor;
  const s = scores.apply(e) as tf.SymbolicTensor;
  const classifier = tf.model({ inputs: input, outputs: probs.apply(s) as tf.SymbolicTensor });
  const rng = mulberry32(seed);
  for (const layer of [conv, emb, scores]) {
    const values = layer.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => normal(rng, 0, 0.5)), w.shape));
    layer.setWeights(values);
    tf.dispose(values);
  }
  return {
    embedding: tf.model({ inputs: input, outputs: e }),
    classifier,
    logits: tf.model({ inputs: input, outputs: s }),
    head: (x) => scores.apply(x) as tf.Tensor2D,
    labels: TINY_LABELS,
    spec: TINY_SPEC,
    layout: 'mels-frames',
    // standardise dB roughly as a trained model's first layer would
    inputOffset: -30,
    inputScale: 1 / 15,
  };
}

/** A dB spectrogram nMels × frames, uniform in [lo, hi] (seeded). */
export function randomSpectrogram(frames: number, seed: number, lo = -50, hi = -10): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: TINY_SPEC.nMels * frames }, () => lo + (hi - lo) * rng());
}
