// From a dreamt log-mel spectrogram back to sound: dB → mel power → linear power by non-negative
// least squares against the mel filterbank (as librosa.feature.inverse.mel_to_stft) → magnitude →
// fast Griffin–Lim (Perraudin, Balazs & Søndergaard 2013; librosa.griffinlim's momentum form) with
// the project's STFT and inverse STFT.
import { HOP, N_BINS, N_FFT } from '../features/constants';
import { istftMaskedPair } from '../features/istft';
import type { MelFilterbank } from '../features/mel';
import { stft } from '../features/stft';
import type { Rng } from '../random';

/** y[t, i] = Σ_k W[i, k] s[t, k] for frame-major s (frames × nBins) → frames × nMels. */
function melTimes(fb: MelFilterbank, s: Float64Array, frames: number, out: Float64Array): void {
  const { nMels, nBins, start, end, offset, weights } = fb;
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < nMels; i++) {
      let acc = 0;
      const wo = offset[i]! - start[i]!;
      for (let k = start[i]!; k < end[i]!; k++) acc += weights[wo + k]! * s[t * nBins + k]!;
      out[t * nMels + i] = acc;
    }
  }
}

/** out[t, k] = Σ_i W[i, k] r[t, i] (the transpose). */
function melTransposeTimes(fb: MelFilterbank, r: Float64Array, frames: number, out: Float64Array): void {
  const { nMels, nBins, start, end, offset, weights } = fb;
  out.fill(0);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < nMels; i++) {
      const v = r[t * nMels + i]!;
      if (v === 0) continue;
      const wo = offset[i]! - start[i]!;
      for (let k = start[i]!; k < end[i]!; k++) out[t * nBins + k] += weights[wo + k]! * v;
    }
  }
}

/** The largest eigenvalue of WᵀW (power iteration): the Lipschitz constant of the NNLS gradient. */
function lipschitz(fb: MelFilterbank): number {
  let v = new Float64Array(fb.nBins).fill(1 / Math.sqrt(fb.nBins));
  const mv = new Float64Array(fb.nMels);
  const w = new Float64Array(fb.nBins);
  let lambda = 0;
  for (let it = 0; it < 100; it++) {
    melTimes(fb, v, 1, mv);
    melTransposeTimes(fb, mv, 1, w);
    let norm = 0;
    for (let k = 0; k < w.length; k++) norm += w[k]! * w[k]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    const next = w.map((x) => x / norm);
    const change = Math.abs(norm - lambda);
    lambda = norm;
    v = next;
    if (change < 1e-12 * lambda) break;
  }
  return lambda;
}

export interface NnlsResult {
  /** Linear power, frame-major frames × nBins, ≥ 0. */
  power: Float64Array;
  /** ‖W s − m‖ / ‖m‖ over all frames. */
  relativeResidual: number;
  iterations: number;
}

/**
 * Non-negative least squares, frame by frame: min ‖W s_t − m_t‖² subject to s_t ≥ 0, for mel power
 * m (frames × nMels), by projected accelerated gradient (FISTA with adaptive restarts) from one
 * projected-gradient step from zero. Mel bands are wider than FFT bins, so the problem is underdetermined
 * and exact fits exist for any mel spectrum that came from a real spectrum.
 */
export function melToLinearPower(fb: MelFilterbank, mel: Float64Array, frames: number, iterations = 300): NnlsResult {
  const { nMels, nBins } = fb;
  if (mel.length !== frames * nMels) throw new RangeError(`mel power has ${mel.length} values, expected ${frames} × ${nMels}`);
  const L = lipschitz(fb);
  // Start: one projected-gradient step from zero, s = Wᵀm / L.
  const s = new Float64Array(frames * nBins);
  melTransposeTimes(fb, mel, frames, s);
  for (let j = 0; j < s.length; j++) s[j] = Math.max(0, s[j]! / L);
  const y = Float64Array.from(s);
  const prev = new Float64Array(s.length);
  const r = new Float64Array(frames * nMels);
  const g = new Float64Array(s.length);
  let tk = 1;
  let lastObjective = Infinity;
  let it = 0;
  for (; it < iterations; it++) {
    melTimes(fb, y, frames, r);
    for (let j = 0; j < r.length; j++) r[j] = r[j]! - mel[j]!;
    melTransposeTimes(fb, r, frames, g);
    prev.set(s);
    for (let j = 0; j < s.length; j++) s[j] = Math.max(0, y[j]! - g[j]! / L);
    // objective at s (for adaptive restart)
    melTimes(fb, s, frames, r);
    let obj = 0;
    for (let j = 0; j < r.length; j++) obj += (r[j]! - mel[j]!) ** 2;
    if (obj > lastObjective) {
      // restart the momentum when it overshoots
      tk = 1;
      y.set(s);
      lastObjective = obj;
      continue;
    }
    lastObjective = obj;
    const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    const beta = (tk - 1) / tNext;
    for (let j = 0; j < s.length; j++) y[j] = s[j]! + beta * (s[j]! - prev[j]!);
    tk = tNext;
  }
  melTimes(fb, s, frames, r);
  let num = 0;
  let den = 0;
  for (let j = 0; j < r.length; j++) {
    num += (r[j]! - mel[j]!) ** 2;
    den += mel[j]! ** 2;
  }
  return { power: s, relativeResidual: den > 0 ? Math.sqrt(num / den) : 0, iterations: it };
}

/** ‖S − |STFT(y)|‖_F / ‖S‖_F for a target magnitude S (frames × nBins). */
export function spectralConvergence(target: Float32Array | Float64Array, y: Float32Array): number {
  const s = stft(y);
  if (s.re.length !== target.length) throw new RangeError(`spectrogram sizes differ: ${s.re.length} vs ${target.length}`);
  let num = 0;
  let den = 0;
  for (let j = 0; j < target.length; j++) {
    const m = Math.hypot(s.re[j]!, s.im[j]!);
    num += (target[j]! - m) ** 2;
    den += target[j]! ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

export interface GriffinLimOptions {
  iterations?: number;
  /** 0: classic Griffin–Lim; 0.99: fast Griffin–Lim (default). */
  momentum?: number;
  rng: Rng;
  /** Called after every iteration; return true to stop early. */
  onIteration?: (iteration: number) => boolean | void;
}

export interface GriffinLimResult {
  samples: Float32Array;
  iterations: number;
}

/**
 * A signal of `length` samples whose STFT magnitude approaches `magnitude` (frames × N_BINS,
 * frames = 1 + floor(length / HOP)), from random phases. The project's STFT is fixed at
 * N_FFT = 2048, HOP = 512 (librosa's defaults).
 */
export function griffinLim(magnitude: Float32Array | Float64Array, length: number, opts: GriffinLimOptions): GriffinLimResult {
  const frames = 1 + Math.floor(length / HOP);
  const nb = N_BINS;
  if (magnitude.length !== frames * nb) {
    throw new RangeError(`griffinLim: magnitude has ${magnitude.length} values, expected ${frames} frames × ${nb} bins (N_FFT ${N_FFT}, hop ${HOP})`);
  }
  const iterations = opts.iterations ?? 100;
  const momentum = opts.momentum ?? 0.99;
  const n = magnitude.length;
  // angles: unit complex numbers; start random (librosa init='random')
  const ar = new Float64Array(n);
  const ai = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const phi = 2 * Math.PI * opts.rng();
    ar[j] = Math.cos(phi);
    ai[j] = Math.sin(phi);
  }
  const re = new Float32Array(n);
  const im = new Float32Array(n);
  const ones = new Float32Array(n).fill(1);
  const zeros = new Float32Array(n);
  const pr = new Float64Array(n); // previous rebuilt spectrum (tprev)
  const pi = new Float64Array(n);
  const inverse = (): Float32Array => {
    for (let j = 0; j < n; j++) {
      re[j] = magnitude[j]! * ar[j]!;
      im[j] = magnitude[j]! * ai[j]!;
    }
    return Float32Array.from(istftMaskedPair(re, im, ones, zeros, frames, length)[0]);
  };
  const c = momentum / (1 + momentum);
  let it = 0;
  for (; it < iterations; it++) {
    const rebuilt = stft(inverse());
    for (let j = 0; j < n; j++) {
      const xr = rebuilt.re[j]!;
      const xi = rebuilt.im[j]!;
      let vr = xr - c * pr[j]!;
      let vi = xi - c * pi[j]!;
      const m = Math.hypot(vr, vi) + 1e-16;
      vr /= m;
      vi /= m;
      ar[j] = vr;
      ai[j] = vi;
      pr[j] = xr;
      pi[j] = xi;
    }
    if (opts.onIteration?.(it + 1)) {
      it++;
      break;
    }
  }
  return { samples: inverse(), iterations: it };
}
