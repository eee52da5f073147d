// Genre dreams through the services and the CLI, on real files: a small synthetic library (the demo
// synthesiser's rock, jazz and classical styles, 4 clips of 7 s) ingested with the logmel profile, a
// small `cnn` trained through the training service; then a dream job (steps stream as events with
// spectrogram pictures, the dream is stored with its WAV, curve and figures, the genre means are
// cached beside the model), its exports, a cancelled dream that stores nothing (and stops within a
// second), refused requests, deletion; and `genrelab dream` on the saved model folder, with the
// cached means and with --db.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DreamStepEvent } from '../../src/shared/dream';
import { decodeBytes, encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { runCli } from '../helpers/cli';
import { Services } from '../../src/main/services';
import { GENRE_MEANS_FILE } from '../../src/main/services/dreams';

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const PER = 4;
const SMALL = { filters: [4, 8], embedding: 8, maxEpochs: 4, validationFraction: 0, batchSize: 8 };
let dir: string;
let s: Services;
let runId = 0;

async function job(jobId: string) {
  return s.jobs.wait(jobId);
}


function checkWav(bytes: Uint8Array, seconds: number): void {
  const ascii = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  expect(ascii(0)).toBe('RIFF');
  expect(ascii(8)).toBe('WAVE');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(dv.getUint16(20, true)).toBe(1); // PCM
  expect(dv.getUint16(34, true)).toBe(16);
  expect(dv.getUint32(40, true)).toBe(2 * Math.round(seconds * 22050));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-dream-'));
  const lib = join(dir, 'lib');
  STYLES.forEach((style, si) => {
    mkdirSync(join(lib, style), { recursive: true });
    for (let i = 0; i < PER; i++) writeFileSync(join(lib, style, `${style}.${i}.wav`), encodeWav(synthesiseClip(style, 100 * si + i, 7, 22050), 22050, 16));
  });
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: join(dir, 'data'), workers: 2 });
  expect((await (await s.startIngest(lib, 'logmel')).done).extracted).toBe(STYLES.length * PER);
  runId = (await s.startTraining({ model: 'cnn', evaluation: { kind: 'holdout', testFraction: 0.34 }, seed: 2, params: SMALL }).done).runId;
}, 300_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dreams through the services', () => {
  it('dreams a genre as a job with live steps, stores it with its WAV and figures, caches the genre means', async () => {
    const steps: DreamStepEvent[] = [];
    const changed: number[] = [];
    const onEvent = (name: string, p: unknown) => {
      if (name === 'dream.step') steps.push(p as DreamStepEvent);
      if (name === 'dream.changed') changed.push((p as { dreamId: number }).dreamId);
    };
    s.bus.on('event', onEvent);
    const { jobId } = await s.handlers['dream.start']({ runId, genre: 'jazz', seconds: 3, steps: 40, refineSteps: 5, griffinLimIterations: 60, seed: 3 });
    const info = await job(jobId);
    s.bus.off('event', onEvent);
    expect(info.state, JSON.stringify(info.error)).toBe('done');
    const { dreamId } = info.result as { dreamId: number };
    expect(changed).toEqual([dreamId]);
    // live: every step of both phases, in order, with a distance; pictures now and then
    const dreamSteps = steps.filter((e) => e.phase === 'dream');
    expect(dreamSteps.map((e) => e.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(steps.filter((e) => e.phase === 'refine')).toHaveLength(5);
    expect(dreamSteps.every((e) => e.jobId === jobId && Number.isFinite(e.distance))).toBe(true);
    const pictures = steps.filter((e) => e.spectrogram);
    expect(pictures.length).toBeGreaterThanOrEqual(2);
    const pic = pictures[0]!.spectrogram!;
    expect(pic.rows).toBe(64);
    expect(Buffer.from(pic.data, 'base64').length).toBe(pic.rows * pic.cols);
    expect(steps.some((e) => e.phase === 'griffin-lim')).toBe(true);

    const list = await s.handlers['dream.list'](undefined);
    expect(list.map((d) => d.id)).toEqual([dreamId]);
    const d = await s.handlers['dream.get']({ dreamId });
    expect(d.genre).toBe('jazz');
    expect(d.settings).toMatchObject({ runId, genre: 'jazz', seconds: 3, steps: 40, refineSteps: 5, seed: 3, objective: 'confident', domain: 'spectrogram', fromTrackId: null, backend: 'wasm' });
    expect(d.labels).toEqual(['classical', 'jazz', 'rock']);
    expect(d.curve).toHaveLength(41 + 6);
    expect(d.refineFrom).toBe(41);
    expect(d.curve.every(Number.isFinite)).toBe(true);
    expect(d.curve[40]!).toBeLessThan(d.curve[0]!);
    const f = d.figures;
    expect(f.distanceStart).toBeCloseTo(d.curve[0]!, 4);
    expect(f.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(f.audio.finite).toBe(true);
    expect(f.audio.peakDbfs).toBeCloseTo(-1, 2);
    expect(f.audio.clippedSamples).toBe(0);
    expect(f.audio.rmsDbfs).toBeGreaterThan(-40);
    expect(d.spectrogram.rows).toBe(64);

    // the means are cached beside the model, labelled like it
    const means = JSON.parse(readFileSync(join(s.runs.modelDir(runId)!, GENRE_MEANS_FILE), 'utf8'));
    expect(means.format).toBe('genrelab-genre-means');
    expect(means.labels).toEqual(['classical', 'jazz', 'rock']);
    expect(means.means).toHaveLength(3);
    expect(means.means[0]).toHaveLength(8);
    expect(means.source).toMatch(/training segments/);

    // exports: the WAV decodes to 3 s of finite, audible samples; the PNG and JSON
    const wav = await s.handlers['dream.export']({ dreamId, kind: 'wav' });
    expect(wav.filename).toBe(`dream-${dreamId}-jazz.wav`);
    const bytes = new Uint8Array(Buffer.from(wav.data, 'base64'));
    checkWav(bytes, 3);
    const audio = await decodeBytes(bytes, wav.filename);
    expect(audio.samples.length).toBe(3 * 22050);
    expect(audio.samples.every(Number.isFinite)).toBe(true);
    const png = await s.handlers['dream.export']({ dreamId, kind: 'png' });
    expect(Buffer.from(png.data, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    const json = JSON.parse((await s.handlers['dream.export']({ dreamId, kind: 'json' })).data);
    expect(json.figures.genre).toBe('jazz');
    expect(json.spectrogram).toBeUndefined();
  });

  it('starts from a library track, and dreams in the waveform domain', async () => {
    const track = s.store.tracks().find((t) => t.relPath.startsWith('rock/'))!;
    const a = await job((await s.handlers['dream.start']({ runId, genre: 'classical', seconds: 3, steps: 10, refineSteps: 0, fromTrackId: track.id })).jobId);
    expect(a.state, JSON.stringify(a.error)).toBe('done');
    const da = await s.handlers['dream.get']({ dreamId: (a.result as { dreamId: number }).dreamId });
    expect(da.settings.fromTrack).toBe(track.relPath);
    expect(da.name).toContain(`from ${track.relPath.split('/').pop()}`);
    expect(da.refineFrom).toBeNull();
    const w = await job((await s.handlers['dream.start']({ runId, genre: 'rock', seconds: 3, steps: 4, domain: 'waveform' })).jobId);
    expect(w.state, JSON.stringify(w.error)).toBe('done');
    const dw = await s.handlers['dream.get']({ dreamId: (w.result as { dreamId: number }).dreamId });
    expect(dw.settings.domain).toBe('waveform');
    expect(dw.settings.refineSteps).toBe(0);
    expect(dw.figures.spectralConvergence).toBeNull();
    expect(dw.curve).toHaveLength(5);
  });

  it('cancelling stops within a second and stores nothing; bad requests are refused before a job starts', async () => {
    const before = (await s.handlers['dream.list'](undefined)).length;
    let first: () => void = () => undefined;
    const stepped = new Promise<void>((r) => (first = r));
    const onEvent = (name: string) => {
      if (name === 'dream.step') first();
    };
    s.bus.on('event', onEvent);
    const { jobId } = await s.handlers['dream.start']({ runId, genre: 'rock', seconds: 5, steps: 5000 });
    await stepped;
    s.bus.off('event', onEvent);
    const t0 = performance.now();
    expect((await s.handlers['jobs.cancel']({ jobId })).cancelled).toBe(true);
    const info = await job(jobId);
    const ms = performance.now() - t0;
    expect(info.state).toBe('cancelled');
    expect(ms).toBeLessThan(1000);
    expect(await s.handlers['dream.list'](undefined)).toHaveLength(before);

    await expect(s.handlers['dream.start']({ runId, genre: 'disco' })).rejects.toThrow(/classical, jazz, rock/);
    await expect(s.handlers['dream.start']({ runId, genre: 'jazz', seconds: 1 })).rejects.toThrow(/3 to 30 seconds/);
    await expect(s.handlers['dream.start']({ runId: 999, genre: 'jazz' })).rejects.toThrow(/No run 999/);
    const knn = (await s.startTraining({ model: 'knn', profile: 'logmel', segments: true, evaluation: { kind: 'holdout', testFraction: 0.34 } }).done).runId;
    await expect(s.handlers['dream.start']({ runId: knn, genre: 'jazz' })).rejects.toThrow(/dreams need a convolutional network/);
  });

  it('deletes a dream', async () => {
    const [d] = await s.handlers['dream.list'](undefined);
    expect((await s.handlers['dream.delete']({ dreamId: d!.id })).deleted).toBe(true);
    expect((await s.handlers['dream.list'](undefined)).some((x) => x.id === d!.id)).toBe(false);
    await expect(s.handlers['dream.get']({ dreamId: d!.id })).rejects.toThrow(/No dream/);
  });
});

describe('genrelab dream', () => {
  it('dreams with a saved model folder (cached genre means) and prints the figures as JSON', async () => {
    const saved = join(dir, 'saved-model');
    await s.handlers['runs.saveModel']({ runId, dir: saved });
    expect(existsSync(join(saved, GENRE_MEANS_FILE))).toBe(true);
    const out = join(dir, 'cli-dream.wav');
    const r = await runCli(['dream', '--model', saved, '--genre', 'rock', '--seconds', '3', '--steps', '20', '--refine', '3', '--griffin-lim', '60', '--seed', '5', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(Object.keys(doc).slice(0, 5)).toEqual(['genre', 'targetProbability', 'distanceStart', 'distanceEnd', 'seconds']);
    expect(doc.genre).toBe('rock');
    expect(doc.seconds).toBe(3);
    expect(doc.targetProbability).toBeGreaterThanOrEqual(0);
    expect(doc.targetProbability).toBeLessThanOrEqual(1);
    expect(doc.distanceEnd).toBeGreaterThan(0);
    expect(doc.means).toContain(GENRE_MEANS_FILE);
    const bytes = new Uint8Array(readFileSync(out));
    checkWav(bytes, 3);
    const audio = await decodeBytes(bytes, 'cli-dream.wav');
    let sq = 0;
    for (const v of audio.samples) sq += v * v;
    expect(10 * Math.log10(sq / audio.samples.length)).toBeGreaterThan(-40);
  });

  it('computes the genre means from --db when the folder has none; refuses without', async () => {
    const bare = join(dir, 'bare-model');
    await s.handlers['runs.saveModel']({ runId, dir: bare });
    rmSync(join(bare, GENRE_MEANS_FILE));
    const out = join(dir, 'cli-db.wav');
    const refused = await runCli(['dream', '--model', bare, '--genre', 'jazz', '--seconds', '3', '--steps', '5', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/genre-means\.json.*--db/);
    const r = await runCli(['dream', '--model', bare, '--db', join(dir, 'g.sqlite'), '--genre', 'jazz', '--seconds', '3', '--steps', '5', '--refine', '0', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(doc.means).toMatch(/24 labelled segments/);
    checkWav(new Uint8Array(readFileSync(out)), 3);
  });
});
