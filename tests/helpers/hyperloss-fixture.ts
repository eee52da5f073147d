// A tiny genre embedding (five genres in the Poincaré disk) and a small labelled feature table, shared
// by the hyperbolic-loss CLI and end-to-end tests. No test in this file.

export const TINY_GENRES = ['hip hop', 'rock', 'jazz', 'classic rock', 'bebop'];
export const TINY_VECTORS = [
  [-0.6, 0.2],
  [0.5, 0.1],
  [0.0, -0.5],
  [0.7, 0.3],
  [0.1, -0.8],
];

/** Poincaré distance, closed form: arcosh(1 + 2‖u − v‖² / ((1 − ‖u‖²)(1 − ‖v‖²))). */
export function poincare2(u: number[], v: number[]): number {
  const d2 = (u[0]! - v[0]!) ** 2 + (u[1]! - v[1]!) ** 2;
  return Math.acosh(1 + (2 * d2) / ((1 - (u[0]! ** 2 + u[1]! ** 2)) * (1 - (v[0]! ** 2 + v[1]! ** 2))));
}

/**
 * `filename,length,f0..f3,label` with `perLabel` rows per label: four noisy features (a seeded LCG,
 * sums of three uniforms) with `shift` added to the feature of the row's class.
 */
export function tinyTable(labels: readonly string[], perLabel: number, shift: number, seed: number): string {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['filename,length,f0,f1,f2,f3,label'];
  for (let i = 0; i < labels.length * perLabel; i++) {
    const c = i % labels.length;
    const f = [0, 1, 2, 3].map((j) => (rnd() + rnd() + rnd() - 1.5 + (j === c ? shift : 0)).toFixed(5));
    lines.push(`${labels[c]!.toLowerCase()}.${String(i).padStart(5, '0')}.wav,661794,${f.join(',')},${labels[c]}`);
  }
  return lines.join('\n') + '\n';
}
