// Genre dreams across the contract: what the Dream view asks for, what a stored dream holds, and the
// live step events. Runs anywhere (no node:, no DOM).

/**
 * What a dream minimises: the distance between its embedding and the genre's mean embedding; the same
 * while keeping the model's probability of the genre ≥ 0.95 ('confident'); or minus the genre's logit.
 */
export type DreamObjective = 'embedding' | 'confident' | 'logit';
/**
 * The default: 'confident'. A genre's mean embedding is not always heard as that genre at 90 % or
 * more (the mean of the patches' probabilities is not the probability of the mean embedding), so the
 * plain distance can end near the mean and still below the issue's p ≥ 0.9 (BENCHMARKS.md, Genre dreams).
 */
export const DREAM_DEFAULT_OBJECTIVE: DreamObjective = 'confident';
export type DreamDomain = 'spectrogram' | 'waveform';

/** Limits the service enforces (and the view's form uses). */
export const DREAM_LIMITS = {
  seconds: { min: 3, max: 30, default: 5 },
  steps: { min: 1, max: 5000, default: 300 },
  refineSteps: { min: 0, max: 500, default: 40 },
  griffinLimIterations: { min: 60, max: 1000, default: 100 },
} as const;

export interface DreamRequest {
  /** A training run of a CNN that kept its model. */
  runId: number;
  genre: string;
  seconds?: number;
  steps?: number;
  seed?: number;
  objective?: DreamObjective;
  domain?: DreamDomain;
  /** Start from this library track ("make this track more disco") instead of low-level noise. */
  fromTrackId?: number | null;
  /** Waveform refinement steps after Griffin–Lim (spectrogram domain). */
  refineSteps?: number;
  griffinLimIterations?: number;
  name?: string;
}

/** The request with every default filled in, as stored with the dream. */
export interface DreamSettings {
  runId: number;
  runName: string;
  genre: string;
  seconds: number;
  steps: number;
  seed: number;
  objective: DreamObjective;
  domain: DreamDomain;
  fromTrackId: number | null;
  fromTrack: string | null;
  refineSteps: number;
  griffinLimIterations: number;
  minProbability: number;
  backend: string;
}

export interface DreamAudioFigures {
  /** Every sample is a finite number. */
  finite: boolean;
  rmsDbfs: number;
  peakDbfs: number;
  /** Samples at (or beyond) full scale. */
  clippedSamples: number;
  seconds: number;
}

/** A finished dream's figures, measured on the written 16-bit WAV unless said otherwise. */
export interface DreamFiguresInfo {
  genre: string;
  /** Model probability of the target genre (mean over the sound's patches). */
  targetProbability: number;
  /** The genre whose mean embedding the sound is nearest to. */
  nearestGenre: string;
  /** ‖e − μ_genre‖ of the start, of the optimised input, and of the finished sound. */
  distanceStart: number;
  distanceEnd: number;
  distanceAudio: number;
  /** 1 − distanceAudio / distanceStart. */
  distanceDrop: number;
  /** ‖e − μ_h‖ of the finished sound for every genre h, and the model's probabilities (labels order). */
  distances: number[];
  probabilities: number[];
  /** The same for the optimised input itself, before it became sound. */
  targetProbabilityInput: number;
  nearestGenreInput: string;
  /** Spectrogram domain: NNLS residual, Griffin–Lim spectral convergence, distance after Griffin–Lim. */
  melResidual: number | null;
  spectralConvergence: number | null;
  distanceGriffinLim: number | null;
  /** Spectrogram domain: Griffin–Lim's peak / the loudest frame's RMS the spectrogram implied (assumed 4). */
  crestFactor: number | null;
  /** Gain of the final −1 dBFS normalisation, dB. */
  normaliseGainDb: number;
  /** Fraction of level-meter frames the energy gate closed. */
  gateClosedFraction: number;
  audio: DreamAudioFigures;
}

/** A spectrogram picture: rows × cols bytes (0 = floor, 255 = ceiling; row 0 = highest band), base64. */
export interface SpectrogramImage {
  rows: number;
  cols: number;
  data: string;
}

export interface DreamSummary {
  id: number;
  name: string;
  createdAt: string;
  runId: number | null;
  genre: string;
  seconds: number;
  settings: DreamSettings;
  targetProbability: number;
  distanceStart: number;
  distanceAudio: number;
  nearestGenre: string;
  /** Wall-clock seconds the dream took. */
  elapsed: number;
}

export interface DreamDetail extends DreamSummary {
  labels: string[];
  figures: DreamFiguresInfo;
  /** Distance at each step (the refinement's steps from `refineFrom`). */
  curve: number[];
  refineFrom: number | null;
  spectrogram: SpectrogramImage;
  timings: Record<string, number>;
}

export type DreamExportKind = 'wav' | 'png' | 'json';

/** A live step of a dream job. */
export interface DreamStepEvent {
  jobId: string;
  phase: 'dream' | 'refine' | 'invert' | 'griffin-lim' | 'finish';
  step: number;
  steps: number;
  /** ‖e − μ_g‖ at this step (NaN outside the optimiser phases). */
  distance: number;
  /** Every few steps: the spectrogram as it is now. */
  spectrogram?: SpectrogramImage;
}
