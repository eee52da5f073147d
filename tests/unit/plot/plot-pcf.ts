// A reader for X11 PCF bitmap fonts (the format of /usr/share/fonts/X11/misc/*.pcf.gz), used to
// transcribe the public-domain "misc-fixed" fonts into src/main/engine/plot/font.ts
// (tests/fixtures/plot/make_font.ts) and to check that transcription (plot-font.test.ts).
// Format: the X.Org "pcfread.c" layout (FreeType's src/pcf/pcfread.c documents the same tables).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const PCF_PROPERTIES = 1 << 0;
const PCF_METRICS = 1 << 2;
const PCF_BITMAPS = 1 << 3;
const PCF_BDF_ENCODINGS = 1 << 5;
const PCF_BDF_ACCELERATORS = 1 << 8;
const PCF_ACCELERATORS = 1 << 1;
const PCF_COMPRESSED_METRICS = 0x100;

export interface PcfGlyph {
  /** Left side bearing, right side bearing, advance, ascent, descent (BDF conventions). */
  lsb: number;
  rsb: number;
  width: number;
  ascent: number;
  descent: number;
  /** Rows top to bottom; each row is `rsb - lsb` bits, bit (rsb-lsb-1-i) = pixel i from the left. */
  rows: number[];
}

export interface PcfFont {
  fontAscent: number;
  fontDescent: number;
  properties: Map<string, string | number>;
  /** Glyph for a code point (encoding index = byte2 + 256 * byte1). */
  glyph(code: number): PcfGlyph | undefined;
}

class Reader {
  constructor(
    private readonly b: Buffer,
    public pos: number,
    private big = false,
  ) {}
  setOrder(format: number): void {
    this.big = (format & (1 << 2)) !== 0;
  }
  i32le(): number {
    const v = this.b.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    const v = this.big ? this.b.readInt32BE(this.pos) : this.b.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i16(): number {
    const v = this.big ? this.b.readInt16BE(this.pos) : this.b.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u16(): number {
    const v = this.big ? this.b.readUInt16BE(this.pos) : this.b.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u8(): number {
    return this.b[this.pos++]!;
  }
}

export function readPcf(file: string): PcfFont {
  let b = readFileSync(file);
  if (file.endsWith('.gz')) b = gunzipSync(b);
  if (b.toString('latin1', 0, 4) !== '\x01fcp') throw new Error(`${file}: not a PCF font`);
  const head = new Reader(b, 4);
  const count = head.i32le();
  const tables = new Map<number, { format: number; offset: number }>();
  for (let i = 0; i < count; i++) {
    const type = head.i32le();
    const format = head.i32le();
    head.i32le(); // size
    const offset = head.i32le();
    tables.set(type, { format, offset });
  }
  const open = (type: number): { r: Reader; format: number } => {
    const t = tables.get(type);
    if (!t) throw new Error(`${file}: PCF table ${type} missing`);
    const r = new Reader(b, t.offset);
    const format = r.i32le();
    r.setOrder(format);
    return { r, format };
  };

  // Properties (for FONT_ASCENT etc. and the copyright notice).
  const properties = new Map<string, string | number>();
  {
    const { r } = open(PCF_PROPERTIES);
    const n = r.i32();
    const props: { name: number; isString: boolean; value: number }[] = [];
    for (let i = 0; i < n; i++) props.push({ name: r.i32(), isString: r.u8() !== 0, value: r.i32() });
    r.pos += (n & 3) === 0 ? 0 : 4 - (n & 3);
    r.i32(); // string pool size
    const pool = r.pos;
    const str = (off: number): string => {
      let e = pool + off;
      while (b[e] !== 0) e++;
      return b.toString('latin1', pool + off, e);
    };
    for (const p of props) properties.set(str(p.name), p.isString ? str(p.value) : p.value);
  }

  // Accelerators: font ascent/descent.
  const acc = open(tables.has(PCF_BDF_ACCELERATORS) ? PCF_BDF_ACCELERATORS : PCF_ACCELERATORS).r;
  acc.pos += 8;
  const fontAscent = acc.i32();
  const fontDescent = acc.i32();

  // Metrics.
  const metrics: Omit<PcfGlyph, 'rows'>[] = [];
  {
    const { r, format } = open(PCF_METRICS);
    if (format & PCF_COMPRESSED_METRICS) {
      const n = r.i16();
      for (let i = 0; i < n; i++) {
        metrics.push({
          lsb: r.u8() - 0x80,
          rsb: r.u8() - 0x80,
          width: r.u8() - 0x80,
          ascent: r.u8() - 0x80,
          descent: r.u8() - 0x80,
        });
      }
    } else {
      const n = r.i32();
      for (let i = 0; i < n; i++) {
        const m = { lsb: r.i16(), rsb: r.i16(), width: r.i16(), ascent: r.i16(), descent: r.i16() };
        r.i16(); // attributes
        metrics.push(m);
      }
    }
  }

  // Bitmaps.
  const bitmaps: number[][] = [];
  {
    const { r, format } = open(PCF_BITMAPS);
    const n = r.i32();
    const offsets: number[] = [];
    for (let i = 0; i < n; i++) offsets.push(r.i32());
    const sizes = [r.i32(), r.i32(), r.i32(), r.i32()];
    const data = r.pos;
    const pad = 1 << (format & 3);
    const msbByteFirst = (format & (1 << 2)) !== 0;
    const msbBitFirst = (format & (1 << 3)) !== 0;
    const unit = 1 << ((format >> 4) & 3);
    void sizes;
    for (let g = 0; g < n; g++) {
      const m = metrics[g]!;
      const w = m.rsb - m.lsb;
      const h = m.ascent + m.descent;
      const stride = Math.ceil(Math.ceil(w / 8) / pad) * pad;
      const rows: number[] = [];
      for (let y = 0; y < h; y++) {
        let row = 0;
        for (let x = 0; x < w; x++) {
          // Byte index within the row, accounting for the scan unit's byte order.
          let byteIdx = x >> 3;
          if (!msbByteFirst && unit > 1) {
            const u = byteIdx - (byteIdx % unit);
            byteIdx = u + (unit - 1 - (byteIdx % unit));
          }
          const byte = b[data + offsets[g]! + y * stride + byteIdx]!;
          const bit = msbBitFirst ? (byte >> (7 - (x & 7))) & 1 : (byte >> (x & 7)) & 1;
          row = row * 2 + bit;
        }
        rows.push(row);
      }
      bitmaps.push(rows);
    }
  }

  // Encodings.
  const index = new Map<number, number>();
  {
    const { r } = open(PCF_BDF_ENCODINGS);
    const min2 = r.i16();
    const max2 = r.i16();
    const min1 = r.i16();
    const max1 = r.i16();
    r.i16(); // default char
    for (let b1 = min1; b1 <= max1; b1++) {
      for (let b2 = min2; b2 <= max2; b2++) {
        const g = r.u16();
        if (g !== 0xffff) index.set(b1 * 256 + b2, g);
      }
    }
  }

  return {
    fontAscent,
    fontDescent,
    properties,
    glyph(code) {
      const g = index.get(code);
      if (g === undefined) return undefined;
      return { ...metrics[g]!, rows: bitmaps[g]! };
    },
  };
}

/**
 * A glyph placed in a fixed cell (`cellWidth` × fontAscent+fontDescent), rows top to bottom, each
 * row's bit (cellWidth-1-x) = pixel x — the layout font.ts stores.
 */
export function cellRows(font: PcfFont, code: number, cellWidth: number): number[] | undefined {
  const g = font.glyph(code);
  if (!g) return undefined;
  const h = font.fontAscent + font.fontDescent;
  const out = new Array<number>(h).fill(0);
  const w = g.rsb - g.lsb;
  for (let y = 0; y < g.ascent + g.descent; y++) {
    const cy = font.fontAscent - g.ascent + y;
    if (cy < 0 || cy >= h) continue;
    for (let x = 0; x < w; x++) {
      if (((g.rows[y]! >> (w - 1 - x)) & 1) === 0) continue;
      const cx = g.lsb + x;
      if (cx < 0 || cx >= cellWidth) continue;
      out[cy] = out[cy]! | (1 << (cellWidth - 1 - cx));
    }
  }
  return out;
}
