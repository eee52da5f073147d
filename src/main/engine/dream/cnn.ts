// The project's CNN (engine/cnn) as a network to dream through, and the genre means a dream aims at.
import * as tf from '@tensorflow/tfjs';
import { CNN_LAYERS, LOGMEL, type CnnClassifier } from '../cnn';
import { headAfter, type DreamNet } from './network';
import type { LogMelSpec } from './spec';

/**
 * The dB range a dream stays inside: what the training patches reach, band by band — from the lowest
 * band mean − 4 standard deviations to the highest band mean + 4 (the model's frozen input
 * standardisation), rounded outwards.
 */
export function dbRangeOf(bandMean: ArrayLike<number>, bandStd: ArrayLike<number>): { floorDb: number; ceilDb: number } {
  let floor = Infinity;
  let ceil = -Infinity;
  for (let b = 0; b < bandMean.length; b++) {
    floor = Math.min(floor, bandMean[b]! - 4 * bandStd[b]!);
    ceil = Math.max(ceil, bandMean[b]! + 4 * bandStd[b]!);
  }
  if (!Number.isFinite(floor) || !Number.isFinite(ceil) || !(ceil > floor)) return { floorDb: -100, ceilDb: 40 };
  return { floorDb: Math.floor(floor), ceilDb: Math.ceil(ceil) };
}

/** The per-band statistics the CNN standardises its input with (its frozen first layer). */
export function cnnBandStats(model: tf.LayersModel): { mean: Float32Array; std: Float32Array } {
  const w = model.getLayer(CNN_LAYERS.inputNorm).getWeights();
  const mean = Float32Array.from(w[2]!.dataSync());
  const std = Float32Array.from(w[3]!.dataSync(), (v) => Math.sqrt(v));
  return { mean, std };
}

export function cnnDreamSpec(model: tf.LayersModel): LogMelSpec {
  const { mean, std } = cnnBandStats(model);
  const shape = model.inputs[0]!.shape;
  return {
    sampleRate: LOGMEL.sampleRate,
    nFft: LOGMEL.nFft,
    hop: LOGMEL.hop,
    nMels: shape[1] ?? LOGMEL.nMels,
    patchFrames: shape[2] ?? LOGMEL.patchFrames,
    amin: LOGMEL.amin,
    topDb: LOGMEL.topDb,
    ...dbRangeOf(mean, std),
  };
}

/** A fitted (or loaded) CNN as a DreamNet: raw-dB patches in, mel-major, no outside scaling. */
export function dreamNetFromCnn(clf: CnnClassifier): DreamNet {
  const classifier = clf.tfModel();
  return {
    embedding: clf.embeddingModel(),
    classifier,
    logits: clf.logitsModel(),
    head: headAfter(classifier, CNN_LAYERS.embedding),
    labels: [...clf.labels],
    spec: cnnDreamSpec(classifier),
    layout: 'mels-frames',
    inputOffset: 0,
    inputScale: 1,
  };
}

/**
 * Mean embedding per class: `embedding` rows × dims (row-major), `y` the class of each row. A class
 * without rows gets NaNs (and cannot be dreamt).
 */
export function genreMeans(embedding: Float32Array, rows: number, dims: number, y: Int32Array, classes: number): Float32Array[] {
  if (embedding.length !== rows * dims) throw new RangeError(`${embedding.length} values are not ${rows} × ${dims}`);
  const sums = Array.from({ length: classes }, () => new Float64Array(dims));
  const counts = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    const c = y[r]!;
    counts[c]++;
    for (let j = 0; j < dims; j++) sums[c]![j] += embedding[r * dims + j]!;
  }
  return sums.map((s, c) => Float32Array.from(s, (v) => v / counts[c]!));
}
