// Phase vocoder (librosa.core.phase_vocoder, librosa.effects.time_stretch / pitch_shift) over the
// project's STFT (n_fft 2048, hop 512, periodic Hann, centred with reflect padding) and ISTFT, with
// the Kaiser resampler for pitch. Pure: Float32 samples in, Float32 samples out.
//
//   time stretch by `rate` (rate > 1 is faster):  istft(phase_vocoder(stft(y), rate)), length round(n / rate)
//   tempo shift ×f (same pitch):                  time stretch by f
//   pitch shift ×f (same tempo):                  time stretch by 1/f, then resample from f·sr to sr,
//                                                 cut or zero-padded to n samples
//
// The ISTFT is librosa 0.7's (it drops n_fft/2 samples at both ends before fixing the length), so
// the last ~n_fft/2 samples of a stretched signal are zero; the numpy reference
// (tests/fixtures/probe/make_vocoder.py) follows the same convention.
import { resample } from '../audio/resample';
import { HOP, N_BINS } from '../features/constants';
import { istftMaskedPair } from '../features/istft';
import { stft, type Stft } from '../features/stft';

/** The STFT frames librosa's phase vocoder reads: time steps 0, rate, 2·rate, … < nFrames. */
export function stretchedFrameCount(nFrames: number, rate: number): number {
  // np.arange(0, nFrames, rate) has ceil(nFrames / rate) values (computed in double, as numpy does)
  return Math.max(0, Math.ceil(nFrames / rate));
}

/**
 * librosa.phase_vocoder(D, rate, hop_length=512): for each time step t·rate, the magnitude is
 * interpolated linearly between the two neighbouring frames, and the phase is accumulated from the
 * first frame by the expected advance per hop plus the measured deviation (wrapped to ±π). Frame-major
 * in and out (bin k of frame t at [t · nBins + k]); the result is rounded to float32 (complex64).
 */
export function phaseVocoder(D: Stft, rate: number, hop = HOP): Stft {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`phaseVocoder: rate must be a positive number, got ${rate}`);
  const { nFrames: T, nBins: K, re, im } = D;
  const nOut = stretchedFrameCount(T, rate);
  const outRe = new Float32Array(nOut * K);
  const outIm = new Float32Array(nOut * K);
  if (T === 0) return { nFrames: 0, nBins: K, re: outRe, im: outIm };
  // np.linspace(0, pi * hop, K): the expected phase advance of bin k over one hop
  const phiAdvance = new Float64Array(K);
  for (let k = 0; k < K; k++) phiAdvance[k] = K > 1 ? (Math.PI * hop * k) / (K - 1) : 0;
  // Magnitude and phase of every input frame, once (each is read by one or two output steps).
  const mag = new Float64Array(T * K);
  const ang = new Float64Array(T * K);
  for (let i = 0; i < T * K; i++) {
    mag[i] = Math.hypot(re[i]!, im[i]!);
    ang[i] = Math.atan2(im[i]!, re[i]!);
  }
  const phaseAcc = Float64Array.from(ang.subarray(0, K));
  const TWO_PI = 2 * Math.PI;
  for (let t = 0; t < nOut; t++) {
    const step = t * rate;
    const f0 = Math.floor(step);
    const alpha = step - f0;
    const o = t * K;
    // Frames past the end are zero (librosa pads D with two zero columns): magnitude 0, angle 0.
    const in0 = f0 < T;
    const in1 = f0 + 1 < T;
    const o0 = f0 * K;
    const o1 = (f0 + 1) * K;
    for (let k = 0; k < K; k++) {
      const m0 = in0 ? mag[o0 + k]! : 0;
      const m1 = in1 ? mag[o1 + k]! : 0;
      const a0 = in0 ? ang[o0 + k]! : 0;
      const a1 = in1 ? ang[o1 + k]! : 0;
      const m = (1 - alpha) * m0 + alpha * m1;
      const ph = phaseAcc[k]!;
      outRe[o + k] = m * Math.cos(ph);
      outIm[o + k] = m * Math.sin(ph);
      let dphase = a1 - a0 - phiAdvance[k]!;
      dphase -= TWO_PI * roundHalfEven(dphase / TWO_PI);
      phaseAcc[k] = ph + phiAdvance[k]! + dphase;
    }
  }
  return { nFrames: nOut, nBins: K, re: outRe, im: outIm };
}

/** numpy.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** ISTFT of a frame-major spectrogram (the project's librosa-0.7 ISTFT), cut or zero-padded to `length`. */
export function istft(S: Stft, length: number): Float32Array {
  if (S.nBins !== N_BINS) throw new RangeError(`istft: ${S.nBins} bins, the project's STFT has ${N_BINS}`);
  if (S.nFrames === 0) return new Float32Array(length);
  const ones = new Float32Array(S.re.length).fill(1);
  const zeros = new Float32Array(S.re.length);
  const [y] = istftMaskedPair(S.re, S.im, ones, zeros, S.nFrames, length);
  return Float32Array.from(y);
}

/** librosa.effects.time_stretch(y, rate): rate > 1 speeds up (shorter), rate < 1 slows down. */
export function timeStretch(y: Float32Array, rate: number): Float32Array {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`timeStretch: rate must be a positive number, got ${rate}`);
  const length = roundHalfEven(y.length / rate); // int(round(len(y) / rate)) in Python
  if (y.length === 0) return new Float32Array(0);
  return istft(phaseVocoder(stft(y), rate), length);
}

/** Faster by `factor` (1.5 = +50 % tempo), same pitch: a time stretch by `factor`. */
export function tempoShift(y: Float32Array, factor: number): Float32Array {
  return timeStretch(y, factor);
}

/**
 * Higher by `factor` (1.5 = +50 % pitch, every frequency × 1.5), same tempo and length: a time
 * stretch by 1/factor (longer), then resampling as if the stretched signal had been recorded at
 * factor·sr (the Kaiser resampler, sr = `sampleRate`), cut or zero-padded to the input's length.
 */
export function pitchShift(y: Float32Array, factor: number, sampleRate = 22050): Float32Array {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`pitchShift: factor must be a positive number, got ${factor}`);
  if (y.length === 0) return new Float32Array(0);
  const stretched = timeStretch(y, 1 / factor);
  const shifted = resample(stretched, sampleRate * factor, sampleRate);
  if (shifted.length === y.length) return shifted;
  const out = new Float32Array(y.length);
  out.set(shifted.subarray(0, Math.min(shifted.length, y.length)));
  return out;
}
