// Decode any supported audio file to mono Float32 at 22,050 Hz.
//
// The format is detected from the bytes, never from the name. WAV and AIFF (PCM, float, G.711)
// are read natively (wav.ts, aiff.ts) with libsndfile's scaling, so a 22,050 Hz int16 mono WAV
// gives exactly int16 / 32768 and is not resampled. Everything else (FLAC, MP3, Ogg Vorbis, Opus,
// M4A/AAC, ADPCM WAV, …) goes through @audio/decode (WASM / pure JS).
// Channels are averaged to mono; other rates are converted with resample.ts.
//
// Failures throw DecodeError with a kind and a message for the user:
//   unreadable       the file cannot be read (missing, a folder, permissions, too large)
//   unsupported      not audio, or audio in a format we cannot decode
//   corrupt          recognised format but broken (empty file, no whole frame, decoder error)
//   invalid-samples  NaN or infinite samples
//   too-short        less than one analysis frame (2,048 samples at 22,050 Hz) after resampling
import { readFile } from 'node:fs/promises';
import decodeAny from '@audio/decode';
import { DecodeError, MIN_SAMPLES, TARGET_SAMPLE_RATE, type DecodedAudio } from './types';
import { decodeWavPcm, isWav, parseWavHeader, wavFormatName } from './wav';
import { decodeAiffPcm, isAiff } from './aiff';
import { resample } from './resample';
import { formatBytes } from './pcm';

/** File name endings a folder scan treats as audio (lower case, with the dot). */
export const AUDIO_EXTENSIONS: readonly string[] = Object.freeze([
  '.wav',
  '.wave',
  '.flac',
  '.mp3',
  '.ogg',
  '.oga',
  '.opus',
  '.m4a',
  '.aac',
  '.aif',
  '.aiff',
  '.aifc',
]);

const EXTENSION_SET = new Set(AUDIO_EXTENSIONS);

/** Whether a folder scan should pick up this path (by its extension; macOS "._" shadow files excluded). */
export function isAudioPath(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (name.startsWith('._')) return false;
  const dot = name.lastIndexOf('.');
  return dot > 0 && EXTENSION_SET.has(name.slice(dot).toLowerCase());
}

function ascii(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n && i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function id3Length(b: Uint8Array): number {
  if (b.length < 10 || ascii(b, 0, 3) !== 'ID3') return 0;
  const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
  return 10 + size + (b[5] & 0x10 ? 10 : 0);
}

function isMpegSync(b: Uint8Array, o: number): boolean {
  return o + 4 <= b.length && b[o] === 0xff && (b[o + 1] & 0xe0) === 0xe0 && (b[o + 1] & 0x06) !== 0;
}

function isAdts(b: Uint8Array, o: number): boolean {
  return o + 7 <= b.length && b[o] === 0xff && (b[o + 1] & 0xf6) === 0xf0;
}

/**
 * The audio format of some bytes by their magic numbers: 'wav', 'aiff', 'flac', 'mp3', 'ogg'
 * (Vorbis), 'opus', 'm4a', 'aac', 'caf', 'webm', 'wma', 'amr'; null when none matches.
 */
export function sniffFormat(b: Uint8Array): string | null {
  if (isWav(b)) return 'wav';
  if (isAiff(b)) return 'aiff';
  const tag = id3Length(b);
  const o = tag > 0 && tag < b.length ? tag : 0;
  if (tag > 0 && tag >= b.length) return 'mp3'; // only a tag survived; let the decoder judge
  if (ascii(b, o, 4) === 'fLaC') return 'flac';
  if (isAdts(b, o)) return 'aac';
  if (isMpegSync(b, o)) return 'mp3';
  if (ascii(b, 0, 4) === 'OggS') {
    const head = ascii(b, 28, 8);
    if (head === 'OpusHead') return 'opus';
    if (head.slice(1, 5) === 'FLAC') return 'flac';
    return 'ogg';
  }
  if (ascii(b, 4, 4) === 'ftyp') return 'm4a';
  if (ascii(b, 0, 4) === 'caff') return 'caf';
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  if (b.length >= 4 && b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75) return 'wma';
  if (ascii(b, 0, 5) === '#!AMR') return 'amr';
  return null;
}

const NON_AUDIO: Array<[string, (b: Uint8Array) => boolean]> = [
  ['a MIDI file (notes, not audio)', (b) => ascii(b, 0, 4) === 'MThd'],
  ['a PNG image', (b) => ascii(b, 1, 3) === 'PNG'],
  ['a JPEG image', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['a GIF image', (b) => ascii(b, 0, 4) === 'GIF8'],
  ['a PDF document', (b) => ascii(b, 0, 5) === '%PDF-'],
  ['a ZIP archive', (b) => ascii(b, 0, 4) === 'PK\x03\x04'],
  ['a program', (b) => ascii(b, 0, 4) === '\x7fELF' || ascii(b, 0, 2) === 'MZ'],
];

/** What some unrecognised bytes look like, for the 'unsupported' message. */
function describeUnknown(b: Uint8Array): string {
  for (const [what, test] of NON_AUDIO) if (test(b)) return `looks like ${what}`;
  const head = b.subarray(0, 1024);
  let printable = 0;
  let nul = false;
  for (const c of head) {
    if (c === 0) nul = true;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0x80) printable++;
  }
  if (!nul && printable >= 0.95 * head.length) return 'looks like text';
  const hex = Array.from(b.subarray(0, 4), (c) => c.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  return `unrecognised content, first bytes ${hex}`;
}

/** Channel count the header declares, for decoders that collapse identical channels. */
function declaredChannels(format: string, b: Uint8Array): number | null {
  if (format === 'mp3') {
    const tag = id3Length(b);
    const o = tag < b.length ? tag : 0;
    if (isMpegSync(b, o)) return b[o + 3] >> 6 === 3 ? 1 : 2;
  }
  if (format === 'm4a') {
    // AudioSampleEntry 'mp4a': channelcount sits 20 bytes after the box type.
    const i = Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf('mp4a');
    if (i >= 4 && i + 22 <= b.length) {
      const n = (b[i + 20] << 8) | b[i + 21];
      if (n > 0 && n <= 64) return n;
    }
  }
  return null;
}

const FORMAT_LABEL: Record<string, string> = {
  wav: 'WAV',
  aiff: 'AIFF',
  flac: 'FLAC',
  mp3: 'MP3',
  ogg: 'Ogg Vorbis',
  opus: 'Opus',
  m4a: 'M4A/AAC',
  aac: 'AAC',
};

function label(format: string): string {
  return FORMAT_LABEL[format] ?? format.toUpperCase();
}

interface RawAudio {
  channelData: Float32Array[];
  sampleRate: number;
  format: string;
  channels: number;
  warnings: string[];
  /** False when the samples came from integers (no NaN or infinity possible: no scan needed). */
  mayBeNonFinite: boolean;
}

async function decodeCompressed(bytes: Uint8Array, format: string | null, nameHint: string): Promise<RawAudio> {
  let result: { channelData: Float32Array[]; sampleRate: number };
  try {
    result = await decodeAny(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (!format || /Unknown audio format|No decoder/i.test(msg)) {
      const ext = nameHint.includes('.') ? nameHint.slice(nameHint.lastIndexOf('.')) : '';
      const named = ext ? ` although its name ends in ${ext}` : '';
      throw new DecodeError('unsupported', `not an audio file we can read (${describeUnknown(bytes)})${named}`);
    }
    throw new DecodeError('corrupt', `could not decode the ${label(format)} data (${msg})`);
  }
  const fmt = format ?? 'unknown';
  if (!result.channelData.length || !result.channelData[0].length || !(result.sampleRate > 0)) {
    throw new DecodeError('corrupt', `no audio could be decoded from this ${label(fmt)} file (${formatBytes(bytes.length)})`);
  }
  return {
    channelData: result.channelData,
    sampleRate: result.sampleRate,
    format: fmt,
    channels: declaredChannels(fmt, bytes) ?? result.channelData.length,
    warnings: [],
    mayBeNonFinite: true,
  };
}

async function decodeRaw(bytes: Uint8Array, nameHint: string): Promise<RawAudio> {
  if (bytes.length === 0) throw new DecodeError('corrupt', 'the file is empty (0 bytes)');
  const format = sniffFormat(bytes);
  if (format === 'wav') {
    const header = parseWavHeader(bytes);
    if (header.encoding) {
      const pcm = decodeWavPcm(bytes);
      return { ...pcm, format, channels: header.channels, mayBeNonFinite: header.encoding.kind === 'float' };
    }
    // ADPCM and friends: @audio/decode's WAV decoder knows some of them.
    return fallback(bytes, format, nameHint, `WAV with ${wavFormatName(header.formatTag)} samples is not supported`, header.warnings);
  }
  if (format === 'aiff') {
    const pcm = decodeAiffPcm(bytes);
    if (pcm) return { ...pcm, format, channels: pcm.channelData.length, mayBeNonFinite: pcm.encoding.endsWith('float') };
    return fallback(bytes, format, nameHint, 'AIFF-C with this compression type is not supported', []);
  }
  return decodeCompressed(bytes, format, nameHint);
}

/** @audio/decode for encodings the native readers skip; its failure means 'unsupported' here. */
async function fallback(bytes: Uint8Array, format: string, nameHint: string, unsupported: string, warnings: string[]): Promise<RawAudio> {
  try {
    return { ...(await decodeCompressed(bytes, format, nameHint)), warnings };
  } catch (err) {
    if (err instanceof DecodeError && err.kind === 'unsupported') throw err;
    throw new DecodeError('unsupported', unsupported);
  }
}

function seconds(n: number, rate: number): string {
  return `${(n / rate).toFixed(3)} s`;
}

/** Average channels to mono and (when asked) check every sample is finite. */
function downmix(channelData: Float32Array[], rate: number, checkFinite: boolean): Float32Array {
  const ch = channelData.length;
  const n = channelData[0].length;
  for (const c of channelData) {
    if (c.length !== n) throw new DecodeError('corrupt', 'the channels of this file have different lengths');
  }
  const mono = ch === 1 ? channelData[0] : new Float32Array(n);
  if (ch === 2) {
    const [a, b] = channelData;
    for (let i = 0; i < n; i++) mono[i] = (a[i] + b[i]) / 2;
  } else if (ch > 2) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < ch; c++) s += channelData[c][i];
      mono[i] = s / ch;
    }
  }
  if (!checkFinite) return mono;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const v = mono[i];
    if (v - v !== 0) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad > 0) {
    throw new DecodeError(
      'invalid-samples',
      `${bad.toLocaleString('en-US')} sample${bad === 1 ? ' is' : 's are'} NaN or infinite (first at ${seconds(first, rate)})`,
    );
  }
  return mono;
}

/**
 * Decode file bytes (any supported format, detected from the bytes) to mono at 22,050 Hz.
 * `nameHint` (a file name) only improves error messages.
 */
export async function decodeBytes(bytes: Uint8Array, nameHint = ''): Promise<DecodedAudio> {
  const raw = await decodeRaw(bytes, nameHint);
  const rate = raw.sampleRate;
  const frames = raw.channelData[0]?.length ?? 0;
  // Checked before resampling so a NaN is reported where it is, not smeared by the filter.
  const mono = frames > 0 ? downmix(raw.channelData, rate, raw.mayBeNonFinite) : new Float32Array(0);
  const samples = rate === TARGET_SAMPLE_RATE ? mono : resample(mono, rate, TARGET_SAMPLE_RATE);
  if (samples.length < MIN_SAMPLES) {
    throw new DecodeError(
      'too-short',
      `${seconds(frames, rate)}, need at least one frame of ${MIN_SAMPLES.toLocaleString('en-US')} samples at ` +
        `${TARGET_SAMPLE_RATE.toLocaleString('en-US')} Hz (${seconds(MIN_SAMPLES, TARGET_SAMPLE_RATE)})`,
    );
  }
  const out: DecodedAudio = {
    samples,
    sampleRate: TARGET_SAMPLE_RATE,
    originalSampleRate: rate,
    channels: raw.channels,
    duration: frames / rate,
    format: raw.format,
  };
  if (raw.warnings.length) out.warnings = raw.warnings;
  return out;
}

function readFailure(err: unknown, path: string): DecodeError {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return new DecodeError('unreadable', `file not found (ENOENT): ${path}`);
    case 'EISDIR':
      return new DecodeError('unreadable', `this is a folder, not a file (EISDIR): ${path}`);
    case 'EACCES':
    case 'EPERM':
      return new DecodeError('unreadable', `permission denied (${e.code}): ${path}`);
    case 'ERR_FS_FILE_TOO_LARGE':
      return new DecodeError('unreadable', `file is too large to load (over 2 GB): ${path}`);
    default:
      return new DecodeError('unreadable', `${e?.code ?? 'error'} ${e?.message ?? String(err)}`);
  }
}

/** Read and decode an audio file to mono at 22,050 Hz. Throws DecodeError. */
export async function decodeFile(path: string): Promise<DecodedAudio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readFailure(err, path);
  }
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return decodeBytes(bytes, name);
}
