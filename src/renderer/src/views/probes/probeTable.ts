// The Probes view's table and chart data from a stored probe: rows = transforms, columns = pitch and
// tempo MSE, R² and nearest-neighbour accuracy (held-out or in-sample), best values marked. Pure.
import type { ProbeDetail, ProbeScore } from '../../../../shared/probes';
import type { RunSummary } from '../../../../shared/types';

export type ProbeScope = 'heldOut' | 'inSample';
export type ProbeMetric = 'mse' | 'r2' | 'nnAccuracy';
export const PROBE_METRICS: readonly ProbeMetric[] = ['mse', 'r2', 'nnAccuracy'];
export const METRIC_LABELS: Record<ProbeMetric, string> = { mse: 'MSE', r2: 'R²', nnAccuracy: 'NN-acc' };

/** Models whose runs have an embedding to probe. */
export const EMBEDDING_MODELS: readonly string[] = ['dense', 'cnn'];

export function canProbe(r: RunSummary): boolean {
  return r.hasModel && EMBEDDING_MODELS.includes(r.model);
}

export interface TableCell {
  value: number | null;
  text: string;
  best: boolean;
}

export interface TableRow {
  kind: string;
  label: string;
  params: number;
  note: string | null;
  pitch: Record<ProbeMetric, TableCell>;
  tempo: Record<ProbeMetric, TableCell>;
}

function fmt(metric: ProbeMetric, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (metric === 'nnAccuracy') return `${(v * 100).toFixed(1)} %`;
  if (metric === 'r2') return v.toFixed(3);
  return Math.abs(v) >= 100 ? v.toExponential(2) : v.toPrecision(3);
}

/** The table for one scope; the best fitted value of each column is marked (lowest MSE, highest R² and NN-acc). */
export function probeRows(p: ProbeDetail, scope: ProbeScope): TableRow[] {
  const pick = (s: { inSample: ProbeScore; heldOut: ProbeScore | null }) => (scope === 'heldOut' ? s.heldOut : s.inSample);
  const rows: TableRow[] = p.pitchTable.rows.map((row, i) => {
    const tr = p.tempoTable.rows[i]!;
    const cells = (sc: ProbeScore | null) =>
      Object.fromEntries(PROBE_METRICS.map((m) => [m, { value: sc ? sc[m] : null, text: fmt(m, sc ? sc[m] : null), best: false }])) as Record<ProbeMetric, TableCell>;
    const note = row.kind === 'affine' && row.ridge ? `ridge λ ${row.ridge.toPrecision(2)} (leave-one-out)` : row.scale !== undefined && row.kind !== 'affine' ? `s = ${row.scale.toFixed(3)}` : null;
    return { kind: row.kind, label: row.label, params: row.params, note, pitch: cells(pick(row)), tempo: cells(pick(tr)) };
  });
  for (const side of ['pitch', 'tempo'] as const) {
    for (const m of PROBE_METRICS) {
      const fitted = rows.filter((r) => r.kind !== 'identity' && r[side][m].value !== null && Number.isFinite(r[side][m].value!));
      if (!fitted.length) continue;
      const vals = fitted.map((r) => r[side][m].value!);
      const best = m === 'mse' ? Math.min(...vals) : Math.max(...vals);
      for (const r of fitted) if (r[side][m].value === best) r[side][m].best = true;
    }
  }
  return rows;
}

export interface Bar {
  kind: string;
  label: string;
  pitch: number | null;
  tempo: number | null;
}

/** NN accuracy per transform for the bar chart. */
export function nnBars(p: ProbeDetail, scope: ProbeScope): Bar[] {
  return p.pitchTable.rows.map((row, i) => {
    const tr = p.tempoTable.rows[i]!;
    const a = scope === 'heldOut' ? row.heldOut : row.inSample;
    const b = scope === 'heldOut' ? tr.heldOut : tr.inSample;
    return { kind: row.kind, label: row.label, pitch: a ? a.nnAccuracy : null, tempo: b ? b.nnAccuracy : null };
  });
}

/** "+50 %" for a factor of 1.5. */
export function factorText(f: number): string {
  const pct = Math.round((f - 1) * 1000) / 10;
  return `${pct >= 0 ? '+' : ''}${pct} %`;
}
