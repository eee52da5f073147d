// The Hyperbolic view's model (src/renderer/src/views/hyperbolic/model.ts, no React, no DOM) over the
// real WebSocket client against a scripted loopback server: epoch events that arrive before the call
// that started the job returns, the stored embedding opened when the job finishes (vectors decoded),
// a cancelled job's message, search by normalised name with "did you mean", stale query answers
// dropped, thresholds passed to the parent query, and the import error shown.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { WireRequest } from '../../../src/shared/contract';
import type { EmbeddingDetail, EmbeddingSummary, GenreGraphSummary } from '../../../src/shared/hyperbolic';
import type { AppInfo, JobInfo } from '../../../src/shared/types';
import { createWsClient, type SocketLike } from '../../../src/renderer/src/client/ws';
import { AppModel } from '../../../src/renderer/src/state/app';
import { HyperModel } from '../../../src/renderer/src/views/hyperbolic/model';

const INFO: AppInfo = {
  version: '0.0.0-test', transport: 'browser', dbPath: '/tmp/x.sqlite', dataDir: '/tmp', profiles: [], defaultProfile: 'gtzan57', workers: 2,
  backend: 'wasm', demoPath: '/tmp/demo', canPickFolder: false,
};
const GRAPH = { id: 3, name: 'tree', sourcePath: '/t.csv', createdAt: '', format: 'items', directed: false, tau: null, nodes: 3, edges: 2, report: {} } as unknown as GenreGraphSummary;
const settings = { dim: 2, epochs: 2, negatives: 1, burnIn: 1, lr: 0.1, seed: 0, directed: false, tau: null };
const SUMMARY: EmbeddingSummary = { id: 9, name: 'tree · 2-D · Poincaré', model: 'poincare', dim: 2, nodes: 3, edges: 2, createdAt: '', evaluation: { meanRank: 1, map: 1, nodes: 3, pairs: 4 }, graphId: 3, pairId: 10, settings, seconds: 0.1 };
const PAIR: EmbeddingSummary = { ...SUMMARY, id: 10, model: 'euclidean', pairId: 9, evaluation: { meanRank: 1.5, map: 0.8, nodes: 3, pairs: 4 } };
const VECTORS = [0, 0, 0.5, 0.1, -0.2, 0.7];
const DETAIL: EmbeddingDetail = { ...SUMMARY, names: ['hip hop', 'rock', 'queens hip hop'], vectors: Buffer.from(Float64Array.from(VECTORS).buffer).toString('base64'), losses: [] };
const job = (id: string, state: JobInfo['state'], result: unknown = null): JobInfo => ({
  id, kind: 'hyper-train', state, progress: { jobId: id, kind: 'hyper-train', done: 1, total: 1, message: '' }, startedAt: 0, finishedAt: 1, result, error: null,
});

type Script = (m: WireRequest, send: (x: unknown) => void, reply: (v: unknown) => void) => boolean | void;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(script: Script) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const calls: WireRequest[] = [];
  const state = { embeddings: [] as EmbeddingSummary[] };
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
        case 'hyper.graphs': return reply([GRAPH]);
        case 'hyper.embeddings': return reply(state.embeddings);
        case 'hyper.labels': return reply(['HipHop']);
        case 'hyper.get': return reply(DETAIL);
        case 'hyper.dendrogram': return reply({ leaves: [0, 1, 2], names: DETAIL.names, Z: [[0, 2, 1, 2], [1, 3, 2, 3]], order: [0, 2, 1], description: 'x' });
        case 'hyper.neighbours': return reply({ query: {}, hits: [] });
        case 'hyper.parents': return reply({ query: {}, hits: [] });
      }
    });
  });
  const client = createWsClient({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, audioUrl: (id) => `/audio/${id}`, socket: (u) => new WebSocket(u) as unknown as SocketLike });
  const app = new AppModel(client);
  const hyper = new HyperModel(app);
  hyper.start();
  app.start();
  cleanups.push(() => new Promise<void>((r) => wss.close(() => r())), () => client.close(), () => hyper.dispose(), () => app.dispose());
  return { app, hyper, calls, state };
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

describe('HyperModel over the WebSocket client', () => {
  it('keeps epoch events that arrive before hyper.train answers, then opens the stored embedding', async () => {
    let finish: (() => void) | null = null;
    const { hyper, calls, state } = await setup((m, send, reply) => {
      if (m.method === 'hyper.train') {
        send({ event: 'hyper.epoch', payload: { jobId: 'j1', model: 'poincare', epoch: 1, total: 3, loss: 2.5, burnIn: true } });
        send({ event: 'hyper.epoch', payload: { jobId: 'j1', model: 'euclidean', epoch: 1, total: 3, loss: 2.4, burnIn: true } });
        reply({ jobId: 'j1' });
        finish = () => {
          send({ event: 'hyper.epoch', payload: { jobId: 'other', model: 'poincare', epoch: 1, total: 3, loss: 9, burnIn: true } });
          send({ event: 'hyper.epoch', payload: { jobId: 'j1', model: 'poincare', epoch: 2, total: 3, loss: 2.0, burnIn: false } });
          state.embeddings = [PAIR, SUMMARY];
          send({ event: 'job.finished', payload: job('j1', 'done', { embeddingId: 9, euclideanId: 10 }) });
        };
        return true;
      }
    });
    await until(() => hyper.get().loaded && hyper.get().graphId === 3);
    expect(hyper.viewState()).toBe('empty');
    hyper.setForm({ dim: '2', epochs: '2', burnIn: '1' });
    expect(await hyper.train()).toBe(true);
    expect(calls.find((c) => c.method === 'hyper.train')!.req).toMatchObject({ graphId: 3, dim: 2, epochs: 2, burnIn: 1, euclidean: true });
    expect(hyper.viewState()).toBe('training');
    expect(hyper.get().losses.poincare).toEqual([{ epoch: 1, loss: 2.5 }]);
    expect(hyper.get().losses.euclidean).toEqual([{ epoch: 1, loss: 2.4 }]);
    finish!();
    const open = await until(() => hyper.get().open);
    expect(hyper.get().losses.poincare.map((l) => l.loss)).toEqual([2.5, 2.0]);
    expect(Array.from(open.X)).toEqual(VECTORS);
    expect([open.n, open.dim, open.pair?.id]).toEqual([3, 2, 10]);
    expect(hyper.viewState()).toBe('ready');
    await until(() => hyper.get().dendrogram);
    expect(hyper.get().labels).toEqual(['HipHop']);
  });

  it('says a cancelled training stored nothing', async () => {
    const { hyper } = await setup((m, send, reply) => {
      if (m.method === 'hyper.train') {
        reply({ jobId: 'j2' });
        setTimeout(() => send({ event: 'job.finished', payload: job('j2', 'cancelled') }), 20);
        return true;
      }
    });
    await until(() => hyper.get().graphId === 3);
    await hyper.train();
    await until(() => hyper.get().jobId === null);
    expect(hyper.get().trainMessage).toBe('Training was cancelled; nothing was stored.');
    expect(hyper.get().open).toBeNull();
  });

  it('searches by normalised name, centres on the genre, and suggests close names for unknown ones', async () => {
    const { hyper, calls, state } = await setup(() => undefined);
    state.embeddings = [SUMMARY];
    await until(() => hyper.get().open); // the stored embedding opens on first sight
    const seq = hyper.get().centre.seq;
    expect(hyper.search('Queens Hip-Hop')).toBe(true);
    expect(hyper.get().centre).toEqual({ index: 2, seq: seq + 1 });
    await until(() => hyper.get().selection && !hyper.get().selection!.loading);
    expect(hyper.get().selection!.index).toBe(2);
    expect(hyper.search('qeens hip hop')).toBe(false);
    expect(hyper.get().searchMessage).toContain('did you mean “queens hip hop”');
    expect(hyper.suggestions('hip')).toEqual(['hip hop', 'queens hip hop']);
    hyper.setThresholds({ maxAngle: 60, normRatio: 0.9 });
    await until(() => calls.filter((c) => c.method === 'hyper.parents').length >= 2);
    const last = calls.filter((c) => c.method === 'hyper.parents').pop()!.req as { minCos: number; normRatio: number; genre: string };
    expect(last.genre).toBe('queens hip hop');
    expect(last.minCos).toBeCloseTo(0.5, 12);
    expect(last.normRatio).toBe(0.9);
  });

  it('drops a stale neighbour answer when a newer selection was made', async () => {
    const pending: Array<() => void> = [];
    const { hyper, state } = await setup((m, _send, reply) => {
      if (m.method === 'hyper.neighbours') {
        const genre = (m.req as { genre: string }).genre;
        pending.push(() => reply({ query: {}, hits: [{ name: `${genre}-n`, index: 0, distance: 1, norm: 0, cos: 1 }] }));
        return true;
      }
    });
    state.embeddings = [SUMMARY];
    await until(() => hyper.get().open);
    void hyper.select(1);
    void hyper.select(2);
    await until(() => pending.length === 2);
    pending[1]!(); // the newer answer first
    await until(() => hyper.get().selection && !hyper.get().selection!.loading);
    pending[0]!();
    await new Promise((r) => setTimeout(r, 50));
    expect(hyper.get().selection!.index).toBe(2);
    expect(hyper.get().selection!.neighbours![0]!.name).toBe('queens hip hop-n');
  });

  it('shows an import error and refuses an empty path', async () => {
    const { hyper } = await setup((m, _send) => {
      if (m.method === 'hyper.import') {
        _send({ id: m.id, ok: false, error: { kind: 'not-found', message: 'No such file: /x.csv' } });
        return true;
      }
    });
    await until(() => hyper.get().loaded);
    expect(await hyper.importPath('  ')).toBe(false);
    expect(hyper.get().importError).toMatch(/path/);
    expect(await hyper.importPath('/x.csv')).toBe(false);
    expect(hyper.get().importError).toBe('No such file: /x.csv');
    expect(hyper.get().importing).toBe(false);
  });
});
