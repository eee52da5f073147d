// Small pictures of a dB spectrogram: a byte grid (0 = floor, 255 = ceiling; row 0 is the highest
// mel band, as drawn) averaged down to at most rows × cols cells, and a viridis PNG of it.
// `relativeRange` gives the range a network hears a patch in: its maximum and `span` dB below.
import { colourMap, parseColour } from '../plot/colour';
import { encodePng } from '../plot/png';

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
  const map = colourMap('viridis');
  const lut = Array.from({ length: 256 }, (_, i) => parseColour(map(i / 255)));
  const w = g.cols * scale;
  const h = g.rows * scale;
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = lut[g.data[Math.floor(y / scale) * g.cols + Math.floor(x / scale)]!]!;
      const o = (y * w + x) * 4;
      rgba[o] = c[0];
      rgba[o + 1] = c[1];
      rgba[o + 2] = c[2];
      rgba[o + 3] = 255;
    }
  }
  return encodePng(rgba, w, h);
}
