// A worker_threads pool: one worker per core by default. Tasks are typed by TaskMap; a task whose
// AbortSignal fires is dropped from the queue, or — if running — its worker is terminated at once
// and replaced, so cancellation is prompt even inside a long computation.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { AppErrorShape } from '../../shared/types';
import type { TaskMap, TaskName, TaskProgress } from './tasks';

interface Pending {
  seq: number;
  task: TaskName;
  payload: unknown;
  onProgress?: (p: unknown) => void;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: Pending | null;
}

/** The repository root (the folder holding Genrelab's package.json). */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'genrelab') return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** Where the worker entry is: the built bundle, or the TypeScript source run through tsx (tests, dev). */
export function workerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const root = appRoot();
  const built = join(root, 'out', 'main', 'worker.js');
  if (!here.endsWith('.ts') && existsSync(built)) return { file: built, execArgv: [] };
  return { file: join(root, 'src', 'main', 'jobs', 'worker-dev.mjs'), execArgv: [] };
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export class WorkerPool {
  private slots: (Slot | null)[];
  private queue: Pending[] = [];
  private seq = 0;
  private destroyed = false;
  private readonly entry = workerEntry();

  constructor(readonly size: number = defaultWorkerCount()) {
    if (!Number.isInteger(size) || size < 1) throw new AppError('bad-request', `workers must be ≥ 1 (got ${size})`);
    this.slots = new Array<Slot | null>(size).fill(null);
  }

  /**
   * Run a task on a free worker. `onProgress` receives what the task reports through its context
   * (TaskMap[K]['progress']), e.g. per-epoch training curves.
   */
  run<K extends TaskName>(
    task: K,
    payload: TaskMap[K]['payload'],
    signal?: AbortSignal,
    onProgress?: (p: TaskProgress<K>) => void,
  ): Promise<TaskMap[K]['result']> {
    if (this.destroyed) return Promise.reject(new AppError('internal', 'worker pool is closed'));
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled'));
    return new Promise((resolve, reject) => {
      const p: Pending = {
        seq: ++this.seq,
        task,
        payload,
        resolve: resolve as (v: unknown) => void,
        reject,
        signal,
        onProgress: onProgress as ((p: unknown) => void) | undefined,
      };
      if (signal) {
        p.onAbort = () => this.abort(p);
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Busy + queued tasks. */
  get load(): number {
    return this.queue.length + this.slots.filter((s) => s?.busy).length;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const p of this.queue.splice(0)) this.settle(p, new AppError('cancelled', 'worker pool closed'));
    await Promise.all(
      this.slots.map(async (s, i) => {
        if (!s) return;
        this.slots[i] = null;
        if (s.busy) this.settle(s.busy, new AppError('cancelled', 'worker pool closed'));
        await s.worker.terminate();
      }),
    );
  }

  private spawn(index: number): Slot {
    const worker = new Worker(this.entry.file, { execArgv: this.entry.execArgv });
    worker.unref();
    let readyResolve!: () => void;
    const slot: Slot = { worker, busy: null, ready: new Promise((r) => (readyResolve = r)) };
    worker.on('message', (msg: { ready?: boolean; seq?: number; ok?: boolean; value?: unknown; error?: AppErrorShape; progress?: unknown }) => {
      if (msg.ready) {
        readyResolve();
        return;
      }
      const p = slot.busy;
      if (!p || p.seq !== msg.seq) return;
      if (msg.progress !== undefined) {
        p.onProgress?.(msg.progress);
        return;
      }
      slot.busy = null;
      if (msg.ok) this.settle(p, null, msg.value);
      else this.settle(p, AppError.from(msg.error ?? { kind: 'internal', message: 'worker failed' }));
      this.pump();
    });
    const onDeath = (why: string) => {
      if (this.slots[index] !== slot) return; // already replaced (terminated on purpose)
      this.slots[index] = null;
      if (slot.busy) this.settle(slot.busy, new AppError('internal', `worker crashed: ${why}`));
      slot.busy = null;
      this.pump();
    };
    worker.on('error', (err) => onDeath(err.message));
    worker.on('exit', (code) => onDeath(`exit code ${code}`));
    this.slots[index] = slot;
    return slot;
  }

  private pump(): void {
    if (this.destroyed) return;
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      let slot = this.slots[i];
      if (slot?.busy) continue;
      if (!slot) slot = this.spawn(i);
      const p = this.queue.shift()!;
      slot.busy = p;
      const s = slot;
      void s.ready.then(() => {
        if (s.busy === p) s.worker.postMessage({ seq: p.seq, task: p.task, payload: p.payload });
      });
    }
  }

  private abort(p: Pending): void {
    const qi = this.queue.indexOf(p);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.settle(p, new AppError('cancelled', 'Cancelled'));
      return;
    }
    const i = this.slots.findIndex((s) => s?.busy === p);
    if (i >= 0) {
      const s = this.slots[i]!;
      this.slots[i] = null; // replaced lazily by pump()
      s.busy = null;
      void s.worker.terminate();
      this.settle(p, new AppError('cancelled', 'Cancelled'));
      this.pump();
    }
  }

  private settle(p: Pending, err: unknown, value?: unknown): void {
    if (p.signal && p.onAbort) p.signal.removeEventListener('abort', p.onAbort);
    if (err) p.reject(err);
    else p.resolve(value);
  }
}
