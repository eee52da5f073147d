import type {
  EventName,
  MethodName,
  PayloadOf,
  ReqOf,
  ResOf,
  WireRequest,
} from '../../../shared/contract';
import { isEventName } from '../../../shared/contract';
import { AppError, isErrorShape } from '../../../shared/errors';
import type { LinkState, RendererClient } from './types';

/** The part of the WebSocket API this client uses (the DOM's WebSocket and the `ws` package both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WsClientOptions {
  /** `ws://host:port/ws?token=…` */
  url: string;
  audioUrl(trackId: number): string;
  /** Defaults to the DOM's WebSocket. */
  socket?: SocketFactory;
  /** Reconnect delay: `initial · 2^attempt`, capped at `max` (ms). */
  backoff?: { initial: number; max: number };
  /** How long a call may wait for a connection before it fails (ms). */
  queueTimeoutMs?: number;
  /** Timer functions, for tests that want to control time. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Pending {
  method: MethodName;
  frame: string;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  sent: boolean;
  timer: unknown;
}

const OPEN = 1;

/** Delay before reconnect attempt `attempt` (0-based): exponential back-off with a cap. */
export function backoffDelay(attempt: number, initial: number, max: number): number {
  return Math.min(max, initial * 2 ** Math.min(attempt, 30));
}

/**
 * The browser-mode client: the contract over one WebSocket. Requests carry an id and are matched
 * to responses; events are fanned out to listeners. When the socket drops, calls in flight are
 * rejected (their outcome is unknown), calls not yet sent wait for the next connection, and the
 * socket is reopened with exponential back-off.
 */
export function createWsClient(opts: WsClientOptions): RendererClient {
  const factory: SocketFactory = opts.socket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const { initial, max } = opts.backoff ?? { initial: 250, max: 5000 };
  const queueTimeoutMs = opts.queueTimeoutMs ?? 20_000;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const linkListeners = new Set<(s: LinkState) => void>();
  let state: LinkState = { status: 'connecting', attempts: 0, message: null };
  let socket: SocketLike | null = null;
  let reconnectTimer: unknown = null;
  let everOpen = false;

  const setState = (next: LinkState): void => {
    state = next;
    for (const fn of [...linkListeners]) fn(state);
  };

  const settle = (id: number): Pending | undefined => {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    if (p.timer !== null) clearTimer(p.timer);
    return p;
  };

  const send = (p: Pending): void => {
    if (!socket || socket.readyState !== OPEN) return;
    socket.send(p.frame);
    p.sent = true;
    if (p.timer !== null) {
      clearTimer(p.timer);
      p.timer = null;
    }
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (typeof m.id === 'number') {
      const p = settle(m.id);
      if (!p) return;
      if (m.ok === true) p.resolve(m.value);
      else if (isErrorShape(m.error)) p.reject(AppError.from(m.error));
      else p.reject(new AppError('internal', `Malformed response to ${p.method}`));
    } else if (isEventName(m.event)) {
      const set = listeners.get(m.event);
      if (set) for (const fn of [...set]) fn(m.payload);
    }
  };

  const scheduleReconnect = (): void => {
    if (state.status === 'closed' || reconnectTimer !== null) return;
    const delay = backoffDelay(state.attempts, initial, max);
    reconnectTimer = setTimer(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  const connect = (): void => {
    if (state.status === 'closed') return;
    let s: SocketLike;
    try {
      s = factory(opts.url);
    } catch (err) {
      setState({
        status: everOpen ? 'reconnecting' : 'connecting',
        attempts: state.attempts + 1,
        message: err instanceof Error ? err.message : String(err),
      });
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      everOpen = true;
      setState({ status: 'open', attempts: 0, message: null });
      for (const p of pending.values()) if (!p.sent) send(p);
    };
    s.onmessage = (ev) => {
      if (socket === s) onMessage(ev.data);
    };
    s.onerror = () => {
      /* a close event always follows */
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      const wasOpen = state.status === 'open';
      for (const [id, p] of [...pending]) {
        if (!p.sent) continue;
        settle(id);
        p.reject(
          new AppError('io', `The connection to Genrelab dropped while "${p.method}" was running; its outcome is unknown.`),
        );
      }
      if (state.status === 'closed') return;
      const why = ev.reason ? `${ev.reason} (code ${ev.code})` : `code ${ev.code}`;
      setState({
        status: everOpen ? 'reconnecting' : 'connecting',
        attempts: wasOpen ? 0 : state.attempts + 1,
        message: wasOpen ? `Connection lost: ${why}` : `Cannot connect to Genrelab: ${why}`,
      });
      scheduleReconnect();
    };
  };

  const client: RendererClient = {
    transport: 'browser',
    call<K extends MethodName>(name: K, req: ReqOf<K>): Promise<ResOf<K>> {
      if (state.status === 'closed') {
        return Promise.reject(new AppError('io', 'The Genrelab client is closed.'));
      }
      const id = nextId++;
      const wire: WireRequest = { id, method: name, req: req === undefined ? null : req };
      return new Promise<ResOf<K>>((resolve, reject) => {
        const p: Pending = {
          method: name,
          frame: JSON.stringify(wire),
          resolve: resolve as (v: unknown) => void,
          reject,
          sent: false,
          timer: null,
        };
        pending.set(id, p);
        if (socket && socket.readyState === OPEN) {
          send(p);
        } else {
          p.timer = setTimer(() => {
            if (settle(id)) {
              reject(new AppError('io', `Not connected to Genrelab: "${name}" waited ${Math.round(queueTimeoutMs / 1000)} s for a connection.`));
            }
          }, queueTimeoutMs);
        }
      });
    },
    on<E extends EventName>(name: E, fn: (payload: PayloadOf<E>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const f = fn as (p: unknown) => void;
      set.add(f);
      return () => {
        set.delete(f);
      };
    },
    audioUrl: opts.audioUrl,
    pathForFile: () => null,
    link: () => state,
    onLink(fn) {
      linkListeners.add(fn);
      return () => {
        linkListeners.delete(fn);
      };
    },
    close() {
      if (state.status === 'closed') return;
      if (reconnectTimer !== null) clearTimer(reconnectTimer);
      reconnectTimer = null;
      setState({ status: 'closed', attempts: state.attempts, message: 'Closed' });
      for (const [id, p] of [...pending]) {
        settle(id);
        p.reject(new AppError('io', `The Genrelab client was closed before "${p.method}" finished.`));
      }
      const s = socket;
      socket = null;
      s?.close(1000, 'client closed');
    },
  };
  connect();
  return client;
}
