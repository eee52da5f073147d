// Profile `meyda`: Meyda 5.6.3's own feature definitions on our centred frames (2048, hop 512).
// Meyda applies its own window ('hanning' = 0.5 - 0.5 cos(2 pi n / (N-1)), symmetric) to each frame.
// Frames of silence make Meyda's centroid/spread/flatness 0/0; those frame values are taken as 0.

import Meyda from 'meyda';
import { HOP, N_FFT, SAMPLE_RATE } from './constants';
import { centredFrames, frameView } from './frames';
import { makeProfile, meanVarColumns } from './profile-base';
import { meanVar } from './stats';

const N_MFCC = 20;
const N_CHROMA = 12;
const SCALARS = [
  ['spectralRolloff', 'spectral_rolloff'],
  ['spectralCentroid', 'spectral_centroid'],
  ['spectralSpread', 'spectral_spread'],
  ['spectralFlatness', 'spectral_flatness'],
  ['zcr', 'zcr'],
  ['rms', 'rms'],
] as const;
const FEATURES = ['mfcc', 'chroma', ...SCALARS.map((s) => s[0])] as const;

const BASES = [
  ...Array.from({ length: N_MFCC }, (_, i) => `mfcc${i + 1}`),
  ...Array.from({ length: N_CHROMA }, (_, i) => `chroma${i + 1}`),
  ...SCALARS.map((s) => s[1]),
];
export const MEYDA_COLUMNS: readonly string[] = meanVarColumns(BASES);

// Meyda's mutable singleton; its cached filter banks are keyed on band counts only, not on the
// buffer size or sample rate, so they are cleared whenever we (re)configure it.
interface MeydaState {
  bufferSize: number;
  sampleRate: number;
  windowingFunction: string;
  numberOfMFCCCoefficients: number;
  melBands: number;
  chromaBands: number;
  melFilterBank?: unknown;
  chromaFilterBank?: unknown;
  barkScale?: unknown;
  extract: (features: readonly string[], signal: Float32Array) => Record<string, unknown> | null;
}

function configureMeyda(): MeydaState {
  const m = Meyda as unknown as MeydaState;
  m.bufferSize = N_FFT;
  m.sampleRate = SAMPLE_RATE;
  m.windowingFunction = 'hanning';
  m.numberOfMFCCCoefficients = N_MFCC;
  m.melBands = 26;
  m.chromaBands = N_CHROMA;
  m.melFilterBank = undefined;
  m.chromaFilterBank = undefined;
  m.barkScale = undefined;
  return m;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The `meyda` profile's vector for one clip (MEYDA_COLUMNS order), without the profile's finite-value guard. */
export function meydaVector(y: Float32Array): Float64Array {
  const m = configureMeyda();
  const f = centredFrames(y, N_FFT, HOP);
  const T = f.nFrames;
  const nb = BASES.length;
  const per = new Float64Array(nb * T); // [base][frame]
  for (let t = 0; t < T; t++) {
    const r = m.extract(FEATURES, frameView(f, t));
    if (!r) throw new Error('meyda: extract returned null');
    const mfcc = r.mfcc as ArrayLike<number>;
    const chroma = r.chroma as ArrayLike<number>;
    let b = 0;
    for (let i = 0; i < N_MFCC; i++) per[(b++) * T + t] = num(mfcc[i]);
    for (let i = 0; i < N_CHROMA; i++) per[(b++) * T + t] = num(chroma[i]);
    for (const [key] of SCALARS) per[(b++) * T + t] = num(r[key]);
  }
  const out = new Float64Array(2 * nb);
  for (let b = 0; b < nb; b++) {
    const mv = meanVar(per, T, b * T);
    out[2 * b] = mv.mean;
    out[2 * b + 1] = mv.var;
  }
  return out;
}

export const meydaProfile = makeProfile(
  'meyda',
  "Meyda 5.6.3's definitions (MFCC 20 from 26 HTK mel bands, chroma 12, roll-off 99 % in Hz, " +
    'centroid/spread in bins, flatness, ZCR count and RMS of the windowed frame); mean and variance ' +
    'over centred frames of 2048, hop 512, at 22,050 Hz.',
  MEYDA_COLUMNS,
  (y, timings) => {
    const t0 = performance.now();
    const v = meydaVector(y);
    timings.meyda = (timings.meyda ?? 0) + (performance.now() - t0) / 1000;
    return v;
  },
);
