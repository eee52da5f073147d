// The CNN over log-mel patches on the shared GTZAN clips (classical, jazz, rock: the genres with 16
// clips each; the others have 1–2 clips, too few to split): the logmel front end against its numpy
// reference, ingest through the services (2 worker threads), a 4-fold cross-validated run through the
// training service as the Training view starts it (seconds per epoch, accuracy), the same network in
// PyTorch for the per-epoch ratio, and the wasm kernels the CNN replaces, timed against the originals.
// GENRELAB_CNN_PARAMS='{"filters":[16,32,64,64]}' overrides the model parameters (default: the registry's).
//
// Why the default is filters 8, 16, 32, 64: measured with this bench on 2026-11-28 (load 4–9 from
// other work), filters 16, 32, 64, 64 took 14.0 min for the run (17 s per epoch) and reached 78.3 %
// segment / 83.3 % track accuracy; 8, 16, 32, 64 took 5.2 min (4.6 s per epoch) for 83.3 % / 83.3 %.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { decodeFile } from '../src/main/engine/audio';
import { CNN_WASM_KERNELS, logmelProfile, originalCnnWasmKernel, registerCnnWasmKernels } from '../src/main/engine/cnn';
import { initBackend } from '../src/main/engine/ml/backend';
import { registry } from '../src/main/engine/models';
import { Services } from '../src/main/services';
import { datasetFromStore } from '../src/main/services/dataset';
import { setIdForProfile } from '../src/main/services/training';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AUDIO = path.resolve(root, '../shared/data/gtzan-audio');
const GENRES = ['classical', 'jazz', 'rock'];
const FOLDS = 4;
const PYTHON = '/usr/bin/python3';
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

function python(args: string[]): { ok: boolean; out: string } {
  if (!existsSync(PYTHON)) return { ok: false, out: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 1_800_000, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  return { ok: r.status === 0, out: r.status === 0 ? r.stdout : `${r.stderr}`.trim().split('\n').slice(-3).join(' ') };
}

/** Front end: logmel patches of every segment, this engine (one thread) against the numpy reference. */
async function frontEnd(files: string[], lines: string[]): Promise<void> {
  let seconds = 0;
  let segments = 0;
  for (const f of files) {
    const { samples } = await decodeFile(f);
    const t = performance.now();
    segments += logmelProfile.extract(samples, { segmentSeconds: 3 }).segments.length;
    seconds += (performance.now() - t) / 1000;
  }
  const ref = python([path.join(root, 'tests/fixtures/cnn/make_logmel_ref.py'), '--time', ...files]);
  const py = ref.ok ? (JSON.parse(ref.out) as { segments: number; seconds: number }) : null;
  lines.push(
    '### Front end: 64 × 130 log-mel patches',
    '',
    `${files.length} clips, ${segments} three-second segments, decoding excluded, one thread each. Reference: librosa's algorithm in numpy (\`tests/fixtures/cnn/make_logmel_ref.py --time\`, OMP/OpenBLAS 1 thread), the same code the unit test's reference values come from.`,
    '',
    '| implementation | segments | seconds | ms per segment |',
    '| --- | --- | --- | --- |',
    `| Genrelab \`logmel\` profile | ${segments} | ${f2(seconds)} | ${f1((1000 * seconds) / segments)} |`,
    py ? `| numpy reference | ${py.segments} | ${f2(py.seconds)} | ${f1((1000 * py.seconds) / py.segments)} |` : `| numpy reference | — | not run: ${ref.out} | |`,
    '',
  );
  if (py) lines.push(`Ratio Genrelab / numpy: **${f2(seconds / py.seconds)}×** the reference's time.`, '');
}

interface Trained {
  rows: number;
  trainRows: number;
  epochs: number[];
  seconds: number;
  cpu: number;
}

/** Ingest the three genre folders with logmel and train the cnn through the services, 4-fold CV. */
async function throughServices(params: Record<string, unknown>, lines: string[]): Promise<Trained | null> {
  const dir = mkdtempSync(path.join(tmpdir(), 'genrelab-bench-cnn-'));
  const s = new Services({ dbPath: path.join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
  try {
    let t = performance.now();
    const folderIds: number[] = [];
    let clips = 0;
    let featureSeconds = 0;
    for (const g of GENRES) {
      const r = await (await s.startIngest(path.join(AUDIO, g), 'logmel')).done;
      folderIds.push(r.folderId);
      clips += r.extracted;
      featureSeconds += r.featureSeconds;
    }
    const ingest = (performance.now() - t) / 1000;
    const perFold = new Map<number, number>();
    const epochs: number[] = [];
    let last = { fold: -1, at: 0 };
    const onEvent = (name: string, payload: unknown) => {
      if (name !== 'train.epoch') return;
      const fold = (payload as { point: { fold: number } }).point.fold;
      const now = performance.now();
      perFold.set(fold, (perFold.get(fold) ?? 0) + 1);
      if (fold === last.fold) epochs.push((now - last.at) / 1000); // not across a fold boundary
      last = { fold, at: now };
      process.stderr.write(`cnn bench: fold ${fold + 1} epoch ${perFold.get(fold)} (${f1((now - t) / 1000)} s)\n`);
    };
    s.bus.on('event', onEvent);
    t = performance.now();
    const c0 = process.cpuUsage();
    const out = await s.startTraining({ model: 'cnn', folderIds, evaluation: { kind: 'cv', folds: FOLDS }, seed: 1, params }).done;
    const cpu = cpuSeconds(process.cpuUsage(c0));
    const seconds = (performance.now() - t) / 1000;
    s.bus.off('event', onEvent);
    const run = s.runs.get(out.runId)!;
    const m = run.metrics;
    const all = datasetFromStore(s.store, { setId: setIdForProfile(s.store, 'logmel'), folderIds, segments: true }).rows;
    const trainRows = Math.round((all * (FOLDS - 1)) / FOLDS);
    lines.push(
      '### Ingest and training through the services (as the Library and Training views run them)',
      '',
      `Ingest: ${clips} clips of ${GENRES.join(', ')} with profile logmel, 2 worker threads: **${f1(ingest)} s** wall (${f2(ingest / clips)} s per clip; decode + patches ${f1(featureSeconds)} s of worker time for the patches).`,
      '',
      `Training: \`cnn\` with ${JSON.stringify(run.params)}, ${FOLDS}-fold cross-validation grouped by track (a track's segments stay on one side), seed 1, on the ${m.backend} backend in a worker thread, as the Training view runs it; the service then fits the final model on every track.`,
      '',
      '| figure | value |',
      '| --- | --- |',
      `| epochs per fold (early stopping) | ${[...perFold.values()].join(', ')} |`,
      `| seconds per epoch (median, wall; ~${Math.round(trainRows * 0.85)} training rows) | ${f1(median(epochs))} |`,
      `| whole run: ${FOLDS} folds + final fit on all tracks (wall) | ${f1(seconds)} s (${f1(seconds / 60)} min) |`,
      `| CPU time of the process during the run (both cores) | ${f1(cpu)} s |`,
      `| evaluated segments / tracks | ${m.n} / ${m.trackLevel?.n ?? '—'} |`,
      `| fold accuracies (segments) | ${m.foldAccuracy.map((a) => pct(a)).join(', ')} |`,
      `| segment accuracy, macro-F1 | ${pct(m.accuracy)}, ${f2(m.macroF1)} |`,
      `| track accuracy (segments averaged), macro-F1 | ${m.trackLevel ? `${pct(m.trackLevel.accuracy)}, ${f2(m.trackLevel.macroF1)}` : '—'} |`,
      '',
      `Note: ${m.trackLevel?.n ?? '?'} tracks is a small test set (one track more or less right moves track accuracy by ${m.trackLevel ? f1(100 / m.trackLevel.n) : '?'} points, and runs that differ only in float rounding have moved it by several points); the 1–2-clip genres of the shared set cannot be split and are left out. Load average at the end: ${loadavg()[0]!.toFixed(1)} on 2 cores shared with other work.`,
      '',
    );
    return { rows: all, trainRows, epochs, seconds, cpu };
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds per epoch of the same network in this process (wasm) and in PyTorch, same rows. */
async function perEpoch(params: Record<string, unknown>, rows: number, lines: string[]): Promise<void> {
  await initBackend();
  const p = { ...registry.defaults('cnn'), ...params, maxEpochs: 3, validationFraction: 0, augment: false } as Record<string, unknown>;
  const filters = (p.filters as number[]).join(',');
  const cols = 64 * 130;
  const X = new Float32Array(rows * cols);
  let seed = 7;
  for (let i = 0; i < X.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    X[i] = -50 + 20 * (seed / 2 ** 32);
  }
  const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const clf = registry.create('cnn', p);
  const wall: number[] = [];
  const cpu: number[] = [];
  let c = process.cpuUsage();
  let t = performance.now();
  await clf.fit(
    { data: X, rows, cols },
    y,
    {
      seed: 1,
      onEpoch: () => {
        wall.push((performance.now() - t) / 1000);
        cpu.push(cpuSeconds(process.cpuUsage(c)));
        c = process.cpuUsage();
        t = performance.now();
      },
    },
  );
  clf.dispose();
  const torch = python([path.join(root, 'bench/cnn-torch.py'), String(rows), '3', '3', filters, String(p.embedding), '1']);
  const tr = torch.ok ? (JSON.parse(torch.out) as { secondsPerEpoch: number; cpuSecondsPerEpoch: number; torch: string }) : null;
  const mw = median(wall.slice(1));
  const mc = median(cpu.slice(1));
  lines.push(
    `### Seconds per epoch: tfjs wasm (this engine) and PyTorch ${tr ? tr.torch : ''} on the CPU`,
    '',
    `${rows} random patches, filters ${filters}, embedding ${p.embedding}, batch ${p.batchSize}, 3 epochs (median of epochs 2–3), one thread each (wasm has no threads in Node; torch.set_num_threads(1)). CPU seconds are steadier than wall seconds on this shared machine.`,
    '',
    '| implementation | wall s / epoch | CPU s / epoch | ms CPU per row |',
    '| --- | --- | --- | --- |',
    `| Genrelab cnn, tfjs 4.22 wasm + the CNN kernels | ${f2(mw)} | ${f2(mc)} | ${f1((1000 * mc) / rows)} |`,
    tr ? `| PyTorch (\`bench/cnn-torch.py\`) | ${f2(tr.secondsPerEpoch)} | ${f2(tr.cpuSecondsPerEpoch)} | ${f1((1000 * tr.cpuSecondsPerEpoch) / rows)} |` : `| PyTorch | not run: ${torch.out} | | |`,
    '',
  );
  if (tr) lines.push(`Ratio Genrelab / PyTorch (CPU time): **${f2(mc / tr.cpuSecondsPerEpoch)}×**.`, '');
}

type Kernel = (args: { inputs: object; backend: KernelBackend; attrs: NamedAttrMap }) => TensorInfo;

/** CPU ms of one call, median of 5 after one warm-up; `call` returns the TensorInfo to free. */
function cpuMs(call: () => TensorInfo): number {
  const b = tf.backend();
  b.disposeData(call().dataId);
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c = process.cpuUsage();
    const out = call();
    xs.push(cpuSeconds(process.cpuUsage(c)) * 1000);
    b.disposeData(out.dataId);
  }
  return median(xs);
}

/** The conv gradients of the CNN's layers (batch 32) with the wasm kernels it replaces and with its own. */
function kernels(filters: number[], lines: string[]): void {
  registerCnnWasmKernels();
  const b = tf.backend();
  const layers: Array<[[number, number, number, number], number]> = [];
  let [h, w, c] = [64, 130, 1];
  for (const f of filters) {
    layers.push([[32, h, w, c], f]);
    [h, w, c] = [Math.floor(h / 2), Math.floor(w / 2), f];
  }
  lines.push(
    '### The wasm kernels the CNN replaces (CPU ms per call, batch 32, median of 5)',
    '',
    `Wrapped kernels: ${CNN_WASM_KERNELS.join(', ')} (\`src/main/engine/cnn/wasm-kernels.ts\`); "before" is the kernel registered before them (tfjs-backend-wasm's, or ml/wasm-kernels.ts's Conv2DBackpropFilter).`,
    '',
    '| layer input → filters | dX before | dX CNN kernel | dW before | dW CNN kernel |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const [shape, co] of layers) {
    const x = tf.randomNormal(shape) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, shape[3]!, co]) as tf.Tensor4D;
    const dy = tf.randomNormal([shape[0]!, shape[1]!, shape[2]!, co]) as tf.Tensor4D;
    const inAttrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: shape } as unknown as NamedAttrMap;
    const fAttrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, shape[3]!, co] } as unknown as NamedAttrMap;
    const time = (name: string, inputs: object, attrs: NamedAttrMap) => {
      const mine = tf.getKernel(name, 'wasm')!.kernelFunc as unknown as Kernel;
      const before = originalCnnWasmKernel(name) as unknown as Kernel;
      return [cpuMs(() => before({ inputs, backend: b, attrs })), cpuMs(() => mine({ inputs, backend: b, attrs }))];
    };
    const [dxBefore, dxMine] = time('Conv2DBackpropInput', { dy, filter: w }, inAttrs);
    const [dwBefore, dwMine] = time('Conv2DBackpropFilter', { x, dy }, fAttrs);
    lines.push(`| ${shape.slice(1).join('×')} → ${co} | ${f1(dxBefore!)} | ${f1(dxMine!)} | ${f1(dwBefore!)} | ${f1(dwMine!)} |`);
    tf.dispose([x, w, dy]);
  }
  lines.push('', 'The first layer\'s dX is never computed in training (its input is the data).', '');
}

async function run(): Promise<string> {
  const lines: string[] = [];
  if (!existsSync(AUDIO)) return `Skipped: ${AUDIO} is absent.\n`;
  const params = process.env.GENRELAB_CNN_PARAMS ? (JSON.parse(process.env.GENRELAB_CNN_PARAMS) as Record<string, unknown>) : {};
  const files = GENRES.flatMap((g) =>
    readdirSync(path.join(AUDIO, g))
      .filter((f) => f.endsWith('.wav'))
      .sort()
      .map((f) => path.join(AUDIO, g, f)),
  );
  lines.push(`Command: \`npx tsx bench/run.ts cnn\`${Object.keys(params).length ? ` with GENRELAB_CNN_PARAMS='${JSON.stringify(params)}'` : ''}. Load average at the start: ${loadavg()[0]!.toFixed(1)}.`, '');
  await frontEnd(files, lines);
  const trained = await throughServices(params, lines);
  await perEpoch(params, trained ? Math.max(64, trained.trainRows) : 320, lines);
  if (tf.getBackend() === 'wasm') kernels(({ ...registry.defaults('cnn'), ...params }.filters as number[]), lines);
  return lines.join('\n');
}

export default { title: 'CNN over log-mel patches (GTZAN clips)', run };
