// Worker tasks of the hierarchical models' views: building a dendrogram (Tree view) and explaining a
// saved model's predictions with Shapley values (the run panel's "Why?" section, `genrelab explain`).
import { readFile } from 'node:fs/promises';
import type { GlobalAttribution, RowAttribution, TreeDoc } from '../../shared/types';
import { parseCsv } from '../engine/features/csv';
import { explainRows, globalAttributionJSON, meanAttribution, rowAttributionJSON } from '../engine/hierarchy/explain';
import type { LinkageMethod, LinkageMetric } from '../engine/hierarchy/linkage';
import { treeFromLabelledRows, treeFromTable } from '../engine/hierarchy/tree-params';
import { initBackend } from '../engine/ml/backend';
import { readManifest } from '../engine/ml/manifest';
import { registry } from '../engine/models';
import type { Matrix } from '../engine/ml/types';
import type { TaskContext } from './tasks';

export type TreePayload =
  | { kind: 'rows'; X: Float32Array | Float64Array; rows: number; cols: number; rowLabels: string[]; linkage: LinkageMethod; metric: LinkageMetric }
  | { kind: 'table'; path: string; groupBy?: string; linkage: LinkageMethod; metric: LinkageMetric };

export interface TreeTaskResult {
  tree: TreeDoc;
  rows: number;
  seconds: number;
}

export async function treeTask(p: TreePayload): Promise<TreeTaskResult> {
  const t0 = performance.now();
  if (p.kind === 'rows') {
    const tree = treeFromLabelledRows({ data: p.X, rows: p.rows, cols: p.cols }, p.rowLabels, { linkage: p.linkage, metric: p.metric });
    return { tree, rows: p.rows, seconds: (performance.now() - t0) / 1000 };
  }
  const rows = parseCsv(await readFile(p.path, 'utf8'));
  const tree = treeFromTable(rows, { labelColumn: p.groupBy, linkage: p.linkage, metric: p.metric });
  return { tree, rows: Math.max(0, rows.length - 1), seconds: (performance.now() - t0) / 1000 };
}

export interface ExplainPayload {
  modelDir: string;
  /** Rows to explain (rows × cols, the model's columns in its order). */
  X: Float32Array;
  rows: number;
  cols: number;
  /** Group of each row (a track: its segments are averaged), with its name and true label. */
  group: Int32Array;
  groups: Array<{ name: string; label: string }>;
  background: Float32Array;
  backgroundRows: number;
  samples: number;
  seed: number;
  /** Also summarise every explained row per class. */
  global: boolean;
}

export interface ExplainResult {
  features: string[];
  labels: string[];
  /** One per group. */
  attributions: RowAttribution[];
  /** Rows averaged into each group. */
  segments: number[];
  global: GlobalAttribution | null;
  coalitions: number;
  seconds: number;
}

export async function explainTask(p: ExplainPayload, ctx: TaskContext): Promise<ExplainResult> {
  const t0 = performance.now();
  const manifest = await readManifest(p.modelDir);
  if (registry.get(manifest.kind).usesTensors) await initBackend();
  const model = await registry.load(p.modelDir);
  try {
    const X = { data: p.X, rows: p.rows, cols: p.cols };
    const bg = { data: p.background, rows: p.backgroundRows, cols: p.cols };
    const predict = (m: Matrix) => model.predictProba(m);
    ctx.progress({ done: 0, total: p.rows });
    const list = explainRows(predict, X, Int32Array.from({ length: p.rows }, (_, i) => i), bg, {
      samples: p.samples,
      seed: p.seed,
      onRow: (done, total) => ctx.progress({ done, total }),
    });
    const features = manifest.columns ?? Array.from({ length: p.cols }, (_, j) => `feature ${j + 1}`);
    const labels = [...model.labels];
    const attributions: RowAttribution[] = [];
    const segments: number[] = [];
    p.groups.forEach((g, gi) => {
      const members = list.filter((_, i) => p.group[i] === gi);
      if (members.length === 0) return;
      attributions.push(rowAttributionJSON(meanAttribution(members), g.name, g.label, labels));
      segments.push(members.length);
    });
    return {
      features,
      labels,
      attributions,
      segments,
      global: p.global ? globalAttributionJSON(list, X, features, labels) : null,
      coalitions: list[0]?.coalitions ?? 0,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}
