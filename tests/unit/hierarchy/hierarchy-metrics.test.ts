import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { averagePrecision, averagePrecisionPerClass, coverageError, macroAveragePrecision, oneHot, rankingReport } from '../../../src/main/engine/hierarchy/metrics';

// scikit-learn 1.2.1 average_precision_score / coverage_error, written by tests/fixtures/hierarchy/make_metrics.py.
const REF = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hierarchy/metrics.json'), 'utf8')) as {
  n: number; K: number; y: number[]; P: number[]; ap_per_class: number[]; ap_macro: number; coverage: number;
  Ym: number[]; S: number[]; ap_multi_per_class: number[]; coverage_multi: number;
  doc_y: number[]; doc_s: number[]; doc_ap: number;
};

describe('average precision and coverage error vs scikit-learn', () => {
  it('hand-computed: y = [0,0,1,1], s = [0.1,0.4,0.35,0.8] → AP = ½·1 + ½·⅔ = 0.8333 (sklearn docs example)', () => {
    expect(averagePrecision(REF.doc_y, REF.doc_s)).toBeCloseTo(5 / 6, 12);
    expect(REF.doc_ap).toBeCloseTo(5 / 6, 12);
  });

  it('hand-computed coverage: scores [0.9,0.5,0.1] with true classes {0,2} need all 3; {1} needs 2', () => {
    const Y = Uint8Array.of(1, 0, 1, 0, 1, 0);
    expect(coverageError(Y, [0.9, 0.5, 0.1, 0.9, 0.5, 0.1], 3)).toBe((3 + 2) / 2);
  });

  it('single-label probabilities (one column with tied scores): per-class AP, macro AP, coverage within 1e-12', () => {
    const y = Int32Array.from(REF.y);
    const per = averagePrecisionPerClass(oneHot(y, REF.K), REF.P, REF.K);
    per.forEach((v, c) => expect(Math.abs(v - REF.ap_per_class[c]!)).toBeLessThan(1e-12));
    expect(Math.abs(macroAveragePrecision(y, REF.P, REF.K) - REF.ap_macro)).toBeLessThan(1e-12);
    expect(Math.abs(coverageError(y, REF.P, REF.K) - REF.coverage)).toBeLessThan(1e-12);
  });

  it('multi-label indicator with tied scores: per-class AP and coverage within 1e-12', () => {
    const Y = Uint8Array.from(REF.Ym);
    const per = averagePrecisionPerClass(Y, REF.S, REF.K);
    per.forEach((v, c) => expect(Math.abs(v - REF.ap_multi_per_class[c]!)).toBeLessThan(1e-12));
    expect(Math.abs(coverageError(Y, REF.S, REF.K) - REF.coverage_multi)).toBeLessThan(1e-12);
  });

  it('properties: perfect ranking gives AP 1 and coverage 1; a class without positives gives AP 0', () => {
    const y = Int32Array.of(0, 1, 2, 1);
    const P = Float64Array.from(oneHot(y, 3), (v) => v * 0.8 + 0.1);
    const r = rankingReport(y, P, ['a', 'b', 'c']);
    expect(r).toMatchObject({ accuracy: 1, macroF1: 1, averagePrecision: 1, coverageError: 1 });
    expect(averagePrecision([0, 0], [0.3, 0.2])).toBe(0);
  });
});
