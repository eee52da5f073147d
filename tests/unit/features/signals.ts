// Test signals, defined by the same formulas as tests/fixtures/features/make_gtzan57_ref.py.
const SR = 22050;

/** 0.3 sin(440 Hz) + 0.2 sin(3001.7 Hz) + 0.1 (((k*7919) mod 1000)/1000 - 0.5). */
export function tonesNoise(n: number): Float32Array {
  const y = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    y[k] =
      0.3 * Math.sin((2 * Math.PI * 440 * k) / SR) +
      0.2 * Math.sin((2 * Math.PI * 3001.7 * k) / SR) +
      0.1 * (((k * 7919) % 1000) / 1000.0 - 0.5);
  }
  return y;
}

/** Harmonic tones on A2, E3, A3, C#4 shifted by `cents` (3 harmonics, amplitude 0.2 / h). */
export function detuned(n: number, cents: number): Float32Array {
  const y = new Float64Array(n);
  for (const f0 of [110.0, 164.81377845643496, 220.0, 277.1826309768721]) {
    const f = f0 * 2 ** (cents / 1200);
    for (const h of [1, 2, 3]) {
      for (let k = 0; k < n; k++) y[k] += (0.2 / h) * Math.sin((2 * Math.PI * f * h * k) / SR);
    }
  }
  return Float32Array.from(y);
}

/** 1 kHz decaying bursts of 256 samples every `period` samples from `offset`, over 0.05 x tonesNoise. */
export function clicks(n: number, period: number, offset = 1000): Float32Array {
  const base = tonesNoise(n);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) y[k] = 0.05 * base[k];
  for (let s = offset; s < n - 256; s += period) {
    for (let j = 0; j < 256; j++) y[s + j] += 0.8 * Math.sin((2 * Math.PI * 1000 * j) / SR) * Math.exp(-j / 40.0);
  }
  return Float32Array.from(y);
}

/** Max over i of |a[i] - b[i]| / max(|b[i]|, floor). */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(e <= m)) m = e;
  }
  return m;
}
