// End to end in browser mode (`genrelab serve` + Debian's Chromium): a small library (3 synthetic
// styles × 6 clips of 6 s, made with the project's synthesiser) is ingested through the UI; a
// StackNet (a hierarchical model over the inferred genre tree) trains from the Training view with
// 3-fold CV; its run panel shows AP and per-tier accuracy; the Tree view draws the run's genre tree
// (dendrogram with genre names, the cut, per-tier accuracy beside each tier), moves the cut, finds a
// genre and exports tree.json; it builds the library's own tree in a worker; and the run panel's
// "Why?" explains the opened track and summarises a class. Every wait is on a named state
// (data-app-state, data-train-state, data-tree-state, data-why-state, canvas data-drawn), never a sleep.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { assertBuilt, browserSkipReason, launchChromium, makeTempDir, repoRoot, startServe, type Browser, type Served, screenshotOnFailure, addFolderByPath } from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping tree e2e: ${skip}`);

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const CLIPS = 6;

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testId}"]`)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

const drawn = (page: Page): Promise<number> => page.$eval('[data-testid="tree-canvas"]', (c) => Number((c as HTMLElement).dataset.drawn ?? 0));

describe.skipIf(skip !== null)('hierarchical model and the Tree view in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;
  const tierAcc = new Map<number, string>();

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('tree');
    STYLES.forEach((style, si) => {
      for (let i = 0; i < CLIPS; i++) {
        const file = path.join(dir, 'music', style, `${style}.${String(i).padStart(2, '0')}.wav`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, encodeWav(synthesiseClip(style, 700 + 41 * si + i, 6), 22050));
      }
    });
    served = await startServe(dir);
    browser = await launchChromium();
  });

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, 'tree-'));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trains a StackNet from the Training view; the run shows AP and per-tier accuracy', async () => {
    const page = browser!.page;
    await addFolderByPath(page, served!.url, path.join(dir, 'music'), STYLES.length * CLIPS, { timeout: 180_000 });

    await page.click('[data-view="training"]');
    await page.waitForSelector('[data-train-state="idle"] [data-testid="train-model"]');
    await page.selectOption('[data-testid="train-model"]', 'stacknet');
    // The genre-tree parameters come from the model's schema, with their labels.
    expect(await page.textContent('label[for="param-linkage"]')).toBe('Linkage of the genre tree');
    expect(await page.$$eval('[data-param="tiers"] option', (o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['pow2', 'halving', 'custom']);
    // the custom tier sizes are asked for only when the tiers are custom
    expect(await page.locator('[data-param="customTiers"]').count()).toBe(0);
    await page.selectOption('[data-param="tiers"]', 'custom');
    await page.waitForSelector('[data-param="customTiers"]');
    await page.selectOption('[data-param="tiers"]', 'pow2');
    await page.waitForSelector('[data-param="customTiers"]', { state: 'detached' });
    await page.fill('[data-param="hidden"]', '32');
    await page.fill('[data-param="maxEpochs"]', '25');
    await page.fill('[data-testid="train-folds"]', '3');
    await page.click('[data-testid="train-button"]');
    await page.waitForSelector('[data-train-state="done"]', { timeout: 300_000 });
    await page.waitForSelector('[data-run-state="ready"] [data-testid="run-tiers"]');
    const rows = await page.$$eval('[data-testid="run-tiers"] tbody tr', (trs) => trs.map((tr) => ({ k: Number((tr as HTMLElement).dataset.tierK), acc: (tr as HTMLElement).dataset.tierAccuracy! })));
    // 3 genres, pow2 tiers: 2 clusters, then the genres.
    expect(rows.map((r) => r.k)).toEqual([2, 3]);
    for (const r of rows) {
      expect(Number(r.acc)).toBeGreaterThanOrEqual(0);
      expect(Number(r.acc)).toBeLessThanOrEqual(1);
      tierAcc.set(r.k, r.acc);
    }
    // The genre tier is the run's accuracy.
    const shown = (await page.textContent('[data-testid="run-accuracy"] .figure-value'))!;
    expect(shown).toBe(`${(Number(rows[1]!.acc) * 100).toFixed(1)} %`);
    expect(await page.textContent('[data-testid="run-ap"] .figure-value')).toMatch(/^(0|1)\.\d{3}$/);
  }, 600_000);

  it('opens the run’s genre tree in the Tree view: names, cut, per-tier accuracy, search, tree.json', async () => {
    const page = browser!.page;
    await page.click('[data-view="tree"]');
    await page.click('[data-testid="tree-source"] [data-value="run"]');
    await page.waitForSelector('[data-testid="tree-run"] option', { state: 'attached' });
    await page.click('[data-testid="tree-build"]');
    await page.waitForSelector('[data-tree-state="ready"][data-tree-leaves="3"]');
    await page.waitForFunction(() => Number((document.querySelector('[data-testid="tree-canvas"]') as HTMLElement | null)?.dataset.drawn ?? 0) > 0);
    const canvas = await page.$eval('[data-testid="tree-canvas"]', (c) => ({ ...(c as HTMLElement).dataset }));
    // Two merges drawn, three genre names written (rows are tall for 3 leaves).
    expect(Number(canvas.links)).toBe(2);
    expect(Number(canvas.labels)).toBe(3);
    // The canvas is not blank: it has the cluster colours.
    const px = await page.$eval('[data-testid="tree-canvas"]', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 16) colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      return colours.size;
    });
    expect(px).toBeGreaterThan(20);
    // The model's tiers, each with the out-of-fold accuracy of the run.
    const tiers = await page.$$eval('[data-testid="tier-accuracy"] [data-testid="tier-row"]', (els) => els.map((e) => ({ k: Number((e as HTMLElement).dataset.tierK), acc: (e as HTMLElement).dataset.tierAccuracy, text: e.textContent })));
    expect(tiers.map((t) => t.k)).toEqual([2, 3]);
    for (const t of tiers) {
      expect(t.acc).toBe(tierAcc.get(t.k));
      expect(t.text).toContain(`${(Number(t.acc) * 100).toFixed(1)} %`);
    }
    // The cut starts at the first tier; picking the genre tier moves it (and the canvas redraws).
    expect(await page.getAttribute('.treeview', 'data-tree-k')).toBe('2');
    expect(await page.$$eval('[data-testid="tree-clusters"] li', (l) => l.length)).toBe(2);
    const before = await drawn(page);
    await page.click('[data-testid="tier-row"][data-tier-k="3"]');
    await page.waitForSelector('.treeview[data-tree-k="3"]');
    await page.waitForFunction((n) => Number((document.querySelector('[data-testid="tree-canvas"]') as HTMLElement).dataset.drawn) > n, before);
    expect(await page.getAttribute('[data-testid="tree-canvas"]', 'data-k')).toBe('3');
    // Search a genre: one match, highlighted.
    await page.fill('[data-testid="tree-search"]', 'JAZ');
    await page.waitForSelector('[data-testid="tree-matches"]:has-text("1 / 1")');
    // tree.json: scipy's linkage convention.
    const j = await download(page, 'tree-export-json');
    expect(j.name).toMatch(/^run-\d+-tree\.json$/);
    const doc = JSON.parse(j.bytes.toString('utf8'));
    expect(doc.labels).toEqual([...STYLES].sort());
    expect(doc.merges).toHaveLength(2);
    expect(doc.merges[1][3]).toBe(3);
    const svg = await download(page, 'tree-export-svg');
    expect(svg.bytes.toString('utf8')).toContain('<svg');
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'tree-run.png') });
  }, 120_000);

  it('builds the library’s genre tree in a worker', async () => {
    const page = browser!.page;
    await page.click('[data-testid="tree-source"] [data-value="features"]');
    await page.selectOption('[data-testid="tree-linkage"]', 'average');
    await page.selectOption('[data-testid="tree-metric"]', 'cosine');
    await page.click('[data-testid="tree-build"]');
    await page.waitForSelector('[data-tree-state="ready"]:not([data-tree-k="3"]), [data-tree-state="ready"][data-tree-leaves="3"]');
    await page.waitForSelector('[data-testid="tree-facts"]:has-text("average linkage (cosine)")', { timeout: 60_000 });
    expect(await page.getAttribute('.treeview', 'data-tree-leaves')).toBe('3');
    expect(await page.textContent('.map-title h2')).toContain('genre means of 18 tracks');
  }, 120_000);

  it('“Why?” explains the opened track and summarises a class; both come back from the cache', async () => {
    const page = browser!.page;
    await page.click('[data-view="runs"]');
    await page.click('[data-testid="open-run"]');
    await page.waitForSelector('[data-run-state="ready"] [data-testid="why"]');
    // Open a track: the fullest cell of the matrix, then its first track.
    const cell = await page.$$eval('.cm-cell', (els) => els.map((e) => ({ t: (e as HTMLElement).dataset.true!, p: (e as HTMLElement).dataset.pred!, n: Number((e as HTMLElement).dataset.count) })).sort((a, b) => b.n - a.n)[0]!);
    await page.click(`.cm-cell[data-true="${cell.t}"][data-pred="${cell.p}"]`);
    await page.click('[data-testid="cell-tracks"] [data-pred-index]');
    await page.waitForSelector('[data-testid="why-explain-track"]:not([disabled])');
    await page.click('[data-testid="why-explain-track"]');
    await page.waitForSelector('[data-why-state="ready"] [data-testid="why-bars"]', { timeout: 180_000 });
    const bars = await page.$$eval('[data-testid="why-bars"] g[data-feature]', (gs) => gs.map((g) => Math.abs(Number((g as HTMLElement).dataset.phi))));
    expect(bars).toHaveLength(12);
    // Bars are sorted by |φ|.
    expect(bars).toEqual([...bars].sort((a, b) => b - a));
    await page.fill('[data-testid="why-rows"]', '3');
    await page.click('[data-testid="why-explain-global"]');
    await page.waitForSelector('[data-why-state="ready"] [data-testid="why-beeswarm"]', { timeout: 180_000 });
    expect(Number(await page.textContent('[data-testid="why-points"]'))).toBe(3 * 10);
    await page.$eval('[data-testid="why"]', (e) => e.scrollIntoView());
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'tree-why.png') });
    // Reopen the run: both are read back from the cache without computing.
    await page.click('[data-testid="runs-back"]');
    await page.click('[data-testid="open-run"]');
    await page.waitForSelector('[data-run-state="ready"] [data-testid="why"] [data-testid="why-beeswarm"]');
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 400_000);
});
