// Long work as jobs: a handle with progress events and a cancel backed by an AbortController.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { AppError, toErrorShape } from '../../shared/errors';
import type { JobInfo, JobProgress } from '../../shared/types';

export interface JobContext {
  signal: AbortSignal;
  /** Report progress; throttled to ~10 events a second (the last one always goes out). */
  progress(done: number, total: number, message?: string): void;
  /** Throws an AppError('cancelled') if the job was cancelled. */
  checkCancelled(): void;
}

export interface JobEvents {
  progress: [JobProgress];
  finished: [JobInfo];
}

const KEEP_FINISHED = 50;

export class JobManager extends EventEmitter<JobEvents> {
  private jobs = new Map<string, { info: JobInfo; controller: AbortController; done: Promise<JobInfo> }>();

  start<R>(kind: string, run: (ctx: JobContext) => Promise<R>): { jobId: string; done: Promise<JobInfo<R>> } {
    const id = randomUUID();
    const controller = new AbortController();
    const info: JobInfo<R> = {
      id,
      kind,
      state: 'running',
      progress: { jobId: id, kind, done: 0, total: 0, message: 'starting' },
      startedAt: Date.now(),
      finishedAt: null,
      result: null,
      error: null,
    };
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const emitProgress = () => {
      pending = null;
      last = Date.now();
      this.emit('progress', { ...info.progress });
    };
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (done, total, message) => {
        info.progress = { jobId: id, kind, done, total, message: message ?? info.progress.message };
        const now = Date.now();
        if (done >= total || now - last >= 100) {
          if (pending) clearTimeout(pending);
          emitProgress();
        } else if (!pending) {
          pending = setTimeout(emitProgress, 100 - (now - last));
        }
      },
      checkCancelled: () => {
        if (controller.signal.aborted) throw new AppError('cancelled', 'Cancelled');
      },
    };
    const done = (async () => {
      try {
        info.result = await run(ctx);
        info.state = controller.signal.aborted ? 'cancelled' : 'done';
      } catch (err) {
        const shape = toErrorShape(err);
        info.state = shape.kind === 'cancelled' || controller.signal.aborted ? 'cancelled' : 'failed';
        info.error = shape;
      } finally {
        if (pending) clearTimeout(pending);
        info.finishedAt = Date.now();
        this.emit('finished', { ...info } as JobInfo);
        this.prune();
      }
      return info;
    })();
    this.jobs.set(id, { info: info as JobInfo, controller, done: done as Promise<JobInfo> });
    return { jobId: id, done };
  }

  cancel(jobId: string): boolean {
    const j = this.jobs.get(jobId);
    if (!j || j.info.state !== 'running') return false;
    j.controller.abort();
    return true;
  }

  get(jobId: string): JobInfo {
    const j = this.jobs.get(jobId);
    if (!j) throw new AppError('not-found', `no job ${jobId}`);
    return { ...j.info };
  }

  wait(jobId: string): Promise<JobInfo> {
    const j = this.jobs.get(jobId);
    if (!j) return Promise.reject(new AppError('not-found', `no job ${jobId}`));
    return j.done;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  running(): JobInfo[] {
    return this.list().filter((j) => j.state === 'running');
  }

  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.info.state === 'running') j.controller.abort();
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.info.id);
  }
}
