// Shared by the hierarchy tests: a six-genre data set in two families, and partition equality.
import type { Matrix } from '../../src/main/engine/ml/types';
import { mulberry32, normal } from '../../src/main/engine/random';

/** Six genres in two families of three (family centre ±5 on features 0 and 3, smaller genre offsets on features 1–2). */
export function sixGenres(rows: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = mulberry32(seed);
  const y = Int32Array.from({ length: rows }, (_, i) => i % 6);
  const X = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) {
    const g = y[r]!;
    const fam = g < 3 ? 5 : -5;
    X.set([fam + normal(rng), 1.2 * (g % 3) + 0.3 * normal(rng), (g % 3 === 1 ? 1.2 : 0) + 0.3 * normal(rng), fam + normal(rng)], r * 4);
  }
  return { X: { data: X, rows, cols: 4 }, y };
}
export const SIX_LABELS = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];

/** Same partition up to renaming of the clusters. */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]!) ?? b[i]) !== b[i] || (ba.get(b[i]!) ?? a[i]) !== a[i]) return false;
    ab.set(a[i]!, b[i]!);
    ba.set(b[i]!, a[i]!);
  }
  return true;
}
