// The run panel's "Why?" section: Shapley attributions of the run's model for the selected track and
// a per-class summary, computed as jobs in a worker, cancelable, cached with the run (the cache is
// read back when the panel opens or the track changes).
import type { JobInfo, RunAttributions, TrackPrediction } from '../../../shared/types';
import type { RendererClient } from '../client';
import { Store } from './store';

export type WhyStateName = 'idle' | 'loading' | 'computing' | 'ready' | 'error';

export interface WhyState {
  runId: number | null;
  /** The selected track (its prediction), whose attribution is shown. */
  track: TrackPrediction | null;
  data: RunAttributions | null;
  state: WhyStateName;
  /** The running job and what it computes. */
  jobId: string | null;
  scope: 'track' | 'global' | null;
  done: number;
  total: number;
  message: string | null;
  cancelling: boolean;
  /** Class shown in the track's bar chart (null: its predicted class) and in the beeswarm. */
  trackClass: string | null;
  globalClass: string | null;
  /** Rows of the global summary to compute. */
  rows: number;
}

function isAttributions(x: unknown): x is RunAttributions {
  return typeof x === 'object' && x !== null && 'runId' in x && 'global' in x;
}

export class AttributionModel extends Store<WhyState> {
  private readonly offs: Array<() => void> = [];

  constructor(private readonly client: RendererClient) {
    super({ runId: null, track: null, data: null, state: 'idle', jobId: null, scope: null, done: 0, total: 0, message: null, cancelling: false, trackClass: null, globalClass: null, rows: 40 });
    this.offs.push(
      client.on('job.progress', (p) => {
        if (p.jobId === this.get().jobId) this.set({ done: p.done, total: p.total });
      }),
      client.on('job.finished', (job) => this.onFinished(job)),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private trackRef(t: TrackPrediction | null): { trackId?: number | null; trackName?: string } {
    if (!t) return {};
    return t.trackId !== null ? { trackId: t.trackId } : { trackName: t.name };
  }

  /** Show a run (and its selected track): read what is cached. */
  async open(runId: number, track: TrackPrediction | null): Promise<void> {
    const s = this.get();
    if (s.runId === runId && s.track === track && s.data) return;
    const keepJob = s.runId === runId && s.jobId !== null;
    this.set({ runId, track, state: keepJob ? s.state : 'loading', message: null, trackClass: null });
    try {
      const data = await this.client.call('runs.attributions', { runId, ...this.trackRef(track) });
      if (this.get().runId !== runId || this.get().track !== track) return;
      this.set({ data, state: this.get().jobId ? 'computing' : 'ready' });
    } catch (err) {
      this.set({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  setRows(rows: number): void {
    this.set({ rows: Math.max(1, Math.min(1000, Math.round(rows) || 1)) });
  }

  setTrackClass(c: string | null): void {
    this.set({ trackClass: c });
  }

  setGlobalClass(c: string | null): void {
    this.set({ globalClass: c });
  }

  async explain(scope: 'track' | 'global'): Promise<void> {
    const s = this.get();
    if (s.runId === null || s.jobId || (scope === 'track' && !s.track)) return;
    this.set({ state: 'computing', scope, done: 0, total: 0, message: null, cancelling: false });
    try {
      const { jobId } = await this.client.call('runs.explain', { runId: s.runId, scope, rows: s.rows, ...(scope === 'track' ? this.trackRef(s.track) : {}) });
      this.set({ jobId });
    } catch (err) {
      this.set({ state: 'error', scope: null, message: err instanceof Error ? err.message : String(err) });
    }
  }

  async cancel(): Promise<void> {
    const { jobId } = this.get();
    if (!jobId) return;
    this.set({ cancelling: true });
    try {
      await this.client.call('jobs.cancel', { jobId });
    } catch (err) {
      this.set({ message: err instanceof Error ? err.message : String(err) });
    }
  }

  private onFinished(job: JobInfo): void {
    const s = this.get();
    if (job.id !== s.jobId) return;
    if (job.state === 'done' && isAttributions(job.result)) {
      const r = job.result;
      const data: RunAttributions = { runId: r.runId, global: r.global ?? s.data?.global ?? null, track: r.track ?? s.data?.track ?? null };
      // A track result belongs to the track that was selected when it started; keep it only if it still is.
      if (r.track && s.track && r.track.name !== s.track.name) data.track = s.data?.track ?? null;
      this.set({ data, state: 'ready', jobId: null, scope: null, cancelling: false });
    } else if (job.state === 'cancelled') {
      this.set({ state: 'ready', jobId: null, scope: null, cancelling: false, message: 'Cancelled; nothing was stored.' });
    } else {
      this.set({ state: 'error', jobId: null, scope: null, cancelling: false, message: job.error?.message ?? `The explanation ${job.state}` });
    }
  }
}

/** Top features of one class by |φ|: index, φ, in decreasing |φ|. */
export function topFeatures(phi: readonly (readonly number[])[], c: number, n: number): Array<{ i: number; phi: number }> {
  return phi
    .map((row, i) => ({ i, phi: row[c] ?? 0 }))
    .sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi) || a.i - b.i)
    .slice(0, n);
}
