// AIFF / AIFF-C reader for uncompressed and G.711 data (NONE/twos, sowt, raw, fl32, fl64,
// ulaw, alaw). Other AIFF-C codecs (ima4, MAC3…) return null so the caller can try another
// decoder. Truncation is handled as for WAV: decode the whole frames present, warn, and fail as
// 'corrupt' only when none remain.
import { DecodeError } from './types';
import { describeEncoding, formatBytes, pcmToChannels, type PcmEncoding } from './pcm';
import type { PcmAudio } from './wav';

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

/** True for FORM …AIFF / AIFC. */
export function isAiff(b: Uint8Array): boolean {
  if (b.length < 12 || fourcc(b, 0) !== 'FORM') return false;
  const kind = fourcc(b, 8);
  return kind === 'AIFF' || kind === 'AIFC';
}

/** IEEE 754 80-bit extended (big-endian), as AIFF stores its sample rate. */
export function readExtended(dv: DataView, o: number): number {
  const se = dv.getUint16(o, false);
  const sign = se & 0x8000 ? -1 : 1;
  const exp = se & 0x7fff;
  const hi = dv.getUint32(o + 2, false);
  const lo = dv.getUint32(o + 6, false);
  if (exp === 0 && hi === 0 && lo === 0) return 0;
  if (exp === 0x7fff) return NaN;
  return sign * (hi * 4294967296 + lo) * 2 ** (exp - 16383 - 63);
}

function encodingFor(compression: string, bits: number): PcmEncoding | null {
  const bytes = Math.ceil(bits / 8);
  switch (compression) {
    case 'NONE':
    case 'twos':
      return bytes >= 1 && bytes <= 4 ? { kind: 'int', bytes, littleEndian: false } : null;
    case 'sowt':
      return bytes >= 1 && bytes <= 4 ? { kind: 'int', bytes, littleEndian: true } : null;
    case 'raw ':
      return bytes === 1 ? { kind: 'uint8', bytes: 1, littleEndian: false } : null;
    case 'fl32':
    case 'FL32':
      return { kind: 'float', bytes: 4, littleEndian: false };
    case 'fl64':
    case 'FL64':
      return { kind: 'float', bytes: 8, littleEndian: false };
    case 'ulaw':
    case 'ULAW':
      return { kind: 'ulaw', bytes: 1, littleEndian: false };
    case 'alaw':
    case 'ALAW':
      return { kind: 'alaw', bytes: 1, littleEndian: false };
    default:
      return null;
  }
}

/**
 * Decode an AIFF/AIFC file natively; null when its AIFF-C compression is not a plain PCM /
 * float / G.711 one. Throws DecodeError('corrupt') for broken files.
 */
export function decodeAiffPcm(b: Uint8Array): PcmAudio | null {
  if (!isAiff(b)) throw new DecodeError('unsupported', 'not an AIFF file (no FORM/AIFF header)');
  const isAifc = fourcc(b, 8) === 'AIFC';
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let comm: { channels: number; frames: number; bits: number; rate: number; compression: string } | null = null;
  let ssndOffset = -1;
  let ssndDeclared = 0;
  let pos = 12;
  while (pos + 8 <= b.length) {
    const id = fourcc(b, pos);
    const size = dv.getUint32(pos + 4, false);
    const body = pos + 8;
    if (id === 'COMM') {
      if (size < 18 || body + 18 > b.length) throw new DecodeError('corrupt', 'AIFF common (COMM) chunk is cut short');
      comm = {
        channels: dv.getInt16(body, false),
        frames: dv.getUint32(body + 2, false),
        bits: dv.getInt16(body + 6, false),
        rate: readExtended(dv, body + 8),
        compression: isAifc && size >= 22 && body + 22 <= b.length ? fourcc(b, body + 18) : 'NONE',
      };
    } else if (id === 'SSND') {
      if (body + 8 > b.length) throw new DecodeError('corrupt', 'AIFF sound data (SSND) chunk is cut short');
      ssndOffset = body + 8 + dv.getUint32(body, false);
      ssndDeclared = Math.max(0, size - 8 - dv.getUint32(body, false));
      if (comm || body + size > b.length) break;
    }
    pos = body + size + (size & 1);
  }
  if (!comm) throw new DecodeError('corrupt', `AIFF file has no common (COMM) chunk (file is ${formatBytes(b.length)})`);
  if (ssndOffset < 0) {
    throw new DecodeError('corrupt', `AIFF file has no sound data (SSND) chunk (file is ${formatBytes(b.length)})`);
  }
  const { channels, bits, rate, compression } = comm;
  if (channels <= 0) throw new DecodeError('corrupt', `AIFF header says the file has ${channels} channels`);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new DecodeError('corrupt', `AIFF header gives an invalid sample rate (${rate})`);
  const encoding = encodingFor(compression, bits);
  if (!encoding) return null;

  const blockAlign = encoding.bytes * channels;
  const declaredBytes = Math.min(ssndDeclared, comm.frames * blockAlign);
  const present = Math.max(0, b.length - ssndOffset);
  const frames = Math.floor(Math.min(declaredBytes, present) / blockAlign);
  const warnings: string[] = [];
  if (declaredBytes > present) {
    const what = `AIFF sound data is truncated (header says ${formatBytes(declaredBytes)}, file has ${formatBytes(present)})`;
    if (frames === 0) throw new DecodeError('corrupt', `${what} — no whole frame of audio is left`);
    warnings.push(`${what}; decoded the ${frames.toLocaleString('en-US')} whole frames present (${(frames / rate).toFixed(2)} s)`);
  }
  const channelData = pcmToChannels(b, { ...encoding, offset: ssndOffset, frames, channels, blockAlign });
  return { sampleRate: rate, channelData, encoding: describeEncoding(encoding), warnings };
}
