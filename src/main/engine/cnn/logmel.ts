// The convolutional model's front end: log-mel patches of 3-second segments, as librosa computes
// `power_to_db(melspectrogram(y, sr=22050, n_fft=2048, hop_length=512, n_mels=64), ref=1.0,
// amin=1e-10, top_db=80)` (Slaney mel scale and area normalisation, power 2, centred reflect-padded
// frames, periodic Hann window). One 3-second segment of the GTZAN convention (66,149 samples) gives
// 1 + ⌊66149 / 512⌋ = 130 frames, so a patch is 64 mels × 130 frames.
//
// Why 64 × 130 at hop 512 rather than 96 × 65 at hop 1024: the cost of the network is dominated by its
// first two conv blocks, whose work grows with mels × frames (64 · 130 = 8,320 against 96 · 65 =
// 6,240, 1.33× more), but hop 512 reuses the STFT the gtzan57 profile already matches librosa with,
// keeps 23 ms time steps (rhythm survives the two 2× time poolings), and keeps Griffin–Lim for dreams
// at its usual 75 % overlap. 64 mel bands at 22,050 Hz still put ~8 FFT bins in the narrowest band.
import { resample } from '../audio/resample';
import { powerToDbInPlace } from '../features/db';
import { centredFrames } from '../features/frames';
import { applyMel, melFilterbank, type MelFilterbank } from '../features/mel';
import { segmentSpans } from '../features/segments';
import { magnitude, powerFromMagnitude, stftFrames } from '../features/stft';

/** The log-mel settings the CNN is trained on (the `logmel` feature profile writes exactly these). */
export const LOGMEL = {
  sampleRate: 22050,
  nFft: 2048,
  hop: 512,
  nMels: 64,
  fmin: 0,
  fmax: 11025,
  /** Power spectrogram (|X|²) into the mel bank. */
  power: 2,
  /** power_to_db: 10·log10(max(amin, S)) with ref 1.0 … */
  amin: 1e-10,
  /** … floored at (the patch's maximum − topDb) dB. */
  topDb: 80,
  /** Segment length in seconds; a segment is round(3 · 22050) − 1 = 66,149 samples (segments.ts). */
  segmentSeconds: 3,
  segmentSamples: 66149,
  /** Frames of one segment's patch: 1 + ⌊66149 / 512⌋. */
  patchFrames: 130,
} as const;

/** A log-mel spectrogram (or patch), mel-major: the value of band m in frame t is data[m · frames + t]. */
export interface LogMel {
  data: Float32Array;
  mels: number;
  frames: number;
}

let bank: MelFilterbank | undefined;

/** The Slaney-normalised mel filter bank of LOGMEL (librosa.filters.mel(22050, 2048, 64)), cached. */
export function logMelFilterbank(): MelFilterbank {
  bank ??= melFilterbank(LOGMEL.sampleRate, LOGMEL.nFft, LOGMEL.nMels);
  return bank;
}

function toRate(samples: Float32Array, sr: number): Float32Array {
  if (!(sr > 0)) throw new RangeError(`logmel: bad sample rate ${sr}`);
  return sr === LOGMEL.sampleRate ? samples : resample(samples, sr, LOGMEL.sampleRate);
}

/**
 * The log-mel spectrogram of a whole signal (any length; resampled to 22,050 Hz first if `sr`
 * differs): 1 + ⌊n / 512⌋ frames, in dB, floored at its own maximum − 80 dB.
 */
export function logMel(samples: Float32Array, sr: number = LOGMEL.sampleRate): LogMel {
  const y = toRate(samples, sr);
  const S = stftFrames(centredFrames(y.length > 0 ? y : new Float32Array(1), LOGMEL.nFft, LOGMEL.hop));
  const frames = S.nFrames;
  const melT = powerToDbInPlace(applyMel(logMelFilterbank(), powerFromMagnitude(magnitude(S)), frames), LOGMEL.amin, LOGMEL.topDb);
  const mels = LOGMEL.nMels;
  const data = new Float32Array(mels * frames);
  for (let t = 0; t < frames; t++) for (let m = 0; m < mels; m++) data[m * frames + t] = melT[t * mels + m]!;
  return { data, mels, frames };
}

/**
 * The exact input of the CNN for one segment: the first 3 s of `samples` (66,149 samples at 22,050 Hz)
 * as a 64 × 130 log-mel patch. A shorter signal is padded on the right with its dB floor.
 */
export function logMelPatch(samples: Float32Array, sr: number = LOGMEL.sampleRate): LogMel {
  const y = toRate(samples, sr);
  const full = logMel(y.length > LOGMEL.segmentSamples ? y.subarray(0, LOGMEL.segmentSamples) : y);
  const F = LOGMEL.patchFrames;
  if (full.frames === F) return full;
  let floor = Infinity;
  for (const v of full.data) if (v < floor) floor = v;
  const data = new Float32Array(full.mels * F).fill(floor);
  const keep = Math.min(F, full.frames);
  for (let m = 0; m < full.mels; m++) data.set(full.data.subarray(m * full.frames, m * full.frames + keep), m * F);
  return { data, mels: full.mels, frames: F };
}

/** Column names of a flattened patch, in data order: `mel00_t000` … `mel63_t129`. */
export function logMelColumns(mels: number = LOGMEL.nMels, frames: number = LOGMEL.patchFrames): string[] {
  const out: string[] = [];
  for (let m = 0; m < mels; m++) for (let t = 0; t < frames; t++) out.push(`mel${String(m).padStart(2, '0')}_t${String(t).padStart(3, '0')}`);
  return out;
}

const COLUMN = /^mel(\d+)_t(\d+)$/;

/** The (mel, frame) cell a column name stands for, or null when it is not a log-mel column. */
export function parseLogMelColumn(name: string): { mel: number; frame: number } | null {
  const m = COLUMN.exec(name);
  return m ? { mel: Number(m[1]), frame: Number(m[2]) } : null;
}

/** Patches of every 3-second segment of a clip (the GTZAN cut, segments.ts), in order. */
export function segmentPatches(samples: Float32Array): LogMel[] {
  return segmentSpans(samples.length, LOGMEL.segmentSeconds, LOGMEL.sampleRate).map((sp) => logMelPatch(samples.subarray(sp.start, sp.start + sp.length)));
}
