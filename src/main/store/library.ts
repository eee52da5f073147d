// Library repository: folders, tracks and their cached feature vectors.
import type { LabelSource, LibraryFolder, TrackRow, TrackStatus } from '../../shared/types';
import { fromBlob, toBlob, type DB } from './db';

export interface TrackWrite {
  folderId: number;
  path: string;
  relPath: string;
  size: number | null;
  mtimeMs: number | null;
  label: string | null;
  labelSource: LabelSource | null;
  duration: number | null;
  sampleRate: number | null;
  channels: number | null;
  format: string | null;
  status: TrackStatus;
  reason: string | null;
}

export interface FeatureWrite {
  setId: number;
  track: ArrayLike<number>;
  segments: ArrayLike<number>[];
}

export interface TrackStamp {
  id: number;
  path: string;
  size: number | null;
  mtimeMs: number | null;
  status: TrackStatus;
  hasFeatures: number;
  label: string | null;
  labelSource: LabelSource | null;
  reason: string | null;
}

interface TrackDbRow {
  id: number;
  folder_id: number;
  path: string;
  rel_path: string;
  label: string | null;
  label_source: LabelSource | null;
  duration: number | null;
  sample_rate: number | null;
  channels: number | null;
  status: TrackStatus;
  reason: string | null;
  n_segments: number | null;
}

export class LibraryStore {
  constructor(readonly db: DB) {}

  upsertFolder(path: string, profile: string, synthetic = false): number {
    const row = this.db.prepare('SELECT id FROM folders WHERE path = ?').get(path) as { id: number } | undefined;
    if (row) {
      this.db.prepare('UPDATE folders SET profile = ?, synthetic = MAX(synthetic, ?) WHERE id = ?').run(profile, synthetic ? 1 : 0, row.id);
      return row.id;
    }
    const info = this.db
      .prepare('INSERT INTO folders (path, added_at, profile, synthetic) VALUES (?, ?, ?, ?)')
      .run(path, new Date().toISOString(), profile, synthetic ? 1 : 0);
    return Number(info.lastInsertRowid);
  }

  folder(id: number): { id: number; path: string; profile: string } | undefined {
    return this.db.prepare('SELECT id, path, profile FROM folders WHERE id = ?').get(id) as
      | { id: number; path: string; profile: string }
      | undefined;
  }

  folders(): LibraryFolder[] {
    return (
      this.db
        .prepare(
          `SELECT f.id, f.path, f.added_at AS addedAt, f.profile, f.synthetic,
             (SELECT COUNT(*) FROM tracks t WHERE t.folder_id = f.id) AS tracks,
             (SELECT COUNT(*) FROM tracks t WHERE t.folder_id = f.id AND t.status = 'failed') AS failed
           FROM folders f ORDER BY f.id`,
        )
        .all() as (Omit<LibraryFolder, 'synthetic'> & { synthetic: number })[]
    ).map((f) => ({ ...f, synthetic: !!f.synthetic }));
  }

  removeFolder(id: number): number {
    const n = (this.db.prepare('SELECT COUNT(*) AS n FROM tracks WHERE folder_id = ?').get(id) as { n: number }).n;
    this.db.prepare('DELETE FROM folders WHERE id = ?').run(id);
    return n;
  }

  featureSetId(profile: string, settings: string, columns: readonly string[]): number {
    const row = this.db
      .prepare('SELECT id, columns FROM feature_sets WHERE profile = ? AND settings = ?')
      .get(profile, settings) as { id: number; columns: string } | undefined;
    const cols = JSON.stringify(columns);
    if (row) {
      if (row.columns !== cols) {
        // Same profile and settings but the columns changed (a new version of the extractor):
        // the cached vectors are stale, so drop them.
        this.db.transaction(() => {
          this.db.prepare('DELETE FROM features WHERE set_id = ?').run(row.id);
          this.db.prepare('UPDATE feature_sets SET columns = ? WHERE id = ?').run(cols, row.id);
        })();
      }
      return row.id;
    }
    return Number(
      this.db.prepare('INSERT INTO feature_sets (profile, settings, columns) VALUES (?, ?, ?)').run(profile, settings, cols)
        .lastInsertRowid,
    );
  }

  /** The feature set a profile name refers to (imported tables have their own), if any. */
  featureSetByProfile(profile: string): number | undefined {
    const row = this.db.prepare('SELECT id FROM feature_sets WHERE profile = ? ORDER BY id LIMIT 1').get(profile) as { id: number } | undefined;
    return row?.id;
  }

  featureSet(id: number): { profile: string; settings: string; columns: string[] } {
    const row = this.db.prepare('SELECT profile, settings, columns FROM feature_sets WHERE id = ?').get(id) as {
      profile: string;
      settings: string;
      columns: string;
    };
    return { profile: row.profile, settings: row.settings, columns: JSON.parse(row.columns) as string[] };
  }

  /** What the store knows of each file of a folder, to tell unchanged files from new or changed ones. */
  stamps(folderId: number, setId: number): Map<string, TrackStamp> {
    const rows = this.db
      .prepare(
        `SELECT t.id, t.path, t.size, t.mtime_ms AS mtimeMs, t.status, t.label, t.label_source AS labelSource, t.reason,
           EXISTS (SELECT 1 FROM features f WHERE f.track_id = t.id AND f.set_id = ?) AS hasFeatures
         FROM tracks t WHERE t.folder_id = ?`,
      )
      .all(setId, folderId) as TrackStamp[];
    return new Map(rows.map((r) => [r.path, r]));
  }

  /** Write one track and (for a decoded track) its features atomically: a track is never half-written. */
  writeTrack(t: TrackWrite, features: FeatureWrite | null): number {
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      const existing = this.db.prepare('SELECT id FROM tracks WHERE folder_id = ? AND path = ?').get(t.folderId, t.path) as
        | { id: number }
        | undefined;
      let id: number;
      const values = [
        t.relPath,
        t.size,
        t.mtimeMs,
        t.label,
        t.labelSource,
        t.duration,
        t.sampleRate,
        t.channels,
        t.format,
        t.status,
        t.reason,
        now,
      ];
      if (existing) {
        id = existing.id;
        this.db
          .prepare(
            `UPDATE tracks SET rel_path = ?, size = ?, mtime_ms = ?, label = ?, label_source = ?, duration = ?,
               sample_rate = ?, channels = ?, format = ?, status = ?, reason = ?, updated_at = ? WHERE id = ?`,
          )
          .run(...values, id);
        this.db.prepare('DELETE FROM features WHERE track_id = ?').run(id);
      } else {
        id = Number(
          this.db
            .prepare(
              `INSERT INTO tracks (rel_path, size, mtime_ms, label, label_source, duration, sample_rate, channels,
                 format, status, reason, updated_at, folder_id, path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
            )
            .run(...values, t.folderId, t.path).lastInsertRowid,
        );
      }
      if (features) {
        const segLen = features.track.length;
        const flat = new Float32Array(features.segments.length * segLen);
        features.segments.forEach((s, i) => flat.set(Float32Array.from(s), i * segLen));
        this.db
          .prepare('INSERT INTO features (track_id, set_id, track_vec, seg_vecs, n_segments) VALUES (?, ?, ?, ?, ?)')
          .run(id, features.setId, toBlob(features.track), toBlob(flat), features.segments.length);
      }
      return id;
    })();
  }

  updateLabel(trackId: number, label: string | null, source: LabelSource | null): void {
    this.db.prepare('UPDATE tracks SET label = ?, label_source = ? WHERE id = ?').run(label, source, trackId);
  }

  deleteTracks(ids: number[]): void {
    const del = this.db.prepare('DELETE FROM tracks WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => del.run(id)))();
  }

  tracks(folderId?: number, setId?: number): TrackRow[] {
    const rows = this.db
      .prepare(
        `SELECT t.id, t.folder_id, t.path, t.rel_path, t.label, t.label_source, t.duration, t.sample_rate,
           t.channels, t.status, t.reason,
           (SELECT f.n_segments FROM features f WHERE f.track_id = t.id ${setId ? 'AND f.set_id = @setId' : ''} LIMIT 1)
             AS n_segments
         FROM tracks t ${folderId ? 'WHERE t.folder_id = @folderId' : ''} ORDER BY t.folder_id, t.rel_path`,
      )
      .all({ ...(folderId ? { folderId } : {}), ...(setId ? { setId } : {}) }) as TrackDbRow[];
    return rows.map(toTrackRow);
  }

  track(id: number): (TrackRow & { folderPath: string }) | undefined {
    const row = this.db
      .prepare(
        `SELECT t.id, t.folder_id, t.path, t.rel_path, t.label, t.label_source, t.duration, t.sample_rate,
           t.channels, t.status, t.reason, fo.path AS folder_path,
           (SELECT f.n_segments FROM features f WHERE f.track_id = t.id LIMIT 1) AS n_segments
         FROM tracks t JOIN folders fo ON fo.id = t.folder_id WHERE t.id = ?`,
      )
      .get(id) as (TrackDbRow & { folder_path: string }) | undefined;
    return row ? { ...toTrackRow(row), folderPath: row.folder_path } : undefined;
  }

  features(trackId: number, setId: number): { track: Float32Array; segments: Float32Array[] } | undefined {
    const row = this.db
      .prepare('SELECT track_vec, seg_vecs, n_segments FROM features WHERE track_id = ? AND set_id = ?')
      .get(trackId, setId) as { track_vec: Buffer; seg_vecs: Buffer | null; n_segments: number } | undefined;
    if (!row) return undefined;
    const track = fromBlob(row.track_vec);
    const flat = fromBlob(row.seg_vecs);
    const segments: Float32Array[] = [];
    for (let i = 0; i < row.n_segments; i++) segments.push(flat.subarray(i * track.length, (i + 1) * track.length));
    return { track, segments };
  }

  /** Every track of a folder (or all) that has features in the given set, in table order. */
  *iterateFeatures(
    setId: number,
    folderId?: number,
  ): Generator<{ id: number; relPath: string; path: string; label: string | null; duration: number | null; track: Float32Array; segments: Float32Array[] }> {
    const stmt = this.db.prepare(
      `SELECT t.id, t.rel_path, t.path, t.label, t.duration, f.track_vec, f.seg_vecs, f.n_segments
       FROM tracks t JOIN features f ON f.track_id = t.id AND f.set_id = @setId
       ${folderId ? 'WHERE t.folder_id = @folderId' : ''} ORDER BY t.folder_id, t.rel_path`,
    );
    for (const r of stmt.iterate({ setId, ...(folderId ? { folderId } : {}) }) as Iterable<{
      id: number;
      rel_path: string;
      path: string;
      label: string | null;
      duration: number | null;
      track_vec: Buffer;
      seg_vecs: Buffer | null;
      n_segments: number;
    }>) {
      const track = fromBlob(r.track_vec);
      const flat = fromBlob(r.seg_vecs);
      const segments: Float32Array[] = [];
      for (let i = 0; i < r.n_segments; i++) segments.push(flat.subarray(i * track.length, (i + 1) * track.length));
      yield { id: r.id, relPath: r.rel_path, path: r.path, label: r.label, duration: r.duration, track, segments };
    }
  }

  /** Is this absolute path a track of some library folder? (The audio route serves only these.) */
  isLibraryFile(path: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM tracks WHERE path = ? AND status != 'no-audio' LIMIT 1").get(path);
  }
}

function toTrackRow(r: TrackDbRow): TrackRow {
  return {
    id: r.id,
    folderId: r.folder_id,
    path: r.path,
    relPath: r.rel_path,
    label: r.label,
    labelSource: r.label_source,
    duration: r.duration,
    sampleRate: r.sample_rate,
    channels: r.channels,
    status: r.status,
    reason: r.reason,
    segments: r.n_segments ?? 0,
  };
}
