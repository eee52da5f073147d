// Interleaved PCM bytes → one Float32Array per channel, with libsndfile's scaling (what
// soundfile and hence librosa.load return): signed n-bit integers are divided by 2^(n−1), 8-bit
// offset-binary by 128 after removing the offset, floats are taken as they are, G.711 µ-law /
// A-law expand to 16-bit values divided by 32,768. So int16 data gives exactly int16 / 32768.

export type PcmKind = 'int' | 'uint8' | 'float' | 'ulaw' | 'alaw';

export interface PcmEncoding {
  kind: PcmKind;
  /** Bytes per sample as stored (container size). */
  bytes: number;
  littleEndian: boolean;
}

export interface PcmLayout extends PcmEncoding {
  /** Byte offset of the first frame. */
  offset: number;
  frames: number;
  channels: number;
  /** Bytes from one frame to the next (≥ channels · bytes). */
  blockAlign: number;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A short human name, e.g. "16-bit integer", "32-bit float", "8-bit µ-law". */
export function describeEncoding(e: PcmEncoding): string {
  switch (e.kind) {
    case 'int':
    case 'uint8':
      return `${e.bytes * 8}-bit integer`;
    case 'float':
      return `${e.bytes * 8}-bit float`;
    case 'ulaw':
      return '8-bit µ-law';
    case 'alaw':
      return '8-bit A-law';
  }
}

/** Whether `pcmToChannels` can read this encoding. */
export function isReadableEncoding(e: PcmEncoding): boolean {
  switch (e.kind) {
    case 'int':
      return e.bytes >= 1 && e.bytes <= 4;
    case 'uint8':
    case 'ulaw':
    case 'alaw':
      return e.bytes === 1;
    case 'float':
      return e.bytes === 4 || e.bytes === 8;
  }
}

// G.711 expansions to 16-bit linear (ITU-T G.711; the same tables libsndfile uses).
function ulawToLinear(u: number): number {
  u = ~u & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

function alawToLinear(a: number): number {
  a ^= 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

let ulawTable: Float32Array | null = null;
let alawTable: Float32Array | null = null;

function lawTable(kind: 'ulaw' | 'alaw'): Float32Array {
  if (kind === 'ulaw') {
    if (!ulawTable) ulawTable = Float32Array.from({ length: 256 }, (_, i) => ulawToLinear(i) / 32768);
    return ulawTable;
  }
  if (!alawTable) alawTable = Float32Array.from({ length: 256 }, (_, i) => alawToLinear(i) / 32768);
  return alawTable;
}

/**
 * Typed view of the sample words when they are naturally aligned and in host byte order,
 * copying the bytes to a fresh buffer when the offset is misaligned; null when not applicable.
 */
function alignedView(bytes: Uint8Array, l: PcmLayout): Int16Array | Int32Array | Float32Array | Float64Array | null {
  if (l.littleEndian !== HOST_LITTLE_ENDIAN || l.blockAlign !== l.channels * l.bytes) return null;
  let ctor: Int16ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;
  if (l.kind === 'int' && l.bytes === 2) ctor = Int16Array;
  else if (l.kind === 'int' && l.bytes === 4) ctor = Int32Array;
  else if (l.kind === 'float' && l.bytes === 4) ctor = Float32Array;
  else if (l.kind === 'float' && l.bytes === 8) ctor = Float64Array;
  else return null;
  const count = l.frames * l.channels;
  const start = bytes.byteOffset + l.offset;
  if (start % l.bytes === 0) return new ctor(bytes.buffer as ArrayBuffer, start, count);
  // A fresh, aligned copy (not bytes.slice: on a Node Buffer that is a view, not a copy).
  const copy = new Uint8Array(count * l.bytes);
  copy.set(bytes.subarray(l.offset, l.offset + count * l.bytes));
  return new ctor(copy.buffer, 0, count);
}

/** Decode interleaved PCM into one Float32Array per channel. The caller checks the layout fits. */
export function pcmToChannels(bytes: Uint8Array, l: PcmLayout): Float32Array[] {
  const { frames, channels } = l;
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(frames));

  const view = alignedView(bytes, l);
  if (view) {
    const scale = l.kind === 'float' ? 1 : l.bytes === 2 ? 1 / 32768 : 1 / 2147483648;
    for (let c = 0; c < channels; c++) {
      const dst = out[c];
      if (scale === 1) for (let i = 0, j = c; i < frames; i++, j += channels) dst[i] = view[j];
      else for (let i = 0, j = c; i < frames; i++, j += channels) dst[i] = view[j] * scale;
    }
    return out;
  }

  const { offset, blockAlign } = l;
  if (l.kind === 'uint8' || l.kind === 'ulaw' || l.kind === 'alaw' || (l.kind === 'int' && l.bytes === 1)) {
    const table =
      l.kind === 'ulaw' || l.kind === 'alaw'
        ? lawTable(l.kind)
        : Float32Array.from({ length: 256 }, (_, b) => (l.kind === 'uint8' ? b - 128 : (b << 24) >> 24) / 128);
    for (let c = 0; c < channels; c++) {
      const dst = out[c];
      for (let i = 0, p = offset + c; i < frames; i++, p += blockAlign) dst[i] = table[bytes[p]];
    }
    return out;
  }

  if (l.kind === 'int' && l.bytes === 3) {
    const scale = 1 / 8388608;
    const [lo, mid, hi] = l.littleEndian ? [0, 1, 2] : [2, 1, 0];
    for (let c = 0; c < channels; c++) {
      const dst = out[c];
      for (let i = 0, p = offset + 3 * c; i < frames; i++, p += blockAlign) {
        const v = bytes[p + lo] | (bytes[p + mid] << 8) | (bytes[p + hi] << 16);
        dst[i] = ((v << 8) >> 8) * scale;
      }
    }
    return out;
  }

  // Remaining cases (big-endian words, padded frames): DataView.
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = l.littleEndian;
  const read: (p: number) => number =
    l.kind === 'float'
      ? l.bytes === 4
        ? (p) => dv.getFloat32(p, le)
        : (p) => dv.getFloat64(p, le)
      : l.bytes === 2
        ? (p) => dv.getInt16(p, le) / 32768
        : (p) => dv.getInt32(p, le) / 2147483648;
  for (let c = 0; c < channels; c++) {
    const dst = out[c];
    for (let i = 0, p = offset + l.bytes * c; i < frames; i++, p += blockAlign) dst[i] = read(p);
  }
  return out;
}

/** "1.2 MB", "3 KB", "512 bytes". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1e6) return `${Math.round(n / 1e3)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}
