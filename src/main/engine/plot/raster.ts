// A small RGBA raster canvas (straight alpha, 8 bits per channel, row-major, origin top-left):
// rectangles, anti-aliased lines/polylines/discs, and bitmap-font text (scaled ×1, ×2, … and
// rotated ±90°). Pixel (x, y) covers [x, x+1) × [y, y+1); its centre is (x+0.5, y+0.5).
import { parseColour, type Rgba } from './colour';
import { codePointsOf, getFont, type BitmapFont, type FontName } from './font';
import { encodePng, type PngEncodeOptions } from './png';

export type TextAnchor = 'start' | 'middle' | 'end';
/** Vertical reference of the text position: top/bottom of the font cell, the baseline, or the
 *  middle of the capital letters. */
export type TextBaseline = 'top' | 'middle' | 'alphabetic' | 'bottom';
/** 0 = left to right; -90 = rotated counter-clockwise (reads upwards, as y-axis titles);
 *  90 = clockwise (reads downwards). */
export type TextRotation = 0 | 90 | -90;

export interface TextStyle {
  font?: FontName;
  /** Integer pixel scale (1, 2, …). */
  scale?: number;
  colour?: string;
  anchor?: TextAnchor;
  baseline?: TextBaseline;
  rotate?: TextRotation;
}

export interface TextMetrics {
  /** Advance width and cell height of the (unrotated) text, in pixels. */
  width: number;
  height: number;
  ascent: number;
  descent: number;
  capHeight: number;
}

/** An axis-aligned box in pixels (x, y = top-left). */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const DEFAULT_FONT: FontName = '6x13';

function fontScale(style: { font?: FontName; scale?: number }): { f: BitmapFont; s: number } {
  const s = style.scale ?? 1;
  if (!Number.isInteger(s) || s < 1) throw new RangeError(`text scale must be a positive integer, got ${s}`);
  return { f: getFont(style.font ?? DEFAULT_FONT), s };
}

/** Size of `text` in a bitmap font (every character advances by the font's cell width). */
export function measureText(text: string, font: FontName = DEFAULT_FONT, scale = 1): TextMetrics {
  const { f, s } = fontScale({ font, scale });
  return {
    width: codePointsOf(text).length * f.width * s,
    height: f.height * s,
    ascent: f.ascent * s,
    descent: f.descent * s,
    capHeight: f.capHeight * s,
  };
}

/** Offset (down, in unscaled font pixels × scale) from the cell top to the reference line. */
export function baselineOffset(f: BitmapFont, s: number, baseline: TextBaseline): number {
  switch (baseline) {
    case 'top': return 0;
    case 'bottom': return f.height * s;
    case 'alphabetic': return f.ascent * s;
    case 'middle': return Math.round((f.ascent - f.capHeight / 2) * s);
  }
}

/** The box a text occupies when drawn with `style` at (x, y) — the same rule Raster.text uses. */
export function textBox(text: string, x: number, y: number, style: TextStyle = {}): Box {
  const { f, s } = fontScale(style);
  const w = codePointsOf(text).length * f.width * s;
  const h = f.height * s;
  const u0 = style.anchor === 'middle' ? -Math.round(w / 2) : style.anchor === 'end' ? -w : 0;
  const v0 = -baselineOffset(f, s, style.baseline ?? 'alphabetic');
  const X = Math.round(x);
  const Y = Math.round(y);
  switch (style.rotate ?? 0) {
    case 0: return { x: X + u0, y: Y + v0, w, h };
    case -90: return { x: X + v0, y: Y - u0 - w, w: h, h: w };
    case 90: return { x: X - v0 - h, y: Y + u0, w: h, h: w };
  }
}

export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background = '#ffffff',
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`Raster: bad size ${width}×${height}`);
    }
    this.data = new Uint8Array(width * height * 4);
    this.data.set(parseColour(background));
    // Fill by doubling the initialised prefix.
    for (let n = 4; n < this.data.length; n *= 2) this.data.copyWithin(n, 0, Math.min(n, this.data.length - n));
  }

  getPixel(x: number, y: number): Rgba {
    const i = (y * this.width + x) * 4;
    return [this.data[i]!, this.data[i + 1]!, this.data[i + 2]!, this.data[i + 3]!];
  }

  /** Composites `c` with extra opacity `coverage` (0–1) over pixel (x, y) ("source over"). */
  blend(x: number, y: number, c: Rgba, coverage = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || !(coverage > 0)) return;
    const d = this.data;
    const i = (y * this.width + x) * 4;
    const sa = (c[3] / 255) * Math.min(1, coverage);
    if (sa >= 1) {
      d[i] = c[0];
      d[i + 1] = c[1];
      d[i + 2] = c[2];
      d[i + 3] = 255;
      return;
    }
    const da = d[i + 3]! / 255;
    const oa = sa + da * (1 - sa);
    if (oa <= 0) return;
    const k = (da * (1 - sa)) / oa;
    const m = sa / oa;
    d[i] = Math.round(c[0] * m + d[i]! * k);
    d[i + 1] = Math.round(c[1] * m + d[i + 1]! * k);
    d[i + 2] = Math.round(c[2] * m + d[i + 2]! * k);
    d[i + 3] = Math.round(oa * 255);
  }

  /** Fills the pixels of [x, x+w) × [y, y+h) (edges rounded to whole pixels). */
  fillRect(x: number, y: number, w: number, h: number, colour: string): void {
    const c = parseColour(colour);
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.blend(px, py, c);
  }

  /** A rectangle outline drawn inside [x, x+w) × [y, y+h), `lineWidth` pixels thick. */
  strokeRect(x: number, y: number, w: number, h: number, colour: string, lineWidth = 1): void {
    const t = Math.max(1, Math.round(lineWidth));
    this.fillRect(x, y, w, t, colour);
    this.fillRect(x, y + h - t, w, t, colour);
    this.fillRect(x, y + t, t, h - 2 * t, colour);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, colour);
  }

  /** A straight line; see polyline. */
  line(x0: number, y0: number, x1: number, y1: number, colour: string, opts: { width?: number; antialias?: boolean } = {}): void {
    this.polyline([x0, y0, x1, y1], colour, opts);
  }

  /**
   * A polyline through (xs[0], xs[1]), (xs[2], xs[3]), …; a point with a non-finite coordinate
   * breaks the line. Anti-aliased (default): coverage from the distance of each pixel centre to
   * the nearest segment (round joins and caps), composited once per pixel so joints do not
   * darken. antialias: false draws 1-pixel Bresenham lines.
   */
  polyline(xy: ArrayLike<number>, colour: string, opts: { width?: number; antialias?: boolean } = {}): void {
    const c = parseColour(colour);
    const segs: number[] = [];
    for (let i = 0; i + 3 < xy.length; i += 2) {
      const a = xy[i]!, b = xy[i + 1]!, p = xy[i + 2]!, q = xy[i + 3]!;
      if (Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(p) && Number.isFinite(q)) segs.push(a, b, p, q);
    }
    // Points with no finite neighbour (isolated by breaks) are drawn as dots.
    const ok = (i: number) => i >= 0 && i + 1 < xy.length && Number.isFinite(xy[i]!) && Number.isFinite(xy[i + 1]!);
    for (let i = 0; i + 1 < xy.length; i += 2) {
      if (ok(i) && !ok(i - 2) && !ok(i + 2)) this.disc(xy[i]!, xy[i + 1]!, Math.max(0.5, (opts.width ?? 1) / 2), colour);
    }
    if (!segs.length) return;
    if (opts.antialias === false) {
      for (let i = 0; i < segs.length; i += 4) this.bresenham(segs[i]!, segs[i + 1]!, segs[i + 2]!, segs[i + 3]!, c);
      return;
    }
    const half = Math.max(0.5, (opts.width ?? 1) / 2);
    let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
    for (let i = 0; i < segs.length; i += 2) {
      bx0 = Math.min(bx0, segs[i]!);
      bx1 = Math.max(bx1, segs[i]!);
      by0 = Math.min(by0, segs[i + 1]!);
      by1 = Math.max(by1, segs[i + 1]!);
    }
    const X0 = Math.max(0, Math.floor(bx0 - half - 1));
    const Y0 = Math.max(0, Math.floor(by0 - half - 1));
    const X1 = Math.min(this.width, Math.ceil(bx1 + half + 1));
    const Y1 = Math.min(this.height, Math.ceil(by1 + half + 1));
    if (X1 <= X0 || Y1 <= Y0) return;
    const mw = X1 - X0;
    const mask = new Float32Array(mw * (Y1 - Y0));
    for (let i = 0; i < segs.length; i += 4) {
      const ax = segs[i]!, ay = segs[i + 1]!, dx = segs[i + 2]! - ax, dy = segs[i + 3]! - ay;
      const len2 = dx * dx + dy * dy;
      const sx0 = Math.max(X0, Math.floor(Math.min(ax, ax + dx) - half - 1));
      const sx1 = Math.min(X1, Math.ceil(Math.max(ax, ax + dx) + half + 1));
      const sy0 = Math.max(Y0, Math.floor(Math.min(ay, ay + dy) - half - 1));
      const sy1 = Math.min(Y1, Math.ceil(Math.max(ay, ay + dy) + half + 1));
      for (let py = sy0; py < sy1; py++) {
        for (let px = sx0; px < sx1; px++) {
          const ux = px + 0.5 - ax, uy = py + 0.5 - ay;
          const t = len2 > 0 ? Math.min(1, Math.max(0, (ux * dx + uy * dy) / len2)) : 0;
          const ex = ux - t * dx, ey = uy - t * dy;
          const cov = half + 0.5 - Math.sqrt(ex * ex + ey * ey);
          if (cov <= 0) continue;
          const k = (py - Y0) * mw + (px - X0);
          if (cov > mask[k]!) mask[k] = Math.min(1, cov);
        }
      }
    }
    for (let py = Y0; py < Y1; py++) {
      for (let px = X0; px < X1; px++) {
        const m = mask[(py - Y0) * mw + (px - X0)]!;
        if (m > 0) this.blend(px, py, c, m);
      }
    }
  }

  private bresenham(x0: number, y0: number, x1: number, y1: number, c: Rgba): void {
    let x = Math.floor(x0), y = Math.floor(y0);
    const xe = Math.floor(x1), ye = Math.floor(y1);
    const dx = Math.abs(xe - x), dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1, sy = y < ye ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.blend(x, y, c);
      if (x === xe && y === ye) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** A filled, anti-aliased disc. */
  disc(cx: number, cy: number, r: number, colour: string): void {
    if (![cx, cy, r].every(Number.isFinite) || r <= 0) return;
    const c = parseColour(colour);
    for (let py = Math.floor(cy - r - 1); py <= Math.ceil(cy + r + 1); py++) {
      for (let px = Math.floor(cx - r - 1); px <= Math.ceil(cx + r + 1); px++) {
        const d = Math.hypot(px + 0.5 - cx, py + 0.5 - cy);
        this.blend(px, py, c, Math.min(1, r + 0.5 - d));
      }
    }
  }

  /**
   * Draws `text` at (x, y) (rounded to whole pixels) and returns the box it occupies (textBox).
   * Glyph pixels are opaque squares of `scale` × `scale`; characters without a glyph are drawn
   * as a hollow box.
   */
  text(text: string, x: number, y: number, style: TextStyle = {}): Box {
    const { f, s } = fontScale(style);
    const c = parseColour(style.colour ?? '#000000');
    const cps = codePointsOf(text);
    const w = cps.length * f.width * s;
    const u0 = style.anchor === 'middle' ? -Math.round(w / 2) : style.anchor === 'end' ? -w : 0;
    const v0 = -baselineOffset(f, s, style.baseline ?? 'alphabetic');
    const X = Math.round(x);
    const Y = Math.round(y);
    const rot = style.rotate ?? 0;
    for (let k = 0; k < cps.length; k++) {
      const rows = f.glyph(cps[k]!);
      for (let gy = 0; gy < f.height; gy++) {
        const row = rows[gy]!;
        if (!row) continue;
        for (let gx = 0; gx < f.width; gx++) {
          if (((row >> (f.width - 1 - gx)) & 1) === 0) continue;
          for (let sy = 0; sy < s; sy++) {
            for (let sx = 0; sx < s; sx++) {
              const a = u0 + (k * f.width + gx) * s + sx; // along the text
              const b = v0 + gy * s + sy; // down the cell
              if (rot === 0) this.blend(X + a, Y + b, c);
              else if (rot === -90) this.blend(X + b, Y - a - 1, c);
              else this.blend(X - b - 1, Y + a, c);
            }
          }
        }
      }
    }
    return textBox(text, x, y, style);
  }

  /** PNG bytes of the canvas. */
  toPng(opts?: PngEncodeOptions): Uint8Array {
    return encodePng(this.data, this.width, this.height, opts);
  }
}
