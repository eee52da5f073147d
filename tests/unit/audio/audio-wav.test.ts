import { describe, expect, it } from 'vitest';
import { DecodeError, decodeWavPcm, encodeWav } from '../../../src/main/engine/audio/index';
import { floatBytes, intBytes, interleave, loadRefs, rawWav, sineCodes } from './audio-helpers';

const refs = loadRefs();

function ascii(b: Uint8Array, o: number, n = 4): string {
  return String.fromCharCode(...b.subarray(o, o + n));
}

describe('decodeWavPcm', () => {
  // Closed form: libsndfile (soundfile, librosa) reads an n-bit integer code v as v / 2^(n−1),
  // 8-bit offset binary u as (u − 128) / 128, and floats unchanged.
  const n = 500;
  for (const bits of [16, 24, 32]) {
    it(`reads ${bits}-bit PCM as code / 2^${bits - 1} exactly (stereo, each channel kept)`, () => {
      const left = sineCodes(440, 22050, n, bits, 0.9);
      const right = sineCodes(97, 22050, n, bits, -0.4, 1);
      // Include the extreme codes.
      left[0] = -(2 ** (bits - 1));
      left[1] = 2 ** (bits - 1) - 1;
      const bytes = rawWav({ formatTag: 1, channels: 2, sampleRate: 22050, bitsPerSample: bits, data: intBytes(interleave([left, right]), bits / 8) });
      const pcm = decodeWavPcm(bytes);
      expect(pcm.sampleRate).toBe(22050);
      expect(pcm.channelData.length).toBe(2);
      expect(pcm.encoding).toBe(`${bits}-bit integer`);
      expect(Array.from(pcm.channelData[0])).toEqual(left.map((v) => Math.fround(v / 2 ** (bits - 1))));
      expect(Array.from(pcm.channelData[1])).toEqual(right.map((v) => Math.fround(v / 2 ** (bits - 1))));
    });
  }

  it('reads 8-bit unsigned PCM as (u − 128) / 128', () => {
    const codes = Array.from({ length: 256 }, (_, i) => i);
    const pcm = decodeWavPcm(rawWav({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 8, data: Uint8Array.from(codes) }));
    expect(Array.from(pcm.channelData[0])).toEqual(codes.map((u) => (u - 128) / 128));
  });

  it('reads 32- and 64-bit IEEE float as stored (values beyond ±1 are not clipped)', () => {
    const values = [0, 0.5, -0.25, 1.5, -2, 1e-30, Math.PI / 4];
    for (const size of [4, 8] as const) {
      const pcm = decodeWavPcm(rawWav({ formatTag: 3, channels: 1, sampleRate: 44100, bitsPerSample: size * 8, data: floatBytes(values, size) }));
      expect(Array.from(pcm.channelData[0])).toEqual(values.map((v) => Math.fround(v)));
    }
  });

  it('reads WAVE_FORMAT_EXTENSIBLE (PCM 24-bit, float) and a LIST chunk before the data', () => {
    const codes = sineCodes(1000, 48000, 300, 24, 0.7);
    const a = decodeWavPcm(rawWav({ formatTag: 1, extensible: true, extraChunk: true, channels: 1, sampleRate: 48000, bitsPerSample: 24, data: intBytes(codes, 3) }));
    expect(Array.from(a.channelData[0])).toEqual(codes.map((v) => v / 8388608));
    const f = [0.1, -0.2, 0.3];
    const b = decodeWavPcm(rawWav({ formatTag: 3, extensible: true, channels: 1, sampleRate: 48000, bitsPerSample: 32, data: floatBytes(f, 4) }));
    expect(Array.from(b.channelData[0])).toEqual(f.map(Math.fround));
  });

  it('reads big-endian RIFX files', () => {
    const codes = sineCodes(300, 16000, 200, 16, 0.8);
    const pcm = decodeWavPcm(rawWav({ formatTag: 1, rifx: true, channels: 1, sampleRate: 16000, bitsPerSample: 16, data: intBytes(codes, 2, false) }));
    expect(pcm.sampleRate).toBe(16000);
    expect(Array.from(pcm.channelData[0])).toEqual(codes.map((v) => v / 32768));
  });

  it('expands G.711 µ-law and A-law like CPython audioop (ITU-T G.711), over all 256 codes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const mu = decodeWavPcm(rawWav({ formatTag: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8, data: all }));
    const al = decodeWavPcm(rawWav({ formatTag: 6, channels: 1, sampleRate: 8000, bitsPerSample: 8, data: all }));
    expect(Array.from(mu.channelData[0])).toEqual(refs.ulaw.map((v) => v / 32768));
    expect(Array.from(al.channelData[0])).toEqual(refs.alaw.map((v) => v / 32768));
  });

  it('reads correctly from a view at an odd offset into a larger buffer (as Node Buffers are), every word size', () => {
    const codes = sineCodes(440, 22050, 300, 32, 0.6);
    const floats = codes.map((v) => v / 2 ** 31);
    const files: [Uint8Array, number[]][] = [
      [rawWav({ formatTag: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16, data: intBytes(codes.map((v) => v >> 16), 2) }), codes.map((v) => (v >> 16) / 32768)],
      [rawWav({ formatTag: 1, channels: 1, sampleRate: 22050, bitsPerSample: 32, data: intBytes(codes, 4), extraChunk: true }), codes.map((v) => Math.fround(v / 2 ** 31))],
      [rawWav({ formatTag: 3, channels: 1, sampleRate: 22050, bitsPerSample: 32, data: floatBytes(floats, 4) }), floats.map(Math.fround)],
      [rawWav({ formatTag: 3, channels: 1, sampleRate: 22050, bitsPerSample: 64, data: floatBytes(floats, 8), extraChunk: true }), floats.map(Math.fround)],
    ];
    for (const [file, expected] of files) {
      for (const shift of [1, 2, 3, 5]) {
        const pool = new Uint8Array(file.length + 16).fill(0x7f);
        pool.set(file, shift);
        expect(Array.from(decodeWavPcm(pool.subarray(shift, shift + file.length)).channelData[0])).toEqual(expected);
        // A Buffer's slice() is a view, not a copy: the reader must not rely on it.
        expect(Array.from(decodeWavPcm(Buffer.from(pool.buffer, shift, file.length)).channelData[0])).toEqual(expected);
      }
    }
  });

  it('decodes the whole frames of a truncated data chunk and warns; fails as corrupt when none remain', () => {
    const codes = sineCodes(440, 22050, 1000, 16);
    const full = rawWav({ formatTag: 1, channels: 2, sampleRate: 22050, bitsPerSample: 16, data: intBytes(interleave([codes, codes]), 2) });
    const cut = full.subarray(0, full.length - 1001); // 250 whole frames missing plus one byte
    const pcm = decodeWavPcm(cut);
    expect(pcm.channelData[0].length).toBe(749);
    expect(pcm.warnings.join()).toMatch(/truncated \(header says 4 KB, file has 3 KB\).*749 whole frames/);
    const headerOnly = full.subarray(0, full.length - 4000 + 2);
    const err = (() => {
      try {
        decodeWavPcm(headerOnly);
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err).toBeInstanceOf(DecodeError);
    expect(err?.kind).toBe('corrupt');
    expect(err?.message).toMatch(/no whole frame/);
  });

  it('rejects ADPCM and broken headers with a DecodeError', () => {
    expect(() => decodeWavPcm(rawWav({ formatTag: 0x11, channels: 1, sampleRate: 8000, bitsPerSample: 4, data: new Uint8Array(256) }))).toThrow(/IMA ADPCM/);
    const noFmt = Uint8Array.from([...'RIFF'].map((c) => c.charCodeAt(0)).concat([4, 0, 0, 0], [...'WAVE'].map((c) => c.charCodeAt(0))));
    expect(() => decodeWavPcm(noFmt)).toThrow(/no format/);
    expect(() => decodeWavPcm(rawWav({ formatTag: 1, channels: 0, sampleRate: 8000, bitsPerSample: 16, data: new Uint8Array(8) }))).toThrow(/0 channels/);
  });
});

describe('encodeWav', () => {
  it('writes a canonical 16-bit PCM header (checked byte by byte)', () => {
    const b = encodeWav(new Float32Array(3), 22050);
    const dv = new DataView(b.buffer);
    expect(b.length).toBe(44 + 6);
    expect(ascii(b, 0)).toBe('RIFF');
    expect(dv.getUint32(4, true)).toBe(b.length - 8);
    expect(ascii(b, 8)).toBe('WAVE');
    expect(ascii(b, 12)).toBe('fmt ');
    expect([dv.getUint32(16, true), dv.getUint16(20, true), dv.getUint16(22, true)]).toEqual([16, 1, 1]);
    expect([dv.getUint32(24, true), dv.getUint32(28, true), dv.getUint16(32, true), dv.getUint16(34, true)]).toEqual([22050, 44100, 2, 16]);
    expect(ascii(b, 36)).toBe('data');
    expect(dv.getUint32(40, true)).toBe(6);
  });

  it('writes 32-bit float with format tag 3 and a fact chunk, and pads odd data to an even size', () => {
    const f = encodeWav(Float32Array.of(0.25, -0.5), 8000, 32);
    const dv = new DataView(f.buffer);
    expect(dv.getUint16(20, true)).toBe(3);
    expect(dv.getUint16(34, true)).toBe(32);
    expect(ascii(f, 38)).toBe('fact');
    expect(dv.getUint32(46, true)).toBe(2);
    const odd = encodeWav(new Float32Array(3), 8000, 24);
    expect(odd.length % 2).toBe(0);
    expect(new DataView(odd.buffer).getUint32(40, true)).toBe(9);
  });

  it('round-trips: int16 / 32768 values exactly, arbitrary values to half an LSB, clipping at ±1', () => {
    const exact = Float32Array.from(sineCodes(440, 22050, 2000, 16, 0.9), (v) => v / 32768);
    expect(decodeWavPcm(encodeWav(exact, 22050)).channelData[0]).toEqual(exact);
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 0.99);
    for (const bits of [16, 24] as const) {
      const y = decodeWavPcm(encodeWav(x, 44100, bits)).channelData[0];
      const lsb = 2 ** -(bits - 1);
      for (let i = 0; i < x.length; i++) expect(Math.abs(y[i] - x[i])).toBeLessThanOrEqual(lsb / 2 + 1e-12);
    }
    expect(decodeWavPcm(encodeWav(x, 44100, 32)).channelData[0]).toEqual(x);
    const loud = Float32Array.of(2, -3, 1, -1, Number.NaN, 0.5);
    expect(Array.from(decodeWavPcm(encodeWav(loud, 8000)).channelData[0])).toEqual([32767 / 32768, -1, 32767 / 32768, -1, 0, 0.5]);
    expect(Array.from(decodeWavPcm(encodeWav(loud, 8000, 32)).channelData[0])).toEqual([1, -1, 1, -1, 0, 0.5]);
  });

  it('rejects bad arguments', () => {
    expect(() => encodeWav(new Float32Array(1), 0)).toThrow(RangeError);
    expect(() => encodeWav(new Float32Array(1), 22050, 8 as 16)).toThrow(RangeError);
  });
});
