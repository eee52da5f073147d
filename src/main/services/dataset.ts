// Training data from the store (library folders and imported tables) or from a feature-table CSV:
// one row per track or per 3-second segment, with the track and split group of every row.
import { basename, dirname } from 'node:path';
import { AppError } from '../../shared/errors';
import { parseCsv } from '../engine/features/csv';
import type { LibraryStore } from '../store/library';
import { SEGMENT_SECONDS } from './library';

export interface DatasetTrack {
  key: string;
  trackId: number | null;
  name: string;
  label: string;
}

export interface Dataset {
  X: Float32Array;
  rows: number;
  cols: number;
  columns: string[];
  rowLabels: string[];
  /** Index into `tracks` of every row. */
  rowTrack: Int32Array;
  /** Segment index of every row (-1 for whole-track rows). */
  rowSegment: Int32Array;
  /** Split unit of every row: the track key, or its folder. */
  groups: string[];
  tracks: DatasetTrack[];
  segments: boolean;
  segmentSeconds: number;
  /** Tracks left out because they have no label. */
  unlabelled: number;
}

export interface StoreDatasetOptions {
  setId: number;
  folderIds?: number[];
  segments?: boolean;
  columns?: string[];
  groupBy?: 'track' | 'folder';
}

class Builder {
  private values: number[][] = [];
  rowLabels: string[] = [];
  rowTrack: number[] = [];
  rowSegment: number[] = [];
  groups: string[] = [];
  tracks: DatasetTrack[] = [];
  unlabelled = 0;
  constructor(
    readonly columns: string[],
    private readonly keep: number[],
  ) {}

  addTrack(t: DatasetTrack, group: string, vectors: ArrayLike<number>[], segment: boolean): void {
    const ti = this.tracks.length;
    this.tracks.push(t);
    vectors.forEach((v, si) => {
      this.values.push(this.keep.map((j) => v[j]!));
      this.rowLabels.push(t.label);
      this.rowTrack.push(ti);
      this.rowSegment.push(segment ? si : -1);
      this.groups.push(group);
    });
  }

  build(segments: boolean): Dataset {
    const cols = this.columns.length;
    const X = new Float32Array(this.values.length * cols);
    this.values.forEach((v, i) => X.set(v, i * cols));
    return {
      X,
      rows: this.values.length,
      cols,
      columns: this.columns,
      rowLabels: this.rowLabels,
      rowTrack: Int32Array.from(this.rowTrack),
      rowSegment: Int32Array.from(this.rowSegment),
      groups: this.groups,
      tracks: this.tracks,
      segments,
      segmentSeconds: SEGMENT_SECONDS,
      unlabelled: this.unlabelled,
    };
  }
}

/**
 * Position in `all` of each of `wanted` (its first occurrence), by one map lookup each (a log-mel
 * profile has 8,320 columns); `onMissing` makes the error when some are not there.
 */
export function columnPositions(all: readonly string[], wanted: readonly string[], onMissing: (missing: string[]) => Error): number[] {
  const at = new Map<string, number>();
  all.forEach((c, i) => {
    if (!at.has(c)) at.set(c, i);
  });
  const idx = wanted.map((c) => at.get(c) ?? -1);
  const missing = wanted.filter((_, i) => idx[i]! < 0);
  if (missing.length) throw onMissing(missing);
  return idx;
}

function pickColumns(all: string[], wanted?: string[]): number[] {
  if (!wanted || wanted.length === 0) return all.map((_, i) => i);
  return columnPositions(all, wanted, (missing) => new AppError('bad-request', `unknown feature columns: ${missing.slice(0, 8).join(', ')}`));
}

export function datasetFromStore(store: LibraryStore, o: StoreDatasetOptions): Dataset {
  const all = store.featureSet(o.setId).columns;
  const keep = pickColumns(all, o.columns);
  const b = new Builder(keep.map((j) => all[j]!), keep);
  const folders = o.folderIds && o.folderIds.length ? o.folderIds : [undefined];
  for (const folderId of folders) {
    for (const t of store.iterateFeatures(o.setId, folderId)) {
      if (!t.label) {
        b.unlabelled++;
        continue;
      }
      const vectors = o.segments ? (t.segments.length ? t.segments : [t.track]) : [t.track];
      const group = o.groupBy === 'folder' ? dirname(t.path) : `t${t.id}`;
      b.addTrack({ key: `t${t.id}`, trackId: t.id, name: t.relPath, label: t.label }, group, vectors, !!o.segments);
    }
  }
  const ds = b.build(!!o.segments);
  if (ds.rows === 0) {
    throw new AppError('bad-request', 'No labelled tracks with features to train on: add a folder (or import a feature table) first');
  }
  return ds;
}

const SEGMENT_NAME = /^(.*)\.(\d+)(\.[A-Za-z0-9]+)$/;

/**
 * A feature table as written by `genrelab analyze --out` or published with GTZAN:
 * filename,length,<features>,label. With `segments`, rows named like blues.00000.3.wav are segments
 * of blues.00000.wav. Missing values are kept as NaN so that validation reports them clearly.
 */
export function datasetFromCsv(
  text: string,
  o: { segments?: boolean; columns?: string[]; source?: string; allowUnlabelled?: boolean } = {},
): Dataset {
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  const where = o.source ? basename(o.source) : 'the table';
  if (rows.length < 2) throw new AppError('bad-request', `${where} has no data rows`);
  const header = rows[0]!.map((h) => h.trim());
  const fi = header.indexOf('filename');
  const li = header.indexOf('label');
  if (fi < 0 || (li < 0 && !o.allowUnlabelled)) throw new AppError('bad-request', `${where} needs "filename" and "label" columns`);
  const featureIdx = header.map((_, i) => i).filter((i) => i !== fi && i !== li && header[i] !== 'length');
  const all = featureIdx.map((i) => header[i]!);
  const keep = pickColumns(all, o.columns);
  const b = new Builder(keep.map((j) => all[j]!), keep);
  const byTrack = new Map<string, { label: string; vectors: Map<number, number[]> }>();
  rows.slice(1).forEach((r, k) => {
    if (r.length !== header.length) throw new AppError('bad-request', `${where}, line ${k + 2}: ${r.length} fields, the header has ${header.length}`);
    const name = r[fi]!.trim();
    const label = li >= 0 ? r[li]!.trim() : '';
    const vec = featureIdx.map((i) => (r[i]!.trim() === '' ? NaN : Number(r[i])));
    let key = name;
    let seg = 0;
    const m = o.segments ? SEGMENT_NAME.exec(name) : null;
    if (m) {
      key = m[1]! + m[3]!;
      seg = Number(m[2]);
    }
    const e = byTrack.get(key) ?? { label, vectors: new Map<number, number[]>() };
    if (e.label !== label) throw new AppError('bad-request', `${where}: segments of ${key} carry different labels (${e.label}, ${label})`);
    e.vectors.set(seg, vec);
    byTrack.set(key, e);
  });
  for (const [key, e] of byTrack) {
    if (!e.label && !o.allowUnlabelled) {
      b.unlabelled++;
      continue;
    }
    const vectors = [...e.vectors.entries()].sort((a, c) => a[0] - c[0]).map(([, v]) => v);
    b.addTrack({ key, trackId: null, name: key, label: e.label }, key, vectors, !!o.segments);
  }
  return b.build(!!o.segments);
}
