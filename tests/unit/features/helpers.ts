// Test helpers for the feature engine: fixtures, a tiny int16 PCM WAV reader, relative errors.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixtureDir = path.join(repoRoot, 'tests/fixtures/features');
export const sharedData = path.resolve(repoRoot, '../shared/data');

export function loadFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')) as T;
}

export function hasSharedData(sub = ''): boolean {
  return existsSync(path.join(sharedData, sub));
}

/** Minimal RIFF/WAVE reader: PCM int16, any channel count (averaged to mono), samples / 32768 as float32. */
export function readWavInt16(file: string): { samples: Float32Array; sampleRate: number } {
  const buf = readFileSync(file);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file}: not a RIFF/WAVE file`);
  }
  let pos = 12;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
      if (format !== 1 || bits !== 16) throw new Error(`${file}: only PCM int16 is supported`);
    } else if (id === 'data') {
      if (!channels) throw new Error(`${file}: data before fmt`);
      const n = Math.floor(Math.min(size, buf.length - body) / (2 * channels));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < channels; c++) s += buf.readInt16LE(body + 2 * (i * channels + c));
        out[i] = s / channels / 32768;
      }
      return { samples: out, sampleRate };
    }
    pos = body + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/** |a - b| / max(|b|, floor). */
export function relErr(a: number, b: number, floor = 1e-30): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

export function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** Sine of `freq` Hz, amplitude `amp`, n samples at sr (computed in Float64, stored Float32). */
export function sine(freq: number, n: number, amp = 0.5, sr = 22050): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = amp * Math.sin((2 * Math.PI * freq * i) / sr);
  return y;
}
