// The CNN front end against librosa's algorithm written out in numpy (tests/fixtures/cnn/
// make_logmel_ref.py: Slaney mel bank, reflect-padded periodic-Hann STFT, power → dB with
// ref 1, amin 1e-10, top_db 80). Tolerances: filter weights 1e-6 relative (both float32); dB cells
// 1e-3 dB absolute (the STFT is rounded to complex64 on both sides; what remains is float32
// rounding of the power, ~1e-5 dB). Closed-form properties: amplitude × 10 adds exactly 20 dB.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOGMEL, logMel, logMelColumns, logMelFilterbank, logMelPatch, melDense, parseLogMelColumn } from '../../../src/main/engine/cnn';
import { logmelProfile } from '../../../src/main/engine/cnn/profile';
import { getProfile } from '../../../src/main/engine/features';
import { segmentSpans } from '../../../src/main/engine/features/segments';

const SR = 22050;
const ref = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/cnn/logmel_ref.json'), 'utf8')) as {
  filterbank: { rows: number[]; cols: number[]; values: number[] };
  chirp: number[];
  short: number[];
  shortFrames: number;
};

/** Same formula as make_logmel_ref.py chirp_noise. */
function chirpNoise(n: number): Float32Array {
  const y = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const t = k / SR;
    y[k] = 0.4 * Math.sin(2 * Math.PI * (200 * t + 750 * t * t)) + 0.1 * (((k * 7919) % 1000) / 1000 - 0.5);
  }
  return y;
}

/** Same formula as make_logmel_ref.py tone_then_silence. */
function toneThenSilence(n: number): Float32Array {
  const y = new Float32Array(n);
  for (let k = 0; k < n / 2 - 0.5; k++) y[k] = 0.5 * Math.sin((2 * Math.PI * 1000 * k) / SR);
  return y;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('log-mel front end', () => {
  it('uses librosa’s Slaney mel filter bank (64 bands, 0–11,025 Hz)', () => {
    const fb = logMelFilterbank();
    expect(fb.nMels).toBe(64);
    expect(fb.nBins).toBe(1025);
    const dense = melDense(fb);
    const want = new Float64Array(dense.length);
    ref.filterbank.rows.forEach((r, i) => (want[r * fb.nBins + ref.filterbank.cols[i]!] = ref.filterbank.values[i]!));
    for (let i = 0; i < want.length; i++) expect(Math.abs(dense[i]! - want[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1e-3, Math.abs(want[i]!)));
    // Every band has weight (no empty triangle at 64 bands).
    for (let m = 0; m < 64; m++) expect(fb.end[m]! - fb.start[m]!).toBeGreaterThan(0);
  });

  it('matches the numpy reference patch of a 3-second segment to 1e-3 dB', () => {
    const p = logMelPatch(chirpNoise(LOGMEL.segmentSamples));
    expect([p.mels, p.frames]).toEqual([64, 130]);
    expect(LOGMEL.patchFrames).toBe(1 + Math.floor(LOGMEL.segmentSamples / LOGMEL.hop));
    expect(maxAbsDiff(p.data, ref.chirp)).toBeLessThanOrEqual(1e-3);
  });

  it('pads a short clip with its own 80 dB floor after the frames it has', () => {
    const y = toneThenSilence(33075);
    const full = logMel(y);
    expect(full.frames).toBe(ref.shortFrames);
    expect(maxAbsDiff(full.data, ref.short)).toBeLessThanOrEqual(1e-3);
    const p = logMelPatch(y);
    expect(p.frames).toBe(130);
    let max = -Infinity;
    for (const v of full.data) max = Math.max(max, v);
    for (let m = 0; m < 64; m++) {
      for (let t = 0; t < 130; t++) {
        const v = p.data[m * 130 + t]!;
        if (t < full.frames) expect(v).toBe(full.data[m * full.frames + t]);
        else expect(Math.abs(v - (max - 80))).toBeLessThanOrEqual(1e-4); // float32 storage
      }
    }
  });

  it('adds exactly 20 dB when the amplitude grows tenfold (cells above the floor)', () => {
    const y = chirpNoise(LOGMEL.segmentSamples);
    const a = logMelPatch(y).data;
    const b = logMelPatch(y.map((v) => v * 10)).data;
    let floorA = Infinity;
    for (const v of a) floorA = Math.min(floorA, v);
    let checked = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i]! <= floorA + 1e-3) continue;
      expect(Math.abs(b[i]! - a[i]! - 20)).toBeLessThanOrEqual(1e-3);
      checked++;
    }
    expect(checked).toBeGreaterThan(a.length / 2);
  });

  it('resamples other rates first: a 1 kHz tone at 44.1 kHz peaks in the same band', () => {
    const tone = (sr: number) => Float32Array.from({ length: Math.round(3 * sr) }, (_, k) => 0.5 * Math.sin((2 * Math.PI * 1000 * k) / sr));
    const peak = (d: Float32Array) => {
      const bandSum = Array.from({ length: 64 }, (_, m) => d.subarray(m * 130, (m + 1) * 130).reduce((s, v) => s + v, 0));
      return bandSum.indexOf(Math.max(...bandSum));
    };
    const a = logMelPatch(tone(44100), 44100);
    const b = logMelPatch(tone(22050), 22050);
    expect(a.frames).toBe(130);
    expect(peak(a.data)).toBe(peak(b.data));
  });

  it('names columns mel-major and parses them back', () => {
    const cols = logMelColumns();
    expect(cols.length).toBe(64 * 130);
    expect(cols[0]).toBe('mel00_t000');
    expect(cols[131]).toBe('mel01_t001');
    expect(parseLogMelColumn(cols[131]!)).toEqual({ mel: 1, frame: 1 });
    expect(parseLogMelColumn('mfcc1_mean')).toBeNull();
  });
});

describe('logmel feature profile', () => {
  it('is registered and gives one patch per 3-second segment, the track row being their mean', () => {
    expect(getProfile('logmel')).toBe(logmelProfile);
    const y = chirpNoise(Math.round(7.5 * SR));
    const r = logmelProfile.extract(y, { segmentSeconds: 3 });
    const spans = segmentSpans(y.length, 3);
    expect(r.segments.length).toBe(spans.length);
    expect(r.segments.length).toBe(2);
    expect(spans[0]!.length).toBe(LOGMEL.segmentSamples); // the patch is one whole segment
    const second = logMelPatch(y.subarray(spans[1]!.start, spans[1]!.start + spans[1]!.length)).data;
    expect(maxAbsDiff(r.segments[1]!, second)).toBe(0);
    for (const i of [0, 777, 8319]) expect(r.track[i]).toBeCloseTo((r.segments[0]![i]! + r.segments[1]![i]!) / 2, 9);
    expect(r.track.length).toBe(logmelProfile.columns.length);
    expect(logmelProfile.extract(y).segments).toEqual([]);
  });

  it('returns finite values for silence and for an empty clip', () => {
    for (const y of [new Float32Array(SR), new Float32Array(0)]) {
      const r = logmelProfile.extract(y, { segmentSeconds: 3 });
      expect(r.segments.length).toBe(1);
      for (const v of r.segments[0]!) expect(Number.isFinite(v)).toBe(true);
    }
  });
});
