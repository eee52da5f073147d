import type { EpochPoint, JobInfo, JobProgress, LibraryFolder, ModelInfo, RunMetrics } from '../../../shared/types';
import {
  buildTrainRequest,
  foldersForProfile,
  type FormErrors,
  initialForm,
  type ParamInput,
  profileOptions,
  toggleColumns,
  type TrainForm,
} from '../lib/training';
import { requirementPatch } from '../lib/modelRequirements';
import type { AppModel } from './app';
import type { LibraryModel } from './library';
import { RunModel } from './runs';
import { LossModel } from './trainLoss';
import { Store } from './store';

export type TrainState = 'idle' | 'training' | 'done' | 'error' | 'cancelled';

export interface BackendInfo {
  backend: string;
  skipped: { backend: string; reason: string }[];
}

export interface TrainingState {
  models: ModelInfo[];
  /** The tfjs backend tensor models train with here (null until asked). */
  backend: BackendInfo | null;
  form: TrainForm | null;
  errors: FormErrors;
  state: TrainState;
  /** The training job ('' while the start request is on its way). */
  jobId: string | null;
  /** Epoch points of the current (or last) job. */
  curves: EpochPoint[];
  cancelling: boolean;
  /** Why the last job failed, or what happened when it was cancelled. */
  message: string | null;
  /** The run the last job stored. */
  runId: number | null;
  /** Whether the model being trained reports epochs (tensor models). */
  epochs: boolean;
}

interface TrainResultShape {
  runId: number;
  metrics: RunMetrics;
}

function isTrainResult(x: unknown): x is TrainResultShape {
  return typeof x === 'object' && x !== null && typeof (x as TrainResultShape).runId === 'number';
}

/** Models that train without tensors (so without the tfjs backend, and without epochs). */
const PLAIN_JS_MODELS = new Set(['knn', 'tree']);

/** Whether a model trains with tfjs: the registry's flag when the service sends it, else by name. */
export function usesTensors(m: ModelInfo | undefined): boolean {
  if (!m) return false;
  const flag = (m as ModelInfo & { usesTensors?: boolean }).usesTensors;
  return typeof flag === 'boolean' ? flag : !PLAIN_JS_MODELS.has(m.name);
}

/**
 * How long buffered epoch points wait before they are published to the view (ms): 120 ms, growing
 * with the points drawn so far (1 ms per 20) up to 2 s, since each refresh redraws every line.
 */
export function epochFlushDelay(pointsSoFar: number): number {
  return Math.min(2000, Math.max(120, Math.round(pointsSoFar / 20)));
}

/**
 * The Training view's model: the form (filled from app info, the library's folders and the model
 * registry), the training job with its live curves and progress, and the panel of the run it stored.
 */
export class TrainingModel extends Store<TrainingState> {
  readonly run: RunModel;
  /** The Loss section: cross-entropy or a hyperbolic-distance loss (state/trainLoss.ts). */
  readonly loss: LossModel;
  private readonly offs: Array<() => void> = [];
  /** Epoch points of jobs whose id this model has not learned yet (the start call is in flight). */
  private readonly early = new Map<string, EpochPoint[]>();
  private pending: EpochPoint[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
  ) {
    super({
      models: [],
      backend: null,
      form: null,
      errors: {},
      state: 'idle',
      jobId: null,
      curves: [],
      cancelling: false,
      message: null,
      runId: null,
      epochs: false,
    });
    this.run = new RunModel(app, library);
    this.loss = new LossModel(app);
  }

  start(): void {
    const c = this.app.client;
    this.offs.push(
      this.app.onOpenLink(() => void this.load()),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      c.on('train.epoch', ({ jobId, point }) => this.onEpoch(jobId, point)),
      this.library.subscribe(() => this.syncFolders()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  async load(): Promise<void> {
    const c = this.app.client;
    try {
      const models = await c.call('train.models', undefined);
      this.set({ models });
      this.ensureForm();
    } catch (err) {
      this.app.reportError(err);
    }
    // Asking for the backend starts tfjs in a worker: do it after the form is usable.
    try {
      this.set({ backend: await c.call('train.backend', undefined) });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  /** The form, once the models, the app info and the library's folders are known. */
  private ensureForm(): void {
    const s = this.get();
    const info = this.app.get().info;
    const lib = this.library.get();
    if (s.form || !info || !lib.loaded || s.models.length === 0) return;
    this.set({ form: initialForm(info, lib.folders, s.models) });
  }

  /** Keep the chosen folders to those that still exist. */
  private syncFolders(): void {
    this.ensureForm();
    const form = this.get().form;
    if (!form || form.folderIds === null) return;
    const ids = new Set(this.library.get().folders.map((f) => f.id));
    const kept = form.folderIds.filter((id) => ids.has(id));
    if (kept.length !== form.folderIds.length) this.setForm({ folderIds: kept });
  }

  setForm(patch: Partial<TrainForm>): void {
    const form = this.get().form;
    if (!form) return;
    patch = { ...patch, ...requirementPatch(form, patch, this.get().models) };
    const next = { ...form, ...patch };
    // A different profile has different columns and folders: start from all of them.
    if (patch.profile !== undefined && patch.profile !== form.profile) {
      next.columns = null;
      next.folderIds = null;
    }
    this.set({ form: next, errors: {} });
  }

  setParam(key: string, value: ParamInput): void {
    const form = this.get().form;
    if (!form) return;
    const params = { ...form.params, [form.model]: { ...form.params[form.model], [key]: value } };
    this.setForm({ params });
  }

  resetParams(): void {
    const form = this.get().form;
    const model = this.get().models.find((m) => m.name === form?.model);
    const info = this.app.get().info;
    if (!form || !model || !info) return;
    const fresh = initialForm(info, [], [model]).params[model.name]!;
    this.setForm({ params: { ...form.params, [model.name]: fresh } });
  }

  /** The columns of the chosen profile (null for an imported table's own columns). */
  profileColumns(): string[] | null {
    const form = this.get().form;
    const info = this.app.get().info;
    if (!form || !info) return null;
    return profileOptions(info, this.library.get().folders).find((p) => p.name === form.profile)?.columns ?? null;
  }

  toggleColumns(columns: readonly string[], on: boolean): void {
    const form = this.get().form;
    const all = this.profileColumns();
    if (!form || !all) return;
    this.setForm({ columns: toggleColumns(all, form.columns, columns, on) });
  }

  toggleFolder(folderId: number, on: boolean): void {
    const form = this.get().form;
    if (!form) return;
    const all = foldersForProfile(this.library.get().folders, form.profile).map((f: LibraryFolder) => f.id);
    const set = new Set(form.folderIds ?? all);
    if (on) set.add(folderId);
    else set.delete(folderId);
    const ids = all.filter((id) => set.has(id));
    this.setForm({ folderIds: ids.length === all.length ? null : ids });
  }

  get busy(): boolean {
    return this.get().state === 'training';
  }

  /** The running job's progress (folds done / total), if any has arrived. */
  progress(): JobProgress | undefined {
    const id = this.get().jobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  async train(): Promise<boolean> {
    const s = this.get();
    if (!s.form || this.busy) return false;
    const { request, errors } = buildTrainRequest(s.form, s.models);
    if (!request) {
      this.set({ errors });
      return false;
    }
    const loss = this.loss.request(request.model);
    if (loss.error) {
      this.set({ errors: { loss: loss.error } });
      return false;
    }
    if (loss.loss) request.loss = loss.loss;
    const model = s.models.find((m) => m.name === request.model);
    this.pending = [];
    this.early.clear();
    this.set({ state: 'training', jobId: '', curves: [], cancelling: false, message: null, errors: {}, epochs: usesTensors(model) });
    try {
      const { jobId } = await this.app.client.call('train.start', request);
      this.pending.push(...(this.early.get(jobId) ?? []));
      this.early.clear();
      this.set({ jobId });
      this.scheduleFlush();
      const done = this.app.finishedJob(jobId);
      if (done) this.onJobFinished(done);
      return true;
    } catch (err) {
      this.set({ state: 'error', jobId: null, message: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  async cancel(): Promise<void> {
    const { jobId, state } = this.get();
    if (state !== 'training' || !jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  /** Leave the finished run and go back to the form's empty state. */
  reset(): void {
    if (this.busy) return;
    this.run.close();
    this.set({ state: 'idle', jobId: null, curves: [], message: null, runId: null });
  }

  private onEpoch(jobId: string, point: EpochPoint): void {
    const current = this.get().jobId;
    if (current === '') {
      let list = this.early.get(jobId);
      if (!list) this.early.set(jobId, (list = []));
      list.push(point);
      return;
    }
    if (jobId !== current) return;
    this.pending.push(point);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pending.length === 0) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, epochFlushDelay(this.get().curves.length));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    this.set({ curves: [...this.get().curves, ...points] });
  }

  private onJobFinished(job: JobInfo): void {
    if (job.id !== this.get().jobId) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flush();
    if (job.state === 'done' && isTrainResult(job.result)) {
      const runId = job.result.runId;
      this.set({ state: 'done', jobId: null, cancelling: false, runId, message: null });
      void this.run.open(runId);
    } else if (job.state === 'cancelled') {
      this.set({ state: 'cancelled', jobId: null, cancelling: false, message: 'Training was cancelled; no run was stored.' });
    } else {
      this.set({ state: 'error', jobId: null, cancelling: false, message: job.error?.message ?? `Training ${job.state}` });
    }
  }
}
