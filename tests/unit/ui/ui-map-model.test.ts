// The Map view's model (src/renderer/src/state/map.ts, no React, no DOM) over the real WebSocket
// client, against a scripted loopback server: frames that arrive before the call that started the
// job returns, frames applied in place, the stored map shown when the job finishes, cancel and
// failure, the cluster sweep, colouring and legend toggles, listening to a segment point, delete.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { WireRequest } from '../../../src/shared/contract';
import type { AppInfo, ClusterSweep, JobInfo, LibraryFolder, MapDetail, MapSummary, TrackRow } from '../../../src/shared/types';
import { createWsClient, type SocketLike } from '../../../src/renderer/src/client/ws';
import { AppModel } from '../../../src/renderer/src/state/app';
import { LibraryModel } from '../../../src/renderer/src/state/library';
import { MapModel } from '../../../src/renderer/src/state/map';

const INFO: AppInfo = {
  version: '0.0.0-test', transport: 'browser', dbPath: '/tmp/x.sqlite', dataDir: '/tmp', profiles: [], defaultProfile: 'gtzan57', workers: 2,
  backend: 'wasm', demoPath: '/tmp/demo', canPickFolder: false,
};
const FOLDER: LibraryFolder = { id: 1, path: '/music', addedAt: '', tracks: 2, failed: 0, profile: 'gtzan57', synthetic: false };
const TRACKS: TrackRow[] = [1, 2].map((id) => ({
  id, folderId: 1, path: `/music/${id}.wav`, relPath: `${id === 1 ? 'rock' : 'jazz'}/${id}.wav`, label: id === 1 ? 'rock' : 'jazz', labelSource: 'folder',
  duration: 9, sampleRate: 22050, channels: 1, status: 'ok', reason: null, segments: 3,
}));

const b64 = (values: number[]) => Buffer.from(Float32Array.from(values).buffer).toString('base64');
const job = (id: string, kind: string, state: JobInfo['state'], result: unknown = null, error: JobInfo['error'] = null): JobInfo => ({
  id, kind, state, progress: { jobId: id, kind, done: 1, total: 1, message: '' }, startedAt: 0, finishedAt: 10, result, error,
});

const SUMMARY: MapSummary = { id: 7, name: 't-SNE 3-D', createdAt: '2026-01-01T00:00:00Z', method: 'tsne', dims: 3, n: 4, source: 'gtzan57 features', trustworthiness: 0.9, seconds: 1, hasClusters: false };
const FINAL = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
const DETAIL: MapDetail = {
  ...SUMMARY,
  request: { source: { kind: 'features', segments: true }, method: 'tsne', dims: 3 },
  points: b64(FINAL),
  meta: [
    { trackId: 1, name: 'rock/1.wav [0–3 s]', label: 'rock', predicted: null },
    { trackId: 1, name: 'rock/1.wav [3–6 s]', label: 'rock', predicted: null },
    { trackId: 2, name: 'jazz/2.wav [0–3 s]', label: 'jazz', predicted: null },
    { trackId: null, name: 'table-row', label: 'jazz', predicted: null },
  ],
  labels: ['jazz', 'rock'],
  warnings: [],
  clusters: null,
};
const SWEEP: ClusterSweep = {
  space: 'map', seeds: 2, bestK: 2, bestMethod: 'kmeans',
  cells: [2, 3].flatMap((k) =>
    (['kmeans', 'gmm-full'] as const).map((method) => ({
      k, method, silhouette: { mean: 0.5 / k, sd: 0 }, calinskiHarabasz: { mean: 10, sd: 0 }, daviesBouldin: { mean: 0.4, sd: 0 }, accuracy: { mean: 0.75, sd: 0 },
      labels: k === 2 ? [0, 0, 1, 1] : [0, 1, 2, 2],
    })),
  ),
};

type Script = (m: WireRequest, send: (x: unknown) => void, reply: (v: unknown) => void) => boolean | void;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A loopback server answering the app's and library's calls; `script` answers the rest. */
async function setup(script: Script) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const calls: WireRequest[] = [];
  const state = { maps: [] as MapSummary[] };
  wss.on('connection', (s) => {
    const send = (x: unknown) => s.send(JSON.stringify(x));
    s.on('message', (d) => {
      const m = JSON.parse(String(d)) as WireRequest;
      calls.push(m);
      const reply = (value: unknown) => send({ id: m.id, ok: true, value });
      if (script(m, send, reply)) return;
      switch (m.method) {
        case 'app.info': return reply(INFO);
        case 'jobs.list': return reply([]);
        case 'library.folders': return reply([FOLDER]);
        case 'library.tracks': return reply(TRACKS);
        case 'maps.list': return reply(state.maps);
      }
    });
  });
  const client = createWsClient({
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    audioUrl: (id) => `/audio/${id}`,
    socket: (u) => new WebSocket(u) as unknown as SocketLike,
  });
  const app = new AppModel(client);
  const library = new LibraryModel(app);
  const map = new MapModel(app, library);
  library.start();
  map.start();
  app.start();
  cleanups.push(
    () => new Promise<void>((r) => wss.close(() => r())),
    () => client.close(),
    () => map.dispose(),
    () => library.dispose(),
    () => app.dispose(),
  );
  return { app, library, map, calls, state };
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

describe('MapModel over the WebSocket client', () => {
  it('applies frames that arrive before maps.start answers, then in place, then shows the stored map', async () => {
    let frames: (() => void) | null = null;
    let push: ((x: unknown) => void) | null = null;
    const { map, calls, state } = await setup((m, send, reply) => {
      if (m.method === 'maps.start') {
        push = send;
        // A frame before the reply (the job started and stepped before the call returned).
        send({ event: 'maps.frame', payload: { jobId: 'm1', iteration: 10, total: 100, dims: 3, points: b64([5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]) } });
        reply({ jobId: 'm1' });
        frames = () => {
          send({ event: 'maps.frame', payload: { jobId: 'other', iteration: 1, total: 9, dims: 3, points: b64([9, 9, 9]) } });
          send({ event: 'maps.frame', payload: { jobId: 'm1', iteration: 60, total: 100, dims: 3, points: b64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) } });
        };
        return true;
      }
      if (m.method === 'maps.get') {
        reply(DETAIL);
        return true;
      }
    });
    await until(() => map.get().form);
    map.setForm({ perplexity: '5', iterations: '100' });
    expect(await map.build()).toBe(true);
    expect(calls.find((c) => c.method === 'maps.start')!.req).toEqual({
      source: { kind: 'features', profile: 'gtzan57', segments: false }, method: 'tsne', dims: 3, perplexity: 5, iterations: 100, seed: 0,
    });
    const first = await until(() => map.get().cloud);
    expect(map.get().state).toBe('building');
    expect(Array.from(first.points)).toEqual([5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]);
    expect([first.n, first.dims, map.get().iteration, map.get().frames]).toEqual([4, 3, 10, 1]);
    frames!();
    const second = await until(() => (map.get().iteration === 60 ? map.get().cloud : null));
    // Same size: the same buffer, new content, a new version; the other job's frame is ignored.
    expect(second.points).toBe(first.points);
    expect(second.version).toBe(first.version + 1);
    expect(Array.from(second.points)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(map.get().frames).toBe(2);

    state.maps = [SUMMARY];
    // The job finishes: the stored map is fetched and shown.
    push!({ event: 'job.finished', payload: job('m1', 'map', 'done', { mapId: 7, warnings: [] }) });
    await until(() => map.get().state === 'ready');
    const s = map.get();
    expect(s.map!.id).toBe(7);
    expect(Array.from(s.cloud!.points)).toEqual(FINAL);
    expect(s.jobId).toBeNull();
    const col = map.colouring()!;
    expect(col.categories.map((c) => [c.key, c.count])).toEqual([['label:jazz', 2], ['label:rock', 2]]);
    expect(map.colouring()).toBe(col);
  });

  it('goes back to idle when the build is cancelled, and to error when it fails or is refused', async () => {
    let n = 0;
    const { map } = await setup((m, send, reply) => {
      if (m.method === 'maps.start') {
        n++;
        if (n === 3) {
          send({ id: m.id, ok: false, error: { kind: 'bad-request', message: 'A map needs at least 3 points (there are 2)' } });
          return true;
        }
        reply({ jobId: `c${n}` });
        if (n === 2) send({ event: 'job.finished', payload: job('c2', 'map', 'failed', null, { kind: 'internal', message: 'tsne produced a non-finite coordinate' }) });
        return true;
      }
      if (m.method === 'jobs.cancel') {
        reply({ cancelled: true });
        send({ event: 'job.finished', payload: job('c1', 'map', 'cancelled') });
        return true;
      }
    });
    await until(() => map.get().form);
    await map.build();
    expect(map.get().jobId).toBe('c1');
    // One build at a time.
    expect(await map.build()).toBe(false);
    await map.cancel();
    await until(() => map.get().state === 'idle');
    expect(map.get().message).toMatch(/cancelled; nothing was stored/);
    await map.build();
    await until(() => map.get().state === 'error');
    expect(map.get().message).toBe('tsne produced a non-finite coordinate');
    expect(await map.build()).toBe(false);
    expect(map.get().state).toBe('error');
    expect(map.get().message).toMatch(/at least 3 points/);
    // A bad form is not sent.
    map.setForm({ perplexity: '1' });
    expect(await map.build()).toBe(false);
    expect(map.get().errors.perplexity).toMatch(/Perplexity/);
  });

  it('runs a cluster sweep, picks the best clustering and colours by it; legend toggles; listening; delete', async () => {
    let detail: MapDetail = DETAIL;
    const { map, app, calls, state } = await setup((m, send, reply) => {
      if (m.method === 'maps.get') {
        reply(detail);
        return true;
      }
      if (m.method === 'maps.cluster') {
        detail = { ...DETAIL, clusters: SWEEP, hasClusters: true };
        reply({ jobId: 'k1' });
        send({ event: 'job.finished', payload: job('k1', 'cluster', 'done', SWEEP) });
        return true;
      }
      if (m.method === 'maps.delete') {
        state.maps = [];
        reply({ deleted: true });
        return true;
      }
    });
    state.maps = [SUMMARY];
    await until(() => map.get().listLoaded);
    await map.open(7);
    expect(map.get().state).toBe('ready');
    expect(map.get().clusterState).toBe('idle');

    map.setClusterForm({ kMin: '2', kMax: '3', seeds: '2' });
    expect(await map.runClusters()).toBe(true);
    await until(() => map.get().clusterState === 'ready');
    expect(calls.find((c) => c.method === 'maps.cluster')!.req).toEqual({ mapId: 7, kMin: 2, kMax: 3, seeds: 2, space: 'map' });
    expect(map.get().cluster).toEqual({ method: 'kmeans', k: 2 });
    map.chooseCluster({ method: 'gmm-full', k: 3 });
    expect(map.get().colourBy).toBe('cluster');
    expect(map.colouring()!.categories.map((c) => c.count)).toEqual([1, 1, 2]);

    map.setColourBy('label');
    map.toggleCategory('label:rock');
    expect([...map.get().hidden]).toEqual(['label:rock']);
    map.soloCategory('label:rock');
    expect([...map.get().hidden]).toEqual(['label:jazz']);
    map.soloCategory('label:rock');
    expect(map.get().hidden.size).toBe(0);

    // A segment point plays its track from the segment's start; a table row has no audio.
    map.play(1);
    expect(map.get().playing).toEqual({ index: 1, trackId: 1, start: 3, end: 6 });
    expect(map.trackOf(1)?.relPath).toBe('rock/1.wav');
    map.play(3);
    expect(map.get().playing?.index).toBe(1);
    expect(app.get().notices.at(-1)?.text).toMatch(/has no audio/);
    map.select([3, 0]);
    expect(map.get().selection).toEqual([0, 3]);

    await map.remove(7);
    expect(map.get().state).toBe('idle');
    expect(map.get().map).toBeNull();
    expect(map.get().maps).toEqual([]);
  });
});
