import { describe, expect, it } from 'vitest';
import { accuracy, aggregateByGroup, classificationReport, confusionMatrix } from '../../../src/main/engine/ml/metrics';

// Reference values: scikit-learn 1.2 (Debian python3-sklearn), printed by
// tests/fixtures/ml/make_metrics.py (precision_recall_fscore_support(..., zero_division=0),
// accuracy_score, f1_score(average='macro'), confusion_matrix). Tolerance 1e-12.
const yTrue = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 0, 1, 2, 2];
const yPred = [0, 1, 0, 1, 1, 2, 1, 2, 0, 3, 1, 3, 0, 1, 2, 1];
const SK = {
  acc: 0.6875,
  macroF1: 0.6970238095238095,
  precision: [0.75, 0.5714285714285714, 0.6666666666666666, 1.0],
  recall: [0.75, 0.8, 0.5, 0.6666666666666666],
  f1: [0.75, 0.6666666666666666, 0.5714285714285715, 0.8],
  support: [4, 5, 4, 3],
  confusion: [3, 1, 0, 0, 0, 4, 1, 0, 1, 1, 2, 0, 0, 1, 0, 2],
  // y_true = [0,1,4,4,1,0], y_pred = [0,1,1,0,5,0], labels 0..5: classes 2, 3 absent, 5 only predicted.
  precision2: [0.6666666666666666, 0.5, 0.0, 0.0, 0.0, 0.0],
  recall2: [1.0, 0.5, 0.0, 0.0, 0.0, 0.0],
  f1_2: [0.8, 0.5, 0.0, 0.0, 0.0, 0.0],
  support2: [2, 2, 0, 0, 2, 0],
  macroF1_2: 0.325,
};

const close = (a: number[], b: number[], tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(tol));
};

describe('metrics vs scikit-learn', () => {
  it('accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix', () => {
    const r = classificationReport(yTrue, yPred, ['a', 'b', 'c', 'd']);
    expect(Math.abs(r.accuracy - SK.acc)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.macroF1 - SK.macroF1)).toBeLessThanOrEqual(1e-12);
    close(r.perClass.map((m) => m.precision), SK.precision);
    close(r.perClass.map((m) => m.recall), SK.recall);
    close(r.perClass.map((m) => m.f1), SK.f1);
    expect(r.perClass.map((m) => m.support)).toEqual(SK.support);
    expect(Array.from(r.confusion.counts)).toEqual(SK.confusion);
    expect(r.perClass.map((m) => m.label)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('zero denominators give 0 and absent classes stay out of the macro average (sklearn defaults)', () => {
    const r = classificationReport([0, 1, 4, 4, 1, 0], [0, 1, 1, 0, 5, 0], ['0', '1', '2', '3', '4', '5']);
    close(r.perClass.map((m) => m.precision), SK.precision2);
    close(r.perClass.map((m) => m.recall), SK.recall2);
    close(r.perClass.map((m) => m.f1), SK.f1_2);
    expect(r.perClass.map((m) => m.support)).toEqual(SK.support2);
    expect(Math.abs(r.macroF1 - SK.macroF1_2)).toBeLessThanOrEqual(1e-12);
    expect(Number.isNaN(r.macroF1)).toBe(false);
  });
});

describe('metrics by hand', () => {
  it('row-normalised confusion matrix: each row sums to 1, rows without support stay 0', () => {
    // true [0,0,1,1,1], pred [0,1,1,1,0], 3 classes: row 0 = [1/2, 1/2, 0], row 1 = [1/3, 2/3, 0], row 2 = 0.
    const c = confusionMatrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], 3);
    close(Array.from(c.normalized), [0.5, 0.5, 0, 1 / 3, 2 / 3, 0, 0, 0, 0], 1e-15);
    expect(accuracy([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])).toBe(0.6);
  });

  it('property: accuracy equals the trace of the counts over n, and F1 is the harmonic mean of P and R', () => {
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const t = Array.from({ length: 500 }, () => Math.floor(rnd() * 6));
    const p = t.map((v) => (rnd() < 0.6 ? v : Math.floor(rnd() * 6)));
    const r = classificationReport(t, p, ['a', 'b', 'c', 'd', 'e', 'f']);
    let trace = 0;
    for (let c = 0; c < 6; c++) trace += r.confusion.counts[c * 6 + c]!;
    expect(r.accuracy).toBeCloseTo(trace / 500, 12);
    for (const m of r.perClass) expect(m.f1).toBeCloseTo((2 * m.precision * m.recall) / (m.precision + m.recall), 12);
    expect(r.perClass.reduce((a, m) => a + m.support, 0)).toBe(500);
  });

  it('segment → track aggregation averages probabilities per track', () => {
    // Track A: segments (0.9, 0.1) and (0.2, 0.8) → mean (0.55, 0.45); track B one segment (0.3, 0.7).
    const agg = aggregateByGroup([0.9, 0.1, 0.3, 0.7, 0.2, 0.8], 2, ['A', 'B', 'A'], [0, 1, 0]);
    expect(agg.keys).toEqual(['A', 'B']);
    close(Array.from(agg.proba), [0.55, 0.45, 0.3, 0.7], 1e-7);
    expect(Array.from(agg.y)).toEqual([0, 1]);
    expect(Array.from(agg.sizes)).toEqual([2, 1]);
  });
});
