// The Hyperbolic view's model: imported co-occurrence graphs, the training form and job with its live
// loss curves, the stored embeddings, the open embedding (vectors decoded), the selected genre with
// its neighbours and parents, the genre the disk is centred on, the dendrogram, and the exports.
import type {
  DendrogramResult,
  EmbeddingDetail,
  EmbeddingSummary,
  GenreGraphSummary,
  GenreHit,
  HyperEpochEvent,
  HyperExportKind,
  HyperTrainRequest,
} from '../../../../shared/hyperbolic';
import { normaliseGenre, suggestGenres } from '../../../../shared/hyperbolic';
import type { JobInfo, JobProgress } from '../../../../shared/types';
import { downloadBlob, downloadExported } from '../../lib/download';
import type { AppModel } from '../../state/app';
import { Store } from '../../state/store';

/** The view's named state (`data-hyper-state`). */
export type HyperViewState = 'empty' | 'importing' | 'training' | 'ready';

export interface TrainForm {
  dim: string;
  epochs: string;
  negatives: string;
  burnIn: string;
  lr: string;
  seed: string;
  directed: boolean;
  tau: string;
  euclidean: boolean;
  name: string;
}

export const INITIAL_TRAIN_FORM: TrainForm = {
  dim: '10',
  epochs: '50',
  negatives: '10',
  burnIn: '10',
  lr: '0.1',
  seed: '0',
  directed: false,
  tau: '0.3',
  euclidean: true,
  name: '',
};

export type FormErrors = Partial<Record<keyof TrainForm | 'graph', string>>;

/** The training request a form asks for, or the errors that stop it. */
export function buildTrainRequest(form: TrainForm, graphId: number | null): { request: HyperTrainRequest | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const int = (key: keyof TrainForm, label: string, lo: number, hi: number): number => {
    const v = Number(String(form[key]).trim());
    if (String(form[key]).trim() === '' || !Number.isInteger(v) || v < lo || v > hi) errors[key] = `${label}: a whole number from ${lo} to ${hi}`;
    return v;
  };
  const dim = int('dim', 'Dimension', 2, 100);
  const epochs = int('epochs', 'Epochs', 1, 5000);
  const negatives = int('negatives', 'Negatives', 1, 200);
  const burnIn = int('burnIn', 'Burn-in', 0, 1000);
  const seed = int('seed', 'Seed', 0, 2 ** 31 - 1);
  const lr = Number(form.lr.trim());
  if (form.lr.trim() === '' || !(lr > 0 && lr <= 100)) errors.lr = 'Learning rate: a number above 0 (at most 100)';
  const tau = Number(form.tau.trim());
  if (form.directed && !(tau > 0 && tau <= 1)) errors.tau = 'τ: a number in (0, 1]';
  if (graphId === null) errors.graph = 'Import a co-occurrence table first';
  if (Object.keys(errors).length > 0) return { request: null, errors };
  return {
    request: {
      graphId: graphId!,
      dim,
      epochs,
      negatives,
      burnIn,
      lr,
      seed,
      directed: form.directed,
      tau: form.directed ? tau : undefined,
      euclidean: form.euclidean,
      name: form.name.trim() || undefined,
    },
    errors,
  };
}

export interface OpenEmbedding {
  detail: EmbeddingDetail;
  /** n × dim, decoded. */
  X: Float64Array;
  n: number;
  dim: number;
  /** The embedding trained beside it (the Euclidean baseline of a Poincaré run, or back). */
  pair: EmbeddingSummary | null;
}

export interface Selection {
  index: number;
  neighbours: GenreHit[] | null;
  parents: GenreHit[] | null;
  loading: boolean;
  error: string | null;
}

export interface CentreRequest {
  /** Genre to move to the centre, or null for the origin. */
  index: number | null;
  /** Bumped on each request, so asking for the same genre again re-runs the animation. */
  seq: number;
}

export interface HyperState {
  loaded: boolean;
  graphs: GenreGraphSummary[];
  embeddings: EmbeddingSummary[];
  /** The library's track labels (highlighted on the disk). */
  labels: string[];
  graphId: number | null;
  importing: boolean;
  importError: string | null;
  form: TrainForm;
  errors: FormErrors;
  jobId: string | null;
  cancelling: boolean;
  losses: { poincare: Array<{ epoch: number; loss: number }>; euclidean: Array<{ epoch: number; loss: number }> };
  totalEpochs: number;
  trainMessage: string | null;
  open: OpenEmbedding | null;
  opening: number | null;
  selection: Selection | null;
  centre: CentreRequest;
  searchMessage: string | null;
  /** Parent query thresholds: largest angle to the query (degrees) and the norm ratio. */
  maxAngle: number;
  normRatio: number;
  dendrogram: DendrogramResult | null;
  dendroMode: 'top' | 'around';
  dendroTop: number;
  dendroBusy: boolean;
  dendroError: string | null;
  confirmDelete: number | null;
  exporting: string | null;
}

function decodeFloat64(b64: string): Float64Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length - (bin.length % 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float64Array(bytes.buffer);
}

function isOutcome(x: unknown): x is { embeddingId: number } {
  return typeof x === 'object' && x !== null && typeof (x as { embeddingId?: unknown }).embeddingId === 'number';
}

/** Files larger than this are imported by path (the browser link carries at most 16 MB a message). */
export const MAX_DROP_BYTES = 15 * 1024 * 1024;

export class HyperModel extends Store<HyperState> {
  private readonly offs: Array<() => void> = [];
  /** Epoch events of a job whose id the start call has not returned yet. */
  private readonly early: HyperEpochEvent[] = [];
  private querySeq = 0;
  private dendroSeq = 0;
  private centreSeq = 0;

  constructor(readonly app: AppModel) {
    super({
      loaded: false,
      graphs: [],
      embeddings: [],
      labels: [],
      graphId: null,
      importing: false,
      importError: null,
      form: INITIAL_TRAIN_FORM,
      errors: {},
      jobId: null,
      cancelling: false,
      losses: { poincare: [], euclidean: [] },
      totalEpochs: 0,
      trainMessage: null,
      open: null,
      opening: null,
      selection: null,
      centre: { index: null, seq: 0 },
      searchMessage: null,
      maxAngle: 90,
      normRatio: 1,
      dendrogram: null,
      dendroMode: 'top',
      dendroTop: 100,
      dendroBusy: false,
      dendroError: null,
      confirmDelete: null,
      exporting: null,
    });
  }

  start(): void {
    const c = this.app.client;
    this.offs.push(
      this.app.onOpenLink(() => void this.refresh()),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      c.on('hyper.epoch', (e) => this.onEpoch(e)),
      c.on('hyper.changed', () => void this.refreshLists()),
      c.on('library.changed', () => void this.refreshLabels()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  viewState(): HyperViewState {
    const s = this.get();
    if (s.importing) return 'importing';
    if (s.jobId !== null) return 'training';
    if (s.open) return 'ready';
    return 'empty';
  }

  // ---- lists ------------------------------------------------------------------------------

  async refresh(): Promise<void> {
    await Promise.all([this.refreshLists(), this.refreshLabels()]);
  }

  async refreshLists(): Promise<void> {
    try {
      const c = this.app.client;
      const [graphs, embeddings] = await Promise.all([c.call('hyper.graphs', undefined), c.call('hyper.embeddings', undefined)]);
      const s = this.get();
      const graphId = s.graphId !== null && graphs.some((g) => g.id === s.graphId) ? s.graphId : (graphs[0]?.id ?? null);
      let open: OpenEmbedding | null = null;
      if (s.open && embeddings.some((e) => e.id === s.open!.detail.id)) {
        const pair = embeddings.find((e) => e.id === s.open!.detail.pairId) ?? null;
        // Same object unless the partner changed: the disk resets its view when the embedding object changes.
        open = (pair?.id ?? null) === (s.open.pair?.id ?? null) ? s.open : { ...s.open, pair };
      }
      this.set({ graphs, embeddings, graphId, loaded: true, ...(s.open && !open ? { open: null, selection: null, dendrogram: null } : { open }) });
      if (s.open === null && embeddings.length > 0 && this.get().open === null && this.get().opening === null && this.get().jobId === null && !this.openedOnce) {
        this.openedOnce = true;
        void this.openEmbedding(embeddings.find((e) => e.model === 'poincare')?.id ?? embeddings[0]!.id);
      }
    } catch (err) {
      this.app.reportError(err);
    }
  }

  /** The newest embedding is opened once, when the view first learns of the stored ones. */
  private openedOnce = false;

  async refreshLabels(): Promise<void> {
    try {
      this.set({ labels: await this.app.client.call('hyper.labels', undefined) });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  // ---- import -----------------------------------------------------------------------------

  async importPath(path: string): Promise<boolean> {
    if (!path.trim()) {
      this.set({ importError: 'Type the path of a co-occurrence table (a CSV)' });
      return false;
    }
    return this.doImport({ path: path.trim() });
  }

  async importFile(file: File): Promise<boolean> {
    if (file.size > MAX_DROP_BYTES) {
      this.set({ importError: `${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB: type its path instead (dropped files up to 15 MB are read)` });
      return false;
    }
    try {
      return await this.doImport({ text: await file.text(), name: file.name.replace(/\.(csv|tsv|txt)$/i, '') });
    } catch (err) {
      this.set({ importError: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  private async doImport(req: { path?: string; text?: string; name?: string }): Promise<boolean> {
    if (this.get().importing) return false;
    this.set({ importing: true, importError: null });
    try {
      const g = await this.app.client.call('hyper.import', req);
      this.set({ graphId: g.id, graphs: [g, ...this.get().graphs.filter((x) => x.id !== g.id)], errors: {} });
      return true;
    } catch (err) {
      this.set({ importError: err instanceof Error ? err.message : String(err) });
      return false;
    } finally {
      this.set({ importing: false });
    }
  }

  selectGraph(id: number): void {
    this.set({ graphId: id, errors: {} });
  }

  // ---- training ---------------------------------------------------------------------------

  setForm(patch: Partial<TrainForm>): void {
    this.set({ form: { ...this.get().form, ...patch }, errors: {} });
  }

  async train(): Promise<boolean> {
    const s = this.get();
    if (s.jobId !== null) return false;
    const { request, errors } = buildTrainRequest(s.form, s.graphId);
    if (!request) {
      this.set({ errors });
      return false;
    }
    this.early.length = 0;
    this.set({ jobId: '', cancelling: false, errors: {}, trainMessage: null, losses: { poincare: [], euclidean: [] }, totalEpochs: request.burnIn! + request.epochs! });
    try {
      const { jobId } = await this.app.client.call('hyper.train', request);
      this.set({ jobId });
      for (const e of this.early.splice(0)) this.onEpoch(e);
      const done = this.app.finishedJob(jobId);
      if (done) this.onJobFinished(done);
      return true;
    } catch (err) {
      this.set({ jobId: null, trainMessage: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  async cancel(): Promise<void> {
    const { jobId } = this.get();
    if (!jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  progress(): JobProgress | undefined {
    const id = this.get().jobId;
    return id ? this.app.progressOf(id) : undefined;
  }

  private onEpoch(e: HyperEpochEvent): void {
    const s = this.get();
    if (s.jobId === '') {
      this.early.push(e);
      return;
    }
    if (e.jobId !== s.jobId) return;
    const losses = { ...s.losses, [e.model]: [...s.losses[e.model], { epoch: e.epoch, loss: e.loss }] };
    this.set({ losses, totalEpochs: e.total });
  }

  private onJobFinished(job: JobInfo): void {
    if (job.id !== this.get().jobId) return;
    if (job.state === 'done' && isOutcome(job.result)) {
      this.openedOnce = true;
      this.set({ jobId: null, cancelling: false, trainMessage: null });
      void this.refreshLists().then(() => this.openEmbedding((job.result as { embeddingId: number }).embeddingId));
    } else if (job.state === 'cancelled') {
      this.set({ jobId: null, cancelling: false, trainMessage: 'Training was cancelled; nothing was stored.' });
    } else {
      this.set({ jobId: null, cancelling: false, trainMessage: job.error?.message ?? `Training ${job.state}` });
    }
  }

  // ---- the open embedding -----------------------------------------------------------------

  async openEmbedding(id: number): Promise<void> {
    this.set({ opening: id, confirmDelete: null });
    try {
      const detail = await this.app.client.call('hyper.get', { embeddingId: id });
      const X = decodeFloat64(detail.vectors);
      const pair = this.get().embeddings.find((e) => e.id === detail.pairId) ?? null;
      this.set({
        open: { detail, X, n: detail.names.length, dim: detail.dim, pair },
        selection: null,
        centre: { index: null, seq: ++this.centreSeq },
        searchMessage: null,
        dendrogram: null,
        dendroError: null,
        dendroMode: 'top',
      });
      void this.loadDendrogram();
    } catch (err) {
      this.app.reportError(err);
    } finally {
      if (this.get().opening === id) this.set({ opening: null });
    }
  }

  /** Select a genre: its neighbours and likely parents are fetched (the newest request wins). */
  async select(index: number | null): Promise<void> {
    const open = this.get().open;
    if (!open || index === null || index < 0 || index >= open.n) {
      this.set({ selection: null });
      return;
    }
    const seq = ++this.querySeq;
    const prev = this.get().selection;
    this.set({ selection: { index, neighbours: prev?.index === index ? prev.neighbours : null, parents: prev?.index === index ? prev.parents : null, loading: true, error: null } });
    const genre = open.detail.names[index]!;
    const c = this.app.client;
    const { maxAngle, normRatio } = this.get();
    try {
      const [nb, pa] = await Promise.all([
        c.call('hyper.neighbours', { embeddingId: open.detail.id, genre, k: 10 }),
        c.call('hyper.parents', { embeddingId: open.detail.id, genre, k: 5, minCos: Math.cos((maxAngle * Math.PI) / 180), normRatio }),
      ]);
      if (seq !== this.querySeq) return;
      this.set({ selection: { index, neighbours: nb.hits, parents: pa.hits, loading: false, error: null } });
    } catch (err) {
      if (seq !== this.querySeq) return;
      this.set({ selection: { index, neighbours: null, parents: null, loading: false, error: err instanceof Error ? err.message : String(err) } });
    }
  }

  setThresholds(patch: { maxAngle?: number; normRatio?: number }): void {
    this.set(patch);
    const sel = this.get().selection;
    if (sel) void this.select(sel.index);
  }

  /** Move a genre (or the origin) to the centre of the disk; the view animates the Möbius transformation. */
  centreOn(index: number | null): void {
    this.set({ centre: { index, seq: ++this.centreSeq } });
  }

  /** Genre names matching what is typed (for the search box). */
  suggestions(query: string, limit = 8): string[] {
    const open = this.get().open;
    return open ? suggestGenres(open.detail.names, query, limit) : [];
  }

  /** Find a genre by name (exact, case-insensitive or normalised), select it and centre the disk on it. */
  search(query: string): boolean {
    const open = this.get().open;
    const q = query.trim();
    if (!open || !q) return false;
    const names = open.detail.names;
    let i = names.indexOf(q);
    if (i < 0) i = names.findIndex((n) => n.toLowerCase() === q.toLowerCase());
    if (i < 0) {
      const nq = normaliseGenre(q);
      i = names.findIndex((n) => normaliseGenre(n) === nq);
    }
    if (i < 0) {
      const close = suggestGenres(names, q, 4);
      this.set({ searchMessage: `No genre “${q}” here${close.length ? ` — did you mean ${close.map((c) => `“${c}”`).join(', ')}?` : ''}` });
      return false;
    }
    this.set({ searchMessage: null });
    void this.select(i);
    this.centreOn(i);
    if (this.get().dendroMode === 'around') void this.loadDendrogram();
    return true;
  }

  // ---- dendrogram -------------------------------------------------------------------------

  setDendrogram(patch: { mode?: 'top' | 'around'; top?: number }): void {
    this.set({ dendroMode: patch.mode ?? this.get().dendroMode, dendroTop: patch.top ?? this.get().dendroTop });
    void this.loadDendrogram();
  }

  async loadDendrogram(): Promise<void> {
    const { open, dendroMode, dendroTop, selection } = this.get();
    if (!open) return;
    const around = dendroMode === 'around' && selection ? open.detail.names[selection.index] : undefined;
    if (dendroMode === 'around' && !around) {
      this.set({ dendroError: 'Select a genre (click it, or search) to cluster its neighbourhood', dendrogram: null });
      return;
    }
    const seq = ++this.dendroSeq;
    this.set({ dendroBusy: true, dendroError: null });
    try {
      const d = await this.app.client.call('hyper.dendrogram', { embeddingId: open.detail.id, top: dendroTop, around });
      if (seq === this.dendroSeq) this.set({ dendrogram: d, dendroBusy: false });
    } catch (err) {
      if (seq === this.dendroSeq) this.set({ dendroBusy: false, dendroError: err instanceof Error ? err.message : String(err) });
    }
  }

  // ---- stored embeddings and graphs -------------------------------------------------------

  askDelete(id: number | null): void {
    this.set({ confirmDelete: id });
  }

  async deleteEmbedding(id: number): Promise<void> {
    this.set({ confirmDelete: null });
    try {
      await this.app.client.call('hyper.delete', { embeddingId: id });
      if (this.get().open?.detail.id === id) this.set({ open: null, selection: null, dendrogram: null });
      await this.refreshLists();
    } catch (err) {
      this.app.reportError(err);
    }
  }

  async deleteGraph(id: number): Promise<void> {
    try {
      await this.app.client.call('hyper.delete', { graphId: id });
      await this.refreshLists();
    } catch (err) {
      this.app.reportError(err);
    }
  }

  // ---- exports ----------------------------------------------------------------------------

  async export(kind: HyperExportKind): Promise<void> {
    const { open, exporting } = this.get();
    if (!open || exporting) return;
    this.set({ exporting: kind });
    try {
      const file = await this.app.client.call('hyper.export', { embeddingId: open.detail.id, kind });
      downloadExported(file);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ exporting: null });
    }
  }

  saveDisk(kind: 'png' | 'svg', blob: Blob | null): void {
    const open = this.get().open;
    if (!open) return;
    if (!blob) {
      this.app.notify('error', 'The disk could not be drawn into a picture.');
      return;
    }
    downloadBlob(`poincare-disk-${open.detail.id}.${kind}`, blob);
  }
}

const models = new WeakMap<AppModel, HyperModel>();

/** The Hyperbolic view's model for this app (made and started on first use, then kept). */
export function hyperModelFor(app: AppModel): HyperModel {
  let m = models.get(app);
  if (!m) {
    m = new HyperModel(app);
    models.set(app, m);
    m.start();
  }
  return m;
}
