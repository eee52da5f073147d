// Finishing a dreamt waveform: a gentle energy gate (frames far below the loudest are faded out, so
// Griffin–Lim's low-level noise in near-silent stretches goes), short fades at both ends, and peak
// normalisation to −1 dBFS; and the figures that say whether a WAV is usable.
import type { DreamAudioFigures } from '../../../shared/dream';

export interface GateOptions {
  /** Frame length and hop of the level meter, in samples. */
  frame?: number;
  hop?: number;
  /** Frames at least this far below the loudest frame (dB) are silenced... */
  closeBelowDb?: number;
  /** ...frames at most this far below are untouched; in between the gain rises smoothly. */
  openBelowDb?: number;
  /** Fade in and out at the ends, in samples. */
  fade?: number;
}

/** The gated signal (a new array) and the fraction of frames the gate closed. */
export function energyGate(x: Float32Array, o: GateOptions = {}): { samples: Float32Array; closedFraction: number } {
  const frame = o.frame ?? 1024;
  const hop = o.hop ?? 256;
  const closeDb = o.closeBelowDb ?? 50;
  const openDb = o.openBelowDb ?? 35;
  const fade = o.fade ?? 256;
  const n = x.length;
  const out = new Float32Array(n);
  if (n === 0) return { samples: out, closedFraction: 0 };
  const frames = Math.max(1, 1 + Math.floor(Math.max(0, n - frame) / hop));
  const level = new Float64Array(frames);
  let loudest = -Infinity;
  for (let f = 0; f < frames; f++) {
    let s = 0;
    const a = f * hop;
    const b = Math.min(n, a + frame);
    for (let i = a; i < b; i++) s += x[i]! * x[i]!;
    level[f] = 10 * Math.log10(s / Math.max(1, b - a) + 1e-20);
    loudest = Math.max(loudest, level[f]!);
  }
  const gain = new Float64Array(frames);
  let closed = 0;
  for (let f = 0; f < frames; f++) {
    const below = loudest - level[f]!;
    const u = Math.min(1, Math.max(0, (closeDb - below) / (closeDb - openDb)));
    gain[f] = u * u * (3 - 2 * u); // smoothstep
    if (gain[f] === 0) closed++;
  }
  // Interpolate the frame gains between frame centres, then fade the ends.
  for (let i = 0; i < n; i++) {
    const pos = (i - frame / 2) / hop;
    const f0 = Math.max(0, Math.min(frames - 1, Math.floor(pos)));
    const f1 = Math.min(frames - 1, f0 + 1);
    const w = Math.max(0, Math.min(1, pos - f0));
    let g = gain[f0]! * (1 - w) + gain[f1]! * w;
    if (i < fade) g *= i / fade;
    if (n - 1 - i < fade) g *= (n - 1 - i) / fade;
    out[i] = x[i]! * g;
  }
  return { samples: out, closedFraction: closed / frames };
}

/** Scale so that the largest |sample| is `peakDb` dBFS (a silent signal stays silent). */
export function normalisePeak(x: Float32Array, peakDb = -1): Float32Array {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  if (!(peak > 0) || !Number.isFinite(peak)) return Float32Array.from(x);
  const k = 10 ** (peakDb / 20) / peak;
  return x.map((v) => v * k);
}

/** finite, rmsDbfs, peakDbfs, clippedSamples (at full scale), seconds. */
export type AudioFigures = DreamAudioFigures;

export function audioFigures(x: Float32Array, sampleRate: number): AudioFigures {
  let finite = true;
  let sum = 0;
  let peak = 0;
  let clipped = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) {
      finite = false;
      continue;
    }
    sum += v * v;
    const a = Math.abs(v);
    if (a > peak) peak = a;
    if (a >= 1 - 1 / 32768) clipped++;
  }
  const db = (v: number) => (v > 0 ? 20 * Math.log10(v) : -Infinity);
  return {
    finite,
    rmsDbfs: db(Math.sqrt(sum / Math.max(1, x.length))),
    peakDbfs: db(peak),
    clippedSamples: clipped,
    seconds: x.length / sampleRate,
  };
}
