import type { JobInfo, LibraryFolder, TrackRow } from '../../../shared/types';
import { downloadText } from '../lib/download';
import { type JobSummary, summarizeJob } from '../lib/jobs';
import { type SortKey, type SortSpec, filterTracks, labelCounts, nextSort, sortTracks } from '../lib/tracks';
import type { AppModel } from './app';
import { Store } from './store';

export interface LibraryState {
  folders: LibraryFolder[];
  tracks: TrackRow[];
  /** True once the first load has answered. */
  loaded: boolean;
  /** The library job this view started and is waiting for. */
  jobId: string | null;
  /** What that job is, in the user's words ("Rescan"). */
  jobTitle: string | null;
  /** Set while a cancel request is on its way. */
  cancelling: boolean;
  summary: JobSummary | null;
  selectedTrackId: number | null;
  folderFilter: number | null;
  query: string;
  sort: SortSpec;
  /** A message about the last drop (e.g. browser mode cannot see dropped paths). */
  dropHint: string | null;
  /** Bumped to ask the path box to take focus. */
  focusPathTick: number;
  exporting: boolean;
}

export interface LibraryRows {
  rows: TrackRow[];
  labels: ReturnType<typeof labelCounts>;
}

/** The Library view's model: folders, tracks, the ingest job and the table's filter and sort. */
export class LibraryModel extends Store<LibraryState> {
  private readonly offs: Array<() => void> = [];
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private rowsCache: { tracks: TrackRow[]; folder: number | null; query: string; sort: SortSpec; out: LibraryRows } | null =
    null;

  constructor(private readonly app: AppModel) {
    super({
      folders: [],
      tracks: [],
      loaded: false,
      jobId: null,
      jobTitle: null,
      cancelling: false,
      summary: null,
      selectedTrackId: null,
      folderFilter: null,
      query: '',
      sort: { key: 'relPath', dir: 'asc' },
      dropHint: null,
      focusPathTick: 0,
      exporting: false,
    });
  }

  start(): void {
    const c = this.app.client;
    this.offs.push(
      this.app.onOpenLink(() => void this.refresh()),
      this.app.onJobFinished((job) => this.onJobFinished(job)),
      c.on('library.changed', () => this.refreshSoon()),
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  async refresh(): Promise<void> {
    const c = this.app.client;
    try {
      const [folders, tracks] = await Promise.all([
        c.call('library.folders', undefined),
        c.call('library.tracks', {}),
      ]);
      const s = this.get();
      const folderFilter = s.folderFilter !== null && folders.some((f) => f.id === s.folderFilter) ? s.folderFilter : null;
      const selectedTrackId =
        s.selectedTrackId !== null && tracks.some((t) => t.id === s.selectedTrackId) ? s.selectedTrackId : null;
      this.set({ folders, tracks, loaded: true, folderFilter, selectedTrackId });
    } catch (err) {
      this.app.reportError(err);
    }
  }

  /** Coalesce bursts of `library.changed` events into one refresh. */
  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, 150);
  }

  get busy(): boolean {
    return this.get().jobId !== null;
  }

  /** Ingest a folder with a feature profile (default: the app's default profile). */
  async addFolder(path: string, profile?: string): Promise<boolean> {
    const p = path.trim();
    if (!p) {
      this.set({ dropHint: 'Type the path of a folder first.', focusPathTick: this.get().focusPathTick + 1 });
      return false;
    }
    return this.startJob('Ingest', () => this.app.client.call('library.ingest', profile ? { path: p, profile } : { path: p }));
  }

  async rescan(folderId: number): Promise<void> {
    await this.startJob('Rescan', () => this.app.client.call('library.rescan', { folderId }));
  }

  async removeFolder(folderId: number): Promise<void> {
    try {
      const { removed } = await this.app.client.call('library.removeFolder', { folderId });
      this.app.notify('info', `Removed the folder and its ${removed} tracks from the library (the files are untouched).`);
      await this.refresh();
    } catch (err) {
      this.app.reportError(err);
    }
  }

  async pickFolder(): Promise<void> {
    try {
      const { path } = await this.app.client.call('library.pickFolder', undefined);
      if (path) await this.addFolder(path);
    } catch (err) {
      this.app.reportError(err);
    }
  }

  async loadDemo(): Promise<void> {
    await this.startJob('Demo library', async () => {
      const r = await this.app.client.call('library.demo', {});
      this.app.notify('info', `Synthesising the demo library into ${r.path}`);
      return r;
    });
  }

  async cancel(): Promise<void> {
    const { jobId } = this.get();
    if (!jobId) return;
    this.set({ cancelling: true });
    await this.app.cancel(jobId);
  }

  /** Files dropped on the window: ingest the folders whose paths the transport can tell. */
  async drop(files: File[]): Promise<void> {
    const paths = files.map((f) => this.app.client.pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length === 0) {
      const names = files.map((f) => f.name).filter(Boolean);
      const what = names.length ? `“${names.slice(0, 3).join('”, “')}”` : 'the dropped item';
      this.set({
        dropHint:
          this.app.client.transport === 'browser'
            ? `A browser cannot tell Genrelab where ${what} lives on disk. Type or paste the folder's path instead.`
            : `Could not tell where ${what} lives on disk. Type or paste the folder's path instead.`,
        focusPathTick: this.get().focusPathTick + 1,
      });
      return;
    }
    this.set({ dropHint: null });
    // One job at a time: ingest the first folder; say so if more were dropped.
    if (paths.length > 1) this.app.notify('info', `Adding ${paths[0]}; drop the other ${paths.length - 1} when it is done.`);
    await this.addFolder(paths[0]!);
  }

  async exportCsv(): Promise<void> {
    if (this.get().exporting) return;
    this.set({ exporting: true });
    try {
      const folderId = this.get().folderFilter ?? undefined;
      const r = await this.app.client.call('library.exportFeatures', folderId === undefined ? {} : { folderId });
      downloadText(r.filename, r.csv);
      this.app.notify('info', `Exported ${r.rows} rows to ${r.filename}`);
    } catch (err) {
      this.app.reportError(err);
    } finally {
      this.set({ exporting: false });
    }
  }

  select = (trackId: number | null): void => {
    this.set({ selectedTrackId: trackId });
  };

  /** Move the selection up or down the visible rows. */
  selectRelative(delta: number): void {
    const rows = this.rows().rows;
    if (rows.length === 0) return;
    const i = rows.findIndex((t) => t.id === this.get().selectedTrackId);
    const next = i < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + delta));
    this.select(rows[next]!.id);
  }

  setQuery(query: string): void {
    this.set({ query });
  }

  sortBy(key: SortKey): void {
    this.set({ sort: nextSort(this.get().sort, key) });
  }

  setFolderFilter(folderId: number | null): void {
    this.set({ folderFilter: folderId });
  }

  setPathHint(hint: string | null): void {
    this.set({ dropHint: hint });
  }

  /** The filtered, sorted rows and label counts, recomputed only when their inputs change. */
  rows(): LibraryRows {
    const s = this.get();
    const c = this.rowsCache;
    if (c && c.tracks === s.tracks && c.folder === s.folderFilter && c.query === s.query && c.sort === s.sort) {
      return c.out;
    }
    const inFolder = s.folderFilter === null ? s.tracks : s.tracks.filter((t) => t.folderId === s.folderFilter);
    const out: LibraryRows = { rows: sortTracks(filterTracks(inFolder, s.query), s.sort), labels: labelCounts(inFolder) };
    this.rowsCache = { tracks: s.tracks, folder: s.folderFilter, query: s.query, sort: s.sort, out };
    return out;
  }

  private async startJob(title: string, start: () => Promise<{ jobId: string }>): Promise<boolean> {
    if (this.busy) {
      this.app.notify('info', 'A library job is already running; wait for it or cancel it.');
      return false;
    }
    this.set({ summary: null, dropHint: null, cancelling: false, jobId: '', jobTitle: title });
    try {
      const { jobId } = await start();
      const done = this.app.finishedJob(jobId);
      if (done) this.onJobFinished(done, true);
      else this.set({ jobId });
      void this.refresh();
      return true;
    } catch (err) {
      this.set({ jobId: null, jobTitle: null });
      this.app.reportError(err);
      return false;
    }
  }

  private onJobFinished(job: JobInfo, force = false): void {
    const mine = force || job.id === this.get().jobId;
    if (mine) {
      const summary = summarizeJob(job, this.get().jobTitle ?? undefined);
      this.set({ jobId: null, jobTitle: null, cancelling: false, summary });
    }
    if (mine || job.kind.includes('ingest') || job.kind.includes('rescan') || job.kind.includes('demo')) {
      void this.refresh();
    }
  }
}
