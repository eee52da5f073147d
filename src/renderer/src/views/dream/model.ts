// The Dream view's model: the form (a CNN run, a genre, length, steps, seed, a start track, the
// objective), the dream job with its live steps (distance curve, the spectrogram as it evolves),
// progress and Cancel; the gallery of stored dreams; the open dream, played from its WAV (fetched
// through the contract as the Probes view fetches its clips, handed to wavesurfer as a Blob), and its
// exports.
import { DREAM_DEFAULT_OBJECTIVE, DREAM_LIMITS, type DreamDetail, type DreamDomain, type DreamExportKind, type DreamObjective, type DreamRequest, type DreamStepEvent, type DreamSummary, type SpectrogramImage } from '../../../../shared/dream';
import type { JobInfo, JobProgress, RunSummary, TrackRow } from '../../../../shared/types';
import { downloadExported, exportedBlob } from '../../lib/download';
import type { AppModel } from '../../state/app';
import type { LibraryModel } from '../../state/library';
import { Store } from '../../state/store';
import { startJob } from '../probes/ui';

/** `data-dream-state`. */
export type DreamViewState = 'idle' | 'running' | 'ready' | 'error';

export interface DreamForm {
  runId: number | null;
  genre: string;
  seconds: string;
  steps: string;
  seed: string;
  /** null: start from low-level noise. */
  fromTrackId: number | null;
  objective: DreamObjective;
  domain: DreamDomain;
  refineSteps: string;
}

export interface LiveDream {
  jobId: string;
  genre: string;
  steps: number;
  refineSteps: number;
  /** [step, distance] of the dream's steps and of the waveform refinement's. */
  curve: Array<[number, number]>;
  refine: Array<[number, number]>;
  /** The newest spectrogram picture. */
  grid: SpectrogramImage | null;
  /** Pictures received so far (for the e2e test: the spectrogram did evolve). */
  frames: number;
  phase: DreamStepEvent['phase'];
  stage: string;
}

export interface DreamAudio {
  dreamId: number;
  /** The WAV's bytes, once fetched. */
  blob: Blob | null;
  state: 'loading' | 'ready' | 'error';
  message?: string;
}

export interface DreamsState {
  form: DreamForm;
  errors: string[];
  runs: RunSummary[];
  list: DreamSummary[];
  listLoaded: boolean;
  state: DreamViewState;
  jobId: string | null;
  cancelling: boolean;
  message: string | null;
  live: LiveDream | null;
  dream: DreamDetail | null;
  opening: number | null;
  audio: DreamAudio | null;
  confirmDelete: number | null;
}

/** Runs a dream can use: CNN runs that kept their model. */
export function canDream(r: RunSummary): boolean {
  return r.model === 'cnn' && r.hasModel;
}

const isOutcome = (x: unknown): x is { dreamId: number } => typeof x === 'object' && x !== null && typeof (x as { dreamId: unknown }).dreamId === 'number';

function wholeIn(text: string, name: string, lim: { min: number; max: number }, errors: string[]): number | undefined {
  if (!text.trim()) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < lim.min || n > lim.max) {
    errors.push(`${name}: a whole number from ${lim.min.toLocaleString('en')} to ${lim.max.toLocaleString('en')}.`);
    return undefined;
  }
  return n;
}

/** The request a form makes, or what is wrong with it. */
export function buildDreamRequest(f: DreamForm, runs: readonly RunSummary[]): { request: DreamRequest | null; errors: string[] } {
  const errors: string[] = [];
  const run = runs.find((r) => r.id === f.runId);
  if (!run || !canDream(run)) errors.push('Choose a trained CNN run that kept its model (train one in the Training view with the logmel profile).');
  else if (!run.labels.includes(f.genre)) errors.push('Choose one of the model’s genres.');
  const req: DreamRequest = { runId: f.runId ?? -1, genre: f.genre, objective: f.objective, domain: f.domain };
  if (f.seconds.trim()) {
    const s = Number(f.seconds);
    if (!(s >= DREAM_LIMITS.seconds.min && s <= DREAM_LIMITS.seconds.max)) errors.push(`Length: ${DREAM_LIMITS.seconds.min} to ${DREAM_LIMITS.seconds.max} seconds.`);
    else req.seconds = s;
  }
  req.steps = wholeIn(f.steps, 'Steps', DREAM_LIMITS.steps, errors);
  req.refineSteps = f.domain === 'spectrogram' ? wholeIn(f.refineSteps, 'Refinement steps', DREAM_LIMITS.refineSteps, errors) : 0;
  req.seed = wholeIn(f.seed, 'Seed', { min: 0, max: 0xffffffff }, errors);
  if (f.fromTrackId !== null) req.fromTrackId = f.fromTrackId;
  return { request: errors.length ? null : req, errors };
}

export class DreamsModel extends Store<DreamsState> {
  private readonly offs: Array<() => void> = [];
  private started = false;
  private audioSeq = 0;

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
  ) {
    super({
      form: {
        runId: null,
        genre: '',
        seconds: String(DREAM_LIMITS.seconds.default),
        steps: String(DREAM_LIMITS.steps.default),
        seed: '1',
        fromTrackId: null,
        objective: DREAM_DEFAULT_OBJECTIVE,
        domain: 'spectrogram',
        refineSteps: String(DREAM_LIMITS.refineSteps.default),
      },
      errors: [],
      runs: [],
      list: [],
      listLoaded: false,
      state: 'idle',
      jobId: null,
      cancelling: false,
      message: null,
      live: null,
      dream: null,
      opening: null,
      audio: null,
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
      c.on('dream.changed', () => void this.refreshList()),
      c.on('dream.step', (e) => this.onStep(e)),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.closeAudio();
  }

  /** Tracks a dream can start from: those with playable audio. */
  /** The library's tracks as the library store holds them (the same array until the library changes). */
  libraryTracks(): readonly TrackRow[] {
    return this.library.get().tracks;
  }

  /** Start from this library track (null: from noise). A stable function, for memoised pickers. */
  readonly pickTrack = (trackId: number | null): void => this.setForm({ fromTrackId: trackId });

  setForm(patch: Partial<DreamForm>): void {
    const form = { ...this.get().form, ...patch };
    // a new run: keep the genre if it knows it, else take its first
    if (patch.runId !== undefined) {
      const run = this.get().runs.find((r) => r.id === form.runId);
      if (run && !run.labels.includes(form.genre)) form.genre = run.labels[0] ?? '';
    }
    this.set({ form, errors: [] });
  }

  async refreshRuns(): Promise<void> {
    try {
      const runs = await this.app.client.call('runs.list', undefined);
      const form = this.get().form;
      const keep = runs.find((r) => r.id === form.runId && canDream(r));
      const run = keep ?? runs.find(canDream);
      const genre = run && run.labels.includes(form.genre) ? form.genre : (run?.labels[0] ?? '');
      this.set({ runs, form: { ...form, runId: run?.id ?? null, genre } });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  async refreshList(): Promise<void> {
    try {
      const list = await this.app.client.call('dream.list', undefined);
      this.set({ list, listLoaded: true });
      const open = this.get().dream;
      if (open && !list.some((d) => d.id === open.id)) {
        this.closeAudio();
        this.set({ dream: null, state: this.get().state === 'ready' ? 'idle' : this.get().state });
      }
    } catch (err) {
      this.app.reportError(err);
    }
  }

  progress(): JobProgress | undefined {
    const id = this.get().jobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  async dream(): Promise<boolean> {
    const s = this.get();
    if (s.state === 'running') return false;
    const { request, errors } = buildDreamRequest(s.form, s.runs);
    if (!request) {
      this.set({ errors });
      return false;
    }
    const live: LiveDream = {
      jobId: '',
      genre: request.genre,
      steps: request.steps ?? DREAM_LIMITS.steps.default,
      refineSteps: request.refineSteps ?? (request.domain === 'waveform' ? 0 : DREAM_LIMITS.refineSteps.default),
      curve: [],
      refine: [],
      grid: null,
      frames: 0,
      phase: 'dream',
      stage: 'starting',
    };
    this.set({ state: 'running', jobId: '', cancelling: false, message: null, errors: [], live });
    return startJob(
      this.app,
      () => this.app.client.call('dream.start', request),
      (jobId) => {
        const l = this.get().live;
        this.set({ jobId, live: l ? { ...l, jobId } : l });
      },
      (job) => this.onJobFinished(job),
      (message) => this.set({ state: 'error', jobId: null, message, live: null }),
    );
  }

  async cancel(): Promise<void> {
    const { jobId, state } = this.get();
    if (state !== 'running' || !jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  private onStep(e: DreamStepEvent): void {
    const l = this.get().live;
    if (!l || !l.jobId || e.jobId !== l.jobId) return;
    const next: LiveDream = { ...l, phase: e.phase };
    if (e.phase === 'dream' || e.phase === 'refine') {
      const key = e.phase === 'dream' ? 'curve' : 'refine';
      if (Number.isFinite(e.distance)) next[key] = [...l[key], [e.step - 1, e.distance]];
      next.stage = e.phase === 'dream' ? `step ${e.step} of ${e.steps}` : `refining the waveform: step ${e.step} of ${e.steps}`;
    } else if (e.phase === 'griffin-lim') next.stage = `Griffin–Lim: iteration ${e.step} of ${e.steps}`;
    else next.stage = e.phase === 'invert' ? 'mel → linear spectrogram' : 'finishing the audio';
    if (e.spectrogram) {
      next.grid = e.spectrogram;
      next.frames = l.frames + 1;
    }
    this.set({ live: next });
  }

  private onJobFinished(job: JobInfo): void {
    const s = this.get();
    if (!s.jobId || job.id !== s.jobId) return;
    if (job.state === 'done' && isOutcome(job.result)) {
      this.set({ jobId: null, cancelling: false });
      void this.open(job.result.dreamId);
      void this.refreshList();
    } else if (job.state === 'cancelled') {
      this.set({ state: s.dream ? 'ready' : 'idle', jobId: null, cancelling: false, live: null, message: 'The dream was cancelled; nothing was stored.' });
    } else {
      this.set({ state: 'error', jobId: null, cancelling: false, live: null, message: job.error?.message ?? `The dream ${job.state}` });
    }
  }

  async open(dreamId: number): Promise<void> {
    this.set({ opening: dreamId, confirmDelete: null });
    try {
      const dream = await this.app.client.call('dream.get', { dreamId });
      const running = this.get().state === 'running' && this.get().jobId !== null;
      this.set({ dream, state: running ? 'running' : 'ready', live: running ? this.get().live : null, message: running ? this.get().message : null });
      await this.loadAudio(dream.id);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ opening: null });
    }
  }

  /** Fetch the dream's WAV for the player. */
  private async loadAudio(dreamId: number): Promise<void> {
    const seq = ++this.audioSeq;
    this.set({ audio: { dreamId, blob: null, state: 'loading' } });
    try {
      const file = await this.app.client.call('dream.export', { dreamId, kind: 'wav' });
      if (seq !== this.audioSeq) return;
      this.set({ audio: { dreamId, blob: exportedBlob(file), state: 'ready' } });
    } catch (err) {
      if (seq !== this.audioSeq) return;
      this.set({ audio: { dreamId, blob: null, state: 'error', message: err instanceof Error ? err.message : String(err) } });
    }
  }

  private closeAudio(): void {
    this.audioSeq++;
    if (this.get().audio) this.set({ audio: null });
  }

  async exportFile(dreamId: number, kind: DreamExportKind): Promise<void> {
    try {
      const file = await this.app.client.call('dream.export', { dreamId, kind });
      downloadExported(file);
    } catch (err) {
      this.app.reportError(err);
    }
  }

  askDelete(id: number | null): void {
    this.set({ confirmDelete: id });
  }

  async remove(dreamId: number): Promise<void> {
    this.set({ confirmDelete: null });
    try {
      await this.app.client.call('dream.delete', { dreamId });
      if (this.get().dream?.id === dreamId) {
        this.closeAudio();
        this.set({ dream: null, state: this.get().state === 'running' ? 'running' : 'idle' });
      }
      await this.refreshList();
    } catch (err) {
      this.app.reportError(err);
    }
  }
}

const models = new WeakMap<AppModel, DreamsModel>();

/** The one Dream model of an app (made and started on first use). */
export function dreamsModelFor(app: AppModel, library: LibraryModel): DreamsModel {
  let m = models.get(app);
  if (!m) {
    m = new DreamsModel(app, library);
    models.set(app, m);
    m.start();
  }
  return m;
}
