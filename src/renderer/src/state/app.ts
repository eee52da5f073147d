import type { AppInfo, JobInfo, JobProgress } from '../../../shared/types';
import type { LinkState, RendererClient } from '../client';
import { Store } from './store';

export type NoticeTone = 'info' | 'error';
export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
}

export interface AppState {
  link: LinkState;
  info: AppInfo | null;
  /** A problem that stops the app from working at all (no token, no engine). */
  fatal: string | null;
  /** Running jobs, in start order. */
  running: JobProgress[];
  notices: Notice[];
}

export type AppStateName = 'connecting' | 'ready' | 'busy' | 'error';

/** After this many failed attempts without ever connecting, the app says it is in error (and keeps trying). */
const ATTEMPTS_BEFORE_ERROR = 4;

/**
 * App-wide state: the link to the engine, the app info, running jobs and notices. Every view's
 * model uses it to learn about jobs and to report errors.
 */
export class AppModel extends Store<AppState> {
  private readonly offs: Array<() => void> = [];
  private readonly finished = new Map<string, JobInfo>();
  private readonly finishedListeners = new Set<(job: JobInfo) => void>();
  private readonly openListeners = new Set<() => void>();
  private nextNotice = 1;

  constructor(readonly client: RendererClient) {
    super({ link: client.link(), info: null, fatal: null, running: [], notices: [] });
  }

  start(): void {
    const c = this.client;
    this.offs.push(
      c.onLink((link) => {
        const wasOpen = this.get().link.status === 'open';
        this.set({ link });
        if (link.status === 'open' && !wasOpen) this.onOpen();
      }),
      c.on('job.progress', (p) => this.upsertProgress(p)),
      c.on('job.finished', (job) => this.finish(job)),
    );
    if (c.link().status === 'open') this.onOpen();
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** Called whenever the link (re)opens: views refresh their data. */
  onOpenLink(fn: () => void): () => void {
    this.openListeners.add(fn);
    if (this.get().link.status === 'open' && this.get().info) fn();
    return () => {
      this.openListeners.delete(fn);
    };
  }

  onJobFinished(fn: (job: JobInfo) => void): () => void {
    this.finishedListeners.add(fn);
    return () => {
      this.finishedListeners.delete(fn);
    };
  }

  /** A job that finished already (its event may arrive before the call that started it returns). */
  finishedJob(jobId: string): JobInfo | undefined {
    return this.finished.get(jobId);
  }

  progressOf(jobId: string): JobProgress | undefined {
    return this.get().running.find((p) => p.jobId === jobId);
  }

  async cancel(jobId: string): Promise<void> {
    try {
      await this.client.call('jobs.cancel', { jobId });
    } catch (err) {
      this.reportError(err);
    }
  }

  notify(tone: NoticeTone, text: string): void {
    const n: Notice = { id: this.nextNotice++, tone, text };
    this.set({ notices: [...this.get().notices.slice(-3), n] });
  }

  dismiss(id: number): void {
    this.set({ notices: this.get().notices.filter((n) => n.id !== id) });
  }

  reportError(err: unknown): void {
    this.notify('error', err instanceof Error ? err.message : String(err));
  }

  private async onOpen(): Promise<void> {
    const c = this.client;
    try {
      const [info, jobs] = await Promise.all([c.call('app.info', undefined), c.call('jobs.list', undefined)]);
      const runningIds = new Set(jobs.filter((j) => j.state === 'running').map((j) => j.id));
      // Jobs we thought were running may have finished while the link was down.
      const missed = this.get().running.filter((p) => !runningIds.has(p.jobId));
      this.set({
        info,
        fatal: null,
        running: jobs.filter((j) => j.state === 'running').map((j) => j.progress),
      });
      for (const p of missed) {
        const listed = jobs.find((j) => j.id === p.jobId);
        const job = listed ?? (await c.call('jobs.get', { jobId: p.jobId }).catch(() => null));
        if (job && job.state !== 'running') this.finish(job);
      }
      for (const fn of [...this.openListeners]) fn();
    } catch (err) {
      this.set({ fatal: `Genrelab did not answer: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private upsertProgress(p: JobProgress): void {
    if (this.finished.has(p.jobId)) return;
    const running = this.get().running;
    const i = running.findIndex((r) => r.jobId === p.jobId);
    this.set({ running: i < 0 ? [...running, p] : running.map((r, k) => (k === i ? p : r)) });
  }

  private finish(job: JobInfo): void {
    if (this.finished.has(job.id)) return;
    this.finished.set(job.id, job);
    if (this.finished.size > 100) this.finished.delete(this.finished.keys().next().value as string);
    this.set({ running: this.get().running.filter((r) => r.jobId !== job.id) });
    for (const fn of [...this.finishedListeners]) fn(job);
  }
}

/** The named state of the whole app, written to `document.body.dataset.appState` for tests and styles. */
export function deriveAppState(app: AppState, viewsLoaded: boolean): AppStateName {
  if (app.fatal) return 'error';
  if (app.link.status === 'closed') return 'error';
  if (app.link.status !== 'open') return app.link.attempts >= ATTEMPTS_BEFORE_ERROR ? 'error' : 'connecting';
  if (!app.info || !viewsLoaded) return 'connecting';
  return app.running.length > 0 ? 'busy' : 'ready';
}
