import { describe, expect, it } from 'vitest';
import { FONT_NAMES, getFont } from '../../../src/main/engine/plot/font';
import { decodePng } from '../../../src/main/engine/plot/png';
import { measureText, Raster, textBox, type Box, type TextStyle } from '../../../src/main/engine/plot/raster';

/** Bounding box of the pixels that differ from the background (null if none). */
function inkBox(r: Raster, bg = [255, 255, 255, 255]): Box | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const d = r.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] === bg[0] && d[i + 1] === bg[1] && d[i + 2] === bg[2] && d[i + 3] === bg[3]) continue;
    const x = (i >> 2) % r.width, y = Math.floor((i >> 2) / r.width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return x0 === Infinity ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Ink amount: sum over pixels of (255 - red) / 255 for black drawn on white. */
function ink(r: Raster): number {
  let s = 0;
  for (let i = 0; i < r.data.length; i += 4) s += (255 - r.data[i]!) / 255;
  return s;
}

const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;

describe('Raster basics', () => {
  it('fills rectangles on whole pixels and clips at the edges', () => {
    const r = new Raster(10, 8, '#ffffff');
    r.fillRect(2, 3, 4, 2, '#ff0000');
    r.fillRect(-5, -5, 7, 6, '#0000ff'); // clipped to [0,2)×[0,1)
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 10; x++) {
        const red = x >= 2 && x < 6 && y >= 3 && y < 5;
        const blue = x < 2 && y < 1;
        expect(r.getPixel(x, y)).toEqual(red ? [255, 0, 0, 255] : blue ? [0, 0, 255, 255] : [255, 255, 255, 255]);
      }
    }
  });

  it('composites "source over" (Porter–Duff): 50 % black on white is mid grey', () => {
    const r = new Raster(2, 1, '#ffffff');
    r.fillRect(0, 0, 1, 1, '#00000080'); // alpha 128/255
    // Closed form: 255·(1 − 128/255) = 127.
    expect(r.getPixel(0, 0)).toEqual([127, 127, 127, 255]);
    const t = new Raster(1, 1, '#00000000'); // transparent canvas
    t.fillRect(0, 0, 1, 1, '#ff000080');
    expect(t.getPixel(0, 0)).toEqual([255, 0, 0, 128]);
  });

  it('strokeRect draws a frame inside the rectangle', () => {
    const r = new Raster(8, 8);
    r.strokeRect(1, 1, 6, 5, '#000000', 1);
    expect(inkBox(r)).toEqual({ x: 1, y: 1, w: 6, h: 5 });
    expect(r.getPixel(3, 3)).toEqual([255, 255, 255, 255]);
    expect(ink(r)).toBeCloseTo(2 * 6 + 2 * 3, 6);
  });

  it('anti-aliased lines put ink ≈ length × width, crisp on pixel centres', () => {
    // A horizontal line through pixel centres, width 1: exactly one row, full coverage,
    // plus round caps of half a pixel at each end.
    const r = new Raster(60, 20);
    r.line(10, 10.5, 50, 10.5, '#000000', { width: 1 });
    expect(r.getPixel(30, 10)).toEqual([0, 0, 0, 255]);
    expect(r.getPixel(30, 9)).toEqual([255, 255, 255, 255]);
    expect(r.getPixel(30, 11)).toEqual([255, 255, 255, 255]);
    // Diagonal lines: ink within 3 % of length × width + cap area (π w²/4), a closed form.
    for (const w of [1, 2, 3]) {
      const d = new Raster(120, 120);
      d.line(10, 15, 100, 90, '#000000', { width: w });
      const len = Math.hypot(90, 75);
      const expected = len * w + (Math.PI * w * w) / 4;
      expect(Math.abs(ink(d) - expected) / expected).toBeLessThan(0.03);
    }
  });

  it('polylines break at non-finite points, join without double ink, and draw isolated points', () => {
    const a = new Raster(80, 40);
    a.polyline([5, 20.5, 30, 20.5, NaN, 0, 50, 20.5, 75, 20.5], '#000000', { width: 1 });
    expect(a.getPixel(20, 20)[0]).toBe(0);
    expect(a.getPixel(40, 20)[0]).toBe(255); // the gap
    expect(a.getPixel(60, 20)[0]).toBe(0);
    // Two collinear segments sharing a point have the same ink as one segment.
    const one = new Raster(80, 10);
    one.polyline([5, 5.5, 75, 5.5], '#000000', { width: 2 });
    const two = new Raster(80, 10);
    two.polyline([5, 5.5, 40, 5.5, 75, 5.5], '#000000', { width: 2 });
    expect(ink(two)).toBeCloseTo(ink(one), 6);
    const dot = new Raster(20, 20);
    dot.polyline([NaN, NaN, 10, 10, Infinity, 3], '#000000', { width: 4 });
    expect(ink(dot)).toBeGreaterThan(Math.PI * 4 * 0.8); // disc of radius 2
    const nothing = new Raster(10, 10);
    nothing.polyline([NaN, 1, 2, NaN], '#000000');
    expect(ink(nothing)).toBe(0);
  });

  it('non-antialiased lines are 1-pixel Bresenham lines', () => {
    const r = new Raster(20, 20);
    r.line(2, 3, 12, 8, '#000000', { antialias: false });
    expect(ink(r)).toBe(11); // max(|dx|, |dy|) + 1 pixels
    expect(r.getPixel(2, 3)[0]).toBe(0);
    expect(r.getPixel(12, 8)[0]).toBe(0);
  });

  it('discs have area ≈ π r² (relative error shrinking like 1/r²: edge coverage is linear in distance)', () => {
    for (const rad of [2, 3, 5.5, 12]) {
      const r = new Raster(40, 40);
      r.disc(20.3, 19.7, rad, '#000000');
      expect(Math.abs(ink(r) - Math.PI * rad * rad) / (Math.PI * rad * rad)).toBeLessThan(0.12 / (rad * rad));
    }
  });

  it('exports a PNG of the canvas', () => {
    const r = new Raster(7, 5, '#336699');
    r.fillRect(1, 1, 2, 2, '#ffcc00');
    const back = decodePng(r.toPng());
    expect([back.width, back.height]).toEqual([7, 5]);
    expect(Buffer.from(back.rgba).equals(Buffer.from(r.data))).toBe(true);
  });
});

describe('Raster text', () => {
  const anchors = ['start', 'middle', 'end'] as const;
  const baselines = ['top', 'middle', 'alphabetic', 'bottom'] as const;
  const rotations = [0, -90, 90] as const;

  it('puts all ink inside the measured box, for every font, anchor, baseline, rotation and scale', () => {
    const sample = 'Ag|jÉ_q"(1)';
    for (const font of FONT_NAMES) {
      for (const scale of [1, 2]) {
        const m = measureText(sample, font, scale);
        const f = getFont(font);
        expect(m.width).toBe([...sample].length * f.width * scale);
        expect(m.height).toBe(f.height * scale);
        for (const anchor of anchors) {
          for (const baseline of baselines) {
            for (const rotate of rotations) {
              const r = new Raster(500, 500);
              const style: TextStyle = { font, scale, anchor, baseline, rotate, colour: '#000000' };
              const box = r.text(sample, 250, 250, style);
              expect(box).toEqual(textBox(sample, 250, 250, style));
              const got = inkBox(r)!;
              expect(got, `${font} ×${scale} ${anchor}/${baseline}/${rotate}`).not.toBeNull();
              expect(inside(got, box), `${font} ×${scale} ${anchor}/${baseline}/${rotate}: ${JSON.stringify(got)} ⊄ ${JSON.stringify(box)}`).toBe(true);
              // The box is tight along the text: ink reaches near both ends.
              const along = rotate === 0 ? [got.x - box.x, box.x + box.w - got.x - got.w] : [got.y - box.y, box.y + box.h - got.y - got.h];
              expect(Math.max(...along)).toBeLessThanOrEqual(f.width * scale);
            }
          }
        }
      }
    }
  });

  it('anchors and baselines place the text where they say', () => {
    const f = getFont('6x13');
    const r = new Raster(100, 60);
    const b = r.text('HHH', 50, 30, { anchor: 'middle', baseline: 'middle' });
    expect(b.x + b.w / 2).toBe(50);
    // The capitals of 'H' are centred on y = 30 (to the pixel).
    const ib = inkBox(r)!;
    expect(Math.abs(ib.y + ib.h / 2 - 30)).toBeLessThanOrEqual(0.5);
    expect(ib.h).toBe(f.capHeight);
    const s = new Raster(100, 60);
    s.text('H', 10, 40, { baseline: 'alphabetic' });
    expect(inkBox(s)!.y + inkBox(s)!.h).toBe(40); // sits on the baseline
  });

  it('scale 2 doubles every pixel; rotation by ±90° is an exact rotation of the bitmap', () => {
    const txt = 'Rot8';
    const one = new Raster(40, 20);
    one.text(txt, 0, 0, { baseline: 'top' });
    const two = new Raster(80, 40);
    two.text(txt, 0, 0, { baseline: 'top', scale: 2 });
    for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) expect(two.getPixel(x, y)).toEqual(one.getPixel(x >> 1, y >> 1));
    const m = measureText(txt);
    const ccw = new Raster(m.height, m.width);
    ccw.text(txt, 0, m.width, { baseline: 'top', rotate: -90 }); // reads upwards from the bottom-left
    const cw = new Raster(m.height, m.width);
    cw.text(txt, m.height, 0, { baseline: 'top', rotate: 90 }); // reads downwards from the top-right
    for (let v = 0; v < m.height; v++) {
      for (let u = 0; u < m.width; u++) {
        const p = one.getPixel(u, v);
        expect(ccw.getPixel(v, m.width - 1 - u)).toEqual(p);
        expect(cw.getPixel(m.height - 1 - v, u)).toEqual(p);
      }
    }
  });

  it('renders characters outside the font as a visible box, not nothing', () => {
    const r = new Raster(30, 20);
    r.text('中', 5, 15);
    const b = inkBox(r)!;
    expect(b.w).toBeGreaterThanOrEqual(3);
    expect(b.h).toBe(getFont('6x13').capHeight);
    // Astral characters count as one character.
    expect(measureText('𝄞').width).toBe(6);
  });

  it('rejects non-integer scales', () => {
    expect(() => measureText('x', '6x13', 1.5)).toThrow(RangeError);
  });
});
