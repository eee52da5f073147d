// The hyperbolic-distance-aware training loss, end to end over plain data: a classifier's labels are
// mapped to an embedding's genres (labelmap.ts), their K × K Poincaré distances become the class
// costs of ml/losses.ts in [0, 1] — 'max': divided by the largest distance between two of the classes
// (λ weighs the worst mistake, costs ∝ distance); 'range': the smallest distance between two different
// classes maps to 0 and the largest to 1 (cost = how much farther than the nearest pair, for genres
// that all sit far apart) — and after training the run is read against the same
// distances: mistake severity (Bertinetto et al. 2020: mean distance between the true and the
// predicted class over the mistakes) and each class's change in F1 against its mean distance to the
// other classes, with their Pearson correlation.
import type { DeltaF1Point, DistanceNorm, LabelGenreRow, LossKind } from '../../../shared/loss';
import { pearson } from '../features/parity';
import type { TrainingLoss } from '../ml/losses';
import { mapLabelsToGenres, unmappedReport } from './labelmap';
import { classDistanceMatrix, type ClassDistances } from './loss';
import type { NamedEmbedding } from './parents';
import type { Geometry } from './poincare';

export interface BuildLossOptions {
  kind: LossKind;
  lambda: number;
  /** Distances → costs (default 'max'). */
  normalise?: DistanceNorm;
  /** label → genre overrides of the automatic mapping. */
  overrides?: Readonly<Record<string, string>>;
  /** Geometry the embedding was trained in (default 'poincare'). */
  geometry?: Geometry;
  /** Kept in the loss spec (and so in a saved model's manifest). */
  source?: Record<string, unknown>;
}

export interface BuiltLoss {
  loss: TrainingLoss;
  mapping: LabelGenreRow[];
  distances: ClassDistances;
  warnings: string[];
}

/**
 * The loss spec of `labels` against an embedding. Unmapped labels are reported in `warnings` and get
 * the largest distance to every other class; fewer than two mapped labels is an error.
 */
export function buildTrainingLoss(labels: readonly string[], emb: NamedEmbedding, o: BuildLossOptions): BuiltLoss {
  if (!(Number.isFinite(o.lambda) && o.lambda >= 0)) throw new Error(`λ must be a number ≥ 0, got ${o.lambda}`);
  const mapping = mapLabelsToGenres(labels, emb.names, o.overrides);
  const mapped = mapping.filter((m) => m.genre !== null).length;
  const report = unmappedReport(mapping);
  if (mapped < 2) throw new Error(`the hyperbolic loss needs at least two labels mapped to genres of the embedding; ${report || 'there is only one label'}`);
  // Unmapped labels must not fall back to their own name: give them a key no genre has.
  const genreOf = new Map(mapping.map((m) => [m.label, m.genre ?? '\u0000unmapped']));
  const distances = classDistanceMatrix([...labels], genreOf, emb, o.geometry ?? 'poincare');
  const K = labels.length;
  let offset = 0;
  if (o.normalise === 'range') {
    offset = Infinity;
    mapping.forEach((a, i) => mapping.forEach((b, j) => { if (i !== j && a.genre !== null && b.genre !== null) offset = Math.min(offset, distances.D[i * K + j]!); }));
  }
  const scale = distances.max - offset;
  if (!(scale > 0)) throw new Error(o.normalise === 'range' ? 'every pair of mapped labels is equally far apart: no range of distances to learn from' : 'every mapped label sits on the same point of the embedding: no distances to learn from');
  const costs = Array.from(distances.D, (d, i) => (Math.floor(i / K) === i % K ? 0 : Math.min(1, Math.max(0, (d - offset) / scale))));
  const warnings = report ? [`${report}; they count as the farthest class from every other`] : [];
  const tokens = mapping.filter((m) => m.how === 'token');
  if (tokens.length) warnings.push(`mapped by shared words only: ${tokens.map((m) => `${m.label} → ${m.genre}`).join(', ')} (check the label → genre table)`);
  return {
    loss: { kind: o.kind, lambda: o.lambda, labels: [...labels], costs, scale, offset, source: { ...o.source, genres: mapping.map((m) => m.genre) } },
    mapping,
    distances,
    warnings,
  };
}

/** The K × K matrix as rows (for JSON). */
export function distanceRows(D: ArrayLike<number>, K: number): number[][] {
  return Array.from({ length: K }, (_, a) => Array.from({ length: K }, (_, b) => D[a * K + b]!));
}

/**
 * Mistake severity from a confusion matrix (rows true, columns predicted): the mean of D[t, p] over
 * the off-diagonal counts. Null when there is no mistake.
 */
export function severityFromConfusion(confusion: readonly (readonly number[])[], D: ArrayLike<number>, K: number): { mistakes: number; severity: number | null } {
  if (confusion.length !== K) throw new Error(`severity: a ${confusion.length}-row confusion matrix for ${K} classes`);
  let mistakes = 0;
  let sum = 0;
  for (let t = 0; t < K; t++) {
    const row = confusion[t]!;
    for (let p = 0; p < K; p++) {
      if (t === p) continue;
      const c = row[p] ?? 0;
      mistakes += c;
      sum += c * D[t * K + p]!;
    }
  }
  return { mistakes, severity: mistakes > 0 ? sum / mistakes : null };
}

/** Mean distance of each class to the K − 1 others. */
export function meanDistanceToOthers(D: ArrayLike<number>, K: number): Float64Array {
  const out = new Float64Array(K);
  if (K < 2) return out;
  for (let a = 0; a < K; a++) {
    let s = 0;
    for (let b = 0; b < K; b++) if (b !== a) s += D[a * K + b]!;
    out[a] = s / (K - 1);
  }
  return out;
}

/**
 * Per class: F1 of the run minus F1 of the baseline, against the class's mean distance to the other
 * classes; and the Pearson correlation of the two (null when either side is constant).
 */
export function deltaF1Points(labels: readonly string[], f1: readonly number[], baselineF1: readonly number[], D: ArrayLike<number>): { points: DeltaF1Point[]; correlation: number | null } {
  const K = labels.length;
  if (f1.length !== K || baselineF1.length !== K) throw new Error('deltaF1: one F1 per class on both sides');
  const md = meanDistanceToOthers(D, K);
  const points = labels.map((label, c) => ({ label, deltaF1: f1[c]! - baselineF1[c]!, meanDistance: md[c]! }));
  const r = pearson(
    points.map((p) => p.deltaF1),
    points.map((p) => p.meanDistance),
  );
  return { points, correlation: Number.isFinite(r) ? r : null };
}
