// Measuring what the vocoder tests check: the frequency of a tone (spectral peak, parabolic
// interpolation), the fundamental of a harmonic tone (autocorrelation) and the beat period of a
// pulse train (autocorrelation of its energy envelope). Plain numerics, no test in this file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createFft } from '../../../src/main/engine/features/fft';
import { repoRoot } from '../../helpers/shared';

export const SR = 22050;

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'probe', name), 'utf8')) as T;
}

export function f32(b64: string): Float32Array {
  const b = Buffer.from(b64, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** A sum of sines: partials [frequency Hz, amplitude], `seconds` long. */
export function tone(partials: [number, number][], seconds: number, sr = SR): Float32Array {
  const n = Math.round(seconds * sr);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const [f, a] of partials) s += a * Math.sin((2 * Math.PI * f * i) / sr);
    y[i] = s;
  }
  return y;
}

/** Decaying 1 kHz bursts every `period` seconds (a click track). */
export function pulses(period: number, seconds: number, sr = SR): Float32Array {
  const n = Math.round(seconds * sr);
  const y = new Float32Array(n);
  const step = period * sr;
  for (let start = 0; start < n; start += step) {
    const s0 = Math.round(start);
    for (let i = 0; i < 0.06 * sr && s0 + i < n; i++) y[s0 + i] += 0.6 * Math.exp(-i / (0.012 * sr)) * Math.sin((2 * Math.PI * 1000 * i) / sr);
  }
  return y;
}

/** Frequency (Hz) of the strongest spectral peak of y[from, to) (Hann window, zero-padded FFT ≥ 2^16, parabolic fit on log magnitude). */
export function peakFrequency(y: Float32Array, from = 0, to = y.length, sr = SR): number {
  const len = to - from;
  let size = 1 << 16;
  while (size < len) size *= 2;
  const x = new Float64Array(size);
  for (let i = 0; i < len; i++) x[i] = y[from + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / len));
  const X = createFft(size).real(x);
  const mag = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) mag[k] = Math.hypot(X[2 * k]!, X[2 * k + 1]!);
  let best = 1;
  for (let k = 2; k < size / 2; k++) if (mag[k]! > mag[best]!) best = k;
  const a = Math.log(mag[best - 1]! + 1e-300);
  const b = Math.log(mag[best]! + 1e-300);
  const c = Math.log(mag[best + 1]! + 1e-300);
  const delta = (0.5 * (a - c)) / (a - 2 * b + c);
  return ((best + delta) * sr) / size;
}

/** Lag (in samples, parabolically refined) of the highest autocorrelation peak of v within [minLag, maxLag]. */
function acfPeak(v: Float64Array, minLag: number, maxLag: number): number {
  const n = v.length;
  let mean = 0;
  for (const x of v) mean += x;
  mean /= n;
  const r = (lag: number) => {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += (v[i]! - mean) * (v[i + lag]! - mean);
    return s / (n - lag);
  };
  let best = minLag;
  let bestR = -Infinity;
  const vals = new Map<number, number>();
  for (let lag = minLag - 1; lag <= maxLag + 1; lag++) vals.set(lag, r(lag));
  for (let lag = minLag; lag <= maxLag; lag++) {
    const x = vals.get(lag)!;
    if (x > bestR) {
      bestR = x;
      best = lag;
    }
  }
  const a = vals.get(best - 1)!;
  const b = vals.get(best)!;
  const c = vals.get(best + 1)!;
  const den = a - 2 * b + c;
  return den !== 0 ? best + (0.5 * (a - c)) / den : best;
}

/** Fundamental frequency (Hz) of y[from, to) by autocorrelation, searched in [fMin, fMax]. */
export function autocorrF0(y: Float32Array, fMin: number, fMax: number, from = 0, to = y.length, sr = SR): number {
  const v = Float64Array.from(y.subarray(from, to));
  return sr / acfPeak(v, Math.floor(sr / fMax), Math.ceil(sr / fMin));
}

/**
 * Beat period (seconds) of a pulse train: onsets are the rising crossings of a tenth of the envelope's
 * maximum (the phase vocoder makes pulse heights uneven) (RMS over 256 samples, hop 32, at least `minGap` seconds apart); the period is the
 * least-squares slope of onset time against onset number (so frame-grid jitter averages out).
 */
export function beatPeriod(y: Float32Array, minGap = 0.2, sr = SR): { period: number; onsets: number } {
  const hop = 32;
  const win = 256;
  const frames = Math.max(0, Math.floor((y.length - win) / hop) + 1);
  const env = new Float64Array(frames);
  let max = 0;
  for (let t = 0; t < frames; t++) {
    let s = 0;
    for (let i = 0; i < win; i++) s += y[t * hop + i]! ** 2;
    env[t] = Math.sqrt(s / win);
    max = Math.max(max, env[t]!);
  }
  const level = max / 10;
  const times: number[] = [];
  for (let t = 1; t < frames; t++) {
    if (env[t - 1]! < level && env[t]! >= level) {
      const time = ((t - 1 + (level - env[t - 1]!) / (env[t]! - env[t - 1]!)) * hop) / sr;
      if (times.length === 0 || time - times[times.length - 1]! >= minGap) times.push(time);
    }
  }
  const k = times.length;
  if (k < 3) return { period: Number.NaN, onsets: k };
  const mi = (k - 1) / 2;
  const mt = times.reduce((a, b) => a + b, 0) / k;
  let num = 0;
  let den = 0;
  times.forEach((t, i) => {
    num += (i - mi) * (t - mt);
    den += (i - mi) ** 2;
  });
  return { period: num / den, onsets: k };
}
