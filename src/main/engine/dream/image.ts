// Small pictures of a dB spectrogram: a byte grid (0 = floor, 255 = ceiling; row 0 is the highest
// mel band, as drawn) averaged down to at most rows × cols cells, and a viridis PNG of it.
// `relativeRange` gives the range a network hears a patch in: its maximum and `span` dB below.
import { encodePng } from '../plot/png';
import { gridRgba } from './rgba';

export interface SpectrogramGrid {
  rows: number;
  cols: number;
  /** rows × cols bytes, row-major, top row = highest band. */
  data: Uint8Array;
}

/** `db`: nMels × frames, row-major (band 0 = lowest). */
export function spectrogramGrid(
  db: Float32Array,
  nMels: number,
  frames: number,
  floorDb: number,
  ceilDb: number,
  maxRows = nMels,
  maxCols = 512,
): SpectrogramGrid {
  if (db.length !== nMels * frames) throw new RangeError(`spectrogram has ${db.length} values, expected ${nMels} × ${frames}`);
  const rows = Math.max(1, Math.min(nMels, maxRows));
  const cols = Math.max(1, Math.min(frames, maxCols));
  const data = new Uint8Array(rows * cols);
  const span = ceilDb - floorDb || 1;
  for (let r = 0; r < rows; r++) {
    // top row = highest bands
    const m0 = Math.floor(((rows - 1 - r) * nMels) / rows);
    const m1 = Math.max(m0 + 1, Math.floor(((rows - r) * nMels) / rows));
    for (let c = 0; c < cols; c++) {
      const t0 = Math.floor((c * frames) / cols);
      const t1 = Math.max(t0 + 1, Math.floor(((c + 1) * frames) / cols));
      let s = 0;
      for (let m = m0; m < m1; m++) for (let t = t0; t < t1; t++) s += db[m * frames + t]!;
      const v = s / ((m1 - m0) * (t1 - t0));
      data[r * cols + c] = Math.round(255 * Math.min(1, Math.max(0, (v - floorDb) / span)));
    }
  }
  return { rows, cols, data };
}

/** [max − span, max] of a dB spectrogram (finite values). */
export function relativeRange(db: Float32Array, span: number): [number, number] {
  let max = -Infinity;
  for (const v of db) if (v > max && Number.isFinite(v)) max = v;
  if (!Number.isFinite(max)) max = 0;
  return [max - span, max];
}

/** The grid as a viridis PNG, `scale` pixels per cell. */
export function spectrogramPng(g: SpectrogramGrid, scale = 2): Uint8Array {
  const rgba = gridRgba(g, scale);
  return encodePng(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), g.cols * scale, g.rows * scale);
}
