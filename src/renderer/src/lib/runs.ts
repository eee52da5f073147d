// Stored runs for display: figures side by side with their differences, and the one-line texts of
// a run. Pure functions, no DOM.
import type { ExportedFile, LevelReport, RunDetail, RunSummary } from '../../../shared/types';
import { formatElapsed, formatInt } from './format';

/** 0.8123 → "81.2 %"; null → "–". */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`;
}

/** 0.81234 → "0.812"; null → "–". */
export function score(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3);
}

/** "2024-05-01T10:11:12Z" → "2024-05-01 10:11" in local time. */
export function runDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The figures of a run per track: its track level, or its own figures for whole-track runs. */
export function trackReport(run: RunDetail): LevelReport {
  return run.metrics.trackLevel ?? run.metrics;
}

export type FigureFormat = 'pct' | 'score' | 'int' | 'seconds';

export interface CompareRow {
  key: string;
  label: string;
  a: number | null;
  b: number | null;
  /** b − a, null when either is missing. */
  delta: number | null;
  format: FigureFormat;
  /** Whether a larger value is better (colours the difference). */
  higherIsBetter: boolean | null;
}

export interface ClassDelta {
  label: string;
  a: number | null;
  b: number | null;
  delta: number | null;
}

export interface Comparison {
  rows: CompareRow[];
  /** Track-level F1 per class over the union of both runs' labels. */
  classes: ClassDelta[];
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

/**
 * Two runs side by side. Per-class F1 is compared per track (a segment run's track level), so
 * that a segment run and a whole-track run are compared on the same unit.
 */
export function compareRuns(a: RunDetail, b: RunDetail): Comparison {
  const row = (key: string, label: string, x: number | null, y: number | null, format: FigureFormat, higherIsBetter: boolean | null): CompareRow => ({
    key,
    label,
    a: x,
    b: y,
    delta: diff(x, y),
    format,
    higherIsBetter,
  });
  const ta = trackReport(a);
  const tb = trackReport(b);
  const rows: CompareRow[] = [
    row('accuracy', 'Accuracy (own unit)', a.accuracy, b.accuracy, 'pct', true),
    row('macroF1', 'Macro-F1 (own unit)', a.macroF1, b.macroF1, 'score', true),
    row('trackAccuracy', 'Track accuracy', ta.accuracy, tb.accuracy, 'pct', true),
    row('trackMacroF1', 'Track macro-F1', ta.macroF1, tb.macroF1, 'score', true),
    row('ap', 'Average precision (own unit)', a.metrics.ap ?? null, b.metrics.ap ?? null, 'score', true),
    row('coverageError', 'Coverage error (own unit)', a.metrics.coverageError ?? null, b.metrics.coverageError ?? null, 'score', false),
    row('n', 'Rows evaluated', a.n, b.n, 'int', null),
    row('folds', 'Folds', a.metrics.folds, b.metrics.folds, 'int', null),
    row('seconds', 'Training time', a.seconds, b.seconds, 'seconds', false),
  ];
  // mistake severity (mean Poincaré distance between true and predicted genre over the mistakes),
  // when either run had a genre embedding attached; comparable only under the same embedding
  const ha = a.metrics.hyperbolic;
  const hb = b.metrics.hyperbolic;
  if (ha || hb) {
    const same = !!ha && !!hb && ha.embedding.name === hb.embedding.name && ha.embedding.id === hb.embedding.id;
    const note = same || !ha || !hb ? '' : ' — different embeddings';
    const sev = (h: typeof ha, track: boolean) => (h ? (track ? (h.trackMistakeSeverity ?? h.mistakeSeverity) : h.mistakeSeverity) : null);
    rows.push(row('mistakeSeverity', `Mistake severity (own unit)${note}`, sev(ha, false), sev(hb, false), 'score', same ? false : null));
    if (ha?.trackMistakeSeverity != null || hb?.trackMistakeSeverity != null) {
      rows.push(row('trackMistakeSeverity', `Mistake severity per track${note}`, sev(ha, true), sev(hb, true), 'score', same ? false : null));
    }
  }
  const fa = new Map(ta.perClass.map((c) => [c.label, c.f1]));
  const fb = new Map(tb.perClass.map((c) => [c.label, c.f1]));
  const labels = [...new Set([...fa.keys(), ...fb.keys()])].sort((x, y) => x.localeCompare(y));
  const classes = labels.map((label) => {
    const x = fa.get(label) ?? null;
    const y = fb.get(label) ?? null;
    return { label, a: x, b: y, delta: diff(x, y) };
  });
  return { rows, classes };
}

export function formatFigure(v: number | null, f: FigureFormat): string {
  if (v === null || !Number.isFinite(v)) return '–';
  switch (f) {
    case 'pct':
      return pct(v);
    case 'score':
      return score(v);
    case 'int':
      return formatInt(v);
    case 'seconds':
      return formatElapsed(v);
  }
}

/** A signed difference: "+3.2 pp", "−0.041", "+12", "+1.5 s"; "±0" for none. */
export function formatDelta(d: number | null, f: FigureFormat): string {
  if (d === null || !Number.isFinite(d)) return '–';
  const mag = Math.abs(d);
  let body: string;
  switch (f) {
    case 'pct':
      body = `${(mag * 100).toFixed(1)} pp`;
      break;
    case 'score':
      body = mag.toFixed(3);
      break;
    case 'int':
      body = formatInt(mag);
      break;
    case 'seconds':
      body = `${mag.toFixed(1)} s`;
      break;
  }
  if (/^0(\.0+)?( |$)/.test(body)) return `±${body}`;
  return `${d > 0 ? '+' : '\u2212'}${body}`;
}

/** 'better' | 'worse' | 'same' for colouring a difference. */
export function deltaTone(d: number | null, higherIsBetter: boolean | null, eps = 1e-9): 'better' | 'worse' | 'same' {
  if (d === null || higherIsBetter === null || Math.abs(d) <= eps) return 'same';
  return (d > 0) === higherIsBetter ? 'better' : 'worse';
}

/** "3 labels · 18 tracks" style summary of what a run was trained on. */
export function runScope(r: RunSummary): string {
  return `${r.labels.length} labels · ${formatInt(r.n)} ${r.segments ? 'segments' : 'tracks'}`;
}

/** The bytes of an exported file (base64 decoded for binary ones, UTF-8 for text). */
export function exportedBytes(file: ExportedFile): Uint8Array<ArrayBuffer> {
  if (file.encoding === 'utf8') return new TextEncoder().encode(file.data) as Uint8Array<ArrayBuffer>;
  const bin = atob(file.data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
