// The Probes view's model: the form (a run with an embedding, the clips to probe), the probe job with
// progress and Cancel, the stored probes, the table shown (held-out or in-sample), and listening to a
// clip's original, pitch-shifted and tempo-shifted versions (WAV from the engine, played from a Blob URL).
import type { ProbeDetail, ProbeRequest, ProbeSummary, ProbeVersion } from '../../../../shared/probes';
import type { JobInfo, JobProgress, RunSummary } from '../../../../shared/types';
import { downloadText, exportedBlob } from '../../lib/download';
import type { AppModel } from '../../state/app';
import type { LibraryModel } from '../../state/library';
import { Store } from '../../state/store';
import { canProbe, type ProbeScope } from './probeTable';
import { startJob } from './ui';

/** `data-probe-state`. */
export type ProbeViewState = 'idle' | 'running' | 'ready' | 'error';
export type ClipSource = 'run' | 'folder' | 'path';

export interface ProbeForm {
  runId: number | null;
  source: ClipSource;
  folderId: number | null;
  path: string;
  maxClips: string;
  seed: string;
}

export interface Listening {
  clip: number;
  version: ProbeVersion;
  /** Blob URL of the WAV, once fetched. */
  url: string | null;
  state: 'loading' | 'ready' | 'playing' | 'error';
  message?: string;
}

export interface ProbesState {
  form: ProbeForm;
  errors: string[];
  runs: RunSummary[];
  list: ProbeSummary[];
  listLoaded: boolean;
  state: ProbeViewState;
  jobId: string | null;
  cancelling: boolean;
  message: string | null;
  probe: ProbeDetail | null;
  opening: number | null;
  scope: ProbeScope;
  listening: Listening | null;
  confirmDelete: number | null;
}

interface OutcomeShape {
  probeId: number;
}
const isOutcome = (x: unknown): x is OutcomeShape => typeof x === 'object' && x !== null && typeof (x as OutcomeShape).probeId === 'number';

/** The request a form makes, or what is wrong with it. */
export function buildProbeRequest(f: ProbeForm): { request: ProbeRequest | null; errors: string[] } {
  const errors: string[] = [];
  if (f.runId === null) errors.push('Choose a run with a saved dense network or CNN (train one in the Training view).');
  const req: ProbeRequest = { runId: f.runId ?? undefined };
  if (f.source === 'folder') {
    if (f.folderId === null) errors.push('Choose a library folder.');
    else req.folderIds = [f.folderId];
  } else if (f.source === 'path') {
    if (!f.path.trim()) errors.push('Type the path of a folder of audio.');
    else req.folder = f.path.trim();
  }
  if (f.maxClips.trim()) {
    const n = Number(f.maxClips);
    if (!Number.isInteger(n) || n < 2 || n > 5000) errors.push('At most … clips: a whole number from 2 to 5,000 (or empty for all).');
    else req.maxClips = n;
  }
  if (f.seed.trim()) {
    const s = Number(f.seed);
    if (!Number.isInteger(s) || s < 0) errors.push('Seed: a whole number ≥ 0.');
    else req.seed = s;
  }
  return { request: errors.length ? null : req, errors };
}

export class ProbesModel extends Store<ProbesState> {
  private readonly offs: Array<() => void> = [];
  private started = false;
  private audioSeq = 0;

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
  ) {
    super({
      form: { runId: null, source: 'run', folderId: null, path: '', maxClips: '', seed: '0' },
      errors: [],
      runs: [],
      list: [],
      listLoaded: false,
      state: 'idle',
      jobId: null,
      cancelling: false,
      message: null,
      probe: null,
      opening: null,
      scope: 'heldOut',
      listening: null,
      confirmDelete: null,
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const c = this.app.client;
    this.offs.push(
      this.app.onOpenLink(() => {
        void this.refreshRuns();
        void this.refreshList();
      }),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      c.on('runs.changed', () => void this.refreshRuns()),
      c.on('probe.changed', () => void this.refreshList()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.stopListening();
  }

  get folders() {
    return this.library.get().folders;
  }

  setForm(patch: Partial<ProbeForm>): void {
    this.set({ form: { ...this.get().form, ...patch }, errors: [] });
  }

  async refreshRuns(): Promise<void> {
    try {
      const runs = await this.app.client.call('runs.list', undefined);
      const form = this.get().form;
      const keep = form.runId !== null && runs.some((r) => r.id === form.runId && canProbe(r));
      const first = runs.find(canProbe);
      this.set({ runs, form: keep ? form : { ...form, runId: first?.id ?? null } });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  async refreshList(): Promise<void> {
    try {
      const list = await this.app.client.call('probe.list', undefined);
      this.set({ list, listLoaded: true });
      const open = this.get().probe;
      if (open && !list.some((p) => p.id === open.id)) this.set({ probe: null, state: this.get().state === 'ready' ? 'idle' : this.get().state });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  progress(): JobProgress | undefined {
    const id = this.get().jobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  async run(): Promise<boolean> {
    const s = this.get();
    if (s.state === 'running') return false;
    const { request, errors } = buildProbeRequest(s.form);
    if (!request) {
      this.set({ errors });
      return false;
    }
    this.stopListening();
    this.set({ state: 'running', jobId: '', cancelling: false, message: null, errors: [] });
    return startJob(
      this.app,
      () => this.app.client.call('probe.start', request),
      (jobId) => this.set({ jobId }),
      (job) => this.onJobFinished(job),
      (message) => this.set({ state: 'error', jobId: null, message }),
    );
  }

  async cancel(): Promise<void> {
    const { jobId, state } = this.get();
    if (state !== 'running' || !jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  private onJobFinished(job: JobInfo): void {
    const s = this.get();
    if (!s.jobId || job.id !== s.jobId) return;
    if (job.state === 'done' && isOutcome(job.result)) {
      this.set({ jobId: null, cancelling: false });
      void this.open(job.result.probeId);
      void this.refreshList();
    } else if (job.state === 'cancelled') {
      this.set({ state: s.probe ? 'ready' : 'idle', jobId: null, cancelling: false, message: 'The probe was cancelled; nothing was stored.' });
    } else {
      this.set({ state: 'error', jobId: null, cancelling: false, message: job.error?.message ?? `The probe ${job.state}` });
    }
  }

  async open(probeId: number): Promise<void> {
    this.set({ opening: probeId, confirmDelete: null });
    try {
      const probe = await this.app.client.call('probe.get', { probeId });
      this.stopListening();
      const held = probe.pitchTable.test.length > 0;
      // A probe job still running (it has a job id) keeps the view busy; otherwise the opened probe is shown.
      const running = this.get().state === 'running' && this.get().jobId !== null;
      this.set({ probe, state: running ? 'running' : 'ready', scope: held ? this.get().scope : 'inSample', message: running ? this.get().message : null });
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ opening: null });
    }
  }

  setScope(scope: ProbeScope): void {
    this.set({ scope });
  }

  askDelete(id: number | null): void {
    this.set({ confirmDelete: id });
  }

  async remove(probeId: number): Promise<void> {
    this.set({ confirmDelete: null });
    try {
      await this.app.client.call('probe.delete', { probeId });
      if (this.get().probe?.id === probeId) {
        this.stopListening();
        this.set({ probe: null, state: this.get().state === 'running' ? 'running' : 'idle' });
      }
      await this.refreshList();
    } catch (err) {
      this.app.reportError(err);
    }
  }

  /** Fetch a version of a clip as WAV and hand its Blob URL to the view's <audio>. */
  async listen(clip: number, version: ProbeVersion): Promise<void> {
    const p = this.get().probe;
    if (!p) return;
    const seq = ++this.audioSeq;
    this.revoke();
    this.set({ listening: { clip, version, url: null, state: 'loading' } });
    try {
      const file = await this.app.client.call('probe.audio', { probeId: p.id, clip, version, seconds: 10 });
      if (seq !== this.audioSeq) return;
      const url = URL.createObjectURL(exportedBlob(file));
      this.set({ listening: { clip, version, url, state: 'ready' } });
    } catch (err) {
      if (seq !== this.audioSeq) return;
      this.set({ listening: { clip, version, url: null, state: 'error', message: err instanceof Error ? err.message : String(err) } });
    }
  }

  setAudioState(state: Listening['state']): void {
    const l = this.get().listening;
    if (l && l.state !== state) this.set({ listening: { ...l, state } });
  }

  stopListening(): void {
    this.audioSeq++;
    this.revoke();
    if (this.get().listening) this.set({ listening: null });
  }

  private revoke(): void {
    const url = this.get().listening?.url;
    if (url) URL.revokeObjectURL(url);
  }

  /** The open probe's table as CSV (both scopes), for download. */
  exportCsv(): void {
    const p = this.get().probe;
    if (!p) return;
    const lines = ['scope,transform,params,pitch_mse,pitch_r2,pitch_nn_accuracy,tempo_mse,tempo_r2,tempo_nn_accuracy'];
    for (const scope of ['heldOut', 'inSample'] as const) {
      p.pitchTable.rows.forEach((row, i) => {
        const a = scope === 'heldOut' ? row.heldOut : row.inSample;
        const b = scope === 'heldOut' ? p.tempoTable.rows[i]!.heldOut : p.tempoTable.rows[i]!.inSample;
        if (!a || !b) return;
        lines.push([scope === 'heldOut' ? 'held-out' : 'in-sample', `"${row.label}"`, row.params, a.mse, a.r2, a.nnAccuracy, b.mse, b.r2, b.nnAccuracy].join(','));
      });
    }
    downloadText(`probe-${p.id}.csv`, lines.join('\n') + '\n');
  }
}

const models = new WeakMap<AppModel, ProbesModel>();

/** The one Probes model of an app (made and started on first use). */
export function probesModelFor(app: AppModel, library: LibraryModel): ProbesModel {
  let m = models.get(app);
  if (!m) {
    m = new ProbesModel(app, library);
    models.set(app, m);
    m.start();
  }
  return m;
}
