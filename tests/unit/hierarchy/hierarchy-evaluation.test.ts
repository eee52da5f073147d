// What a run records beyond accuracy (engine/hierarchy/evaluation.ts), on the cross-validation's own
// folds: per-tier accuracy of the tier models, per-node vanilla / hierarchical / hint, kept features;
// and the explain helpers (engine/hierarchy/explain.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { HierarchyEvaluation, rankingFigures } from '../../../src/main/engine/hierarchy/evaluation';
import { backgroundRows, explainRows, meanAttribution, pickRows } from '../../../src/main/engine/hierarchy/explain';
import { rankingReport } from '../../../src/main/engine/hierarchy/metrics';
import { evaluatePerNode } from '../../../src/main/engine/hierarchy/pernode';
import { HIERARCHY_SPECS } from '../../../src/main/engine/hierarchy/specs';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { crossValidate } from '../../../src/main/engine/ml/crossval';
import { createRegistry } from '../../../src/main/engine/ml/registry';
import { stratifiedKFold } from '../../../src/main/engine/ml/splits';
import type { Matrix } from '../../../src/main/engine/ml/types';
import { mulberry32, normal } from '../../../src/main/engine/random';
import { SIX_LABELS, sixGenres } from '../../helpers/hierarchy';

beforeAll(async () => {
  await initBackend();
});

const labels = SIX_LABELS;

const registry = () => {
  const reg = createRegistry();
  for (const s of HIERARCHY_SPECS) reg.register(s);
  return reg;
};

describe('ranking figures of a run', () => {
  it('hand-computed: one row ranked wrong of three (AP per class, coverage error)', () => {
    // Class 0: scores (0.7, 0.2, 0.6), truth (1, 0, 0): precision 1 at recall 1 → AP 1.
    // Class 1: scores (0.3, 0.8, 0.4), truth (0, 1, 1): ranks 0.8 (tp), 0.4 (tp) → AP 1.
    // Class 1 rows are ranked: row 2 has P(0) = 0.6 > P(1) = 0.4, so its true class is 2nd: coverage (1 + 1 + 2) / 3.
    const y = Int32Array.of(0, 1, 1);
    const P = Float64Array.of(0.7, 0.3, 0.2, 0.8, 0.6, 0.4);
    const r = rankingFigures(y, P, 2);
    expect(r.ap).toBeCloseTo(1, 12);
    expect(r.coverageError).toBeCloseTo(4 / 3, 12);
    expect(rankingFigures(new Int32Array(0), new Float64Array(0), 2).ap).toBeNaN();
  });
});

describe('per-tier accuracy of the tier models, out of fold', () => {
  for (const kind of ['stacknet', 'tier-gru'] as const) {
    it(`${kind}: tiers 2, 4, 6 on three folds; the genre tier equals the run's accuracy; the final tree is kept`, async () => {
      const { X, y } = sixGenres(240, 4);
      const params = kind === 'stacknet' ? { hidden: [16], maxEpochs: 25, patience: 5 } : { units: 8, dense: 16, maxEpochs: 20, patience: 5, learningRate: 0.01 };
      const ev = new HierarchyEvaluation(kind, params, X, y, labels);
      const reg = registry();
      const cv = await crossValidate({ X, y, labels, model: kind, params, folds: 3, seed: 2, registry: reg, onFold: (f, m, tr, te, s) => ev.onFold(f, m, tr, te, s) });
      const final = reg.create(kind, params);
      await final.fit(X, y, { seed: 2, labels });
      ev.onFinal(final);
      const rep = ev.report()!;
      final.dispose();
      expect(rep.tiers!.map((t) => t.k)).toEqual([2, 4, 6]);
      expect(rep.tiers!.every((t) => t.n === 240)).toBe(true);
      // The last tier is the genres: its accuracy is the run's (the same out-of-fold predictions).
      expect(rep.tiers![2]!.accuracy).toBeCloseTo(cv.accuracy, 12);
      // The family tier is the easiest.
      expect(rep.tiers![0]!.accuracy).toBeGreaterThan(0.9);
      expect(rep.tiers![0]!.clusters.sort()).toEqual(['a1+a2+a3', 'b1+b2+b3']);
      // The final model's tree, scipy's linkage convention.
      expect(rep.tree!.labels).toEqual(labels);
      expect(rep.tree!.merges).toHaveLength(5);
      expect(rep.tree!.tiers!.sizes).toEqual([2, 4, 6]);
      expect(rep.perNode).toBeUndefined();
    });
  }
});

describe('per-node: vanilla, hierarchical and with hint on the run’s own folds', () => {
  it('equal evaluatePerNode on the same folds and seeds (two code paths), hierarchical = the run', async () => {
    const { X, y } = sixGenres(300, 9);
    const params = { superMethod: 'linkage' as const, superGenres: 2 };
    const ev = new HierarchyEvaluation('per-node', params, X, y, labels);
    const { fold } = stratifiedKFold(y, 3, 5);
    const cv = await crossValidate({ X, y, labels, model: 'per-node', params, folds: fold, seed: 7, registry: registry(), onFold: (f, m, tr, te, s) => ev.onFold(f, m, tr, te, s) });
    const rep = ev.report()!;
    const ref = await evaluatePerNode(X, y, labels, params, fold, 7);
    const byVariant = Object.fromEntries(rep.perNode!.variants.map((v) => [v.variant, v]));
    for (const v of ['flat', 'hierarchical', 'hint'] as const) {
      const r = rankingReport(y, ref[v], labels);
      expect(byVariant[v]!.accuracy).toBeCloseTo(r.accuracy, 12);
      expect(byVariant[v]!.ap).toBeCloseTo(r.averagePrecision, 12);
      expect(byVariant[v]!.coverageError).toBeCloseTo(r.coverageError, 12);
    }
    expect(byVariant.hierarchical!.accuracy).toBeCloseTo(cv.accuracy, 12);
    // The hint is the ceiling of the hierarchy on these folds.
    expect(byVariant.hint!.accuracy).toBeGreaterThanOrEqual(byVariant.hierarchical!.accuracy);
    expect(rep.perNode!.foldSuperGenres).toEqual(ref.supers);
  });

  it('a flat run still gets the hierarchical and hint variants (fitted beside it)', async () => {
    const { X, y } = sixGenres(180, 3);
    const params = { structure: 'flat' as const, superMethod: 'linkage' as const, superGenres: 2 };
    const ev = new HierarchyEvaluation('per-node', params, X, y, labels);
    const cv = await crossValidate({ X, y, labels, model: 'per-node', params, folds: 3, seed: 1, registry: registry(), onFold: (f, m, tr, te, s) => ev.onFold(f, m, tr, te, s) });
    const v = ev.report()!.perNode!.variants;
    expect(v.find((x) => x.variant === 'flat')!.accuracy).toBeCloseTo(cv.accuracy, 12);
    expect(ev.report()!.perNode!.superGenres.sort()).toEqual(['a1+a2+a3', 'b1+b2+b3']);
  });
});

describe('GraphSAGE: kept features per fold and of the final model', () => {
  it('counts how many folds kept each feature; the informative ones are kept everywhere', async () => {
    const { X: X4, y } = sixGenres(180, 6);
    // Two pure-noise columns appended: 6 columns, 4 informative.
    const rng = mulberry32(1);
    const X = new Float32Array(180 * 6);
    for (let r = 0; r < 180; r++) {
      X.set(X4.data.subarray(r * 4, r * 4 + 4), r * 6);
      X[r * 6 + 4] = normal(rng);
      X[r * 6 + 5] = normal(rng);
    }
    const M = { data: X, rows: 180, cols: 6 };
    const columns = ['fam1', 'g1', 'g2', 'fam2', 'noise1', 'noise2'];
    const params = { k: 5, hidden: [16], maxEpochs: 30, patience: 10, selectFeatures: 3, corrThreshold: 0.8 };
    const ev = new HierarchyEvaluation('graphsage', params, M, y, labels);
    await crossValidate({ X: M, y, labels, model: 'graphsage', params, folds: 3, seed: 1, columns, registry: registry(), onFold: (f, m, tr, te, s) => ev.onFold(f, m, tr, te, s) });
    const kept = ev.report()!.keptFeatures!;
    expect(kept.folds).toBe(3);
    expect(kept.final).toBeNull();
    // fam1 and fam2 correlate (|r| ≈ 0.96 ≥ 0.8): one of them stands for the pair; g1 and g2 are kept; noise is not.
    const always = kept.counts.filter((c) => c.folds === 3).map((c) => c.feature);
    expect(always).toEqual(expect.arrayContaining(['g1', 'g2']));
    expect(kept.counts.some((c) => c.feature.startsWith('noise'))).toBe(false);
    expect(kept.counts.every((c) => c.folds >= 1 && c.folds <= 3)).toBe(true);
  });
});

describe('explain helpers', () => {
  it('pickRows: stratified by label, seeded, each row once', () => {
    const labs = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c', 'c', 'c'];
    const p = Array.from(pickRows(labs, 6, 3));
    expect(new Set(p).size).toBe(6);
    expect(p.map((i) => labs[i]).sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(Array.from(pickRows(labs, 6, 3))).toEqual(p);
    // More than a label has: the others fill in.
    expect(pickRows(labs, 9, 1).filter((i) => labs[i] === 'b')).toHaveLength(2);
    expect(pickRows(labs, 99, 1)).toHaveLength(12);
  });

  it('backgroundRows: distinct rows of X, in row order, seeded', () => {
    const X = { data: Float32Array.from({ length: 20 * 2 }, (_, i) => i), rows: 20, cols: 2 };
    const bg = backgroundRows(X, 5, 9);
    expect(bg.rows).toBe(5);
    const firsts = Array.from({ length: 5 }, (_, r) => bg.data[r * 2]!);
    expect(new Set(firsts).size).toBe(5);
    firsts.forEach((v, r) => {
      expect(v % 2).toBe(0);
      expect(bg.data[r * 2 + 1]).toBe(v + 1);
      if (r > 0) expect(v).toBeGreaterThan(firsts[r - 1]!);
    });
    expect(Array.from(backgroundRows(X, 5, 9).data)).toEqual(Array.from(bg.data));
    expect(backgroundRows(X, 50, 9).rows).toBe(20);
  });

  // Tolerance 1e-8: Kernel SHAP's ridge (1e-10 of the design's mean diagonal) biases φ by ~1e-9 here.
  it('linear model: φ_ic = w_ic (x_i − E x_i) (closed form, 1e-8), and the mean of two rows’ φ is the φ of their mean row', () => {
    // f(x) = x W, 3 features → 2 outputs; exact enumeration (2^3 − 2 ≤ budget).
    const W = [
      [1, -2],
      [0.5, 0],
      [-3, 1],
    ];
    const f = (m: Matrix) => {
      const out = new Float64Array(m.rows * 2);
      for (let r = 0; r < m.rows; r++) for (let c = 0; c < 2; c++) for (let i = 0; i < 3; i++) out[r * 2 + c] += m.data[r * 3 + i]! * W[i]![c]!;
      return out;
    };
    const bg = { data: Float32Array.of(0, 1, 2, 2, 1, 0, 1, 1, 1), rows: 3, cols: 3 };
    const mean = [1, 1, 1];
    const X = { data: Float32Array.of(3, 0, -1, 1, 2, 5, 2, 1, 2), rows: 3, cols: 3 };
    const list = explainRows(f, X, [0, 1, 2], bg, { samples: 64, seed: 0 });
    list.forEach((a, r) => {
      for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) expect(Math.abs(a.phi[i * 2 + c]! - W[i]![c]! * (X.data[r * 3 + i]! - mean[i]!))).toBeLessThan(1e-8);
    });
    const m = meanAttribution([list[0]!, list[1]!]);
    const mid = explainRows(f, { data: Float32Array.of(2, 1, 2), rows: 1, cols: 3 }, [0], bg, { samples: 64, seed: 0 })[0]!;
    for (let k = 0; k < 6; k++) expect(Math.abs(m.phi[k]! - mid.phi[k]!)).toBeLessThan(1e-8);
    for (let c = 0; c < 2; c++) expect(Math.abs(m.fx[c]! - mid.fx[c]!)).toBeLessThan(1e-12);
  });
});
