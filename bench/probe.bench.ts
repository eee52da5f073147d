// Latent-probe benchmark (issue 8, part 3): the phase vocoder's speed per 30-s clip against the same
// algorithm in numpy (tests/fixtures/probe/make_vocoder.py's functions, spawned with /usr/bin/python3 in
// the same run); the transform fits against numpy/scipy on the same embedding shapes; and the probe
// table of a dense network trained on the GTZAN 30-s table (../shared/data/gtzan-features), probed on
// the shared GTZAN clips (../shared/data/gtzan-audio) — and of the CNN (logmel) when the registry has one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProbeDetail } from '../src/shared/probes';
import { decodeFile } from '../src/main/engine/audio';
import { registry } from '../src/main/engine/models';
import { probeFits } from '../src/main/engine/probe/fits';
import { pitchShift, tempoShift } from '../src/main/engine/probe/vocoder';
import { mulberry32, normal } from '../src/main/engine/random';
import { Services, unwrap } from '../src/main/services';
import { datasetFromCsv } from '../src/main/services/dataset';
import { probeStore, startProbe } from '../src/main/services/probeHandlers';
import { probeTableText } from '../src/main/services/probes';
import { runTraining } from '../src/main/services/training';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(root, '../shared/data');
const audioDir = path.join(data, 'gtzan-audio');
const table30 = path.join(data, 'gtzan-features/features_30_sec.csv');
const PYTHON = '/usr/bin/python3';
const VOCODER_CLIPS = 5;
const CNN_GENRES = ['classical', 'jazz', 'rock'];
const CNN_EPOCHS = 15;

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' / ');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function clipPaths(): string[] {
  return readdirSync(audioDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(path.join(audioDir, d.name)).filter((f) => f.endsWith('.wav')).map((f) => path.join(audioDir, d.name, f)))
    .sort();
}

const PY_VOCODER = `
import sys, time, json
sys.path.insert(0, sys.argv[1])
import numpy as np, soundfile as sf
from scipy.signal import resample_poly
import make_vocoder as mv
out = {'pitch': [], 'tempo': []}
for f in sys.argv[2:]:
    y, sr = sf.read(f, dtype='float32')
    t = time.perf_counter(); mv.time_stretch(y, 1.5); out['tempo'].append(time.perf_counter() - t)
    t = time.perf_counter(); slow = mv.time_stretch(y, 1 / 1.5); resample_poly(slow, 2, 3, window=('kaiser', 14.0)); out['pitch'].append(time.perf_counter() - t)
print(json.dumps(out))
`;

async function vocoderSection(files: string[]): Promise<string> {
  const ours = { pitch: [] as number[], tempo: [] as number[] };
  for (const f of files) {
    const y = (await decodeFile(f)).samples;
    let t = performance.now();
    tempoShift(y, 1.5);
    ours.tempo.push((performance.now() - t) / 1000);
    t = performance.now();
    pitchShift(y, 1.5, 22050);
    ours.pitch.push((performance.now() - t) / 1000);
  }
  let ref: { pitch: number[]; tempo: number[] } | null = null;
  let note = '';
  if (!existsSync(PYTHON)) note = `${PYTHON} is absent: no reference figures.`;
  else {
    const scriptDir = mkdtempSync(path.join(tmpdir(), 'probe-bench-'));
    const script = path.join(scriptDir, 'vocoder_ref.py');
    writeFileSync(script, PY_VOCODER);
    const r = spawnSync(PYTHON, [script, path.join(root, 'tests', 'fixtures', 'probe'), ...files], {
      encoding: 'utf8',
      timeout: 900_000,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    rmSync(scriptDir, { recursive: true, force: true });
    try {
      ref = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { pitch: number[]; tempo: number[] };
    } catch {
      note = `reference run failed: ${(r.stderr || r.stdout || String(r.error)).slice(-300)}`;
    }
  }
  const row = (what: string, a: number[], b: number[] | undefined) =>
    `| ${what} | ${median(a).toFixed(3)} | ${b ? median(b).toFixed(3) : '—'} | ${b ? (median(a) / median(b)).toFixed(2) : '—'} |`;
  return [
    `Median seconds per 30-s clip (22,050 Hz mono) over ${files.length} GTZAN clips, one thread, decoding excluded. Reference: the`,
    'same algorithm in numpy (`tests/fixtures/probe/make_vocoder.py`: librosa 0.8’s `phase_vocoder`, its STFT and ISTFT written',
    'out; pitch resampled with `scipy.signal.resample_poly`), `OMP_NUM_THREADS=1`, spawned in the same run.',
    '',
    '| shift | Genrelab (s) | numpy (s) | ratio |',
    '| --- | --- | --- | --- |',
    row('tempo +50 % (time stretch ×1.5)', ours.tempo, ref?.tempo),
    row('pitch +50 % (stretch ×1/1.5, resample 3:2)', ours.pitch, ref?.pitch),
    ...(note ? ['', note] : []),
  ].join('\n');
}

const PY_FITS = `
import sys, time, json
import numpy as np
from scipy.linalg import orthogonal_procrustes
n, d = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(1)
X = np.maximum(rng.normal(size=(n, d)), 0); Y = 1.1 * X + 0.1 * rng.normal(size=(n, d))
t = time.perf_counter()
Xc, Yc = X - X.mean(0), Y - Y.mean(0)
s = (Xc * Yc).sum() / (Xc ** 2).sum()
diag = (Xc * Yc).sum(0) / np.maximum((Xc ** 2).sum(0), 1e-300)
R, sc = orthogonal_procrustes(Xc, Yc)
W = np.linalg.lstsq(np.hstack([X, np.ones((n, 1))]), Y, rcond=None)[0]
for P in (X + (Y - X).mean(0), s * Xc + Y.mean(0), Xc * diag + Y.mean(0), sc / (Xc ** 2).sum() * Xc @ R + Y.mean(0), np.hstack([X, np.ones((n, 1))]) @ W):
    D = ((P[:, None, :] - Y[None, :, :]) ** 2).sum(2); np.argmin(D, 1)
print(json.dumps({'seconds': time.perf_counter() - t}))
`;

function fitsSection(): string {
  const rows: string[] = [];
  for (const [n, d] of [
    [56, 256],
    [200, 256],
    [1000, 256],
  ] as const) {
    const rng = mulberry32(1);
    const X = Float64Array.from({ length: n * d }, () => Math.max(0, normal(rng)));
    const Y = X.map((v) => 1.1 * v + 0.1 * normal(rng));
    const t0 = performance.now();
    probeFits(X, Y, n, d, mulberry32(2));
    const ours = (performance.now() - t0) / 1000;
    let ref = '—';
    if (existsSync(PYTHON)) {
      const r = spawnSync(PYTHON, ['-c', PY_FITS, String(n), String(d)], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
      const m = /"seconds": ([0-9.e-]+)/.exec(r.stdout ?? '');
      if (m) ref = Number(m[1]).toFixed(3);
    }
    rows.push(`| ${n} × ${d} | ${ours.toFixed(2)} | ${ref} |`);
  }
  return [
    'The six rows of one probe table (identity, translation, uniform, non-uniform, Procrustes, affine), fitted in-sample **and** on',
    'a held-out half (so twice), with NN accuracy; random ReLU-like embeddings. numpy/scipy (LAPACK, one thread) does the',
    'in-sample fits once with plain least squares (no leave-one-out ridge search, no held-out half): a lower bound, not the same work.',
    '',
    '| clips × dims | Genrelab (s) | numpy/scipy, in-sample only (s) |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function tableMarkdown(p: ProbeDetail): string {
  const held = p.pitchTable.test.length > 0;
  const fence = (s: string) => ['```', s, '```'].join('\n');
  return [
    `${p.model}: ${p.layer}; ${p.clips} clips (${p.profile}${p.segments ? ', embedding = mean over 3-s segments' : ''}), pitch ×${p.pitch}, tempo ×${p.tempo}.`,
    `Time ${p.seconds.toFixed(1)} s: clips (decode + 2 shifts + 3 feature extractions, ${p.clips} clips on the worker pool) ${p.timings.clips.toFixed(1)} s`,
    `(${(p.timings.clips / p.clips).toFixed(2)} s per clip), embedding ${p.timings.embed.toFixed(2)} s, fits ${p.timings.fits.toFixed(2)} s; backend ${p.backend}.`,
    '',
    ...(held ? [`Held out (fit on ${p.pitchTable.train.length} clips, scored on the other ${p.pitchTable.test.length}):`, '', fence(probeTableText(p, 'heldOut')), ''] : []),
    `In-sample (fit and scored on all ${p.clips}):`,
    '',
    fence(probeTableText(p, 'inSample')),
    ...(p.warnings.length ? ['', ...p.warnings.map((w) => `- ${w}`)] : []),
  ].join('\n');
}

async function probeSection(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-bench-'));
  const services = new Services({ dbPath: path.join(dir, 'g.sqlite'), dataDir: dir });
  const out: string[] = [];
  try {
    // Dense network on the 1,000-track GTZAN table (its gtzan57 columns); the 56 probed clips are among its training rows.
    const t0 = performance.now();
    const dataset = datasetFromCsv(readFileSync(table30, 'utf8'), { source: table30 });
    const train = services.jobs.start('train', (ctx) =>
      runTraining({ store: services.store, runs: services.runs, pool: services.pool, dataDir: services.dataDir }, { model: 'dense', profile: 'gtzan57', evaluation: { kind: 'holdout', testFraction: 0.2 }, seed: 1 }, ctx, dataset),
    );
    const trained = await unwrap(train.done);
    const trainSeconds = (performance.now() - t0) / 1000;
    const { done } = await startProbe(services, { modelDir: trained.modelDir!, folder: audioDir, seed: 0 });
    const dense = probeStore(services).get((await unwrap(done)).probeId)!;
    out.push(
      `### Dense network (3 × 256 ReLU), gtzan57`,
      '',
      `Trained on the GTZAN 30-s table (1,000 tracks, held-out 20 %: accuracy ${(trained.metrics.accuracy * 100).toFixed(1)} %, ${trainSeconds.toFixed(0)} s); probed on the ${dense.clips} shared GTZAN clips (all of them among its training tracks), features computed from the audio as the app does.`,
      '',
      tableMarkdown(dense),
    );
    process.stderr.write(`probe bench: dense probe done (${dense.seconds.toFixed(0)} s)\n`);
    if (registry.has('cnn')) {
      try {
        // The three genres with 16 clips each (the others have 1–2): one library folder per genre.
        const t1 = performance.now();
        const folderIds: number[] = [];
        for (const g of CNN_GENRES) {
          const ing = await services.startIngest(path.join(audioDir, g), 'logmel');
          await ing.done;
          folderIds.push(ing.folderId);
        }
        const cnn = await services.startTraining({ model: 'cnn', profile: 'logmel', segments: true, folderIds, evaluation: { kind: 'holdout', testFraction: 0.25 }, seed: 1, params: { maxEpochs: CNN_EPOCHS, patience: 4 } }).done;
        const cnnSeconds = (performance.now() - t1) / 1000;
        const pr = await startProbe(services, { runId: cnn.runId, seed: 0 });
        const p = probeStore(services).get((await unwrap(pr.done)).probeId)!;
        out.push(
          '',
          '### CNN (logmel), part 1’s model',
          '',
          `Trained on the 3-s log-mel patches of the ${p.clips} shared GTZAN clips of ${CNN_GENRES.join(', ')} (held-out 25 % of tracks: accuracy ${(cnn.metrics.accuracy * 100).toFixed(1)} %; at most ${CNN_EPOCHS} epochs; ingest + training ${cnnSeconds.toFixed(0)} s) — a small training set; probed on the same clips.`,
          '',
          tableMarkdown(p),
        );
      } catch (err) {
        out.push('', `The CNN could not be trained or probed here: ${(err as Error).message}`);
      }
    } else out.push('', 'No `cnn` model in the registry in this build: the CNN was not probed.');
  } finally {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n');
}

export default {
  title: 'Latent probes: phase vocoder, transform fits, probe tables',
  async run(): Promise<string> {
    if (!existsSync(audioDir) || !existsSync(table30)) {
      return `Skipped: ${data} is absent (the GTZAN clips and table are needed).`;
    }
    const files = clipPaths();
    const head = [`Command: \`npx tsx bench/run.ts probe\` (load average before: ${load()}).`, ''];
    const vocoder = await vocoderSection(files.filter((_, i) => i % Math.ceil(files.length / VOCODER_CLIPS) === 0).slice(0, VOCODER_CLIPS));
    const fits = fitsSection();
    const probe = await probeSection();
    return [...head, '### Phase vocoder', '', vocoder, '', '### Transform fits', '', fits, '', probe, '', `Load average after: ${load()}.`].join('\n');
  },
};
