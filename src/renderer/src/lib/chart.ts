// Training curves as line-chart geometry: series from epoch points, scales, "nice" ticks (the
// plotting engine's port of matplotlib's MaxNLocator) and SVG path data. Pure functions, no DOM.
import type { EpochPoint } from '../../../shared/types';
import { TAB10 } from '../../../main/engine/plot/colour';
import { formatTicks, niceTicks } from '../../../main/engine/plot/ticks';

export type CurveMetric = 'loss' | 'acc';

export interface CurveSeries {
  key: string;
  fold: number;
  member: number | null;
  /** Training rows, or the validation slice. */
  kind: 'train' | 'val';
  /** [epoch counted from 1, value] in epoch order; non-finite values (no validation slice) are left out. */
  points: Array<[number, number]>;
}

/** One series per fold (and ensemble member) and per kind, in fold order, train before validation. */
export function curveSeries(points: readonly EpochPoint[], metric: CurveMetric): CurveSeries[] {
  const byKey = new Map<string, CurveSeries>();
  for (const p of points) {
    const member = p.member ?? null;
    for (const kind of ['train', 'val'] as const) {
      const v = kind === 'train' ? (metric === 'loss' ? p.loss : p.acc) : metric === 'loss' ? p.valLoss : p.valAcc;
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const key = `f${p.fold}${member === null ? '' : `m${member}`}-${kind}`;
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { key, fold: p.fold, member, kind, points: [] }));
      s.points.push([p.epoch + 1, v]);
    }
  }
  const out = [...byKey.values()];
  for (const s of out) s.points.sort((a, b) => a[0] - b[0]);
  return out.sort((a, b) => a.fold - b.fold || (a.member ?? -1) - (b.member ?? -1) || (a.kind === 'train' ? -1 : 1) - (b.kind === 'train' ? -1 : 1));
}

/** The line colour of fold `i` (Tableau 10, repeating). */
export function foldColour(i: number): string {
  return TAB10[((i % TAB10.length) + TAB10.length) % TAB10.length]!;
}

/** The last value of each fold's training and validation series (for the legend). */
export function lastValues(series: readonly CurveSeries[], fold: number): { train: number | null; val: number | null } {
  const last = (kind: 'train' | 'val') => {
    const s = series.filter((x) => x.fold === fold && x.kind === kind).pop();
    return s && s.points.length ? s.points[s.points.length - 1]![1] : null;
  };
  return { train: last('train'), val: last('val') };
}

/** Folds that have points, ascending. */
export function curveFolds(points: readonly EpochPoint[]): number[] {
  return [...new Set(points.map((p) => p.fold))].sort((a, b) => a - b);
}

export interface Tick {
  value: number;
  px: number;
  label: string;
}

export interface ChartFrame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface ChartGeometry {
  /** The plotting area. */
  plot: { x: number; y: number; width: number; height: number };
  xTicks: Tick[];
  yTicks: Tick[];
  /** SVG path data per series (same order as the input), and the number of points drawn. */
  paths: Array<{ key: string; d: string; points: number }>;
  xDomain: [number, number];
  yDomain: [number, number];
}

/** A linear map from [d0, d1] to [r0, r1] (the midpoint of the range when the domain is empty). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (!(Math.abs(span) > 0)) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** "M x,y L x,y …" with coordinates rounded to 0.01 px. */
export function pathData(points: ReadonlyArray<readonly [number, number]>, x: (v: number) => number, y: (v: number) => number): string {
  return points.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${round2(x(a))},${round2(y(b))}`).join(' ');
}

/**
 * At most `max` points of a series, evenly strided, always keeping the first and the last (a line of
 * 100,000 epochs is drawn from 1,500 of them: more than a chart's width in pixels).
 */
export function thinPoints<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max || max < 2) return points.slice();
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

/** Most points drawn per line. */
export const MAX_DRAWN_POINTS = 1500;

/**
 * Axes and paths for series of [x, y] points (lines longer than MAX_DRAWN_POINTS are thinned). The y axis spans the nice ticks around the data (or
 * `yRange` when given, e.g. [0, 1] for accuracy); the x axis spans the data exactly, with integer
 * ticks inside it (epochs).
 */
export function chartGeometry(
  series: ReadonlyArray<{ key: string; points: ReadonlyArray<readonly [number, number]> }>,
  frame: ChartFrame,
  opts: { yRange?: [number, number]; xMinSpan?: number } = {},
): ChartGeometry {
  const { width, height, margin } = frame;
  const plot = { x: margin.left, y: margin.top, width: Math.max(1, width - margin.left - margin.right), height: Math.max(1, height - margin.top - margin.bottom) };
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of series) {
    for (const [a, b] of s.points) {
      xMin = Math.min(xMin, a);
      xMax = Math.max(xMax, a);
      yMin = Math.min(yMin, b);
      yMax = Math.max(yMax, b);
    }
  }
  if (!Number.isFinite(xMin)) {
    xMin = 0;
    xMax = 1;
  }
  xMax = Math.max(xMax, xMin + (opts.xMinSpan ?? 1));
  let yDomain: [number, number];
  let yTickValues: number[];
  if (opts.yRange) {
    yDomain = opts.yRange;
    yTickValues = niceTicks(yDomain[0], yDomain[1], { nbins: 4 }).filter((t) => t >= yDomain[0] - 1e-9 && t <= yDomain[1] + 1e-9);
  } else {
    if (!Number.isFinite(yMin)) {
      yMin = 0;
      yMax = 1;
    }
    yTickValues = niceTicks(yMin, yMax, { nbins: 4 });
    yDomain = [yTickValues[0]!, yTickValues[yTickValues.length - 1]!];
  }
  const xTickValues = niceTicks(xMin, xMax, { nbins: 6, integer: true }).filter((t) => t >= xMin - 1e-9 && t <= xMax + 1e-9);
  const x = linearScale(xMin, xMax, plot.x, plot.x + plot.width);
  const y = linearScale(yDomain[0], yDomain[1], plot.y + plot.height, plot.y);
  const xLabels = formatTicks(xTickValues);
  const yLabels = formatTicks(yTickValues);
  return {
    plot,
    xTicks: xTickValues.map((value, i) => ({ value, px: round2(x(value)), label: xLabels[i]! })),
    yTicks: yTickValues.map((value, i) => ({ value, px: round2(y(value)), label: yLabels[i]! })),
    paths: series.map((s) => {
      const drawn = thinPoints(s.points, MAX_DRAWN_POINTS);
      return { key: s.key, d: pathData(drawn, x, y), points: drawn.length };
    }),
    xDomain: [xMin, xMax],
    yDomain,
  };
}
