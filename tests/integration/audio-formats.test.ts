// Round trips through real encoders: a known signal is written as a WAV, converted by ffmpeg /
// sox to every supported format, decoded, and compared with the closed-form expectation.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFile, type DecodedAudio } from '../../src/main/engine/audio/index';
import { bestCorrelation, hasTool, intBytes, interleave, peakFrequency, rawWav, run, tempDir } from '../unit/audio/audio-helpers';

const HAVE_FFMPEG = hasTool('ffmpeg');
const HAVE_SOX = hasTool('sox');
if (!HAVE_FFMPEG) console.warn('[audio-formats] ffmpeg not found on PATH: the ffmpeg round trips are skipped');
if (!HAVE_SOX) console.warn('[audio-formats] sox not found on PATH: the sox round trips are skipped');

const SECONDS = 2;
const chirp = (f0: number, f1: number, t: number) => Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) / (2 * SECONDS)) * t * t));
// Left = tone + c + d... chosen so that the mono mix is known: L = a + c, R = a − c + 2d → mean = a + d.
const a = (t: number) => 0.4 * Math.sin(2 * Math.PI * 440 * t);
const c = (t: number) => 0.2 * chirp(300, 2300, t);
const d = (t: number) => 0.15 * chirp(4000, 200, t);

function sourceCodes(rate: number): { left: number[]; right: number[] } {
  const n = SECONDS * rate;
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    left.push(Math.round((a(t) + c(t)) * 32767) + 0);
    right.push(Math.round((a(t) - c(t) + 2 * d(t)) * 32767) + 0);
  }
  return { left, right };
}

/** The mono mix a + d at 22,050 Hz (all components are far below 11 kHz, so this is exact). */
const expected = Float32Array.from({ length: SECONDS * 22050 }, (_, i) => a(i / 22050) + d(i / 22050));

const tmp = tempDir('audio-formats');
let source44 = '';
let source96 = '';
const codes44 = sourceCodes(44100);
beforeAll(() => {
  source44 = path.join(tmp.dir, 'source 44k.wav');
  writeFileSync(source44, rawWav({ formatTag: 1, channels: 2, sampleRate: 44100, bitsPerSample: 16, data: intBytes(interleave([codes44.left, codes44.right]), 2) }));
  const c96 = sourceCodes(96000);
  source96 = path.join(tmp.dir, 'source 96k.wav');
  writeFileSync(source96, rawWav({ formatTag: 1, channels: 2, sampleRate: 96000, bitsPerSample: 16, data: intBytes(interleave([c96.left, c96.right]), 2) }));
});
afterAll(() => tmp.cleanup());

function ffmpeg(input: string, name: string, args: string[]): string {
  const out = path.join(tmp.dir, name);
  run('ffmpeg', ['-loglevel', 'error', '-y', '-i', input, ...args, out]);
  return out;
}

function checkSignal(out: DecodedAudio, label: string, minCorrelation: number, maxLag: number): { r: number; lag: number } {
  expect(out.sampleRate).toBe(22050);
  const peak = peakFrequency(out.samples, 22050, 8192, 4000);
  expect(Math.abs(peak.hz - 440), `${label}: spectral peak ${peak.hz} Hz`).toBeLessThanOrEqual(peak.binHz);
  const corr = bestCorrelation(expected, out.samples, 1200, 3000, expected.length - 3000);
  expect(corr.r, `${label}: correlation`).toBeGreaterThan(minCorrelation);
  expect(Math.abs(corr.lag), `${label}: lag ${corr.lag}`).toBeLessThanOrEqual(maxLag);
  return corr;
}

describe.skipIf(!HAVE_FFMPEG)('compressed formats via ffmpeg', () => {
  const cases: { name: string; args: string[]; format: string; rate: number; lossy: boolean }[] = [
    { name: 'a.flac', args: [], format: 'flac', rate: 44100, lossy: false },
    { name: 'a.mp3', args: ['-b:a', '192k'], format: 'mp3', rate: 44100, lossy: true },
    { name: 'a.ogg', args: ['-c:a', 'libvorbis', '-q:a', '6'], format: 'ogg', rate: 44100, lossy: true },
    { name: 'a.opus', args: ['-c:a', 'libopus', '-b:a', '128k'], format: 'opus', rate: 48000, lossy: true },
    { name: 'a.m4a', args: ['-c:a', 'aac', '-b:a', '192k'], format: 'm4a', rate: 44100, lossy: true },
    { name: 'a.aiff', args: [], format: 'aiff', rate: 44100, lossy: false },
    { name: 'a-sowt.aiff', args: ['-c:a', 'pcm_s16le'], format: 'aiff', rate: 44100, lossy: false },
    { name: 'a24.aiff', args: ['-c:a', 'pcm_s24be'], format: 'aiff', rate: 44100, lossy: false },
  ];
  for (const k of cases) {
    it(`${k.name}: format, rate, channels, duration, 440 Hz peak, correlated waveform`, async () => {
      const out = await decodeFile(ffmpeg(source44, k.name, k.args));
      expect(out.format).toBe(k.format);
      expect(out.originalSampleRate).toBe(k.rate);
      expect(out.channels).toBe(2);
      if (k.lossy) expect(Math.abs(out.duration - SECONDS), `duration ${out.duration}`).toBeLessThan(0.03);
      else expect(out.duration).toBe(SECONDS);
      const corr = checkSignal(out, k.name, k.lossy ? 0.97 : 0.99999, k.lossy ? 2 : 0);
      console.info(`[audio-formats] ${k.name}: ${out.samples.length} samples, duration ${out.duration.toFixed(4)} s, r = ${corr.r.toFixed(5)}, lag ${corr.lag}`);
    });
  }

  it('FLAC at 96 kHz / 24 bit and a 32 kHz mono MP3 are resampled with duration kept', async () => {
    const flac = await decodeFile(ffmpeg(source96, 'hi.flac', ['-sample_fmt', 's32', '-bits_per_raw_sample', '24']));
    expect(flac.originalSampleRate).toBe(96000);
    expect(Math.abs(flac.samples.length - SECONDS * 22050)).toBeLessThanOrEqual(1);
    checkSignal(flac, 'hi.flac', 0.9999, 0);
    const mp3 = await decodeFile(ffmpeg(source44, 'lo.mp3', ['-ar', '32000', '-ac', '1', '-b:a', '128k']));
    expect(mp3.originalSampleRate).toBe(32000);
    expect(mp3.channels).toBe(1);
    checkSignal(mp3, 'lo.mp3', 0.97, 2);
  });

  it('ADPCM WAV (IMA, Microsoft) goes through @audio/decode; G.726 is reported unsupported', async () => {
    for (const codec of ['adpcm_ima_wav', 'adpcm_ms']) {
      const out = await decodeFile(ffmpeg(source44, `${codec}.wav`, ['-c:a', codec]));
      expect(out.format).toBe('wav');
      expect(out.channels).toBe(2);
      // ADPCM pads the last block: up to one block (~1,000 frames) longer.
      expect(out.duration - SECONDS).toBeGreaterThanOrEqual(0);
      expect(out.duration - SECONDS).toBeLessThan(0.05);
      checkSignal(out, codec, 0.97, 2);
    }
    await expect(decodeFile(ffmpeg(source44, 'g726.wav', ['-c:a', 'adpcm_g726', '-ar', '8000', '-ac', '1']))).rejects.toMatchObject({
      kind: 'unsupported',
      message: 'WAV with format 0x0045 samples is not supported',
    });
  });

  it('WAV encodings made by ffmpeg: 24/32-bit int and 32/64-bit float are exact, u8 / µ-law / A-law close', async () => {
    const exact = Float32Array.from({ length: SECONDS * 44100 }, (_, i) => (codes44.left[i] + codes44.right[i]) / 2 / 32768);
    const reference = await decodeFile(source44);
    for (const [codec, tol] of [
      ['pcm_s24le', 0],
      ['pcm_s32le', 0],
      ['pcm_f32le', 0],
      ['pcm_f64le', 0],
      ['pcm_u8', 1 / 128],
      ['pcm_mulaw', 0.02],
      ['pcm_alaw', 0.02],
    ] as const) {
      const out = await decodeFile(ffmpeg(source44, `${codec}.wav`, ['-c:a', codec]));
      expect(out.originalSampleRate).toBe(44100);
      let maxErr = 0;
      for (let i = 0; i < out.samples.length; i++) maxErr = Math.max(maxErr, Math.abs(out.samples[i] - reference.samples[i]));
      expect(maxErr, codec).toBeLessThanOrEqual(tol);
    }
    expect(exact.length).toBe(88200);
    const rf64 = await decodeFile(ffmpeg(source44, 'rf64.wav', ['-rf64', 'always']));
    expect(rf64.samples).toEqual(reference.samples);
  });
});

describe.skipIf(!HAVE_SOX)('sox-made files', () => {
  it('24-bit WAVE_FORMAT_EXTENSIBLE, 6 channels, and AIFF-C float decode to the same mono mix', async () => {
    const reference = await decodeFile(source44);
    const ext = path.join(tmp.dir, 'ext.wav');
    run('sox', [source44, '-b', '24', ext, 'remix', '1', '2', '1', '2', '1', '2']);
    const six = await decodeFile(ext);
    expect(six.channels).toBe(6);
    expect(six.samples).toEqual(reference.samples);
    const aifc = path.join(tmp.dir, 'f.aifc');
    run('sox', [source44, '-e', 'floating-point', '-b', '32', aifc]);
    const fl = await decodeFile(aifc);
    expect(fl.format).toBe('aiff');
    expect(fl.samples).toEqual(reference.samples);
  });
});
