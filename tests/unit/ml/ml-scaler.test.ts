import { describe, expect, it } from 'vitest';
import { StandardScaler, varianceColumns } from '../../../src/main/engine/ml/scaler';

// Reference: sklearn.preprocessing.StandardScaler().fit(X) on the X below, printed by
// tests/fixtures/ml/make_metrics.py (mean_, scale_ and transform(X)). Tolerance 1e-6 (float32 output).
const X = [1.0, 10.0, 5.0, 2.0, 20.0, 5.0, 4.0, 15.0, 5.0, 8.0, 40.0, 5.0, 3.5, -2.0, 5.0];
const SK_MEAN = [3.7, 16.6, 5.0];
const SK_SCALE = [2.4, 13.792751719653335, 1.0];
const SK_SCALED = [
  -1.1250000000000002, -0.47851220221673685, 0.0, -0.7083333333333335, 0.24650628599044003, 0.0, 0.12499999999999993, -0.1160029581131484, 0.0,
  1.7916666666666667, 1.6965432624047938, 0.0, -0.08333333333333341, -1.348534388065349, 0.0,
];

describe('StandardScaler', () => {
  it('matches scikit-learn: population std, constant column scaled by 1', () => {
    const s = new StandardScaler().fit({ data: Float64Array.from(X), rows: 5, cols: 3 });
    Array.from(s.mean).forEach((v, i) => expect(Math.abs(v - SK_MEAN[i]!)).toBeLessThanOrEqual(1e-12));
    Array.from(s.scale).forEach((v, i) => expect(Math.abs(v - SK_SCALE[i]!)).toBeLessThanOrEqual(1e-12));
    const t = s.transform({ data: Float32Array.from(X), rows: 5, cols: 3 });
    Array.from(t.data).forEach((v, i) => expect(Math.abs(v - SK_SCALED[i]!)).toBeLessThanOrEqual(1e-6));
  });

  it('serialises and restores exactly; property: transformed training columns have mean 0 and std 1', () => {
    const data = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 3)) + (i % 3) * 100);
    const s = new StandardScaler().fit({ data, rows: 100, cols: 3 });
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(Array.from(back.mean)).toEqual(Array.from(s.mean));
    expect(Array.from(back.scale)).toEqual(Array.from(s.scale));
    const t = back.transform({ data, rows: 100, cols: 3 }).data;
    for (let j = 0; j < 3; j++) {
      let m = 0;
      let v = 0;
      for (let r = 0; r < 100; r++) m += t[r * 3 + j]! / 100;
      for (let r = 0; r < 100; r++) v += (t[r * 3 + j]! - m) ** 2 / 100;
      expect(Math.abs(m)).toBeLessThan(1e-5);
      expect(Math.abs(Math.sqrt(v) - 1)).toBeLessThan(1e-5);
    }
    expect(() => back.transform({ data: new Float32Array(4), rows: 2, cols: 2 })).toThrow(/columns/);
  });

  it('log of variance columns: closed form, skips columns with negatives, survives zeros and a JSON round trip', () => {
    expect(varianceColumns(['rms_mean', 'rms_var', 'mfcc1_VAR', 'tempo', 'x_variance'])).toEqual([1, 2, 4]);
    expect(varianceColumns(null)).toEqual([]);
    // Column 0: 1, 10, 100, 0 → offset 1e-3 × median positive (10) = 0.01; column 1 has a negative: left alone.
    const data = Float64Array.from([1, -1, 10, 2, 100, 3, 0, 4]);
    const s = new StandardScaler().fit({ data, rows: 4, cols: 2 }, [0, 1]);
    expect(Array.from(s.logColumns)).toEqual([0]);
    expect(s.logOffset[0]).toBeCloseTo(0.01, 15);
    // Closed form: the column becomes log(x + 0.01), then standardised with the population std.
    const logs = [1, 10, 100, 0].map((x) => Math.log(x + 0.01));
    const mean = logs.reduce((a, b) => a + b, 0) / 4;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    expect(Math.abs(s.mean[0]! - mean)).toBeLessThan(1e-12);
    expect(Math.abs(s.scale[0]! - sd)).toBeLessThan(1e-12);
    const t = s.transform({ data, rows: 4, cols: 2 }).data;
    logs.forEach((l, r) => expect(Math.abs(t[r * 2]! - (l - mean) / sd)).toBeLessThan(1e-6));
    expect(Array.from(t).every(Number.isFinite)).toBe(true);
    // New data with a negative value in a log column maps like zero (clamped), never to NaN.
    const q = s.transform({ data: Float64Array.from([-5, 0]), rows: 1, cols: 2 }).data;
    expect(Math.abs(q[0]! - (Math.log(0.01) - mean) / sd)).toBeLessThan(1e-6);
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(Array.from(back.transform({ data, rows: 4, cols: 2 }).data)).toEqual(Array.from(t));
    // Without candidates the JSON has no log entry (old model folders load unchanged).
    expect(new StandardScaler().fit({ data, rows: 4, cols: 2 }).toJSON().log).toBeUndefined();
  });
});
