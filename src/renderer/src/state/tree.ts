// The Tree view: what to cluster (library features, a table, or a tier model's run), the build job,
// the dendrogram, the cut, search and exports. The layout and cut are computed here (lib/dendrogram),
// not in the components.
import type { JobInfo, RunDetail, RunSummary, TierFigure, TreeDoc, TreeRequest, TreeResult } from '../../../shared/types';
import { downloadBlob, downloadText } from '../lib/download';
import { cutTree, layoutTree, searchLeaves, tierLists, treeJson, treeSvg, type Cut, type HeightScale, type TreeLayout } from '../lib/dendrogram';
import type { AppModel } from './app';
import type { LibraryModel } from './library';
import { Store } from './store';

export type TreeSourceKind = 'features' | 'table' | 'run';
export type TreeStateName = 'idle' | 'building' | 'ready' | 'error';

export interface TreeForm {
  source: TreeSourceKind;
  profile: string;
  /** null: every folder of the profile. */
  folderIds: number[] | null;
  path: string;
  groupBy: string;
  linkage: string;
  metric: string;
  runId: number | null;
}

export interface TreeState {
  form: TreeForm;
  state: TreeStateName;
  jobId: string | null;
  cancelling: boolean;
  message: string | null;
  /** The tree shown, what it is of, and (for a run) the per-tier accuracy. */
  doc: TreeDoc | null;
  source: string;
  seconds: number | null;
  run: RunDetail | null;
  tiers: TierFigure[] | null;
  /** Clusters at the cut. */
  k: number;
  scale: HeightScale;
  query: string;
  matches: number[];
  /** Index into matches of the highlighted leaf. */
  match: number;
  /** Leaf id to scroll to (bumped by `focusTick`). */
  focusLeaf: number | null;
  focusTick: number;
  /** Runs of the tier models that carry a tree. */
  runs: RunSummary[];
}

export const TREE_LINKAGES = ['single', 'complete', 'average', 'weighted', 'ward'] as const;
export const TREE_METRICS = ['euclidean', 'cosine'] as const;
export const TREE_MODELS = ['stacknet', 'tier-gru'];

function isTreeResult(x: unknown): x is TreeResult {
  return typeof x === 'object' && x !== null && 'tree' in x && Array.isArray((x as TreeResult).tree?.merges);
}

export class TreeModel extends Store<TreeState> {
  private readonly offs: Array<() => void> = [];
  private memo: { doc: TreeDoc; layout: TreeLayout } | null = null;
  private cutMemo: { doc: TreeDoc; k: number; cut: Cut } | null = null;

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
  ) {
    super({
      form: { source: 'features', profile: '', folderIds: null, path: '', groupBy: '', linkage: 'ward', metric: 'euclidean', runId: null },
      state: 'idle',
      jobId: null,
      cancelling: false,
      message: null,
      doc: null,
      source: '',
      seconds: null,
      run: null,
      tiers: null,
      k: 2,
      scale: 'linear',
      query: '',
      matches: [],
      match: 0,
      focusLeaf: null,
      focusTick: 0,
      runs: [],
    });
  }

  start(): void {
    const c = this.app.client;
    this.offs.push(
      this.app.onOpenLink(() => void this.refreshRuns()),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      c.on('runs.changed', () => void this.refreshRuns()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  async refreshRuns(): Promise<void> {
    try {
      const runs = (await this.app.client.call('runs.list', undefined)).filter((r) => TREE_MODELS.includes(r.model));
      const form = this.get().form;
      this.set({ runs, form: form.runId === null && runs[0] ? { ...form, runId: runs[0].id } : form });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  setForm(patch: Partial<TreeForm>): void {
    const form = { ...this.get().form, ...patch };
    if (form.linkage === 'ward') form.metric = 'euclidean';
    this.set({ form });
  }

  /** The profile the form uses: the chosen one, else the first folder's. */
  profile(): string {
    const f = this.get().form;
    return f.profile || this.library.get().folders[0]?.profile || this.app.get().info?.defaultProfile || 'gtzan57';
  }

  async build(): Promise<void> {
    const s = this.get();
    if (s.state === 'building') return;
    const f = s.form;
    if (f.source === 'run') return this.openRun(f.runId);
    let req: TreeRequest;
    if (f.source === 'table') {
      if (!f.path.trim()) {
        this.set({ state: 'error', message: 'Type the path of a feature table (CSV) on the machine Genrelab runs on.' });
        return;
      }
      req = { source: { kind: 'table', path: f.path.trim(), groupBy: f.groupBy.trim() || undefined }, linkage: f.linkage, metric: f.metric };
    } else {
      const profile = this.profile();
      if (f.folderIds && f.folderIds.length === 0) {
        this.set({ state: 'error', message: 'Tick at least one folder.' });
        return;
      }
      const ids = f.folderIds ?? this.library.get().folders.filter((x) => x.profile === profile).map((x) => x.id);
      req = { source: { kind: 'features', profile, folderIds: ids.length ? ids : undefined }, linkage: f.linkage, metric: f.metric };
    }
    this.set({ state: 'building', message: null, cancelling: false, jobId: null });
    try {
      const { jobId } = await this.app.client.call('tree.build', req);
      this.set({ jobId });
      const done = this.app.finishedJob(jobId);
      if (done) this.onJobFinished(done);
    } catch (err) {
      this.set({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  async cancel(): Promise<void> {
    const { jobId } = this.get();
    if (!jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  private onJobFinished(job: JobInfo): void {
    if (job.id !== this.get().jobId) return;
    if (job.state === 'done' && isTreeResult(job.result)) {
      this.show(job.result.tree, job.result.source, job.result.seconds, null);
    } else if (job.state === 'cancelled') {
      this.set({ state: this.get().doc ? 'ready' : 'idle', jobId: null, cancelling: false, message: 'The tree was cancelled.' });
    } else {
      this.set({ state: 'error', jobId: null, cancelling: false, message: job.error?.message ?? `The tree ${job.state}` });
    }
  }

  /** A tier model's run: its final genre tree, cut at its tiers, with the out-of-fold per-tier accuracy. */
  async openRun(runId: number | null): Promise<void> {
    if (runId === null) {
      this.set({ state: 'error', message: 'Train a StackNet or tier GRU model first: its genre tree and per-tier accuracy are shown here.' });
      return;
    }
    this.set({ state: 'building', message: null, jobId: null });
    try {
      const run = await this.app.client.call('runs.get', { runId });
      const h = run.metrics.hierarchy;
      if (!h?.tree) throw new Error(`Run #${runId} (${run.modelLabel}) stored no genre tree`);
      this.show(h.tree, `genre tree of run #${run.id}: ${run.name}`, null, run);
    } catch (err) {
      this.set({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private show(doc: TreeDoc, source: string, seconds: number | null, run: RunDetail | null): void {
    const n = doc.labels.length;
    const tiers = run?.metrics.hierarchy?.tiers ?? null;
    const k = tiers && tiers.length ? tiers[0]!.k : Math.min(n, Math.max(2, Math.min(8, Math.round(Math.sqrt(n)))));
    this.set({ doc, source, seconds, run, tiers, k, state: 'ready', jobId: null, cancelling: false, message: null, query: '', matches: [], match: 0, focusLeaf: null });
  }

  layout(): TreeLayout | null {
    const { doc } = this.get();
    if (!doc) return null;
    if (this.memo?.doc !== doc) this.memo = { doc, layout: layoutTree(doc) };
    return this.memo.layout;
  }

  cut(): Cut | null {
    const { doc, k } = this.get();
    const layout = this.layout();
    if (!doc || !layout) return null;
    if (this.cutMemo?.doc !== doc || this.cutMemo.k !== k) this.cutMemo = { doc, k, cut: cutTree(doc, layout, k) };
    return this.cutMemo.cut;
  }

  setK(k: number): void {
    const n = this.get().doc?.labels.length ?? 1;
    const kk = Math.max(1, Math.min(n, Math.round(k)));
    if (kk !== this.get().k) this.set({ k: kk });
  }

  setScale(scale: HeightScale): void {
    this.set({ scale });
  }

  /** Tier lists to offer: a run's own tiers, else pow2 and halving of the leaves. */
  tierOptions(): Array<{ name: string; sizes: number[] }> {
    const { doc, tiers } = this.get();
    if (!doc) return [];
    if (tiers?.length) return [{ name: 'model tiers', sizes: tiers.map((t) => t.k) }];
    const { pow2, halving } = tierLists(doc.labels.length);
    return [
      { name: 'pow2', sizes: pow2 },
      { name: 'halving', sizes: halving },
    ];
  }

  search(query: string): void {
    const doc = this.get().doc;
    const matches = doc ? searchLeaves(doc, query) : [];
    this.set({ query, matches, match: 0, focusLeaf: matches[0] ?? null, focusTick: this.get().focusTick + 1 });
  }

  /** Step to the next (or previous) match and scroll to it. */
  nextMatch(step = 1): void {
    const { matches, match } = this.get();
    if (matches.length === 0) return;
    const i = (match + step + matches.length) % matches.length;
    this.set({ match: i, focusLeaf: matches[i]!, focusTick: this.get().focusTick + 1 });
  }

  fileStem(): string {
    const { doc, run } = this.get();
    return run ? `run-${run.id}-tree` : `tree-${doc?.linkage ?? 'ward'}-${doc?.labels.length ?? 0}`;
  }

  exportJson(): void {
    const { doc } = this.get();
    if (doc) downloadText(`${this.fileStem()}.json`, treeJson(doc), 'application/json');
  }

  exportSvg(): void {
    const { doc, k, scale, source } = this.get();
    if (doc) downloadText(`${this.fileStem()}.svg`, treeSvg(doc, { k, scale, title: `${source} · ${doc.linkage} linkage (${doc.metric}) · cut at k = ${k}` }), 'image/svg+xml');
  }

  exportPng(canvas: HTMLCanvasElement): void {
    canvas.toBlob((blob) => {
      if (blob) downloadBlob(`${this.fileStem()}.png`, blob);
      else this.app.notify('error', 'The tree is too large for a PNG here; export the SVG instead.');
    }, 'image/png');
  }
}
