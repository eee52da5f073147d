// Browser mode: the same renderer and services over loopback HTTP + WebSocket.
// Bound to 127.0.0.1; a random per-launch token is required on every request and socket
// (query `token=` once, then an HttpOnly SameSite=Strict cookie); Host and Origin are checked.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { isMethodName, type WireEvent, type WireRequest, type WireResponse } from '../../shared/contract';
import { AppError, toErrorShape } from '../../shared/errors';
import type { Services } from '../services';
import { planAudio } from './audio';

const COOKIE = 'genrelab_token';
const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const c = req.headers.cookie;
  if (!c) return null;
  for (const part of c.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

export async function startBrowserServer(
  services: Services,
  opts: { port?: number; rendererDir: string; token?: string },
): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const deny = (res: ServerResponse, code: number, msg: string) => {
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(msg);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!allowedHosts().has(req.headers.host ?? '')) return deny(res, 403, 'Genrelab: wrong Host header');
      const q = url.searchParams.get('token');
      const authed = sameToken(q, token) || sameToken(cookieToken(req), token);
      if (!authed) {
        return deny(res, 403, 'Genrelab: this page needs the token printed by `genrelab serve` (open the URL it printed).');
      }
      if (sameToken(q, token)) {
        res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');

      const audio = /^\/audio\/(\d+)$/.exec(url.pathname);
      if (audio) return await serveAudio(services, Number(audio[1]), req, res);
      return await serveStatic(opts.rendererDir, url.pathname, req, res);
    } catch (err) {
      const e = toErrorShape(err);
      const code = e.kind === 'not-found' ? 404 : e.kind === 'bad-request' ? 400 : e.kind === 'forbidden' ? 403 : 500;
      if (!res.headersSent) deny(res, code, e.message);
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = req.headers.origin;
    const ok =
      url.pathname === '/ws' &&
      allowedHosts().has(req.headers.host ?? '') &&
      (origin === undefined || allowedOrigins().has(origin)) &&
      (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token));
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let msg: WireRequest;
      try {
        msg = JSON.parse(String(data)) as WireRequest;
      } catch {
        return;
      }
      const reply = (r: WireResponse) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(r));
      if (typeof msg?.id !== 'number') return;
      if (!isMethodName(msg.method)) {
        reply({ id: msg.id, ok: false, error: { kind: 'bad-request', message: `unknown method ${String(msg.method)}` } });
        return;
      }
      try {
        const handler = services.handlers[msg.method] as (req: unknown) => Promise<unknown>;
        const value = await handler(msg.req);
        reply({ id: msg.id, ok: true, value: value === undefined ? null : value });
      } catch (err) {
        reply({ id: msg.id, ok: false, error: toErrorShape(err) });
      }
    });
  });
  const onEvent = (name: string, payload: unknown) => {
    const text = JSON.stringify({ event: name, payload } as WireEvent);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  };
  services.bus.on('event', onEvent);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    close: async () => {
      services.bus.off('event', onEvent);
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function serveAudio(services: Services, id: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const plan = await planAudio(services.store, id, req.headers.range);
  res.writeHead(plan.status, plan.headers);
  if (plan.status === 416 || req.method === 'HEAD' || plan.start === undefined) {
    res.end();
    return;
  }
  const stream = createReadStream(plan.path, { start: plan.start, end: plan.end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob: data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:* blob: data:; " +
  "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let rel = decodeURIComponent(pathname);
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = normalize(join(root, rel));
  if (!file.startsWith(normalize(root) + sep)) throw new AppError('forbidden', 'outside the app');
  let s;
  try {
    s = await stat(file);
  } catch {
    if (rel === '/index.html') {
      throw new AppError('not-found', `The renderer is not built (${root} is missing): run \`npm run build\`.`);
    }
    throw new AppError('not-found', `not found: ${rel}`);
  }
  if (!s.isFile()) throw new AppError('not-found', `not found: ${rel}`);
  const type = STATIC_TYPES[extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Content-Length': String(s.size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.end(await readFile(file));
}
