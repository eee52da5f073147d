// End to end in browser mode: the hyperbolic-distance loss in the Training view. A small feature
// table (labels hiphop, jazz, rock) is imported with the CLI and a small Poincaré embedding stored in
// the same database; in the Training view the user picks the hyperbolic-weighted loss, sees the
// automatic label → genre table ("hiphop" → "hip hop"), corrects one row with the genre search, sets
// λ and trains a small dense network with the cross-entropy baseline on the same folds. The run
// panel shows the mistake severity — checked against the confusion matrix on the page and distances
// computed here — the comparison with cross-entropy and the ΔF1 scatter with its correlation.
// Every wait is on a named state (data-app-state, data-train-state, data-loss-state, data-run-state).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { insertEmbeddings } from '../../src/main/store/embeddings';
import { poincare2 as dist, tinyTable, TINY_GENRES as names, TINY_VECTORS as vectors } from '../helpers/hyperloss-fixture';
import { assertBuilt, browserSkipReason, launchChromium, makeTempDir, repoRoot, startServe, type Browser, type Served, screenshotOnFailure } from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping hyperbolic-loss: ${skip}`);

describe.skipIf(skip !== null)('hyperbolic loss in the Training view', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('hyperloss');
    writeFileSync(path.join(dir, 'table.csv'), tinyTable(['hiphop', 'jazz', 'rock'], 30, 0.8, 11));
    const db = path.join(dir, 'g.sqlite');
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'genrelab.js'), 'import-features', path.join(dir, 'table.csv'), '--db', db, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, GENRELAB_DATA_DIR: path.join(dir, 'data') },
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`import-features failed: ${r.stderr}`);
    const h = openDatabase(db);
    try {
      insertEmbeddings(h, {
        graphId: null,
        name: 'tiny genres',
        model: 'poincare',
        dim: 2,
        names,
        vectors: Float64Array.from(vectors.flat()),
        src: Int32Array.from([0, 1, 2]),
        dst: Int32Array.from([1, 3, 4]),
        settings: { dim: 2, epochs: 1, negatives: 1, burnIn: 0, lr: 0.1, seed: 0, directed: false, tau: null },
        evaluation: null,
        losses: [],
        seconds: 0,
      });
    } finally {
      h.close();
    }
    served = await startServe(dir);
    browser = await launchChromium();
  });

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, 'hyperloss-'));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('picks the hyperbolic-weighted loss, corrects the label map, trains, and sees the mistake severity', async () => {
    const page = browser!.page;
    await page.goto(served!.url);
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.click('[data-view="training"]');
    await page.waitForSelector('[data-train-state="idle"] [data-testid="train-model"]');
    await page.selectOption('[data-testid="train-model"]', 'dense');
    await page.fill('[data-param="hidden"]', '8');
    await page.fill('[data-param="maxEpochs"]', '20');
    await page.fill('[data-testid="train-folds"]', '3');

    // The loss: hyperbolic-weighted takes the stored embedding and maps the labels by name.
    await page.click('[data-testid="train-loss"] [data-value="hyperbolic-weighted"]');
    await page.waitForSelector('.loss-section[data-loss-state="ready"][data-loss-kind="hyperbolic-weighted"]');
    expect(await page.$eval('[data-testid="train-embedding"]', (e) => (e as HTMLSelectElement).selectedOptions[0]!.textContent)).toContain('tiny genres');
    await page.waitForSelector('[data-testid="loss-mapping"] tr[data-label="hiphop"][data-genre="hip hop"][data-how="normalised"]');
    await page.waitForSelector('[data-testid="loss-mapping"] tr[data-label="jazz"][data-genre="jazz"][data-how="exact"]');
    // Correct jazz → bebop with the genre search.
    const jazz = page.locator('[data-testid="loss-mapping"] tr[data-label="jazz"] [data-testid="loss-genre-input"]');
    await jazz.fill('bebop');
    await jazz.press('Enter');
    await page.waitForSelector('[data-testid="loss-mapping"] tr[data-label="jazz"][data-genre="bebop"][data-how="override"]');
    await page.waitForSelector('.loss-section[data-loss-state="ready"]');
    await page.fill('[data-testid="train-lambda"]', '2');
    expect(await page.isChecked('[data-testid="train-baseline"]')).toBe(true);

    await page.click('[data-testid="train-button"]');
    await page.waitForSelector('[data-train-state="done"]', { timeout: 240_000 });
    await page.waitForSelector('[data-run-state="ready"] [data-testid="loss-results"][data-loss="hyperbolic-weighted"]');
    await page.waitForSelector('[data-confusion-ready="true"]');

    // Mistake severity = mean distance between the true and predicted genres over the off-diagonal
    // cells of the confusion matrix shown on the page.
    const genreOf: Record<string, number[]> = { hiphop: vectors[0]!, jazz: vectors[4]!, rock: vectors[1]! };
    const cells = await page.$$eval('.cm-cell', (els) => els.map((e) => ({ t: (e as HTMLElement).dataset.true!, p: (e as HTMLElement).dataset.pred!, count: Number((e as HTMLElement).dataset.count) })));
    let n = 0;
    let sum = 0;
    for (const c of cells) {
      if (c.t === c.p) continue;
      n += c.count;
      sum += c.count * dist(genreOf[c.t]!, genreOf[c.p]!);
    }
    expect(n).toBeGreaterThan(0);
    const shown = Number(await page.textContent('[data-testid="run-severity"] .figure-value'));
    expect(shown).toBeCloseTo(sum / n, 3);

    // The comparison with cross-entropy on the same folds, and the ΔF1 scatter with its r.
    expect(await page.textContent('[data-testid="loss-baseline"]')).toMatch(/Cross-entropy \(same folds\)/);
    const dots = await page.$$eval('[data-testid="deltaf1-scatter"] [data-label]', (els) => els.map((e) => ({ label: (e as HTMLElement).dataset.label!, d: Number((e as HTMLElement).dataset.distance) })));
    expect(dots.map((d) => d.label).sort()).toEqual(['hiphop', 'jazz', 'rock']);
    const hj = dist(vectors[0]!, vectors[4]!);
    const hr = dist(vectors[0]!, vectors[1]!);
    expect(dots.find((d) => d.label === 'hiphop')!.d).toBeCloseTo((hj + hr) / 2, 6);
    expect(await page.textContent('[data-testid="deltaf1-r"]')).toMatch(/^Pearson r = (-?\d\.\d{3}|undefined) over 3 genres$/);
    expect(await page.textContent('.run-title h2')).toContain('hyperbolic-weighted λ 2');
    expect(browser!.errors).toEqual([]);
  });
});
