// Classification metrics over class indices, and segment → track aggregation.
// Conventions follow scikit-learn: precision/recall/F1 of a class with a zero denominator is 0
// (zero_division=0), and macro averages run over the classes present in y_true or y_pred.

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

export interface ConfusionMatrix {
  /** k × k counts, row = true class, column = predicted class, row-major. */
  counts: Int32Array;
  /** Each row divided by its sum (rows without support stay 0). */
  normalized: Float64Array;
  k: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  macroPrecision: number;
  macroRecall: number;
  perClass: ClassMetrics[];
  confusion: ConfusionMatrix;
  n: number;
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new Error('accuracy: lengths differ');
  if (yTrue.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): ConfusionMatrix {
  if (yTrue.length !== yPred.length) throw new Error('confusionMatrix: lengths differ');
  const counts = new Int32Array(k * k);
  for (let i = 0; i < yTrue.length; i++) counts[yTrue[i]! * k + yPred[i]!]++;
  const normalized = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += counts[r * k + c]!;
    if (s > 0) for (let c = 0; c < k; c++) normalized[r * k + c] = counts[r * k + c]! / s;
  }
  return { counts, normalized, k };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Per-class precision, recall, F1 and support from a confusion matrix. */
export function perClassMetrics(conf: ConfusionMatrix, labels: readonly string[]): ClassMetrics[] {
  const { counts, k } = conf;
  const out: ClassMetrics[] = [];
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += counts[c * k + j]!;
      predicted += counts[j * k + c]!;
    }
    const tp = counts[c * k + c]!;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    out.push({ label: labels[c] ?? `class ${c}`, precision, recall, f1: ratio(2 * tp, support + predicted), support });
  }
  return out;
}

/** Accuracy, macro-F1/precision/recall, per-class figures and the confusion matrix. */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: readonly string[]): ClassificationReport {
  const k = labels.length;
  const confusion = confusionMatrix(yTrue, yPred, k);
  const perClass = perClassMetrics(confusion, labels);
  // Classes that neither occur nor are predicted do not count in the macro averages.
  const present = perClass.filter((m, c) => {
    let predicted = 0;
    for (let j = 0; j < k; j++) predicted += confusion.counts[j * k + c]!;
    return m.support > 0 || predicted > 0;
  });
  const mean = (f: (m: ClassMetrics) => number) => (present.length === 0 ? NaN : present.reduce((s, m) => s + f(m), 0) / present.length);
  return {
    accuracy: accuracy(yTrue, yPred),
    macroF1: mean((m) => m.f1),
    macroPrecision: mean((m) => m.precision),
    macroRecall: mean((m) => m.recall),
    perClass,
    confusion,
    n: yTrue.length,
  };
}

export interface GroupAggregate {
  /** The group key of each aggregated row, in first-seen order. */
  keys: Array<string | number>;
  /** groups × k mean probabilities. */
  proba: Float32Array;
  /** The true class of each group: the most frequent row class (lowest index on ties). */
  y: Int32Array;
  /** Rows of each group. */
  sizes: Int32Array;
}

/**
 * Segment → track aggregation: the probabilities of the rows of each group are averaged
 * (mean of the per-segment class probabilities), giving one prediction per track.
 */
export function aggregateByGroup(proba: ArrayLike<number>, k: number, groups: ArrayLike<string | number>, y: ArrayLike<number>): GroupAggregate {
  const rows = groups.length;
  if (proba.length !== rows * k || y.length !== rows) throw new Error('aggregateByGroup: shapes differ');
  const index = new Map<string | number, number>();
  const keys: Array<string | number> = [];
  const gOf = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let g = index.get(groups[i]!);
    if (g === undefined) {
      g = keys.length;
      index.set(groups[i]!, g);
      keys.push(groups[i]!);
    }
    gOf[i] = g;
  }
  const G = keys.length;
  const sums = new Float64Array(G * k);
  const votes = new Int32Array(G * k);
  const sizes = new Int32Array(G);
  for (let i = 0; i < rows; i++) {
    const g = gOf[i]!;
    sizes[g]++;
    votes[g * k + y[i]!]++;
    for (let c = 0; c < k; c++) sums[g * k + c] += proba[i * k + c]!;
  }
  const out = new Float32Array(G * k);
  const yg = new Int32Array(G);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < k; c++) out[g * k + c] = sums[g * k + c]! / sizes[g]!;
    let best = 0;
    for (let c = 1; c < k; c++) if (votes[g * k + c]! > votes[g * k + best]!) best = c;
    yg[g] = best;
  }
  return { keys, proba: out, y: yg, sizes };
}
