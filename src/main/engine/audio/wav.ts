// WAV reader (RIFF / RIFX / RF64; PCM 8–32-bit, IEEE float 32/64, A-law, µ-law, each also inside
// WAVE_FORMAT_EXTENSIBLE) and writer (16/24-bit PCM, 32-bit float).
//
// Truncated files: when the data chunk claims more bytes than the file holds (an interrupted
// download or copy, or a header that lies), the whole frames that are present are decoded and a
// warning says so; the file is 'corrupt' only when not even one whole frame remains. A data size
// of 0xFFFFFFFF (written by streaming recorders that never patch the header) means "to the end
// of the file" and is not reported as truncation.
import { DecodeError } from './types';
import { describeEncoding, formatBytes, isReadableEncoding, pcmToChannels, type PcmEncoding } from './pcm';

export interface PcmAudio {
  sampleRate: number;
  /** One array per channel, scaled as libsndfile does (int16 → exactly v / 32768). */
  channelData: Float32Array[];
  /** E.g. "16-bit integer", "32-bit float". */
  encoding: string;
  warnings: string[];
}

export interface WavHeader {
  container: 'RIFF' | 'RIFX' | 'RF64';
  /** The format tag of the samples (WAVE_FORMAT_EXTENSIBLE resolved to its sub-format). */
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  /** Null when the samples are not plain PCM / float / G.711 (e.g. ADPCM). */
  encoding: PcmEncoding | null;
  dataOffset: number;
  /** Data size the header declares, and the whole frames actually present. */
  declaredBytes: number;
  frames: number;
  warnings: string[];
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x0161: 'Windows Media Audio',
  0x2000: 'AC-3',
};

/** Human name of a WAV format tag, e.g. "IMA ADPCM (format 0x0011)". */
export function wavFormatName(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, '0')}`;
  return FORMAT_NAMES[tag] ? `${FORMAT_NAMES[tag]} (format ${hex})` : `format ${hex}`;
}

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

/** True for RIFF/RIFX/RF64 …WAVE. */
export function isWav(b: Uint8Array): boolean {
  if (b.length < 12) return false;
  const id = fourcc(b, 0);
  return (id === 'RIFF' || id === 'RIFX' || id === 'RF64') && fourcc(b, 8) === 'WAVE';
}

function encodingFor(tag: number, bits: number, sampleBytes: number, littleEndian: boolean): PcmEncoding | null {
  if (tag === FORMAT_PCM) {
    if (sampleBytes === 1) return { kind: 'uint8', bytes: 1, littleEndian };
    return { kind: 'int', bytes: sampleBytes, littleEndian };
  }
  if (tag === FORMAT_FLOAT) return { kind: 'float', bytes: sampleBytes, littleEndian };
  if (tag === FORMAT_ALAW && bits === 8) return { kind: 'alaw', bytes: 1, littleEndian };
  if (tag === FORMAT_MULAW && bits === 8) return { kind: 'ulaw', bytes: 1, littleEndian };
  return null;
}

/** Parse the chunks of a WAV file. Throws DecodeError('corrupt') for broken headers. */
export function parseWavHeader(b: Uint8Array): WavHeader {
  if (!isWav(b)) throw new DecodeError('unsupported', 'not a WAV file (no RIFF/WAVE header)');
  const container = fourcc(b, 0) as WavHeader['container'];
  const le = container !== 'RIFX';
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number) => dv.getUint16(o, le);
  const u32 = (o: number) => dv.getUint32(o, le);

  let fmt: { tag: number; channels: number; rate: number; blockAlign: number; bits: number } | null = null;
  let dataOffset = -1;
  let declared = 0;
  let ds64DataSize = -1;
  let pos = 12;
  while (pos + 8 <= b.length) {
    const id = fourcc(b, pos);
    const size = u32(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) throw new DecodeError('corrupt', 'WAV format (fmt) chunk is cut short');
      let tag = u16(body);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 26 > b.length) {
          throw new DecodeError('corrupt', 'WAV extensible format chunk is cut short');
        }
        tag = u16(body + 24); // first two bytes of the sub-format GUID
      }
      fmt = { tag, channels: u16(body + 2), rate: u32(body + 4), blockAlign: u16(body + 12), bits: u16(body + 14) };
    } else if (id === 'ds64' && container === 'RF64' && body + 16 <= b.length) {
      ds64DataSize = dv.getUint32(body + 8, true) + dv.getUint32(body + 12, true) * 4294967296;
    } else if (id === 'data') {
      dataOffset = body;
      declared = size === 0xffffffff && ds64DataSize >= 0 ? ds64DataSize : size;
      // A format chunk after the data is legal but rare: keep looking only if the data fits.
      if (fmt || size === 0xffffffff || body + size > b.length) break;
    }
    pos = body + size + (size & 1);
  }

  if (!fmt) {
    throw new DecodeError('corrupt', `WAV file has no format (fmt) chunk (file is ${formatBytes(b.length)})`);
  }
  if (dataOffset < 0) {
    throw new DecodeError('corrupt', `WAV file has no data chunk (file is ${formatBytes(b.length)})`);
  }
  const { tag, channels, rate, bits } = fmt;
  if (channels === 0) throw new DecodeError('corrupt', 'WAV header says the file has 0 channels');
  if (rate === 0) throw new DecodeError('corrupt', 'WAV header says the sample rate is 0 Hz');

  const minBytes = Math.ceil(bits / 8);
  // Container size per sample: from blockAlign when it is consistent, otherwise from the bits.
  let sampleBytes = fmt.blockAlign > 0 && fmt.blockAlign % channels === 0 ? fmt.blockAlign / channels : minBytes;
  if (sampleBytes < minBytes) sampleBytes = minBytes;
  const blockAlign = sampleBytes * channels;
  const encoding = encodingFor(tag, bits, sampleBytes, le);
  const warnings: string[] = [];

  const streamed = declared === 0xffffffff;
  const present = b.length - dataOffset;
  const usable = streamed ? present : Math.min(declared, present);
  const frames = blockAlign > 0 ? Math.floor(usable / blockAlign) : 0;
  if (!streamed && declared > present) {
    if (encoding && frames === 0) {
      throw new DecodeError(
        'corrupt',
        `WAV data chunk is truncated (header says ${formatBytes(declared)}, file has ${formatBytes(present)}) — no whole frame of audio is left`,
      );
    }
    warnings.push(
      `WAV data chunk is truncated (header says ${formatBytes(declared)}, file has ${formatBytes(present)}); ` +
        `decoded the ${frames.toLocaleString('en-US')} whole frames present (${(frames / rate).toFixed(2)} s)`,
    );
  }
  return {
    container,
    formatTag: tag,
    channels,
    sampleRate: rate,
    bitsPerSample: bits,
    blockAlign,
    encoding,
    dataOffset,
    declaredBytes: declared,
    frames,
    warnings,
  };
}

/**
 * Decode a PCM / float / G.711 WAV file natively. Throws DecodeError: 'corrupt' for broken
 * headers or no whole frame, 'unsupported' for other encodings (ADPCM, MP3-in-WAV…).
 */
export function decodeWavPcm(bytes: Uint8Array): PcmAudio {
  const h = parseWavHeader(bytes);
  if (!h.encoding || !isReadableEncoding(h.encoding)) {
    throw new DecodeError(
      'unsupported',
      `WAV with ${h.encoding ? `${h.bitsPerSample}-bit ` : ''}${wavFormatName(h.formatTag)} samples is not supported`,
    );
  }
  const channelData = pcmToChannels(bytes, {
    ...h.encoding,
    offset: h.dataOffset,
    frames: h.frames,
    channels: h.channels,
    blockAlign: h.blockAlign,
  });
  return { sampleRate: h.sampleRate, channelData, encoding: describeEncoding(h.encoding), warnings: h.warnings };
}

/**
 * Write mono samples as a WAV file: 16-bit or 24-bit PCM, or 32-bit IEEE float.
 * Samples are clipped to [-1, 1] (NaN becomes 0). Integers are x · 2^(bits−1), rounded and
 * limited to the largest positive code, so the reader's v / 2^(bits−1) gives back exactly any
 * value that came from such a file (e.g. int16 / 32768).
 */
export function encodeWav(samples: Float32Array, sampleRate: number, bitsPerSample: 16 | 24 | 32 = 16): Uint8Array {
  if (bitsPerSample !== 16 && bitsPerSample !== 24 && bitsPerSample !== 32) {
    throw new RangeError(`encodeWav: bitsPerSample must be 16, 24 (PCM) or 32 (float), got ${bitsPerSample}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffffff) {
    throw new RangeError(`encodeWav: sampleRate must be a positive integer, got ${sampleRate}`);
  }
  const isFloat = bitsPerSample === 32;
  const bytesPer = bitsPerSample / 8;
  const n = samples.length;
  const dataBytes = n * bytesPer;
  const fmtSize = isFloat ? 18 : 16;
  const factChunk = isFloat ? 12 : 0; // non-PCM formats carry a 'fact' chunk with the frame count
  const headerBytes = 12 + 8 + fmtSize + factChunk + 8;
  const pad = dataBytes & 1;
  const total = headerBytes + dataBytes + pad;
  if (total - 8 > 0xffffffff) throw new RangeError('encodeWav: more than 4 GB of audio does not fit a RIFF file');

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const ascii = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  dv.setUint32(4, total - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  dv.setUint32(16, fmtSize, true);
  dv.setUint16(20, isFloat ? FORMAT_FLOAT : FORMAT_PCM, true);
  dv.setUint16(22, 1, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * bytesPer, true);
  dv.setUint16(32, bytesPer, true);
  dv.setUint16(34, bitsPerSample, true);
  let p = 36;
  if (isFloat) {
    dv.setUint16(p, 0, true); // cbSize
    p += 2;
    ascii(p, 'fact');
    dv.setUint32(p + 4, 4, true);
    dv.setUint32(p + 8, n, true);
    p += 12;
  }
  ascii(p, 'data');
  dv.setUint32(p + 4, dataBytes, true);
  p += 8;

  const clip = (x: number) => (x > 1 ? 1 : x < -1 ? -1 : x === x ? x : 0);
  if (isFloat) {
    for (let i = 0; i < n; i++, p += 4) dv.setFloat32(p, clip(samples[i]), true);
  } else {
    const full = 2 ** (bitsPerSample - 1);
    for (let i = 0; i < n; i++, p += bytesPer) {
      const v = Math.min(full - 1, Math.round(clip(samples[i]) * full));
      if (bytesPer === 2) dv.setInt16(p, v, true);
      else {
        out[p] = v & 0xff;
        out[p + 1] = (v >> 8) & 0xff;
        out[p + 2] = (v >> 16) & 0xff;
      }
    }
  }
  return out;
}
