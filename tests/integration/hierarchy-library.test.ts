// A 3-genre audio library runs every model end to end through the services (what the UI calls): a
// small library made with the project's synthesiser (3 styles × 6 clips of 6 s) is ingested, then
// every model — the flat ones and the hierarchical and graph ones — trains with 3-fold CV and is
// stored with accuracy, macro-F1, average precision and coverage error; the tier models keep their
// per-tier accuracy and genre tree, per-node its three variants and super-genres, GraphSAGE its kept
// features; the Tree view's dendrogram of the library builds in a worker, and a run's prediction is
// explained (Shapley values, cached with the run).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, RunAttributions, TreeResult } from '../../src/shared/types';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { Services, unwrap } from '../../src/main/services';

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const CLIPS = 6;
let dir = '';
let s: Services;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-hier-lib-'));
  STYLES.forEach((style, si) => {
    for (let i = 0; i < CLIPS; i++) {
      const file = join(dir, 'music', style, `${style}.${String(i).padStart(2, '0')}.wav`);
      mkdirSync(join(dir, 'music', style), { recursive: true });
      writeFileSync(file, encodeWav(synthesiseClip(style, 900 + 31 * si + i, 6), 22050));
    }
  });
  s = new Services({ dbPath: join(dir, 'g.sqlite'), dataDir: join(dir, 'data'), workers: 2 });
  const r = await (await s.startIngest(join(dir, 'music'), 'gtzan57')).done;
  expect(r.extracted).toBe(STYLES.length * CLIPS);
}, 300_000);

afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Small settings so that the whole suite trains in a few minutes on two shared cores. */
const MODELS: Array<{ model: string; params?: Record<string, unknown> }> = [
  { model: 'tree' },
  { model: 'knn', params: { k: 3 } },
  { model: 'dense', params: { hidden: [32], maxEpochs: 30, patience: 10 } },
  { model: 'kernel' },
  { model: 'ensemble', params: { members: [{ kind: 'knn', params: { k: 3 } }, { kind: 'tree', params: { maxDepth: 4 } }] } },
  { model: 'stacknet', params: { hidden: [32], maxEpochs: 30, patience: 10, tiers: 'halving' } },
  { model: 'tier-gru', params: { units: 8, dense: 32, maxEpochs: 30, patience: 10 } },
  { model: 'per-node', params: { superMethod: 'linkage', superGenres: 2 } },
  { model: 'graphsage', params: { k: 3, hidden: [32], maxEpochs: 60, patience: 20, selectFeatures: -1, validationFraction: 0 } },
];

const runIds = new Map<string, number>();

describe('every model on a 3-genre library, through the services', () => {
  for (const m of MODELS) {
    it(`${m.model}: stored with accuracy, macro-F1, AP and coverage error`, async () => {
      const out = await s.startTraining({ model: m.model, params: m.params, evaluation: { kind: 'cv', folds: 3 }, seed: 2 }).done;
      runIds.set(m.model, out.runId);
      const run = s.runs.get(out.runId)!;
      expect(run.metrics.n).toBe(STYLES.length * CLIPS);
      expect(run.metrics.labels).toEqual([...STYLES].sort());
      expect(run.metrics.accuracy).toBeGreaterThanOrEqual(0);
      expect(run.metrics.ap).toBeGreaterThan(0);
      expect(run.metrics.ap).toBeLessThanOrEqual(1);
      expect(run.metrics.coverageError).toBeGreaterThanOrEqual(1);
      expect(run.metrics.coverageError).toBeLessThanOrEqual(3);
      // The Runs list carries the same figures (read from the stored metrics).
      const summary = s.runs.list().find((r) => r.id === out.runId)!;
      expect(summary.ap).toBeCloseTo(run.metrics.ap!, 12);
      expect(summary.coverageError).toBeCloseTo(run.metrics.coverageError!, 12);
      expect(out.modelDir).not.toBeNull();
      const h = run.metrics.hierarchy;
      if (m.model === 'stacknet' || m.model === 'tier-gru') {
        // 3 genres, halving / pow2 tiers: 2 then 3.
        expect(h!.tiers!.map((t) => t.k)).toEqual([2, 3]);
        expect(h!.tiers![1]!.accuracy).toBeCloseTo(run.metrics.accuracy, 12);
        expect(h!.tree!.labels).toEqual([...STYLES].sort());
        expect(h!.tree!.merges).toHaveLength(2);
      } else if (m.model === 'per-node') {
        expect(h!.perNode!.variants.map((v) => v.variant)).toEqual(['flat', 'hierarchical', 'hint']);
        expect(h!.perNode!.superGenres).toHaveLength(2);
      } else if (m.model === 'graphsage') {
        expect(h!.keptFeatures!.final!.length).toBeGreaterThan(0);
        expect(h!.keptFeatures!.folds).toBe(3);
      } else expect(h).toBeUndefined();
    }, 600_000);
  }

  it('builds the dendrogram of the library’s genre means in a worker (the Tree view’s job)', async () => {
    const { jobId } = await s.handlers['tree.build']({ source: { kind: 'features', profile: 'gtzan57' }, linkage: 'average', metric: 'cosine' });
    const r = await unwrap(s.jobs.wait(jobId) as Promise<JobInfo<TreeResult>>);
    expect(r.tree.labels).toEqual([...STYLES].sort());
    expect(r.tree.merges).toHaveLength(2);
    expect(r.tree.linkage).toBe('average');
    expect(r.rows).toBe(STYLES.length * CLIPS);
    await expect(s.handlers['tree.build']({ source: { kind: 'features' }, linkage: 'ward', metric: 'cosine' })).rejects.toThrow(/Ward/);
  });

  it('explains a track of the StackNet run and a per-class summary; both are cached with the run', async () => {
    const runId = runIds.get('stacknet')!;
    const pred = s.runs.predictions(runId)[0]!;
    const { jobId } = await s.handlers['runs.explain']({ runId, scope: 'track', trackId: pred.trackId, samples: 128, background: 4 });
    const r = await unwrap(s.jobs.wait(jobId) as Promise<JobInfo<RunAttributions>>);
    const t = r.track!;
    expect(t.name).toBe(pred.name);
    expect(t.features).toHaveLength(57);
    expect(t.phi).toHaveLength(57);
    // Efficiency: base + Σ φ = f(x) for every class.
    t.proba.forEach((p, c) => expect(Math.abs(t.base[c]! + t.phi.reduce((a, f) => a + f[c]!, 0) - p)).toBeLessThan(1e-6));
    // The final model was fitted on every track, so f(x) is its probability, not the run's out-of-fold one.
    expect(t.proba.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const g = await s.handlers['runs.explain']({ runId, scope: 'global', rows: 6, samples: 128, background: 4 });
    const rg = await unwrap(s.jobs.wait(g.jobId) as Promise<JobInfo<RunAttributions>>);
    expect(rg.global!.rows).toBe(6);
    expect(rg.global!.meanAbs).toHaveLength(3);
    expect(rg.global!.beeswarm[0]!.phi).toHaveLength(6);
    const cached = await s.handlers['runs.attributions']({ runId, trackId: pred.trackId });
    expect(cached.track!.phi).toEqual(t.phi);
    expect(cached.global!.meanAbs).toEqual(rg.global!.meanAbs);
  }, 600_000);
});
