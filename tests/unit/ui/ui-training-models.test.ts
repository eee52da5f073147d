// The Training and Runs models (no React, no DOM) over the real WebSocket client against a scripted
// loopback server: epoch events that arrive before the start call returns, a job that finishes
// before it, cancellation, form errors that never reach the engine, the run panel's derived data,
// and the Runs list following `runs.changed`.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventName, WireRequest } from '../../../src/shared/contract';
import type { AppInfo, EpochPoint, JobInfo, LevelReport, ModelInfo, RunDetail, RunSummary, TrackPrediction } from '../../../src/shared/types';
import { createWsClient, type SocketLike } from '../../../src/renderer/src/client/ws';
import { AppModel } from '../../../src/renderer/src/state/app';
import { LibraryModel } from '../../../src/renderer/src/state/library';
import { RunsModel } from '../../../src/renderer/src/state/runs';
import { epochFlushDelay, TrainingModel } from '../../../src/renderer/src/state/training';

const INFO: AppInfo = {
  version: 't', transport: 'browser', dbPath: '', dataDir: '', defaultProfile: 'p', workers: 2, backend: 'none', demoPath: '', canPickFolder: false,
  profiles: [{ name: 'p', description: 'test profile', columns: ['a_mean', 'a_var', 'b'] }],
};
const MODELS: ModelInfo[] = [
  { name: 'dense', label: 'Dense', description: '', usesTensors: true, params: [{ key: 'maxEpochs', label: 'Epochs', type: 'int', default: 3, min: 1 }] },
  { name: 'knn', label: 'kNN', description: '', usesTensors: false, params: [{ key: 'k', label: 'k', type: 'int', default: 5, min: 1 }] },
];
const FOLDERS = [{ id: 1, path: '/m', addedAt: '', tracks: 2, failed: 0, profile: 'p', synthetic: false }];

const level = (acc: number): LevelReport => ({
  accuracy: acc, macroF1: acc, macroPrecision: acc, macroRecall: acc, n: 4,
  perClass: [{ label: 'x', precision: 1, recall: 1, f1: 1, support: 2 }, { label: 'y', precision: 1, recall: 1, f1: 1, support: 2 }],
  confusion: [[2, 0], [1, 1]],
});
const SUMMARY: RunSummary = {
  id: 7, name: 'r', createdAt: '2024-01-01T00:00:00Z', model: 'dense', modelLabel: 'Dense', profile: 'p', segments: true, evaluation: '2-fold CV',
  labels: ['x', 'y'], accuracy: 0.75, macroF1: 0.75, trackAccuracy: 1, n: 4, backend: 'cpu', seconds: 1, hasModel: true,
};
const DETAIL: RunDetail = {
  ...SUMMARY, params: {}, request: { model: 'dense' }, curves: [], description: '',
  metrics: { ...level(0.75), labels: ['x', 'y'], folds: 2, unit: 'segment', foldAccuracy: [0.5, 1], trackLevel: level(1), backend: 'cpu', seconds: 1, warnings: [] },
};
const seg = (index: number, predicted: string) => ({ index, start: 3 * index, end: 3 * index + 3, predicted, confidence: 0.9 });
const PREDS: TrackPrediction[] = [
  { trackId: 11, name: 'x1.wav', label: 'x', predicted: 'x', confidence: 1, probs: [1, 0], fold: 0, segments: [seg(0, 'x'), seg(1, 'x')] },
  { trackId: 12, name: 'y1.wav', label: 'y', predicted: 'y', confidence: 0.5, probs: [0.5, 0.5], fold: 1, segments: [seg(0, 'x'), seg(1, 'y')] },
];
const point = (fold: number, epoch: number): EpochPoint => ({ fold, epoch, loss: 1 / (epoch + 1), acc: 0.5, valLoss: 1, valAcc: 0.5 });
const job = (id: string, state: JobInfo['state'], result: unknown = null): JobInfo => ({
  id, kind: 'train', state, progress: { jobId: id, kind: 'train', done: 3, total: 3, message: '' }, startedAt: 0, finishedAt: 1,
  result, error: state === 'failed' ? { kind: 'internal', message: 'boom' } : null,
});

type Send = (x: unknown) => void;
type Reply = (m: WireRequest, send: Send, event: (name: EventName, payload: unknown) => void) => unknown;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback server answering the basics, with `replies` overriding or adding methods. */
async function setup(replies: Partial<Record<string, Reply>>) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const calls: WireRequest[] = [];
  const base: Record<string, unknown> = {
    'app.info': INFO, 'jobs.list': [], 'library.folders': FOLDERS, 'library.tracks': [], 'train.models': MODELS,
    'train.backend': { backend: 'wasm', skipped: [] }, 'runs.list': [SUMMARY], 'runs.get': DETAIL, 'runs.predictions': PREDS,
  };
  wss.on('connection', (s) => {
    const send: Send = (x) => s.send(JSON.stringify(x));
    const event = (name: EventName, payload: unknown) => send({ event: name, payload });
    s.on('message', (d) => {
      const m = JSON.parse(String(d)) as WireRequest;
      calls.push(m);
      const r = replies[m.method];
      const value = r ? r(m, send, event) : base[m.method];
      if (value !== undefined) send({ id: m.id, ok: true, value });
    });
  });
  const client = createWsClient({
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    audioUrl: (id) => `/audio/${id}`,
    socket: (u) => new WebSocket(u) as unknown as SocketLike,
  });
  const app = new AppModel(client);
  const library = new LibraryModel(app);
  const training = new TrainingModel(app, library);
  const runs = new RunsModel(app, library);
  library.start();
  training.start();
  runs.start();
  app.start();
  cleanups.push(
    () => new Promise<void>((r) => wss.close(() => r())),
    () => client.close(),
    () => training.dispose(),
    () => runs.dispose(),
    () => library.dispose(),
    () => app.dispose(),
  );
  const sent = (method: string) => calls.filter((c) => c.method === method);
  return { app, training, runs, sent, wss };
}

function until<T>(fn: () => T | undefined | false | null, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      const v = fn();
      if (v) return resolve(v);
      if (Date.now() - t0 > ms) return reject(new Error('condition not met in time'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('TrainingModel', () => {
  it('keeps epochs and the finish that arrive before train.start answers, then opens the stored run', async () => {
    const { training, sent } = await setup({
      'train.start': (m, send, event) => {
        // Everything happens before the reply: epochs of two folds, then the end of the job.
        for (const p of [point(0, 0), point(0, 1), point(1, 0)]) event('train.epoch', { jobId: 'j1', point: p });
        event('train.epoch', { jobId: 'other', point: point(5, 0) });
        event('job.finished', job('j1', 'done', { runId: 7, metrics: DETAIL.metrics }));
        send({ id: m.id, ok: true, value: { jobId: 'j1' } });
        return undefined;
      },
    });
    await until(() => training.get().form);
    expect(training.get().form).toMatchObject({ profile: 'p', model: 'dense', folds: '10' });
    expect(await training.train()).toBe(true);
    await until(() => training.get().state === 'done');
    expect(training.get().curves).toEqual([point(0, 0), point(0, 1), point(1, 0)]);
    expect(training.get().runId).toBe(7);
    const req = sent('train.start')[0]!.req as Record<string, unknown>;
    expect(req).toMatchObject({ model: 'dense', profile: 'p', params: { maxEpochs: 3 }, evaluation: { kind: 'cv', folds: 10 } });
    // The run panel loads the run and derives its matrix and lists.
    const panel = training.run;
    await until(() => panel.get().run);
    expect(panel.get().level).toBe('segment');
    const mx = panel.matrix()!;
    expect(mx.unit).toBe('segments');
    expect(mx.view.cells.map((r) => r.map((c) => c.count))).toEqual([[2, 0], [1, 1]]);
    panel.selectCell(1, 0);
    expect(panel.cellTracks().map((t) => [t.pred.name, t.inCell, t.total])).toEqual([['y1.wav', 1, 2]]);
    panel.setLevel('track');
    expect(panel.get().cell).toBeNull();
    expect(panel.matrix()!.unit).toBe('tracks');
    expect(panel.misclassified()).toEqual([]);
    // A track with no library row has no audio: a stand-in row, no regions.
    panel.openTrack(1);
    const open = panel.openTrackInfo()!;
    expect(open.row).toMatchObject({ id: 12, status: 'no-audio', relPath: 'y1.wav' });
    expect(open.regions).toEqual([]);
  });

  it('follows a job to its cancellation and keeps the curves drawn so far', async () => {
    const { training, sent } = await setup({
      'train.start': (_m, _send, event) => {
        setTimeout(() => event('train.epoch', { jobId: 'j2', point: point(0, 0) }), 20);
        return { jobId: 'j2' };
      },
      'jobs.cancel': (m, _send, event) => {
        setTimeout(() => event('job.finished', job('j2', 'cancelled')), 10);
        return { cancelled: true };
      },
    });
    await until(() => training.get().form);
    training.setForm({ model: 'knn', segments: true });
    expect(await training.train()).toBe(true);
    expect(training.get().state).toBe('training');
    expect(training.get().epochs).toBe(false);
    await until(() => training.get().curves.length === 1);
    await training.cancel();
    await until(() => training.get().state === 'cancelled');
    expect(sent('jobs.cancel').map((c) => c.req)).toEqual([{ jobId: 'j2' }]);
    expect(training.get().curves).toHaveLength(1);
    expect(training.get().message).toMatch(/cancelled/);
    expect((sent('train.start')[0]!.req as Record<string, unknown>).segments).toBe(true);
  });

  it('reports a failed job and never sends a form with errors', async () => {
    const { training, sent } = await setup({
      'train.start': (_m, _send, event) => {
        setTimeout(() => event('job.finished', job('j3', 'failed')), 10);
        return { jobId: 'j3' };
      },
    });
    await until(() => training.get().form);
    training.setForm({ folds: 'ten' });
    expect(await training.train()).toBe(false);
    expect(training.get().errors.folds).toMatch(/whole number/);
    expect(training.get().state).toBe('idle');
    expect(sent('train.start')).toHaveLength(0);
    training.setForm({ folds: '3' });
    expect(training.get().errors).toEqual({});
    training.toggleColumns(['a_mean', 'a_var'], false);
    expect(training.get().form!.columns).toEqual(['b']);
    training.toggleFolder(1, false);
    expect(training.get().form!.folderIds).toEqual([]);
    expect(await training.train()).toBe(false);
    expect(Object.keys(training.get().errors)).toEqual(['folders']);
    training.toggleFolder(1, true);
    expect(training.get().form!.folderIds).toBeNull();
    expect(await training.train()).toBe(true);
    await until(() => training.get().state === 'error');
    expect(training.get().message).toBe('boom');
    expect(sent('train.start')[0]!.req).toMatchObject({ columns: ['b'], evaluation: { kind: 'cv', folds: 3 } });
  });
});

describe('epoch flushing', () => {
  it('refreshes the curves every 120 ms at first, less often as they grow, at most every 2 s', () => {
    expect([0, 2400, 2401, 10_000, 40_000, 1e6].map(epochFlushDelay)).toEqual([120, 120, 120, 500, 2000, 2000]);
  });
});

describe('RunsModel', () => {
  it('lists runs, refreshes on runs.changed, compares two, and closes a deleted open run', async () => {
    const list: RunSummary[] = [SUMMARY, { ...SUMMARY, id: 8, accuracy: 0.5 }];
    const { runs, sent, wss } = await setup({
      'runs.list': () => list.slice(),
      'runs.get': (m) => ({ ...DETAIL, id: (m.req as { runId: number }).runId }),
      'runs.delete': (m) => {
        const id = (m.req as { runId: number }).runId;
        list.splice(list.findIndex((r) => r.id === id), 1);
        return { deleted: true };
      },
    });
    await until(() => runs.get().runs.length === 2);
    runs.toggleCompare(7);
    runs.toggleCompare(8);
    runs.toggleCompare(7);
    runs.toggleCompare(7);
    expect(runs.get().compare).toEqual([8, 7]);
    await runs.compare();
    const cmp = runs.get().comparison!;
    expect([cmp.a.id, cmp.b.id]).toEqual([8, 7]);
    expect(cmp.result.rows.find((r) => r.key === 'trackAccuracy')!.delta).toBe(0);

    // A new run somewhere else: the list follows the event.
    list.push({ ...SUMMARY, id: 9 });
    for (const c of wss.clients) c.send(JSON.stringify({ event: 'runs.changed', payload: { runId: 9 } }));
    await until(() => runs.get().runs.length === 3);

    runs.openRun(7);
    await until(() => runs.detail.get().run?.id === 7);
    expect(runs.get().page).toBe('run');
    await runs.deleteRun(7);
    expect(sent('runs.delete').map((c) => c.req)).toEqual([{ runId: 7 }]);
    expect(runs.get().runs.map((r) => r.id)).toEqual([8, 9]);
    expect(runs.get().compare).toEqual([8]);
    expect(runs.get().comparison).toBeNull();
    expect(runs.detail.get().runId).toBeNull();
    expect(runs.get().page).toBe('list');
  });
});
