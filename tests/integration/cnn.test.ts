// The CNN end to end through the services, on real files: a small synthetic library (the demo
// synthesiser's rock, jazz and classical styles, 4 clips of 7 s each = 2 segments per clip) ingested
// with the logmel profile, the `cnn` trained through the training service (held-out split, a few
// epochs) with its requirements filled in (logmel, 3-s segments), the run stored with per-segment
// predictions and its model; a map of the run's embedding layer; prediction from audio.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { Services } from '../../src/main/services';

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const PER = 4;
const SMALL = { filters: [4, 8], embedding: 8, maxEpochs: 3, validationFraction: 0, batchSize: 8 };
let dir: string;
let lib: string;
let s: Services;
let runId = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-cnn-'));
  lib = join(dir, 'lib');
  STYLES.forEach((style, si) => {
    mkdirSync(join(lib, style), { recursive: true });
    for (let i = 0; i < PER; i++) writeFileSync(join(lib, style, `${style}.${i}.wav`), encodeWav(synthesiseClip(style, 100 * si + i, 7, 22050), 22050, 16));
  });
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
}, 60_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cnn through the services', () => {
  it('ingests a folder with the logmel profile: one 64 × 130 patch per 3-second segment', async () => {
    const r = await (await s.startIngest(lib, 'logmel')).done;
    expect(r.profile).toBe('logmel');
    expect(r.extracted).toBe(STYLES.length * PER);
    expect(r.failed).toEqual([]);
    const [track] = s.store.tracks();
    const f = await s.handlers['features.get']({ trackId: track!.id });
    expect(f.profile).toBe('logmel');
    expect(f.columns.length).toBe(64 * 130);
    expect(f.segments.length).toBe(2);
    expect(f.segments[0]!.every(Number.isFinite)).toBe(true);
  });

  it('lists the cnn with its requirements and refuses another profile', async () => {
    const models = await s.handlers['train.models'](undefined);
    const cnn = models.find((m) => m.name === 'cnn')!;
    expect(cnn.requires).toMatchObject({ profile: 'logmel', segments: true });
    expect(() => s.startTraining({ model: 'cnn', profile: 'gtzan57' })).toThrow(/logmel/);
  });

  it('trains through the training service on segments and stores the run with its model', async () => {
    const epochs: number[] = [];
    const onEvent = (name: string, p: unknown) => {
      if (name === 'train.epoch') epochs.push((p as { point: { epoch: number } }).point.epoch);
    };
    s.bus.on('event', onEvent);
    const out = await s.startTraining({ model: 'cnn', evaluation: { kind: 'holdout', testFraction: 0.34 }, seed: 2, params: SMALL }).done;
    s.bus.off('event', onEvent);
    runId = out.runId;
    const run = s.runs.get(runId)!;
    expect(run.model).toBe('cnn');
    expect(run.profile).toBe('logmel');
    expect(run.segments).toBe(true);
    expect(run.metrics.unit).toBe('segment');
    expect(run.metrics.backend).toBe('wasm');
    expect(run.metrics.labels).toEqual(['classical', 'jazz', 'rock']);
    expect(run.metrics.trackLevel).not.toBeNull();
    expect(out.modelDir).not.toBeNull();
    expect(epochs.length).toBeGreaterThanOrEqual(3); // live epochs of the held-out fit
    const preds = s.runs.predictions(runId);
    expect(preds.length).toBeGreaterThan(0);
    expect(preds.length).toBeLessThan(STYLES.length * PER); // only held-out tracks are evaluated
    for (const p of preds) {
      expect(p.segments).toHaveLength(2);
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('maps the run’s embedding layer from the Map view’s run source: one point per track', async () => {
    const { mapId } = await s.startMap({ source: { kind: 'run', runId }, method: 'pca', dims: 2 }).done;
    const map = s.maps.get(mapId)!;
    expect(map.n).toBe(STYLES.length * PER);
    expect(map.source).toMatch(/embedding layer \(8 units\), mean over segments/);
    expect(map.labels).toEqual(['classical', 'jazz', 'rock']);
  });

  it('predicts a folder from audio with the run’s model (extracting logmel patches)', async () => {
    const { jobId } = await s.handlers['models.predict']({ runId, path: lib });
    const info = await s.jobs.wait(jobId);
    expect(info.error).toBeNull();
    const r = info.result as { predictions: Array<{ segments: unknown[] | null }>; accuracy: number | null };
    expect(r.predictions).toHaveLength(STYLES.length * PER);
    for (const p of r.predictions) expect(p.segments).toHaveLength(2);
    expect(r.accuracy).not.toBeNull();
  });
});
