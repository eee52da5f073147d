import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tiersOf } from '../../../src/main/engine/hierarchy/ihct';
import { HIERARCHY_SPECS } from '../../../src/main/engine/hierarchy/specs';
import { StackNetClassifier } from '../../../src/main/engine/hierarchy/stacknet';
import { leafProbabilities, TierGruClassifier } from '../../../src/main/engine/hierarchy/tiergru';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { createRegistry } from '../../../src/main/engine/ml/registry';
import { SIX_LABELS, sixGenres } from '../../helpers/hierarchy';

let tmp: string;
beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'genrelab-tiers-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const labels = SIX_LABELS;

describe('relative tier labels → genre probabilities', () => {
  it('balanced tree: P = P(step 1) × P(step 2 | parent), hand-computed', () => {
    // Genres {0,1} and {2,3} join first; tiers [2, 4]; step logits [ln 3, 0] then [0, ln 4]:
    // P(family 0) = ¾, P(second child) = 0.8 → [0.15, 0.6, 0.05, 0.2].
    const tiers = tiersOf(Float64Array.of(0, 1, 1, 2, 2, 3, 2, 2, 4, 5, 3, 4), [2, 4]);
    expect(tiers.branching).toBe(2);
    const P = leafProbabilities([Math.log(3), 0, 0, Math.log(4)], 1, tiers);
    [0.15, 0.6, 0.05, 0.2].forEach((v, g) => expect(P[g]).toBeCloseTo(v, 6));
  });

  it('an only child takes probability 1 whatever the logits (the softmax is restricted to real children)', () => {
    // Genres {0,1} join, then genre 2: tiers [2, 3]; cluster 1 of tier 2 has one child.
    const tiers = tiersOf(Float64Array.of(0, 1, 1, 2, 2, 3, 2, 3), [2, 3]);
    const P = leafProbabilities([0, Math.log(4), 5, -3], 1, tiers);
    // P(parent 0) = 1/5, P(parent 1) = 4/5; inside parent 0 softmax([5, −3]).
    const e = Math.exp(5) / (Math.exp(5) + Math.exp(-3));
    expect(P[0]).toBeCloseTo(0.2 * e, 6);
    expect(P[1]).toBeCloseTo(0.2 * (1 - e), 6);
    expect(P[2]).toBeCloseTo(0.8, 6);
  });
});

describe('tier models on six genres in two families', () => {
  const train = sixGenres(360, 1);
  const test = sixGenres(120, 2);

  for (const kind of ['stacknet', 'tier-gru'] as const) {
    it(`${kind}: tiers 2, 4, 6; probabilities sum to 1; the family tier is near perfect; save → load predicts the same`, async () => {
      const reg = createRegistry();
      for (const s of HIERARCHY_SPECS) reg.register(s);
      const params = kind === 'stacknet' ? { hidden: [32], maxEpochs: 50, patience: 10, innerFolds: 2 } : { units: 16, dense: 32, maxEpochs: 40, patience: 10, learningRate: 0.01 };
      const clf = reg.create(kind, params) as StackNetClassifier | TierGruClassifier;
      const members = new Set<number>();
      await clf.fit(train.X, train.y, { seed: 3, labels, onEpoch: (l) => members.add(l.member ?? -1) });
      expect(clf.tree!.tiers.sizes).toEqual([2, 4, 6]);
      // The first tier separates the two families.
      expect(clf.tree!.names[0]!.sort()).toEqual(['a1+a2+a3', 'b1+b2+b3']);
      if (kind === 'stacknet') expect([...members].sort()).toEqual([0, 1, 2]);
      const P = clf.predictProba(test.X);
      let ok = 0;
      for (let r = 0; r < test.X.rows; r++) {
        const row = Array.from(P.subarray(r * 6, r * 6 + 6));
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
        if (row.indexOf(Math.max(...row)) === test.y[r]) ok++;
      }
      expect(ok / test.X.rows).toBeGreaterThan(0.6);
      const tiers = clf.tierAccuracy(test.X, test.y);
      expect(tiers.map((t) => t.k)).toEqual([2, 4, 6]);
      expect(tiers[0]!.accuracy).toBeGreaterThan(0.95);
      expect(tiers[2]!.accuracy).toBeCloseTo(ok / test.X.rows, 12);
      expect(clf.describe()).toMatch(/tiers 2, 4, 6/);
      const dir = path.join(tmp, kind);
      await clf.save(dir);
      const back = await reg.load(dir);
      Array.from(back.predictProba(test.X)).forEach((v, i) => expect(Math.abs(v - P[i]!)).toBeLessThan(1e-6));
      back.dispose();
      clf.dispose();
    });
  }
});
