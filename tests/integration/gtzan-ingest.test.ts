// When ../shared/data/gtzan-audio exists: ingest every shared GTZAN clip; each gets its folder's
// label and a finite feature vector.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Services } from '../../src/main/services';
import { featureSetFor } from '../../src/main/services/library';
import { sharedPath } from '../helpers/shared';

const audio = sharedPath('gtzan-audio', 'GTZAN ingest');

describe.skipIf(!audio)('GTZAN shared clips', () => {
  it('ingests every clip with its folder label and finite features', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'genrelab-gtzan-'));
    const s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 2 });
    try {
      const { done, folderId } = await s.startIngest(audio!, 'gtzan57');
      const summary = await done;
      expect(summary.failed).toEqual([]);
      expect(summary.tracks).toBe(56);
      const setId = featureSetFor(s.store, 'gtzan57');
      const tracks = s.store.tracks(folderId, setId);
      expect(tracks).toHaveLength(56);
      for (const t of tracks) {
        const folder = t.relPath.split('/')[0];
        expect(t.label).toBe(folder);
        expect(t.status).toBe('ok');
        expect(t.sampleRate).toBe(22050);
        expect(t.duration!).toBeGreaterThan(29);
        const f = s.store.features(t.id, setId)!;
        expect(f.track.length).toBe(57);
        expect([...f.track].every(Number.isFinite)).toBe(true);
        expect(f.segments.length).toBe(10);
      }
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
