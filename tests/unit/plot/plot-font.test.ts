import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FONT_NAMES, getFont } from '../../../src/main/engine/plot/font';
import { SANS_CODE_POINTS, SANS_WIDTHS_BOLD, SANS_WIDTHS_REGULAR } from '../../../src/main/engine/plot/sans-widths';
import { codePoints, FONT_DIR } from '../../fixtures/plot/make_font';
import { cellRows, readPcf } from './plot-pcf';

describe('bitmap fonts (font.ts / font-data.ts)', () => {
  it('every font has every printable ASCII and Latin-1 character', () => {
    for (const name of FONT_NAMES) {
      const f = getFont(name);
      for (let c = 0x20; c <= 0x7e; c++) expect(f.has(c), `${name} U+${c.toString(16)}`).toBe(true);
      for (let c = 0xa0; c <= 0xff; c++) expect(f.has(c), `${name} U+${c.toString(16)}`).toBe(true);
      expect(f.height).toBe(f.ascent + f.descent);
      expect(f.capHeight).toBeGreaterThan(f.ascent / 2);
      expect(f.capHeight).toBeLessThanOrEqual(f.ascent);
    }
  });

  it('glyphs have ink where expected, and only inside the cell', () => {
    for (const name of FONT_NAMES) {
      const f = getFont(name);
      const mask = (1 << f.width) - 1;
      for (let c = 0x21; c <= 0x7e; c++) {
        const rows = f.glyph(c);
        expect(rows.length).toBe(f.height);
        expect(rows.some((r) => r !== 0), `${name} '${String.fromCharCode(c)}' has ink`).toBe(true);
        expect(rows.every((r) => (r & ~mask) === 0)).toBe(true);
      }
      expect(f.glyph(0x20).every((r) => r === 0)).toBe(true); // space is blank
      // 'g' descends below the baseline, 'x' does not.
      expect(f.glyph(0x67).slice(f.ascent).some((r) => r !== 0)).toBe(true);
      expect(f.glyph(0x78).slice(f.ascent).every((r) => r === 0)).toBe(true);
    }
  });

  it('draws a missing character as a hollow box from the cap line to the baseline', () => {
    const f = getFont('6x13');
    expect(f.has(0x4e2d)).toBe(false); // 中
    const box = f.glyph(0x4e2d);
    const top = f.ascent - f.capHeight;
    expect(box[top]).toBe(0b011110);
    for (let y = top + 1; y < f.ascent - 1; y++) expect(box[y]).toBe(0b010010);
    expect(box[f.ascent - 1]).toBe(0b011110);
    expect(box.slice(0, top).every((r) => r === 0)).toBe(true);
  });

  it('matches the X11 misc-fixed PCF files it was transcribed from', (ctx) => {
    if (!existsSync(FONT_DIR)) {
      console.warn(`skipped: ${FONT_DIR} (xfonts-base) not installed`);
      ctx.skip();
    }
    for (const name of FONT_NAMES) {
      const pcf = readPcf(`${FONT_DIR}/${name}.pcf.gz`);
      const ours = getFont(name);
      expect(pcf.properties.get('COPYRIGHT')).toMatch(/public domain/i);
      expect([pcf.fontAscent, pcf.fontDescent, pcf.glyph(0x41)!.width]).toEqual([ours.ascent, ours.descent, ours.width]);
      for (const cp of codePoints()) {
        const rows = cellRows(pcf, cp, ours.width);
        expect(ours.has(cp)).toBe(rows !== undefined);
        if (rows) expect([...ours.glyph(cp)], `${name} U+${cp.toString(16)}`).toEqual(rows);
      }
    }
  });

  it('the SVG width table covers every transcribed character, with sane widths', () => {
    const set = new Set(SANS_CODE_POINTS);
    for (const cp of codePoints()) expect(set.has(cp), `U+${cp.toString(16)}`).toBe(true);
    expect(SANS_WIDTHS_REGULAR.length).toBe(SANS_CODE_POINTS.length);
    expect(SANS_WIDTHS_BOLD.length).toBe(SANS_CODE_POINTS.length);
    const w = (cp: number, t: number[]) => t[SANS_CODE_POINTS.indexOf(cp)]!;
    // Liberation Sans (Arial metrics) 'i' 222, 'M' 833, digits 556 per 1000 em; DejaVu Sans wider.
    expect(w(0x69, SANS_WIDTHS_REGULAR)).toBeGreaterThanOrEqual(222);
    expect(w(0x4d, SANS_WIDTHS_REGULAR)).toBeGreaterThanOrEqual(833);
    for (let d = 0x30; d <= 0x39; d++) expect(w(d, SANS_WIDTHS_REGULAR)).toBe(w(0x30, SANS_WIDTHS_REGULAR));
    for (let i = 0; i < SANS_CODE_POINTS.length; i++) {
      expect(SANS_WIDTHS_BOLD[i]!).toBeGreaterThanOrEqual(SANS_WIDTHS_REGULAR[i]! * 0.95);
      expect(SANS_WIDTHS_REGULAR[i]!).toBeLessThanOrEqual(1100);
    }
  });
});
