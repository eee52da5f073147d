// Anti-aliasing sample-rate conversion: a Kaiser-windowed sinc low-pass evaluated at the output
// instants (band-limited interpolation, J. O. Smith's "digital audio resampling" scheme).
//
// Design (same for up- and down-sampling, relative to the lower of the two rates' Nyquist, N):
//   pass-band edge  PASS_FRACTION · N   (ripple well under 0.01 dB)
//   stop-band edge  N                   (attenuation ≥ STOP_DB from here up)
//   cut-off (−6 dB) halfway between, i.e. below the target Nyquist, so nothing above the new
//   Nyquist folds back into the band.
// The kernel length follows Kaiser's formula for that transition width and attenuation.
//
// When both rates are integers with a small reduced ratio L/M (every common audio rate against
// 22,050 Hz: L ≤ 441) the kernel is tabulated exactly for each of the L output phases (rational
// polyphase). Otherwise (odd or fractional rates) it is tabulated on GENERAL_PHASES phases per
// input sample and linearly interpolated between neighbouring phases.
//
// Large down-sampling ratios (from ≥ 4·to, e.g. 96 kHz → 22,050 Hz) first halve the rate with
// short 2:1 stages whose stop band only has to cover what would fold into the final pass band
// [0, N]: that keeps the cost per output sample near that of a 2:1 conversion.
//
// Samples outside the input are zero; output sample n sits at input time n·from/to, and the
// output has round(n·to/from) samples.
//
// The rational path's inner loop runs in WebAssembly SIMD (simd.ts) where available, with the
// same arithmetic in float32 lanes; the JavaScript loop below is the fallback and the reference.

import { simdPolyphase } from './simd';

let useSimd = true;
/** Turn the WebAssembly SIMD inner loop off or on (tests compare both paths); returns the old setting. */
export function setResampleSimd(enabled: boolean): boolean {
  const old = useSimd;
  useSimd = enabled;
  return old;
}

/** Stop-band attenuation the kernels are designed for, in dB. */
export const STOP_DB = 90;
/** Pass-band edge as a fraction of the lower rate's Nyquist frequency. */
export const PASS_FRACTION = 0.8;
const MAX_RATIONAL_PHASES = 1024;
const GENERAL_PHASES = 2048;
/** Taps are padded to a multiple of this: the inner loop is unrolled by it. */
const UNROLL = 8;

/** Zeroth-order modified Bessel function of the first kind (power series). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's β for a stop-band attenuation in dB (Kaiser 1974; the formula of scipy.signal.kaiser_beta). */
export function kaiserBeta(attenuationDb: number): number {
  const a = attenuationDb;
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a > 21) return 0.5842 * Math.pow(a - 21, 0.4) + 0.07886 * (a - 21);
  return 0;
}

/** One filtering stage. */
export interface ResamplerStage {
  fromRate: number;
  toRate: number;
  /** Pass-band edge, cut-off (−6 dB) and stop-band edge, in Hz. */
  passHz: number;
  cutoffHz: number;
  stopHz: number;
  /** Kernel taps per output sample (input samples touched, after padding). */
  taps: number;
  /** Number of tabulated phases, and whether the ratio is exact (rational polyphase). */
  phases: number;
  rational: boolean;
}

export interface ResamplerDesign {
  fromRate: number;
  toRate: number;
  stopDb: number;
  beta: number;
  /** Pass band, cut-off and stop band of the whole conversion (those of the last stage). */
  passHz: number;
  cutoffHz: number;
  stopHz: number;
  stages: ResamplerStage[];
  /** Multiply-adds per output sample, all stages together. */
  macsPerOutput: number;
}

interface Kernel {
  stage: ResamplerStage;
  /** Taps before padding reach halfTaps − 1 samples left and halfTaps right of the output instant. */
  halfTaps: number;
  /** `phases` rows (+1 on the general path, for interpolation) of `taps` coefficients. */
  table: Float32Array;
  up: number;
  down: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function checkRate(name: string, rate: number): void {
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new RangeError(`resample: ${name} must be a positive number of Hz, got ${rate}`);
  }
}

const kernelCache = new Map<string, Kernel>();

function buildKernel(fromRate: number, toRate: number, passHz: number, stopHz: number): Kernel {
  const key = `${fromRate}/${toRate}/${passHz}/${stopHz}`;
  const cached = kernelCache.get(key);
  if (cached) return cached;

  const cutoffHz = (passHz + stopHz) / 2;
  const beta = kaiserBeta(STOP_DB);
  // Kaiser: filter span in seconds = (A − 7.95) / (2.285 · 2π · Δf).
  const spanSeconds = (STOP_DB - 7.95) / (2.285 * 2 * Math.PI * (stopHz - passHz));
  const halfWidth = (spanSeconds / 2) * fromRate; // in input samples
  const halfTaps = Math.ceil(halfWidth / (UNROLL / 2)) * (UNROLL / 2);
  const taps = 2 * halfTaps;

  let rational = false;
  let up = 0;
  let down = 0;
  let phases = GENERAL_PHASES;
  if (Number.isInteger(fromRate) && Number.isInteger(toRate)) {
    const g = gcd(fromRate, toRate);
    if (toRate / g <= MAX_RATIONAL_PHASES) {
      rational = true;
      up = toRate / g;
      down = fromRate / g;
      phases = up;
    }
  }
  const rows = rational ? phases : phases + 1;
  const table = new Float32Array(rows * taps);
  const scale = (2 * cutoffHz) / fromRate; // sinc bandwidth in cycles per input sample ×2
  const i0Beta = besselI0(beta);
  for (let p = 0; p < rows; p++) {
    const frac = p / phases;
    for (let k = 0; k < taps; k++) {
      // Tap k multiplies input sample i0 − halfTaps + 1 + k; its distance from the output instant
      // i0 + frac, in input samples:
      const d = frac + halfTaps - 1 - k;
      const r = d / halfWidth;
      if (r <= -1 || r >= 1) continue;
      const arg = scale * d;
      const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      table[p * taps + k] = scale * sinc * (besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta);
    }
  }
  const kernel: Kernel = {
    stage: { fromRate, toRate, passHz, cutoffHz, stopHz, taps, phases, rational },
    halfTaps,
    table,
    up,
    down,
  };
  if (kernelCache.size >= 64) kernelCache.clear();
  kernelCache.set(key, kernel);
  return kernel;
}

function planKernels(fromRate: number, toRate: number): Kernel[] {
  const nyquist = Math.min(fromRate, toRate) / 2;
  const passHz = PASS_FRACTION * nyquist;
  const kernels: Kernel[] = [];
  let rate = fromRate;
  while (rate >= 4 * toRate && Number.isInteger(rate / 2)) {
    const half = rate / 2;
    // Content in [half − nyquist, half] would fold into [0, nyquist]; the rest of what folds is
    // removed by the later stages.
    kernels.push(buildKernel(rate, half, passHz, half - nyquist));
    rate = half;
  }
  kernels.push(buildKernel(rate, toRate, passHz, nyquist));
  return kernels;
}

/** The filter chain `resample` uses for a pair of rates (for reports, tests and benchmarks). */
export function resamplerDesign(fromRate: number, toRate: number): ResamplerDesign {
  checkRate('fromRate', fromRate);
  checkRate('toRate', toRate);
  const kernels = planKernels(fromRate, toRate);
  const last = kernels[kernels.length - 1].stage;
  let macs = 0;
  for (const k of kernels) {
    const perOutput = k.stage.rational ? k.stage.taps : 2 * k.stage.taps;
    // Scale each stage's work to "per final output sample".
    macs += (perOutput * k.stage.toRate) / toRate;
  }
  return {
    fromRate,
    toRate,
    stopDb: STOP_DB,
    beta: kaiserBeta(STOP_DB),
    passHz: last.passHz,
    cutoffHz: last.cutoffHz,
    stopHz: last.stopHz,
    stages: kernels.map((k) => k.stage),
    macsPerOutput: macs,
  };
}

function runKernel(x: Float32Array, kernel: Kernel, outLength: number): Float32Array {
  const { halfTaps, table, up, down, stage } = kernel;
  const taps = stage.taps;
  const out = new Float32Array(outLength);
  // Zero-padded copy so the inner loop needs no bounds checks: xp[j + halfTaps] = x[j].
  const xp = new Float32Array(x.length + 2 * halfTaps + 2);
  xp.set(x, halfTaps);

  if (stage.rational) {
    if (useSimd && simdPolyphase(xp, table, taps, up, down, out)) return out;
    // Output n sits at input position n·down/up = i0 + p/up.
    let i0 = 0;
    let p = 0;
    for (let n = 0; n < outLength; n++) {
      let xi = i0 + 1; // (i0 − halfTaps + 1) + halfTaps
      let hi = p * taps;
      const end = hi + taps;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      while (hi < end) {
        a0 += xp[xi] * table[hi] + xp[xi + 4] * table[hi + 4];
        a1 += xp[xi + 1] * table[hi + 1] + xp[xi + 5] * table[hi + 5];
        a2 += xp[xi + 2] * table[hi + 2] + xp[xi + 6] * table[hi + 6];
        a3 += xp[xi + 3] * table[hi + 3] + xp[xi + 7] * table[hi + 7];
        xi += UNROLL;
        hi += UNROLL;
      }
      out[n] = a0 + a1 + a2 + a3;
      p += down;
      if (p >= up) {
        const q = (p / up) | 0;
        i0 += q;
        p -= q * up;
      }
    }
    return out;
  }

  const step = stage.fromRate / stage.toRate;
  const phases = stage.phases;
  for (let n = 0; n < outLength; n++) {
    const pos = n * step;
    const i0 = Math.floor(pos);
    const fp = (pos - i0) * phases;
    const p = Math.min(Math.floor(fp), phases - 1);
    const w = fp - p;
    const rowA = p * taps;
    const rowB = rowA + taps;
    const base = i0 + 1;
    let accA = 0;
    let accB = 0;
    for (let k = 0; k < taps; k++) {
      const v = xp[base + k];
      accA += v * table[rowA + k];
      accB += v * table[rowB + k];
    }
    out[n] = accA + w * (accB - accA);
  }
  return out;
}

/**
 * Resample `x` from `fromRate` to `toRate` (Hz) with an anti-aliasing windowed-sinc filter.
 * Returns a new array of round(x.length · toRate / fromRate) samples (a copy when the rates match).
 */
export function resample(x: Float32Array, fromRate: number, toRate: number): Float32Array {
  checkRate('fromRate', fromRate);
  checkRate('toRate', toRate);
  if (fromRate === toRate) return x.slice();
  const outLength = Math.round((x.length * toRate) / fromRate);
  if (outLength === 0 || x.length === 0) return new Float32Array(outLength);
  let y = x;
  for (const kernel of planKernels(fromRate, toRate)) {
    const { fromRate: a, toRate: b } = kernel.stage;
    // Intermediate 2:1 stages keep ceil(n/2) samples so no input is lost; the last stage sets
    // the exact output length.
    const n = b === toRate ? outLength : Math.ceil((y.length * b) / a);
    y = runKernel(y, kernel, n);
  }
  return y;
}
