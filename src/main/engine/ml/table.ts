// Feature tables (parsed CSV rows with a header) → a numeric matrix, row labels and row ids.
import type { Matrix } from './types';

export interface FeatureTable {
  X: Matrix;
  columns: string[];
  rowLabels: string[];
  /** The id column of each row (e.g. filename). */
  ids: string[];
}

export interface TableOptions {
  labelColumn?: string;
  idColumn?: string;
  /** Columns that are not features (besides the label and id columns). */
  exclude?: readonly string[];
}

/**
 * Converts parsed CSV rows (first row = header) into a Float32 matrix of the feature columns.
 * Cells that are not numbers become NaN, for validateDataset to report. GTZAN defaults:
 * label column `label`, id column `filename`, `length` excluded.
 */
export function featureTable(rows: readonly string[][], opts: TableOptions = {}): FeatureTable {
  const [header, ...body] = rows;
  if (!header) throw new Error('featureTable: no header row');
  const names = header.map((h) => h.trim());
  const labelColumn = opts.labelColumn ?? 'label';
  const idColumn = opts.idColumn ?? 'filename';
  const exclude = new Set([labelColumn, idColumn, ...(opts.exclude ?? ['length'])]);
  const li = names.indexOf(labelColumn);
  const ii = names.indexOf(idColumn);
  if (li < 0) throw new Error(`featureTable: no "${labelColumn}" column`);
  const featureIdx = names.map((_, j) => j).filter((j) => !exclude.has(names[j]!));
  const data = body.filter((r) => r.length === names.length);
  const X = new Float32Array(data.length * featureIdx.length);
  data.forEach((r, i) => {
    featureIdx.forEach((j, c) => {
      const cell = r[j]!.trim();
      X[i * featureIdx.length + c] = cell === '' ? NaN : Number(cell);
    });
  });
  return {
    X: { data: X, rows: data.length, cols: featureIdx.length },
    columns: featureIdx.map((j) => names[j]!),
    rowLabels: data.map((r) => r[li]!.trim()),
    ids: data.map((r, i) => (ii >= 0 ? r[ii]! : String(i))),
  };
}

/**
 * The track of a GTZAN row id: `classical.00000.3.wav` (3-s segment 3) → `classical.00000`, and
 * `classical.00000.wav` (whole clip) → `classical.00000`. Other ids are returned unchanged.
 */
export function trackOfSegment(id: string): string {
  const m = /^(.+?\.\d+)(\.\d+)?\.(wav|au|mp3|flac|ogg)$/i.exec(id);
  return m ? m[1]! : id;
}
