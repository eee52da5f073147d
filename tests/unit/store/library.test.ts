import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, fromBlob, toBlob, type DB } from '../../../src/main/store/db';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { LibraryStore } from '../../../src/main/store/library';

let dir: string;
let db: DB;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-store-'));
  db = openDatabase(join(dir, 'g.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const track = (folderId: number, path: string, status: 'ok' | 'failed' = 'ok') => ({
  folderId,
  path,
  relPath: path.split('/').slice(-2).join('/'),
  size: 10,
  mtimeMs: 1,
  label: 'rock',
  labelSource: 'folder' as const,
  duration: 30,
  sampleRate: 22050,
  channels: 1,
  format: 'wav',
  status,
  reason: status === 'failed' ? 'corrupt: bad' : null,
});

describe('store', () => {
  it('migrates to the latest schema, in WAL mode, idempotently', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    db = openDatabase(join(dir, 'g.sqlite')); // reopening applies nothing twice
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('round-trips Float32 blobs exactly, including unaligned buffers', () => {
    const v = Float32Array.from([1.5, -2.25, 3e-8, 1e30]);
    const b = toBlob(v);
    const unaligned = Buffer.concat([Buffer.from([0]), b]).subarray(1);
    expect(Array.from(fromBlob(unaligned))).toEqual(Array.from(v));
    expect(fromBlob(null).length).toBe(0);
  });

  it('writes a track with its features atomically and reads them back', () => {
    const s = new LibraryStore(db);
    const f = s.upsertFolder('/m', 'meyda');
    const set = s.featureSetId('meyda', '{}', ['a', 'b']);
    const id = s.writeTrack(track(f, '/m/rock/a.wav'), { setId: set, track: [1, 2], segments: [[1, 2], [3, 4]] });
    const got = s.features(id, set)!;
    expect(Array.from(got.track)).toEqual([1, 2]);
    expect(got.segments.map((x) => Array.from(x))).toEqual([[1, 2], [3, 4]]);
    expect(s.tracks(f, set)[0]!.segments).toBe(2);
    // A failing feature write rolls the track row back too: no half-written track.
    expect(() => s.writeTrack(track(f, '/m/rock/b.wav'), { setId: 9999, track: [1], segments: [] })).toThrow();
    expect(s.tracks(f).map((t) => t.path)).toEqual(['/m/rock/a.wav']);
  });

  it('drops cached vectors when a profile’s columns change, and cascades folder removal', () => {
    const s = new LibraryStore(db);
    const f = s.upsertFolder('/m', 'meyda');
    const set = s.featureSetId('meyda', '{}', ['a']);
    const id = s.writeTrack(track(f, '/m/x/a.wav'), { setId: set, track: [1], segments: [] });
    expect(s.featureSetId('meyda', '{}', ['a', 'b'])).toBe(set);
    expect(s.features(id, set)).toBeUndefined();
    expect(s.removeFolder(f)).toBe(1);
    expect(s.tracks()).toEqual([]);
  });
});
