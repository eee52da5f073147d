// End to end in the Electron window (where the Electron binary exists): the app opens, reaches
// data-app-state="ready" over IPC, and says it runs in Electron. The npm wrapper downloads the
// binary on first launch; where it has not (no internet), this test is skipped with the reason.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, repoRoot } from './e2e-helpers';

/**
 * The Electron executable, found the way the npm wrapper finds it (path.txt under dist/, or
 * ELECTRON_OVERRIDE_DIST_PATH) but without calling require('electron'), which would try to download it.
 */
function electronBinary(): { path: string | null; why: string } {
  const pkg = path.join(repoRoot, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : 'electron';
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist');
  const exe = path.join(dist, rel);
  if (existsSync(exe)) return { path: exe, why: '' };
  return { path: null, why: `no Electron binary at ${exe} (the npm wrapper downloads it on first launch; no download here)` };
}

const bin = electronBinary();
const displayMissing = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skip = bin.path === null ? bin.why : displayMissing ? 'no display (set DISPLAY, e.g. run under xvfb-run)' : null;
if (skip) console.warn(`[e2e] skipping electron.e2e: ${skip}`);

describe.skipIf(skip !== null)('Electron window', () => {
  it('opens, reaches ready over IPC and reports the Electron transport', async () => {
    assertBuilt();
    const main = path.join(repoRoot, 'out', 'main', 'index.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first with \`npx electron-vite build\`.`);
    const dataDir = makeTempDir('electron');
    const app = await electron.launch({
      executablePath: bin.path!,
      args: [main, '--no-sandbox'],
      cwd: repoRoot,
      env: { ...process.env, GENRELAB_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('body[data-app-state="ready"]', { timeout: 60_000 });
      expect(await page.textContent('.chip-transport')).toBe('Electron');
      expect(await page.textContent('.statusbar')).toContain(dataDir);
      const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;
      expect(await page.textContent('.brand-version')).toBe(`v${version}`);
      // The renderer is sandboxed: no Node in the page.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
