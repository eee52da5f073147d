import { describe, expect, it } from 'vitest';
import { AUDIO_EXTENSIONS, decodeBytes, DecodeError, encodeWav, isAudioPath, sniffFormat, TARGET_SAMPLE_RATE } from '../../../src/main/engine/audio/index';
import { floatBytes, intBytes, interleave, peakFrequency, rawAiff, rawWav, sineCodes } from './audio-helpers';

async function failure(p: Promise<unknown>): Promise<DecodeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

describe('isAudioPath / AUDIO_EXTENSIONS', () => {
  it('accepts the decodable extensions in any case and nothing else', () => {
    for (const ext of ['.wav', '.flac', '.mp3', '.ogg', '.opus', '.m4a', '.aac', '.aif', '.aiff']) expect(AUDIO_EXTENSIONS).toContain(ext);
    expect(isAudioPath('/music/a b/Song.MP3')).toBe(true);
    expect(isAudioPath('C:\\music\\x.Flac')).toBe(true);
    expect(isAudioPath('/music/notes.txt')).toBe(false);
    expect(isAudioPath('/music/cover.jpg')).toBe(false);
    expect(isAudioPath('/music/.wav')).toBe(false);
    expect(isAudioPath('/music/wav')).toBe(false);
    expect(isAudioPath('/music/._song.mp3')).toBe(false); // macOS resource-fork shadow file
  });
});

describe('sniffFormat', () => {
  const b = (s: string, pad = 40) => {
    const out = new Uint8Array(Math.max(pad, s.length));
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  };
  it('recognises formats by their magic bytes, not by name', () => {
    expect(sniffFormat(encodeWav(new Float32Array(4), 8000))).toBe('wav');
    expect(sniffFormat(b('FORM\0\0\0\0AIFF'))).toBe('aiff');
    expect(sniffFormat(b('FORM\0\0\0\0AIFC'))).toBe('aiff');
    expect(sniffFormat(b('fLaC'))).toBe('flac');
    expect(sniffFormat(Uint8Array.of(0xff, 0xfb, 0x90, 0x64, 0, 0))).toBe('mp3');
    expect(sniffFormat(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0, 0, 0))).toBe('aac');
    const id3 = new Uint8Array(40);
    id3.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10]);
    id3.set([0xff, 0xfb, 0x90, 0x64], 20);
    expect(sniffFormat(id3)).toBe('mp3');
    const ogg = b('OggS');
    ogg.set(b('OpusHead', 8), 28);
    expect(sniffFormat(ogg)).toBe('opus');
    ogg.set(b('\x01vorbis', 8), 28);
    expect(sniffFormat(ogg)).toBe('ogg');
    expect(sniffFormat(b('\0\0\0\x20ftypM4A '))).toBe('m4a');
    expect(sniffFormat(b('hello, this is text'))).toBeNull();
  });
});

describe('decodeBytes', () => {
  it('returns int16 / 32768 exactly for 22,050 Hz int16 mono, with no resampling', async () => {
    const codes = sineCodes(440, 22050, 4096, 16, 0.8);
    const out = await decodeBytes(rawWav({ formatTag: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16, data: intBytes(codes, 2) }));
    expect(out.sampleRate).toBe(TARGET_SAMPLE_RATE);
    expect(out.originalSampleRate).toBe(22050);
    expect(out.format).toBe('wav');
    expect(out.channels).toBe(1);
    expect(out.duration).toBeCloseTo(4096 / 22050, 12);
    expect(Array.from(out.samples)).toEqual(codes.map((v) => v / 32768));
    expect(out.warnings).toBeUndefined();
  });

  it('down-mixes to the mean of the channels (stereo and 6 channels)', async () => {
    const n = 3000;
    const chans = [0, 1, 2, 3, 4, 5].map((k) => sineCodes(100 * (k + 1), 22050, n, 16, 0.15));
    for (const count of [2, 6]) {
      const used = chans.slice(0, count);
      const out = await decodeBytes(rawWav({ formatTag: 1, channels: count, sampleRate: 22050, bitsPerSample: 16, data: intBytes(interleave(used), 2) }));
      expect(out.channels).toBe(count);
      for (let i = 0; i < n; i++) {
        const mean = used.reduce((s, c) => s + c[i] / 32768, 0) / count;
        expect(Math.abs(out.samples[i] - mean)).toBeLessThanOrEqual(Math.abs(mean) * 2 ** -23);
      }
    }
  });

  it('resamples other rates to 22,050 Hz, keeping duration and pitch', async () => {
    for (const rate of [8000, 44100, 96000]) {
      const n = Math.round(rate * 0.75);
      const out = await decodeBytes(rawWav({ formatTag: 3, channels: 1, sampleRate: rate, bitsPerSample: 32, data: floatBytes(Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate)), 4) }));
      expect(out.originalSampleRate).toBe(rate);
      expect(Math.abs(out.samples.length - n * (22050 / rate))).toBeLessThanOrEqual(1);
      expect(out.duration).toBeCloseTo(0.75, 9);
      const peak = peakFrequency(out.samples, 22050, 8192, 2000);
      expect(Math.abs(peak.hz - 1000)).toBeLessThanOrEqual(peak.binHz);
    }
  });

  it('reads AIFF (big-endian 16/24-bit), AIFF-C sowt and fl32 natively', async () => {
    const codes16 = sineCodes(440, 22050, 2500, 16, 0.7);
    const codes24 = sineCodes(440, 22050, 2500, 24, 0.7);
    const floats = codes16.map((v) => v / 32768);
    const cases: [Uint8Array, number[]][] = [
      [rawAiff({ channels: 1, sampleRate: 22050, bitsPerSample: 16, frames: 2500, data: intBytes(codes16, 2, false) }), codes16.map((v) => v / 32768)],
      [rawAiff({ channels: 1, sampleRate: 22050, bitsPerSample: 24, frames: 2500, data: intBytes(codes24, 3, false) }), codes24.map((v) => v / 8388608)],
      [rawAiff({ channels: 1, sampleRate: 22050, bitsPerSample: 16, frames: 2500, data: intBytes(codes16, 2, true), compression: 'sowt' }), floats],
      [rawAiff({ channels: 1, sampleRate: 22050, bitsPerSample: 32, frames: 2500, data: floatBytes(floats, 4, false), compression: 'fl32' }), floats],
    ];
    for (const [bytes, expected] of cases) {
      const out = await decodeBytes(bytes, 'x.aiff');
      expect(out.format).toBe('aiff');
      expect(out.originalSampleRate).toBe(22050);
      expect(Array.from(out.samples)).toEqual(expected.map(Math.fround));
    }
  });

  it('reports the failure kinds with readable messages', async () => {
    expect(await failure(decodeBytes(new Uint8Array(0)))).toMatchObject({ kind: 'corrupt', message: 'the file is empty (0 bytes)' });
    const text = new TextEncoder().encode('This is not audio at all, just some words in a file.\n');
    const e = await failure(decodeBytes(text, 'song.mp3'));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toBe('not an audio file we can read (looks like text) although its name ends in .mp3');
    const short = await failure(decodeBytes(encodeWav(new Float32Array(220), 22050)));
    expect(short.kind).toBe('too-short');
    expect(short.message).toBe('0.010 s, need at least one frame of 2,048 samples at 22,050 Hz (0.093 s)');
    const nan = new Float32Array(4000);
    nan[2205] = Number.NaN;
    nan[3000] = Number.POSITIVE_INFINITY;
    const bad = await failure(decodeBytes(rawWav({ formatTag: 3, channels: 1, sampleRate: 22050, bitsPerSample: 32, data: floatBytes(nan, 4) })));
    expect(bad).toMatchObject({ kind: 'invalid-samples', message: '2 samples are NaN or infinite (first at 0.100 s)' });
  });
});
