// Shared helpers for the latent-engine tests: the reference fixture and closeness checks.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { readCsv } from '../../../src/main/engine/features/csv';
import { featureMatrix, type FeatureMatrix } from '../../../src/main/engine/latent/table';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');

/** Values computed by tests/fixtures/latent/make_latent_reference.py (numpy/scipy/sklearn). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const REF: any = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/latent/latent_reference.json'), 'utf8'));

export const f64 = (a: number[]): Float64Array => Float64Array.from(a);

/** Every |a_i − b_i| ≤ atol + rtol·|b_i|, with the worst offender in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) - rtol * Math.abs(expected[i]);
    if (!(err <= atol) && (at < 0 || err > worst)) {
      worst = err;
      at = i;
    }
  }
  if (at >= 0) {
    throw new Error(`element ${at}: got ${actual[at]}, expected ${expected[at]} (tolerance ${atol} + ${rtol}·|x|)`);
  }
}

/** Gaussian blobs: `per` points around each centre (row-major n × d), with the true labels. */
export function blobs(
  centres: number[][],
  per: number,
  sd: number,
  rng: () => number,
): { X: Float64Array; n: number; d: number; labels: Int32Array } {
  const d = centres[0].length;
  const n = centres.length * per;
  const X = new Float64Array(n * d);
  const labels = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < centres.length; c++) {
    for (let r = 0; r < per; r++, i++) {
      labels[i] = c;
      for (let t = 0; t < d; t++) {
        const u = 1 - rng();
        const v = rng();
        X[i * d + t] = centres[c][t] + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      }
    }
  }
  return { X, n, d, labels };
}

/** The shared data folder (../shared/data beside the repository), or null when it is absent. */
export function sharedData(): string | null {
  const dir = path.resolve(repoRoot, '../shared/data');
  return existsSync(dir) ? dir : null;
}

/** A GTZAN feature table: the numeric feature columns (filename, length and label dropped) and labels. */
export function loadGtzanTable(file: string): FeatureMatrix {
  return featureMatrix(readCsv(file));
}
