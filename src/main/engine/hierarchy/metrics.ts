// Ranking metrics for multi-level and multi-label outputs, with scikit-learn's conventions:
// average precision (area under the precision–recall curve as a step sum, average_precision_score)
// and coverage error (coverage_error). Scores are rows × classes, row-major.
import { classificationReport } from '../ml/metrics';
import { argmaxRows } from '../ml/types';

/**
 * Average precision of one binary problem: Σ_n (R_n − R_{n−1}) P_n over the distinct score
 * thresholds, highest first (tied scores enter together). No positives gives 0, as scikit-learn 1.2.
 */
export function averagePrecision(truth: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = truth.length;
  if (score.length !== n) throw new Error('averagePrecision: lengths differ');
  let positives = 0;
  for (let i = 0; i < n; i++) if (truth[i]! > 0) positives++;
  if (positives === 0) return 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let i = 0; i < n; ) {
    const s = score[order[i]!]!;
    while (i < n && score[order[i]!]! === s) {
      if (truth[order[i]!]! > 0) tp++;
      seen++;
      i++;
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
  }
  return ap;
}

/** Indicator matrix (rows × k, 0/1) of single-label classes. */
export function oneHot(y: ArrayLike<number>, k: number): Uint8Array {
  const out = new Uint8Array(y.length * k);
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c < 0 || c >= k) throw new Error(`oneHot: class ${c} outside 0..${k - 1}`);
    out[i * k + c] = 1;
  }
  return out;
}

/** Average precision of each class (one-vs-rest) for an indicator matrix and scores, rows × k. */
export function averagePrecisionPerClass(Y: ArrayLike<number>, S: ArrayLike<number>, k: number): Float64Array {
  if (Y.length !== S.length || Y.length % k !== 0) throw new Error('averagePrecisionPerClass: shapes differ');
  const n = Y.length / k;
  const out = new Float64Array(k);
  const t = new Float64Array(n);
  const s = new Float64Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      t[i] = Y[i * k + c]!;
      s[i] = S[i * k + c]!;
    }
    out[c] = averagePrecision(t, s);
  }
  return out;
}

/** Macro average precision (average_precision_score(average='macro')) of class ids or an indicator matrix. */
export function macroAveragePrecision(y: Int32Array | Uint8Array, S: ArrayLike<number>, k: number): number {
  const Y = y instanceof Int32Array ? oneHot(y, k) : y;
  const per = averagePrecisionPerClass(Y, S, k);
  let s = 0;
  for (const v of per) s += v;
  return s / k;
}

/**
 * Coverage error: for each row, how many classes one must take from the top of its ranking to
 * cover all its true classes (ties count as ranked above), averaged over rows (coverage_error).
 */
export function coverageError(y: Int32Array | Uint8Array, S: ArrayLike<number>, k: number): number {
  const Y = y instanceof Int32Array ? oneHot(y, k) : y;
  if (Y.length !== S.length || Y.length % k !== 0) throw new Error('coverageError: shapes differ');
  const n = Y.length / k;
  if (n === 0) return NaN;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let min = Infinity;
    for (let c = 0; c < k; c++) if (Y[i * k + c]! > 0 && S[i * k + c]! < min) min = S[i * k + c]!;
    if (min === Infinity) continue; // no true class: coverage 0
    let cov = 0;
    for (let c = 0; c < k; c++) if (S[i * k + c]! >= min) cov++;
    total += cov;
  }
  return total / n;
}

export interface RankingReport {
  accuracy: number;
  macroF1: number;
  /** Macro average precision over classes (one-vs-rest). */
  averagePrecision: number;
  coverageError: number;
}

/** Accuracy, macro-F1 (argmax), macro AP and coverage error of single-label probabilities. */
export function rankingReport(y: Int32Array, proba: ArrayLike<number>, labels: readonly string[]): RankingReport {
  const k = labels.length;
  const pred = argmaxRows(proba, y.length, k);
  const r = classificationReport(y, pred, labels);
  return { accuracy: r.accuracy, macroF1: r.macroF1, averagePrecision: macroAveragePrecision(y, proba, k), coverageError: coverageError(y, proba, k) };
}
