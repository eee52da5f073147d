import { describe, expect, it } from 'vitest';
import { foldIndices, groupedStratifiedKFold, holdoutSplit, stratifiedKFold } from '../../../src/main/engine/ml/splits';

/** 3 classes with 40, 25 and 13 tracks; each track has 2–11 segments. */
function segmentTable(seed = 3) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const y: number[] = [];
  const groups: string[] = [];
  [40, 25, 13].forEach((tracks, c) => {
    for (let t = 0; t < tracks; t++) {
      const segs = 2 + Math.floor(rnd() * 10);
      for (let k = 0; k < segs; k++) {
        y.push(c);
        groups.push(`c${c}-t${t}`);
      }
    }
  });
  return { y: Int32Array.from(y), groups };
}

function classShares(y: Int32Array, rows: ArrayLike<number>, k: number): number[] {
  const c = new Array(k).fill(0);
  for (let i = 0; i < rows.length; i++) c[y[rows[i]!]!]++;
  return c.map((v) => v / rows.length);
}

describe('stratifiedKFold', () => {
  it('every row is tested once; fold sizes differ by ≤ 1; class counts per fold differ by ≤ 1', () => {
    const y = Int32Array.from({ length: 103 }, (_, i) => (i < 50 ? 0 : i < 80 ? 1 : 2));
    const { fold, k } = stratifiedKFold(y, 10, 42);
    expect(k).toBe(10);
    const sizes = new Array(10).fill(0);
    const perClass = [0, 1, 2].map(() => new Array(10).fill(0));
    fold.forEach((f, i) => {
      sizes[f]++;
      perClass[y[i]!]![f]++;
    });
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const c of perClass) expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
    // Train and test of each fold partition the rows.
    for (let f = 0; f < 10; f++) {
      const { train, test } = foldIndices(fold, f);
      expect(train.length + test.length).toBe(103);
      const t = new Set(test);
      expect(Array.from(train).some((i) => t.has(i))).toBe(false);
    }
  });

  it('is reproducible from the seed and changes with it', () => {
    const y = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    expect(Array.from(stratifiedKFold(y, 5, 1).fold)).toEqual(Array.from(stratifiedKFold(y, 5, 1).fold));
    expect(Array.from(stratifiedKFold(y, 5, 1).fold)).not.toEqual(Array.from(stratifiedKFold(y, 5, 2).fold));
  });
});

describe('groupedStratifiedKFold', () => {
  it('no group appears in two folds, each group is tested exactly once, class proportions kept', () => {
    const { y, groups } = segmentTable();
    const { fold, k, warnings } = groupedStratifiedKFold(y, groups, 10, 7);
    expect(k).toBe(10);
    expect(warnings).toEqual([]);
    const foldOf = new Map<string, number>();
    groups.forEach((g, i) => {
      if (foldOf.has(g)) expect(foldOf.get(g)).toBe(fold[i]);
      foldOf.set(g, fold[i]!);
    });
    // Each group lands in exactly one test set (the fold it maps to), and every fold is used.
    const testedIn = new Map<string, number>();
    for (let f = 0; f < k; f++) {
      const { test } = foldIndices(fold, f);
      expect(test.length).toBeGreaterThan(0);
      for (const g of new Set(Array.from(test, (i) => groups[i]!))) testedIn.set(g, (testedIn.get(g) ?? 0) + 1);
    }
    expect(testedIn.size).toBe(new Set(groups).size);
    for (const n of testedIn.values()) expect(n).toBe(1);
    // Class proportions: each fold's test share of each class within 0.12 of the overall share
    // (tracks are indivisible units of 2–11 rows, so exact balance is impossible).
    const all = classShares(y, Int32Array.from(y.keys()), 3);
    for (let f = 0; f < k; f++) {
      const share = classShares(y, foldIndices(fold, f).test, 3);
      share.forEach((v, c) => expect(Math.abs(v - all[c]!)).toBeLessThan(0.12));
    }
  });

  it('groups by artist: all tracks of an artist stay together', () => {
    const { y, groups } = segmentTable(11);
    const artist = groups.map((g) => g.replace(/-t(\d+)$/, (_, t) => `-a${Math.floor(Number(t) / 3)}`));
    const { fold } = groupedStratifiedKFold(y, artist, 5, 1);
    const seen = new Map<string, number>();
    artist.forEach((a, i) => {
      expect(seen.get(a) ?? fold[i]).toBe(fold[i]);
      seen.set(a, fold[i]!);
    });
  });

  it('fewer groups than folds lowers k with a warning', () => {
    const y = Int32Array.from([0, 0, 0, 1, 1, 1, 0, 1]);
    const groups = ['a', 'a', 'b', 'c', 'c', 'd', 'e', 'f'];
    const r = groupedStratifiedKFold(y, groups, 10, 0);
    expect(r.k).toBe(6);
    expect(r.warnings.join(' ')).toMatch(/only 6 groups for 10 folds/);
    expect(new Set(r.fold).size).toBe(6);
  });
});

describe('holdoutSplit', () => {
  it('splits by group, about the asked fraction of each class, never a group on both sides', () => {
    const { y, groups } = segmentTable(5);
    const { train, test } = holdoutSplit(y, groups, 0.2, 9);
    const trainGroups = new Set(Array.from(train, (i) => groups[i]!));
    for (const i of test) expect(trainGroups.has(groups[i]!)).toBe(false);
    expect(train.length + test.length).toBe(y.length);
    // 20 % of 40, 25, 13 tracks → 8, 5, 3 (rounded) test tracks per class.
    const testTracks = [0, 1, 2].map((c) => new Set(Array.from(test, (i) => groups[i]!).filter((g) => g.startsWith(`c${c}-`))).size);
    expect(testTracks).toEqual([8, 5, 3]);
  });
});
