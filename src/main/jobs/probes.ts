// Latent-probe tasks, run in worker threads: make the pitch- and tempo-shifted versions of a clip
// and extract the features a model needs from all three; embed feature rows with a saved model
// (any model with an embedding: the dense network's last hidden layer, the CNN's embedding layer);
// fit the transforms between original and shifted embeddings; render a version as WAV for listening.
import { AppError } from '../../shared/errors';
import type { ProbeVersion } from '../../shared/probes';
import { DecodeError, decodeFile, encodeWav, TARGET_SAMPLE_RATE } from '../engine/audio';
import { getProfile } from '../engine/features';
import { initBackend } from '../engine/ml/backend';
import { readManifest } from '../engine/ml/manifest';
import type { Matrix } from '../engine/ml/types';
import { registry } from '../engine/models';
import { probeFits, type ProbeFitResult } from '../engine/probe/fits';
import { pitchShift, tempoShift } from '../engine/probe/vocoder';
import { mulberry32 } from '../engine/random';
import { modelEmbedTask } from './embedModel';

export interface ProbeClipPayload {
  path: string;
  profile: string;
  /** Extract 3-second segment vectors as well (models trained on segments). */
  segments: boolean;
  segmentSeconds: number;
  pitch: number;
  tempo: number;
  /** Longest excerpt (the middle of longer files), seconds. */
  maxSeconds: number;
}

export interface ProbeVectors {
  track: Float64Array;
  segments: Float64Array[];
}

export type ProbeClipResult =
  | {
      ok: true;
      /** Seconds of the excerpt probed. */
      seconds: number;
      original: ProbeVectors;
      pitch: ProbeVectors;
      tempo: ProbeVectors;
      vocoderSeconds: number;
      featureSeconds: number;
    }
  | { ok: false; reason: string };

/** The excerpt a probe works on: the whole clip, or its middle `maxSeconds`. */
export function probeExcerpt(samples: Float32Array, maxSeconds: number, sampleRate = TARGET_SAMPLE_RATE): Float32Array {
  const max = Math.round(maxSeconds * sampleRate);
  if (!(max > 0) || samples.length <= max) return samples;
  const start = Math.floor((samples.length - max) / 2);
  return samples.subarray(start, start + max);
}

/** One version of a clip: the original excerpt, or its pitch- or tempo-shifted version. */
export function probeVersion(y: Float32Array, version: ProbeVersion, factor: number): Float32Array {
  if (version === 'pitch') return pitchShift(y, factor, TARGET_SAMPLE_RATE);
  if (version === 'tempo') return tempoShift(y, factor);
  return y;
}

async function decodeForProbe(path: string): Promise<Float32Array> {
  try {
    return (await decodeFile(path)).samples;
  } catch (err) {
    if (err instanceof DecodeError) throw new AppError('decode', `${err.kind}: ${err.message}`);
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string') throw new AppError('io', `unreadable: ${e.code}`);
    throw new AppError('decode', `corrupt: ${(err as Error)?.message ?? String(err)}`);
  }
}

export async function probeClipTask(p: ProbeClipPayload): Promise<ProbeClipResult> {
  let samples: Float32Array;
  try {
    samples = await decodeForProbe(p.path);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const y = probeExcerpt(samples, p.maxSeconds);
  if (y.length < TARGET_SAMPLE_RATE) return { ok: false, reason: `too-short: ${(y.length / TARGET_SAMPLE_RATE).toFixed(2)} s (a probe needs at least 1 s)` };
  const t0 = performance.now();
  const versions = { original: y, pitch: probeVersion(y, 'pitch', p.pitch), tempo: probeVersion(y, 'tempo', p.tempo) };
  const t1 = performance.now();
  const profile = getProfile(p.profile);
  const out = {} as Record<ProbeVersion, ProbeVectors>;
  for (const v of ['original', 'pitch', 'tempo'] as const) {
    const r = profile.extract(versions[v], p.segments ? { segmentSeconds: p.segmentSeconds } : undefined);
    for (const vec of [r.track, ...r.segments]) {
      for (let i = 0; i < vec.length; i++) {
        if (!Number.isFinite(vec[i]!)) return { ok: false, reason: `invalid-samples: feature ${profile.columns[i]} of the ${v} version is not finite` };
      }
    }
    if (p.segments && r.segments.length === 0) return { ok: false, reason: `too-short: the ${v} version has no ${p.segmentSeconds}-second segment` };
    out[v] = { track: r.track, segments: r.segments };
  }
  return {
    ok: true,
    seconds: y.length / TARGET_SAMPLE_RATE,
    ...out,
    vocoderSeconds: (t1 - t0) / 1000,
    featureSeconds: (performance.now() - t1) / 1000,
  };
}

export interface ProbeEmbedPayload {
  modelDir: string;
  /** Rows in the model's column order, unscaled. */
  X: Float32Array;
  rows: number;
  cols: number;
}

export interface ProbeEmbedResult {
  embedding: Float32Array;
  dims: number;
  layer: string;
  backend: string;
}

type Embedder = { embed: (X: Matrix) => Float32Array | Matrix | Promise<Float32Array | Matrix> };

function hasEmbed(x: unknown): x is Embedder {
  return typeof (x as Partial<Embedder> | null)?.embed === 'function';
}

/**
 * The embedding of feature rows under a saved model: the dense network's last hidden layer (as the
 * Map view's model maps), or the `embed(X)` of any model that has one (the CNN's embedding layer).
 */
export async function probeEmbedTask(p: ProbeEmbedPayload): Promise<ProbeEmbedResult> {
  const manifest = await readManifest(p.modelDir);
  if (manifest.kind === 'dense') return modelEmbedTask(p);
  const spec = registry.get(manifest.kind);
  const backend = spec.usesTensors ? await initBackend() : 'js';
  const clf = await registry.load(p.modelDir);
  try {
    if (!hasEmbed(clf)) {
      throw new AppError('unsupported', `A ${manifest.label} has no embedding to probe: choose a run of a dense network or a CNN`);
    }
    const out = await clf.embed({ data: p.X, rows: p.rows, cols: p.cols });
    const data = out instanceof Float32Array ? out : Float32Array.from(out.data);
    const dims = p.rows > 0 ? data.length / p.rows : 0;
    if (!Number.isInteger(dims) || dims < 1) throw new AppError('internal', `${manifest.label}: embed gave ${data.length} values for ${p.rows} rows`);
    return { embedding: Float32Array.from(data), dims, layer: `embedding layer (${dims} units)`, backend };
  } finally {
    clf.dispose();
  }
}

export interface ProbeFitPayload {
  X: Float64Array;
  Y: Float64Array;
  n: number;
  d: number;
  seed: number;
}

export async function probeFitTask(p: ProbeFitPayload, ctx?: { progress(x: unknown): void }): Promise<ProbeFitResult> {
  return probeFits(p.X, p.Y, p.n, p.d, mulberry32(p.seed), { onRow: (done, total) => ctx?.progress({ done, total }) });
}

export interface ProbeAudioPayload {
  path: string;
  version: ProbeVersion;
  factor: number;
  maxSeconds: number;
  /** Seconds of audio to return, from the start of the probed excerpt. */
  seconds: number;
}

/** A version of a probed clip as 16-bit WAV (the first `seconds` of its excerpt). */
export async function probeAudioTask(p: ProbeAudioPayload): Promise<{ wav: Uint8Array; seconds: number }> {
  const y = probeExcerpt(await decodeForProbe(p.path), p.maxSeconds);
  // Shift a little more than is returned, so the cut does not fall in the ISTFT's silent tail.
  const want = Math.round(p.seconds * TARGET_SAMPLE_RATE);
  const source = p.version === 'tempo' ? Math.round(want * p.factor) + 4096 : want + 4096;
  const z = probeVersion(y.subarray(0, Math.min(y.length, source)), p.version, p.factor);
  const out = z.subarray(0, Math.min(z.length, want));
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  const scaled = peak > 1 ? Float32Array.from(out, (v) => v / peak) : out;
  return { wav: encodeWav(scaled, TARGET_SAMPLE_RATE, 16), seconds: out.length / TARGET_SAMPLE_RATE };
}
