// Every stage of the gtzan57 pipeline on one short signal, against the numpy reference of the GTZAN
// table's librosa 0.7/0.8 features (../shared/reference/gtzan57_numpy.py, run by
// tests/fixtures/features/make_gtzan57_ref.py -> stages_ref.json, values kept to 10 significant digits).
import { describe, expect, it } from 'vitest';
import { chromaFilterbank, chromaFromPower } from '../../../src/main/engine/features/chroma';
import { HOP, N_BINS, N_FFT, SAMPLE_RATE } from '../../../src/main/engine/features/constants';
import { powerToDbInPlace } from '../../../src/main/engine/features/db';
import { dctOrthoRows } from '../../../src/main/engine/features/dct';
import { centredFrames } from '../../../src/main/engine/features/frames';
import { hpssMasks } from '../../../src/main/engine/features/hpss';
import { istftMaskedPair, windowSumSquareAt, windowSumSquarePeriod } from '../../../src/main/engine/features/istft';
import { hannPeriodic } from '../../../src/main/engine/features/window';
import { applyMel, melFilterbank } from '../../../src/main/engine/features/mel';
import { onsetStrengthMedian } from '../../../src/main/engine/features/onset';
import { rmsFrames } from '../../../src/main/engine/features/rms';
import { fftFrequencies, spectralShape } from '../../../src/main/engine/features/spectral';
import { magnitude, powerFromMagnitude, stft } from '../../../src/main/engine/features/stft';
import { tempoFromOnset } from '../../../src/main/engine/features/tempo';
import { estimateTuning } from '../../../src/main/engine/features/tuning';
import { zcrFrames } from '../../../src/main/engine/features/zcr';
import { loadFixture, sine } from './helpers';
import { clicks, detuned, maxRel, tonesNoise } from './signals';

const ref = loadFixture('stages_ref.json');
const y = tonesNoise(ref.n);
y.fill(0, 3000, 3500);
const S = stft(y);
const T = S.nFrames;
const mag = magnitude(S);
const P = powerFromMagnitude(mag);
const mel = melFilterbank(SAMPLE_RATE, N_FFT, 128);
const Sdb = powerToDbInPlace(applyMel(mel, P, T));

/** every `step`-th value of x */
const every = (x: ArrayLike<number>, step: number): number[] => Array.from(x).filter((_, i) => i % step === 0);

describe('STFT (librosa.stft: reflect-padded centred frames, periodic Hann, complex64)', () => {
  it('has 1 + floor(n / 512) frames of 1025 bins', () => {
    expect(T).toBe(ref.T);
    expect(S.nBins).toBe(N_BINS);
  });
  it('frames 0 (reflect padding) and 7 equal numpy (abs 1e-6 of the frame peak)', () => {
    (ref.stft_frames as number[]).forEach((t, f) => {
      const re = S.re.subarray(t * N_BINS, (t + 1) * N_BINS);
      const im = S.im.subarray(t * N_BINS, (t + 1) * N_BINS);
      const wantRe = ref.stft_re.slice(f * N_BINS, (f + 1) * N_BINS);
      const wantIm = ref.stft_im.slice(f * N_BINS, (f + 1) * N_BINS);
      const peak = Math.max(...wantRe.map(Math.abs), ...wantIm.map(Math.abs));
      for (let k = 0; k < N_BINS; k++) {
        expect(Math.abs(re[k] - wantRe[k])).toBeLessThan(1e-6 * peak);
        expect(Math.abs(im[k] - wantIm[k])).toBeLessThan(1e-6 * peak);
      }
    });
  });
});

describe('frame features', () => {
  it('rms (unwindowed reflect-padded frames) equals numpy (rel 1e-7)', () => {
    expect(maxRel(rmsFrames(centredFrames(y, N_FFT, HOP)), ref.rms, 1e-12)).toBeLessThan(1e-7);
  });
  it('zero-crossing rate (edge padding, /2048) equals numpy (rel 1e-9)', () => {
    expect(maxRel(zcrFrames(y, N_FFT, HOP), ref.zcr, 1e-12)).toBeLessThan(1e-9);
  });
  it('spectral centroid, bandwidth, roll-off (85 %) equal numpy (rel 1e-7)', () => {
    const sh = spectralShape(mag, T, fftFrequencies(SAMPLE_RATE, N_FFT));
    expect(maxRel(sh.centroid, ref.centroid, 1e-9)).toBeLessThan(1e-7);
    expect(maxRel(sh.bandwidth, ref.bandwidth, 1e-9)).toBeLessThan(1e-7);
    expect(maxRel(sh.rolloff, ref.rolloff, 1e-9)).toBeLessThan(1e-7);
  });
});

describe('mel, dB, MFCC', () => {
  it('dB mel spectrogram of frame 5 equals numpy (abs 1e-4 dB)', () => {
    const got = Sdb.subarray(5 * 128, 6 * 128);
    for (let i = 0; i < 128; i++) expect(Math.abs(got[i] - ref.mel_db_frame5[i])).toBeLessThan(1e-4);
  });
  it('MFCC 1-20 of every frame equal numpy (abs 1e-4 + rel 1e-6)', () => {
    const m = dctOrthoRows(Sdb, T, 128, 20);
    for (let i = 0; i < m.length; i++) {
      expect(Math.abs(m[i] - ref.mfcc[i])).toBeLessThan(1e-4 + 1e-6 * Math.abs(ref.mfcc[i]));
    }
  });
});

describe('chroma and tuning', () => {
  it('tuning estimate (piptrack) equals numpy exactly (a multiple of 0.01)', () => {
    expect(estimateTuning(P, T, N_BINS, SAMPLE_RATE, N_FFT)).toBeCloseTo(ref.tuning, 12);
  });
  for (const cents of ['0', '23', '-31']) {
    it(`tuning of harmonic tones detuned by ${cents} cents equals numpy`, () => {
      const Pd = powerFromMagnitude(magnitude(stft(detuned(22050, Number(cents)))));
      const Td = Pd.length / N_BINS;
      expect(estimateTuning(Pd, Td, N_BINS, SAMPLE_RATE, N_FFT)).toBeCloseTo(ref.tuning_detuned[cents], 12);
    });
  }
  it('the tuning follows the detuning (property: +23 cents - (-31 cents) ~ 0.54 bins, +-0.05)', () => {
    expect(ref.tuning_detuned['23'] - ref.tuning_detuned['-31']).toBeCloseTo(0.54, 1);
  });
  it('chroma_stft (max-normalised per frame) equals numpy (abs 1e-6)', () => {
    const c = chromaFromPower(chromaFilterbank(SAMPLE_RATE, N_FFT, ref.tuning), 12, P, T, N_BINS);
    for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - ref.chroma[i])).toBeLessThan(1e-6);
  });
  it('a 440 Hz sine peaks in chroma A (row 9; row 0 = C) in every frame (property)', () => {
    const Ps = powerFromMagnitude(magnitude(stft(sine(440, 22050))));
    const Ts = Ps.length / N_BINS;
    const tun = estimateTuning(Ps, Ts, N_BINS, SAMPLE_RATE, N_FFT);
    expect(Math.abs(tun)).toBeLessThan(0.1);
    const c = chromaFromPower(chromaFilterbank(SAMPLE_RATE, N_FFT, tun), 12, Ps, Ts, N_BINS);
    for (let t = 0; t < Ts; t++) {
      const row = Array.from(c.subarray(t * 12, t * 12 + 12));
      expect(row.indexOf(Math.max(...row))).toBe(9);
      expect(row[9]).toBe(1);
    }
  });
});

describe('HPSS and inverse STFT', () => {
  it('harmonic / percussive waveforms (31-tap medians, soft masks, istft, zero tail) equal numpy (abs 1e-6)', () => {
    const masks = hpssMasks(mag, T, N_BINS, 31);
    const [yh, yp] = istftMaskedPair(S.re, S.im, masks.harmonic, masks.percussive, T, y.length);
    const step = ref.wave_step;
    const gh = every(yh, step);
    const gp = every(yp, step);
    expect(gh.length).toBe(ref.harmonic.length);
    for (let i = 0; i < gh.length; i++) {
      expect(Math.abs(gh[i] - ref.harmonic[i])).toBeLessThan(1e-6);
      expect(Math.abs(gp[i] - ref.percussive[i])).toBeLessThan(1e-6);
    }
    // the tail after 512 * (T - 1) samples is zero (librosa <= 0.8.1)
    for (let i = 512 * (T - 1); i < y.length; i++) expect(yh[i]).toBe(0);
  });
  it('istft of the unmodified STFT equals numpy and reconstructs the signal up to the zero tail (abs 1e-6)', () => {
    const ones = new Float32Array(S.re.length).fill(1);
    const [a, b] = istftMaskedPair(S.re, S.im, ones, new Float32Array(S.re.length), T, y.length);
    const got = every(a, ref.istft_step);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - ref.istft[i])).toBeLessThan(1e-6);
    for (let i = 0; i < 512 * (T - 1); i++) expect(Math.abs(a[i] - y[i])).toBeLessThan(1e-6);
    expect(b.every((v) => Math.abs(v) < 1e-12)).toBe(true); // the packed second signal stays ~0
  });
  it('window sum-square: the cached period equals the frame-by-frame sum, 1.5 for Hann at N/4 (closed form)', () => {
    const w = hannPeriodic(N_FFT);
    const per = windowSumSquarePeriod(w, HOP);
    for (const i of [1536, 1537, 2047, 5000, 9999]) expect(per[i % HOP]).toBe(windowSumSquareAt(w, HOP, 100, i));
    for (let r = 0; r < HOP; r++) expect(per[r]).toBeCloseTo(1.5, 12);
  });
  it('masks are in [0, 1] and sum to 1; silence gives 0.5 each (property)', () => {
    const masks = hpssMasks(mag, T, N_BINS, 31);
    for (let i = 0; i < masks.harmonic.length; i++) {
      expect(masks.harmonic[i] + masks.percussive[i]).toBeCloseTo(1, 6);
    }
    const z = hpssMasks(new Float32Array(4 * N_BINS), 4, N_BINS, 31);
    expect(z.harmonic.every((v) => v === 0.5) && z.percussive.every((v) => v === 0.5)).toBe(true);
  });
});

describe('onset envelope and tempo', () => {
  it('onset strength (median over bands, 3-frame shift) equals numpy (abs 1e-4)', () => {
    const env = onsetStrengthMedian(Sdb, T, 128);
    for (let i = 0; i < T; i++) expect(Math.abs(env[i] - ref.onset[i])).toBeLessThan(1e-4);
    expect(Array.from(env.subarray(0, 3))).toEqual([0, 0, 0]);
  });
  it('tempo of a given envelope equals numpy (beat.tempo, 344-frame window)', () => {
    const env = new Float64Array(400).map((_, t) => Math.abs(Math.sin(t * 0.37)) ** 3);
    expect(tempoFromOnset(env, SAMPLE_RATE, HOP)).toBe(ref.tempo_env.tempo);
  });
  for (const period of ['10752', '11025', '13312', '9216']) {
    const bpm = (60 * SAMPLE_RATE) / Number(period);
    it(`click track every ${period} samples (${bpm.toFixed(2)} BPM) gives numpy's tempo`, () => {
      const yc = clicks(8 * SAMPLE_RATE, Number(period));
      const Pc = powerFromMagnitude(magnitude(stft(yc)));
      const Tc = Pc.length / N_BINS;
      const env = onsetStrengthMedian(powerToDbInPlace(applyMel(mel, Pc, Tc)), Tc, 128);
      const tempo = tempoFromOnset(env, SAMPLE_RATE, HOP);
      expect(tempo).toBe(ref.click_tempo[period]);
      // property: beat_track's tempo is a lattice value 60 sr / (512 l); a click track lands within
      // 2 BPM of its tempo when that is on the lattice, else on a neighbouring lattice value
      const lattice = (60 * SAMPLE_RATE) / (HOP * Math.round((60 * SAMPLE_RATE) / (HOP * bpm)));
      if (Math.abs(lattice - bpm) < 1e-9) expect(Math.abs(tempo - bpm)).toBeLessThanOrEqual(2);
      else expect(Math.abs(tempo - bpm)).toBeLessThan((60 * SAMPLE_RATE) / (HOP * 21) - (60 * SAMPLE_RATE) / (HOP * 22));
    });
  }
});
