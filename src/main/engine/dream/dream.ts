// A whole dream, from a network and a target genre to a WAV-ready waveform and its figures:
// start (low-level noise, or a track) → optimise (spectrogram or waveform domain) → for a
// spectrogram dream, invert mel → linear (NNLS) and run fast Griffin–Lim → gentle energy gate and
// −1 dBFS normalisation → hear the finished audio again through the conv1d STFT (its log-mel, its
// embedding, the model's probabilities), so the figures describe the sound, not only the optimiser.
import * as tf from '@tensorflow/tfjs';
import { melFilterbank } from '../features/mel';
import { normal, type Rng } from '../random';
import type { DreamFiguresInfo } from '../../../shared/dream';
import { audioFigures, energyGate, normalisePeak } from './audio';
import { disposeBasis, fourierBasis, logMelConv, melMatrix, type FourierBasis } from './fourier';
import { griffinLim, melToLinearPower, spectralConvergence } from './invert';
import { bandEnergyWeights, loudestFrameDb } from './level';
import { classifySpectrogram, embedSpectrogram, type DreamNet } from './network';
import { DreamOptimiser, type DreamDomain, type DreamObjective, type DreamStep } from './optimise';
import { framesFor, minSeconds, samplesFor } from './spec';

export interface DreamOptions {
  genre: string;
  seconds: number;
  steps: number;
  objective?: DreamObjective;
  domain?: DreamDomain;
  /** Start from this waveform (mono, at the spec's sample rate) instead of noise; looped or cut to length. */
  start?: Float32Array | null;
  /** Level of the starting white noise, dBFS RMS. */
  noiseDbfs?: number;
  griffinLimIterations?: number;
  /**
   * Spectrogram domain: steps of waveform refinement after Griffin–Lim, through the conv1d STFT,
   * hearing the sound at the level it is written at (0: none).
   */
  refineSteps?: number;
  /** Step size of the refinement (full scale; default: the waveform domain's). */
  refineStep?: number;
  /**
   * Embedding objective: keep the model's probability of the genre at least this high (a hinge on
   * its log; 0, the default, for the plain distance).
   */
  minProbability?: number;
  /** Optimiser settings (see DreamOptimiserSettings); undefined keeps the domain's defaults. */
  step?: number;
  momentum?: number;
  smoothness?: number;
  normalise?: 'mean-abs' | 'std';
}

export type DreamPhase = 'dream' | 'refine';

export interface DreamHooks {
  rng: Rng;
  /** Every optimiser step, of the dream itself and of the waveform refinement. */
  onStep?: (s: DreamStep, o: DreamOptimiser, phase: DreamPhase) => void;
  /** Stages besides the steps: 'invert', 'griffin-lim', 'finish'. */
  onStage?: (stage: string, done: number, total: number) => void;
  /** Asked between steps and Griffin–Lim iterations; true ends the dream (the result says so). */
  shouldStop?: () => boolean;
}

/** The figures of a finished dream (the contract's type: see src/shared/dream.ts for each field). */
export type DreamFigures = DreamFiguresInfo;

export interface DreamResult {
  samples: Float32Array;
  sampleRate: number;
  /** Log-mel (dB) of the finished audio as the network hears it, nMels × frames. */
  spectrogram: Float32Array;
  /** Log-mel the optimiser produced (spectrogram domain) or heard last (waveform domain). */
  dreamt: Float32Array;
  nMels: number;
  frames: number;
  /** Distance at the start of each step, then after the last; the refinement's steps follow from `refineFrom`. */
  curve: number[];
  refineFrom: number | null;
  stepsTaken: number;
  stopped: boolean;
  figures: DreamFigures;
  timings: Record<string, number>;
}

/** A waveform of exactly n samples: `x` looped (or cut). */
export function fitLength(x: Float32Array, n: number): Float32Array {
  if (x.length === 0) throw new RangeError('the start audio is empty');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i % x.length]!;
  return out;
}

export function whiteNoise(n: number, dbfs: number, rng: Rng): Float32Array {
  const a = 10 ** (dbfs / 20);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = a * normal(rng);
  return out;
}

/**
 * The log-mel (dB, nMels × frames) of a waveform, through the conv1d STFT. A caller that hears
 * several waveforms passes its own basis and mel matrix (kept); otherwise they are made and released.
 */
export function logMelOf(net: DreamNet, samples: Float32Array, shared?: { basis: FourierBasis; mel: tf.Tensor2D }): Float32Array {
  const { spec } = net;
  const basis = shared?.basis ?? fourierBasis(spec.nFft, spec.hop);
  const mel = shared?.mel ?? melMatrix(spec);
  try {
    return tf.tidy(() => Float32Array.from(logMelConv(tf.tensor1d(samples), basis, mel, spec.amin).dataSync()));
  } finally {
    if (!shared) {
      disposeBasis(basis);
      mel.dispose();
    }
  }
}

/** Embedding distances to every genre mean and the model's probabilities for a dB spectrogram. */
export function hear(net: DreamNet, db: Float32Array, frames: number, means: readonly Float32Array[]): { distances: number[]; probabilities: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor2d(db, [net.spec.nMels, frames]);
    const e = embedSpectrogram(net, x).dataSync();
    const p = classifySpectrogram(net, x).dataSync();
    const distances = means.map((mu) => {
      let s = 0;
      for (let j = 0; j < mu.length; j++) s += (e[j]! - mu[j]!) ** 2;
      return Math.sqrt(s);
    });
    return { distances, probabilities: Array.from(p) };
  });
}

function argmin(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[best]!) best = i;
  return best;
}

/** Runs an optimiser to its end (or a stop), appending its distances to `curve`. */
function runOptimiser(opt: DreamOptimiser, curve: number[], phase: DreamPhase, hooks: DreamHooks, stop: { now: boolean }): void {
  try {
    opt.run(
      (s) => {
        curve.push(s.distance);
        hooks.onStep?.(s, opt, phase);
      },
      () => {
        stop.now ||= !!hooks.shouldStop?.();
        return stop.now;
      },
    );
    curve.push(opt.distance());
  } catch (err) {
    opt.dispose();
    throw err;
  }
}

/**
 * Dream `opts.seconds` of audio for `opts.genre`. `means[i]` is the mean embedding of net.labels[i]
 * over the training segments.
 */
export function dream(net: DreamNet, means: readonly Float32Array[], opts: DreamOptions, hooks: DreamHooks): DreamResult {
  // one STFT basis and mel matrix for every waveform the dream hears (start, Griffin–Lim, WAV)
  const stft = { basis: fourierBasis(net.spec.nFft, net.spec.hop), mel: melMatrix(net.spec) };
  try {
    return dreamWith(net, means, opts, hooks, stft);
  } finally {
    disposeBasis(stft.basis);
    stft.mel.dispose();
  }
}

function dreamWith(net: DreamNet, means: readonly Float32Array[], opts: DreamOptions, hooks: DreamHooks, stft: { basis: FourierBasis; mel: tf.Tensor2D }): DreamResult {
  const { spec } = net;
  const g = net.labels.indexOf(opts.genre);
  if (g < 0) throw new RangeError(`the model knows no genre "${opts.genre}" (it knows ${net.labels.join(', ')})`);
  if (means.length !== net.labels.length) throw new RangeError(`${means.length} genre means for ${net.labels.length} genres`);
  if (!(opts.seconds >= minSeconds(spec))) throw new RangeError(`a dream lasts at least ${minSeconds(spec).toFixed(2)} s (one ${spec.patchFrames}-frame patch)`);
  const domain = opts.domain ?? 'spectrogram';
  const objective = opts.objective ?? 'embedding';
  const PEAK_DB = -1;
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - t0) / 1000;
    t0 = now;
  };
  const stop = { now: false };

  const n = samplesFor(opts.seconds, spec.sampleRate);
  const frames = framesFor(n, spec.hop);
  const startWave = opts.start ? fitLength(opts.start, n) : whiteNoise(n, opts.noiseDbfs ?? -50, hooks.rng);
  lap('start');

  const settings = {
    objective,
    genreIndex: g,
    target: means[g]!,
    momentum: opts.momentum,
    normalise: opts.normalise,
    minProbability: opts.minProbability ?? 0,
  };
  const opt = new DreamOptimiser(net, domain === 'spectrogram' ? logMelOf(net, startWave, stft) : startWave, domain, {
    ...settings,
    steps: opts.steps,
    step: opts.step,
    smoothness: opts.smoothness,
    peakDb: PEAK_DB,
  });
  const curve: number[] = [];
  runOptimiser(opt, curve, 'dream', hooks, stop);
  const dreamt = opt.spectrogram();
  const inputHeard = hear(net, dreamt, frames, means);
  let waveform = domain === 'waveform' ? opt.input() : new Float32Array(0);
  opt.dispose();
  lap('optimise');

  let melResidual: number | null = null;
  let sc: number | null = null;
  let distanceGriffinLim: number | null = null;
  let refineFrom: number | null = null;
  let gateClosed = 0;
  let crestFactor: number | null = null;
  if (domain === 'spectrogram') {
    hooks.onStage?.('invert', 0, 1);
    const fb = melFilterbank(spec.sampleRate, spec.nFft, spec.nMels);
    // dB (nMels × frames) → mel power, frame-major
    const melPower = new Float64Array(frames * spec.nMels);
    for (let m = 0; m < spec.nMels; m++) {
      for (let t = 0; t < frames; t++) melPower[t * spec.nMels + m] = 10 ** (dreamt[m * frames + t]! / 10);
    }
    const nnls = melToLinearPower(fb, melPower, frames);
    melResidual = nnls.relativeResidual;
    const mag = nnls.power.map(Math.sqrt);
    lap('invert');
    const iterations = opts.griffinLimIterations ?? 100;
    const gl = griffinLim(mag, n, {
      iterations,
      rng: hooks.rng,
      onIteration: (i) => {
        hooks.onStage?.('griffin-lim', i, iterations);
        stop.now ||= !!hooks.shouldStop?.();
        return stop.now;
      },
    });
    sc = spectralConvergence(mag, gl.samples);
    // how the sound's peak really relates to the loudest frame the spectrogram promised (level.ts)
    const bw = tf.tensor1d(bandEnergyWeights(fb));
    const loudDb = tf.tidy(() => loudestFrameDb(tf.tensor2d(dreamt, [spec.nMels, frames]), bw, spec.nFft).dataSync()[0]!);
    bw.dispose();
    let glPeak = 0;
    for (const v of gl.samples) glPeak = Math.max(glPeak, Math.abs(v));
    crestFactor = glPeak / 10 ** (loudDb / 20);
    const gate = energyGate(gl.samples);
    gateClosed = gate.closedFraction;
    waveform = gate.samples;
    distanceGriffinLim = hear(net, logMelOf(net, normalisePeak(waveform, PEAK_DB), stft), frames, means).distances[g]!;
    lap('griffinLim');
    const refineSteps = stop.now ? 0 : (opts.refineSteps ?? 0);
    if (refineSteps > 0) {
      refineFrom = curve.length;
      // from the sound at the level it is written at (Griffin–Lim's raw output may exceed ±1, the
      // waveform domain's range), heard peak-normalised as it will be written
      const ref = new DreamOptimiser(net, normalisePeak(waveform, PEAK_DB), 'waveform', { ...settings, steps: refineSteps, step: opts.refineStep, peakDb: PEAK_DB });
      runOptimiser(ref, curve, 'refine', hooks, stop);
      waveform = ref.input();
      ref.dispose();
      lap('refine');
    }
  }

  hooks.onStage?.('finish', 0, 1);
  const gated = domain === 'waveform' ? energyGate(waveform) : { samples: waveform, closedFraction: gateClosed };
  let peak = 0;
  for (const v of gated.samples) peak = Math.max(peak, Math.abs(v));
  const samples = normalisePeak(gated.samples, PEAK_DB);
  // hear what the file holds: 16-bit samples
  const written = samples.map((v) => Math.min(32767, Math.round(v * 32768)) / 32768);
  const spectrogram = logMelOf(net, written, stft);
  const heard = hear(net, spectrogram, frames, means);
  const distanceStart = curve[0] ?? heard.distances[g]!;
  lap('finish');
  return {
    samples,
    sampleRate: spec.sampleRate,
    spectrogram,
    dreamt,
    nMels: spec.nMels,
    frames,
    curve,
    refineFrom,
    stepsTaken: (refineFrom ?? curve.length) - 1,
    stopped: stop.now,
    figures: {
      genre: opts.genre,
      targetProbability: heard.probabilities[g]!,
      nearestGenre: net.labels[argmin(heard.distances)]!,
      distanceStart,
      distanceEnd: curve[(refineFrom ?? curve.length) - 1]!,
      distanceAudio: heard.distances[g]!,
      distanceDrop: distanceStart > 0 ? 1 - heard.distances[g]! / distanceStart : 0,
      distances: heard.distances,
      probabilities: heard.probabilities,
      targetProbabilityInput: inputHeard.probabilities[g]!,
      nearestGenreInput: net.labels[argmin(inputHeard.distances)]!,
      melResidual,
      spectralConvergence: sc,
      distanceGriffinLim,
      crestFactor,
      normaliseGainDb: peak > 0 ? PEAK_DB - 20 * Math.log10(peak) : 0,
      gateClosedFraction: gated.closedFraction,
      audio: audioFigures(samples, spec.sampleRate),
    },
    timings,
  };
}
