// The dream optimiser: change the input until the network hears the target genre. Each step follows
// the gradient of the mean-squared distance between the input's embedding (the mean over sliding
// patches) and the genre's mean embedding — or of minus the genre's logit — normalised as in
// input-gradient ascent (divided by its mean |·| or its standard deviation, each cell's step capped
// at a few times that), plus the gradient of a smoothness (squared total-variation) term, with
// momentum and a cosine-decayed step; after each step the input is clipped to a sane range. The
// input is either a log-mel spectrogram (dB, clipped to the spec's range; heard shifted to the level
// its sound will be written at, level.ts) or a waveform heard through the differentiable conv1d STFT
// (clipped to [−1, 1]; heard peak-normalised). init / step / run with a stop callback, like umap-js;
// every tensor is released in tf.tidy or dispose().
import * as tf from '@tensorflow/tfjs';
import type { DreamDomain } from '../../../shared/dream';
import { disposeBasis, fourierBasis, logMelConv, melMatrix, type FourierBasis } from './fourier';
import { melFilterbank } from '../features/mel';
import { bandEnergyWeights, levelShift } from './level';
import { classifySpectrogram, embedPatches, embedSpectrogram, logitHead, patchesOf, type DreamNet } from './network';

/** What the optimiser minimises: the mean-squared embedding distance, or minus the genre's logit. */
export type DreamObjective = 'embedding' | 'logit';
export type { DreamDomain };

export interface DreamOptimiserSettings {
  steps: number;
  objective: DreamObjective;
  /** Index of the target genre in net.labels. */
  genreIndex: number;
  /** The genre's mean embedding (the 'embedding' objective's target; the distance is always reported). */
  target: Float32Array;
  /**
   * Step size of the first step, in the input's unit (dB for a spectrogram, full scale for a
   * waveform); it decays (cosine) to `finalStepFraction` of that by the last step.
   */
  step?: number;
  finalStepFraction?: number;
  momentum?: number;
  /** Weight of the squared total-variation gradient (spectrogram domain). */
  smoothness?: number;
  normalise?: 'mean-abs' | 'std';
  /**
   * Hear the input at the level it will be written at, peak-normalised to this many dBFS (null: as
   * it is). A waveform is normalised (the objective then jumps when another sample becomes the peak:
   * the written sound does too); a spectrogram is shifted by the gain its sound's estimated peak
   * would get (level.ts).
   */
  peakDb?: number | null;
  /**
   * Embedding objective: also keep the model's probability of the genre (mean over patches) at least
   * this high, by a hinge on its log (0: the plain distance). Needs net.head.
   */
  minProbability?: number;
}

export interface DreamStep {
  /** Steps taken so far, this one included. */
  step: number;
  /** ‖e(x) − μ_g‖ (Euclidean) of the input this step started from. */
  distance: number;
  /** The objective being minimised there: mean-squared distance, or −logit. */
  loss: number;
}

/** Defaults per domain, tried on a CNN trained on the shared GTZAN clips (figures: bench/dream.bench.ts). */
export const DREAM_DEFAULTS: Record<
  DreamDomain,
  {
    step: number;
    finalStepFraction: number;
    momentum: number;
    smoothness: number;
    normalise: 'mean-abs' | 'std';
    peakDb: number | null;
    minProbability: number;
  }
> = {
  spectrogram: { step: 1, finalStepFraction: 0.02, momentum: 0.8, smoothness: 0.01, normalise: 'mean-abs', peakDb: null, minProbability: 0 },
  waveform: { step: 0.002, finalStepFraction: 0.02, momentum: 0.8, smoothness: 0, normalise: 'mean-abs', peakDb: null, minProbability: 0 },
};

/** Largest step of one cell, in units of the normalised gradient's mean |·|. */
const MAX_RATIO = 5;

/** Sum of squared differences between neighbours along both axes of a 2-D tensor. */
export function smoothnessPenalty(x: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [m, t] = x.shape;
    const dt = x.slice([0, 1], [m, t - 1]).sub(x.slice([0, 0], [m, t - 1]));
    const df = x.slice([1, 0], [m - 1, t]).sub(x.slice([0, 0], [m - 1, t]));
    return dt.square().sum().add(df.square().sum()) as tf.Scalar;
  });
}

export class DreamOptimiser {
  private readonly x: tf.Variable;
  private readonly velocity: tf.Variable;
  private readonly mu: tf.Tensor1D;
  private readonly logits: ((x: tf.Tensor4D) => tf.Tensor2D) | null = null;
  private readonly basis: FourierBasis | null = null;
  private readonly mel: tf.Tensor2D | null = null;
  private readonly bandWeights: tf.Tensor1D | null = null;
  private readonly o: Required<DreamOptimiserSettings>;
  private readonly lo: number;
  private readonly hi: number;
  private current = 0;

  /**
   * `init`: a dB spectrogram [nMels × frames] (row-major, mel band by mel band), or a waveform at
   * the spec's sample rate (domain 'waveform').
   */
  constructor(
    private readonly net: DreamNet,
    init: Float32Array,
    readonly domain: DreamDomain,
    settings: DreamOptimiserSettings,
  ) {
    const { nMels, floorDb, ceilDb } = net.spec;
    if (!(Number.isInteger(settings.steps) && settings.steps >= 0)) throw new RangeError('steps must be a whole number ≥ 0');
    if (!(settings.genreIndex >= 0 && settings.genreIndex < net.labels.length)) throw new RangeError(`no genre ${settings.genreIndex}`);
    const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    this.o = { ...DREAM_DEFAULTS[domain], ...defined } as Required<DreamOptimiserSettings>;
    [this.lo, this.hi] = domain === 'spectrogram' ? [floorDb, ceilDb] : [-1, 1];
    let start: tf.Tensor;
    if (domain === 'spectrogram') {
      if (init.length % nMels !== 0) throw new RangeError(`a start spectrogram of ${init.length} values is not ${nMels} mel bands × frames`);
      start = tf.tensor2d(init, [nMels, init.length / nMels]);
      if (this.o.peakDb !== null) this.bandWeights = tf.tensor1d(bandEnergyWeights(melFilterbank(net.spec.sampleRate, net.spec.nFft, nMels)));
    } else {
      start = tf.tensor1d(init);
      this.basis = fourierBasis(net.spec.nFft, net.spec.hop);
      this.mel = melMatrix(net.spec);
    }
    // tf.variable keeps its own reference to the initial values: release the temporaries.
    const clipped = start.clipByValue(this.lo, this.hi);
    const zeros = tf.zerosLike(clipped);
    this.x = tf.variable(clipped, true);
    this.velocity = tf.variable(zeros, false);
    tf.dispose([start, clipped, zeros]);
    this.mu = tf.tensor1d(settings.target);
    if (this.o.objective === 'logit') {
      const own = net.logits;
      this.logits = own ? (x) => own.apply(x, { training: false }) as tf.Tensor2D : logitHead(net.classifier);
    }
  }

  get step(): number {
    return this.current;
  }

  get steps(): number {
    return this.o.steps;
  }

  /**
   * The dB spectrogram [nMels, frames] the network hears for input x: the spectrogram itself, or the
   * log-mel of the waveform — peak-normalised first when `peakDb` is set, so that it is heard at
   * the level it will be written at.
   */
  private heard(x: tf.Tensor): tf.Tensor2D {
    if (this.domain === 'spectrogram') {
      if (!this.bandWeights) return x as tf.Tensor2D;
      return x.add(levelShift(x as tf.Tensor2D, this.bandWeights, this.net.spec.nFft, this.o.peakDb!)) as tf.Tensor2D;
    }
    let y = x as tf.Tensor1D;
    if (this.o.peakDb !== null) y = y.mul(tf.scalar(10 ** (this.o.peakDb / 20)).div(y.abs().max().add(1e-9)));
    return logMelConv(y, this.basis!, this.mel!, this.net.spec.amin);
  }

  /** ‖e(x) − μ‖ of the current input. */
  distance(): number {
    return tf.tidy(() => embedSpectrogram(this.net, this.heard(this.x)).sub(this.mu).norm().dataSync()[0]!);
  }

  /** Mean class probabilities of the current input's patches. */
  probabilities(): Float32Array {
    return tf.tidy(() => Float32Array.from(classifySpectrogram(this.net, this.heard(this.x)).dataSync()));
  }

  /** The dB spectrogram the network hears now (nMels × frames, row-major; at the written level when peakDb is set). */
  spectrogram(): Float32Array {
    return tf.tidy(() => Float32Array.from(this.heard(this.x).dataSync()));
  }

  /** The current input itself (spectrogram or waveform). */
  input(): Float32Array {
    return Float32Array.from(this.x.dataSync());
  }

  /** The objective; `distance` receives ‖e − μ‖ of the same forward pass. */
  private objective(distance: { value: number }): tf.Scalar {
    const db = this.heard(this.x);
    const g = this.o.genreIndex;
    if (this.o.objective === 'embedding') {
      const e = embedPatches(this.net, db);
      const sq = e.mean(0).sub(this.mu).square();
      distance.value = Math.sqrt(sq.sum().dataSync()[0]!);
      const mse = sq.mean() as tf.Scalar;
      if (!(this.o.minProbability > 0) || !this.net.head) return mse;
      const p = tf.softmax(this.net.head(e)).slice([0, g], [e.shape[0], 1]).mean();
      return mse.add(tf.relu(tf.scalar(Math.log(this.o.minProbability)).sub(p.add(1e-12).log()))) as tf.Scalar;
    }
    if (this.net.head) {
      // the logit through the head on the embedding: one forward pass gives the distance too
      const e = embedPatches(this.net, db);
      distance.value = Math.sqrt(e.mean(0).sub(this.mu).square().sum().dataSync()[0]!);
      const scores = this.net.head(e);
      return scores.slice([0, g], [scores.shape[0], 1]).mean().neg() as tf.Scalar;
    }
    const input = patchesOf(this.net, db);
    const scores = this.logits
      ? this.logits(input)
      : ((this.net.classifier.apply(input, { training: false }) as tf.Tensor2D).add(1e-12).log() as tf.Tensor2D);
    return scores.slice([0, g], [scores.shape[0], 1]).mean().neg() as tf.Scalar;
  }

  /** The step size of step `i` (0-based): cosine decay from `step` to finalStepFraction · step. */
  stepSize(i: number): number {
    const { step, finalStepFraction, steps } = this.o;
    const u = steps <= 1 ? 0 : i / (steps - 1);
    return step * (finalStepFraction + (1 - finalStepFraction) * 0.5 * (1 + Math.cos(Math.PI * u)));
  }

  /** One optimisation step; returns the figures of the input it started from. */
  stepOnce(): DreamStep {
    const lr = this.stepSize(this.current);
    const measured = { value: NaN };
    if (this.o.objective === 'logit' && !this.net.head) measured.value = this.distance();
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.objective(measured), [this.x]);
      const g = grads[this.x.name]!;
      const scale = this.o.normalise === 'std' ? tf.moments(g).variance.sqrt() : g.abs().mean();
      // normalised, and no cell moves more than MAX_RATIO times the mean (the level shift's gradient
      // gathers on the loudest frames and would otherwise throw them far in one step)
      let dir = g.div(scale.add(1e-12)).clipByValue(-MAX_RATIO, MAX_RATIO);
      if (this.o.smoothness > 0 && this.domain === 'spectrogram') {
        dir = dir.add(tf.grad((v: tf.Tensor) => smoothnessPenalty(v as tf.Tensor2D))(this.x).mul(this.o.smoothness));
      }
      this.velocity.assign(this.velocity.mul(this.o.momentum).add(dir));
      this.x.assign(this.x.sub(this.velocity.mul(lr)).clipByValue(this.lo, this.hi));
      return value.dataSync()[0]!;
    });
    this.current++;
    return { step: this.current, distance: measured.value, loss };
  }

  /**
   * Runs the remaining steps. `onStep` sees every step; `shouldStop` is asked before each step and
   * ends the run early when it returns true. Returns the steps taken.
   */
  run(onStep?: (s: DreamStep) => void, shouldStop?: () => boolean): number {
    while (this.current < this.o.steps) {
      if (shouldStop?.()) break;
      // (not `onStep?.(this.stepOnce())`: an absent callback would skip the step itself)
      const s = this.stepOnce();
      onStep?.(s);
    }
    return this.current;
  }

  dispose(): void {
    this.x.dispose();
    this.velocity.dispose();
    this.mu.dispose();
    if (this.basis) disposeBasis(this.basis);
    this.mel?.dispose();
    this.bandWeights?.dispose();
  }
}
