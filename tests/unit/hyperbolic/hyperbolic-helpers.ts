// Shared helpers for the hyperbolic-engine tests: the reference fixture and closeness checks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');

/** Values computed by tests/fixtures/hyperbolic/make_hyperbolic_reference.py (numpy/scipy and ../shared/reference). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const REF: any = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/hyperbolic/hyperbolic_reference.json'), 'utf8'));

export const f64 = (a: ArrayLike<number>): Float64Array => Float64Array.from(a);

/** Every |a_i − b_i| ≤ atol + rtol·|b_i|, naming the worst element when one fails. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) - rtol * Math.abs(expected[i]);
    if (!(e <= atol) && (worst < 0 || e > err)) {
      worst = i;
      err = e;
    }
  }
  if (worst >= 0) throw new Error(`element ${worst}: got ${actual[worst]}, expected ${expected[worst]} (tolerance ${atol} + ${rtol}·|x|)`);
}

/** A random point strictly inside the unit ball of dimension d with norm below rmax. */
export function ballPoint(rng: () => number, d: number, rmax: number): Float64Array {
  const x = new Float64Array(d);
  let s = 0;
  for (let k = 0; k < d; k++) {
    x[k] = rng() * 2 - 1;
    s += x[k] * x[k];
  }
  const r = rmax * rng();
  const f = r / Math.sqrt(s);
  for (let k = 0; k < d; k++) x[k] *= f;
  return x;
}
