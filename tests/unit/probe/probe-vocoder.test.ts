// The phase vocoder: time stretch against a numpy reference of librosa's algorithm
// (tests/fixtures/probe/make_vocoder.py), and the properties the latent probes rely on — a tempo
// shift keeps pitch and changes the beat period, a pitch shift keeps duration and beat period and
// scales every frequency — each within 2 %.
import { describe, expect, it } from 'vitest';
import { HOP, N_BINS } from '../../../src/main/engine/features/constants';
import { stft } from '../../../src/main/engine/features/stft';
import { phaseVocoder, pitchShift, stretchedFrameCount, tempoShift, timeStretch } from '../../../src/main/engine/probe/vocoder';
import { SR, autocorrF0, beatPeriod, f32, fixture, peakFrequency, pulses, tone } from './probe-signal';

interface VocoderRef {
  input: string;
  tempo15: string;
  slow15: string;
  pitch15: string;
}
const REF = fixture<VocoderRef>('vocoder.json');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function relRms(got: Float32Array, ref: Float32Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < ref.length; i++) {
    e += (got[i]! - ref[i]!) ** 2;
    s += ref[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

const rel = (got: number, want: number) => Math.abs(got / want - 1);

describe('phase vocoder against the numpy reference (librosa 0.8 algorithm, make_vocoder.py)', () => {
  const y = f32(REF.input);
  it('time stretch ×1.5 (faster) matches to float32 rounding (max |Δ| ≤ 1e-6)', () => {
    const ref = f32(REF.tempo15);
    const got = timeStretch(y, 1.5);
    expect(got.length).toBe(ref.length);
    expect(maxAbsDiff(got, ref)).toBeLessThan(1e-6);
  });
  it('time stretch ×1/1.5 (slower) matches to float32 rounding (max |Δ| ≤ 1e-6)', () => {
    const ref = f32(REF.slow15);
    const got = timeStretch(y, 1 / 1.5);
    expect(got.length).toBe(ref.length);
    expect(maxAbsDiff(got, ref)).toBeLessThan(1e-6);
  });
  it('pitch shift ×1.5 matches within 1 % relative RMS (the reference resamples with scipy resample_poly, a different filter)', () => {
    const ref = f32(REF.pitch15);
    const got = pitchShift(y, 1.5, SR);
    expect(got.length).toBe(ref.length);
    expect(relRms(got, ref)).toBeLessThan(1e-2);
  });
});

describe('phase vocoder: frame bookkeeping and identity', () => {
  it('reads np.arange(0, T, rate) time steps', () => {
    expect(stretchedFrameCount(10, 1.5)).toBe(7); // 0, 1.5, …, 9
    expect(stretchedFrameCount(9, 1.5)).toBe(6); // 0 … 7.5
    expect(stretchedFrameCount(4, 0.5)).toBe(8);
  });
  it('rate 1 returns the STFT itself (up to float32 rounding) and the signal back away from the end', () => {
    const y = tone([[330, 0.4], [990, 0.1]], 1);
    const D = stft(y);
    const V = phaseVocoder(D, 1);
    expect(V.nFrames).toBe(D.nFrames);
    expect(V.nBins).toBe(N_BINS);
    let worst = 0;
    for (let i = 0; i < D.re.length; i++) worst = Math.max(worst, Math.abs(Math.hypot(V.re[i]!, V.im[i]!) - Math.hypot(D.re[i]!, D.im[i]!)));
    expect(worst).toBeLessThan(1e-4);
    const back = timeStretch(y, 1);
    expect(back.length).toBe(y.length);
    // the project's ISTFT (librosa 0.7 trimming) leaves the last n_fft/2 samples out
    let err = 0;
    for (let i = 0; i < y.length - 2048; i++) err = Math.max(err, Math.abs(back[i]! - y[i]!));
    expect(err).toBeLessThan(1e-5);
  });
  it('rejects a rate that is not a positive number', () => {
    const D = stft(tone([[440, 0.5]], 0.2));
    expect(() => phaseVocoder(D, 0)).toThrow(RangeError);
    expect(() => timeStretch(new Float32Array(100), Number.NaN)).toThrow(RangeError);
    expect(() => pitchShift(new Float32Array(100), -1)).toThrow(RangeError);
    expect(timeStretch(new Float32Array(0), 1.5).length).toBe(0);
    expect(HOP).toBe(512);
  });
});

describe('tempo and pitch shifts keep what they should within 2 %', () => {
  const seconds = 4;
  const n = Math.round(seconds * SR);
  const centre = (y: Float32Array) => [Math.floor(y.length * 0.2), Math.floor(y.length * 0.8)] as const;

  it('tempo +50 %: a 440 Hz sine stays at 440 Hz; duration is 1/1.5', () => {
    const y = tone([[440, 0.5]], seconds);
    const z = tempoShift(y, 1.5);
    expect(rel(z.length, n / 1.5)).toBeLessThan(0.02);
    const [a, b] = centre(z);
    expect(rel(peakFrequency(z, a, b), 440)).toBeLessThan(0.02);
  });

  it('pitch +50 %: a 440 Hz sine goes to 660 Hz; duration is unchanged', () => {
    const y = tone([[440, 0.5]], seconds);
    const z = pitchShift(y, 1.5, SR);
    expect(z.length).toBe(n);
    const [a, b] = centre(z);
    expect(rel(peakFrequency(z, a, b), 660)).toBeLessThan(0.02);
    // and the original's own peak is where it was made
    expect(rel(peakFrequency(y), 440)).toBeLessThan(0.001);
  });

  it('harmonic tone (f0 196 Hz, 6 partials): pitch shift ×1.5 moves f0 to 294 Hz, tempo shift keeps 196 Hz', () => {
    const partials: [number, number][] = [1, 2, 3, 4, 5, 6].map((k) => [196 * k, 0.4 / k]);
    const y = tone(partials, seconds);
    const p = pitchShift(y, 1.5, SR);
    const t = tempoShift(y, 1.5);
    const [pa] = centre(p);
    const [ta, tb] = centre(t);
    expect(rel(autocorrF0(y, 100, 500, 0, 8192), 196)).toBeLessThan(0.005);
    expect(rel(autocorrF0(p, 150, 500, pa, pa + 8192), 294)).toBeLessThan(0.02);
    expect(rel(autocorrF0(t, 100, 500, ta, Math.min(tb, ta + 8192)), 196)).toBeLessThan(0.02);
  });

  it('a click track every 0.5 s: tempo ×1.5 makes it every 0.333 s, pitch ×1.5 keeps 0.5 s', () => {
    const y = pulses(0.5, 6);
    const orig = beatPeriod(y);
    expect(orig.onsets).toBe(11); // the pulse at t = 0 has no rising edge
    expect(rel(orig.period, 0.5)).toBeLessThan(0.005);
    const t = beatPeriod(tempoShift(y, 1.5));
    expect(t.onsets).toBeGreaterThanOrEqual(10);
    expect(rel(t.period, 0.5 / 1.5)).toBeLessThan(0.02);
    const p = pitchShift(y, 1.5, SR);
    expect(p.length).toBe(y.length);
    const pp = beatPeriod(p);
    expect(pp.onsets).toBeGreaterThanOrEqual(10);
    expect(rel(pp.period, 0.5)).toBeLessThan(0.02);
  });

  it('other factors: tempo ×0.8 and pitch ×1.25 within 2 %', () => {
    const y = tone([[523.25, 0.5]], 3);
    const slow = tempoShift(y, 0.8);
    expect(rel(slow.length, y.length / 0.8)).toBeLessThan(0.02);
    const [a, b] = centre(slow);
    expect(rel(peakFrequency(slow, a, b), 523.25)).toBeLessThan(0.02);
    const up = pitchShift(y, 1.25, SR);
    const [c, d] = centre(up);
    expect(rel(peakFrequency(up, c, d), 523.25 * 1.25)).toBeLessThan(0.02);
  });
});
