import { describe, expect, it } from 'vitest';
import { exactShapley, kernelShap, shapSummary, type PredictFn } from '../../../src/main/engine/hierarchy/shap';
import { mulberry32, normal } from '../../../src/main/engine/random';
import type { Matrix } from '../../../src/main/engine/ml/types';

const rng = mulberry32(42);
const M = 6;
const B = 12;
const bg: Matrix = { data: Float32Array.from({ length: B * M }, () => normal(rng)), rows: B, cols: M };
const x = Float32Array.from({ length: M }, () => normal(rng) * 2);
// Two-output linear model f_c(x) = W_c · x + b_c.
const W = [Float64Array.from({ length: M }, () => normal(rng)), Float64Array.from({ length: M }, () => normal(rng))];
const bias = [0.3, -1.2];
const linear: PredictFn = (X) => {
  const out = new Float64Array(X.rows * 2);
  for (let r = 0; r < X.rows; r++) for (let c = 0; c < 2; c++) {
    let s = bias[c]!;
    for (let i = 0; i < M; i++) s += W[c]![i]! * X.data[r * M + i]!;
    out[r * 2 + c] = s;
  }
  return out;
};
// Nonlinear 3-class model: softmax of interactions.
const softmaxModel: PredictFn = (X) => {
  const out = new Float64Array(X.rows * 3);
  for (let r = 0; r < X.rows; r++) {
    const v = X.data.subarray(r * M, (r + 1) * M);
    const z = [v[0]! * v[1]! + v[2]!, Math.sin(v[3]!) - v[4]! * v[0]!, v[5]! * v[5]! * 0.3];
    const m = Math.max(...z);
    const e = z.map((t) => Math.exp(t - m));
    const s = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 3; c++) out[r * 3 + c] = e[c]! / s;
  }
  return out;
};

function meanCol(i: number): number {
  let s = 0;
  for (let b = 0; b < B; b++) s += bg.data[b * M + i]!;
  return s / B;
}

describe('Shapley attributions', () => {
  it('linear model: exact and Kernel SHAP equal the closed form φ_i = w_i (x_i − E x_i) within 1e-9', () => {
    const ex = exactShapley(linear, x, bg);
    const ks = kernelShap(linear, x, bg, { rng: mulberry32(1) });
    // Sampled coalitions (budget below 2^M − 2) still recover an additive model exactly.
    const sampled = kernelShap(linear, x, bg, { rng: mulberry32(2), nSamples: 40 });
    for (let i = 0; i < M; i++) {
      for (let c = 0; c < 2; c++) {
        const closed = W[c]![i]! * (x[i]! - meanCol(i));
        expect(Math.abs(ex.phi[i * 2 + c]! - closed)).toBeLessThan(1e-9);
        expect(Math.abs(ks.phi[i * 2 + c]! - closed)).toBeLessThan(1e-9);
        expect(Math.abs(sampled.phi[i * 2 + c]! - closed)).toBeLessThan(1e-7);
      }
    }
    expect(ex.coalitions).toBe(64);
    expect(sampled.coalitions).toBeLessThanOrEqual(41);
  });

  it('nonlinear model: efficiency (Σφ = f(x) − E f(background)) and Kernel SHAP with all coalitions = exact', () => {
    const ex = exactShapley(softmaxModel, x, bg);
    const ks = kernelShap(softmaxModel, x, bg, { rng: mulberry32(3) });
    for (let c = 0; c < 3; c++) {
      let se = 0;
      let sk = 0;
      for (let i = 0; i < M; i++) {
        se += ex.phi[i * 3 + c]!;
        sk += ks.phi[i * 3 + c]!;
      }
      expect(Math.abs(se - (ex.fx[c]! - ex.base[c]!))).toBeLessThan(1e-12);
      expect(Math.abs(sk - (ks.fx[c]! - ks.base[c]!))).toBeLessThan(1e-12);
    }
    // Lundberg & Lee: the Shapley kernel regression over every coalition gives the Shapley values.
    for (let i = 0; i < M * 3; i++) expect(Math.abs(ks.phi[i]! - ex.phi[i]!)).toBeLessThan(1e-8);
  });

  it('sampled Kernel SHAP on a 20-feature model keeps efficiency exactly and lands near the exact values of the additive part', () => {
    const m = 20;
    const r = mulberry32(8);
    const bg20: Matrix = { data: Float32Array.from({ length: 10 * m }, () => normal(r)), rows: 10, cols: m };
    const x20 = Float32Array.from({ length: m }, () => normal(r));
    const w = Float64Array.from({ length: m }, () => normal(r));
    const f: PredictFn = (X) => Float64Array.from({ length: X.rows }, (_, i) => {
      let s = 0;
      for (let j = 0; j < m; j++) s += w[j]! * X.data[i * m + j]!;
      return s + 0.2 * X.data[i * m]! * X.data[i * m + 1]!;
    });
    const a = kernelShap(f, x20, bg20, { rng: mulberry32(4), nSamples: 600 });
    let s = 0;
    for (let j = 0; j < m; j++) s += a.phi[j]!;
    expect(Math.abs(s - (a.fx[0]! - a.base[0]!))).toBeLessThan(1e-9);
    // Features 2..19 are purely additive: φ_j = w_j (x_j − E x_j) up to the sampling noise of the interaction.
    for (let j = 2; j < m; j++) {
      let mean = 0;
      for (let b = 0; b < 10; b++) mean += bg20.data[b * m + j]! / 10;
      expect(Math.abs(a.phi[j]! - w[j]! * (x20[j]! - mean))).toBeLessThan(0.05);
    }
  });

  it('summary: mean |φ| per class and feature, order by importance, beeswarm arrays', () => {
    const rows: Matrix = { data: Float32Array.from({ length: 4 * M }, () => normal(rng)), rows: 4, cols: M };
    const atts = Array.from({ length: 4 }, (_, r) => exactShapley(linear, rows.data.subarray(r * M, (r + 1) * M), bg));
    const sum = shapSummary(atts, rows, ['a', 'b', 'c', 'd', 'e', 'f'], ['p', 'q']);
    for (let i = 0; i < M; i++) {
      const want = atts.reduce((s, a) => s + Math.abs(a.phi[i * 2 + 1]!), 0) / 4;
      expect(sum.meanAbs[1 * M + i]).toBeCloseTo(want, 12);
    }
    const o = sum.order[0]!;
    for (let t = 1; t < M; t++) expect(sum.meanAbs[o[t - 1]!]!).toBeGreaterThanOrEqual(sum.meanAbs[o[t]!]!);
    expect(sum.beeswarm[0]!.phi).toHaveLength(4 * M);
    for (const v of sum.beeswarm[0]!.value01) expect(v >= 0 && v <= 1).toBe(true);
  });
});
