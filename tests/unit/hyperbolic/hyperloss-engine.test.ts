// The hyperbolic-distance-weighted training losses (ml/losses.ts) against closed forms, the gradient
// of the expected-distance term by finite differences, label → genre mapping, class costs from an
// embedding, mistake severity from a confusion matrix, and ΔF1 against distance (numpy).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTrainingLoss, logitLoss, logitLossValue, stopGradient, type TrainingLoss } from '../../../src/main/engine/ml/losses';
import { GenreIndex, genreWords, mapLabelsToGenres, parseLabelMapCsv, unmappedReport } from '../../../src/main/engine/hyperbolic/labelmap';
import { buildTrainingLoss, deltaF1Points, meanDistanceToOthers, severityFromConfusion } from '../../../src/main/engine/hyperbolic/training-loss';
import { mistakeSeverity } from '../../../src/main/engine/hyperbolic/loss';
import { poincareDistance } from '../../../src/main/engine/hyperbolic/math';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

// A 3-class example small enough to do by hand.
const C3 = [0, 0.5, 1, 0.5, 0, 0.25, 1, 0.25, 0];
const spec = (kind: TrainingLoss['kind'], lambda: number): TrainingLoss => ({ kind, lambda, labels: ['a', 'b', 'c'], costs: C3, scale: 1 });
// Row 0: logits (2, 1, 0), true 0, predicted 0 (correct).
// Row 1: logits (0, 0, ln 3) → p = (1/5, 1/5, 3/5), true 1, predicted 2: cost C[1,2] = 0.25.
// Row 2: logits (ln 2, 0, 0) → p = (1/2, 1/4, 1/4), true 2, predicted 0: cost C[2,0] = 1.
const logits = [2, 1, 0, 0, 0, Math.log(3), Math.log(2), 0, 0];
const y = [0, 1, 2];
const e = Math.E;
const ce0 = Math.log(1 + 1 / e + 1 / e ** 2);
const p0 = [e ** 2, e, 1].map((v) => v / (e ** 2 + e + 1));
const P = [p0, [0.2, 0.2, 0.6], [0.5, 0.25, 0.25]];

describe('weighted cross-entropy w_i · CE_i, w_i = 1 + λ C[y_i, ŷ_i] (closed form)', () => {
  const lambda = 2;
  // weights 1, 1 + 2·0.25 = 1.5, 1 + 2·1 = 3; CE ln(1+e⁻¹+e⁻²), ln 5, ln 4.
  const expected = (ce0 + 1.5 * Math.log(5) + 3 * Math.log(4)) / 3;

  it('Float64 value equals the hand computation (1e-14) and λ = 0 is plain cross-entropy', () => {
    expect(Math.abs(logitLossValue(spec('hyperbolic-weighted', lambda), 3, y, logits).value - expected)).toBeLessThan(1e-14);
    const ce = (ce0 + Math.log(5) + Math.log(4)) / 3;
    expect(Math.abs(logitLossValue(spec('hyperbolic-weighted', 0), 3, y, logits).value - ce)).toBeLessThan(1e-14);
    expect(Math.abs(logitLossValue(null, 3, y, logits).value - ce)).toBeLessThan(1e-14);
  });

  it('the tfjs loss gives the same value (float32, 1e-6) and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const fn = logitLoss(spec('hyperbolic-weighted', lambda), 3);
    const v = tf.tidy(() => fn(tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat() as tf.Tensor2D, tf.tensor2d(logits, [3, 3])).dataSync()[0]!);
    expect(Math.abs(v - expected)).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the weight is held constant: the gradient is w_i (p_i − y_i) / B, not the weight’s own derivative', () => {
    const fn = logitLoss(spec('hyperbolic-weighted', lambda), 3);
    const yt = tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat() as tf.Tensor2D;
    const g = tf.grad((z: tf.Tensor) => fn(yt, z as tf.Tensor2D))(tf.tensor2d(logits, [3, 3])).dataSync();
    const w = [1, 1.5, 3];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const closed = (w[i]! * (P[i]![j]! - (j === y[i] ? 1 : 0))) / 3;
        expect(Math.abs(g[i * 3 + j]! - closed)).toBeLessThan(1e-6);
      }
    }
    const { grad } = logitLossValue(spec('hyperbolic-weighted', lambda), 3, y, logits);
    for (let k = 0; k < 9; k++) expect(Math.abs(grad[k]! - g[k]!)).toBeLessThan(1e-6);
  });

  it('stopGradient passes values and blocks gradients', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, stopGradient(tf.square(v)))))(x).dataSync();
    // d/dv Σ v · sg(v²) = v² (the second factor is a constant)
    expect(Array.from(g)).toEqual([1, 4, 9]);
  });
});

describe('cross-entropy + λ Σ_j p_ij C[y_i, j] (expected distance)', () => {
  const lambda = 0.7;
  it('Float64 and tfjs values equal the closed form', () => {
    const expectedCost = [p0[1]! * 0.5 + p0[2]! * 1, 0.2 * 0.5 + 0.6 * 0.25, 0.5 * 1 + 0.25 * 0.25];
    const ce = [ce0, Math.log(5), Math.log(4)];
    const want = (ce[0]! + ce[1]! + ce[2]! + lambda * (expectedCost[0]! + expectedCost[1]! + expectedCost[2]!)) / 3;
    expect(Math.abs(logitLossValue(spec('hyperbolic-expected', lambda), 3, y, logits).value - want)).toBeLessThan(1e-14);
    const fn = logitLoss(spec('hyperbolic-expected', lambda), 3);
    const v = tf.tidy(() => fn(tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat() as tf.Tensor2D, tf.tensor2d(logits, [3, 3])).dataSync()[0]!);
    expect(Math.abs(v - want)).toBeLessThan(1e-6);
  });

  it('its gradient (analytic and tfjs autodiff) matches central finite differences', () => {
    // A random batch: 6 rows × 4 classes with a random cost matrix.
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const K = 4;
    const C = new Array<number>(K * K).fill(0).map((_, i) => (Math.floor(i / K) === i % K ? 0 : 0.1 + 0.9 * rnd()));
    const loss: TrainingLoss = { kind: 'hyperbolic-expected', lambda: 1.3, labels: ['a', 'b', 'c', 'd'], costs: C, scale: 1 };
    const yy = [0, 1, 2, 3, 1, 2];
    const z = Array.from({ length: yy.length * K }, () => 4 * rnd() - 2);
    const { grad } = logitLossValue(loss, K, yy, z);
    const h = 1e-6;
    for (let k = 0; k < z.length; k++) {
      const zp = z.slice();
      const zm = z.slice();
      zp[k]! += h;
      zm[k]! -= h;
      const fd = (logitLossValue(loss, K, yy, zp).value - logitLossValue(loss, K, yy, zm).value) / (2 * h);
      expect(Math.abs(fd - grad[k]!)).toBeLessThan(1e-8);
    }
    // Only the expected term: λ = 1.3 minus λ = 0 isolates it.
    const zero = { ...loss, lambda: 0 };
    const gTerm = logitLossValue(loss, K, yy, z).grad.map((g, k) => g - logitLossValue(zero, K, yy, z).grad[k]!);
    for (let k = 0; k < z.length; k++) {
      const zp = z.slice();
      const zm = z.slice();
      zp[k]! += h;
      zm[k]! -= h;
      const term = (zz: number[]) => logitLossValue(loss, K, yy, zz).value - logitLossValue(zero, K, yy, zz).value;
      expect(Math.abs((term(zp) - term(zm)) / (2 * h) - gTerm[k]!)).toBeLessThan(1e-8);
    }
    const fn = logitLoss(loss, K);
    const yt = tf.oneHot(tf.tensor1d(yy, 'int32'), K).toFloat() as tf.Tensor2D;
    const g = tf.grad((t: tf.Tensor) => fn(yt, t as tf.Tensor2D))(tf.tensor2d(z, [yy.length, K])).dataSync();
    for (let k = 0; k < z.length; k++) expect(Math.abs(g[k]! - grad[k]!)).toBeLessThan(2e-6);
  });

  it('label smoothing enters the cross-entropy only, as tf.losses.softmaxCrossEntropy does', () => {
    const ls = 0.1;
    const zero = spec('hyperbolic-expected', 0);
    const v = logitLossValue(zero, 3, y, logits, ls).value;
    const ref = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), 3), tf.tensor2d(logits, [3, 3]), undefined, ls).dataSync()[0]!);
    expect(Math.abs(v - ref)).toBeLessThan(1e-6);
    const fn = logitLoss(zero, 3, ls);
    const t = tf.tidy(() => fn(tf.oneHot(tf.tensor1d(y, 'int32'), 3).toFloat() as tf.Tensor2D, tf.tensor2d(logits, [3, 3])).dataSync()[0]!);
    expect(Math.abs(t - ref)).toBeLessThan(1e-6);
  });
});

describe('loss spec checks', () => {
  it('rejects costs outside [0, 1], a non-zero diagonal, wrong labels and negative λ', () => {
    expect(() => checkTrainingLoss(spec('hyperbolic-weighted', 1), ['a', 'b', 'c'])).not.toThrow();
    expect(() => checkTrainingLoss(spec('hyperbolic-weighted', 1), ['a', 'c', 'b'])).toThrow(/not the model/);
    expect(() => checkTrainingLoss(spec('hyperbolic-weighted', -1), ['a', 'b', 'c'])).toThrow(/λ/);
    expect(() => checkTrainingLoss({ ...spec('hyperbolic-weighted', 1), costs: [0.1, 0.5, 1, 0.5, 0, 0.25, 1, 0.25, 0] }, ['a', 'b', 'c'])).toThrow(/correct/);
    expect(() => checkTrainingLoss({ ...spec('hyperbolic-weighted', 1), costs: [0, 1.5, 1, 0.5, 0, 0.25, 1, 0.25, 0] }, ['a', 'b', 'c'])).toThrow(/outside/);
  });
});

describe('label → genre mapping', () => {
  const genres = ['hip hop', 'rock', 'classic rock', 'Rhythm and Blues', 'pop', 'k-pop', 'jazz', 'drum and bass', 'jazz fusion'];
  it('normalises: "hiphop", "Hip-Hop" and "HipHop" find "hip hop"; case differences are exact matches', () => {
    const m = mapLabelsToGenres(['hiphop', 'Hip-Hop', 'HipHop', 'Rock', 'rock', 'kpop', 'rhythm & blues'], genres);
    expect(m.map((x) => x.genre)).toEqual(['hip hop', 'hip hop', 'hip hop', 'rock', 'rock', 'k-pop', 'Rhythm and Blues']);
    // "rhythm & blues" is not "rhythmandblues" once normalised: it is found by its words (2 of 3 shared)
    expect(m.map((x) => x.how)).toEqual(['normalised', 'normalised', 'normalised', 'exact', 'exact', 'normalised', 'token']);
  });
  it('falls back to the best word overlap, preferring the shorter genre on ties', () => {
    const m = mapLabelsToGenres(['Classic Rock Music', 'Jazz Standards', 'Drum & Bass'], genres);
    expect(m[0]).toMatchObject({ genre: 'classic rock', how: 'token' });
    expect(m[0]!.score).toBeCloseTo(2 / 3, 12);
    expect(m[1]).toMatchObject({ genre: 'jazz', how: 'token' });
    expect(m[1]!.score).toBeCloseTo(1 / 2, 12);
    // "drum & bass" shares drum, bass with "drum and bass" (3 words): 2 / 3
    expect(m[2]).toMatchObject({ genre: 'drum and bass', how: 'token' });
    expect(genreWords('HipHop/Rap')).toEqual(['hip', 'hop', 'rap']);
  });
  it('reports unmapped labels, and overrides win (a missing override target is reported with close names)', () => {
    const m = mapLabelsToGenres(['zydeco', 'rock', 'jazzy'], genres, { rock: 'Classic Rock', jazzy: 'jaz fusion' });
    expect(m[0]).toMatchObject({ label: 'zydeco', genre: null, how: 'none' });
    expect(m[1]).toMatchObject({ genre: 'classic rock', how: 'override' });
    expect(m[2]!.genre).toBeNull();
    expect(m[2]!.note).toMatch(/jaz fusion.*close: jazz fusion/);
    expect(unmappedReport(m)).toMatch(/^2 labels not mapped.*"zydeco".*"jazzy"/);
    expect(unmappedReport(m.slice(1, 2))).toBe('');
  });
  it('GenreIndex.search suggests names for the mapping table', () => {
    expect(new GenreIndex(genres).search('jazz', 5)).toEqual(['jazz', 'jazz fusion']);
  });
  it('reads a label,genre CSV with or without a header, with quotes; rejects malformed lines', () => {
    expect(parseLabelMapCsv('label,genre\nhiphop,hip hop\n"r&b, soul",rhythm and blues\n\n# comment\n')).toEqual({ hiphop: 'hip hop', 'r&b, soul': 'rhythm and blues' });
    expect(parseLabelMapCsv('hiphop,hip hop')).toEqual({ hiphop: 'hip hop' });
    expect(() => parseLabelMapCsv('hiphop,hip hop,extra')).toThrow(/line 1/);
    expect(() => parseLabelMapCsv('a,x\na,y')).toThrow(/twice/);
    expect(() => parseLabelMapCsv('a,')).toThrow(/both/);
  });
});

describe('class costs from an embedding', () => {
  // Four genres in the Poincaré disk.
  const names = ['rock', 'hip hop', 'jazz', 'metal'];
  const pts = [
    [0.1, 0.0],
    [-0.5, 0.3],
    [0.0, -0.6],
    [0.4, 0.1],
  ];
  const emb = { names, vectors: Float64Array.from(pts.flat()), dim: 2 };
  it('costs are Poincaré distances over the largest one; unmapped labels are the farthest and reported', () => {
    const labels = ['hiphop', 'jazz', 'metal', 'rock', 'zydeco'];
    const b = buildTrainingLoss(labels, emb, { kind: 'hyperbolic-weighted', lambda: 1 });
    const K = labels.length;
    const idx = [1, 2, 3, 0];
    let max = 0;
    for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) max = Math.max(max, poincareDistance(pts[idx[a]!]!, pts[idx[c]!]!));
    expect(b.loss.scale).toBeCloseTo(max, 12);
    for (let a = 0; a < 4; a++) {
      for (let c = 0; c < 4; c++) expect(b.loss.costs[a * K + c]).toBeCloseTo(poincareDistance(pts[idx[a]!]!, pts[idx[c]!]!) / max, 12);
      expect(b.loss.costs[a * K + 4]).toBe(1);
    }
    expect(b.loss.costs[4 * K + 4]).toBe(0);
    expect(b.warnings[0]).toMatch(/"zydeco"/);
    expect(b.loss.source?.genres).toEqual(['hip hop', 'jazz', 'metal', 'rock', null]);
    expect(() => checkTrainingLoss(b.loss, labels)).not.toThrow();
  });
  it("'range' maps the nearest pair of mapped genres to 0 and the farthest to 1", () => {
    const labels = ['hiphop', 'jazz', 'metal', 'rock', 'zydeco'];
    const b = buildTrainingLoss(labels, emb, { kind: 'hyperbolic-expected', lambda: 1, normalise: 'range' });
    const K = labels.length;
    const idx = [1, 2, 3, 0];
    const d: number[] = [];
    for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) if (a !== c) d.push(poincareDistance(pts[idx[a]!]!, pts[idx[c]!]!));
    const lo = Math.min(...d);
    const hi = Math.max(...d);
    expect(b.loss.offset).toBeCloseTo(lo, 12);
    expect(b.loss.scale).toBeCloseTo(hi - lo, 12);
    for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) {
      if (a !== c) expect(b.loss.costs[a * K + c]).toBeCloseTo((poincareDistance(pts[idx[a]!]!, pts[idx[c]!]!) - lo) / (hi - lo), 12);
    }
    expect(Math.min(...b.loss.costs.filter((_, i) => Math.floor(i / K) !== i % K))).toBeCloseTo(0, 12);
    expect(b.loss.costs[4]).toBe(1); // unmapped: the farthest
    expect(() => checkTrainingLoss(b.loss, labels)).not.toThrow();
  });
  it('needs two mapped labels', () => {
    expect(() => buildTrainingLoss(['rock', 'zydeco'], emb, { kind: 'hyperbolic-weighted', lambda: 1 })).toThrow(/at least two/);
  });
});

describe('mistake severity and ΔF1 against distance', () => {
  const D = [0, 1.2, 2.5, 3.1, 1.2, 0, 1.9, 2.2, 2.5, 1.9, 0, 0.7, 3.1, 2.2, 0.7, 0];
  it('severity from a confusion matrix equals mistakeSeverity over the expanded predictions', () => {
    const conf = [
      [5, 1, 0, 2],
      [0, 7, 3, 0],
      [1, 0, 4, 4],
      [0, 2, 0, 9],
    ];
    const yt: number[] = [];
    const yp: number[] = [];
    conf.forEach((row, t) => row.forEach((c, p) => { for (let i = 0; i < c; i++) { yt.push(t); yp.push(p); } }));
    const a = severityFromConfusion(conf, D, 4);
    const b = mistakeSeverity(yt, yp, Float64Array.from(D), 4);
    expect(a.mistakes).toBe(b.mistakes);
    expect(a.severity!).toBeCloseTo(b.severity, 12);
    // by hand: 1·1.2 + 2·3.1 + 3·1.9 + 1·2.5 + 4·0.7 + 2·2.2 = 22.8 over 13 mistakes
    expect(a.severity!).toBeCloseTo(22.8 / 13, 12);
    expect(severityFromConfusion([[3, 0], [0, 4]], [0, 1, 1, 0], 2)).toEqual({ mistakes: 0, severity: null });
  });
  it('mean distances and the Pearson correlation match numpy', () => {
    // numpy: D.sum(1)/3 → [2.26666667, 1.76666667, 1.7, 2.0];
    // np.corrcoef(f1 - b, md)[0, 1] = 0.39476721932968106
    const md = meanDistanceToOthers(D, 4);
    [2.2666666666666666, 1.7666666666666666, 1.7, 2.0].forEach((v, i) => expect(md[i]).toBeCloseTo(v, 12));
    const r = deltaF1Points(['a', 'b', 'c', 'd'], [0.8, 0.7, 0.55, 0.9], [0.75, 0.72, 0.5, 0.8], D);
    expect(r.correlation!).toBeCloseTo(0.39476721932968106, 12);
    expect(r.points[1]).toEqual({ label: 'b', deltaF1: 0.7 - 0.72, meanDistance: md[1] });
    expect(deltaF1Points(['a', 'b'], [0.5, 0.6], [0.5, 0.6], [0, 1, 1, 0]).correlation).toBeNull();
  });
});
