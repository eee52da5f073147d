// A spectrogram grid's colours, without the PNG encoder (node:zlib), so that the renderer can draw it.
import { colourMap, parseColour } from '../plot/colour';
import type { SpectrogramGrid } from './image';

let viridisLut: Array<readonly number[]> | null = null;

/**
 * The grid's cells (bytes 0–255, top row first) in viridis as RGBA, `scale` pixels per cell: what the
 * PNG export encodes and what the Dream view draws on its canvas.
 */
export function gridRgba(g: SpectrogramGrid, scale = 1): Uint8ClampedArray<ArrayBuffer> {
  if (!viridisLut) {
    const map = colourMap('viridis');
    viridisLut = Array.from({ length: 256 }, (_, i) => parseColour(map(i / 255)));
  }
  const lut = viridisLut;
  const w = g.cols * scale;
  const h = g.rows * scale;
  const rgba = new Uint8ClampedArray(new ArrayBuffer(w * h * 4));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = lut[g.data[Math.floor(y / scale) * g.cols + Math.floor(x / scale)]!]!;
      const o = (y * w + x) * 4;
      rgba[o] = c[0]!;
      rgba[o + 1] = c[1]!;
      rgba[o + 2] = c[2]!;
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

