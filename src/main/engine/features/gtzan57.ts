// Profile `gtzan57`: the 57 columns of the GTZAN "Kaggle" table (features_30_sec.csv), computed as
// librosa 0.7/0.8 did at 22,050 Hz. One STFT feeds every spectral feature and the HPSS.
import { HOP, N_BINS, N_FFT, SAMPLE_RATE } from './constants';
import { chromaFilterbank, chromaFromPower } from './chroma';
import { powerToDbInPlace } from './db';
import { dctOrthoRows } from './dct';
import { centredFrames } from './frames';
import { hpssMasks } from './hpss';
import { istftMaskedPair } from './istft';
import { applyMel, melFilterbank, type MelFilterbank } from './mel';
import { onsetStrengthMedian } from './onset';
import { makeProfile, meanVarColumns } from './profile-base';
import { rmsFrames } from './rms';
import { fftFrequencies, spectralShape } from './spectral';
import { meanVar } from './stats';
import { magnitude, powerFromMagnitude, stftFrames } from './stft';
import { tempoFromOnset } from './tempo';
import { estimateTuning } from './tuning';
import { zcrFrames } from './zcr';

const N_MELS = 128;
const N_MFCC = 20;
const HPSS_WIDTH = 31;

export const GTZAN57_COLUMNS: readonly string[] = [
  ...meanVarColumns([
    'chroma_stft',
    'rms',
    'spectral_centroid',
    'spectral_bandwidth',
    'rolloff',
    'zero_crossing_rate',
    'harmony',
    'perceptr',
  ]),
  'tempo',
  ...meanVarColumns(Array.from({ length: N_MFCC }, (_, i) => `mfcc${i + 1}`)),
];

let melCache: MelFilterbank | undefined;
const freqs = fftFrequencies(SAMPLE_RATE, N_FFT);

function lap(timings: Record<string, number>, key: string, t0: number): number {
  const now = performance.now();
  timings[key] = (timings[key] ?? 0) + (now - t0) / 1000;
  return now;
}

/** All 57 values of one clip (or segment), in GTZAN57_COLUMNS order; seconds per stage into timings. */
export function gtzan57Vector(y: Float32Array, timings: Record<string, number> = {}): Float64Array {
  const out = new Float64Array(GTZAN57_COLUMNS.length);
  const put = (col: number, x: ArrayLike<number>, count = x.length, offset = 0, stride = 1): void => {
    const mv = meanVar(x, count, offset, stride);
    out[col] = mv.mean;
    out[col + 1] = mv.var;
  };
  let t = performance.now();

  // STFT (shared): centred, reflect-padded frames of 2048, hop 512, periodic Hann.
  const framing = centredFrames(y, N_FFT, HOP);
  const S = stftFrames(framing);
  const T = S.nFrames;
  const mag = magnitude(S);
  const P = powerFromMagnitude(mag);
  t = lap(timings, 'stft', t);

  // spectral shape (magnitude), rms (unwindowed frames), zero-crossing rate (edge-padded frames)
  const shape = spectralShape(mag, T, freqs);
  put(2, rmsFrames(framing));
  put(4, shape.centroid);
  put(6, shape.bandwidth);
  put(8, shape.rolloff);
  put(10, zcrFrames(y, N_FFT, HOP));
  t = lap(timings, 'spectral+rms+zcr', t);

  // mel (128, Slaney) -> dB (80 dB below the clip's max) -> MFCC (ortho DCT-II, 20)
  melCache ??= melFilterbank(SAMPLE_RATE, N_FFT, N_MELS);
  const Sdb = powerToDbInPlace(applyMel(melCache, P, T));
  const mfcc = dctOrthoRows(Sdb, T, N_MELS, N_MFCC);
  for (let i = 0; i < N_MFCC; i++) put(17 + 2 * i, mfcc, T, i, N_MFCC);
  t = lap(timings, 'mel+mfcc', t);

  // chroma_stft on the power spectrogram with the estimated tuning
  const tuning = estimateTuning(P, T, N_BINS, SAMPLE_RATE, N_FFT);
  const chroma = chromaFromPower(chromaFilterbank(SAMPLE_RATE, N_FFT, tuning), 12, P, T, N_BINS);
  put(0, chroma);
  t = lap(timings, 'chroma', t);

  // HPSS: median-filter soft masks on |X|, masked STFTs back to waveforms (zero tail), mean/var
  const hp: Record<string, number> = {};
  const masks = hpssMasks(mag, T, N_BINS, HPSS_WIDTH, hp);
  timings['hpss.median'] = (timings['hpss.median'] ?? 0) + (hp.median ?? 0);
  const [yh, yp] = istftMaskedPair(S.re, S.im, masks.harmonic, masks.percussive, T, y.length);
  put(12, yh);
  put(14, yp);
  t = lap(timings, 'hpss', t);

  // tempo: beat_track's tempo from the median-aggregated onset envelope of the same dB mel
  out[16] = tempoFromOnset(onsetStrengthMedian(Sdb, T, N_MELS), SAMPLE_RATE, HOP);
  lap(timings, 'tempo', t);
  return out;
}

export const gtzan57Profile = makeProfile(
  'gtzan57',
  'The 57 columns of the GTZAN Kaggle table (features_30_sec.csv) as librosa 0.7/0.8 computed them: ' +
    'chroma_stft, rms, spectral centroid/bandwidth/rolloff, zero-crossing rate, HPSS harmonic/percussive ' +
    'waveform mean and variance, beat_track tempo, MFCC 1-20 mean and variance.',
  GTZAN57_COLUMNS,
  gtzan57Vector,
);
