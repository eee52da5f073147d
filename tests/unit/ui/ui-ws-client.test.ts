// The browser-mode client against a real WebSocket server (the `ws` package) on loopback:
// request/response matching, error values, events, a dropped socket, reconnect and close.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../../src/shared/errors';
import type { WireRequest } from '../../../src/shared/contract';
import type { LinkState, RendererClient } from '../../../src/renderer/src/client/types';
import { backoffDelay, createWsClient, type SocketLike } from '../../../src/renderer/src/client/ws';

type Handler = (msg: WireRequest, socket: WebSocket) => void;

interface TestServer {
  port: number;
  wss: WebSocketServer;
  sockets: Set<WebSocket>;
  received: WireRequest[];
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

async function startServer(port = 0): Promise<TestServer> {
  const wss = new WebSocketServer({ port, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const sockets = new Set<WebSocket>();
  const received: WireRequest[] = [];
  let handler: Handler = (msg, s) => s.send(JSON.stringify({ id: msg.id, ok: true, value: { echo: msg.req } }));
  wss.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('message', (data) => {
      const msg = JSON.parse(String(data)) as WireRequest;
      received.push(msg);
      handler(msg, s);
    });
  });
  return {
    port: (wss.address() as AddressInfo).port,
    wss,
    sockets,
    received,
    setHandler: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.terminate();
        wss.close(() => r());
      }),
  };
}

const clients: RendererClient[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

function makeClient(port: number, extra: Partial<Parameters<typeof createWsClient>[0]> = {}): RendererClient {
  const c = createWsClient({
    url: `ws://127.0.0.1:${port}/ws?token=t`,
    audioUrl: (id) => `/audio/${id}?token=t`,
    socket: (url) => new WebSocket(url) as unknown as SocketLike,
    backoff: { initial: 20, max: 80 },
    ...extra,
  });
  clients.push(c);
  return c;
}

function waitLink(c: RendererClient, pred: (s: LinkState) => boolean): Promise<LinkState> {
  if (pred(c.link())) return Promise.resolve(c.link());
  return new Promise((resolve) => {
    const off = c.onLink((s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the cap (closed form min(max, initial·2^n))', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 250, 5000))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(1000, 250, 5000)).toBe(5000);
  });
});

describe('createWsClient', () => {
  it('matches responses to requests by id, even out of order, and queues calls made before the socket opens', async () => {
    const srv = await startServer();
    servers.push(srv);
    const held: WireRequest[] = [];
    srv.setHandler((msg, s) => {
      held.push(msg);
      if (held.length === 3) {
        // Answer in reverse order.
        for (const m of [...held].reverse()) s.send(JSON.stringify({ id: m.id, ok: true, value: { n: (m.req as { folderId: number }).folderId * 10 } }));
      }
    });
    const c = makeClient(srv.port);
    expect(c.link().status).toBe('connecting');
    const [a, b, d] = await Promise.all([
      c.call('library.tracks', { folderId: 1 }),
      c.call('library.tracks', { folderId: 2 }),
      c.call('library.tracks', { folderId: 3 }),
    ]);
    expect([a, b, d]).toEqual([{ n: 10 }, { n: 20 }, { n: 30 }]);
    expect(c.link().status).toBe('open');
    expect(srv.received.map((m) => m.method)).toEqual(['library.tracks', 'library.tracks', 'library.tracks']);
    expect(new Set(srv.received.map((m) => m.id)).size).toBe(3);
  });

  it('rejects with an AppError carrying the kind and message of an error response', async () => {
    const srv = await startServer();
    servers.push(srv);
    srv.setHandler((msg, s) =>
      s.send(JSON.stringify({ id: msg.id, ok: false, error: { kind: 'not-found', message: 'no folder 9' } })),
    );
    const c = makeClient(srv.port);
    const err = await c.call('library.removeFolder', { folderId: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('not-found');
    expect((err as AppError).message).toBe('no folder 9');
  });

  it('delivers events to their listeners until unsubscribed, and ignores unknown events', async () => {
    const srv = await startServer();
    servers.push(srv);
    const c = makeClient(srv.port);
    const got: unknown[] = [];
    const off = c.on('job.progress', (p) => got.push(p));
    await waitLink(c, (s) => s.status === 'open');
    const p1 = { jobId: 'j1', kind: 'ingest', done: 1, total: 4, message: 'a.wav' };
    const sock = [...srv.sockets][0]!;
    sock.send(JSON.stringify({ event: 'job.progress', payload: p1 }));
    sock.send(JSON.stringify({ event: 'not.an.event', payload: 1 }));
    sock.send('not json');
    // A round trip after the events guarantees they have been processed (one ordered socket).
    await c.call('app.info', undefined);
    expect(got).toEqual([p1]);
    off();
    sock.send(JSON.stringify({ event: 'job.progress', payload: { ...p1, done: 2 } }));
    await c.call('app.info', undefined);
    expect(got).toEqual([p1]);
  });

  it('rejects calls in flight when the socket drops, reconnects with back-off, and sends calls made meanwhile', async () => {
    const srv = await startServer();
    servers.push(srv);
    srv.setHandler(() => {
      /* never answers */
    });
    const c = makeClient(srv.port);
    const statuses: string[] = [];
    c.onLink((s) => statuses.push(s.status));
    await waitLink(c, (s) => s.status === 'open');
    const inflight = c.call('jobs.list', undefined);
    await new Promise((r) => setTimeout(r, 30));
    expect(srv.received.length).toBe(1);

    // Drop every socket, and refuse new ones for a while by closing the server.
    const port = srv.port;
    await srv.close();
    servers.pop();
    const err = await inflight.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('io');
    expect((err as AppError).message).toMatch(/dropped while "jobs.list"/);
    expect(c.link().status).toBe('reconnecting');

    const queued = c.call('jobs.get', { jobId: 'x' });
    await new Promise((r) => setTimeout(r, 120));
    expect(c.link().attempts).toBeGreaterThan(0);

    const srv2 = await startServer(port);
    servers.push(srv2);
    expect(await queued).toEqual({ echo: { jobId: 'x' } });
    expect(c.link().status).toBe('open');
    expect(c.link().attempts).toBe(0);
    expect(statuses[0]).toBe('open');
    expect(statuses).toContain('reconnecting');
    expect(statuses[statuses.length - 1]).toBe('open');
  });

  it('fails a call that waits too long for a connection', async () => {
    // A port with nothing listening: take one from a server and close it.
    const srv = await startServer();
    const port = srv.port;
    await srv.close();
    const c = makeClient(port, { queueTimeoutMs: 100 });
    const t0 = Date.now();
    const err = await c.call('app.info', undefined).catch((e: unknown) => e);
    expect((err as AppError).kind).toBe('io');
    expect((err as AppError).message).toMatch(/Not connected/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(c.link().status).toBe('connecting');
  });

  it('close() rejects pending calls and stops reconnecting', async () => {
    const srv = await startServer();
    servers.push(srv);
    srv.setHandler(() => {});
    const c = makeClient(srv.port);
    await waitLink(c, (s) => s.status === 'open');
    const p = c.call('jobs.list', undefined);
    await new Promise((r) => setTimeout(r, 20));
    c.close();
    await expect(p).rejects.toThrow(/closed before "jobs.list"/);
    expect(c.link().status).toBe('closed');
    await expect(c.call('app.info', undefined)).rejects.toThrow(/closed/);
    await new Promise((r) => setTimeout(r, 100));
    expect(srv.sockets.size).toBe(0);
  });

  it('builds audio URLs with the token and has no local paths for dropped files', async () => {
    const srv = await startServer();
    servers.push(srv);
    const c = makeClient(srv.port);
    expect(c.audioUrl(42)).toBe('/audio/42?token=t');
    expect(c.transport).toBe('browser');
    expect(c.pathForFile({ name: 'x' } as File)).toBeNull();
  });
});
