// A run's results for display: the level (segments or tracks) a confusion matrix shows, its cells
// with colours and hover text, the tracks behind a cell, misclassified tracks, and the wrong
// segments of a track as coloured waveform regions. Pure functions, no DOM.
import type { LevelReport, RunMetrics, SegmentPrediction, TrackPrediction } from '../../../shared/types';
import { colourMap, contrastText, parseColour, TAB10 } from '../../../main/engine/plot/colour';

export type Level = 'track' | 'segment';

/** The levels a run reports: segment runs have both, whole-track runs only tracks. */
export function levelsOf(m: RunMetrics): Level[] {
  return m.unit === 'segment' ? (m.trackLevel ? ['segment', 'track'] : ['segment']) : ['track'];
}

/** The figures of one level (the run's own unit when the other is not reported). */
export function levelReport(m: RunMetrics, level: Level): LevelReport {
  if (m.unit === 'segment' && level === 'track' && m.trackLevel) return m.trackLevel;
  return m;
}

export function unitOf(m: RunMetrics, level: Level): 'segments' | 'tracks' {
  return m.unit === 'segment' && !(level === 'track' && m.trackLevel) ? 'segments' : 'tracks';
}

// ---- matrix ---------------------------------------------------------------------------------

export interface MatrixCell {
  /** Row (true label) and column (predicted label) indices. */
  t: number;
  p: number;
  count: number;
  /** Share of the row total, 0–1 (0 for an empty row). */
  share: number;
  /** Position on the colour scale, 0–1. */
  level: number;
  fill: string;
  ink: string;
}

export interface MatrixView {
  cells: MatrixCell[][];
  rowTotals: number[];
  /** Largest count (counts mode) or 1 (row-normalised): the top of the colour bar. */
  scaleMax: number;
  /** Colour-bar stops from 0 to 1. */
  ramp: string[];
}

const viridis = colourMap('viridis');
const INK_DARK = '#10131a';
const INK_LIGHT = '#ffffff';

/** Cells coloured by count (0 … largest) or, when normalised, by share of the row (0 … 100 %). */
export function matrixView(matrix: readonly (readonly number[])[], normalise: boolean): MatrixView {
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const max = Math.max(0, ...matrix.flat());
  const cells = matrix.map((row, t) =>
    row.map((count, p) => {
      const share = rowTotals[t]! > 0 ? count / rowTotals[t]! : 0;
      const level = normalise ? share : max > 0 ? count / max : 0;
      const fill = viridis(level);
      return { t, p, count, share, level, fill, ink: contrastText(fill, INK_DARK, INK_LIGHT) };
    }),
  );
  return { cells, rowTotals, scaleMax: normalise ? 1 : max, ramp: Array.from({ length: 11 }, (_, i) => viridis(i / 10)) };
}

/** "12.5 %" */
export function formatPercent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : '–';
}

/** The hover text of a cell: "true blues predicted as rock: 3 (25.0 %)" — the share of the true row. */
export function cellText(labels: readonly string[], cell: MatrixCell, unit: 'segments' | 'tracks'): string {
  const n = `${cell.count} ${cell.count === 1 ? unit.slice(0, -1) : unit}`;
  return `true ${labels[cell.t]} predicted as ${labels[cell.p]}: ${n} (${formatPercent(cell.share)})`;
}

// ---- tracks behind a cell -------------------------------------------------------------------

export interface CellTrack {
  /** Index of the prediction in the run's list. */
  index: number;
  pred: TrackPrediction;
  /** Items of this track in the cell: 1 at track level, its segments so predicted at segment level. */
  inCell: number;
  /** Segments of the track (1 for whole-track runs). */
  total: number;
}

/**
 * The tracks in a cell (true = `trueLabel`, predicted = `predLabel`). At track level each track's
 * own prediction counts; at segment level a track is listed when any of its segments was so
 * predicted, with how many. The `inCell` counts add up to the matrix cell.
 */
export function tracksInCell(preds: readonly TrackPrediction[], level: Level, trueLabel: string, predLabel: string): CellTrack[] {
  const out: CellTrack[] = [];
  preds.forEach((pred, index) => {
    if (pred.label !== trueLabel) return;
    const segs = pred.segments;
    if (level === 'segment' && segs) {
      const inCell = segs.filter((s) => s.predicted === predLabel).length;
      if (inCell > 0) out.push({ index, pred, inCell, total: segs.length });
    } else if (pred.predicted === predLabel) {
      out.push({ index, pred, inCell: 1, total: segs?.length ?? 1 });
    }
  });
  return out.sort((a, b) => b.inCell - a.inCell || a.pred.name.localeCompare(b.pred.name, 'en', { numeric: true }));
}

// ---- misclassified tracks -------------------------------------------------------------------

export type MisSortKey = 'name' | 'label' | 'predicted' | 'confidence' | 'wrong';
export interface MisSort {
  key: MisSortKey;
  dir: 'asc' | 'desc';
}

export interface MisRow {
  index: number;
  pred: TrackPrediction;
  /** Wrong segments / all segments (null for whole-track runs). */
  wrong: number | null;
  segments: number | null;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Every track whose prediction is wrong, sorted; ties by name. */
export function misclassified(preds: readonly TrackPrediction[], sort: MisSort): MisRow[] {
  const rows: MisRow[] = [];
  preds.forEach((pred, index) => {
    if (pred.predicted === pred.label) return;
    rows.push({ index, pred, wrong: pred.segments ? wrongSegments(pred).length : null, segments: pred.segments?.length ?? null });
  });
  const sign = sort.dir === 'asc' ? 1 : -1;
  const key = (r: MisRow): string | number => {
    switch (sort.key) {
      case 'name':
        return r.pred.name;
      case 'label':
        return r.pred.label;
      case 'predicted':
        return r.pred.predicted;
      case 'confidence':
        return r.pred.confidence;
      case 'wrong':
        return r.segments ? (r.wrong ?? 0) / r.segments : 1;
    }
  };
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return sign * c || collator.compare(a.pred.name, b.pred.name);
  });
}

/** A column header click: a new column sorts in its natural direction, the same column flips. */
export function nextMisSort(current: MisSort, key: MisSortKey): MisSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'confidence' || key === 'wrong' ? 'desc' : 'asc' };
}

// ---- regions on the waveform ----------------------------------------------------------------

export function wrongSegments(pred: TrackPrediction): SegmentPrediction[] {
  return (pred.segments ?? []).filter((s) => s.predicted !== pred.label);
}

/**
 * A colour per label, stable for a run: Tableau 10 in the order of the run's (sorted) labels, then
 * golden-angle hues. A label the run does not know gets a grey.
 */
export function labelColour(labels: readonly string[], label: string): string {
  const i = labels.indexOf(label);
  if (i < 0) return '#8690a0';
  if (i < TAB10.length) return TAB10[i]!;
  const hue = Math.round((i * 137.508) % 360);
  return `hsl(${hue} 62% 58%)`;
}

/** A '#rrggbb' colour with transparency, for region fills. Other CSS colours are returned as they are. */
export function withAlpha(colour: string, alpha: number): string {
  if (!colour.startsWith('#')) return colour.replace(/\)$/, ` / ${alpha})`);
  const [r, g, b] = parseColour(colour);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export interface RegionSpec {
  start: number;
  end: number;
  colour: string;
  label: string;
  title: string;
}

/**
 * The wrong segments of a track as regions, adjacent segments with the same prediction merged,
 * clipped to the track's duration when it is known.
 */
export function wrongRegions(pred: TrackPrediction, labels: readonly string[], duration?: number | null): RegionSpec[] {
  const segs = wrongSegments(pred).slice().sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number; predicted: string; conf: number[] }> = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (last && last.predicted === s.predicted && Math.abs(last.end - s.start) < 1e-6) {
      last.end = s.end;
      last.conf.push(s.confidence);
    } else out.push({ start: s.start, end: s.end, predicted: s.predicted, conf: [s.confidence] });
  }
  const limit = duration && duration > 0 ? duration : Infinity;
  return out
    .filter((r) => r.start < limit)
    .map((r) => ({
      start: r.start,
      end: Math.min(r.end, limit),
      colour: labelColour(labels, r.predicted),
      label: r.predicted,
      title: `${r.start.toFixed(0)}–${Math.min(r.end, limit).toFixed(0)} s predicted ${r.predicted} (mean confidence ${formatPercent(r.conf.reduce((a, b) => a + b, 0) / r.conf.length, 0)})`,
    }));
}

/** Where playback starts: the first wrong segment, else the beginning. */
export function firstWrongStart(pred: TrackPrediction): number {
  const starts = wrongSegments(pred).map((s) => s.start);
  return starts.length ? Math.min(...starts) : 0;
}
