// Locating ../shared/data beside the repository; suites that need it skip with a printed reason.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedData = resolve(repoRoot, '..', 'shared', 'data');

/** The path under ../shared/data, or null (and a console warning naming the suite) when absent. */
export function sharedPath(rel: string, suite: string): string | null {
  const p = join(sharedData, rel);
  if (existsSync(p)) return p;
  console.warn(`[skip] ${suite}: ${p} is absent (../shared/data is not beside this checkout)`);
  return null;
}
