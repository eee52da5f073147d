// Global tempo from an onset envelope (librosa.beat.tempo(onset_envelope=env), librosa 0.7/0.8,
// as called by beat_track: ac_size 8 s, start_bpm 120, std_bpm 1, max_tempo 320).
import { createFft } from './fft';
import { hannPeriodic } from './window';

export interface TempoOptions {
  startBpm?: number;
  stdBpm?: number;
  maxTempo?: number;
  /** Autocorrelation window in seconds (8 s -> 344 frames at 22,050 Hz / 512). */
  acSize?: number;
}

/** Autocorrelation window in frames: floor(acSize * sr) // hop. */
export function tempoWindow(sampleRate: number, hop: number, acSize = 8): number {
  return Math.floor(Math.floor(acSize * sampleRate) / hop);
}

/**
 * Mean over frames of the max-normalised windowed autocorrelation of the onset envelope (librosa's
 * autocorrelation tempogram averaged over time): env padded by win/2 on each side with a linear ramp
 * to 0, frame t = padded[t .. t+win) times a periodic Hann, r_t[l] = sum_k x[k] x[k+l] for l < win,
 * r_t / max|r_t| (= r_t[0]). Computed as one inverse FFT of the sum of |X_t|^2 / r_t[0] (the map is
 * linear), with two frames per forward complex FFT.
 */
export function meanAutocorrelation(env: Float64Array, win: number): Float64Array {
  const T = env.length;
  const half = win >> 1;
  const padded = new Float64Array(T + 2 * half);
  // numpy.pad(env, half, mode='linear_ramp', end_values=0)
  const first = T > 0 ? env[0] : 0;
  const last = T > 0 ? env[T - 1] : 0;
  for (let j = 0; j < half; j++) padded[j] = j * (first / half);
  padded.set(env, half);
  for (let i = 0; i < half; i++) padded[half + T + i] = (half - 1 - i) * (last / half);
  let nfft = 2;
  while (nfft < 2 * win - 1) nfft *= 2;
  const fft = createFft(nfft);
  const w = hannPeriodic(win);
  const z = new Float64Array(2 * nfft);
  const acc = new Float64Array(nfft); // sum of normalised power spectra
  for (let t = 0; t < T; t += 2) {
    z.fill(0);
    const two = t + 1 < T;
    let ea = 0;
    let eb = 0;
    for (let k = 0; k < win; k++) {
      const a = padded[t + k] * w[k];
      z[2 * k] = a;
      ea += a * a;
      if (two) {
        const b = padded[t + 1 + k] * w[k];
        z[2 * k + 1] = b;
        eb += b * b;
      }
    }
    if (ea < 2.2250738585072014e-308 && eb < 2.2250738585072014e-308) continue;
    const Z = fft.forward(z);
    const ia = ea < 2.2250738585072014e-308 ? 0 : 1 / ea;
    const ib = eb < 2.2250738585072014e-308 ? 0 : 1 / eb;
    for (let k = 0; k < nfft; k++) {
      const m = (nfft - k) % nfft;
      const zr = Z[2 * k];
      const zi = Z[2 * k + 1];
      const cr = Z[2 * m];
      const ci = -Z[2 * m + 1];
      // X_a = (Z[k] + conj Z[-k]) / 2, X_b = (Z[k] - conj Z[-k]) / (2i)
      const ar = (zr + cr) / 2;
      const ai = (zi + ci) / 2;
      const br = (zi - ci) / 2;
      const bi = -(zr - cr) / 2;
      acc[k] += (ar * ar + ai * ai) * ia + (br * br + bi * bi) * ib;
    }
  }
  const c = new Float64Array(2 * nfft);
  for (let k = 0; k < nfft; k++) c[2 * k] = acc[k];
  const r = fft.inverse(c);
  const out = new Float64Array(win);
  for (let l = 0; l < win; l++) out[l] = T > 0 ? r[2 * l] / T : 0;
  return out;
}

/**
 * Tempo in BPM: argmax over lags l with 60 sr / (hop l) < maxTempo of
 * log1p(1e6 * meanAutocorrelation[l]) - 0.5 ((log2 bpm_l - log2 startBpm) / stdBpm)^2.
 * Always one of the lattice values 60 sr / (hop l).
 */
export function tempoFromOnset(env: Float64Array, sampleRate: number, hop: number, opts: TempoOptions = {}): number {
  const { startBpm = 120, stdBpm = 1, maxTempo = 320, acSize = 8 } = opts;
  const win = tempoWindow(sampleRate, hop, acSize);
  const tg = meanAutocorrelation(env, win);
  let best = -1;
  let bestScore = -Infinity;
  const l2s = Math.log2(startBpm);
  for (let l = 1; l < win; l++) {
    const bpm = (60 * sampleRate) / (hop * l);
    if (!(bpm < maxTempo)) continue;
    const prior = -0.5 * ((Math.log2(bpm) - l2s) / stdBpm) ** 2;
    const s = Math.log1p(1e6 * tg[l]) + prior;
    if (s > bestScore) {
      bestScore = s;
      best = l;
    }
  }
  return best > 0 ? (60 * sampleRate) / (hop * best) : startBpm;
}
