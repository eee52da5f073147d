// Browser-mode transport: token on every request and socket, Host/Origin checks, the contract over
// WebSocket, events, and the audio route with Range support.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Services } from '../../src/main/services';
import { startBrowserServer, type BrowserServer } from '../../src/main/transport/server';
import { toneSample, writePcm16Wav } from '../helpers/wav';

let dir: string;
let services: Services;
let server: BrowserServer;
let trackId: number;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, method: string, req: unknown): Promise<{ ok: boolean; value?: unknown; error?: { kind: string } }> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data));
      if (m.id === id) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ id, method, req }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-server-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Genrelab test</title>');
  mkdirSync(join(dir, 'lib', 'blues'), { recursive: true });
  writePcm16Wav(join(dir, 'lib', 'blues', 'b.wav'), { sampleRate: 22050, channels: 1, frames: 22050 * 2, sample: toneSample(1, 22050) });
  services = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 1 });
  await (await services.startIngest(join(dir, 'lib'), 'meyda')).done;
  trackId = services.store.tracks()[0]!.id;
  server = await startBrowserServer(services, { port: 0, rendererDir: renderer });
});

afterAll(async () => {
  await server?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  it('binds to 127.0.0.1 and requires the token on every request', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const host = { Host: `127.0.0.1:${server.port}` };
    expect((await get('/', host)).status).toBe(403);
    expect((await get('/?token=wrong', host)).status).toBe(403);
    const ok = await get(`/?token=${server.token}`, host);
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toContain('Genrelab test');
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'self'");
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect((await get('/index.html', { ...host, Cookie: cookie })).status).toBe(200);
    // DNS-rebinding guard: a foreign Host header is refused even with the token.
    expect((await get(`/?token=${server.token}`, { Host: 'evil.example:80' })).status).toBe(403);
    // No escaping the renderer folder.
    expect([403, 404]).toContain((await get(`/..%2f..%2fetc%2fpasswd?token=${server.token}`, host)).status);
  });

  it('serves library audio by track id with Range support, and nothing else', async () => {
    const host = { Host: `127.0.0.1:${server.port}` };
    const full = await get(`/audio/${trackId}?token=${server.token}`, host);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('audio/wav');
    expect(full.body.subarray(0, 4).toString('ascii')).toBe('RIFF');
    const part = await get(`/audio/${trackId}?token=${server.token}`, { ...host, Range: 'bytes=4-11' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${full.body.length}`);
    expect(part.body.equals(full.body.subarray(4, 12))).toBe(true);
    const bad = await get(`/audio/${trackId}?token=${server.token}`, { ...host, Range: `bytes=${full.body.length}-` });
    expect(bad.status).toBe(416);
    expect((await get(`/audio/99999?token=${server.token}`, host)).status).toBe(404);
    expect((await get(`/audio/${trackId}`, host)).status).toBe(403);
  });

  it('speaks the contract over an authenticated WebSocket and checks Origin', async () => {
    await expect(connect('')).rejects.toThrow(/403/);
    await expect(connect(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    const ws = await connect(`?token=${server.token}`, `http://127.0.0.1:${server.port}`);
    try {
      const info = await call(ws, 1, 'app.info', null);
      expect(info.ok).toBe(true);
      expect((info.value as { transport: string }).transport).toBe('browser');
      const unknown = await call(ws, 2, 'fs.readFile', { path: '/etc/passwd' });
      expect(unknown.ok).toBe(false);
      expect(unknown.error!.kind).toBe('bad-request');
      const tracks = await call(ws, 3, 'library.tracks', {});
      expect((tracks.value as unknown[]).length).toBe(1);
      // Events reach the socket: a rescan job reports progress and finishes.
      const finished = new Promise<{ state: string }>((resolve) => {
        ws.on('message', (d) => {
          const m = JSON.parse(String(d));
          if (m.event === 'job.finished') resolve(m.payload);
        });
      });
      const folders = (await call(ws, 4, 'library.folders', null)).value as { id: number }[];
      const started = await call(ws, 5, 'library.rescan', { folderId: folders[0]!.id });
      expect(started.ok).toBe(true);
      expect((await finished).state).toBe('done');
      const missing = await call(ws, 6, 'library.ingest', { path: join(dir, 'nope') });
      expect(missing.ok).toBe(false);
      expect(missing.error!.kind).toBe('not-found');
    } finally {
      ws.close();
    }
  });
});
