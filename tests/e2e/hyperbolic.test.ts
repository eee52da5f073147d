// End to end in browser mode (`genrelab serve` + Debian's Chromium): the Hyperbolic view imports a
// small genre co-occurrence table with bad rows (the report names their lines), trains a 2-D Poincaré
// embedding with its Euclidean baseline (live loss curve, then the evaluation side by side), searches
// a genre with suggestions and watches the disk re-centre on it by the animated Möbius transformation
// (the genre ends at the centre of the disk, read back from the canvas state), lists its parents and
// neighbours, moves the parent thresholds, draws the dendrogram, exports JSON / Projector TSV / SVG /
// PNG, and Esc returns to the origin. With ../shared/data present, a training on the Spotify table is
// cancelled from the UI and nothing is stored. Every wait is on a named state, never a sleep.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared';
import { genreTreeCsv, CHILDREN, PARENTS } from '../helpers/hyperbolic-tree';
import { assertBuilt, browserSkipReason, decodePng, launchChromium, makeTempDir, startServe, type Browser, type Served, screenshotOnFailure } from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping hyperbolic e2e: ${skip}`);

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testId}"]`)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

const DISK = '[data-testid="hyper-disk"]';

describe.skipIf(skip !== null)('hyperbolic view in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;
  const table = genreTreeCsv({ badRows: true });

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('hyper');
    writeFileSync(path.join(dir, 'genre-tree.csv'), table.csv);
    served = await startServe(dir);
    browser = await launchChromium();
  });

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, 'hyper-'));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports, trains, searches and re-centres the disk, lists parents, exports', async () => {
    const page = browser!.page;
    await page.goto(served!.url);
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.click('[data-view="hyperbolic"]');
    await page.waitForSelector('[data-hyper-state="empty"]');

    // Import: the report counts the genres and names the bad rows' lines.
    await page.fill('[data-testid="hyper-path"]', path.join(dir, 'genre-tree.csv'));
    await page.click('[data-testid="hyper-import"]');
    const report = page.locator('[data-testid="hyper-report"]');
    await report.waitFor();
    expect(await report.getAttribute('data-nodes')).toBe(String(PARENTS.length + CHILDREN.length));
    expect(await report.getAttribute('data-malformed')).toBe('1');
    expect(await report.getAttribute('data-empty-rows')).toBe('1');
    expect(await page.textContent('[data-testid="hyper-report-malformed"]')).toContain(`line ${table.malformedLine}`);
    expect(await page.getAttribute('[data-testid="hyper-graphs"]', 'data-graphs-count')).toBe('1');

    // Train a 2-D embedding and the Euclidean baseline; the loss curve fills while it runs.
    await page.fill('[data-testid="hyper-dim"]', '2');
    await page.fill('[data-testid="hyper-epochs"]', '200');
    await page.fill('[data-testid="hyper-burnIn"]', '10');
    expect(await page.isChecked('[data-testid="hyper-euclidean"]')).toBe(true);
    await page.click('[data-testid="hyper-train"]');
    await page.waitForSelector('[data-hyper-state="ready"]', { timeout: 90_000 });
    expect(await page.getAttribute('[data-testid="hyper-embeddings"]', 'data-embeddings-count')).toBe('2');
    const mapP = Number(await page.textContent('[data-testid="hyper-map-poincare"]'));
    const mapE = Number(await page.textContent('[data-testid="hyper-map-euclidean"]'));
    expect(mapP).toBeGreaterThanOrEqual(0.95); // a small tree reconstructs well in the ball
    expect(mapE).toBeGreaterThan(0);
    expect(Number(await page.textContent('[data-testid="hyper-rank-poincare"]'))).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getAttribute('[data-testid="hyper-loss"]', 'data-epochs'))).toBe(210);
    expect(await page.textContent('[data-testid="hyper-caption"]')).toContain('2-D embedding itself');
    expect(await page.getAttribute(DISK, 'data-points')).toBe(String(PARENTS.length + CHILDREN.length));

    // Search with suggestions; the disk animates to the genre, which ends at the centre.
    const before = await page.evaluate(() => window.__genrelabHyper!.displayOf('queens hip hop'));
    const parentBefore = await page.evaluate(() => window.__genrelabHyper!.displayOf('hip hop'));
    expect(Math.hypot(before![0], before![1])).toBeGreaterThan(0.05);
    await page.evaluate((sel) => {
      const el = document.querySelector(sel)!;
      const seen: string[] = [];
      (window as unknown as { __animSeen: string[] }).__animSeen = seen;
      new MutationObserver(() => seen.push((el as HTMLElement).dataset.anim ?? '')).observe(el, { attributes: true, attributeFilter: ['data-anim'] });
    }, DISK);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('hyper-search');
    await page.keyboard.type('queens hip');
    await page.waitForSelector('[data-testid="hyper-suggestions"] [data-genre="queens hip hop"]');
    await page.click('[data-testid="hyper-suggestions"] [data-genre="queens hip hop"]');
    await page.waitForSelector(`${DISK}[data-anim="idle"][data-centre="queens hip hop"]`);
    const cx = Number(await page.getAttribute(DISK, 'data-centre-x'));
    const cy = Number(await page.getAttribute(DISK, 'data-centre-y'));
    expect(Math.hypot(cx, cy)).toBeLessThan(1e-6);
    const after = await page.evaluate(() => window.__genrelabHyper!.displayOf('queens hip hop'));
    expect(Math.hypot(after![0], after![1])).toBeLessThan(1e-9);
    expect(await page.evaluate(() => (window as unknown as { __animSeen: string[] }).__animSeen)).toContain('moving');
    // Its screen position is the middle of the canvas.
    const box = (await page.locator(DISK).boundingBox())!;
    const scr = await page.evaluate(() => window.__genrelabHyper!.screenOf('queens hip hop'));
    expect(Math.abs(scr!.x - (box.x + box.width / 2))).toBeLessThan(1.5);
    expect(Math.abs(scr!.y - (box.y + box.height / 2))).toBeLessThan(1.5);
    // Re-centring is an isometry: the Poincaré distance to "hip hop" is what it was (2-D: the drawn
    // coordinates are the embedding's own).
    const parentAfter = await page.evaluate(() => window.__genrelabHyper!.displayOf('hip hop'));
    const dist = (u: number[], v: number[]) => Math.acosh(1 + (2 * ((u[0]! - v[0]!) ** 2 + (u[1]! - v[1]!) ** 2)) / ((1 - u[0]! ** 2 - u[1]! ** 2) * (1 - v[0]! ** 2 - v[1]! ** 2)));
    expect(dist(after!, parentAfter!)).toBeCloseTo(dist(before!, parentBefore!), 6);

    // Parents and neighbours of the searched genre.
    await page.waitForSelector('[data-testid="hyper-genre"][data-genre="queens hip hop"][data-loading="false"]');
    const parents = await page.$$eval('[data-testid="hyper-parents"] [data-genre]', (els) => els.map((e) => (e as HTMLElement).dataset.genre!));
    expect(parents).toContain('hip hop');
    const neighbours = await page.$$eval('[data-testid="hyper-neighbours"] [data-genre]', (els) => els.map((e) => (e as HTMLElement).dataset.genre!));
    expect(neighbours.length).toBe(10);
    expect(neighbours.slice(0, 5)).toContain('hip hop');
    // A 5° cone keeps fewer (or as many) parents than 90°.
    await page.fill('[data-testid="hyper-angle"]', '5');
    await page.waitForFunction(() => (document.querySelector('[data-testid="hyper-angle"]') as HTMLInputElement).value === '5');
    await page.waitForSelector('[data-testid="hyper-genre"][data-loading="false"]');
    const narrow = Number(await page.getAttribute('[data-testid="hyper-parents"]', 'data-count'));
    expect(narrow).toBeLessThanOrEqual(parents.length);

    // Clicking a parent selects it and the disk moves there.
    await page.click('[data-testid="hyper-parents"] [data-genre="hip hop"], [data-testid="hyper-neighbours"] [data-genre="hip hop"]');
    await page.waitForSelector(`${DISK}[data-anim="idle"][data-centre="hip hop"][data-selected="hip hop"]`);

    // An unknown genre is refused with close names.
    await page.fill('[data-testid="hyper-search"]', 'qeens hip hop');
    await page.press('[data-testid="hyper-search"]', 'Enter');
    expect(await page.textContent('[data-testid="hyper-search-message"]')).toContain('queens hip hop');

    // The dendrogram of the top genres.
    await page.waitForSelector('[data-testid="hyper-dendrogram"][data-leaves="20"]');
    expect(await page.locator('[data-testid="hyper-dendrogram"] text[data-genre]').count()).toBe(20);

    // Exports.
    const json = await download(page, 'hyper-export-json');
    const doc = JSON.parse(json.bytes.toString('utf8')) as { model: string; dim: number; names: string[]; vectors: number[][] };
    expect(doc.model).toBe('poincare');
    expect(doc.dim).toBe(2);
    expect(doc.names.length).toBe(20);
    expect(doc.vectors.every((v) => v.length === 2 && Math.hypot(v[0]!, v[1]!) < 1)).toBe(true);
    const vec = await download(page, 'hyper-export-vectors');
    const meta = await download(page, 'hyper-export-metadata');
    expect(vec.bytes.toString('utf8').trim().split('\n').length).toBe(20);
    expect(meta.bytes.toString('utf8').trim().split('\n')).toEqual(doc.names);
    const svg = await download(page, 'hyper-export-svg');
    expect(svg.name).toMatch(/\.svg$/);
    expect(svg.bytes.toString('utf8')).toContain('<svg');
    expect((svg.bytes.toString('utf8').match(/<circle /g) ?? []).length).toBeGreaterThanOrEqual(20);
    const png = await download(page, 'hyper-export-png');
    const img = decodePng(png.bytes);
    expect(img.width).toBeGreaterThan(100);

    // Esc: back to the origin.
    await page.click('[data-testid="hyper-facts"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector(`${DISK}[data-anim="idle"][data-centre=""]`);
    expect(browser!.errors).toEqual([]);
  });

  it('cancels a training on the Spotify table; nothing is stored', async () => {
    const table2021 = sharedPath('spotify-genres/data_w_genres_artists_genres_only_2021.csv', 'hyperbolic e2e cancel');
    if (!table2021) return;
    const page = browser!.page;
    const count = Number(await page.getAttribute('[data-testid="hyper-embeddings"]', 'data-embeddings-count'));
    await page.fill('[data-testid="hyper-path"]', table2021);
    await page.click('[data-testid="hyper-import"]');
    await page.waitForSelector('[data-testid="hyper-graphs"][data-graphs-count="2"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="hyper-report"][data-nodes="3232"]');
    await page.fill('[data-testid="hyper-dim"]', '10');
    await page.fill('[data-testid="hyper-epochs"]', '50');
    await page.click('[data-testid="hyper-train"]');
    await page.waitForSelector('[data-hyper-state="training"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="hyper-loss"]')?.getAttribute('data-epochs') ?? 0) >= 1, undefined, { timeout: 60_000 });
    const t0 = Date.now();
    await page.click('[data-testid="hyper-cancel"]');
    await page.waitForSelector('[data-testid="hyper-train-message"]');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await page.textContent('[data-testid="hyper-train-message"]')).toContain('nothing was stored');
    expect(await page.getAttribute('[data-testid="hyper-embeddings"]', 'data-embeddings-count')).toBe(String(count));
    expect(browser!.errors).toEqual([]);
  });
});
