// Train/test splits: stratified k-fold, grouped stratified k-fold (the segments of one track, or
// the tracks of one artist, never sit on both sides), and a held-out split by group.
// Every split is a fold number per row (0..k-1): row r is tested in fold[r] and trained on elsewhere.
import { mulberry32, shuffle, type Rng } from '../random';

export interface FoldAssignment {
  /** Test fold of each row. */
  fold: Int32Array;
  /** Number of folds actually used (may be lower than asked, see warnings). */
  k: number;
  warnings: string[];
}

/** Rows whose fold is / is not `f`. */
export function foldIndices(fold: Int32Array, f: number): { train: Int32Array; test: Int32Array } {
  let nTest = 0;
  for (const v of fold) if (v === f) nTest++;
  const train = new Int32Array(fold.length - nTest);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < fold.length; i++) {
    if (fold[i] === f) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

function classCount(y: Int32Array): number {
  let m = -1;
  for (const v of y) if (v > m) m = v;
  return m + 1;
}

/**
 * Stratified k-fold: each class's rows are shuffled (seeded) and dealt to the folds in turn,
 * continuing where the previous class stopped, so fold sizes differ by at most one and every
 * class is spread as evenly as its count allows.
 */
export function stratifiedKFold(y: Int32Array, k: number, seed: number): FoldAssignment {
  const warnings: string[] = [];
  let kk = Math.floor(k);
  if (kk < 2) throw new Error('stratifiedKFold: k must be at least 2');
  if (y.length < kk) {
    warnings.push(`only ${y.length} rows for ${kk} folds: using ${y.length} folds`);
    kk = y.length;
  }
  const rng = mulberry32(seed);
  const K = classCount(y);
  const byClass: number[][] = Array.from({ length: K }, () => []);
  y.forEach((c, i) => byClass[c]!.push(i));
  const fold = new Int32Array(y.length);
  let next = 0;
  byClass.forEach((rows, c) => {
    if (rows.length > 0 && rows.length < kk) warnings.push(`class ${c} has ${rows.length} rows, fewer than ${kk} folds`);
    shuffle(rng, rows);
    for (const r of rows) {
      fold[r] = next;
      next = (next + 1) % kk;
    }
  });
  return { fold, k: kk, warnings };
}

/**
 * Grouped stratified k-fold. All rows of a group (track id, or artist/folder) land in one fold.
 * Groups are shuffled (seeded), ordered by size, largest first, and each goes to the fold that keeps
 * the per-class proportions closest to even (the spread, across folds, of each class's share),
 * ties going to the smallest fold — the greedy rule of scikit-learn's StratifiedGroupKFold.
 * Fewer groups than folds lowers k to the number of groups, with a warning.
 */
export function groupedStratifiedKFold(y: Int32Array, groups: ArrayLike<string | number>, k: number, seed: number): FoldAssignment {
  if (groups.length !== y.length) throw new Error('groupedStratifiedKFold: one group per row');
  const warnings: string[] = [];
  const K = classCount(y);
  const ids = new Map<string | number, number>();
  const rowsOf: number[][] = [];
  for (let i = 0; i < y.length; i++) {
    const g = groups[i]!;
    let gi = ids.get(g);
    if (gi === undefined) {
      gi = rowsOf.length;
      ids.set(g, gi);
      rowsOf.push([]);
    }
    rowsOf[gi]!.push(i);
  }
  const G = rowsOf.length;
  let kk = Math.floor(k);
  if (kk < 2) throw new Error('groupedStratifiedKFold: k must be at least 2');
  if (G < kk) {
    if (G < 2) throw new Error(`groupedStratifiedKFold: ${G} group; need at least 2`);
    warnings.push(`only ${G} groups for ${kk} folds: using ${G} folds`);
    kk = G;
  }
  const counts = rowsOf.map((rows) => {
    const c = new Float64Array(K);
    for (const r of rows) c[y[r]!]++;
    return c;
  });
  const classTotal = new Float64Array(K);
  for (const c of counts) for (let j = 0; j < K; j++) classTotal[j] += c[j]!;
  const groupsPerClass = new Int32Array(K);
  for (const c of counts) {
    let best = 0;
    for (let j = 1; j < K; j++) if (c[j]! > c[best]!) best = j;
    groupsPerClass[best]++;
  }
  groupsPerClass.forEach((n, c) => {
    if (n > 0 && n < kk) warnings.push(`class ${c} has ${n} groups, fewer than ${kk} folds`);
  });

  const rng: Rng = mulberry32(seed);
  const order = shuffle(rng, Array.from({ length: G }, (_, i) => i));
  // Stable sort keeps the shuffled order among groups of equal size.
  order.sort((a, b) => rowsOf[b]!.length - rowsOf[a]!.length);

  const foldCounts = Array.from({ length: kk }, () => new Float64Array(K));
  const foldSize = new Float64Array(kk);
  const groupFold = new Int32Array(G);
  for (const g of order) {
    const c = counts[g]!;
    let bestFold = 0;
    let bestCost = Infinity;
    for (let f = 0; f < kk; f++) {
      let cost = 0;
      for (let j = 0; j < K; j++) {
        if (classTotal[j] === 0) continue;
        // Spread (standard deviation) of class j's share across folds if g went to fold f.
        let s = 0;
        let s2 = 0;
        for (let h = 0; h < kk; h++) {
          const v = (foldCounts[h]![j]! + (h === f ? c[j]! : 0)) / classTotal[j]!;
          s += v;
          s2 += v * v;
        }
        cost += Math.sqrt(Math.max(0, s2 / kk - (s / kk) ** 2));
      }
      if (cost < bestCost - 1e-12 || (Math.abs(cost - bestCost) <= 1e-12 && foldSize[f]! < foldSize[bestFold]!)) {
        bestCost = cost;
        bestFold = f;
      }
    }
    groupFold[g] = bestFold;
    foldSize[bestFold] += rowsOf[g]!.length;
    for (let j = 0; j < K; j++) foldCounts[bestFold]![j] += c[j]!;
  }
  const fold = new Int32Array(y.length);
  rowsOf.forEach((rows, g) => {
    for (const r of rows) fold[r] = groupFold[g]!;
  });
  const empty = foldSize.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
  if (empty > 0) warnings.push(`${empty} fold${empty === 1 ? ' is' : 's are'} empty`);
  return { fold, k: kk, warnings };
}

/**
 * Held-out split by group: about `testFraction` of each class's groups (at least one when the class
 * has two or more) go to the test side. Returns row indices; no group is on both sides.
 */
export function holdoutSplit(
  y: Int32Array,
  groups: ArrayLike<string | number> | undefined,
  testFraction: number,
  seed: number,
): { train: Int32Array; test: Int32Array; warnings: string[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error('holdoutSplit: testFraction must be in (0, 1)');
  const warnings: string[] = [];
  const rng = mulberry32(seed);
  const g = groups ?? Int32Array.from({ length: y.length }, (_, i) => i);
  // Group → rows, and the majority class of each group.
  const rowsOf = new Map<string | number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const key = g[i]!;
    if (!rowsOf.has(key)) rowsOf.set(key, []);
    rowsOf.get(key)!.push(i);
  }
  const K = classCount(y);
  const byClass: Array<Array<string | number>> = Array.from({ length: K }, () => []);
  for (const [key, rows] of rowsOf) {
    const c = new Int32Array(K);
    for (const r of rows) c[y[r]!]++;
    let best = 0;
    for (let j = 1; j < K; j++) if (c[j]! > c[best]!) best = j;
    byClass[best]!.push(key);
  }
  const testGroups = new Set<string | number>();
  byClass.forEach((keys, c) => {
    if (keys.length === 0) return;
    shuffle(rng, keys);
    let n = Math.round(keys.length * testFraction);
    if (keys.length >= 2) n = Math.min(keys.length - 1, Math.max(1, n));
    else {
      n = 0;
      warnings.push(`class ${c} has one group: kept on the training side`);
    }
    for (let i = 0; i < n; i++) testGroups.add(keys[i]!);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < y.length; i++) (testGroups.has(g[i]!) ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test), warnings };
}
