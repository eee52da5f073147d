// Confusion-matrix heat maps as SVG and PNG: rows = true label, columns = predicted label, the
// count in every cell (text colour chosen for contrast), a colour bar with ticks, diagonal cells
// framed and their counts in bold. Scales from 2 to ~40 classes (cell size and fonts shrink, long
// labels are shortened with an ellipsis, x labels turn vertical when they do not fit a cell).
import { colourMap, contrastText, type ColourMapName } from './colour';
import type { FontName } from './font';
import type { Box } from './raster';
import { fitText, sceneToRaster, sceneToSvg, textWidth, type Scene, type Shape } from './scene';
import { AXIS_TITLE_FONT, heading, INK, MUTED, PAD, TICK_FONT } from './style';
import { formatTicks, niceTicks } from './ticks';
import { getFont } from './font';

export interface ConfusionOptions {
  title: string;
  /** Class names, in the order of the matrix rows and columns. */
  labels: string[];
  /** counts[i][j] = number of items of true class i predicted as class j. */
  matrix: number[][];
  /** Colour each row by its share of the row total (0–100 %), and print the percentage under the
   *  count where the cell has room. Default false: colour by count (0 … largest count). */
  normalise?: boolean;
  subtitle?: string;
  /** Default 'viridis'. */
  colourMap?: ColourMapName;
  /** Show percentages in normalised cells (default true; only where they fit). */
  percentages?: boolean;
  /** Cell edge in pixels (default from the class count: 80 for ≤ 7 classes … 22 for 28–40). */
  cellSize?: number;
  /** Longest label in pixels before it is shortened with "…" (default 150). */
  maxLabelWidth?: number;
}

export interface ConfusionLayout {
  width: number;
  height: number;
  /** The matrix area and each cell's box (cells[i][j], i = true, j = predicted). */
  matrix: Box;
  cells: Box[][];
  /** The colour bar's ramp. */
  colourBar: Box;
  /** Colour of each cell and of its text. */
  cellColours: string[][];
  textColours: string[][];
  /** Texts written in each cell (count, then the percentage if shown). */
  cellTexts: string[][][];
  /** Labels as drawn (possibly shortened). */
  xLabels: string[];
  yLabels: string[];
  xLabelsRotated: boolean;
  cellFont: FontName;
  /** Colour-map ends: the colour of value 0 and of the top of the scale. */
  bottomColour: string;
  topColour: string;
}


function validate(o: ConfusionOptions): number {
  const n = o.labels.length;
  if (n < 1) throw new RangeError('confusion matrix: need at least one class label');
  if (o.matrix.length !== n || o.matrix.some((row) => !Array.isArray(row) || row.length !== n)) {
    throw new RangeError(`confusion matrix: expected ${n}×${n} counts to match ${n} labels`);
  }
  return n;
}

/** Count as text: integers as they are, other values with one decimal; `compact` → 1.2k, 34k, 5.6M. */
function formatCount(v: number, integers: boolean, compact: boolean): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (compact && a >= 1000) {
    const [d, u] = a >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
    const x = v / d;
    return `${Math.abs(x) < 10 ? x.toFixed(1).replace(/\.0$/, '') : Math.round(x)}${u}`;
  }
  return integers ? String(Math.round(v)) : v.toFixed(1);
}

function formatPercent(frac: number): string {
  const p = frac * 100;
  if (p === 0) return '0%';
  if (p < 0.5) return '<1%';
  if (p > 99.5 && p < 100) return '>99%';
  return `${Math.round(p)}%`;
}

function defaultCellSize(n: number): number {
  return Math.max(n > 40 ? 16 : 22, Math.min(80, Math.round(560 / n)));
}

/** Builds the figure and its layout (used by confusionSvg and confusionPng, and by tests). */
export function confusionScene(o: ConfusionOptions): { scene: Scene; layout: ConfusionLayout } {
  const n = validate(o);
  const cmap = colourMap(o.colourMap ?? 'viridis');
  const normalise = o.normalise ?? false;
  const cs = Math.max(12, Math.round(o.cellSize ?? defaultCellSize(n)));
  const maxLabel = o.maxLabelWidth ?? 150;

  // Values: non-finite and negative counts are treated as 0 for colour.
  const counts = o.matrix.map((row) => row.map((v) => (Number.isFinite(v) && v > 0 ? v : 0)));
  const rowSums = counts.map((row) => row.reduce((s, v) => s + v, 0));
  const vmaxCount = Math.max(0, ...counts.flat());
  const value = (i: number, j: number): number =>
    normalise ? (rowSums[i]! > 0 ? counts[i]![j]! / rowSums[i]! : 0) : vmaxCount > 0 ? counts[i]![j]! / vmaxCount : 0;
  const integers = o.matrix.every((row) => row.every((v) => !Number.isFinite(v) || Number.isInteger(v)));

  // Cell text: pick the largest font in which every count fits (compact counts as a last resort).
  const inner = cs - 4;
  const fonts: FontName[] = ['6x13', '6x10', '5x8'];
  let cellFont: FontName = '5x8';
  let compact = true;
  const countText = (c: boolean) => o.matrix.map((row) => row.map((v) => formatCount(v, integers, c)));
  let texts = countText(false);
  const widest = (t: string[][], f: FontName, bold: boolean) =>
    Math.max(...t.flatMap((row, i) => row.map((s, j) => textWidth(s, bold && i === j && f === '6x13' ? '6x13B' : f))));
  for (const c of [false, true]) {
    texts = countText(c);
    const f = fonts.find((f) => widest(texts, f, true) <= inner && getFont(f).height <= inner);
    if (f) {
      cellFont = f;
      compact = c;
      break;
    }
  }
  void compact;
  const cellH = getFont(cellFont).height;
  const showPct = normalise && (o.percentages ?? true) && 2 * cellH + 2 <= inner &&
    widest([['100%']], cellFont, true) <= inner;
  const cellTexts: string[][][] = texts.map((row, i) =>
    row.map((t, j) => (showPct && rowSums[i]! > 0 ? [t, formatPercent(counts[i]![j]! / rowSums[i]!)] : [t])));

  // Labels.
  const labelFont: FontName = cs >= 20 ? '6x13' : '6x10';
  const yLabels = o.labels.map((l) => fitText(l, maxLabel, labelFont));
  const yLabW = Math.max(...yLabels.map((l) => textWidth(l, labelFont)));
  const xFitsFlat = o.labels.every((l) => textWidth(l, labelFont) <= cs - 4);
  const xLabels = xFitsFlat ? [...o.labels] : o.labels.map((l) => fitText(l, maxLabel, labelFont));
  const lf = getFont(labelFont);
  const xLabH = xFitsFlat ? lf.height : Math.max(...xLabels.map((l) => textWidth(l, labelFont)));

  // Colour-bar ticks.
  const barH = n * cs;
  const tickVmax = normalise ? 100 : Math.max(vmaxCount, 1);
  const ticks = niceTicks(0, tickVmax, { nbins: Math.max(2, Math.min(8, Math.floor(barH / 40))), integer: !normalise && integers })
    .filter((t) => t >= 0 && t <= tickVmax * (1 + 1e-9));
  const tickLabels = formatTicks(ticks).map((s) => (normalise ? `${s}%` : s));
  const tickLabW = Math.max(...tickLabels.map((s) => textWidth(s, TICK_FONT)));
  const barCaption = normalise ? 'Share of true label' : 'Count';
  const af = getFont(AXIS_TITLE_FONT);

  // Horizontal layout.
  const yTitleX = PAD; // left edge of the rotated "True label"
  const yLabRight = yTitleX + af.height + 10 + yLabW;
  const mx = yLabRight + 8; // 4 px tick + 4 px gap
  const mw = n * cs;
  const barX = mx + mw + 20;
  const barW = 16;
  const tickLabX = barX + barW + 7;
  const captionX = tickLabX + tickLabW + 10;
  let width = captionX + af.height + PAD;

  // Title (shortened if it would be wider than the figure allows; the figure widens for it).
  const head = heading(o.title, o.subtitle, Math.max(width, 960) - 2 * PAD);
  const shift = Math.max(0, Math.ceil((head.width + 2 * PAD - width) / 2));
  width += 2 * shift;

  // Vertical layout.
  const my = head.bottom + 2;
  const mh = n * cs;
  const xLabTop = my + mh + 8;
  const xTitleTop = xLabTop + xLabH + 10;
  const height = xTitleTop + af.height + PAD;

  const X = (x: number) => x + shift;
  const shapes: Shape[] = [];
  const text = (s: Omit<Extract<Shape, { kind: 'text' }>, 'kind'>) => shapes.push({ kind: 'text', ...s });

  shapes.push(...head.shapes(width / 2));

  // Cells.
  const gap = cs >= 40 ? 2 : 1;
  const cells: Box[][] = [];
  const cellColours: string[][] = [];
  const textColours: string[][] = [];
  for (let i = 0; i < n; i++) {
    cells.push([]);
    cellColours.push([]);
    textColours.push([]);
    for (let j = 0; j < n; j++) {
      const box = { x: X(mx) + j * cs, y: my + i * cs, w: cs - gap, h: cs - gap };
      const fill = cmap(value(i, j));
      const ink = contrastText(fill, '#1a1a1a', '#ffffff');
      cells[i]!.push(box);
      cellColours[i]!.push(fill);
      textColours[i]!.push(ink);
      shapes.push({ kind: 'rect', ...box, fill });
      if (i === j) {
        shapes.push({ kind: 'rect', ...box, stroke: ink === '#ffffff' ? '#ffffffb3' : '#1a1a1a99', strokeWidth: cs >= 40 ? 2 : 1 });
      }
    }
  }
  // Cell texts after all cells, so that the SVG groups them.
  const lineH = cellH + 2;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const box = cells[i]![j]!;
      const lines = cellTexts[i]![j]!;
      const font: FontName = i === j && cellFont === '6x13' ? '6x13B' : cellFont;
      const cy = box.y + box.h / 2;
      lines.forEach((t, k) => {
        const y = Math.round(cy - ((lines.length - 1) * lineH) / 2 + k * lineH);
        text({ x: box.x + box.w / 2, y, text: t, font: k === 0 ? font : cellFont, colour: textColours[i]![j]!, anchor: 'middle', baseline: 'middle' });
      });
    }
  }

  // Axis ticks and labels.
  for (let k = 0; k < n; k++) {
    const c = k * cs + (cs - gap) / 2;
    shapes.push({ kind: 'rect', x: X(mx) - 5, y: Math.floor(my + c), w: 4, h: 1, fill: MUTED });
    shapes.push({ kind: 'rect', x: Math.floor(X(mx) + c), y: my + mh - gap + 1, w: 1, h: 4, fill: MUTED });
    text({ x: X(yLabRight), y: my + c, text: yLabels[k]!, font: labelFont, colour: INK, anchor: 'end', baseline: 'middle' });
    if (xFitsFlat) text({ x: X(mx) + c, y: xLabTop, text: xLabels[k]!, font: labelFont, colour: INK, anchor: 'middle', baseline: 'top' });
    else text({ x: X(mx) + c, y: xLabTop, text: xLabels[k]!, font: labelFont, colour: INK, anchor: 'end', baseline: 'middle', rotate: -90 });
  }
  text({ x: X(yTitleX), y: my + mh / 2, text: 'True label', font: AXIS_TITLE_FONT, colour: INK, anchor: 'middle', baseline: 'top', rotate: -90 });
  text({ x: X(mx) + mw / 2, y: xTitleTop, text: 'Predicted label', font: AXIS_TITLE_FONT, colour: INK, anchor: 'middle', baseline: 'top' });

  // Colour bar: ramp, frame, ticks, caption.
  const colourBar = { x: X(barX), y: my, w: barW, h: mh - gap };
  const stops = Array.from({ length: 33 }, (_, k) => cmap(k / 32));
  shapes.push({ kind: 'ramp', ...colourBar, colours: stops });
  shapes.push({ kind: 'rect', ...colourBar, stroke: '#8c8c8c', strokeWidth: 1 });
  ticks.forEach((t, k) => {
    const y = colourBar.y + colourBar.h - 0.5 - (t / tickVmax) * (colourBar.h - 1);
    shapes.push({ kind: 'rect', x: colourBar.x + barW, y: Math.floor(y), w: 4, h: 1, fill: MUTED });
    text({ x: X(tickLabX), y: Math.floor(y) + 0.5, text: tickLabels[k]!, font: TICK_FONT, colour: INK, anchor: 'start', baseline: 'middle' });
  });
  text({ x: X(captionX), y: my + mh / 2, text: barCaption, font: AXIS_TITLE_FONT, colour: MUTED, anchor: 'middle', baseline: 'top', rotate: -90 });

  const scene: Scene = { width, height, background: '#ffffff', title: o.subtitle ? `${o.title} — ${o.subtitle}` : o.title, shapes };
  const layout: ConfusionLayout = {
    width,
    height,
    matrix: { x: X(mx), y: my, w: mw, h: mh },
    cells,
    colourBar,
    cellColours,
    textColours,
    cellTexts,
    xLabels,
    yLabels,
    xLabelsRotated: !xFitsFlat,
    cellFont,
    bottomColour: cmap(0),
    topColour: cmap(1),
  };
  return { scene, layout };
}

/** The confusion matrix as a standalone SVG document. */
export function confusionSvg(o: ConfusionOptions): string {
  return sceneToSvg(confusionScene(o).scene);
}

/** The confusion matrix as PNG bytes (8-bit RGBA). */
export function confusionPng(o: ConfusionOptions): Uint8Array {
  return sceneToRaster(confusionScene(o).scene).toPng({ text: { Software: 'Genrelab' } });
}
