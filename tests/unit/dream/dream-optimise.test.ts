// The dream optimiser on a tiny fixed network (dream-tiny-net.ts): the distance to a reachable target
// falls (step 50 below step 0 for 5 seeds, and mostly step by step), the logit objective raises the
// genre's logit, the input stays in range, smoothness smooths, the stop callback stops, the sliding
// patch embedding is the mean of the patches' embeddings, and a whole dream gives usable audio.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genreMeans } from '../../../src/main/engine/dream/cnn';
import { dream } from '../../../src/main/engine/dream/dream';
import { embedSpectrogram, patchesOf, type DreamNet } from '../../../src/main/engine/dream/network';
import { DreamOptimiser, smoothnessPenalty } from '../../../src/main/engine/dream/optimise';
import { patchStarts } from '../../../src/main/engine/dream/spec';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { mulberry32 } from '../../../src/main/engine/random';
import { randomSpectrogram, tinyNet, TINY_SPEC } from './dream-tiny-net';

let net: DreamNet;
const FRAMES = 35; // two 20-frame patches (starts 0 and 15)

function embed(db: Float32Array, frames = FRAMES): Float32Array {
  return tf.tidy(() => Float32Array.from(embedSpectrogram(net, tf.tensor2d(db, [TINY_SPEC.nMels, frames])).dataSync()));
}

beforeAll(async () => {
  await initBackend();
  net = tinyNet();
});

afterAll(() => {
  net.classifier.dispose(); // the embedding and logits models share its layers
});

describe('patches', () => {
  it('cover the spectrogram: every half patch, and one ending at the last frame', () => {
    expect(patchStarts(35, 20)).toEqual([0, 10, 15]);
    expect(patchStarts(20, 20)).toEqual([0]);
    expect(patchStarts(40, 20)).toEqual([0, 10, 20]);
    expect(() => patchStarts(19, 20)).toThrow(RangeError);
    for (const T of [20, 21, 33, 64, 129, 216]) {
      const s = patchStarts(T, 20);
      expect(s[0]).toBe(0);
      expect(s[s.length - 1]).toBe(T - 20);
      for (let i = 1; i < s.length; i++) expect(s[i]! - s[i - 1]!).toBeLessThanOrEqual(10);
    }
  });

  it('the embedding of a long spectrogram is the mean of its patches’ embeddings (each floored at max − topDb)', () => {
    const db = randomSpectrogram(FRAMES, 4, -120, 10); // a range wider than topDb, so the floor acts
    const got = embed(db);
    const want = new Float64Array(got.length);
    const starts = patchStarts(FRAMES, 20);
    for (const s of starts) {
      const patch = new Float32Array(16 * 20);
      for (let m = 0; m < 16; m++) for (let t = 0; t < 20; t++) patch[m * 20 + t] = db[m * FRAMES + s + t]!;
      const top = Math.max(...patch);
      const floored = patch.map((v) => Math.max(v, top - 80));
      const e = tf.tidy(() => (net.embedding.predict(tf.tensor4d(floored, [1, 16, 20, 1]).sub(-30).mul(1 / 15)) as tf.Tensor).dataSync());
      for (let j = 0; j < e.length; j++) want[j] += e[j]! / starts.length;
    }
    for (let j = 0; j < got.length; j++) expect(got[j]).toBeCloseTo(want[j]!, 5);
    const p = tf.tidy(() => patchesOf(net, tf.tensor2d(db, [16, FRAMES])).shape);
    expect(p).toEqual([3, 16, 20, 1]);
  });
});

describe('the optimiser', () => {
  it('lowers the distance to a reachable target: step 50 below step 0 for 5 seeds, and window by window on average', () => {
    const windows = [0, 0, 0, 0, 0];
    for (let seed = 1; seed <= 5; seed++) {
      const target = embed(randomSpectrogram(FRAMES, 100 + seed));
      const opt = new DreamOptimiser(net, randomSpectrogram(FRAMES, seed), 'spectrogram', { steps: 50, objective: 'embedding', genreIndex: 0, target });
      const curve: number[] = [];
      opt.run((s) => curve.push(s.distance));
      curve.push(opt.distance());
      opt.dispose();
      expect(curve).toHaveLength(51);
      expect(curve[50]!).toBeLessThan(curve[0]!);
      expect(curve[50]!).toBeLessThan(0.5 * curve[0]!);
      for (let w = 0; w < 5; w++) windows[w] += curve.slice(10 * w, 10 * w + 10).reduce((a, b) => a + b, 0) / 50;
    }
    // "monotonically in expectation": averaged over the seeds, each 10-step window ends lower than the
    // one before (single steps may go up: momentum overshoots now and then)
    for (let w = 1; w < 5; w++) expect(windows[w]!).toBeLessThan(windows[w - 1]!);
  });

  it('the logit objective raises the genre’s logit and probability', () => {
    const start = randomSpectrogram(FRAMES, 7);
    const g = 2;
    const score = (db: Float32Array) =>
      tf.tidy(() => {
        const x = patchesOf(net, tf.tensor2d(db, [16, FRAMES]));
        return [(net.logits!.predict(x) as tf.Tensor2D).mean(0).dataSync()[g]!, (net.classifier.predict(x) as tf.Tensor2D).mean(0).dataSync()[g]!];
      });
    const [l0, p0] = score(start);
    const opt = new DreamOptimiser(net, start, 'spectrogram', { steps: 30, objective: 'logit', genreIndex: g, target: new Float32Array(6) });
    const losses: number[] = [];
    opt.run((s) => losses.push(s.loss));
    const [l1, p1] = score(opt.spectrogram());
    opt.dispose();
    expect(losses[0]).toBeCloseTo(-l0!, 4);
    expect(l1!).toBeGreaterThan(l0! + 0.5);
    expect(p1!).toBeGreaterThan(p0!);
  });

  it('keeps the spectrogram inside the dB range; smoothness lowers its total variation', () => {
    const target = embed(randomSpectrogram(FRAMES, 55));
    const run = (smoothness: number) => {
      const opt = new DreamOptimiser(net, randomSpectrogram(FRAMES, 3, -70, 30), 'spectrogram', { steps: 40, objective: 'embedding', genreIndex: 0, target, smoothness, step: 3 });
      opt.run();
      const x = opt.spectrogram();
      const tv = tf.tidy(() => smoothnessPenalty(tf.tensor2d(x, [16, FRAMES])).dataSync()[0]!);
      opt.dispose();
      return { x, tv };
    };
    const rough = run(0);
    const smooth = run(0.2);
    for (const v of [...rough.x, ...smooth.x]) {
      expect(v).toBeGreaterThanOrEqual(TINY_SPEC.floorDb);
      expect(v).toBeLessThanOrEqual(TINY_SPEC.ceilDb);
    }
    expect(smooth.tv).toBeLessThan(0.5 * rough.tv);
  });

  it('smoothnessPenalty is the sum of squared neighbour differences (closed form)', () => {
    const x = [1, 4, 2, 0, -1, 3]; // 2 × 3
    // time: (4−1)² + (2−4)² + (−1−0)² + (3+1)² = 9 + 4 + 1 + 16; mel: (0−1)² + (−1−4)² + (3−2)² = 1 + 25 + 1
    const v = tf.tidy(() => smoothnessPenalty(tf.tensor2d(x, [2, 3])).dataSync()[0]);
    expect(v).toBeCloseTo(30 + 27, 6);
  });

  it('stops when asked, between steps', () => {
    const target = embed(randomSpectrogram(FRAMES, 9));
    const opt = new DreamOptimiser(net, randomSpectrogram(FRAMES, 8), 'spectrogram', { steps: 100, objective: 'embedding', genreIndex: 1, target });
    let n = 0;
    const taken = opt.run(() => n++, () => n >= 7);
    opt.dispose();
    expect(taken).toBe(7);
  });

  it('optimises a waveform through the conv1d STFT too', () => {
    const rng = mulberry32(21);
    const n = Math.round(0.6 * 22050);
    const wave = Float32Array.from({ length: n }, () => 0.01 * (rng() * 2 - 1));
    const frames = 1 + Math.floor(n / 512);
    const target = embed(randomSpectrogram(frames, 77, -40, 0), frames);
    const opt = new DreamOptimiser(net, wave, 'waveform', { steps: 12, objective: 'embedding', genreIndex: 0, target, step: 0.004 });
    const curve: number[] = [];
    opt.run((s) => curve.push(s.distance));
    curve.push(opt.distance());
    const x = opt.input();
    opt.dispose();
    expect(curve[12]!).toBeLessThan(curve[0]!);
    for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});

describe('a whole dream on the tiny network', () => {
  it('gives finite, audible, unclipped audio of the asked length, with its curve and figures', () => {
    // genre means: embeddings of random spectrograms of each class (3 per class)
    const rows: Float32Array[] = [];
    const y: number[] = [];
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 3; i++) {
        rows.push(embed(randomSpectrogram(FRAMES, 1000 + 10 * c + i, -60 + 15 * c, -20 + 15 * c)));
        y.push(c);
      }
    }
    const E = new Float32Array(rows.length * 6);
    rows.forEach((r, i) => E.set(r, i * 6));
    const means = genreMeans(E, rows.length, 6, Int32Array.from(y), 3);
    const stages = new Set<string>();
    const r = dream(net, means, { genre: 'beta', seconds: 1, steps: 30, griffinLimIterations: 30 }, { rng: mulberry32(5), onStage: (s) => stages.add(s) });
    expect(r.samples.length).toBe(22050);
    expect(r.frames).toBe(1 + Math.floor(22050 / 512));
    expect(r.curve).toHaveLength(31);
    expect(r.stepsTaken).toBe(30);
    expect(r.figures.distanceEnd).toBeLessThan(r.figures.distanceStart);
    expect(r.figures.audio.finite).toBe(true);
    expect(r.figures.audio.peakDbfs).toBeCloseTo(-1, 3);
    expect(r.figures.audio.rmsDbfs).toBeGreaterThan(-40);
    expect(r.figures.audio.clippedSamples).toBe(0);
    expect(r.figures.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(r.figures.distances).toHaveLength(3);
    expect([...stages]).toEqual(['invert', 'griffin-lim', 'finish']);
    expect(r.spectrogram.length).toBe(16 * r.frames);
  });

  it('genreMeans averages the rows of each class (closed form)', () => {
    const E = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // 4 rows × 2
    const m = genreMeans(E, 4, 2, Int32Array.from([0, 1, 0, 1]), 2);
    expect(Array.from(m[0]!)).toEqual([3, 4]);
    expect(Array.from(m[1]!)).toEqual([5, 6]);
  });
});
