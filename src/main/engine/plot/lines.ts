// Line charts for training curves (loss/accuracy per epoch) as SVG and PNG: axes with "nice"
// ticks (matplotlib's MaxNLocator rule), light grid, one line per series (markers when a series is
// short), and a legend in the emptiest corner of the plot (or beside it). Non-finite values break a line.
import { TAB10 } from './colour';
import { getFont, type FontName } from './font';
import type { Box } from './raster';
import { fitText, sceneToRaster, sceneToSvg, textWidth, type Scene, type Shape } from './scene';
import { AXIS_TITLE_FONT, heading, INK, MUTED, PAD, TICK_FONT } from './style';
import { formatTicks, niceTicks } from './ticks';

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** '#rrggbb'; default from the tab10 palette in series order. */
  colour?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  subtitle?: string;
  /** Figure size in pixels (default 720 × 440). */
  width?: number;
  height?: number;
  /** Draw point markers: 'auto' (default) when every series has ≤ 40 points. */
  markers?: boolean | 'auto';
  /** Legend placement: 'auto' (default) = inside, in the corner covering the least data, or
   *  outside on the right when every corner would cover some; 'none' hides it. */
  legend?: 'auto' | 'inside' | 'outside' | 'none';
}

export interface LineChartLayout {
  width: number;
  height: number;
  /** The plotting area (inside the axes). */
  plot: Box;
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: number[];
  yTicks: number[];
  xTickLabels: string[];
  yTickLabels: string[];
  legend: Box | null;
  legendOutside: boolean;
  colours: string[];
  /** Data → pixel maps. */
  px: (x: number) => number;
  py: (y: number) => number;
}

const GRID = '#e5e5e5';
const AXIS = '#737373';
const LABEL_FONT = AXIS_TITLE_FONT;
const LEGEND_FONT: FontName = '6x13';

function finitePairs(s: LineSeries): { xs: number[]; ys: number[] } {
  const n = Math.min(s.x.length, s.y.length);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = s.x[i]!, y = s.y[i]!;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      xs.push(x);
      ys.push(y);
    }
  }
  return { xs, ys };
}

/** A non-empty range for the data values (a single value v becomes v ± max(|v|·5 %, 0.5)). */
function dataRange(values: number[]): [number, number] {
  if (!values.length) return [0, 1];
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12) {
    const d = Math.max(Math.abs(lo) * 0.05, 0.5);
    return [lo - d, hi + d];
  }
  return [lo, hi];
}

/** Builds the figure and its layout (used by lineChartSvg and linePng, and by tests). */
export function lineChartScene(o: LineChartOptions): { scene: Scene; layout: LineChartLayout } {
  const mode = o.legend ?? 'auto';
  if (mode === 'outside') return build(o, true).figure;
  const inside = build(o, false);
  return mode === 'auto' && inside.legendHits > 0 ? build(o, true).figure : inside.figure;
}

function build(o: LineChartOptions, legendOutside: boolean): { figure: { scene: Scene; layout: LineChartLayout }; legendHits: number } {
  const width = Math.max(240, Math.round(o.width ?? 720));
  const height = Math.max(180, Math.round(o.height ?? 440));
  const colours = o.series.map((s, i) => s.colour ?? TAB10[i % TAB10.length]!);
  const pairs = o.series.map(finitePairs);
  const allX = pairs.flatMap((p) => p.xs);
  const allY = pairs.flatMap((p) => p.ys);
  const xIntegers = allX.length > 0 && allX.every(Number.isInteger);

  const head = heading(o.title, o.subtitle, width - 2 * PAD);
  const lf = getFont(LABEL_FONT);
  const tkf = getFont(TICK_FONT);
  const top = head.bottom;
  const bottomSpace = 6 + tkf.height + 8 + lf.height + PAD;
  const plotH = Math.max(40, height - top - bottomSpace);

  // y: round-number limits (first and last tick bracket the data).
  const [y0, y1] = dataRange(allY);
  const yTicks = niceTicks(y0, y1, { nbins: Math.max(2, Math.min(10, Math.floor(plotH / 45))) });
  const yDomain: [number, number] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const yTickLabels = formatTicks(yTicks);
  const yTickW = Math.max(...yTickLabels.map((s) => textWidth(s, TICK_FONT)));
  const left = PAD + lf.height + 10 + yTickW + 8;

  // Legend entries (series with a name).
  const lgf = getFont(LEGEND_FONT);
  const named = o.legend === 'none' ? [] : o.series.map((s, k) => ({ name: s.name, k })).filter((e) => e.name);
  const legendEntry = (maxW: number) => named.map((e) => fitText(e.name, maxW, LEGEND_FONT));
  let names = legendOutside ? legendEntry(Math.max(60, Math.round(width * 0.3))) : [];
  const legendW = (ns: string[]) => 8 + 22 + 6 + Math.max(0, ...ns.map((s) => textWidth(s, LEGEND_FONT))) + 8;
  const right = legendOutside && named.length ? PAD + legendW(names) + 12 : PAD + 8;
  const plotW = Math.max(40, width - left - right);

  // x: data limits; the ticks inside them.
  const [x0, x1] = dataRange(allX);
  const xDomain: [number, number] = [x0, x1];
  const xRaw = niceTicks(x0, x1, { nbins: Math.max(2, Math.min(10, Math.floor(plotW / 70))), integer: xIntegers });
  const span = x1 - x0;
  const xTicks = xRaw.filter((t) => t >= x0 - span * 1e-9 && t <= x1 + span * 1e-9);
  const xTickLabels = formatTicks(xTicks);

  const plot: Box = { x: left, y: top, w: plotW, h: plotH };
  const px = (x: number) => plot.x + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * plot.w;
  const py = (y: number) => plot.y + plot.h - ((y - yDomain[0]) / (yDomain[1] - yDomain[0])) * plot.h;

  const shapes: Shape[] = [];
  const text = (s: Omit<Extract<Shape, { kind: 'text' }>, 'kind'>) => shapes.push({ kind: 'text', ...s });
  shapes.push(...head.shapes(width / 2));

  // Grid, ticks and tick labels (1-pixel rectangles so they are crisp in both outputs).
  const bottomY = plot.y + plot.h;
  yTicks.forEach((t, k) => {
    const y = Math.min(bottomY - 1, Math.floor(py(t)));
    if (k > 0) shapes.push({ kind: 'rect', x: plot.x, y, w: plot.w, h: 1, fill: GRID });
    shapes.push({ kind: 'rect', x: plot.x - 5, y, w: 5, h: 1, fill: AXIS });
    text({ x: plot.x - 8, y: y + 0.5, text: yTickLabels[k]!, font: TICK_FONT, colour: INK, anchor: 'end', baseline: 'middle' });
  });
  xTicks.forEach((t, k) => {
    const x = Math.min(plot.x + plot.w - 1, Math.floor(px(t)));
    if (x > plot.x) shapes.push({ kind: 'rect', x, y: plot.y, w: 1, h: plot.h, fill: GRID });
    shapes.push({ kind: 'rect', x, y: bottomY, w: 1, h: 5, fill: AXIS });
    text({ x: x + 0.5, y: bottomY + 7, text: xTickLabels[k]!, font: TICK_FONT, colour: INK, anchor: 'middle', baseline: 'top' });
  });
  shapes.push({ kind: 'rect', x: plot.x - 1, y: plot.y, w: 1, h: plot.h + 1, fill: AXIS });
  shapes.push({ kind: 'rect', x: plot.x - 1, y: bottomY, w: plot.w + 1, h: 1, fill: AXIS });

  // Axis titles.
  const xLabel = fitText(o.xLabel, plot.w, LABEL_FONT);
  const yLabel = fitText(o.yLabel, plot.h, LABEL_FONT);
  text({ x: plot.x + plot.w / 2, y: bottomY + 7 + tkf.height + 8, text: xLabel, font: LABEL_FONT, colour: INK, anchor: 'middle', baseline: 'top' });
  text({ x: PAD, y: plot.y + plot.h / 2, text: yLabel, font: LABEL_FONT, colour: INK, anchor: 'middle', baseline: 'top', rotate: -90 });

  // Series.
  const markers = o.markers === 'auto' || o.markers === undefined ? o.series.every((s) => Math.min(s.x.length, s.y.length) <= 40) : o.markers;
  const lineW = 2;
  const pixelPoints: number[][] = [];
  o.series.forEach((s, k) => {
    const n = Math.min(s.x.length, s.y.length);
    const pts: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = s.x[i]!, y = s.y[i]!;
      const ok = Number.isFinite(x) && Number.isFinite(y);
      pts.push(ok ? px(x) : NaN, ok ? py(y) : NaN);
    }
    pixelPoints.push(pts);
    shapes.push({ kind: 'path', points: pts, stroke: colours[k]!, width: lineW });
    if (markers) {
      for (let i = 0; i < pts.length; i += 2) {
        if (Number.isFinite(pts[i]!)) shapes.push({ kind: 'disc', cx: pts[i]!, cy: pts[i + 1]!, r: 3, fill: colours[k]! });
      }
    }
  });

  // Legend: a framed box in the corner of the plot that covers the fewest line samples, or
  // outside, right of the plot.
  let legend: Box | null = null;
  let bestHits = 0;
  if (named.length) {
    if (!legendOutside) names = legendEntry(Math.max(60, plot.w / 2 - 40));
    const rowH = lgf.height + 5;
    const lw = legendW(names);
    const lh = 6 + named.length * rowH + 2;
    if (legendOutside) {
      legend = { x: plot.x + plot.w + 12, y: plot.y, w: lw, h: lh };
    } else {
      const inset = 8;
      const corners: Box[] = [
        { x: plot.x + plot.w - inset - lw, y: plot.y + inset, w: lw, h: lh }, // upper right
        { x: plot.x + inset, y: plot.y + inset, w: lw, h: lh }, // upper left
        { x: plot.x + inset, y: plot.y + plot.h - inset - lh, w: lw, h: lh }, // lower left
        { x: plot.x + plot.w - inset - lw, y: plot.y + plot.h - inset - lh, w: lw, h: lh }, // lower right
      ];
      const samples: number[] = [];
      for (const pts of pixelPoints) {
        for (let i = 0; i + 1 < pts.length; i += 2) {
          const ax = pts[i]!, ay = pts[i + 1]!;
          if (!Number.isFinite(ax)) continue;
          samples.push(ax, ay);
          const bx = pts[i + 2], by = pts[i + 3];
          if (bx === undefined || by === undefined || !Number.isFinite(bx) || !Number.isFinite(by)) continue;
          const steps = Math.ceil(Math.hypot(bx - ax, by - ay) / 4);
          for (let t = 1; t < steps; t++) samples.push(ax + ((bx - ax) * t) / steps, ay + ((by - ay) * t) / steps);
        }
      }
      let best = 0;
      bestHits = Infinity;
      corners.forEach((c, i) => {
        let hits = 0;
        for (let s = 0; s < samples.length; s += 2) {
          const x = samples[s]!, y = samples[s + 1]!;
          if (x >= c.x - 4 && x <= c.x + c.w + 4 && y >= c.y - 4 && y <= c.y + c.h + 4) hits++;
        }
        if (hits < bestHits) {
          bestHits = hits;
          best = i;
        }
      });
      // A legend taller than the plot cannot fit inside at all.
      if (lh > plot.h - 2 * inset) bestHits = Math.max(bestHits, 1);
      legend = corners[best]!;
    }
    legend = { ...legend, x: Math.round(legend.x), y: Math.round(legend.y) };
    shapes.push({ kind: 'rect', ...legend, fill: '#ffffffe6', stroke: '#cccccc', strokeWidth: 1 });
    named.forEach((e, r) => {
      const cy = legend!.y + 6 + r * rowH + Math.floor(lgf.height / 2) + 0.5;
      const sx = legend!.x + 8;
      shapes.push({ kind: 'path', points: [sx, cy, sx + 22, cy], stroke: colours[e.k]!, width: lineW });
      if (markers) shapes.push({ kind: 'disc', cx: sx + 11, cy, r: 3, fill: colours[e.k]! });
      text({ x: sx + 28, y: cy, text: names[r]!, font: LEGEND_FONT, colour: INK, anchor: 'start', baseline: 'middle' });
    });
  }

  if (!allX.length) {
    text({ x: plot.x + plot.w / 2, y: plot.y + plot.h / 2, text: 'no data', font: LEGEND_FONT, colour: MUTED, anchor: 'middle', baseline: 'middle' });
  }

  const scene: Scene = { width, height, background: '#ffffff', title: o.title, shapes };
  return {
    figure: {
      scene,
      layout: { width, height, plot, xDomain, yDomain, xTicks, yTicks, xTickLabels, yTickLabels, legend, legendOutside, colours, px, py },
    },
    legendHits: bestHits,
  };
}

/** The line chart as a standalone SVG document. */
export function lineChartSvg(o: LineChartOptions): string {
  return sceneToSvg(lineChartScene(o).scene);
}

/** The line chart as PNG bytes (8-bit RGBA). */
export function linePng(o: LineChartOptions): Uint8Array {
  return sceneToRaster(lineChartScene(o).scene).toPng({ text: { Software: 'Genrelab' } });
}

/** Alias of linePng, named like lineChartSvg. */
export const lineChartPng = linePng;
