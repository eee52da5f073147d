// PNG encoder (8-bit RGBA, non-interlaced, adaptive per-row filters, zlib via node:zlib) and a
// minimal decoder for 8-bit greyscale/RGB/RGBA non-interlaced images (enough to read back what
// encodePng writes, and most simple PNGs). Specification: PNG (Third Edition), W3C 2025 —
// chunk layout §5, CRC §5.5 / Annex D, filters §7.3 and §9, IHDR §11.2.1.
import { deflateSync, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320), as PNG Annex D. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngEncodeOptions {
  /** 'adaptive' (default) picks per row the filter with the least sum of |signed bytes|
   *  (the libpng heuristic); 'none' writes filter type 0 on every row. */
  filter?: 'adaptive' | 'none';
  /** zlib level 0–9 (default 6). */
  level?: number;
  /** Optional tEXt chunks (Latin-1 keyword → value), e.g. { Software: 'Genrelab' }. */
  text?: Record<string, string>;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Cost of a filtered byte for the adaptive heuristic: |v| with v read as a signed byte. */
const cost8 = (v: number): number => {
  const u = v & 0xff;
  return u < 128 ? u : 256 - u;
};

/**
 * Chooses the filter for one scan line by the least sum of |signed filtered bytes| (libpng's
 * heuristic), computing all five candidates in one pass.
 */
function bestFilter(cur: Uint8Array, prev: Uint8Array, bpp: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  const n = cur.length;
  for (let i = 0; i < n; i++) {
    const x = cur[i]!;
    const b = prev[i]!;
    const a = i >= bpp ? cur[i - bpp]! : 0;
    const c = i >= bpp ? prev[i - bpp]! : 0;
    s0 += x < 128 ? x : 256 - x;
    s1 += cost8(x - a);
    s2 += cost8(x - b);
    s3 += cost8(x - ((a + b) >> 1));
    s4 += cost8(x - paeth(a, b, c));
  }
  let best = 0, min = s0;
  if (s1 < min) { best = 1; min = s1; }
  if (s2 < min) { best = 2; min = s2; }
  if (s3 < min) { best = 3; min = s3; }
  if (s4 < min) best = 4;
  return best;
}

/** Writes scan line `cur` filtered with `type` into out[o] (the type byte) and out[o+1 …]. */
function filterRow(type: number, cur: Uint8Array, prev: Uint8Array, bpp: number, out: Uint8Array, o: number): void {
  out[o++] = type;
  const n = cur.length;
  switch (type) {
    case 0:
      out.set(cur, o);
      return;
    case 1:
      for (let i = 0; i < n; i++) out[o + i] = cur[i]! - (i >= bpp ? cur[i - bpp]! : 0);
      return;
    case 2:
      for (let i = 0; i < n; i++) out[o + i] = cur[i]! - prev[i]!;
      return;
    case 3:
      for (let i = 0; i < n; i++) out[o + i] = cur[i]! - (((i >= bpp ? cur[i - bpp]! : 0) + prev[i]!) >> 1);
      return;
    default:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? cur[i - bpp]! : 0;
        const c = i >= bpp ? prev[i - bpp]! : 0;
        out[o + i] = cur[i]! - paeth(a, prev[i]!, c);
      }
  }
}

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes per pixel, length width*height*4) as PNG bytes. */
export function encodePng(rgba: Uint8Array, width: number, height: number, opts: PngEncodeOptions = {}): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new RangeError(`encodePng: bad size ${width}×${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`encodePng: expected ${width * height * 4} bytes for ${width}×${height} RGBA, got ${rgba.length}`);
  }
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  const zero = new Uint8Array(stride);
  const adaptive = (opts.filter ?? 'adaptive') === 'adaptive';
  for (let y = 0; y < height; y++) {
    const cur = rgba.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : zero;
    filterRow(adaptive ? bestFilter(cur, prev, 4) : 0, cur, prev, 4, raw, y * (stride + 1));
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const parts: Uint8Array[] = [PNG_SIGNATURE, chunk('IHDR', ihdr)];
  for (const [k, v] of Object.entries(opts.text ?? {})) {
    parts.push(chunk('tEXt', Uint8Array.from(Buffer.from(`${k}\0${v}`, 'latin1'))));
  }
  const idat = deflateSync(raw, { level: opts.level ?? 6 });
  parts.push(chunk('IDAT', new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface PngChunk {
  type: string;
  data: Uint8Array;
  /** CRC stored in the file, and whether it matches the computed one. */
  crc: number;
  crcOk: boolean;
}

/** Splits a PNG file into chunks (checks the signature, not the chunk order). */
export function readPngChunks(png: Uint8Array): PngChunk[] {
  for (let i = 0; i < 8; i++) if (png[i] !== PNG_SIGNATURE[i]) throw new Error('not a PNG: bad signature');
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  let p = 8;
  while (p + 12 <= png.length) {
    const len = dv.getUint32(p);
    if (p + 12 + len > png.length) throw new Error('PNG truncated');
    const type = String.fromCharCode(png[p + 4]!, png[p + 5]!, png[p + 6]!, png[p + 7]!);
    const data = png.subarray(p + 8, p + 8 + len);
    const crc = dv.getUint32(p + 8 + len);
    chunks.push({ type, data, crc, crcOk: crc === crc32(png, p + 4, p + 8 + len) });
    p += 12 + len;
    if (type === 'IEND') break;
  }
  return chunks;
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel (grey and RGB inputs are expanded, alpha 255). */
  rgba: Uint8Array;
}

/** Decodes 8-bit greyscale (0), RGB (2), grey+alpha (4) or RGBA (6), non-interlaced PNGs. */
export function decodePng(png: Uint8Array): DecodedPng {
  const chunks = readPngChunks(png);
  const bad = chunks.find((c) => !c.crcOk);
  if (bad) throw new Error(`PNG chunk ${bad.type}: CRC mismatch`);
  const ih = chunks[0];
  if (!ih || ih.type !== 'IHDR' || ih.data.length !== 13) throw new Error('PNG: IHDR missing');
  const dv = new DataView(ih.data.buffer, ih.data.byteOffset, 13);
  const width = dv.getUint32(0);
  const height = dv.getUint32(4);
  const depth = ih.data[8]!;
  const ctype = ih.data[9]!;
  if (depth !== 8 || ih.data[12] !== 0) throw new Error(`PNG: only 8-bit non-interlaced supported (depth ${depth})`);
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[ctype];
  if (!channels) throw new Error(`PNG: colour type ${ctype} not supported`);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const raw = inflateSync(idat);
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new Error('PNG: image data too short');
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[row + i - channels]! : 0;
      const b = y > 0 ? px[row - stride + i]! : 0;
      const c = y > 0 && i >= channels ? px[row - stride + i - channels]! : 0;
      const x = raw[src + i]!;
      let v: number;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: v = x + paeth(a, b, c); break;
        default: throw new Error(`PNG: bad filter type ${type} on row ${y}`);
      }
      px[row + i] = v & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: px };
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    rgba[i * 4] = px[s]!;
    rgba[i * 4 + 1] = grey ? px[s]! : px[s + 1]!;
    rgba[i * 4 + 2] = grey ? px[s]! : px[s + 2]!;
    rgba[i * 4 + 3] = channels === 2 ? px[s + 1]! : 255;
  }
  return { width, height, rgba };
}
