// Explaining a model's predictions with Shapley values (shap.ts) in the shapes the CLI, the worker
// and the run panel use: seeded choice of the rows to explain (stratified by label) and of the
// background rows, Kernel SHAP per row (exact enumeration of coalitions when 2^M − 2 fits the budget,
// which gives the exact Shapley values), the mean over a track's segments (Shapley values are linear
// in the model output, so the mean of the segments' φ is the φ of the averaged prediction), and a
// global summary per class (mean |φ|, beeswarm data).
import type { GlobalAttribution, RowAttribution } from '../../../shared/types';
import { mulberry32, shuffle } from '../random';
import type { Matrix } from '../ml/types';
import { kernelShap, shapSummary, type Attribution, type PredictFn } from './shap';

export interface ExplainOptions {
  /** Coalition budget per row (Kernel SHAP). */
  samples: number;
  seed: number;
  /** Called after each explained row. */
  onRow?: (done: number, total: number) => void;
  /** Checked between rows; true stops with an error. */
  stop?: () => boolean;
}

/**
 * Up to n row indices, stratified by label: labels take turns (in order of first appearance), each
 * giving its rows in a seeded random order. All rows when n ≥ rows.
 */
export function pickRows(rowLabels: readonly string[], n: number, seed: number): Int32Array {
  const rng = mulberry32(seed);
  const by = new Map<string, number[]>();
  rowLabels.forEach((l, i) => {
    const list = by.get(l) ?? [];
    list.push(i);
    by.set(l, list);
  });
  for (const list of by.values()) shuffle(rng, list);
  const out: number[] = [];
  const lists = [...by.values()];
  for (let round = 0; out.length < Math.min(n, rowLabels.length); round++) {
    for (const list of lists) if (round < list.length && out.length < n) out.push(list[round]!);
  }
  return Int32Array.from(out);
}

/** b background rows drawn without replacement (seeded); every row when b ≥ rows. */
export function backgroundRows(X: Matrix, b: number, seed: number): Matrix {
  const rng = mulberry32(seed);
  const idx = shuffle(rng, Array.from({ length: X.rows }, (_, i) => i));
  const take = idx.slice(0, Math.min(b, X.rows)).sort((a, c) => a - c);
  const out = new Float32Array(take.length * X.cols);
  take.forEach((r, i) => out.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
  return { data: out, rows: take.length, cols: X.cols };
}

/** Kernel SHAP attributions of the given rows of X against a background. */
export function explainRows(f: PredictFn, X: Matrix, rows: ArrayLike<number>, background: Matrix, o: ExplainOptions): Attribution[] {
  const rng = mulberry32(o.seed);
  const out: Attribution[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (o.stop?.()) throw new Error('explain: stopped');
    const r = rows[i]!;
    out.push(kernelShap(f, X.data.subarray(r * X.cols, (r + 1) * X.cols), background, { nSamples: o.samples, rng }));
    o.onRow?.(i + 1, rows.length);
  }
  return out;
}

/** The mean of several attributions (e.g. a track's segments): φ, base and f(x) averaged. */
export function meanAttribution(list: readonly Attribution[]): Attribution {
  if (list.length === 0) throw new Error('meanAttribution: nothing to average');
  const mean = (pick: (a: Attribution) => Float64Array) => {
    const out = new Float64Array(pick(list[0]!).length);
    for (const a of list) pick(a).forEach((v, i) => (out[i] += v / list.length));
    return out;
  };
  return { phi: mean((a) => a.phi), base: mean((a) => a.base), fx: mean((a) => a.fx), coalitions: list[0]!.coalitions };
}

export function rowAttributionJSON(a: Attribution, name: string, label: string, labels: readonly string[]): RowAttribution {
  const K = labels.length;
  const M = a.phi.length / K;
  let best = 0;
  for (let c = 1; c < K; c++) if (a.fx[c]! > a.fx[best]!) best = c;
  return {
    name,
    label,
    predicted: labels[best]!,
    proba: Array.from(a.fx),
    base: Array.from(a.base),
    phi: Array.from({ length: M }, (_, i) => Array.from(a.phi.subarray(i * K, (i + 1) * K))),
  };
}

export function globalAttributionJSON(list: readonly Attribution[], X: Matrix, features: readonly string[], labels: readonly string[]): GlobalAttribution {
  const s = shapSummary(list, X, features, labels);
  const M = X.cols;
  const K = labels.length;
  const R = s.rows;
  const rowsOf = (a: Float64Array) => Array.from({ length: R }, (_, r) => Array.from(a.subarray(r * M, (r + 1) * M)));
  return {
    rows: R,
    meanAbs: Array.from({ length: K }, (_, c) => Array.from(s.meanAbs.subarray(c * M, (c + 1) * M))),
    order: s.order.map((o) => Array.from(o)),
    beeswarm: s.beeswarm.map((b) => ({ phi: rowsOf(b.phi), value01: rowsOf(b.value01) })),
  };
}
