// import-features: a feature table becomes tracks without audio, in the profile whose columns it has.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../src/main/engine/features';
import { Services } from '../../src/main/services';
import { sharedPath } from '../helpers/shared';

let dir: string;
let s: Services;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-import-'));
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 1 });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('import-features', () => {
  it('imports a small table in the gtzan57 layout, skipping bad rows with their reasons', async () => {
    const cols = getProfile('gtzan57').columns;
    const row = (name: string, label: string, v: number) => [name, '661794', ...cols.map((_, i) => String(v + i)), label].join(',');
    const lines = [
      ['filename', 'length', ...cols, 'label'].join(','),
      row('a.00000.wav', 'a', 1),
      row('b.00000.wav', 'b', 2),
      row('c.00000.wav', 'c', 3).replace(',5,', ',,'), // a missing value
      'short,row',
    ];
    const file = join(dir, 'small.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await s.handlers['library.importTable']({ path: file });
    expect(r.profile).toBe('gtzan57');
    expect(r.tracks).toBe(2);
    expect(r.skipped.map((x) => x.row)).toEqual([4, 5]);
    expect(r.skipped[0]!.reason).toMatch(/missing/);
    const tracks = await s.handlers['library.tracks']({ folderId: r.folderId });
    expect(tracks.map((t) => [t.relPath, t.status, t.label])).toEqual([
      ['a.00000.wav', 'no-audio', 'a'],
      ['b.00000.wav', 'no-audio', 'b'],
    ]);
    const f = await s.handlers['features.get']({ trackId: tracks[0]!.id });
    expect(f.track.slice(0, 3)).toEqual([1, 2, 3]);
    // A table is not a folder: rescanning it is refused with a clear message.
    await expect(s.handlers['library.rescan']({ folderId: r.folderId })).rejects.toMatchObject({ kind: 'bad-request' });
    // The audio route refuses tracks without audio.
    await expect(s.handlers['library.importTable']({ path: join(dir, 'nope.csv') })).rejects.toMatchObject({ kind: 'not-found' });
  });

  const table30 = sharedPath('gtzan-features/features_30_sec.csv', 'GTZAN table import');
  const table3 = sharedPath('gtzan-features/features_3_sec_subset_classical_jazz_rock.csv', 'GTZAN 3-s table import');
  it.skipIf(!table30 || !table3)('imports the published 30-s and 3-s tables', async () => {
    const a = await s.handlers['library.importTable']({ path: table30! });
    expect(a).toMatchObject({ profile: 'gtzan57', tracks: 1000, columns: 57, skipped: [] });
    const b = await s.handlers['library.importTable']({ path: table3! });
    expect(b.profile).toBe('gtzan57');
    expect(b.tracks).toBe(300);
    expect(b.segments).toBe(2996);
    const t = (await s.handlers['library.tracks']({ folderId: b.folderId }))[0]!;
    expect(t.segments).toBeGreaterThanOrEqual(9);
  });
});
