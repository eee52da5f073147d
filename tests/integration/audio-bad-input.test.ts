// Files that a real music folder contains and that must fail (or succeed) in a way a user
// understands. Every file is made by the test in a temporary folder.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile, DecodeError, encodeWav } from '../../src/main/engine/audio/index';
import { floatBytes, intBytes, interleave, peakFrequency, rawWav, sine, sineCodes, tempDir } from '../unit/audio/audio-helpers';

const tmp = tempDir('audio-bad');
afterAll(() => tmp.cleanup());

function file(name: string, bytes: Uint8Array | string): string {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function failure(p: string): Promise<DecodeError> {
  try {
    await decodeFile(p);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error(`expected ${p} to fail`);
}

describe('bad input', () => {
  it('zero-byte file → corrupt', async () => {
    const e = await failure(file('empty.wav', new Uint8Array(0)));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toMatch(/empty \(0 bytes\)/);
  });

  it('a text file named .mp3 → unsupported, "looks like text"', async () => {
    const e = await failure(file('lyrics.mp3', 'Never gonna give you up\nNever gonna let you down\n'.repeat(20)));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toMatch(/looks like text/);
    expect(e.message).toMatch(/\.mp3/);
  });

  it('an image named .flac → unsupported, says what it is', async () => {
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(100));
    const e = await failure(file('cover.flac', png));
    expect(e).toMatchObject({ kind: 'unsupported' });
    expect(e.message).toMatch(/PNG image/);
  });

  it('a truncated WAV (cut inside the data) decodes the whole frames present and warns', async () => {
    const full = encodeWav(sine(440, 22050, 22050, 0.5), 22050);
    const p = file('cut.wav', full.subarray(0, 44 + 2 * 11025 + 1));
    const out = await decodeFile(p);
    expect(out.samples.length).toBe(11025);
    expect(out.duration).toBeCloseTo(0.5, 9);
    expect(out.warnings?.[0]).toMatch(/truncated \(header says 44 KB, file has 22 KB\)/);
  });

  it('a WAV whose header lies (claims 1.2 MB, holds 3 KB): decoded when ≥ one frame remains; corrupt when nothing usable remains', async () => {
    const codes = sineCodes(440, 22050, 1500, 16);
    const lying = rawWav({ formatTag: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16, data: intBytes(codes, 2), declaredDataBytes: 1_200_000 });
    // 1,500 samples is less than one analysis frame: the truncation is fine, the length is not.
    const e = await failure(file('lying-short.wav', lying));
    expect(e.kind).toBe('too-short');
    const longer = rawWav({ formatTag: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16, data: intBytes(sineCodes(440, 22050, 3000, 16), 2), declaredDataBytes: 1_200_000 });
    const ok = await decodeFile(file('lying.wav', longer));
    expect(ok.samples.length).toBe(3000);
    expect(ok.warnings?.[0]).toMatch(/header says 1\.2 MB, file has 6 KB/);
    const none = rawWav({ formatTag: 1, channels: 2, sampleRate: 22050, bitsPerSample: 24, data: new Uint8Array(5), declaredDataBytes: 1_200_000 });
    const bad = await failure(file('lying-empty.wav', none));
    expect(bad.kind).toBe('corrupt');
    expect(bad.message).toBe('WAV data chunk is truncated (header says 1.2 MB, file has 5 bytes) — no whole frame of audio is left');
  });

  it('a WAV cut inside its header → corrupt', async () => {
    const e = await failure(file('header-cut.wav', encodeWav(new Float32Array(5000), 22050).subarray(0, 30)));
    expect(e.kind).toBe('corrupt');
  });

  it('a clip shorter than one frame → too-short with the numbers', async () => {
    const e = await failure(file('blip.wav', encodeWav(sine(440, 44100, 2000), 44100)));
    expect(e.kind).toBe('too-short');
    expect(e.message).toBe('0.045 s, need at least one frame of 2,048 samples at 22,050 Hz (0.093 s)');
  });

  it('pure digital silence decodes fine, all zeros', async () => {
    const out = await decodeFile(file('silence.wav', encodeWav(new Float32Array(44100), 44100)));
    expect(out.samples.length).toBe(22050);
    expect(out.samples.every((v) => v === 0)).toBe(true);
  });

  it('8 kHz and 96 kHz files keep their duration within one sample and their pitch', async () => {
    for (const rate of [8000, 96000]) {
      const n = Math.round(rate * 1.3) + 7;
      const out = await decodeFile(file(`rate-${rate}.wav`, encodeWav(sine(1500, rate, n, 0.5), rate)));
      expect(out.originalSampleRate).toBe(rate);
      expect(Math.abs(out.samples.length / 22050 - n / rate)).toBeLessThanOrEqual(1 / 22050);
      expect(out.duration).toBeCloseTo(n / rate, 9);
      const peak = peakFrequency(out.samples, 22050, 16384, 1000);
      expect(Math.abs(peak.hz - 1500)).toBeLessThanOrEqual(peak.binHz);
    }
  });

  it('6-channel audio is averaged to mono', async () => {
    const n = 4410;
    const chans = [1, 2, 3, 4, 5, 6].map((k) => sineCodes(200 * k, 44100, n, 16, 0.1));
    const out = await decodeFile(file('surround.wav', rawWav({ formatTag: 1, extensible: true, channels: 6, sampleRate: 44100, bitsPerSample: 16, data: intBytes(interleave(chans), 2) })));
    expect(out.channels).toBe(6);
    expect(out.samples.length).toBe(2205);
    // Energy check: 6 uncorrelated sines of amplitude 0.1 averaged → RMS 0.1/√2 · √6 / 6.
    let s = 0;
    for (let i = 200; i < 2000; i++) s += out.samples[i] ** 2;
    expect(Math.sqrt(s / 1800)).toBeCloseTo((0.1 / Math.SQRT2) * (Math.sqrt(6) / 6), 2);
  });

  it('a file name with spaces and non-ASCII characters', async () => {
    const out = await decodeFile(file('Björk – Jóga (live) 東京 ♫.wav', encodeWav(sine(440, 22050, 5000, 0.3), 22050)));
    expect(out.samples.length).toBe(5000);
  });

  it('an unreadable path → unreadable: a folder, a missing file, and (when not root) a chmod 000 file', async () => {
    const dir = path.join(tmp.dir, 'a folder.wav');
    mkdirSync(dir);
    const e1 = await failure(dir);
    expect(e1.kind).toBe('unreadable');
    expect(e1.message).toMatch(/folder, not a file \(EISDIR\)/);
    const e2 = await failure(path.join(tmp.dir, 'missing.wav'));
    expect(e2).toMatchObject({ kind: 'unreadable' });
    expect(e2.message).toMatch(/not found \(ENOENT\)/);
    const locked = file('locked.wav', encodeWav(new Float32Array(4096), 22050));
    chmodSync(locked, 0o000);
    if (process.getuid?.() === 0) {
      console.warn('[audio-bad-input] running as root: chmod 000 does not stop reads, so that case is skipped (folder and missing-file cases ran)');
      return;
    }
    const e3 = await failure(locked);
    expect(e3.kind).toBe('unreadable');
    expect(e3.message).toMatch(/permission denied/);
  });

  it('NaN samples in a float WAV → invalid-samples', async () => {
    const x = Array.from(sine(440, 22050, 8000, 0.5));
    x[4410] = Number.NaN;
    const e = await failure(file('nan.wav', rawWav({ formatTag: 3, channels: 1, sampleRate: 22050, bitsPerSample: 32, data: floatBytes(x, 4) })));
    expect(e.kind).toBe('invalid-samples');
    expect(e.message).toBe('1 sample is NaN or infinite (first at 0.200 s)');
  });
});
