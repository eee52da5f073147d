// The renderer's models (no React, no DOM) over the real WebSocket client, against a scripted
// loopback server: the named app state, a job that finishes before the call that started it
// returns, progress, cancellation and refresh.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { WireRequest } from '../../../src/shared/contract';
import type { AppInfo, JobInfo, LibraryFolder, TrackRow } from '../../../src/shared/types';
import { createWsClient, type SocketLike } from '../../../src/renderer/src/client/ws';
import { AppModel, deriveAppState, type AppState } from '../../../src/renderer/src/state/app';
import { LibraryModel } from '../../../src/renderer/src/state/library';

const INFO: AppInfo = {
  version: '0.0.0-test', transport: 'browser', dbPath: '/tmp/x.sqlite', dataDir: '/tmp', profiles: [],
  defaultProfile: 'gtzan57', workers: 2, backend: 'wasm', canPickFolder: false, demoPath: '/tmp/demo-library',
};

function job(id: string, state: JobInfo['state'], done: number, total: number, result: unknown = null): JobInfo {
  return {
    id, kind: 'ingest', state, progress: { jobId: id, kind: 'ingest', done, total, message: '' },
    startedAt: 0, finishedAt: state === 'running' ? null : 1500, result, error: null,
  };
}

const summary = (cancelled: boolean) => ({
  folderId: 1, tracks: 3, extracted: cancelled ? 1 : 3, unchanged: 0, failed: [], removed: 0, seconds: 1.5,
  decodeSeconds: 0, featureSeconds: 0, workers: 2, profile: 'gtzan57', cancelled, backend: 'wasm',
});

type Script = (m: WireRequest, send: (x: unknown) => void) => void;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(script: Script) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const calls: string[] = [];
  wss.on('connection', (s) => {
    const send = (x: unknown) => s.send(JSON.stringify(x));
    s.on('message', (d) => {
      const m = JSON.parse(String(d)) as WireRequest;
      calls.push(m.method);
      script(m, send);
    });
  });
  const client = createWsClient({
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    audioUrl: (id) => `/audio/${id}`,
    socket: (u) => new WebSocket(u) as unknown as SocketLike,
  });
  const app = new AppModel(client);
  const library = new LibraryModel(app);
  library.start();
  app.start();
  cleanups.push(
    () => new Promise<void>((r) => wss.close(() => r())),
    () => client.close(),
    () => library.dispose(),
    () => app.dispose(),
  );
  return { app, library, calls };
}

function until<T>(fn: () => T | undefined | false, ms = 3000): Promise<T> {
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

const FOLDER: LibraryFolder = { id: 1, path: '/music', addedAt: '', tracks: 3, failed: 0, profile: 'gtzan57', synthetic: false };
const TRACK = (id: number): TrackRow => ({
  id, folderId: 1, path: `/music/a/${id}.wav`, relPath: `a/${id}.wav`, label: 'a', labelSource: 'folder',
  duration: 3, sampleRate: 22050, channels: 1, status: 'ok', reason: null, segments: 1,
});

describe('deriveAppState', () => {
  const base: AppState = { link: { status: 'open', attempts: 0, message: null }, info: INFO, fatal: null, running: [], notices: [] };
  it('names the state from the link, the info, the initial load and running jobs', () => {
    expect(deriveAppState(base, true)).toBe('ready');
    expect(deriveAppState(base, false)).toBe('connecting');
    expect(deriveAppState({ ...base, info: null }, true)).toBe('connecting');
    expect(deriveAppState({ ...base, running: [job('j', 'running', 0, 1).progress] }, true)).toBe('busy');
    expect(deriveAppState({ ...base, fatal: 'boom' }, true)).toBe('error');
    expect(deriveAppState({ ...base, link: { status: 'reconnecting', attempts: 1, message: null } }, true)).toBe('connecting');
    expect(deriveAppState({ ...base, link: { status: 'reconnecting', attempts: 4, message: null } }, true)).toBe('error');
    expect(deriveAppState({ ...base, link: { status: 'closed', attempts: 0, message: null } }, true)).toBe('error');
  });
});

describe('LibraryModel over the WebSocket client', () => {
  it('handles a job that finishes before the call that started it returns', async () => {
    let tracks: TrackRow[] = [];
    const { app, library, calls } = await setup((m, send) => {
      const reply = (value: unknown) => send({ id: m.id, ok: true, value });
      switch (m.method) {
        case 'app.info': return reply(INFO);
        case 'jobs.list': return reply([]);
        case 'library.folders': return reply(tracks.length ? [FOLDER] : []);
        case 'library.tracks': return reply(tracks);
        case 'library.ingest':
          tracks = [TRACK(1), TRACK(2), TRACK(3)];
          send({ event: 'job.progress', payload: job('j1', 'running', 3, 3).progress });
          send({ event: 'job.finished', payload: job('j1', 'done', 3, 3, summary(false)) });
          return reply({ jobId: 'j1', folderId: 1 });
      }
    });
    await until(() => deriveAppState(app.get(), library.get().loaded) === 'ready');
    expect(library.get().tracks).toEqual([]);
    expect(await library.addFolder('  /music  ')).toBe(true);
    await until(() => library.get().tracks.length === 3);
    const s = library.get();
    expect(s.jobId).toBeNull();
    expect(s.summary).toEqual({ tone: 'ok', text: 'Ingest finished: extracted 3, unchanged 0, failed 0 · 1.5 s' });
    expect(app.get().running).toEqual([]);
    expect(deriveAppState(app.get(), s.loaded)).toBe('ready');
    expect(calls).toContain('library.ingest');
  });

  it('is busy while a job runs, cancels it, and reports the cancellation', async () => {
    const { app, library } = await setup((m, send) => {
      const reply = (value: unknown) => send({ id: m.id, ok: true, value });
      switch (m.method) {
        case 'app.info': return reply(INFO);
        case 'jobs.list': return reply([]);
        case 'library.folders': return reply([FOLDER]);
        case 'library.tracks': return reply([TRACK(1)]);
        case 'library.ingest':
          reply({ jobId: 'j2', folderId: 1 });
          return send({ event: 'job.progress', payload: { ...job('j2', 'running', 1, 40).progress, message: 'decoding x.wav' } });
        case 'jobs.cancel':
          reply({ cancelled: true });
          return send({ event: 'job.finished', payload: job('j2', 'cancelled', 1, 40, summary(true)) });
      }
    });
    await until(() => library.get().loaded);
    await library.addFolder('/music');
    await until(() => app.progressOf('j2'));
    expect(deriveAppState(app.get(), true)).toBe('busy');
    expect(library.get().jobId).toBe('j2');
    // A second job is refused while one runs.
    expect(await library.addFolder('/other')).toBe(false);
    await library.cancel();
    await until(() => library.get().summary);
    expect(library.get().summary!.text).toBe('Ingest cancelled after 1 file: extracted 1, unchanged 0, failed 0 · 1.5 s');
    expect(library.get().jobId).toBeNull();
    expect(deriveAppState(app.get(), true)).toBe('ready');
  });

  it('reports a refused call as a notice and stays usable', async () => {
    const { app, library } = await setup((m, send) => {
      const reply = (value: unknown) => send({ id: m.id, ok: true, value });
      switch (m.method) {
        case 'app.info': return reply(INFO);
        case 'jobs.list': return reply([]);
        case 'library.folders': return reply([]);
        case 'library.tracks': return reply([]);
        case 'library.ingest':
          return send({ id: m.id, ok: false, error: { kind: 'not-found', message: 'No such folder: /nope' } });
      }
    });
    await until(() => library.get().loaded);
    expect(await library.addFolder('/nope')).toBe(false);
    expect(app.get().notices.map((n) => [n.tone, n.text])).toEqual([['error', 'No such folder: /nope']]);
    expect(library.get().jobId).toBeNull();
    expect(deriveAppState(app.get(), true)).toBe('ready');
    // An empty path is not sent at all.
    expect(await library.addFolder('   ')).toBe(false);
    expect(library.get().dropHint).toMatch(/Type the path/);
  });
});
