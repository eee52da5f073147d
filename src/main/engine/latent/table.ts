// Turn a parsed feature table (header row + rows of strings, e.g. from features/csv.ts) into a
// row-major numeric matrix and a label column, for the latent engine.

export interface FeatureMatrix {
  X: Float64Array;
  n: number;
  d: number;
  columns: string[];
  /** Values of the label column ('' when there is none). */
  labels: string[];
}

/**
 * Numeric matrix from all columns except `exclude` (default: the GTZAN tables' filename, length
 * and label). Rows whose field count differs from the header are skipped; a non-numeric value
 * throws, naming its row and column.
 */
export function featureMatrix(
  rows: string[][],
  opts: { exclude?: string[]; labelColumn?: string } = {},
): FeatureMatrix {
  if (rows.length === 0) throw new RangeError('featureMatrix: empty table');
  const header = rows[0].map((h) => h.trim());
  const exclude = new Set(opts.exclude ?? ['filename', 'length', 'label']);
  const keep = header.map((_, j) => j).filter((j) => !exclude.has(header[j]));
  const li = header.indexOf(opts.labelColumn ?? 'label');
  const body = rows.slice(1).filter((r) => r.length === header.length);
  const n = body.length;
  const d = keep.length;
  const X = new Float64Array(n * d);
  body.forEach((r, i) => {
    keep.forEach((j, t) => {
      const v = Number(r[j]);
      if (r[j].trim() === '' || !Number.isFinite(v)) {
        throw new RangeError(`featureMatrix: row ${i + 1}, column "${header[j]}" is not a number: ${JSON.stringify(r[j])}`);
      }
      X[i * d + t] = v;
    });
  });
  return { X, n, d, columns: keep.map((j) => header[j]), labels: body.map((r) => (li >= 0 ? r[li].trim() : '')) };
}
