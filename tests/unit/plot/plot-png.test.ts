import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, decodePng, encodePng, PNG_SIGNATURE, readPngChunks } from '../../../src/main/engine/plot/png';
import { mulberry32 } from '../../../src/main/engine/random';

const IDENTIFY = '/usr/bin/identify';
// The real ImageMagick binary (not a wrapper that may sit earlier on PATH).
const CONVERT = ['/usr/bin/convert-im6.q16', '/usr/bin/convert'].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), 'plot-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomImage(w: number, h: number, seed: number): Uint8Array {
  const rng = mulberry32(seed);
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < px.length; i++) px[i] = Math.floor(rng() * 256);
  return px;
}

function gradient(w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      px[i] = (x * 255) / (w - 1);
      px[i + 1] = (y * 255) / (h - 1);
      px[i + 2] = ((x + y) * 127) / (w + h);
      px[i + 3] = 255 - ((x * 3) % 64);
    }
  }
  return px;
}

describe('crc32', () => {
  it('matches the CRC-32 check value and zlib', () => {
    // Check value of CRC-32/ISO-HDLC for "123456789" (the CRC catalogue, and PNG Annex D's code).
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    // python3 -c "import zlib; print([hex(zlib.crc32(s)) for s in [b'', b'IEND', bytes(range(256))]])"
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(Uint8Array.from({ length: 256 }, (_, i) => i))).toBe(0x29058c73);
  });
});

describe('encodePng', () => {
  it('writes the signature, a correct IHDR, CRC-valid chunks and IEND last', () => {
    const png = encodePng(gradient(37, 23), 37, 23, { text: { Software: 'Genrelab' } });
    expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    const chunks = readPngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const ih = chunks[0]!.data;
    const dv = new DataView(ih.buffer, ih.byteOffset, ih.length);
    expect(ih.length).toBe(13);
    expect(dv.getUint32(0)).toBe(37);
    expect(dv.getUint32(4)).toBe(23);
    expect([...ih.subarray(8)]).toEqual([8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, filter 0, no interlace
    expect(chunks[3]!.data.length).toBe(0);
    // The IEND chunk is the fixed 12 bytes every PNG ends with.
    expect(Buffer.from(png.subarray(png.length - 12)).toString('hex')).toBe('0000000049454e44ae426082');
  });

  it('round-trips exactly with both filter modes, and the decoder catches a corrupted CRC', () => {
    for (const [w, h] of [[1, 1], [3, 7], [64, 33]] as const) {
      const img = randomImage(w, h, w * 100 + h);
      for (const filter of ['adaptive', 'none'] as const) {
        const back = decodePng(encodePng(img, w, h, { filter }));
        expect(back.width).toBe(w);
        expect(back.height).toBe(h);
        expect(Buffer.from(back.rgba).equals(Buffer.from(img))).toBe(true);
      }
    }
    const png = encodePng(gradient(8, 8), 8, 8);
    png[png.length - 20] ^= 0xff; // inside IDAT
    expect(() => decodePng(png)).toThrow(/CRC/);
  });

  it('uses all the filter types adaptively and beats filter 0 on a smooth image', () => {
    const img = gradient(200, 120);
    const adaptive = encodePng(img, 200, 120);
    const none = encodePng(img, 200, 120, { filter: 'none' });
    expect(adaptive.length).toBeLessThan(none.length);
    const raw = Buffer.from(decodeIdat(adaptive));
    const types = new Set<number>();
    for (let y = 0; y < 120; y++) types.add(raw[y * (200 * 4 + 1)]!);
    expect([...types].every((t) => t >= 0 && t <= 4)).toBe(true);
    expect(types.size).toBeGreaterThan(1);
    expect(decodePng(adaptive).rgba).toEqual(img);
  });

  it('rejects sizes that do not match the data', () => {
    expect(() => encodePng(new Uint8Array(15), 2, 2)).toThrow(RangeError);
    expect(() => encodePng(new Uint8Array(0), 0, 0)).toThrow(RangeError);
    expect(() => encodePng(new Uint8Array(8), 1.5, 1)).toThrow(RangeError);
  });
});

function decodeIdat(png: Uint8Array): Uint8Array {
  return inflateSync(Buffer.concat(readPngChunks(png).filter((c) => c.type === 'IDAT').map((c) => c.data)));
}

describe('PNG interoperability with ImageMagick', () => {
  it('identify accepts the file and reports its size and depth', (ctx) => {
    if (!existsSync(IDENTIFY)) {
      console.warn(`skipped: ${IDENTIFY} not installed`);
      ctx.skip();
    }
    const file = join(dir, 'ident.png');
    writeFileSync(file, encodePng(gradient(51, 19), 51, 19));
    const out = execFileSync(IDENTIFY, ['-format', '%m %w %h %z %[channels]', file]).toString();
    expect(out).toMatch(/^PNG 51 19 8 srgba/);
  });

  it("ImageMagick's decoder reads back our pixels exactly, and our decoder reads its PNGs", (ctx) => {
    if (!CONVERT) {
      console.warn('skipped: ImageMagick convert not installed');
      ctx.skip();
      return;
    }
    const w = 40, h = 25;
    const img = randomImage(w, h, 7);
    const ours = join(dir, 'ours.png');
    writeFileSync(ours, encodePng(img, w, h));
    const pixels = execFileSync(CONVERT, [ours, '-depth', '8', 'rgba:-']);
    expect(Buffer.from(pixels).equals(Buffer.from(img))).toBe(true);
    // The other way: ImageMagick encodes (its own filters and zlib settings), we decode.
    const raw = join(dir, 'raw.rgba');
    writeFileSync(raw, img);
    for (const [name, args] of [['rgba', []], ['rgb', ['-alpha', 'off']]] as const) {
      const theirs = join(dir, `theirs-${name}.png`);
      execFileSync(CONVERT, ['-size', `${w}x${h}`, '-depth', '8', `rgba:${raw}`, ...args, '-define', 'png:compression-filter=5', theirs]);
      const back = decodePng(new Uint8Array(readFileSync(theirs)));
      expect([back.width, back.height]).toEqual([w, h]);
      for (let i = 0; i < w * h; i++) {
        for (let k = 0; k < 3; k++) expect(back.rgba[i * 4 + k]).toBe(img[i * 4 + k]);
        expect(back.rgba[i * 4 + 3]).toBe(name === 'rgba' ? img[i * 4 + 3] : 255);
      }
    }
  });
});
