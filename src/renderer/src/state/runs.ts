import type { RunDetail, RunExportKind, RunSummary, TrackPrediction, TrackRow } from '../../../shared/types';
import {
  cellText,
  firstWrongStart,
  labelColour,
  type Level,
  levelReport,
  levelsOf,
  matrixView,
  type MatrixView,
  misclassified,
  type MisRow,
  type MisSort,
  type MisSortKey,
  nextMisSort,
  type RegionSpec,
  tracksInCell,
  type CellTrack,
  unitOf,
  withAlpha,
  wrongRegions,
} from '../lib/confusion';
import { downloadExported } from '../lib/download';
import { compareRuns, type Comparison } from '../lib/runs';
import type { AppModel } from './app';
import type { PlayerRegion } from './player';
import type { LibraryModel } from './library';
import { Store } from './store';

export interface RunPanelState {
  runId: number | null;
  run: RunDetail | null;
  preds: TrackPrediction[] | null;
  loading: boolean;
  error: string | null;
  /** Which level the confusion matrix shows (segment runs have both). */
  level: Level;
  /** Colour by share of the row instead of by count. */
  normalise: boolean;
  /** The selected matrix cell (row = true, column = predicted). */
  cell: { t: number; p: number } | null;
  /** Index (into `preds`) of the track whose waveform is open. */
  track: number | null;
  misSort: MisSort;
  /** The export in progress ('model' while saving the model). */
  exporting: RunExportKind | 'model' | null;
  /** Browser mode: the folder on the server machine to save the model into. */
  saveDir: string;
}

export interface MatrixInfo {
  labels: string[];
  view: MatrixView;
  unit: 'segments' | 'tracks';
  levels: Level[];
  /** Hover text per cell, [true][predicted]. */
  texts: string[][];
}

export interface OpenTrack {
  pred: TrackPrediction;
  /** The library row for the waveform panel; a stand-in with status 'no-audio' when there is no audio. */
  row: TrackRow;
  regions: RegionSpec[];
  /** The regions as the waveform draws them (translucent fills). */
  playerRegions: PlayerRegion[];
  startAt: number;
  legend: Array<{ label: string; colour: string }>;
}

/** A library row for a prediction: the library's own, or a stand-in that says there is no audio. */
export function rowForPrediction(pred: TrackPrediction, tracks: readonly TrackRow[]): TrackRow {
  const found = pred.trackId === null ? undefined : tracks.find((t) => t.id === pred.trackId);
  if (found) return found;
  return {
    id: pred.trackId ?? -1,
    folderId: -1,
    path: pred.name,
    relPath: pred.name,
    label: pred.label,
    labelSource: null,
    duration: null,
    sampleRate: null,
    channels: null,
    status: 'no-audio',
    reason: null,
    segments: pred.segments?.length ?? 0,
  };
}

/**
 * One run's panel: its figures, the confusion matrix (level, normalisation, selected cell), the
 * tracks behind a cell, the misclassified tracks, the open track's regions, and exports.
 */
export class RunModel extends Store<RunPanelState> {
  private memo = new Map<string, { deps: unknown[]; value: unknown }>();

  constructor(
    private readonly app: AppModel,
    private readonly library: LibraryModel,
  ) {
    super({
      runId: null,
      run: null,
      preds: null,
      loading: false,
      error: null,
      level: 'track',
      normalise: false,
      cell: null,
      track: null,
      misSort: { key: 'confidence', dir: 'desc' },
      exporting: null,
      saveDir: '',
    });
  }

  async open(runId: number): Promise<void> {
    this.set({ runId, loading: true, error: null, cell: null, track: null });
    const c = this.app.client;
    try {
      const [run, preds] = await Promise.all([c.call('runs.get', { runId }), c.call('runs.predictions', { runId })]);
      if (this.get().runId !== runId) return;
      this.set({ run, preds, loading: false, level: levelsOf(run.metrics)[0]! });
    } catch (err) {
      if (this.get().runId !== runId) return;
      this.set({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  close(): void {
    this.set({ runId: null, run: null, preds: null, loading: false, error: null, cell: null, track: null });
  }

  setLevel(level: Level): void {
    if (level !== this.get().level) this.set({ level, cell: null });
  }

  setNormalise(normalise: boolean): void {
    this.set({ normalise });
  }

  /** Select a cell (or clear the selection when it is selected already). */
  selectCell(t: number, p: number): void {
    const c = this.get().cell;
    this.set({ cell: c && c.t === t && c.p === p ? null : { t, p } });
  }

  openTrack(index: number | null): void {
    this.set({ track: index });
  }

  sortMisclassified(key: MisSortKey): void {
    this.set({ misSort: nextMisSort(this.get().misSort, key) });
  }

  setSaveDir(saveDir: string): void {
    this.set({ saveDir });
  }

  /** The matrix of the chosen level, with colours and hover texts. */
  matrix(): MatrixInfo | null {
    const { run, level, normalise } = this.get();
    if (!run) return null;
    return this.cached('matrix', [run, level, normalise], () => {
      const m = run.metrics;
      const report = levelReport(m, level);
      const view = matrixView(report.confusion, normalise);
      const unit = unitOf(m, level);
      return { labels: m.labels, view, unit, levels: levelsOf(m), texts: view.cells.map((row) => row.map((c) => cellText(m.labels, c, unit))) };
    });
  }

  cellTracks(): CellTrack[] {
    const { run, preds, cell, level } = this.get();
    if (!run || !preds || !cell) return [];
    return this.cached('cell', [preds, cell, level], () => tracksInCell(preds, level, run.metrics.labels[cell.t]!, run.metrics.labels[cell.p]!));
  }

  misclassified(): MisRow[] {
    const { preds, misSort } = this.get();
    if (!preds) return [];
    return this.cached('mis', [preds, misSort], () => misclassified(preds, misSort));
  }

  openTrackInfo(): OpenTrack | null {
    const { run, preds, track } = this.get();
    const tracks = this.library.get().tracks;
    if (!run || !preds || track === null || !preds[track]) return null;
    return this.cached('open', [run, preds, track, tracks], () => {
      const pred = preds[track]!;
      const row = rowForPrediction(pred, tracks);
      const labels = run.metrics.labels;
      const regions = row.status === 'ok' ? wrongRegions(pred, labels, row.duration) : [];
      const legendLabels = [...new Set(regions.map((r) => r.label))].sort((a, b) => labels.indexOf(a) - labels.indexOf(b));
      return {
        pred,
        row,
        regions,
        playerRegions: regions.map((r) => ({ start: r.start, end: r.end, colour: withAlpha(r.colour, 0.34), label: r.label, title: r.title })),
        startAt: regions.length ? firstWrongStart(pred) : 0,
        legend: legendLabels.map((label) => ({ label, colour: labelColour(labels, label) })),
      };
    });
  }

  async export(kind: RunExportKind): Promise<void> {
    const { runId, run, normalise, level, exporting } = this.get();
    if (runId === null || !run || exporting) return;
    this.set({ exporting: kind });
    try {
      const req = kind.startsWith('confusion.')
        ? { runId, kind, normalise, level: run.metrics.unit === 'segment' ? level : undefined }
        : { runId, kind };
      const file = await this.app.client.call('runs.export', req);
      downloadExported(file);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ exporting: null });
    }
  }

  /**
   * Save the run's model into a folder: the typed folder (browser mode: a path on the server
   * machine), or, where there is a native dialog, the folder the user picks.
   */
  async saveModel(pick: boolean): Promise<void> {
    const { runId, exporting } = this.get();
    if (runId === null || exporting) return;
    const c = this.app.client;
    this.set({ exporting: 'model' });
    try {
      let dir = this.get().saveDir.trim();
      if (pick) {
        const r = await c.call('library.pickFolder', undefined);
        if (!r.path) return;
        dir = r.path;
      }
      if (!dir) {
        this.app.notify('error', 'Type the folder to save the model into first.');
        return;
      }
      const r = await c.call('runs.saveModel', { runId, dir });
      this.app.notify('info', `Saved the model (${r.files.length} files) to ${r.dir}`);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ exporting: null });
    }
  }

  private cached<T>(key: string, deps: unknown[], make: () => T): T {
    const hit = this.memo.get(key);
    if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i])) return hit.value as T;
    const value = make();
    this.memo.set(key, { deps, value });
    return value;
  }
}

export interface RunsState {
  runs: RunSummary[];
  loaded: boolean;
  /** Up to two runs ticked for comparison, in the order they were ticked. */
  compare: number[];
  comparison: { a: RunDetail; b: RunDetail; result: Comparison } | null;
  comparing: boolean;
  /** The list, or one run's panel. */
  page: 'list' | 'run';
}

/** The Runs view: every stored run, two of them compared, one opened, deletions. */
export class RunsModel extends Store<RunsState> {
  readonly detail: RunModel;
  private readonly offs: Array<() => void> = [];
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly app: AppModel,
    library: LibraryModel,
  ) {
    super({ runs: [], loaded: false, compare: [], comparison: null, comparing: false, page: 'list' });
    this.detail = new RunModel(app, library);
  }

  start(): void {
    this.offs.push(
      this.app.onOpenLink(() => void this.refresh()),
      this.app.client.on('runs.changed', () => this.refreshSoon()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  async refresh(): Promise<void> {
    try {
      const runs = await this.app.client.call('runs.list', undefined);
      const ids = new Set(runs.map((r) => r.id));
      const compare = this.get().compare.filter((id) => ids.has(id));
      const cmp = this.get().comparison;
      const comparison = cmp && ids.has(cmp.a.id) && ids.has(cmp.b.id) ? cmp : null;
      this.set({ runs, loaded: true, compare, comparison });
      const open = this.detail.get().runId;
      if (open !== null && !ids.has(open)) {
        this.detail.close();
        this.set({ page: 'list' });
      }
    } catch (err) {
      this.app.reportError(err);
    }
  }

  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, 100);
  }

  /** Tick or untick a run for comparison; a third tick replaces the oldest. */
  toggleCompare(runId: number): void {
    const c = this.get().compare;
    const next = c.includes(runId) ? c.filter((id) => id !== runId) : [...c, runId].slice(-2);
    this.set({ compare: next });
  }

  async compare(): Promise<void> {
    const [x, y] = this.get().compare;
    if (x === undefined || y === undefined) return;
    this.set({ comparing: true });
    try {
      const c = this.app.client;
      const [a, b] = await Promise.all([c.call('runs.get', { runId: x }), c.call('runs.get', { runId: y })]);
      this.set({ comparison: { a, b, result: compareRuns(a, b) } });
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ comparing: false });
    }
  }

  closeComparison(): void {
    this.set({ comparison: null });
  }

  openRun(runId: number): void {
    this.set({ page: 'run' });
    void this.detail.open(runId);
  }

  back(): void {
    this.set({ page: 'list' });
    this.detail.openTrack(null);
  }

  async deleteRun(runId: number): Promise<void> {
    try {
      const { deleted } = await this.app.client.call('runs.delete', { runId });
      if (deleted) this.app.notify('info', `Deleted run #${runId}.`);
      await this.refresh();
    } catch (err) {
      this.app.reportError(err);
    }
  }
}
