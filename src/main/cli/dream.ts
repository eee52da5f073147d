// `genrelab dream` — a genre dream from the command line: a saved CNN model folder, a genre, and the
// same worker task the Dream view runs; writes the WAV and prints the figures (one JSON object with
// --json). The genre means come from the folder's genre-means.json (written beside a run's model by
// its first dream in the app, and copied with it by runs.saveModel), or are computed from --db.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DREAM_DEFAULT_OBJECTIVE, DREAM_LIMITS, type DreamDomain, type DreamObjective } from '../../shared/dream';
import { AppError } from '../../shared/errors';
import { listProfiles } from '../engine/features';
import { readManifest } from '../engine/ml/manifest';
import type { DreamMeansData, DreamProgress } from '../jobs/dreams';
import { WorkerPool } from '../jobs/pool';
import { openDatabase } from '../store/db';
import { LibraryStore } from '../store/library';
import { datasetFromStore } from '../services/dataset';
import { DREAM_MIN_PROBABILITY, readGenreMeans } from '../services/dreams';
import { setIdForProfile } from '../services/training';
import { flagValue, modelFolder } from './common';

export const DREAM_FLAGS = ['--genre', '--steps', '--from', '--objective', '--domain', '--refine', '--griffin-lim'] as const;

export const DREAM_USAGE = `  genrelab dream --model DIR --genre disco [--seconds 5] [--steps 500] [--from track.wav] [--seed N]
                 [--objective confident|embedding|logit] [--domain spectrogram|waveform] [--refine 40]
                 [--griffin-lim 100] [--db FILE] --out dream.wav [--json]
      Dream audio for a genre with a saved CNN (a train --out folder or its model/): from low-level noise
      (or --from a track) the log-mel spectrogram is moved until the network's embedding matches the
      genre's mean embedding (default 'confident': while keeping the genre's probability ≥ 95 %;
      'embedding': the distance alone; 'logit': the genre's logit), then inverted (NNLS, fast Griffin–Lim), refined as a waveform through a
      differentiable STFT, gated and normalised to −1 dBFS. The genre means come from DIR/genre-means.json,
      or from the labelled segments of --db (the library the model was trained on). --json prints
      {"genre","targetProbability","distanceStart","distanceEnd","seconds",…}.`;

type Flags = Map<string, string | true>;


function whole(flags: Flags, name: string, lim: { min: number; max: number; default: number }): number {
  const v = flags.get(name);
  if (v === undefined) return lim.default;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < lim.min || n > lim.max) throw new AppError('bad-request', `${name} must be a whole number from ${lim.min} to ${lim.max}`);
  return n;
}

/** The labelled rows of a database's feature set (the model's profile and columns), for the genre means. */
function meansFromDb(dbPath: string, profile: string, columns: string[] | null): DreamMeansData {
  const db = openDatabase(resolve(dbPath));
  try {
    const store = new LibraryStore(db);
    const ds = datasetFromStore(store, { setId: setIdForProfile(store, profile), segments: true, columns: columns ?? undefined });
    if (ds.rows === 0) throw new AppError('not-found', `${dbPath} holds no labelled ${profile} segments to take the genre means from`);
    return { X: ds.X, rows: ds.rows, cols: ds.cols, rowLabels: ds.rowLabels };
  } finally {
    db.close();
  }
}

export async function cmdDream(flags: Flags): Promise<number> {
  const json = flags.has('--json');
  const out = flagValue(flags, '--out');
  if (!out) throw new AppError('bad-request', 'dream needs --out dream.wav');
  const model = flagValue(flags, '--model');
  if (!model) throw new AppError('bad-request', 'dream needs --model DIR (a saved CNN model folder)');
  const genre = flagValue(flags, '--genre');
  if (!genre) throw new AppError('bad-request', 'dream needs --genre NAME');
  const modelDir = modelFolder(model);
  const manifest = await readManifest(modelDir);
  if (manifest.kind !== 'cnn') throw new AppError('unsupported', `${modelDir} holds a ${manifest.label}: dreams need a CNN over log-mel patches (train --model cnn)`);
  if (!manifest.labels.includes(genre)) throw new AppError('bad-request', `the model knows no genre "${genre}" (it knows ${manifest.labels.join(', ')})`);
  const secondsText = flagValue(flags, '--seconds');
  const seconds = secondsText === undefined ? DREAM_LIMITS.seconds.default : Number(secondsText);
  if (!(seconds >= DREAM_LIMITS.seconds.min && seconds <= DREAM_LIMITS.seconds.max)) {
    throw new AppError('bad-request', `--seconds must be from ${DREAM_LIMITS.seconds.min} to ${DREAM_LIMITS.seconds.max}`);
  }
  const steps = whole(flags, '--steps', { ...DREAM_LIMITS.steps, default: 500 });
  const seed = whole(flags, '--seed', { min: 0, max: 0xffffffff, default: 1 });
  const objective = (flagValue(flags, '--objective') ?? DREAM_DEFAULT_OBJECTIVE) as DreamObjective;
  if (!['embedding', 'confident', 'logit'].includes(objective)) throw new AppError('bad-request', '--objective must be embedding, confident or logit');
  const domain = (flagValue(flags, '--domain') ?? 'spectrogram') as DreamDomain;
  if (domain !== 'spectrogram' && domain !== 'waveform') throw new AppError('bad-request', '--domain must be spectrogram or waveform');
  const refineSteps = domain === 'spectrogram' ? whole(flags, '--refine', DREAM_LIMITS.refineSteps) : 0;
  const griffinLimIterations = whole(flags, '--griffin-lim', DREAM_LIMITS.griffinLimIterations);
  const from = flagValue(flags, '--from');
  if (from && !existsSync(resolve(from))) throw new AppError('not-found', `No such file: ${from}`);

  const cached = await readGenreMeans(modelDir, manifest.labels);
  let meansData: DreamMeansData | null = null;
  let meansSource = cached ? `${join(modelDir, 'genre-means.json')} (${cached.source})` : '';
  if (!cached) {
    const dbPath = flagValue(flags, '--db');
    if (!dbPath) throw new AppError('bad-request', `${modelDir} has no genre-means.json: give --db FILE (the library the model was trained on) to compute the genre means`);
    const profile = manifest.profile ?? 'logmel';
    if (!listProfiles().some((p) => p.name === profile)) throw new AppError('unsupported', `the model's profile "${profile}" is unknown`);
    meansData = meansFromDb(dbPath, profile, manifest.columns);
    meansSource = `${meansData.rows} labelled segments of ${resolve(dbPath)}`;
  }

  const pool = new WorkerPool(1);
  const controller = new AbortController();
  const onSig = () => controller.abort();
  process.once('SIGINT', onSig);
  const tty = !json && process.stderr.isTTY === true;
  const t0 = performance.now();
  try {
    const r = await pool.run(
      'dream',
      {
        modelDir,
        genre,
        seconds,
        steps,
        seed,
        objective,
        domain,
        refineSteps,
        griffinLimIterations,
        minProbability: objective === 'confident' ? DREAM_MIN_PROBABILITY : 0,
        startPath: from ? resolve(from) : null,
        means: cached?.means ?? null,
        meansData,
      },
      controller.signal,
      (p: DreamProgress) => {
        if (!tty) return;
        const line =
          p.kind === 'step'
            ? `${p.phase === 'dream' ? 'dream' : 'refine'} step ${p.step}/${p.steps}  distance ${p.distance.toFixed(4)}`
            : p.kind === 'stage'
              ? `${p.phase} ${p.done}/${p.total}`
              : `genre means from ${p.total} segments`;
        process.stderr.write(`\r${line.padEnd(72)}`);
      },
    );
    if (tty) process.stderr.write('\n');
    await writeFile(resolve(out), r.wav);
    const f = r.figures;
    const doc = {
      genre,
      targetProbability: f.targetProbability,
      distanceStart: f.distanceStart,
      distanceEnd: f.distanceAudio,
      seconds: f.audio.seconds,
      distanceDrop: f.distanceDrop,
      distanceEndSpectrogram: f.distanceEnd,
      nearestGenre: f.nearestGenre,
      probabilities: Object.fromEntries(r.labels.map((l, i) => [l, f.probabilities[i]])),
      audio: f.audio,
      spectralConvergence: f.spectralConvergence,
      steps,
      refineSteps,
      objective,
      domain,
      seed,
      from: from ? resolve(from) : null,
      backend: r.backend,
      means: meansSource,
      elapsed: (performance.now() - t0) / 1000,
      out: resolve(out),
    };
    if (json) process.stdout.write(JSON.stringify(doc) + '\n');
    else {
      process.stdout.write(
        `${genre}: p = ${f.targetProbability.toFixed(3)}, nearest genre mean ${f.nearestGenre}; distance ${f.distanceStart.toFixed(3)} → ${f.distanceAudio.toFixed(3)} (−${(100 * f.distanceDrop).toFixed(1)} %)\n` +
          `${f.audio.seconds.toFixed(2)} s, RMS ${f.audio.rmsDbfs.toFixed(1)} dBFS, peak ${f.audio.peakDbfs.toFixed(1)} dBFS, ${f.audio.clippedSamples} clipped; ` +
          `${doc.elapsed.toFixed(1)} s on ${r.backend} → ${resolve(out)}\n`,
      );
    }
    return 0;
  } finally {
    process.off('SIGINT', onSig);
    await pool.destroy();
  }
}
