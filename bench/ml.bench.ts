// Machine-learning engine benchmark: classifier accuracy on the GTZAN feature tables (with the
// scikit-learn reference run in the same process tree), the segment-split leak on the 3-s table,
// and training speed of the dense net against PyTorch, measured side by side in one run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readCsv } from '../src/main/engine/features/csv';
import { initBackendInfo } from '../src/main/engine/ml/backend';
import { crossValidate, type CrossValResult } from '../src/main/engine/ml/crossval';
import { DenseClassifier } from '../src/main/engine/ml/dense';
import { DEFAULT_ENSEMBLE_MEMBERS } from '../src/main/engine/ml/ensemble';
import type { Params } from '../src/main/engine/ml/manifest';
import { featureTable, trackOfSegment } from '../src/main/engine/ml/table';
import { validateDataset } from '../src/main/engine/ml/validate';
import { originalWasmKernel } from '../src/main/engine/ml/wasm-kernels';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const T30 = path.join(shared, 'data/gtzan-features/features_30_sec.csv');
const T3 = path.join(shared, 'data/gtzan-features/features_3_sec_subset_classical_jazz_rock.csv');
const PYTHON = '/usr/bin/python3';
const FOLDS = path.join(root, 'tests/fixtures/ml/gtzan30_sklearn_folds.json');

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const load = () => loadavg()[0]!.toFixed(1);

/** The best model: the registry's default ensemble (three learners' probabilities averaged). */
export const BEST_ENSEMBLE: Params = { members: DEFAULT_ENSEMBLE_MEMBERS };

function python(args: string[], timeoutMs: number): { ok: boolean; out: string; seconds: number } {
  if (!existsSync(PYTHON)) return { ok: false, out: `${PYTHON} not found`, seconds: 0 };
  const t = performance.now();
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, OMP_NUM_THREADS: '2' } });
  return { ok: r.status === 0, out: (r.stdout ?? '') + (r.status === 0 ? '' : (r.stderr ?? '')), seconds: (performance.now() - t) / 1000 };
}

interface Row {
  name: string;
  r: CrossValResult;
  /** CPU seconds of this process (steadier than wall time on a shared machine). */
  cpu: number;
}

/** GENRELAB_ML_BENCH_FULL=1 adds the ensemble on a second set of folds (about 5 more CPU minutes). */
const FULL = process.env.GENRELAB_ML_BENCH_FULL === '1';

async function timed(name: string, fn: () => Promise<CrossValResult>): Promise<Row> {
  const c = process.cpuUsage();
  const r = await fn();
  const d = process.cpuUsage(c);
  return { name, r, cpu: (d.user + d.system) / 1e6 };
}

async function gtzan30(lines: string[]): Promise<void> {
  const t = featureTable(readCsv(T30));
  const v = validateDataset({ X: t.X, rowLabels: t.rowLabels, columns: t.columns, folds: 10 });
  const sk = JSON.parse(readFileSync(FOLDS, 'utf8')) as { fold: number[] };
  const folds = Int32Array.from(sk.fold);
  const models: Array<[string, string, Params]> = [
    ['decision tree, depth 16', 'tree', { maxDepth: 16 }],
    ['kNN, k = 5', 'knn', { k: 5 }],
    ['RBF kernel ridge, plain standardised inputs', 'kernel', { logVariance: false }],
    ['**RBF kernel ridge, log of the variance columns (default)**', 'kernel', {}],
    ['dense 3 × 256, dropout 0.1 (baseline)', 'dense', {}],
    ['ensemble: 3 regularised dense + kernel ridge (log-var) + ½ kNN(5, distance)', 'ensemble', BEST_ENSEMBLE],
  ];
  const rows: Row[] = [];
  for (const [name, model, params] of models) {
    process.stderr.write(`ml bench: ${name} (load ${load()})\n`);
    rows.push(await timed(name, () => crossValidate({ X: v.X, y: v.y, labels: v.labels, columns: v.columns, model, params, folds, seed: 0 })));
  }
  // The same protocol on Genrelab's own seeded folds: the cheap models always, the ensemble on request.
  process.stderr.write(`ml bench: seeded folds (load ${load()})\n`);
  const own: Row[] = [];
  for (const [name, model, params] of FULL ? [models[1]!, models[2]!, models[3]!, models[5]!] : [models[1]!, models[2]!, models[3]!]) {
    own.push(await timed(name, () => crossValidate({ X: v.X, y: v.y, labels: v.labels, columns: v.columns, model, params, folds: 10, seed: 1 })));
  }
  // Fold seeds 4–9 were never looked at before the log-variance choice was fixed: the honest check.
  process.stderr.write(`ml bench: fresh fold seeds 4–9 (load ${load()})\n`);
  const fresh: Array<{ seed: number; log: number; plain: number }> = [];
  for (let seed = 4; seed <= 9; seed++) {
    const cv = (params: Params) => crossValidate({ X: v.X, y: v.y, labels: v.labels, columns: v.columns, model: 'kernel', params, folds: 10, seed });
    fresh.push({ seed, log: (await cv({})).accuracy, plain: (await cv({ logVariance: false })).accuracy });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  process.stderr.write(`ml bench: scikit-learn reference (load ${load()})\n`);
  const ref = python([path.join(shared, 'reference/gtzan_sklearn.py'), T30], 600_000);
  const refRows = ref.out
    .split('\n')
    .map((l) => /^(.*?)\s+acc=([\d.]+) macroF1=([\d.]+) time=([\d.]+)s/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);

  lines.push(
    '### GTZAN 30-s table: 10-fold cross-validation',
    '',
    `\`features_30_sec.csv\`: ${v.X.rows} tracks × ${v.columns.length} features, ${v.labels.length} genres, validated (no problems). ` +
      'Folds: **the exact folds of the scikit-learn reference** (`StratifiedKFold(10, shuffle=True, random_state=0)`, stored in ' +
      '`tests/fixtures/ml/gtzan30_sklearn_folds.json`). Every model standardises on its training fold only; early stopping and ' +
      'the kernel\'s λ use the training fold only (a validation slice / leave-one-out), never the test fold.',
    '',
    '| model (Genrelab, tfjs ' + tf.version.tfjs + ') | accuracy | macro-F1 | wall s | CPU s |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(({ name, r, cpu }) => `| ${name} | ${f3(r.accuracy)} | ${f3(r.macroF1)} | ${f1(r.seconds)} | ${f1(cpu)} |`),
    '',
    '| reference: scikit-learn 1.2, same folds, run by this bench | accuracy | macro-F1 | seconds |',
    '| --- | --- | --- | --- |',
    ...(refRows.length > 0
      ? refRows.map((m) => `| ${m[1]} | ${m[2]} | ${m[3]} | ${m[4]} |`)
      : [`| (reference did not run: ${ref.out.trim().split('\n').pop()}) | | | |`]),
    '| soft vote SVM + MLP + LR (REFERENCE.md, not re-run) | 0.770 | — | — |',
    '',
    'Same protocol on Genrelab\'s own seeded folds (`stratifiedKFold`, seed 1), to show the figures do not hinge on one split' +
      (FULL ? ':' : ' (the ensemble too with `GENRELAB_ML_BENCH_FULL=1`):'),
    '',
    '| model | accuracy | macro-F1 |',
    '| --- | --- | --- |',
    ...own.map(({ name, r }) => `| ${name} | ${f3(r.accuracy)} | ${f3(r.macroF1)} |`),
    '',
    'Kernel ridge on ten-fold splits with fold seeds 4–9 (`stratifiedKFold`), which were not looked at before the',
    'log-of-variance input was chosen:',
    '',
    '| fold seed | ' + fresh.map((f) => f.seed).join(' | ') + ' | mean | min |',
    '| --- | ' + fresh.map(() => '---').join(' | ') + ' | --- | --- |',
    '| log of variance columns | ' + fresh.map((f) => f3(f.log)).join(' | ') + ` | **${f3(mean(fresh.map((f) => f.log)))}** | ${f3(Math.min(...fresh.map((f) => f.log)))} |`,
    '| plain standardised | ' + fresh.map((f) => f3(f.plain)).join(' | ') + ` | ${f3(mean(fresh.map((f) => f.plain)))} | ${f3(Math.min(...fresh.map((f) => f.plain)))} |`,
    '',
  );
  const best = rows[3]!.r;
  lines.push(
    `Best model per genre (same folds): ${best.perClass.map((m) => `${m.label} ${f3(m.f1)}`).join(', ')} (F1).`,
    '',
    '<details><summary>How the best model was chosen, and why the figure is honest</summary>',
    '',
    'Every hyper-parameter of the best model is chosen inside the training fold: λ and the softmax temperature by',
    'exact leave-one-out on the training rows, γ = 1 / features fixed. The one design choice made by looking at',
    'results is the input transform: the `*_var` columns are variances (scale parameters with long right tails), and',
    'taking their logarithm before standardising was tried in a Python prototype on the reference folds and fold seeds',
    '1–3 (mean 0.784 vs 0.774 plain). It was then fixed and checked on fold seeds 4–9, which had not been used (table',
    'above). An earlier version reached 0.780 only with an ensemble whose weights were picked on the reference folds',
    'themselves (about 40 configurations), and scored 0.779 on fresh folds; that claim is withdrawn.',
    '',
    '</details>',
    '',
  );
}

async function gtzan3(lines: string[]): Promise<void> {
  const t = featureTable(readCsv(T3));
  const groups = t.ids.map(trackOfSegment);
  const v = validateDataset({ X: t.X, rowLabels: t.rowLabels, columns: t.columns, groups, folds: 10 });
  const out: string[] = [];
  for (const [name, model, params] of [
    ['kNN, k = 5', 'knn', { k: 5 }],
    ['dense 3 × 256 baseline, ≤ 20 epochs', 'dense', { maxEpochs: 20 }],
  ] as Array<[string, string, Params]>) {
    process.stderr.write(`ml bench: 3-s ${name} (load ${load()})\n`);
    const grouped = await timed(name, () => crossValidate({ X: v.X, y: v.y, labels: v.labels, groups, model, params, folds: 10, seed: 0 }));
    const naive = await timed(name, () => crossValidate({ X: v.X, y: v.y, labels: v.labels, tracks: groups, model, params, folds: 10, seed: 0 }));
    const g = grouped.r;
    const n = naive.r;
    out.push(
      `| ${name} | ${f3(g.accuracy)} | ${f3(g.trackLevel?.accuracy ?? NaN)} | ${f3(n.accuracy)} | ${f3(n.trackLevel?.accuracy ?? NaN)} | ${f1(grouped.cpu + naive.cpu)} |`,
    );
  }
  lines.push(
    '### GTZAN 3-s segments (classical, jazz, rock): split by track vs naive segment split',
    '',
    `\`features_3_sec_subset_classical_jazz_rock.csv\`: ${v.X.rows} segments of ${new Set(groups).size} tracks. ` +
      'Track-grouped: `groupedStratifiedKFold` (the segments of a track are all in one fold); track level = mean of the ' +
      'segment probabilities per track. Naive: `stratifiedKFold` over segments, so segments of one track sit on both sides ' +
      '(and the dense net\'s early-stopping slice leaks too). The dense net is capped at 20 epochs here to keep the bench short.',
    '',
    '| model | grouped, segment acc. | grouped, track acc. | naive, segment acc. (leaks) | naive, track acc. | CPU s |',
    '| --- | --- | --- | --- | --- | --- |',
    ...out,
    '',
  );
}

async function speed(lines: string[], backend: string): Promise<void> {
  const n = 10000;
  const d = 57;
  const X = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const y = Int32Array.from({ length: n }, (_, i) => i % 10);
  const epochTimes = async (hidden: number[], epochs: number) => {
    const clf = new DenseClassifier({ hidden, maxEpochs: epochs, validationFraction: 0 });
    const c = process.cpuUsage();
    const info = await clf.fit({ data: X, rows: n, cols: d }, y, { seed: 0 });
    const u = process.cpuUsage(c);
    clf.dispose();
    return { wall: median(info.history.slice(1).map((h) => h.seconds)), cpu: (u.user + u.system) / 1e6 / epochs };
  };
  process.stderr.write(`ml bench: speed (load ${load()})\n`);
  const load0 = load();
  const two = await epochTimes([256, 256], 4);
  const three = await epochTimes([256, 256, 256], 3);
  const torch = python([path.join(shared, 'reference/torch_mlp.py')], 600_000);
  const m = /([\d.]+) s\/epoch/.exec(torch.out);
  const torchSec = m ? Number(m[1]) : NaN;

  // The transposed matMul fix, on the shape of a dense gradient (64 × 256 by 256 × 256).
  const mm = matMulTimes();
  lines.push(
    '### Training speed: dense net, 10,000 × 57 rows, batch 64',
    '',
    `Seconds per epoch (median over epochs 2+), tfjs backend **${backend}** (single-threaded), against PyTorch ` +
      `(\`reference/torch_mlp.py\`, CPU, 2 threads) spawned by this bench right after. Load average when starting: ${load0}.`,
    '',
    '| net | Genrelab (tfjs) s/epoch | PyTorch s/epoch | ratio (tfjs / torch) | tfjs CPU s/epoch |',
    '| --- | --- | --- | --- | --- |',
    `| 57→256→256→10, dropout 0.1, Adam (torch_mlp.py's net) | ${f3(two.wall)} | ${f3(torchSec)} | ${f3(two.wall / torchSec)} | ${f3(two.cpu)} |`,
    `| 57→256→256→256→10 (Genrelab's default dense) | ${f3(three.wall)} | — | — | ${f3(three.cpu)} |`,
    '',
    torch.ok ? `PyTorch printed: \`${torch.out.trim()}\`.` : `PyTorch did not run: ${torch.out.trim().split('\n').pop()}`,
    '',
    `wasm matMul with a transposed operand (every dense gradient has one: dW = xᵀ·dy, 256×64 · 64×256), ms per call, best of 5 alternating rounds: ` +
      (mm ? `tfjs's kernel ${f3(mm.original)}, Genrelab's wrapper (explicit transpose, then plain matMul) ${f3(mm.wrapped)} — ${f1(mm.original / mm.wrapped)}× faster.` : 'not measured (backend is not wasm).'),
    '',
  );
}

function matMulTimes(): { original: number; wrapped: number } | null {
  const original = originalWasmKernel('BatchMatMul');
  if (tf.getBackend() !== 'wasm' || !original) return null;
  // dW = xᵀ·dy of a 256-unit layer on a batch of 64.
  const a = tf.randomNormal([1, 64, 256]);
  const b = tf.randomNormal([1, 64, 256]);
  const backend = tf.backend();
  const attrs = { transposeA: true, transposeB: false };
  const runOriginal = () => {
    const out = original({ inputs: { a, b }, backend, attrs }) as tf.TensorInfo;
    backend.disposeData(out.dataId);
  };
  const runWrapped = () => tf.matMul(a, b, true, false).dispose();
  const time = (fn: () => void) => {
    const t = performance.now();
    for (let i = 0; i < 20; i++) fn();
    return (performance.now() - t) / 20;
  };
  runOriginal();
  runWrapped();
  // Alternate the two and keep each one's best round, so a burst of load on the machine hits both alike.
  let o = Infinity;
  let w = Infinity;
  for (let round = 0; round < 5; round++) {
    o = Math.min(o, time(runOriginal));
    w = Math.min(w, time(runWrapped));
  }
  tf.dispose([a, b]);
  return { original: o, wrapped: w };
}

export default {
  title: 'Machine learning: genre classifiers (issue 4)',
  async run(): Promise<string> {
    const info = await initBackendInfo();
    const lines: string[] = [
      `Command: \`npm run bench -- ml\` (bench/ml.bench.ts). tfjs backend: **${info.name}**` +
        (info.name === 'wasm' ? ` (SIMD ${info.simd ? 'on' : 'off'}, threads ${info.threads ? 'on' : 'off'}); kernels added or replaced: ${info.addedKernels.join(', ')}` : '') +
        (info.skipped.length ? `; skipped: ${info.skipped.map((s) => `${s.backend} (${s.reason.split('\n')[0]})`).join(', ')}` : '') +
        '.',
      '',
    ];
    if (!existsSync(T30) || !existsSync(T3)) {
      lines.push(`The GTZAN tables are not in ${shared}/data; accuracy sections skipped.`, '');
    } else {
      await gtzan30(lines);
      await gtzan3(lines);
    }
    await speed(lines, info.name);
    return lines.join('\n');
  },
};
