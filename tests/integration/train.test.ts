// Training through the service: runs stored with metrics and per-track predictions, segment runs with
// track-level aggregation, live epochs, exports, model save → predict, and bad data refused up front.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Services } from '../../src/main/services';
import { predictFolder } from '../../src/main/services/predict';
import { toneSample, writePcm16Wav } from '../helpers/wav';

const SR = 22050;
let dir: string;
let s: Services;
let denseRun = 0;

// Three "genres" whose clips share a spectral signature (tone seeds 0–2, 7–9, 14–16) plus noise.
function makeLibrary(root: string, perGenre: number, genres: string[]): void {
  genres.forEach((g, gi) => {
    mkdirSync(join(root, g), { recursive: true });
    for (let i = 0; i < perGenre; i++) {
      const tone = toneSample(gi * 7 + (i % 3), SR);
      let x = 12345 + gi * 100 + i;
      const noise = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 0.1 * (gi + 1);
      writePcm16Wav(join(root, g, `${g}.${i}.wav`), { sampleRate: SR, channels: 1, frames: SR * 7, sample: (n) => tone(n) + noise() });
    }
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-train-'));
  makeLibrary(join(dir, 'lib'), 5, ['ambient', 'drone', 'noise']);
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
  const r = await (await s.startIngest(join(dir, 'lib'), 'gtzan57')).done;
  expect(r.extracted).toBe(15);
}, 180_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('training service', () => {
  it('trains kNN with 3-fold CV on tracks and stores the run with per-track predictions', async () => {
    const out = await s.startTraining({ model: 'knn', evaluation: { kind: 'cv', folds: 3 }, seed: 3 }).done;
    const run = s.runs.get(out.runId)!;
    expect(run.metrics.labels).toEqual(['ambient', 'drone', 'noise']);
    expect(run.metrics.n).toBe(15);
    expect(run.metrics.folds).toBe(3);
    expect(run.metrics.unit).toBe('track');
    expect(run.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(15);
    expect(run.metrics.accuracy).toBeGreaterThan(0.5);
    const preds = s.runs.predictions(out.runId);
    expect(preds).toHaveLength(15);
    for (const p of preds) {
      expect(p.trackId).toBeGreaterThan(0);
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.predicted).toBe(run.metrics.labels[p.probs.indexOf(Math.max(...p.probs))]);
    }
    // Accuracy agrees with the stored predictions.
    const ok = preds.filter((p) => p.label === p.predicted).length / preds.length;
    expect(ok).toBeCloseTo(run.metrics.accuracy, 10);
    expect(s.runs.list()[0]!.id).toBe(out.runId);
  });

  it('trains on 3-second segments: both levels reported, segments never split across folds', async () => {
    const out = await s.startTraining({ model: 'knn', segments: true, evaluation: { kind: 'cv', folds: 3 }, seed: 1 }).done;
    const run = s.runs.get(out.runId)!;
    expect(run.metrics.unit).toBe('segment');
    expect(run.metrics.n).toBe(30); // 15 tracks × 2 whole 3-s segments of a 7-s clip
    expect(run.metrics.trackLevel!.n).toBe(15);
    const preds = s.runs.predictions(out.runId);
    expect(preds).toHaveLength(15);
    for (const p of preds) {
      expect(p.segments).toHaveLength(2);
      expect(p.segments![1]!.start).toBe(3);
    }
  });

  it('streams epochs of a dense net, saves the model, exports figures, and predicts a folder with it', async () => {
    const epochs: number[] = [];
    const on = (name: string, payload: unknown) => {
      if (name === 'train.epoch') epochs.push((payload as { point: { epoch: number } }).point.epoch);
    };
    s.bus.on('event', on);
    const out = await s
      .startTraining({ model: 'dense', params: { maxEpochs: 4, hidden: [32] }, evaluation: { kind: 'holdout', testFraction: 0.4 }, seed: 2 })
      .done.finally(() => s.bus.off('event', on));
    expect(epochs.length).toBeGreaterThanOrEqual(4);
    const run = s.runs.get(out.runId)!;
    denseRun = out.runId;
    expect(['wasm', 'cpu', 'tensorflow']).toContain(run.metrics.backend);
    expect(run.curves.length).toBe(epochs.length);
    expect(run.hasModel).toBe(true);

    const png = await s.handlers['runs.export']({ runId: out.runId, kind: 'confusion.png' });
    const bytes = Buffer.from(png.data, 'base64');
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    const svg = await s.handlers['runs.export']({ runId: out.runId, kind: 'confusion.svg', normalise: true });
    expect(svg.data).toContain('<svg');
    for (const l of ['ambient', 'drone', 'noise']) expect(svg.data).toContain(l);
    const csv = await s.handlers['runs.export']({ runId: out.runId, kind: 'predictions.csv' });
    expect(csv.data.split('\n')[0]).toBe('filename,label,predicted,confidence,ambient,drone,noise');

    const saved = await s.handlers['runs.saveModel']({ runId: out.runId, dir: join(dir, 'exported-model') });
    expect(saved.files).toContain('genrelab-model.json');
    expect(readdirSync(saved.dir)).toContain('genrelab-training.json');
    const pred = await predictFolder(saved.dir, join(dir, 'lib'), s.pool);
    expect(pred.predictions).toHaveLength(15);
    expect(pred.failed).toEqual([]);
    expect(pred.predictions[0]!.label).toBe('ambient');

    // The same through the contract, as the app does it: a job whose result carries the predictions.
    const { jobId } = await s.handlers['models.predict']({ runId: out.runId, path: join(dir, 'lib') });
    const info = await s.jobs.wait(jobId);
    expect(info.state).toBe('done');
    const r = info.result as { predictions: unknown[]; accuracy: number | null };
    expect(r.predictions).toHaveLength(15);
    expect(r.accuracy).not.toBeNull();
  });

  it('maps a dense run’s hidden layer: one point per track, coloured by the run’s predictions', async () => {
    expect(denseRun).toBeGreaterThan(0);
    const { mapId } = await s.startMap({ source: { kind: 'run', runId: denseRun }, method: 'pca', dims: 3 }).done;
    const map = s.maps.get(mapId)!;
    expect(map.n).toBe(15);
    expect(map.source).toMatch(/run #\d+ Dense network: input of .* \(32 units\)/);
    const preds = s.runs.predictions(denseRun);
    const tested = new Set(preds.map((p) => p.trackId));
    for (const m of map.meta) if (tested.has(m.trackId)) expect(m.predicted).not.toBeNull();
    // A kNN run has no hidden layer: a clear refusal, not a fake map.
    const knn = s.runs.list().find((r) => r.model === 'knn')!;
    await expect(s.startMap({ source: { kind: 'run', runId: knn.id }, method: 'pca', dims: 2 }).done).rejects.toMatchObject({ kind: 'unsupported' });
  });

  it('refuses a class with a single track with a clear message before training', async () => {
    makeLibrary(join(dir, 'lib2'), 1, ['solo']);
    makeLibrary(join(dir, 'lib2'), 3, ['pair']);
    const { folderId, done } = await s.startIngest(join(dir, 'lib2'), 'gtzan57');
    await done;
    const job = s.startTraining({ model: 'knn', folderIds: [folderId], evaluation: { kind: 'cv', folds: 2 } });
    await expect(job.done).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringContaining('solo') });
    expect(s.runs.list().every((r) => r.n !== 4)).toBe(true); // nothing stored for the refused run
  });
});
