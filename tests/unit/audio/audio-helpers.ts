// Helpers for the audio engine tests: signals, spectra, hand-built WAV/AIFF bytes, external tools.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import FFT from 'fft.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');

export interface AudioRefs {
  mulberry32: Record<string, number[]>;
  ulaw: number[];
  alaw: number[];
  besselI0: [number, number][];
  kaiserBeta: [number, number][];
  resample: {
    name: string;
    fromRate: number;
    toRate: number;
    n: number;
    tones: [number, number, number][];
    outLength: number;
    indices: number[];
    scipy: number[];
  }[];
  gtzan: { file: string; sampleRate: number; length: number; sum: number; sumSquares: number; indices: number[]; values: number[] }[];
}

export function loadRefs(): AudioRefs {
  return JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/audio/audio-refs.json'), 'utf8')) as AudioRefs;
}

/** Σ a·sin(2π f n / rate + φ) for n in [0, n). */
export function tones(list: readonly (readonly [number, number, number])[], rate: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const [f, a, ph] of list) v += a * Math.sin((2 * Math.PI * f * i) / rate + ph);
    x[i] = v;
  }
  return x;
}

export const sine = (f: number, rate: number, n: number, amp = 1) => tones([[f, amp, 0]], rate, n);

export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Frequency (Hz) of the largest bin of a Hann-windowed power spectrum of `size` samples at `offset`. */
export function peakFrequency(x: Float32Array, rate: number, size = 8192, offset = 0): { hz: number; binHz: number } {
  const fft = new FFT(size);
  const input = new Array<number>(size).fill(0);
  for (let i = 0; i < size && offset + i < x.length; i++) {
    input[i] = x[offset + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  }
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  let best = 1;
  let bestPow = -1;
  for (let k = 1; k < size / 2; k++) {
    const p = out[2 * k] ** 2 + out[2 * k + 1] ** 2;
    if (p > bestPow) {
      bestPow = p;
      best = k;
    }
  }
  return { hz: (best * rate) / size, binHz: rate / size };
}

/** Largest normalised cross-correlation of a and b over lags in [-maxLag, maxLag] (b shifted). */
export function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number, from: number, to: number): { r: number; lag: number } {
  let best = { r: -2, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = from; i < to; i++) {
      const j = i + lag;
      if (j < 0 || j >= b.length || i >= a.length) continue;
      sab += a[i] * b[j];
      saa += a[i] * a[i];
      sbb += b[j] * b[j];
    }
    const r = sab / Math.sqrt(saa * sbb || 1);
    if (r > best.r) best = { r, lag };
  }
  return best;
}

// ----------------------------------------------------------------- hand-built files

function ascii(s: string): number[] {
  return Array.from(s, (ch) => ch.charCodeAt(0));
}

function u16(v: number, le = true): number[] {
  return le ? [v & 0xff, (v >> 8) & 0xff] : [(v >> 8) & 0xff, v & 0xff];
}

function u32(v: number, le = true): number[] {
  const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  return le ? b : b.reverse();
}

export interface RawWavSpec {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Interleaved sample bytes. */
  data: Uint8Array;
  /** Declared data size (defaults to data.length). */
  declaredDataBytes?: number;
  /** WAVE_FORMAT_EXTENSIBLE wrapper around formatTag. */
  extensible?: boolean;
  /** Big-endian RIFX container. */
  rifx?: boolean;
  /** Extra chunk before the data (e.g. LIST), to exercise chunk walking. */
  extraChunk?: boolean;
}

/** A WAV file built byte by byte, independent of the product's writer. */
export function rawWav(spec: RawWavSpec): Uint8Array {
  const le = !spec.rifx;
  const blockAlign = spec.channels * Math.ceil(spec.bitsPerSample / 8);
  const fmt = [
    ...u16(spec.extensible ? 0xfffe : spec.formatTag, le),
    ...u16(spec.channels, le),
    ...u32(spec.sampleRate, le),
    ...u32(spec.sampleRate * blockAlign, le),
    ...u16(blockAlign, le),
    ...u16(spec.bitsPerSample, le),
  ];
  if (spec.extensible) {
    fmt.push(...u16(22, le), ...u16(spec.bitsPerSample, le), ...u32(0, le), ...u16(spec.formatTag, le));
    fmt.push(0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71);
  }
  const extra = spec.extraChunk ? [...ascii('LIST'), ...u32(5, le), ...ascii('INFOx'), 0] : [];
  const declared = spec.declaredDataBytes ?? spec.data.length;
  const head = [...ascii('fmt '), ...u32(fmt.length, le), ...fmt, ...extra, ...ascii('data'), ...u32(declared, le)];
  const riffSize = 4 + head.length + spec.data.length;
  const bytes = new Uint8Array(12 + head.length + spec.data.length);
  bytes.set([...ascii(spec.rifx ? 'RIFX' : 'RIFF'), ...u32(riffSize, le), ...ascii('WAVE'), ...head]);
  bytes.set(spec.data, 12 + head.length);
  return bytes;
}

/** Little- or big-endian bytes of integer sample codes of `bytesPer` bytes each. */
export function intBytes(codes: ArrayLike<number>, bytesPer: number, le = true): Uint8Array {
  const out = new Uint8Array(codes.length * bytesPer);
  for (let i = 0; i < codes.length; i++) {
    const v = codes[i];
    for (let k = 0; k < bytesPer; k++) {
      const byte = Number((BigInt(v) >> BigInt(8 * k)) & 0xffn);
      out[i * bytesPer + (le ? k : bytesPer - 1 - k)] = byte;
    }
  }
  return out;
}

export function floatBytes(values: ArrayLike<number>, bytesPer: 4 | 8, le = true): Uint8Array {
  const out = new Uint8Array(values.length * bytesPer);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (bytesPer === 4) dv.setFloat32(i * 4, values[i], le);
    else dv.setFloat64(i * 8, values[i], le);
  }
  return out;
}

/** Interleave per-channel arrays. */
export function interleave(channels: ArrayLike<number>[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < channels[0].length; i++) for (const c of channels) out.push(c[i]);
  return out;
}

/** Integer codes of a sine, as an ADC would produce them: round(amp · sin · 2^(bits−1)). */
export function sineCodes(f: number, rate: number, n: number, bits: number, amp = 0.5, phase = 0): number[] {
  const full = 2 ** (bits - 1);
  // "+ 0" turns -0 into 0: an integer code has no sign of zero.
  return Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * f * i) / rate + phase) * full) + 0);
}

// ----------------------------------------------------------------- external tools

export function hasTool(name: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `genrelab-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An AIFF (or AIFF-C with `compression`) file built byte by byte; integer sample rates only. */
export function rawAiff(spec: { channels: number; sampleRate: number; bitsPerSample: number; frames: number; data: Uint8Array; compression?: string }): Uint8Array {
  const e = Math.floor(Math.log2(spec.sampleRate));
  const rate80 = [...u16(16383 + e, false), ...u32(spec.sampleRate * 2 ** (31 - e), false), 0, 0, 0, 0];
  const aifc = spec.compression !== undefined;
  const comm = [...u16(spec.channels, false), ...u32(spec.frames, false), ...u16(spec.bitsPerSample, false), ...rate80];
  if (aifc) comm.push(...ascii(spec.compression!), 0, 0); // empty Pascal-string name, padded
  const chunks = [
    ...(aifc ? [...ascii('FVER'), ...u32(4, false), ...u32(0xa2805140, false)] : []),
    ...ascii('COMM'),
    ...u32(comm.length, false),
    ...comm,
    ...ascii('SSND'),
    ...u32(8 + spec.data.length, false),
    ...u32(0, false),
    ...u32(0, false),
  ];
  const bytes = new Uint8Array(12 + chunks.length + spec.data.length);
  bytes.set([...ascii('FORM'), ...u32(4 + chunks.length + spec.data.length, false), ...ascii(aifc ? 'AIFC' : 'AIFF'), ...chunks]);
  bytes.set(spec.data, 12 + chunks.length);
  return bytes;
}
