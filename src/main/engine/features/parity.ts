// Agreement of computed feature rows with a reference table (e.g. the GTZAN features_30_sec.csv).
import type { KeyedTable } from './csv';

export interface ComputedRow {
  filename: string;
  values: ArrayLike<number>;
}

export interface ParityColumn {
  column: string;
  /** Rows that have a finite table value for this column. */
  n: number;
  /** Pearson correlation across rows (NaN when either side is constant or n < 2). */
  r: number;
  /** Median and maximum of |mine - table| / |table| (table values of 0 use a 1e-30 floor). */
  medRel: number;
  maxRel: number;
  /** Filename of the row with the largest relative error. */
  worst: string;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2 || b.length !== n) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Per column: Pearson r across the rows found in the table, median and max relative error.
 * `columns[j]` names `values[j]` of every row; rows whose filename is not in the table are ignored.
 */
export function parityReport(rows: readonly ComputedRow[], table: KeyedTable, columns: readonly string[]): ParityColumn[] {
  const found = rows.filter((r) => table.rows.has(r.filename));
  return columns.map((column, j) => {
    const mine: number[] = [];
    const ref: number[] = [];
    const names: string[] = [];
    for (const r of found) {
      const v = table.value(r.filename, column);
      if (!Number.isFinite(v)) continue;
      mine.push(r.values[j]);
      ref.push(v);
      names.push(r.filename);
    }
    const rel = mine.map((m, i) => Math.abs(m - ref[i]) / Math.max(Math.abs(ref[i]), 1e-30));
    let wi = 0;
    rel.forEach((e, i) => {
      if (!(e <= rel[wi])) wi = i;
    });
    return {
      column,
      n: mine.length,
      r: pearson(mine, ref),
      medRel: median(rel),
      maxRel: rel.length ? rel[wi] : NaN,
      worst: names[wi] ?? '',
    };
  });
}

export interface TempoAgreement {
  n: number;
  /** Fractions of rows: identical (|d| < 1e-6), within 2 BPM, within 4 %. */
  identical: number;
  within2bpm: number;
  within4pct: number;
}

export function tempoAgreement(rows: readonly ComputedRow[], table: KeyedTable, tempoIndex: number, column = 'tempo'): TempoAgreement {
  let n = 0;
  let same = 0;
  let two = 0;
  let four = 0;
  for (const r of rows) {
    const want = table.value(r.filename, column);
    if (!Number.isFinite(want)) continue;
    const d = Math.abs(r.values[tempoIndex] - want);
    n++;
    if (d < 1e-6) same++;
    if (d <= 2) two++;
    if (d <= 0.04 * Math.abs(want)) four++;
  }
  return { n, identical: n ? same / n : NaN, within2bpm: n ? two / n : NaN, within4pct: n ? four / n : NaN };
}

const fmtE = (x: number): string => (Number.isFinite(x) ? x.toExponential(1) : String(x));

/** Markdown table of a parity report (column, n, r, median / max relative error, worst row). */
export function parityMarkdown(report: readonly ParityColumn[]): string {
  const lines = ['| column | n | Pearson r | median rel. err | max rel. err | worst row |', '|---|---|---|---|---|---|'];
  for (const c of report) {
    lines.push(`| ${c.column} | ${c.n} | ${Number.isFinite(c.r) ? c.r.toFixed(9) : 'NaN'} | ${fmtE(c.medRel)} | ${fmtE(c.maxRel)} | ${c.worst} |`);
  }
  return lines.join('\n');
}
