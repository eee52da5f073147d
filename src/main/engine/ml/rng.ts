// Seeds for the sub-tasks of a seeded run (folds, ensemble members, initialisers). The generator
// itself is the engine's shared one (../random).

/** Derives an integer seed for sub-task `k` of a run seeded with `seed` (a 32-bit hash of both). */
export function subSeed(seed: number, k: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) + Math.imul(k + 1, 0x27d4eb2f)) >>> 0;
}
