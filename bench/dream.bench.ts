// Genre dreams (issue 8, part 2). A CNN (the registry's `cnn`, its default parameters) is trained
// through the services on the shared GTZAN clips of classical, jazz and rock (16 clips each: the
// genres with enough clips; the other seven have 1–2) — or, when ../shared/data is absent, on the
// demo synthesiser's library (synthetic, said so). Then every genre is dreamt through the dream
// service exactly as the Dream view starts it (5 s from noise; the view's defaults for seeds 1–3,
// the CLI's 500 steps, and the distance alone), with the model's probability at each genre mean, and the issue's targets are checked on the
// finished WAV: nearest genre mean, target probability ≥ 0.9, distance −90 %, finite, RMS > −40 dBFS,
// not clipped, under 2 minutes. Also: the waveform domain's time per step, and Griffin–Lim and the
// STFT against the same algorithms in numpy (tests/fixtures/dream/make_dream_reference.py --time,
// spawned with /usr/bin/python3 in the same run, one thread).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { DreamDetail, DreamRequest } from '../src/shared/dream';
import { encodeWav, synthesiseClip, type DemoStyle } from '../src/main/engine/audio';
import { disposeBasis, fourierBasis, stftConv } from '../src/main/engine/dream/fourier';
import { griffinLim } from '../src/main/engine/dream/invert';
import { magnitude, stft } from '../src/main/engine/features/stft';
import { initBackend } from '../src/main/engine/ml/backend';
import { mulberry32 } from '../src/main/engine/random';
import { Services, unwrap } from '../src/main/services';
import { dreamStore, readGenreMeans, resolveDream, startDream } from '../src/main/services/dreams';
import { CnnClassifier } from '../src/main/engine/cnn';
import { dreamNetFromCnn } from '../src/main/engine/dream/cnn';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AUDIO = path.resolve(root, '../shared/data/gtzan-audio');
const GTZAN_GENRES = ['classical', 'jazz', 'rock'];
const DEMO_STYLES: DemoStyle[] = ['rock', 'disco', 'jazz', 'classical'];
const PYTHON = '/usr/bin/python3';
const REF = path.join(root, 'tests/fixtures/dream/make_dream_reference.py');

const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const yes = (b: boolean) => (b ? 'yes' : '**no**');

function signal(seconds: number): Float32Array {
  const n = Math.round(seconds * 22050);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 22050;
    y[i] = 0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.3 * Math.sin(2 * Math.PI * (200 * t + 300 * t * t)) + 0.2 * Math.sin(2 * Math.PI * 1320 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 2 * t));
  }
  return y;
}

/** Griffin–Lim and the STFT on a 5-s signal: Genrelab (fft.js; conv1d on tfjs wasm) against numpy. */
async function audioSection(lines: string[]): Promise<void> {
  await initBackend();
  const y = signal(5);
  let t = performance.now();
  const mag = magnitude(stft(y));
  const fftStft = (performance.now() - t) / 1000;
  const b = fourierBasis(2048, 512);
  tf.tidy(() => stftConv(tf.tensor1d(y), b).dataSync()); // warm-up
  t = performance.now();
  tf.tidy(() => stftConv(tf.tensor1d(y), b).dataSync());
  const convStft = (performance.now() - t) / 1000;
  t = performance.now();
  tf.tidy(() => tf.grad((x: tf.Tensor) => stftConv(x as tf.Tensor1D, b).square().mean())(tf.tensor1d(y)).dataSync());
  const convGrad = (performance.now() - t) / 1000;
  disposeBasis(b);
  t = performance.now();
  griffinLim(mag, y.length, { iterations: 100, rng: mulberry32(0) });
  const gl = (performance.now() - t) / 1000;
  let py: { stftSeconds: number; griffinLimSeconds: number; numpy: string } | null = null;
  let why = `${PYTHON} not found`;
  if (existsSync(PYTHON)) {
    const r = spawnSync(PYTHON, [REF, '--time', '5', '100'], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    if (r.status === 0) py = JSON.parse(r.stdout);
    else why = r.stderr.trim().split('\n').pop() ?? 'failed';
  }
  lines.push(
    '### Griffin–Lim and the STFT (5-s signal)',
    '',
    `The closed-form test signal of \`tests/unit/dream/dream-invert.test.ts\`, 5 s at 22,050 Hz, n_fft 2048, hop 512. numpy: \`OMP_NUM_THREADS=1 ${PYTHON} tests/fixtures/dream/make_dream_reference.py --time 5 100\` (the same fast Griffin–Lim, librosa 0.8's algorithm), spawned in this run${py ? ` (numpy ${py.numpy})` : ` — not run: ${why}`}.`,
    '',
    '| step | Genrelab | numpy | ratio |',
    '| --- | --- | --- | --- |',
    `| STFT (fft.js, float64) | ${f3(fftStft)} s | ${py ? `${f3(py.stftSeconds)} s` : '—'} | ${py ? `${f2(fftStft / py.stftSeconds)}×` : '—'} |`,
    `| STFT as conv1d with a Fourier basis (tfjs wasm) | ${f3(convStft)} s | — | — |`,
    `| its input gradient (matMul + overlap-add) | ${f3(convGrad)} s | — | — |`,
    `| fast Griffin–Lim, 100 iterations | ${f2(gl)} s | ${py ? `${f2(py.griffinLimSeconds)} s` : '—'} | ${py ? `${f2(gl / py.griffinLimSeconds)}×` : '—'} |`,
    '',
  );
}

interface Library {
  dir: string;
  genres: string[];
  source: string;
}

/** The shared GTZAN clips of three genres, or (without ../shared/data) a synthetic demo library. */
function library(tmp: string): Library {
  if (existsSync(AUDIO)) {
    return { dir: AUDIO, genres: GTZAN_GENRES, source: `the shared GTZAN clips (\`../shared/data/gtzan-audio\`) of ${GTZAN_GENRES.join(', ')}: 16 clips × 30 s each, 10 segments per clip` };
  }
  const dir = path.join(tmp, 'demo');
  DEMO_STYLES.forEach((style, si) => {
    mkdirSync(path.join(dir, style), { recursive: true });
    for (let i = 0; i < 8; i++) writeFileSync(path.join(dir, style, `${style}.${i}.wav`), encodeWav(synthesiseClip(style, 40 * si + i, 15, 22050), 22050, 16));
  });
  return { dir, genres: DEMO_STYLES, source: `**synthetic** clips of the demo synthesiser (../shared/data is absent here): ${DEMO_STYLES.join(', ')}, 8 clips × 15 s` };
}

interface Row {
  genre: string;
  label: string;
  d: DreamDetail;
}

/** Every target of the issue, on the finished WAV. */
function passed(r: Row): boolean {
  const f = r.d.figures;
  return f.nearestGenre === r.genre && f.targetProbability >= 0.9 && f.distanceDrop >= 0.9 && f.audio.finite && f.audio.rmsDbfs > -40 && f.audio.clippedSamples === 0 && r.d.elapsed < 120;
}

/** softmax(head(μ_g))[g] for every genre g: the model's probability at the genre's mean embedding. */
async function probabilityAtMeans(s: Services, runId: number, labels: readonly string[]): Promise<number[]> {
  const { modelDir } = await resolveDream(s, { runId, genre: labels[0]! });
  const cached = await readGenreMeans(modelDir, labels);
  if (!cached) throw new Error('the genre means were not cached by the dreams');
  const clf = await CnnClassifier.fromDir(modelDir);
  const net = dreamNetFromCnn(clf);
  if (!net.head) throw new Error('the CNN has no head after its embedding layer');
  const p = tf.tidy(() => tf.softmax(net.head!(tf.tensor2d(cached.means))).arraySync() as number[][]);
  return labels.map((_, g) => p[g]![g]!);
}

function targetRows(rows: Row[]): string[] {
  const out = [
    '| genre | settings | nearest mean | p(genre) | distance: start → spectrogram → Griffin–Lim → WAV | drop | RMS / peak (dBFS) | clipped | time | all targets |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { genre, label, d } of rows) {
    const f = d.figures;
    const ok = passed({ genre, label, d });
    out.push(
      `| ${genre} | ${label} | ${f.nearestGenre === genre ? genre : `**${f.nearestGenre}**`} | ${f.targetProbability >= 0.9 ? pct(f.targetProbability) : `**${pct(f.targetProbability)}**`} | ` +
        `${f3(f.distanceStart)} → ${f3(f.distanceEnd)} → ${f.distanceGriffinLim === null ? '—' : f3(f.distanceGriffinLim)} → ${f3(f.distanceAudio)} | ${f.distanceDrop >= 0.9 ? pct(f.distanceDrop) : `**${pct(f.distanceDrop)}**`} | ` +
        `${f.audio.rmsDbfs.toFixed(1)} / ${f.audio.peakDbfs.toFixed(1)} | ${f.audio.clippedSamples} | ${d.elapsed < 120 ? `${d.elapsed.toFixed(1)} s` : `**${d.elapsed.toFixed(1)} s**`} | ${yes(ok)} |`,
    );
  }
  return out;
}

async function dreamSection(lines: string[]): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'genrelab-bench-dream-'));
  const s = new Services({ dbPath: path.join(tmp, 'g.sqlite'), dataDir: tmp, workers: 2 });
  try {
    const lib = library(tmp);
    const folders = existsSync(AUDIO) && lib.dir === AUDIO ? lib.genres.map((g) => path.join(AUDIO, g)) : [lib.dir];
    let t = performance.now();
    const folderIds: number[] = [];
    for (const f of folders) {
      const ing = await s.startIngest(f, 'logmel');
      folderIds.push(ing.folderId);
      await ing.done;
    }
    const ingest = (performance.now() - t) / 1000;
    t = performance.now();
    const trained = await s.startTraining({ model: 'cnn', folderIds, evaluation: { kind: 'holdout', testFraction: 0.25 }, seed: 1 }).done;
    const train = (performance.now() - t) / 1000;
    const run = s.runs.get(trained.runId)!;
    lines.push(
      '### Every genre of a trained CNN',
      '',
      `Data: ${lib.source}. Ingested with the logmel profile in ${ingest.toFixed(0)} s; the \`cnn\` (registry defaults: ${run.description}) trained through the training service in ${train.toFixed(0)} s (held-out 25 % of tracks: segment accuracy ${pct(run.metrics.accuracy)}, track accuracy ${run.metrics.trackLevel ? pct(run.metrics.trackLevel.accuracy) : '—'}; the stored model is then fitted on every track). Backend ${run.backend}. Machine load at the start ${load()} (2 cores, shared).`,
      '',
      'Each dream goes through `dream.start` as the Dream view sends it: 5 s, from low-level noise (−50 dBFS white noise), Griffin–Lim 100 iterations, and the figures are taken from the finished 16-bit WAV heard again by the model (its log-mel through the conv1d STFT, sliding 3-s patches): the distance to the genre mean, the nearest of the genre means, the mean probability over its patches. Time: wall clock of the job, genre means included (computed once per run, then cached).',
      '',
    );
    const rows: Row[] = [];
    const settings: Array<{ label: string; req: Partial<DreamRequest> }> = [
      ...[1, 2, 3].map((seed) => ({ label: `view defaults ('confident', 300 steps + 40 waveform), seed ${seed}`, req: { seed } })),
      { label: "CLI default ('confident', 500 + 40), seed 1", req: { steps: 500 } },
      { label: "'embedding' (the distance alone), 300 + 40, seed 1", req: { objective: 'embedding' } },
    ];
    for (const { label, req } of settings) {
      for (const genre of run.metrics.labels) {
        const out = await unwrap((await startDream(s, { runId: run.id, genre, seconds: 5, seed: 1, ...req })).done);
        rows.push({ genre, label, d: dreamStore(s).get(out.dreamId)! });
      }
    }
    const atMean = await probabilityAtMeans(s, run.id, run.metrics.labels);
    lines.push(
      `The model's probability of each genre at that genre's mean embedding itself (the classifier's head applied to the mean): ${run.metrics.labels.map((g, i) => `${g} ${pct(atMean[i]!)}`).join(', ')}. A dream's probability is the mean over its patches of each patch's probability, not the probability of the mean embedding; with the distance alone a dream can end near the mean yet below 90 %, which is why the default objective ('confident') adds a hinge that keeps the genre's probability at 95 % or more.`,
      '',
    );
    lines.push(...targetRows(rows), '');
    const all = rows.filter((r) => r.label.startsWith('view'));
    lines.push(`View defaults: ${all.filter(passed).length} of ${all.length} dreams (${run.metrics.labels.length} genres × 3 seeds) meet every target; all settings: ${rows.filter(passed).length} of ${rows.length}. Longest dream: ${Math.max(...rows.map((r) => r.d.elapsed)).toFixed(1)} s.`, '');
    const mean = (k: string) => all.reduce((a, r) => a + (r.d.timings[k] ?? 0), 0) / all.length;
    lines.push(
      `Where the time goes (view defaults, mean of ${all.length} dreams): optimiser ${mean('optimise').toFixed(1)} s (300 steps), mel → linear (NNLS) ${mean('invert').toFixed(1)} s, Griffin–Lim ${mean('griffinLim').toFixed(1)} s, waveform refinement ${mean('refine').toFixed(1)} s (40 steps), finishing ${mean('finish').toFixed(1)} s.`,
      '',
    );
    t = performance.now();
    const w = await unwrap((await startDream(s, { runId: run.id, genre: run.metrics.labels[0]!, seconds: 5, seed: 1, steps: 30, domain: 'waveform' })).done);
    const wd = dreamStore(s).get(w.dreamId)!;
    lines.push(
      `Waveform domain (the samples optimised through the conv1d STFT from the start): 30 steps of a 5-s ${wd.genre} dream took ${wd.timings.optimise?.toFixed(1)} s (${((1000 * (wd.timings.optimise ?? 0)) / 30).toFixed(0)} ms per step, forward and backward through STFT, mel and CNN); distance ${f3(wd.figures.distanceStart)} → ${f3(wd.figures.distanceAudio)}, p ${pct(wd.figures.targetProbability)}.`,
      '',
    );
  } finally {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

export default {
  title: 'Genre dreams',
  async run(): Promise<string> {
    const lines: string[] = [
      `Measured with \`npx tsx bench/run.ts dream\` on ${new Date().toISOString().slice(0, 10)}; Node ${process.version}, tfjs wasm backend (SIMD, no threads), 2 worker threads.`,
      '',
    ];
    await dreamSection(lines);
    await audioSection(lines);
    return lines.join('\n');
  },
};
