// The renderer's pure parts of the probes and of out-of-domain placement: the probe table (best values
// per column, held-out vs in-sample, formatting), the NN-accuracy bars, the probe form's request, and
// placements merged after a map's own points with their own legend group whatever the colouring.
import { describe, expect, it } from 'vitest';
import type { MapPlacement, ProbeDetail, ProbeRow } from '../../../src/shared/probes';
import type { MapDetail } from '../../../src/shared/types';
import { decodeFloat32 } from '../../../src/renderer/src/lib/scatter';
import { buildProbeRequest } from '../../../src/renderer/src/views/probes/model';
import { canProbe, factorText, nnBars, probeRows } from '../../../src/renderer/src/views/probes/probeTable';
import { categoriseWithGroups, encodeFloat32, isPlaced, OOD_COLOURS, ownCount, withPlacements, withoutPlacements } from '../../../src/renderer/src/views/map/placed';

const score = (mse: number, r2: number, nn: number, n = 10) => ({ mse, r2, nnAccuracy: nn, n });
function row(kind: string, a: number, held: number | null): ProbeRow {
  return { kind, label: kind, params: 1, inSample: score(a, 1 - a, 1 - a / 2), heldOut: held === null ? null : score(held, 1 - held, 1 - held / 2) };
}
const KINDS = ['identity', 'translation', 'uniform', 'diagonal', 'orthogonal', 'affine'];
const probe = {
  id: 1, pitch: 1.5, tempo: 1.5, clips: 10,
  pitchTable: { n: 10, d: 4, rows: KINDS.map((k, i) => row(k, 0.05 * (6 - i), i === 0 ? 0.01 : 0.1 + 0.01 * i)), train: [0, 1, 2, 3, 4], test: [5, 6, 7, 8, 9] },
  tempoTable: { n: 10, d: 4, rows: KINDS.map((k, i) => row(k, 0.02 * (7 - i), 0.2)), train: [0, 1, 2, 3, 4], test: [5, 6, 7, 8, 9] },
} as unknown as ProbeDetail;

describe('probe table', () => {
  it('marks the best fitted value per column (not the identity baseline), per scope', () => {
    const rows = probeRows(probe, 'inSample');
    expect(rows.map((r) => r.kind)).toEqual(KINDS);
    const best = (side: 'pitch' | 'tempo', m: 'mse' | 'r2' | 'nnAccuracy') => rows.filter((r) => r[side][m].best).map((r) => r.kind);
    expect(best('pitch', 'mse')).toEqual(['affine']);
    expect(best('pitch', 'r2')).toEqual(['affine']);
    expect(best('tempo', 'nnAccuracy')).toEqual(['affine']);
    const held = probeRows(probe, 'heldOut');
    // held-out pitch MSE grows with the row: translation is best (the identity's 0.01 does not count)
    expect(held.filter((r) => r.pitch.mse.best).map((r) => r.kind)).toEqual(['translation']);
    // ties are all marked
    expect(held.filter((r) => r.tempo.mse.best)).toHaveLength(5);
    expect(rows[5]!.pitch.nnAccuracy.text).toBe('97.5 %');
    expect(rows[0]!.pitch.r2.text).toBe('0.700');
  });
  it('bars, factors, which runs can be probed', () => {
    const bars = nnBars(probe, 'heldOut');
    expect(bars[1]).toEqual({ kind: 'translation', label: 'translation', pitch: 1 - 0.11 / 2, tempo: 0.9 });
    expect(factorText(1.5)).toBe('+50 %');
    expect(factorText(1.25)).toBe('+25 %');
    const run = { hasModel: true, model: 'dense' } as Parameters<typeof canProbe>[0];
    expect(canProbe(run)).toBe(true);
    expect(canProbe({ ...run, model: 'knn' })).toBe(false);
    expect(canProbe({ ...run, hasModel: false })).toBe(false);
  });
  it('the form builds a request or says what is missing', () => {
    const base = { runId: 3, source: 'run' as const, folderId: null, path: '', maxClips: '', seed: '0' };
    expect(buildProbeRequest(base)).toEqual({ request: { runId: 3, seed: 0 }, errors: [] });
    expect(buildProbeRequest({ ...base, source: 'folder', folderId: 2, maxClips: '40' }).request).toEqual({ runId: 3, folderIds: [2], maxClips: 40, seed: 0 });
    expect(buildProbeRequest({ ...base, source: 'path', path: ' /m ' }).request).toEqual({ runId: 3, folder: '/m', seed: 0 });
    const bad = buildProbeRequest({ ...base, runId: null, source: 'path', maxClips: '1', seed: '-1' });
    expect(bad.request).toBeNull();
    expect(bad.errors).toHaveLength(4);
  });
});

describe('placements in the Map view', () => {
  const map: MapDetail = {
    id: 4, name: 'm', createdAt: '', method: 'tsne', dims: 2, n: 3, source: '', trustworthiness: null, seconds: 0, hasClusters: false,
    request: { source: { kind: 'features' }, method: 'tsne', dims: 2 },
    points: encodeFloat32(Float32Array.from([0, 0, 1, 1, 2, 2])),
    meta: [
      { trackId: 1, name: 'a', label: 'rock', predicted: null },
      { trackId: 2, name: 'b', label: 'jazz', predicted: null },
      { trackId: 3, name: 'c', label: 'rock', predicted: null },
    ],
    labels: ['jazz', 'rock'], warnings: [], clusters: null,
  };
  const placement = (id: number, group: string, pts: number[]): MapPlacement => ({
    id, mapId: 4, name: group, createdAt: '', folderId: 9, folderPath: '/x', method: 'knn-mean', note: '', n: pts.length / 2, dims: 2,
    points: encodeFloat32(Float32Array.from(pts)),
    meta: Array.from({ length: pts.length / 2 }, (_, i) => ({ trackId: 100 + i, name: `x${i}`, label: 'disco', predicted: null, group, nearest: 'rock' })),
    landing: [{ label: 'rock', count: pts.length / 2 }], warnings: [],
  });

  it('appends placed points after the map’s own, and strips them again', () => {
    const merged = withPlacements(map, [placement(1, 'out of domain: x', [5, 5, 6, 6]), placement(2, 'out of domain: y', [7, 7])]);
    expect(merged.n).toBe(6);
    expect(Array.from(decodeFloat32(merged.points))).toEqual([0, 0, 1, 1, 2, 2, 5, 5, 6, 6, 7, 7]);
    expect(ownCount(merged.meta)).toBe(3);
    expect(merged.meta.filter(isPlaced)).toHaveLength(3);
    const back = withoutPlacements(merged);
    expect(back.n).toBe(3);
    expect(back.points).toBe(map.points);
    // merging again replaces, never stacks; another map's placement is ignored
    expect(withPlacements(merged, [{ ...placement(3, 'z', [1, 1]), mapId: 5 }]).n).toBe(3);
    expect(withPlacements(merged, [placement(1, 'out of domain: x', [5, 5, 6, 6])]).n).toBe(5);
  });

  it('each placement is its own legend group (key ood:<group>), whatever the colouring, drawn emphasised', () => {
    const merged = withPlacements(map, [placement(1, 'out of domain: x', [5, 5, 6, 6])]);
    for (const by of ['label', 'predicted', 'correctness'] as const) {
      const c = categoriseWithGroups(merged.meta, merged.labels, by);
      const ood = c.categories.find((x) => x.key === 'ood:out of domain: x')!;
      expect(ood.name).toBe('out of domain: x');
      expect(ood.colour).toBe(OOD_COLOURS[0]);
      expect(ood.count).toBe(2);
      expect(c.index[3]).toBe(c.categories.indexOf(ood));
      expect(Array.from(c.emphasis.subarray(3))).toEqual([1, 1]);
      // the placed points' own label (disco) does not become a label category
      expect(c.categories.some((x) => x.key === 'label:disco')).toBe(false);
    }
    // cluster labels cover the map's own points only
    const byCluster = categoriseWithGroups(merged.meta, merged.labels, 'cluster', [0, 1, 0]);
    expect(byCluster.by).toBe('cluster');
    expect(byCluster.categories.map((x) => x.key)).toEqual(['cluster:0', 'cluster:1', 'ood:out of domain: x']);
    // without placements it is the plain colouring
    expect(categoriseWithGroups(map.meta, map.labels, 'label').categories.map((x) => x.key)).toEqual(['label:jazz', 'label:rock']);
  });
});
