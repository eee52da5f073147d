// The Map view's forms and cluster panel data (src/renderer/src/lib/scatterForm.ts and
// scatterClusters.ts): every request the form builds is one the maps service accepts and the
// limits agree with it; the perplexity note says what the t-SNE engine does; the chart series,
// best k and accuracy table agree with the engine's own sweep.
import { describe, expect, it } from 'vitest';
import type { AppInfo, ClusterSweep, LibraryFolder, TrackRow } from '../../../src/shared/types';
import { clusterTask } from '../../../src/main/jobs/maps';
import { clusterSweep } from '../../../src/main/engine/latent/sweep';
import { TSNE } from '../../../src/main/engine/latent/tsne';
import { mulberry32 } from '../../../src/main/engine/random';
import { checkMapRequest } from '../../../src/main/services/maps';
import {
  accuracyTable,
  cellOf,
  clusterChoice,
  indexSeries,
  INDICES,
  meanSd,
  methodName,
  sweepKs,
  sweepMethods,
} from '../../../src/renderer/src/lib/scatterClusters';
import {
  buildClusterRequest,
  buildMapRequest,
  editFeatureChoice,
  INITIAL_CLUSTER_FORM,
  initialMapForm,
  MAP_LIMITS,
  type MapForm,
  perplexityNote,
  pointCount,
} from '../../../src/renderer/src/lib/scatterForm';

const INFO: AppInfo = {
  version: '0', transport: 'browser', dbPath: '', dataDir: '', defaultProfile: 'gtzan57', workers: 2, backend: 'wasm', demoPath: '', canPickFolder: false,
  profiles: [{ name: 'gtzan57', description: '', columns: ['a_mean', 'b_mean'] } as AppInfo['profiles'][number]],
};
const FOLDERS: LibraryFolder[] = [
  { id: 1, path: '/m/one', addedAt: '', tracks: 2, failed: 0, profile: 'gtzan57', synthetic: false },
  { id: 2, path: '/m/two', addedAt: '', tracks: 2, failed: 1, profile: 'gtzan57', synthetic: false },
  { id: 3, path: '/m/meyda', addedAt: '', tracks: 1, failed: 0, profile: 'meyda', synthetic: false },
];
const track = (id: number, folderId: number, segments: number, status: TrackRow['status'] = 'ok'): TrackRow => ({
  id, folderId, path: `/x/${id}.wav`, relPath: `${id}.wav`, label: 'a', labelSource: 'folder', duration: 30, sampleRate: 22050, channels: 1, status, reason: null, segments,
});
const TRACKS = [track(1, 1, 10), track(2, 1, 9), track(3, 2, 10), track(4, 2, 0, 'failed'), track(5, 3, 10)];

describe('the map form', () => {
  const base = (): MapForm => initialMapForm(INFO, FOLDERS);

  it('starts as a 3-D t-SNE of whole tracks with the service’s defaults, which the service accepts', () => {
    const { request, errors } = buildMapRequest(base());
    expect(errors).toEqual({});
    expect(request).toEqual({ source: { kind: 'features', profile: 'gtzan57', segments: false }, method: 'tsne', dims: 3, perplexity: 30, iterations: 1000, seed: 0 });
    // The service fills the same defaults for what the form leaves out.
    expect(checkMapRequest(request!)).toEqual({ perplexity: 30, iterations: 1000, neighbours: 15, minDist: 0.1, seed: 0 });
  });

  it('sends only the chosen method’s settings, and the chosen folders and columns', () => {
    const umap = buildMapRequest({ ...base(), method: 'umap', dims: 2, neighbours: '8', minDist: '0.25', seed: '3', folderIds: [2], columns: ['b_mean'], segments: true, name: '  mine ' }).request!;
    expect(umap).toEqual({
      source: { kind: 'features', profile: 'gtzan57', segments: true, folderIds: [2], columns: ['b_mean'] },
      method: 'umap', dims: 2, neighbours: 8, minDist: 0.25, seed: 3, name: 'mine',
    });
    expect(() => checkMapRequest(umap)).not.toThrow();
    expect(buildMapRequest({ ...base(), method: 'pca', perplexity: 'nonsense' }).request).toEqual({
      source: { kind: 'features', profile: 'gtzan57', segments: false }, method: 'pca', dims: 3,
    });
  });

  it('agrees with the service on every limit: values at a limit pass both, values past it fail both', () => {
    const cases: Array<[keyof typeof MAP_LIMITS, 'tsne' | 'umap', keyof MapForm]> = [
      ['perplexity', 'tsne', 'perplexity'],
      ['iterations', 'tsne', 'iterations'],
      ['neighbours', 'umap', 'neighbours'],
      ['minDist', 'umap', 'minDist'],
    ];
    for (const [key, method, field] of cases) {
      const { min, max } = MAP_LIMITS[key];
      const step = key === 'minDist' ? 0.01 : key === 'perplexity' ? 0.5 : 1;
      for (const [v, ok] of [[min, true], [max, true], [min - step, false], [max + step, false]] as const) {
        const built = buildMapRequest({ ...base(), method, [field]: String(v) });
        expect(built.request !== null, `${key} = ${v}`).toBe(ok);
        const req = { ...buildMapRequest({ ...base(), method }).request!, [key]: v };
        if (ok) expect(() => checkMapRequest(req)).not.toThrow();
        else expect(() => checkMapRequest(req)).toThrow();
      }
    }
    expect(buildMapRequest({ ...base(), iterations: '100.5' }).errors.iterations).toMatch(/whole number/);
    expect(buildMapRequest({ ...base(), seed: '-1' }).errors.seed).toMatch(/^Seed:/);
  });

  it('refuses a model layer without a run, and no columns or no folders, with the reasons', () => {
    const run = buildMapRequest({ ...base(), source: 'run', runId: 7 });
    expect(run.request?.source).toEqual({ kind: 'run', runId: 7 });
    const r0 = buildMapRequest({ ...base(), source: 'run', runId: null });
    expect(r0.errors.source).toMatch(/Choose a dense-network run/);
    const r = buildMapRequest({ ...base(), source: 'features', columns: [], folderIds: [] });
    expect(r.request).toBeNull();
    expect(Object.keys(r.errors).sort()).toEqual(['columns', 'folders']);
  });

  it('edits the feature choice: a new profile starts from everything; toggles return to "all"; gone folders drop out', () => {
    const f = base();
    expect(editFeatureChoice(f, { kind: 'profile', profile: 'gtzan57' })).toBe(f);
    const off = editFeatureChoice(f, { kind: 'folder', folders: FOLDERS, folderId: 1, on: false });
    expect(off.folderIds).toEqual([2]);
    expect(editFeatureChoice(off, { kind: 'folder', folders: FOLDERS, folderId: 1, on: true }).folderIds).toBeNull();
    const cols = editFeatureChoice(off, { kind: 'columns', all: ['a_mean', 'b_mean'], columns: ['a_mean'], on: false });
    expect(cols.columns).toEqual(['b_mean']);
    expect(editFeatureChoice(cols, { kind: 'columns', all: ['a_mean', 'b_mean'], columns: ['a_mean'], on: true }).columns).toBeNull();
    const other = editFeatureChoice(cols, { kind: 'profile', profile: 'meyda' });
    expect([other.profile, other.columns, other.folderIds]).toEqual(['meyda', null, null]);
    expect(editFeatureChoice(off, { kind: 'sync', folders: FOLDERS.filter((x) => x.id !== 2) }).folderIds).toEqual([]);
    expect(editFeatureChoice(off, { kind: 'sync', folders: FOLDERS })).toBe(off);
  });

  it('counts the points: usable tracks of the chosen folders of the profile, or their stored segments', () => {
    expect(pointCount(base(), FOLDERS, TRACKS)).toBe(3);
    expect(pointCount({ ...base(), segments: true }, FOLDERS, TRACKS)).toBe(29);
    expect(pointCount({ ...base(), folderIds: [2] }, FOLDERS, TRACKS)).toBe(1);
    expect(pointCount({ ...base(), profile: 'meyda' }, FOLDERS, TRACKS)).toBe(1);
  });

  it('says perplexity will be lowered exactly when, and to what, the t-SNE engine lowers it', () => {
    for (const [n, p] of [[24, 5], [24, 8], [10, 30], [91, 30], [92, 30]] as const) {
      const X = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.7));
      const t = new TSNE({ dim: 2, perplexity: p, nIter: 1, rng: mulberry32(1) }).init(X, n, 2);
      const note = perplexityNote({ ...base(), perplexity: String(p) }, n);
      if (t.perplexity === p) expect(note).toBeNull();
      else expect(note).toContain(`lowered to ${Number(t.perplexity.toFixed(2))}`);
    }
    expect(perplexityNote({ ...base(), method: 'umap' }, 5)).toBeNull();
  });

  it('builds the sweep request within the service’s bounds (2 ≤ kMin ≤ kMax ≤ 50, 1–20 seeds)', () => {
    expect(buildClusterRequest(INITIAL_CLUSTER_FORM).request).toEqual({ kMin: 2, kMax: 12, seeds: 5, space: 'map' });
    expect(buildClusterRequest({ ...INITIAL_CLUSTER_FORM, kMin: '5', kMax: '4' }).errors.kMax).toMatch(/at least the smallest/);
    expect(Object.keys(buildClusterRequest({ kMin: '1', kMax: '51', seeds: '0', space: 'features' }).errors).sort()).toEqual(['kMax', 'kMin', 'seeds']);
  });
});

describe('the cluster panel', () => {
  // Four well-separated blobs in 2-D, 15 points each, labelled by blob.
  const n = 60;
  const rng = mulberry32(3);
  const X = new Float64Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels[i] = c;
    X[i * 2] = [0, 10, 0, 10][c]! + (rng() - 0.5);
    X[i * 2 + 1] = [0, 0, 10, 10][c]! + (rng() - 0.5);
  }

  it('plots each index per method and marks the best k the engine finds', async () => {
    const sweep = await clusterTask({ X, n, d: 2, kMin: 2, kMax: 6, seeds: 3, trueLabels: labels, space: 'map' }, { progress: () => undefined });
    const engine = clusterSweep(X, n, 2, [2, 3, 4, 5, 6], ['kmeans', 'gmm-full'], [0, 1, 2], { trueLabels: labels });
    expect(sweepMethods(sweep)).toEqual(['kmeans', 'gmm-full']);
    expect(sweepKs(sweep)).toEqual([2, 3, 4, 5, 6]);
    for (const ix of INDICES) {
      const series = indexSeries(sweep, ix.key);
      for (const s of series) {
        expect(s.points.map((p) => p[0])).toEqual([2, 3, 4, 5, 6]);
        expect(s.points.map((p) => p[1])).toEqual(sweep.cells.filter((c) => c.method === s.key).map((c) => c[ix.key].mean));
        // The best k of each index agrees with the engine's.
        expect(s.bestK).toBe(engine.best[s.key]![ix.key]);
      }
    }
    // Four blobs: four clusters win, and match the labels perfectly.
    expect(sweep.bestK).toBe(4);
    const rows = accuracyTable(sweep, 4);
    expect(rows.map((r) => [r.k, r.why])).toEqual([[4, 'classes, best']]);
    expect(rows[0]!.cells.map((c) => c.accuracy!.mean)).toEqual([1, 1]);
  });

  it('lists k = 7 and 10 (the study’s Table 1) when swept, and formats mean ± sd', () => {
    const cell = (k: number, method: 'kmeans' | 'gmm-full', acc: number | null) => ({
      k, method, labels: [], silhouette: { mean: 0.1 * k, sd: 0 }, calinskiHarabasz: { mean: NaN, sd: NaN }, daviesBouldin: { mean: 1 / k, sd: 0.01 },
      accuracy: acc === null ? null : { mean: acc, sd: 0.0123 },
    });
    const sweep: ClusterSweep = { space: 'features', seeds: 5, bestK: 10, bestMethod: 'gmm-full', cells: [6, 7, 8, 9, 10].flatMap((k) => [cell(k, 'kmeans', 0.5), cell(k, 'gmm-full', k === 7 ? null : 0.6)]) };
    expect(accuracyTable(sweep, 8).map((r) => [r.k, r.why])).toEqual([[7, 'study'], [8, 'classes'], [10, 'study, best']]);
    expect(accuracyTable(sweep, 8)[0]!.cells.map((c) => meanSd(c.accuracy, 1, 100))).toEqual(['50.0 ± 1.2', '–']);
    // An index that is NaN everywhere draws nothing and has no best.
    expect(indexSeries(sweep, 'calinskiHarabasz').every((s) => s.points.length === 0 && s.bestK === null)).toBe(true);
    expect(indexSeries(sweep, 'daviesBouldin')[0]!.bestK).toBe(10);
    expect(clusterChoice(sweep, null)).toEqual({ method: 'gmm-full', k: 10 });
    expect(clusterChoice(sweep, { method: 'kmeans', k: 7 })).toEqual({ method: 'kmeans', k: 7 });
    expect(clusterChoice(sweep, { method: 'kmeans', k: 3 })).toEqual({ method: 'gmm-full', k: 10 });
    expect(cellOf(sweep, 'kmeans', 8)?.k).toBe(8);
    expect(methodName('gmm-full')).toBe('GMM');
    expect(meanSd(null)).toBe('–');
  });
});
