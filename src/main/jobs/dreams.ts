// The dream task, run in a worker thread: load the run's CNN, compute the genre means from its
// training segments when they are not cached yet, decode the start track if there is one, dream,
// and hand back the WAV, the curve, the figures and a small spectrogram picture. Steps stream as
// progress with a fresh spectrogram picture every few hundred milliseconds.
import * as tf from '@tensorflow/tfjs';
import { decodeFile, encodeWav } from '../engine/audio';
import { CnnClassifier } from '../engine/cnn';
import { dreamNetFromCnn, genreMeans } from '../engine/dream/cnn';
import { dream, type DreamFigures, type DreamPhase } from '../engine/dream/dream';
import { relativeRange, spectrogramGrid, type SpectrogramGrid } from '../engine/dream/image';
import type { DreamSettings } from '../../shared/dream';
import { initBackendInfo } from '../engine/ml/backend';
import { mulberry32 } from '../engine/random';
import type { TaskContext } from './tasks';

export interface DreamMeansData {
  /** Training rows (segments) in the model's column order, and each row's label. */
  X: Float32Array;
  rows: number;
  cols: number;
  rowLabels: string[];
}

/** The dream's settings (objective 'confident' = embedding + the probability hinge), and what it starts from. */
export interface DreamPayload
  extends Pick<DreamSettings, 'genre' | 'seconds' | 'steps' | 'seed' | 'objective' | 'domain' | 'refineSteps' | 'griffinLimIterations' | 'minProbability'> {
  modelDir: string;
  /** A track to start from (decoded here), or null for noise. */
  startPath: string | null;
  /** Cached genre means (labels order of the model), or null: computed from meansData. */
  means: number[][] | null;
  meansData: DreamMeansData | null;
}

export type DreamProgress =
  | { kind: 'means'; done: number; total: number }
  | { kind: 'step'; phase: DreamPhase; step: number; steps: number; distance: number; grid?: SpectrogramGrid }
  | { kind: 'stage'; phase: 'invert' | 'griffin-lim' | 'finish'; done: number; total: number };

export interface DreamTaskResult {
  wav: Uint8Array;
  labels: string[];
  curve: Float32Array;
  refineFrom: number | null;
  figures: DreamFigures;
  timings: Record<string, number>;
  grid: SpectrogramGrid;
  /** The genre means used (labels order), so the caller can cache freshly computed ones. */
  means: number[][];
  meansComputed: boolean;
  backend: string;
}

const GRID_COLS = 320;
/** Pictures span the loudest cell and 80 dB below it (the CNN's top_db: what it hears of a patch). */
const SPAN_DB = 80;
const SNAPSHOT_MS: Record<DreamPhase, number> = { dream: 350, refine: 1200 };

/** Mean embedding of every genre of the model over labelled rows (rows of other labels are ignored). */
export function meansFromRows(clf: CnnClassifier, data: DreamMeansData): number[][] {
  const index = new Map(clf.labels.map((l, i) => [l, i]));
  const keep: number[] = [];
  data.rowLabels.forEach((l, i) => {
    if (index.has(l)) keep.push(i);
  });
  const X = new Float32Array(keep.length * data.cols);
  keep.forEach((r, i) => X.set(data.X.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols));
  const E = clf.embed({ data: X, rows: keep.length, cols: data.cols });
  const y = Int32Array.from(keep, (r) => index.get(data.rowLabels[r]!)!);
  return genreMeans(E, keep.length, clf.embeddingSize, y, clf.labels.length).map((m) => Array.from(m));
}

export async function dreamTask(p: DreamPayload, ctx: TaskContext): Promise<DreamTaskResult> {
  const info = await initBackendInfo();
  const clf = await CnnClassifier.fromDir(p.modelDir);
  try {
    const net = dreamNetFromCnn(clf);
    let means = p.means;
    const meansComputed = !means;
    if (!means) {
      if (!p.meansData) throw new Error('the genre means are neither cached nor computable: no training rows given');
      ctx.progress({ kind: 'means', done: 0, total: p.meansData.rows } satisfies DreamProgress);
      means = meansFromRows(clf, p.meansData);
      ctx.progress({ kind: 'means', done: p.meansData.rows, total: p.meansData.rows } satisfies DreamProgress);
    }
    const g = net.labels.indexOf(p.genre);
    if (g < 0) throw new Error(`the model knows no genre "${p.genre}"`);
    if (!means[g] || means[g]!.some((v) => !Number.isFinite(v))) throw new Error(`the model's training data has no segment of "${p.genre}" to take its mean from`);
    const start = p.startPath ? (await decodeFile(p.startPath)).samples : null;
    const { spec } = net;
    const last: Record<DreamPhase, number> = { dream: 0, refine: 0 };
    const r = dream(
      net,
      means.map((m) => Float32Array.from(m)),
      {
        genre: p.genre,
        seconds: p.seconds,
        steps: p.steps,
        objective: p.objective === 'logit' ? 'logit' : 'embedding',
        domain: p.domain,
        start,
        refineSteps: p.refineSteps,
        griffinLimIterations: p.griffinLimIterations,
        minProbability: p.minProbability,
      },
      {
        rng: mulberry32(p.seed),
        onStep: (s, opt, phase) => {
          const total = phase === 'dream' ? p.steps : p.refineSteps;
          const now = performance.now();
          let grid: SpectrogramGrid | undefined;
          if (now - last[phase] >= SNAPSHOT_MS[phase] || s.step === total) {
            last[phase] = now;
            const db = opt.spectrogram();
            grid = spectrogramGrid(db, spec.nMels, db.length / spec.nMels, ...relativeRange(db, SPAN_DB), spec.nMels, GRID_COLS);
          }
          ctx.progress({ kind: 'step', phase, step: s.step, steps: total, distance: s.distance, grid } satisfies DreamProgress);
        },
        onStage: (stage, done, total) => ctx.progress({ kind: 'stage', phase: stage as 'invert' | 'griffin-lim' | 'finish', done, total } satisfies DreamProgress),
      },
    );
    return {
      wav: encodeWav(r.samples, r.sampleRate, 16),
      labels: [...net.labels],
      curve: Float32Array.from(r.curve),
      refineFrom: r.refineFrom,
      figures: r.figures,
      timings: r.timings,
      grid: spectrogramGrid(r.spectrogram, r.nMels, r.frames, ...relativeRange(r.spectrogram, SPAN_DB), r.nMels, GRID_COLS),
      means,
      meansComputed,
      backend: `${info.name}${tf.getBackend() !== info.name ? ` (${tf.getBackend()})` : ''}`,
    };
  } finally {
    clf.dispose();
  }
}
