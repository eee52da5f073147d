// The command line of the hierarchical and graph models: `train` flags mapped onto their parameters
// (--linkage, --metric, --tiers, --k-neighbours, --graph-metric, --reduce, --select-features),
// `genrelab tree` (a dendrogram of a feature table) and `genrelab explain` (Shapley attributions of a
// saved model's predictions on a table).
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { parseCsv } from '../engine/features/csv';
import { TIER_SCHEMES } from '../engine/hierarchy/ihct';
import { treeFromTable } from '../engine/hierarchy/tree-params';
import { resolveParams, readManifest } from '../engine/ml/manifest';
import { registry } from '../engine/models';
import { explainTask } from '../jobs/hierarchy';
import { datasetFromCsv } from '../services/dataset';
import { checkLinkage, explainPayload } from '../services/hierarchy';
import { readTrainingInfo } from '../services/predict';
import { flagValue } from './common';

type Flags = Map<string, string | true>;

export const HIERARCHY_FLAGS = ['--linkage', '--metric', '--tiers', '--k-neighbours', '--graph-metric', '--reduce', '--select-features', '--rows', '--background', '--samples'] as const;

export const HIERARCHY_TRAIN_USAGE = `                 [--linkage ward --metric euclidean --tiers pow2|halving|2,4,8] [--k-neighbours 10]
                 [--graph-metric euclidean|cosine|manhattan|jaccard] [--reduce none|pca|tsne] [--select-features N|auto]`;

export const HIERARCHY_TRAIN_HELP = `      The genre-tree flags go to stacknet, tier-gru and per-node (for per-node --linkage also makes the
      super-genres a cut of the tree), the graph flags to graphsage (--k-neighbours also to knn).`;

export const HIERARCHY_USAGE = `  genrelab tree --features <table.csv> [--linkage ward] [--metric euclidean] [--group-by label|<genre column>]
                [--tiers pow2|halving|2,4,8] --out tree.json [--json]
      The genre tree of a table: per-genre rows (e.g. Spotify's data_by_genres.csv, column genres)
      are standardised and clustered; track rows give the genre means of standardised tracks. Writes
      {"labels","merges":[[a,b,height,size],…],"linkage","metric","order"} (scipy's linkage matrix).
  genrelab explain --model <dir> <table.csv> [--rows 50] [--background 16] [--samples 1024] [--seed 0]
                   --out shap.json [--json]
      Kernel SHAP attributions of a saved model on --rows rows of the table (stratified by label),
      against --background rows of it: φ per feature and class for each row, and per class the
      mean |φ| of every feature.`;


function int(flags: Flags, name: string, min: number, max: number): number | undefined {
  const v = flagValue(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new AppError('bad-request', `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

interface FlagMap {
  flag: string;
  /** The parameter the flag sets for this model (null: the flag does not apply to it). */
  key(model: string, keys: Set<string>): string | null;
  value(text: string): unknown;
}

const treeModel = (keys: Set<string>) => keys.has('linkage');
const FLAG_PARAMS: FlagMap[] = [
  { flag: '--linkage', key: (_, k) => (treeModel(k) ? 'linkage' : null), value: (v) => v },
  { flag: '--metric', key: (_, k) => (treeModel(k) ? 'metric' : null), value: (v) => v },
  { flag: '--tiers', key: (_, k) => (k.has('tiers') ? 'tiers' : null), value: (v) => v },
  { flag: '--k-neighbours', key: (m, k) => ((m === 'graphsage' || m === 'knn') && k.has('k') ? 'k' : null), value: Number },
  { flag: '--graph-metric', key: (m) => (m === 'graphsage' ? 'metric' : null), value: (v) => v },
  { flag: '--reduce', key: (_, k) => (k.has('reduce') ? 'reduce' : null), value: (v) => v },
  { flag: '--select-features', key: (_, k) => (k.has('selectFeatures') ? 'selectFeatures' : null), value: (v) => (v === 'auto' ? -1 : Number(v)) },
];

/**
 * `train` flags mapped onto the model's parameters, over (and overriding) --params. A flag that does
 * not apply to the model is an error; values are checked against the model's schema here, before
 * any job starts.
 */
export function hierarchyTrainParams(flags: Flags, model: string, params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const spec = registry.get(model);
  const keys = new Set(spec.params.map((p) => p.key));
  const out: Record<string, unknown> = { ...(params ?? {}) };
  let touched = false;
  for (const m of FLAG_PARAMS) {
    const text = flagValue(flags, m.flag);
    if (text === undefined) continue;
    const key = m.key(model, keys);
    if (!key) throw new AppError('bad-request', `${m.flag} does not apply to ${model}`);
    touched = true;
    if (m.flag === '--tiers' && !(TIER_SCHEMES as readonly string[]).includes(text)) {
      const list = text.split(',').map((x) => Number(x.trim()));
      if (list.length === 0 || list.some((x) => !Number.isInteger(x) || x < 2)) throw new AppError('bad-request', '--tiers is pow2, halving or a list of tier sizes like 2,4,8');
      out.tiers = 'custom';
      out.customTiers = list;
      continue;
    }
    if (m.flag === '--select-features' && text !== 'auto' && !/^\d+$/.test(text)) throw new AppError('bad-request', '--select-features is a number of features or auto');
    out[key] = m.value(text);
    if (m.flag === '--linkage' && model === 'per-node' && params?.superMethod === undefined) out.superMethod = 'linkage';
  }
  if (!touched) return params;
  resolveParams(model, spec.params, out);
  return out;
}

/** `genrelab tree`: the dendrogram of a feature table, written as JSON. */
export async function cmdTree(flags: Flags): Promise<number> {
  const json = flags.has('--json');
  const table = flagValue(flags, '--features');
  const out = flagValue(flags, '--out');
  if (!table) throw new AppError('bad-request', 'tree needs --features <table.csv>');
  if (!out) throw new AppError('bad-request', 'tree needs --out tree.json');
  const { linkage, metric } = checkLinkage(flagValue(flags, '--linkage') ?? 'ward', flagValue(flags, '--metric') ?? 'euclidean');
  const tiersText = flagValue(flags, '--tiers');
  let tiers: { tiers?: 'pow2' | 'halving' | 'custom'; customTiers?: number[] } = {};
  if (tiersText) {
    const t = hierarchyTrainParams(new Map([['--tiers', tiersText]]), 'stacknet', {})!;
    tiers = { tiers: t.tiers as 'pow2' | 'halving' | 'custom', customTiers: t.customTiers as number[] | undefined };
  }
  const text = await readFile(resolve(table), 'utf8').catch(() => {
    throw new AppError('not-found', `No such table: ${resolve(table)}`);
  });
  const t0 = performance.now();
  const doc = treeFromTable(parseCsv(text), { labelColumn: flagValue(flags, '--group-by'), linkage, metric, ...tiers });
  const seconds = (performance.now() - t0) / 1000;
  await writeFile(resolve(out), JSON.stringify(doc));
  const summary = { leaves: doc.labels.length, linkage, metric, height: doc.merges[doc.merges.length - 1]?.[2] ?? 0, seconds, out: resolve(out) };
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(`${doc.labels.length} leaves, ${linkage} linkage (${metric}), root height ${summary.height.toFixed(4)}, ${seconds.toFixed(2)} s → ${summary.out}\n`);
  return 0;
}

/** `genrelab explain`: Kernel SHAP attributions of a saved model on rows of a table. */
export async function cmdExplain(positional: string[], flags: Flags): Promise<number> {
  const json = flags.has('--json');
  const modelDir = flagValue(flags, '--model');
  const table = positional[1];
  const out = flagValue(flags, '--out');
  if (!modelDir || !table) throw new AppError('bad-request', 'explain needs --model <dir> and a table: genrelab explain --model DIR table.csv --out shap.json');
  if (!out) throw new AppError('bad-request', 'explain needs --out shap.json');
  const rows = int(flags, '--rows', 1, 100000) ?? 50;
  const background = int(flags, '--background', 1, 1000) ?? 16;
  const samples = int(flags, '--samples', 16, 1000000) ?? 1024;
  const seed = int(flags, '--seed', 0, 2 ** 31 - 1) ?? 0;
  const dir = resolve(modelDir);
  const manifest = await readManifest(dir);
  const info = await readTrainingInfo(dir);
  const text = await readFile(resolve(table), 'utf8').catch(() => {
    throw new AppError('not-found', `No such table: ${resolve(table)}`);
  });
  const ds = datasetFromCsv(text, { segments: info.segments, source: table, allowUnlabelled: true });
  const payload = explainPayload(ds, manifest, dir, { rows, background, samples, seed });
  const tty = !json && process.stderr.isTTY === true;
  const res = await explainTask(payload, {
    progress: (p) => {
      const q = p as { done: number; total: number };
      if (tty) process.stderr.write(`\rexplained ${q.done} of ${q.total} rows`);
    },
  });
  if (tty) process.stderr.write('\n');
  const K = res.labels.length;
  const top = (c: number) => res.global!.order[c]!.slice(0, 10).map((i) => res.features[i]!);
  const doc = {
    model: manifest.kind,
    labels: res.labels,
    features: res.features,
    method: 'kernel-shap',
    background: payload.backgroundRows,
    coalitions: res.coalitions,
    seed,
    rows: res.attributions,
    global: res.global
      ? {
          rows: res.global.rows,
          meanAbs: Object.fromEntries(res.labels.map((l, c) => [l, Object.fromEntries(res.features.map((f, i) => [f, res.global!.meanAbs[c]![i]!]))])),
          top: Object.fromEntries(res.labels.map((l, c) => [l, top(c)])),
        }
      : null,
    seconds: res.seconds,
  };
  await writeFile(resolve(out), JSON.stringify(doc));
  const summary = { rows: res.attributions.length, classes: K, features: res.features.length, background: payload.backgroundRows, coalitions: res.coalitions, seconds: res.seconds, out: resolve(out) };
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    process.stdout.write(`explained ${summary.rows} rows (${summary.coalitions} coalitions × ${summary.background} background rows each, ${res.seconds.toFixed(1)} s) → ${summary.out}\n`);
    res.labels.forEach((l, c) => process.stdout.write(`  ${l}: ${top(c).slice(0, 5).join(', ')}\n`));
  }
  return 0;
}
