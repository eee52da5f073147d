// End to end in browser mode: `genrelab serve` + Debian's Chromium. A small synthetic library (the
// project's synthesiser: rock, jazz, classical × 4 clips of 7 s = 2 segments each) is added through
// the Library view with the logmel profile; in the Training view choosing the CNN shows its
// requirement and fills in the logmel profile and 3-s segments; a small CNN (2 conv blocks, 3 epochs)
// trains with a held-out split on the wasm backend and the run finishes with its live curves; the Runs
// view lists it; the Map view's "Model layer" source lists the run, and a PCA map of its embedding
// layer is built (one point per track). Every wait is on a named state, never on a sleep.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { assertBuilt, browserSkipReason, launchChromium, makeTempDir, repoRoot, startServe, type Browser, type Served, screenshotOnFailure, addFolderByPath } from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping cnn.e2e: ${skip}`);

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const CLIPS = 4;
const N = STYLES.length * CLIPS;

describe.skipIf(skip !== null)('the CNN in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('cnn');
    STYLES.forEach((style, si) => {
      for (let i = 0; i < CLIPS; i++) {
        const file = path.join(dir, 'music', style, `${style}.${String(i).padStart(2, '0')}.wav`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, encodeWav(synthesiseClip(style, 900 + 31 * si + i, 7), 22050));
      }
    });
    served = await startServe(dir);
    browser = await launchChromium();
  });

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, 'cnn-'));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a folder with the logmel profile and trains a CNN on its segments from the Training view', async () => {
    const page = browser!.page;
    await addFolderByPath(page, served!.url, path.join(dir, 'music'), N, { profile: 'logmel' });

    await page.click('[data-view="training"]');
    await page.waitForSelector('[data-train-state="idle"] [data-testid="train-model"]');
    await page.selectOption('[data-testid="train-model"]', 'cnn');
    // The requirement is said, and filled in: the logmel profile, 3-s segments.
    expect(await page.textContent('[data-testid="model-requires"]')).toMatch(/log-mel patches of 3-second segments/);
    expect(await page.$eval('[data-testid="train-profile"]', (e) => (e as HTMLSelectElement).value)).toBe('logmel');
    expect(await page.getAttribute('[data-testid="train-unit"] [data-value="segments"]', 'aria-checked')).toBe('true');
    await page.fill('[data-param="filters"]', '4, 8');
    await page.fill('[data-param="embedding"]', '8');
    await page.fill('[data-param="maxEpochs"]', '3');
    await page.fill('[data-param="validationFraction"]', '0');
    await page.click('[data-testid="train-evaluation"] [data-value="holdout"]');
    await page.fill('[data-testid="train-fraction"]', '0.34');
    await page.click('[data-testid="train-button"]');
    await page.waitForSelector('[data-train-state="done"]', { timeout: 240_000 });
    await page.waitForSelector('[data-run-state="ready"] [data-confusion-ready="true"]');
    expect(await page.textContent('[data-testid="train-backend"]')).toBe('wasm');
    // One fold of 3 epochs: the training-loss curve has 3 points.
    const train = await page.$$eval('svg[data-chart="loss"] path[data-series$="-train"]', (els) => els.map((e) => Number(e.getAttribute('data-points'))));
    expect(train).toEqual([3]);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'training-cnn.png') });

    await page.click('[data-view="runs"]');
    await page.waitForSelector('[data-runs-count="1"]');
    const models = await page.$$eval('[data-testid="runs-table"] tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.model));
    expect(models).toEqual(['cnn']);
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 360_000);

  it('lists the CNN run as a Map source and maps its embedding layer', async () => {
    const page = browser!.page;
    await page.click('[data-view="map"]');
    await page.waitForSelector('[data-map-state="idle"] [data-testid="map-build"]');
    expect(await page.isDisabled('[data-testid="map-source"] [data-value="run"]')).toBe(false);
    await page.click('[data-testid="map-source"] [data-value="run"]');
    const options = await page.$$eval('[data-testid="map-run"] option', (os) => os.map((o) => o.textContent ?? ''));
    expect(options).toHaveLength(1);
    expect(options[0]).toMatch(/Convolutional network/);
    const webgl = await page.getAttribute('.map-gl', 'data-webgl');
    if (webgl !== 'ok') {
      console.warn('[e2e] WebGL unavailable: the CNN map is not drawn');
      return;
    }
    await page.click('[data-testid="map-method"] [data-value="pca"]');
    await page.click('[data-testid="map-build"]');
    await page.waitForSelector('[data-map-state="ready"]', { timeout: 120_000 });
    expect(await page.getAttribute('[data-testid="map-canvas"]', 'data-points')).toBe(String(N));
    expect(await page.textContent('[data-testid="map-facts"]')).toContain(`${N} points`);
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 180_000);
});
