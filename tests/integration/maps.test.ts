// Maps through the service: projection in a worker with frames, stored and reloaded, clustering sweep,
// exports in the Embedding Projector's format, and the size guard.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../../src/main/engine/random';
import { Services } from '../../src/main/services';
import { checkSize, pointsFromDataset, runMap, type PointSet } from '../../src/main/services/maps';
import { datasetFromCsv } from '../../src/main/services/dataset';

let dir: string;
let s: Services;

/** Three well-separated Gaussian blobs in 6-D, as a feature table. */
function blobs(perClass: number): PointSet {
  const rng = mulberry32(7);
  const lines = ['filename,length,a,b,c,d,e,f,label'];
  ['x', 'y', 'z'].forEach((label, c) => {
    for (let i = 0; i < perClass; i++) {
      const v = Array.from({ length: 6 }, (_, j) => (j === c * 2 ? 8 : 0) + normal(rng));
      lines.push([`${label}.${i}.wav`, '1', ...v.map((x) => x.toFixed(5)), label].join(','));
    }
  });
  return pointsFromDataset(datasetFromCsv(lines.join('\n')), 'blobs');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-maps-'));
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: dir, workers: 1 });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => ({ store: s.store, maps: s.maps, runs: s.runs, pool: s.pool });

describe('maps service', () => {
  it('runs t-SNE in a worker with frames, stores the map, and clusters it', async () => {
    const frames: number[] = [];
    const ps = blobs(20);
    const { done } = s.jobs.start('map', (ctx) =>
      runMap({ ...deps(), onFrame: (f) => frames.push(f.iteration) }, { source: { kind: 'features' }, method: 'tsne', dims: 3, perplexity: 5, iterations: 300, seed: 1 }, ctx, ps),
    );
    const info = await done;
    expect(info.state).toBe('done');
    const { mapId } = info.result as { mapId: number };
    expect(frames.length).toBeGreaterThan(0);
    const map = await s.handlers['maps.get']({ mapId });
    expect(map.n).toBe(60);
    expect(map.dims).toBe(3);
    expect(Buffer.from(map.points, 'base64').byteLength).toBe(60 * 3 * 4);
    expect(map.trustworthiness!).toBeGreaterThan(0.9);
    expect(map.labels).toEqual(['x', 'y', 'z']);

    const sweep = await s.startCluster(mapId, { kMin: 2, kMax: 4, seeds: 2 }).done;
    const k3 = sweep.cells.find((c) => c.k === 3 && c.method === 'kmeans')!;
    expect(k3.accuracy!.mean).toBeGreaterThan(0.95); // well-separated blobs are recovered
    expect(sweep.bestK).toBe(3);
    expect((await s.handlers['maps.get']({ mapId })).clusters?.bestK).toBe(3);

    const pts = await s.handlers['maps.export']({ mapId, kind: 'points.tsv' });
    const rows = pts.data.trim().split('\n');
    expect(rows).toHaveLength(60);
    expect(rows[0]!.split('\t')).toHaveLength(3);
    const meta = await s.handlers['maps.export']({ mapId, kind: 'metadata.tsv' });
    const mrows = meta.data.trim().split('\n');
    expect(mrows[0]).toBe('name\tlabel\tpredicted\tcluster');
    expect(mrows).toHaveLength(61);
    const csv = await s.handlers['maps.export']({ mapId, kind: 'clusters.csv' });
    expect(csv.data.split('\n')[0]).toContain('hungarian_accuracy_mean');
  });

  it('PCA and UMAP maps; too few points for the perplexity lowers it with a warning', async () => {
    const ps = blobs(4);
    for (const method of ['pca', 'umap'] as const) {
      const { done } = s.jobs.start('map', (ctx) => runMap(deps(), { source: { kind: 'features' }, method, dims: 2, neighbours: 5, seed: 3 }, ctx, ps));
      const r = await done;
      expect(r.error, method).toBeNull();
      expect(r.state).toBe('done');
    }
    const { done } = s.jobs.start('map', (ctx) => runMap(deps(), { source: { kind: 'features' }, method: 'tsne', dims: 2, perplexity: 30, iterations: 250 }, ctx, ps));
    const info = await done;
    expect(info.state).toBe('done');
    expect((info.result as { warnings: string[] }).warnings.join(' ')).toMatch(/perplexity lowered/);
  });

  it('refuses a 200,000-point t-SNE with a suggestion instead of exhausting memory', () => {
    expect(() => checkSize('tsne', 200_000, 57, 3, 30)).toThrow(/PCA or UMAP, or map a sample/);
    expect(() => checkSize('pca', 200_000, 57, 3, 30)).not.toThrow();
  });
});
