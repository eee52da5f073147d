// `genrelab import-features table.csv`: load a feature table (the published GTZAN table, its 3-second
// companion, or a table Genrelab wrote) into the store. Its tracks have no audio and are marked so.
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ImportSummary } from '../../shared/types';
import { listProfiles } from '../engine/features';
import { parseCsv } from '../engine/features/csv';
import type { LibraryStore } from '../store/library';
import { featureSettings, SAMPLE_RATE } from './library';


const SEGMENT_NAME = /^(.*)\.(\d+)(\.[A-Za-z0-9]+)$/;

export async function importFeatureTable(store: LibraryStore, file: string): Promise<ImportSummary> {
  const abs = resolve(file);
  try {
    if (!(await stat(abs)).isFile()) throw new Error('not a file');
  } catch {
    throw new AppError('not-found', `No such table: ${abs}`);
  }
  const rows = parseCsv(await readFile(abs, 'utf8'));
  if (rows.length < 2) throw new AppError('bad-request', `${basename(abs)} has no data rows`);
  const header = rows[0]!.map((h) => h.trim());
  const fi = header.indexOf('filename');
  const li = header.indexOf('label');
  if (fi < 0) throw new AppError('bad-request', `${basename(abs)}: no "filename" column (the table layout is filename,length,<features>,label)`);
  const featureCols = header.filter((h, i) => i !== fi && i !== li && h !== 'length');
  const colIdx = featureCols.map((c) => header.indexOf(c));
  const lenIdx = header.indexOf('length');
  // A table whose columns are exactly a profile's joins that profile's feature set.
  const profile = listProfiles().find((p) => p.columns.length === featureCols.length && p.columns.every((c, i) => c === featureCols[i]));
  const profileName = profile?.name ?? `table:${basename(abs)}`;
  const setId = store.featureSetId(profileName, profile ? featureSettings() : JSON.stringify({ table: abs }), featureCols);

  // 3-second tables name segments like blues.00000.3.wav; they become segments of one track.
  const isSegmentTable = lenIdx >= 0 && rows.slice(1, 50).every((r) => Number(r[lenIdx]) < 5 * SAMPLE_RATE) && rows.slice(1, 50).every((r) => SEGMENT_NAME.test(r[fi] ?? ''));
  const groups = new Map<string, { label: string | null; length: number | null; vectors: Map<number, number[]> }>();
  const skipped: ImportSummary['skipped'] = [];
  rows.slice(1).forEach((r, k) => {
    const rowNo = k + 2;
    if (r.length === 1 && r[0] === '') return;
    if (r.length !== header.length) {
      skipped.push({ row: rowNo, reason: `has ${r.length} fields, the header has ${header.length}` });
      return;
    }
    const values = colIdx.map((i) => Number(r[i]));
    const bad = values.findIndex((v, j) => !Number.isFinite(v) || r[colIdx[j]!]!.trim() === '');
    if (bad >= 0) {
      skipped.push({ row: rowNo, reason: `missing or non-numeric ${featureCols[bad]}` });
      return;
    }
    const name = r[fi]!.trim();
    let track = name;
    let seg = 0;
    if (isSegmentTable) {
      const m = SEGMENT_NAME.exec(name)!;
      track = m[1]! + m[3]!;
      seg = Number(m[2]);
    }
    const g = groups.get(track) ?? { label: li >= 0 ? r[li]!.trim() || null : null, length: null, vectors: new Map() };
    g.vectors.set(seg, values);
    if (!isSegmentTable && lenIdx >= 0) g.length = Number(r[lenIdx]);
    groups.set(track, g);
  });
  if (groups.size === 0) throw new AppError('bad-request', `${basename(abs)}: no usable rows (${skipped[0]?.reason ?? 'empty'})`);

  const folderId = store.upsertFolder(abs, profileName);
  let segments = 0;
  store.db.transaction(() => {
    for (const [name, g] of groups) {
      const ordered = [...g.vectors.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
      const trackVec = isSegmentTable ? meanOf(ordered) : ordered[0]!;
      segments += isSegmentTable ? ordered.length : 0;
      store.writeTrack(
        {
          folderId,
          path: `${abs}#${name}`,
          relPath: name,
          size: null,
          mtimeMs: null,
          label: g.label,
          labelSource: g.label ? 'table' : null,
          duration: g.length ? g.length / SAMPLE_RATE : null,
          sampleRate: null,
          channels: null,
          format: null,
          status: 'no-audio',
          reason: 'imported from a feature table; no audio file',
        },
        { setId, track: trackVec, segments: isSegmentTable ? ordered : [] },
      );
    }
  })();
  return { folderId, profile: profileName, tracks: groups.size, segments, columns: featureCols.length, skipped };
}

/** Whole-track vector of a segment table: the mean of its segments' vectors (an approximation, said so in the UI). */
function meanOf(vs: number[][]): number[] {
  const out = new Array<number>(vs[0]!.length).fill(0);
  for (const v of vs) for (let i = 0; i < v.length; i++) out[i]! += v[i]! / vs.length;
  return out;
}
