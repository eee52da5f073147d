// `genrelab` — the command line over the same services as the app (headless, scriptable, JSON).
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, toErrorShape } from '../shared/errors';
import type { Evaluation, IngestSummary, MapRequest, RunExportKind, TrainRequest } from '../shared/types';
import { registry } from './engine/models';
import { datasetFromCsv, type Dataset } from './services/dataset';
import { predictFolder, predictTable } from './services/predict';
import { checkMapRequest, mapJson, pointsFromDataset, runMap } from './services/maps';
import { copyModel, exportRun, metricsJson, predictionsCsv, runTraining } from './services/training';
import { listProfiles } from './engine/features';
import { appRoot } from './jobs/pool';
import { Services, unwrap, VERSION } from './services';
import { featuresCsv } from './services/export';
import { checkProfile, featureSetFor } from './services/library';
import { checkModelRequirements } from './services/modelRequirements';
import { startBrowserServer } from './transport/server';
import { LOSS_FLAGS, LOSS_HELP, LOSS_USAGE, lossFromFlags, lossSummaryText } from './cli/trainLoss';
import { HYPER_USAGE, hyperCli } from './cli/hyperbolic';
import { cmdExplain, cmdTree, HIERARCHY_FLAGS, HIERARCHY_TRAIN_HELP, HIERARCHY_TRAIN_USAGE, HIERARCHY_USAGE, hierarchyTrainParams } from './cli/hierarchy';
import { cmdProbe, PROBE_FLAGS, PROBE_USAGE } from './cli/probe';
import { cmdDream, DREAM_FLAGS, DREAM_USAGE } from './cli/dream';
import { cmdPlace, landingText, placeFolder, placementJson, PLACE_FLAGS, PLACE_USAGE } from './cli/place';
import { follow } from './cli/common';

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Options that take a value; everything else starting with -- is a boolean flag. */
const VALUED = new Set([
  '--db', '--out', '--port', '--profile', '--segments', '--workers', '--clips', '--seconds', '--data-dir',
  '--features', '--model', '--cv', '--test-split', '--seed', '--params', '--group-by', '--name',
  '--method', '--dims', '--perplexity', '--iterations', '--neighbours', '--min-dist', '--map', '--k', '--seeds', '--space',
  ...LOSS_FLAGS,
  ...HIERARCHY_FLAGS,
  ...PROBE_FLAGS,
  ...DREAM_FLAGS,
  ...PLACE_FLAGS,
]);
/** Flags that take a value in some commands and none in others (train --segments). */
const OPTIONAL_VALUE = new Set(['--segments']);

export function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (OPTIONAL_VALUE.has(name) && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--') || !/^\d+$/.test(argv[i + 1]!))) {
        flags.set(name, true);
      } else if (VALUED.has(name)) {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw new AppError('bad-request', `${name} needs a value`);
        flags.set(name, v);
        i++;
      } else flags.set(name, true);
    } else if (a === '-h') flags.set('--help', true);
    else positional.push(a);
  }
  return { positional, flags };
}

const USAGE = `genrelab ${VERSION} — a workbench for music-genre research

Usage:
  genrelab analyze <folder> [--db FILE] [--profile gtzan57|meyda|logmel] [--segments 3] [--workers N]
                            [--out features.csv] [--json]
      Ingest a folder (decode, extract features, store them) and optionally write a feature table
      (filename,length,<columns>,label; with --segments 3, one row per 3-second segment).
  genrelab demo <folder> [--db FILE] [--clips 4] [--seconds 10] [--json]
      Synthesise a small multi-style demo library into <folder> (synthetic audio) and ingest it.
  genrelab import-features <table.csv> [--db FILE] [--json]
      Load a feature table (e.g. the published GTZAN table) into the store; its tracks have no audio.
  genrelab serve [--port P] [--db FILE]
      Start browser mode on 127.0.0.1 and print its URL (with the per-launch token).
  genrelab train (--features <table.csv> | --db FILE) --model dense|knn|tree|kernel|ensemble|stacknet|tier-gru|per-node|graphsage
                 [--cv 10 | --test-split 0.2] [--segments] [--seed N] [--params JSON]
                 [--group-by track|folder] [--profile P] --out <dir> [--json]
${LOSS_USAGE}
${HIERARCHY_TRAIN_USAGE}
      Train and evaluate a classifier; writes metrics.json, confusion.png/.svg/.csv, predictions.csv
      and the trained model (model/) into <dir>. --segments trains on 3-second segments.
${LOSS_HELP}
${HIERARCHY_TRAIN_HELP}
  genrelab predict --model <dir> <folder | table.csv> --out predictions.csv [--json]
      Predict genres with a saved model, from audio (features extracted as the model needs) or a table.
  genrelab map (--features <table.csv> | --db FILE [--run N]) --method tsne|umap|pca [--dims 3] [--perplexity 30]
               [--iterations 1000] [--neighbours 15] [--min-dist 0.1] [--seed N] [--segments] [--place <folder>]
               --out map.json [--json]
      Project tracks to 2-D/3-D; writes points in input order, labels, file names and trustworthiness@10.
      --run maps a stored run's hidden layer (its embedding) instead of the features; the map is stored in
      --db. --place then places a second folder into it (see place) and adds "placement" to map.json.
  genrelab cluster (--map map.json | --features <table.csv>) [--k 2..12] [--seeds 5] --out clusters.json [--json]
      K-means and GMM for each k: silhouette, Calinski–Harabasz, Davies–Bouldin, Hungarian-matched accuracy.
${HYPER_USAGE}
${HIERARCHY_USAGE}
${PLACE_USAGE}
${PROBE_USAGE}
${DREAM_USAGE}
  genrelab profiles [--json]        List the feature profiles.
  genrelab --version | --help

Data: ${'$'}GENRELAB_DATA_DIR, else the app's user-data folder (~/.config/Genrelab on Linux);
the database is genrelab.sqlite there unless --db says otherwise.`;

function intFlag(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min || n > max) {
    throw new AppError('bad-request', `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function strFlag(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  if (v === true) throw new AppError('bad-request', `${name} needs a value`);
  return v;
}

function printSummary(s: IngestSummary, json: boolean): void {
  if (json) {
    const out = {
      tracks: s.tracks,
      extracted: s.extracted,
      unchanged: s.unchanged,
      failed: s.failed,
      seconds: Number(s.seconds.toFixed(3)),
      backend: s.backend,
      profile: s.profile,
      workers: s.workers,
      cancelled: s.cancelled,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  const lines = [
    `${s.tracks} audio files: ${s.extracted} extracted, ${s.unchanged} unchanged, ${s.failed.length} failed ` +
      `(${s.seconds.toFixed(1)} s, ${s.workers} workers, profile ${s.profile})`,
    ...s.failed.map((f) => `  failed: ${f.path} — ${f.reason}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function withServices<T>(p: Parsed, fn: (s: Services) => Promise<T>): Promise<T> {
  const workers = intFlag(p, '--workers', 1, 64);
  const dbArg = strFlag(p, '--db');
  const dataDir = strFlag(p, '--data-dir');
  const services = new Services({
    dbPath: dbArg ? resolve(dbArg) : undefined,
    dataDir: dataDir ? resolve(dataDir) : undefined,
    workers,
    transport: 'browser',
  });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

async function cmdAnalyze(p: Parsed): Promise<number> {
  const folder = p.positional[1];
  if (!folder) throw new AppError('bad-request', 'analyze needs a folder: genrelab analyze <folder>');
  const json = p.flags.has('--json');
  const profileName = strFlag(p, '--profile');
  if (profileName) checkProfile(profileName); // fails early with the list of profiles
  const segments = intFlag(p, '--segments', 3, 3);
  const out = strFlag(p, '--out');
  return withServices(p, async (services) => {
    const { jobId, folderId, done } = await services.startIngest(folder, profileName);
    const summary = await follow(services, jobId, done, json);
    if (out) {
      const setId = featureSetFor(services.store, summary.profile);
      const { csv, rows } = featuresCsv(services.store, { setId, folderId, segments: segments === 3 });
      await writeFile(resolve(out), csv);
      if (!json) process.stdout.write(`wrote ${rows} rows to ${resolve(out)}\n`);
    }
    printSummary(summary, json);
    return 0;
  });
}

async function cmdDemo(p: Parsed): Promise<number> {
  const folder = p.positional[1];
  if (!folder) throw new AppError('bad-request', 'demo needs a folder to write into: genrelab demo <folder>');
  const json = p.flags.has('--json');
  const clips = intFlag(p, '--clips', 1, 50);
  const seconds = intFlag(p, '--seconds', 1, 60);
  return withServices(p, async (services) => {
    const { jobId, path, done } = services.startDemo(folder, clips, seconds);
    const summary = await follow(services, jobId, done, json);
    if (!json) process.stdout.write(`demo library (synthetic audio) written to ${path}\n`);
    printSummary(summary, json);
    return 0;
  });
}

async function cmdImport(p: Parsed): Promise<number> {
  const file = p.positional[1];
  if (!file) throw new AppError('bad-request', 'import-features needs a table: genrelab import-features table.csv');
  const json = p.flags.has('--json');
  return withServices(p, async (services) => {
    const r = await services.handlers['library.importTable']({ path: file });
    if (json) process.stdout.write(JSON.stringify(r) + '\n');
    else {
      process.stdout.write(
        `imported ${r.tracks} tracks${r.segments ? ` (${r.segments} segments)` : ''} × ${r.columns} columns as profile ${r.profile}; ` +
          `they have no audio\n`,
      );
      for (const s of r.skipped.slice(0, 20)) process.stdout.write(`  skipped row ${s.row}: ${s.reason}\n`);
      if (r.skipped.length > 20) process.stdout.write(`  … and ${r.skipped.length - 20} more skipped rows\n`);
    }
    return 0;
  });
}

function floatFlag(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n <= min || n >= max) throw new AppError('bad-request', `${name} must be a number between ${min} and ${max}`);
  return n;
}

async function cmdTrain(p: Parsed): Promise<number> {
  const json = p.flags.has('--json');
  const model = strFlag(p, '--model');
  if (!model) throw new AppError('bad-request', `train needs --model (${registry.list().map((m) => m.name).join(', ')})`);
  registry.get(model);
  const out = strFlag(p, '--out');
  if (!out) throw new AppError('bad-request', 'train needs --out <dir>');
  const table = strFlag(p, '--features');
  if (!table && !p.flags.has('--db')) throw new AppError('bad-request', 'train needs --features <table.csv> or --db FILE');
  const cv = intFlag(p, '--cv', 2, 100);
  const split = floatFlag(p, '--test-split', 0, 1);
  if (cv !== undefined && split !== undefined) throw new AppError('bad-request', 'use --cv or --test-split, not both');
  const evaluation: Evaluation = split !== undefined ? { kind: 'holdout', testFraction: split } : { kind: 'cv', folds: cv ?? 10 };
  const seed = intFlag(p, '--seed', 0, 2 ** 31 - 1);
  const segments = p.flags.has('--segments');
  const groupBy = strFlag(p, '--group-by') as 'track' | 'folder' | undefined;
  if (groupBy && groupBy !== 'track' && groupBy !== 'folder') throw new AppError('bad-request', '--group-by is track or folder');
  let params: Record<string, unknown> | undefined;
  const paramText = strFlag(p, '--params');
  if (paramText) {
    try {
      params = JSON.parse(paramText) as Record<string, unknown>;
    } catch {
      throw new AppError('bad-request', '--params must be a JSON object, e.g. \'{"k":7}\'');
    }
  }
  params = hierarchyTrainParams(p.flags, model, params);
  const outDir = resolve(out);
  const loss = await lossFromFlags(p.flags);
  return withServices(p, async (services) => {
    const req: TrainRequest = checkModelRequirements({ model, evaluation, seed, segments, groupBy, params, profile: strFlag(p, '--profile'), name: strFlag(p, '--name'), loss });
    let dataset: Dataset | undefined;
    if (table) {
      const text = await readFile(resolve(table), 'utf8').catch(() => {
        throw new AppError('not-found', `No such table: ${resolve(table)}`);
      });
      dataset = datasetFromCsv(text, { segments, source: table });
      // A table with a profile's exact columns (e.g. the GTZAN table = gtzan57) trains a model that can
      // later predict from audio with that profile.
      const cols = dataset.columns;
      const match = listProfiles().find((q) => q.columns.length === cols.length && q.columns.every((c, i) => c === cols[i]));
      req.profile = req.profile ?? match?.name ?? 'table';
    }
    const { jobId, done } = services.jobs.start('train', (ctx) =>
      runTraining({ store: services.store, runs: services.runs, pool: services.pool, dataDir: services.dataDir }, req, ctx, dataset),
    );
    const outcome = await follow(services, jobId, unwrap(done), json);
    const run = services.runs.get(outcome.runId)!;
    const preds = services.runs.predictions(outcome.runId);
    await mkdir(outDir, { recursive: true });
    const files: [string, RunExportKind][] = [
      ['metrics.json', 'metrics.json'],
      ['confusion.png', 'confusion.png'],
      ['confusion.svg', 'confusion.svg'],
      ['confusion.csv', 'confusion.csv'],
      ['predictions.csv', 'predictions.csv'],
    ];
    for (const [name, kind] of files) {
      const f = exportRun(run, preds, kind);
      await writeFile(join(outDir, name), f.encoding === 'base64' ? Buffer.from(f.data, 'base64') : f.data);
    }
    if (outcome.modelDir) await copyModel(outcome.modelDir, join(outDir, 'model'));
    const metrics = metricsJson(run);
    if (json) process.stdout.write(JSON.stringify(metrics) + '\n');
    else {
      const m = run.metrics;
      process.stdout.write(
        `${run.modelLabel}, ${run.evaluation}: accuracy ${(m.accuracy * 100).toFixed(1)} %, macro-F1 ${m.macroF1.toFixed(3)} ` +
          `(${m.n} ${m.unit}s${m.trackLevel ? `; track level ${(m.trackLevel.accuracy * 100).toFixed(1)} %` : ''}; ` +
          `${m.seconds.toFixed(1)} s on ${m.backend})\n` +
          m.warnings.map((w) => `  warning: ${w}\n`).join('') +
          lossSummaryText(m) +
          `wrote ${outDir} (run #${run.id})\n`,
      );
    }
    return 0;
  });
}

async function cmdPredict(p: Parsed): Promise<number> {
  const json = p.flags.has('--json');
  const modelDir = strFlag(p, '--model');
  const input = p.positional[1];
  const out = strFlag(p, '--out');
  if (!modelDir || !input) throw new AppError('bad-request', 'predict needs --model <dir> and a folder or table: genrelab predict --model DIR <folder|table.csv> --out predictions.csv');
  return withServices(p, async (services) => {
    const abs = resolve(input);
    const isTable = /\.csv$/i.test(abs) && (await stat(abs).then((s) => s.isFile(), () => false));
    const r = isTable ? await predictTable(resolve(modelDir), abs) : await predictFolder(resolve(modelDir), abs, services.pool);
    const csv = predictionsCsv(r.labels, r.predictions);
    if (out) await writeFile(resolve(out), csv);
    if (json) process.stdout.write(JSON.stringify({ predictions: r.predictions.length, failed: r.failed, backend: r.backend, out: out ? resolve(out) : null }) + '\n');
    else {
      if (!out) process.stdout.write(csv);
      else process.stdout.write(`wrote ${r.predictions.length} predictions to ${resolve(out)} (${r.backend})\n`);
      for (const f of r.failed) process.stderr.write(`  failed: ${f.path} — ${f.reason}\n`);
    }
    return 0;
  });
}

async function cmdMap(p: Parsed): Promise<number> {
  const json = p.flags.has('--json');
  const out = strFlag(p, '--out');
  if (!out) throw new AppError('bad-request', 'map needs --out map.json');
  const method = (strFlag(p, '--method') ?? 'tsne') as MapRequest['method'];
  const dims = (intFlag(p, '--dims', 2, 3) ?? 3) as 2 | 3;
  const req: MapRequest = {
    source: p.flags.has('--run')
      ? { kind: 'run', runId: intFlag(p, '--run', 1, 2 ** 31 - 1)! }
      : { kind: 'features', segments: p.flags.has('--segments'), profile: strFlag(p, '--profile') },
    method,
    dims,
    perplexity: p.flags.has('--perplexity') ? Number(strFlag(p, '--perplexity')) : undefined,
    iterations: intFlag(p, '--iterations', 1, 100000),
    neighbours: intFlag(p, '--neighbours', 1, 1000),
    minDist: p.flags.has('--min-dist') ? Number(strFlag(p, '--min-dist')) : undefined,
    seed: intFlag(p, '--seed', 0, 2 ** 31 - 1),
  };
  checkMapRequest(req);
  const table = strFlag(p, '--features');
  if (!table && !p.flags.has('--db')) throw new AppError('bad-request', 'map needs --features <table.csv> or --db FILE');
  if (p.flags.has('--model')) throw new AppError('bad-request', 'map a trained model’s hidden layer with --run N --db FILE (the stored run)');
  if (p.flags.has('--run') && table) throw new AppError('bad-request', '--run maps a stored run of --db; it cannot be combined with --features');
  const placeDir = strFlag(p, '--place');
  if (placeDir && table) throw new AppError('bad-request', '--place needs a map of the library (--db FILE): a map of a feature table cannot have tracks placed into it');
  if (placeDir && !(await stat(resolve(placeDir)).then((st) => st.isDirectory(), () => false))) throw new AppError('not-found', `No such folder to place: ${resolve(placeDir)}`);
  return withServices(p, async (services) => {
    const points = table ? pointsFromDataset(await readTable(table, p.flags.has('--segments')), `table ${table}`) : undefined;
    const deps = { store: services.store, maps: services.maps, runs: services.runs, pool: services.pool };
    const { jobId, done } = services.jobs.start('map', (ctx) => runMap(deps, req, ctx, points));
    const { mapId } = await follow(services, jobId, unwrap(done), json);
    const detail = services.maps.get(mapId)!;
    const doc = mapJson(detail);
    const placement = placeDir ? await placeFolder(services, mapId, placeDir, intFlag(p, '--k', 1, 1000), json) : null;
    if (placement) doc.placement = placementJson(placement);
    await writeFile(resolve(out), JSON.stringify(doc));
    const summary = {
      mapId,
      n: detail.n,
      method: detail.method,
      dims: detail.dims,
      trustworthiness: detail.trustworthiness,
      seconds: detail.seconds,
      warnings: detail.warnings,
      placement: placement ? { n: placement.n, method: placement.method, landing: placement.landing } : null,
      out: resolve(out),
    };
    if (json) process.stdout.write(JSON.stringify(summary) + '\n');
    else {
      process.stdout.write(
        `${detail.name}: ${detail.n} points, trustworthiness@10 ${detail.trustworthiness?.toFixed(4) ?? 'n/a'}, ${detail.seconds.toFixed(1)} s → ${resolve(out)} (map #${mapId})\n` +
          detail.warnings.map((w) => `  warning: ${w}\n`).join('') +
          (placement ? `${placement.name}: ${placement.n} tracks placed (${placement.method}); nearest training genre:\n${landingText(placement)}` : ''),
      );
    }
    return 0;
  });
}

async function readTable(file: string, segments: boolean): Promise<Dataset> {
  const text = await readFile(resolve(file), 'utf8').catch(() => {
    throw new AppError('not-found', `No such table: ${resolve(file)}`);
  });
  return datasetFromCsv(text, { segments, source: file });
}

async function cmdCluster(p: Parsed): Promise<number> {
  const json = p.flags.has('--json');
  const out = strFlag(p, '--out');
  if (!out) throw new AppError('bad-request', 'cluster needs --out clusters.json');
  const kText = strFlag(p, '--k') ?? '2..12';
  const km = /^(\d+)(?:\.\.(\d+))?$/.exec(kText);
  if (!km) throw new AppError('bad-request', '--k is a range like 2..12 (or one number)');
  const kMin = Number(km[1]);
  const kMax = Number(km[2] ?? km[1]);
  if (kMin < 2 || kMax < kMin || kMax > 50) throw new AppError('bad-request', '--k must satisfy 2 ≤ kMin ≤ kMax ≤ 50');
  const seeds = intFlag(p, '--seeds', 1, 20) ?? 5;
  const mapFile = strFlag(p, '--map');
  const table = strFlag(p, '--features');
  if (!mapFile === !table) throw new AppError('bad-request', 'cluster needs --map map.json or --features <table.csv>');
  let X: Float64Array;
  let n: number;
  let d: number;
  let labels: string[];
  if (mapFile) {
    const doc = JSON.parse(await readFile(resolve(mapFile), 'utf8').catch(() => {
      throw new AppError('not-found', `No such map: ${resolve(mapFile)}`);
    })) as { points: number[][]; labels: string[] };
    if (!Array.isArray(doc.points) || doc.points.length === 0) throw new AppError('bad-request', `${mapFile} has no points`);
    n = doc.points.length;
    d = doc.points[0]!.length;
    X = Float64Array.from(doc.points.flat());
    labels = doc.labels ?? [];
  } else {
    const ps = pointsFromDataset(await readTable(table!, p.flags.has('--segments')), table!);
    ({ X, n, d } = ps);
    labels = ps.meta.map((m) => m.label);
  }
  const classes = [...new Set(labels)].sort();
  const trueLabels = labels.length === n ? Int32Array.from(labels, (l) => classes.indexOf(l)) : null;
  return withServices(p, async (services) => {
    const { jobId, done } = services.jobs.start('cluster', (ctx) =>
      services.pool.run('cluster', { X, n, d, kMin, kMax, seeds, trueLabels, space: mapFile ? 'map' : 'features' }, ctx.signal, (q) =>
        ctx.progress(q.done, q.total, `clustering ${q.done}/${q.total}`),
      ),
    );
    const sweep = await follow(services, jobId, unwrap(done), json);
    const doc = {
      space: sweep.space,
      seeds: sweep.seeds,
      bestK: sweep.bestK,
      bestMethod: sweep.bestMethod,
      classes,
      perK: sweep.cells.map(({ labels: _l, ...rest }) => rest),
    };
    await writeFile(resolve(out), JSON.stringify(doc, null, 2));
    if (json) process.stdout.write(JSON.stringify(doc) + '\n');
    else {
      process.stdout.write(`best k ${sweep.bestK} (${sweep.bestMethod}, by silhouette) → ${resolve(out)}\n`);
      for (const c of sweep.cells) {
        process.stdout.write(
          `  k=${String(c.k).padStart(2)} ${c.method.padEnd(8)} silhouette ${c.silhouette.mean.toFixed(3)}  CH ${c.calinskiHarabasz.mean.toFixed(1)}  DB ${c.daviesBouldin.mean.toFixed(3)}` +
            (c.accuracy ? `  Hungarian acc ${c.accuracy.mean.toFixed(3)} ± ${c.accuracy.sd.toFixed(3)}` : '') + '\n',
        );
      }
    }
    return 0;
  });
}

async function cmdServe(p: Parsed): Promise<number> {
  const port = intFlag(p, '--port', 0, 65535) ?? 0;
  const workers = intFlag(p, '--workers', 1, 64);
  const dbArg = strFlag(p, '--db');
  const services = new Services({ dbPath: dbArg ? resolve(dbArg) : undefined, workers, transport: 'browser' });
  // A long-running server logs a stray rejection instead of dying with the user's work on screen.
  process.on('unhandledRejection', (err) => process.stderr.write(`genrelab: unhandled rejection: ${String((err as Error)?.stack ?? err)}\n`));
  const server = await startBrowserServer(services, { port, rendererDir: join(appRoot(), 'out', 'renderer') });
  process.stdout.write(`Genrelab is serving at ${server.url}\n`);
  process.stdout.write(`(browser mode; database ${services.dbPath}; Ctrl-C to stop)\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await services.close();
  return 0;
}

async function cmdProfiles(p: Parsed): Promise<number> {
  const list = listProfiles().map((x) => ({ name: x.name, description: x.description, columns: x.columns.length }));
  if (p.flags.has('--json')) process.stdout.write(JSON.stringify(list) + '\n');
  else for (const x of list) process.stdout.write(`${x.name.padEnd(10)} ${String(x.columns).padStart(3)} columns  ${x.description}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`genrelab: ${toErrorShape(err).message}\n`);
    return 2;
  }
  const cmd = p.positional[0];
  if (p.flags.has('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (!cmd || p.flags.has('--help') || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd || p.flags.has('--help') ? 0 : 2;
  }
  try {
    switch (cmd) {
      case 'analyze':
        return await cmdAnalyze(p);
      case 'demo':
        return await cmdDemo(p);
      case 'serve':
        return await cmdServe(p);
      case 'import-features':
        return await cmdImport(p);
      case 'train':
        return await cmdTrain(p);
      case 'predict':
        return await cmdPredict(p);
      case 'map':
        return await cmdMap(p);
      case 'cluster':
        return await cmdCluster(p);
      case 'tree':
        return await cmdTree(p.flags);
      case 'explain':
        return await cmdExplain(p.positional, p.flags);
      case 'poincare':
      case 'parents':
      case 'neighbours':
      case 'evaluate-parents':
        return await hyperCli(cmd, argv);
      case 'probe':
        return await cmdProbe(p.flags);
      case 'dream':
        return await cmdDream(p.flags);
      case 'place':
        return await withServices(p, (services) => cmdPlace(services, p.positional, p.flags));
      case 'profiles':
        return await cmdProfiles(p);
      default:
        process.stderr.write(`genrelab: unknown command "${cmd}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    const e = toErrorShape(err);
    if (p.flags.has('--json')) process.stdout.write(JSON.stringify({ error: e }) + '\n');
    process.stderr.write(`genrelab: ${e.message}\n`);
    return e.kind === 'internal' ? 1 : 2;
  }
}

// Run directly (`tsx src/main/cli.ts …`); bin/genrelab.js imports this module and calls main().
const isEntry = /(^|[\\/])cli\.(ts|js)$/.test(process.argv[1] ?? '');
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`genrelab: ${String(err?.stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
