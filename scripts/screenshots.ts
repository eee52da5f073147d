// `npx tsx scripts/screenshots.ts`: the README's pictures, from the demo library (synthetic audio),
// taken in browser mode with Debian's Chromium. Writes docs/screenshot-*.png.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, makeTempDir, repoRoot, startServe } from '../tests/e2e/e2e-helpers';

const dir = makeTempDir('screens');
const env = { ...process.env, GENRELAB_DATA_DIR: join(dir, 'data') };
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'genrelab.js'), ...args, '--db', join(dir, 'g.sqlite')], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};
cli('demo', join(dir, 'demo'), '--clips', '6', '--seconds', '12');
cli('train', '--model', 'knn', '--cv', '5', '--segments', '--out', join(dir, 'run'));
const served = await startServe(dir);
const { page, close } = await launchChromium();
try {
  await page.goto(served.url);
  await page.waitForSelector('body[data-app-state="ready"]');
  await page.locator('[data-track-count] [role="row"], [data-track-count] tr').nth(3).click().catch(() => undefined);
  await page.waitForSelector('[data-waveform-state="playing"], [data-waveform-state="ready"]', { timeout: 30_000 }).catch(() => undefined);
  await page.keyboard.press('Space').catch(() => undefined);
  mkdirSync(join(repoRoot, 'docs'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'docs', 'screenshot-library.png') });
  await page.keyboard.press('3');
  await page.waitForTimeout(1500);
  await page.locator('text=k nearest neighbours').first().click().catch(() => undefined);
  await page.waitForSelector('[data-confusion-ready]', { timeout: 30_000 }).catch(() => undefined);
  await page.screenshot({ path: join(repoRoot, 'docs', 'screenshot-run.png') });
  console.log('wrote docs/screenshot-library.png and docs/screenshot-run.png');
} finally {
  await close();
  await served.stop();
}
