// The hidden layer of a saved dense network: the activations that feed its output layer
// (the penultimate layer), for latent maps of what a model has learnt; for a CNN its embedding layer
// (embedCnn.ts). Runs in a worker.
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { initBackend } from '../engine/ml/backend';
import { fileLoadHandler, readJSON } from '../engine/ml/io';
import { readManifest, SCALER_FILE } from '../engine/ml/manifest';
import { StandardScaler, type ScalerJSON } from '../engine/ml/scaler';
import { cnnEmbedTask } from './embedCnn';

export interface ModelEmbedPayload {
  modelDir: string;
  /** Rows in the model's column order, unscaled. */
  X: Float32Array;
  rows: number;
  cols: number;
}

export interface ModelEmbedResult {
  embedding: Float32Array;
  dims: number;
  layer: string;
  backend: string;
}

export async function modelEmbedTask(p: ModelEmbedPayload): Promise<ModelEmbedResult> {
  const manifest = await readManifest(p.modelDir);
  if (manifest.kind === 'cnn') return cnnEmbedTask(p);
  if (manifest.kind !== 'dense') {
    throw new AppError('unsupported', `A ${manifest.label} has no hidden layer to map: choose a run of a dense network or a CNN`);
  }
  const backend = await initBackend();
  const scaler = StandardScaler.fromJSON(await readJSON<ScalerJSON>(path.join(p.modelDir, SCALER_FILE)));
  const model = await tf.loadLayersModel(fileLoadHandler(p.modelDir));
  try {
    const last = model.layers[model.layers.length - 1]!;
    const hidden = last.input as tf.SymbolicTensor;
    const sub = tf.model({ inputs: model.inputs, outputs: hidden });
    const xs = scaler.transform({ data: p.X, rows: p.rows, cols: p.cols }).data as Float32Array;
    const out = tf.tidy(() => sub.predict(tf.tensor2d(Float32Array.from(xs), [p.rows, p.cols])) as tf.Tensor2D);
    const dims = out.shape[1];
    const embedding = (await out.data()) as Float32Array;
    out.dispose();
    return { embedding: Float32Array.from(embedding), dims, layer: `input of ${last.name} (${dims} units)`, backend };
  } finally {
    model.dispose();
  }
}
