// End to end in browser mode (`genrelab serve` + Debian's Chromium): a small synthetic library (the
// project's synthesiser: 3 styles × 5 clips of 4 s) is analysed and a small dense network trained on it
// with the CLI before the server starts. In the Probes view a probe of the run's own folder is run and
// its table, chart and stored entry appear; the held-out / in-sample switch changes the table; a clip's
// pitch-shifted version plays; a second probe is cancelled and stores nothing. In the Map view a PCA
// map is built, a second folder (2 other styles × 3 clips) is placed into it by path, and the new group
// appears in the legend, on the canvas, and plays when clicked. Every wait is on a named state.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { assertBuilt, browserSkipReason, launchChromium, makeTempDir, repoRoot, startServe, type Browser, type Served, screenshotOnFailure } from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping probes.e2e: ${skip}`);

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const OTHER: DemoStyle[] = ['disco', 'reggae'];
const PER = 5;
const N = STYLES.length * PER;

function writeClips(root: string, styles: DemoStyle[], per: number, seed: number): void {
  styles.forEach((style, si) => {
    for (let i = 0; i < per; i++) {
      const file = path.join(root, style, `${style}.${String(i).padStart(2, '0')}.wav`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, encodeWav(synthesiseClip(style, seed + 41 * si + i, 4), 22050));
    }
  });
}

function cli(dir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'genrelab.js'), ...args, '--db', path.join(dir, 'g.sqlite')], {
    cwd: repoRoot,
    env: { ...process.env, GENRELAB_DATA_DIR: path.join(dir, 'data') },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`genrelab ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe.skipIf(skip !== null)('probes and out-of-domain placement in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('probes');
    writeClips(path.join(dir, 'music'), STYLES, PER, 700);
    writeClips(path.join(dir, 'other'), OTHER, 3, 1900);
    cli(dir, ['analyze', path.join(dir, 'music'), '--json']);
    const params = JSON.stringify({ hidden: [16], maxEpochs: 40, patience: 40, validationFraction: 0 });
    cli(dir, ['train', '--model', 'dense', '--test-split', '0.25', '--seed', '1', '--params', params, '--out', path.join(dir, 'trained'), '--json']);
    served = await startServe(dir);
    browser = await launchChromium();
  }, 300_000);

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, ''));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a probe from the view, shows the table and chart, plays a shifted clip, cancels another', async () => {
    const page = browser!.page;
    await page.goto(served!.url);
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.click('[data-view="probes"]');
    await page.waitForSelector('[data-probe-state="idle"] [data-testid="probe-run-button"]');
    // the dense run is chosen by default
    expect(await page.$eval('[data-testid="probe-run"]', (s) => (s as HTMLSelectElement).value)).not.toBe('');
    await page.click('[data-testid="probe-run-button"]');
    await page.waitForSelector('[data-probe-state="ready"] [data-testid="probe-table"]', { timeout: 180_000 });

    const kinds = await page.$$eval('[data-testid="probe-table"] tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.kind));
    expect(kinds).toEqual(['identity', 'translation', 'uniform', 'diagonal', 'orthogonal', 'affine']);
    expect(await page.getAttribute('[data-testid="probe-table"]', 'data-scope')).toBe('heldOut');
    const values = await page.$$eval('[data-testid="probe-table"] td[data-metric]', (tds) => tds.map((t) => Number((t as HTMLElement).dataset.value)));
    expect(values).toHaveLength(6 * 6);
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    const nn = await page.$$eval('[data-testid="probe-table"] td[data-metric$="nnAccuracy"]', (tds) => tds.map((t) => Number((t as HTMLElement).dataset.value)));
    expect(nn.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(await page.$$eval('[data-testid="probe-chart"] rect[data-bar]', (r) => r.length)).toBe(12);
    expect(await page.textContent('[data-testid="probe-facts"]')).toContain(`${N} clips`);
    await page.waitForSelector('[data-testid="probe-list"][data-probes-count="1"]');

    // the in-sample table differs from the held-out one
    await page.click('[data-testid="probe-scope"] [data-value="inSample"]');
    await page.waitForSelector('[data-testid="probe-table"][data-scope="inSample"]');
    const inSample = await page.$$eval('[data-testid="probe-table"] td[data-metric]', (tds) => tds.map((t) => Number((t as HTMLElement).dataset.value)));
    expect(inSample).not.toEqual(values);

    // listen: the pitch-shifted version of the first clip plays (WAV from the engine through a Blob URL)
    await page.click('[data-testid="probe-clips"] li[data-clip="0"] [data-testid="listen-pitch"]');
    await page.waitForSelector('[data-testid="probe-player"][data-audio-state="playing"][data-version="pitch"]', { timeout: 30_000 });
    const duration = await page.$eval('[data-testid="probe-audio"]', (a) => (a as HTMLAudioElement).duration);
    expect(duration).toBeGreaterThan(3.5);
    expect(duration).toBeLessThanOrEqual(4.01);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'probes.png') });

    // a second probe, cancelled: nothing stored
    await page.click('[data-testid="probe-run-button"]');
    await page.waitForSelector('[data-probe-state="running"] [data-testid="probe-cancel"]:not([disabled])');
    await page.click('[data-testid="probe-cancel"]');
    await page.waitForSelector('[data-testid="probe-message"]:has-text("cancelled")', { timeout: 60_000 });
    expect(await page.getAttribute('[data-testid="probe-list"]', 'data-probes-count')).toBe('1');
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 300_000);

  it('places a second folder into a PCA map: a new legend group, drawn and playable', async () => {
    const page = browser!.page;
    await page.click('[data-view="map"]');
    await page.waitForSelector('[data-map-state="idle"] [data-testid="map-build"]');
    await page.click('[data-testid="map-method"] [data-value="pca"]');
    await page.click('[data-testid="map-dims"] [data-value="3"]');
    await page.click('[data-testid="map-build"]');
    await page.waitForSelector(`[data-map-state="ready"] [data-testid="map-canvas"][data-points="${N}"]`, { timeout: 60_000 });
    await page.waitForSelector('[data-testid="place-panel"]');
    await page.click('[data-testid="place-source"] [data-value="path"]');
    await page.fill('[data-testid="place-path"]', path.join(dir, 'other'));
    await page.click('[data-testid="place-run"]');
    await page.waitForSelector('[data-testid="place-panel"][data-placements="1"][data-place-state="idle"]', { timeout: 120_000 });
    const group = '[data-testid="map-legend"] [data-key="ood:out of domain: other"]';
    await page.waitForSelector(group);
    expect(await page.textContent(group)).toContain('out of domain: other');
    await page.waitForSelector(`[data-testid="map-canvas"][data-points="${N + OTHER.length * 3}"]`);
    expect(await page.textContent('[data-testid="place-landing"]')).toMatch(/nearest map points: (rock|jazz|classical) \d/);

    // a placed point plays when clicked
    const at = await page.evaluate((k) => window.__genrelabMap?.screenOf(k) ?? null, N);
    expect(at).not.toBeNull();
    await page.mouse.move(at!.x, at!.y);
    await page.waitForSelector(`[data-testid="map-tip"][data-index="${N}"]`);
    const name = (await page.textContent('[data-testid="map-tip"] .map-tip-name'))!;
    expect(name).toMatch(/^(disco|reggae)\/\1\.\d\d\.wav$/);
    await page.mouse.click(at!.x, at!.y);
    await page.waitForSelector('[data-waveform-state="playing"]', { timeout: 30_000 });
    expect(await page.textContent('.wave-name')).toBe(name);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'map-out-of-domain.png') });
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 240_000);
});
