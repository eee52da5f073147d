// Model folders on disk: JSON files, raw float arrays, and a tfjs IOHandler for file paths
// (tfjs without tfjs-node has no file:// handler). Layout of a tfjs model inside a folder:
// model.json (topology + weights manifest) and weights.bin, as tfjs-node's file:// handler writes them.
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeJSON(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 1) + '\n', 'utf8');
}

export async function readJSON<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Writes a Float32Array as little-endian raw bytes. */
export async function writeFloat32(file: string, data: Float32Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const bytes = new Uint8Array(data.byteLength);
  new Float32Array(bytes.buffer).set(data);
  await writeFile(file, bytes);
}

export async function readFloat32(file: string, expected?: number): Promise<Float32Array> {
  const buf = await readFile(file);
  if (buf.byteLength % 4 !== 0) throw new Error(`${file}: ${buf.byteLength} bytes is not a float32 array`);
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  if (expected !== undefined && out.length !== expected) throw new Error(`${file}: ${out.length} values, expected ${expected}`);
  return out;
}

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** A tfjs save handler writing model.json + weights.bin into `dir`. */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      await mkdir(dir, { recursive: true });
      const weightsManifest: tf.io.WeightsManifestConfig = [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }];
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      const weights = artifacts.weightData ? new Uint8Array(toArrayBuffer(artifacts.weightData)) : new Uint8Array(0);
      await writeFile(path.join(dir, WEIGHTS_BIN), weights);
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJSON), 'utf8');
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** A tfjs load handler reading model.json and the weight files it lists from `dir`. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const modelJSON = await readJSON<tf.io.ModelJSON>(path.join(dir, MODEL_JSON));
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const parts: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const buf = await readFile(path.join(dir, p));
            parts.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(parts)];
      });
    },
  };
}
