// Work that runs inside worker threads. Each task is a pure-ish function of its payload; the
// worker entry (worker.ts) dispatches by name and the pool (pool.ts) is typed by this map.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DecodeError, decodeFile } from '../engine/audio';
import { getProfile } from '../engine/features';
import { readGenreTag } from '../services/tags';
import type { ClusterSweep } from '../../shared/types';
import { clusterTask, embedTask, type ClusterPayload, type EmbedFrame, type EmbedPayload, type EmbedResult } from './maps';
import { modelEmbedTask, type ModelEmbedPayload, type ModelEmbedResult } from './embedModel';
import { hyperImportTask, hyperTrainTask, type HyperImportPayload, type HyperImportResult, type HyperTrainPayload, type HyperTrainProgress, type HyperTrainResult } from './hyperbolic';
import { backendTask, trainTask, type TrainPayload, type TrainProgress, type TrainResult } from './train';
import { probeAudioTask, probeClipTask, probeEmbedTask, probeFitTask, type ProbeAudioPayload, type ProbeClipPayload, type ProbeClipResult, type ProbeEmbedPayload, type ProbeEmbedResult, type ProbeFitPayload } from './probes';
import { placeTask, type PlacePayload, type PlaceResult } from './place';
import type { ProbeFitResult } from '../engine/probe/fits';
import { explainTask, treeTask, type ExplainPayload, type ExplainResult, type TreePayload, type TreeTaskResult } from './hierarchy';
import { dreamTask, type DreamPayload, type DreamProgress, type DreamTaskResult } from './dreams';

export interface IngestFilePayload {
  path: string;
  profile: string;
  segmentSeconds: number;
  /** Read the file's genre tag (skipped when a sidecar label exists). */
  wantTag: boolean;
}

export type IngestFileResult =
  | {
      ok: true;
      duration: number;
      sampleRate: number;
      channels: number;
      format: string;
      tag: string | null;
      /** Decoder notes on a usable but damaged file (e.g. truncated data). */
      warnings: string[];
      track: Float64Array;
      segments: Float64Array[];
      decodeSeconds: number;
      featureSeconds: number;
    }
  | { ok: false; reason: string; decodeSeconds: number };

export interface TaskMap {
  'ingest-file': { payload: IngestFilePayload; result: IngestFileResult };
  /** For tests of the pool itself: spins for `ms` milliseconds (reporting each 10 ms), then echoes. */
  'spin': { payload: { ms: number; value: number }; result: { value: number; thread: number }; progress: number };
  'synth-clip': { payload: SynthClipPayload; result: { path: string; bytes: number } };
  train: { payload: TrainPayload; result: TrainResult; progress: TrainProgress };
  'backend-info': { payload: null; result: { backend: string; skipped: { backend: string; reason: string }[] } };
  embed: { payload: EmbedPayload; result: EmbedResult; progress: EmbedFrame };
  cluster: { payload: ClusterPayload; result: ClusterSweep; progress: { done: number; total: number } };
  'model-embed': { payload: ModelEmbedPayload; result: ModelEmbedResult };
  'tree-build': { payload: TreePayload; result: TreeTaskResult };
  explain: { payload: ExplainPayload; result: ExplainResult; progress: { done: number; total: number } };
  'hyper-import': { payload: HyperImportPayload; result: HyperImportResult };
  'hyper-train': { payload: HyperTrainPayload; result: HyperTrainResult; progress: HyperTrainProgress };
  'probe-clip': { payload: ProbeClipPayload; result: ProbeClipResult };
  'probe-embed': { payload: ProbeEmbedPayload; result: ProbeEmbedResult };
  'probe-fit': { payload: ProbeFitPayload; result: ProbeFitResult; progress: { done: number; total: number } };
  'probe-audio': { payload: ProbeAudioPayload; result: { wav: Uint8Array; seconds: number } };
  'map-place': { payload: PlacePayload; result: PlaceResult };
  dream: { payload: DreamPayload; result: DreamTaskResult; progress: DreamProgress };
}
export type TaskName = keyof TaskMap;
export type TaskProgress<K extends TaskName> = TaskMap[K] extends { progress: infer P } ? P : never;

/** What a task gets besides its payload: a way to report progress to the pool's caller. */
export interface TaskContext {
  progress(p: unknown): void;
}

export async function ingestFile(p: IngestFilePayload): Promise<IngestFileResult> {
  const t0 = performance.now();
  let audio;
  try {
    audio = await decodeFile(p.path);
  } catch (err) {
    const decodeSeconds = (performance.now() - t0) / 1000;
    if (err instanceof DecodeError) return { ok: false, reason: `${err.kind}: ${err.message}`, decodeSeconds };
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string') return { ok: false, reason: `unreadable: ${e.code} ${basename(p.path)}`, decodeSeconds };
    return { ok: false, reason: `corrupt: ${(err as Error)?.message ?? String(err)}`, decodeSeconds };
  }
  const decodeSeconds = (performance.now() - t0) / 1000;
  const tag = p.wantTag ? await readGenreTag(p.path) : null;
  const t1 = performance.now();
  const profile = getProfile(p.profile);
  const res = profile.extract(audio.samples, { segmentSeconds: p.segmentSeconds });
  const featureSeconds = (performance.now() - t1) / 1000;
  for (const v of [res.track, ...res.segments]) {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]!)) {
        return { ok: false, reason: `invalid-samples: feature ${profile.columns[i]} is not finite`, decodeSeconds };
      }
    }
  }
  return {
    ok: true,
    duration: audio.duration,
    sampleRate: audio.originalSampleRate,
    channels: audio.channels,
    format: audio.format,
    tag,
    warnings: audio.warnings ?? [],
    track: res.track,
    segments: res.segments,
    decodeSeconds,
    featureSeconds,
  };
}

export async function spin(p: { ms: number; value: number }, ctx?: TaskContext): Promise<{ value: number; thread: number }> {
  const { threadId } = await import('node:worker_threads');
  const start = Date.now();
  const end = start + p.ms;
  let x = 0;
  let tick = start;
  while (Date.now() < end) {
    x += Math.sqrt(x + 1);
    if (Date.now() - tick >= 10) {
      tick = Date.now();
      ctx?.progress(tick - start);
    }
  }
  return { value: p.value + (x < 0 ? 1 : 0), thread: threadId };
}

export const TASKS: { [K in TaskName]: (payload: TaskMap[K]['payload'], ctx: TaskContext) => Promise<TaskMap[K]['result']> } = {
  'ingest-file': ingestFile,
  spin,
  'synth-clip': synthClip,
  train: trainTask,
  'backend-info': backendTask,
  embed: embedTask,
  cluster: clusterTask,
  'model-embed': modelEmbedTask,
  'tree-build': treeTask,
  explain: explainTask,
  'hyper-import': hyperImportTask,
  'hyper-train': hyperTrainTask,
  'probe-clip': probeClipTask,
  'probe-embed': probeEmbedTask,
  'probe-fit': probeFitTask,
  'probe-audio': probeAudioTask,
  'map-place': placeTask,
  dream: dreamTask,
};

/** Used by tests to make sure a path exists before handing it to a worker. */
export async function fileStamp(path: string): Promise<{ size: number; mtimeMs: number }> {
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

export interface SynthClipPayload {
  style: string;
  seed: number;
  seconds: number;
  path: string;
}

/** Synthesise one demo clip and write it as 16-bit WAV. */
export async function synthClip(p: SynthClipPayload): Promise<{ path: string; bytes: number }> {
  const { synthesiseClip, encodeWav, DEMO_STYLES } = await import('../engine/audio');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  if (!(DEMO_STYLES as readonly string[]).includes(p.style)) throw new Error(`unknown demo style ${p.style}`);
  const samples = synthesiseClip(p.style as (typeof DEMO_STYLES)[number], p.seed, p.seconds, 22050);
  const bytes = encodeWav(samples, 22050, 16);
  await mkdir(dirname(p.path), { recursive: true });
  await writeFile(p.path, bytes);
  return { path: p.path, bytes: bytes.byteLength };
}
