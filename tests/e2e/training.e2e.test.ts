// End to end in browser mode: `genrelab serve` + Debian's Chromium. A small library (3 synthetic
// styles × 6 clips of 7 s, made with the project's synthesiser) is ingested through the UI; a kNN
// on 3-second segments of two zero-crossing-rate columns (separable, but not perfectly) is trained
// with 3-fold CV; the confusion matrix is read, an off-diagonal cell opened, a track played with
// its wrong segments as regions, and the exports checked byte by byte. A dense network is trained
// for 5 epochs and its curves counted; the Runs view lists, compares, opens and deletes runs; last,
// a long dense run shows live curves and is cancelled, and the engine is still there afterwards.
// Every wait is on a named state (data-app-state, data-train-state, data-confusion-ready,
// data-waveform-state, data-runs-count), never on a sleep.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import {
  assertBuilt,
  browserSkipReason,
  decodePng,
  imageStats,
  launchChromium,
  makeTempDir,
  repoRoot,
  startServe,
  type Browser,
  type Served,
  screenshotOnFailure,
  addFolderByPath,
} from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping training.e2e: ${skip}`);

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const CLIPS = 6;
const SECONDS = 7;
// src/main/engine/features/segments.ts: segment s (66,150 samples at 22,050 Hz) exists when
// (s + 1) · 66,150 < samples; 7 s = 154,350 samples → 2 segments.
const SEGMENTS_PER_TRACK = 2;

interface Cell {
  t: string;
  p: string;
  count: number;
}

const cells = (page: Page): Promise<Cell[]> =>
  page.$$eval('.cm-cell', (els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { t: d.true!, p: d.pred!, count: Number(d.count) };
    }),
  );

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testId}"]`)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

describe.skipIf(skip !== null)('training and runs in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('training');
    STYLES.forEach((style, si) => {
      for (let i = 0; i < CLIPS; i++) {
        const file = path.join(dir, 'music', style, `${style}.${String(i).padStart(2, '0')}.wav`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, encodeWav(synthesiseClip(style, 500 + 37 * si + i, SECONDS), 22050));
      }
    });
    served = await startServe(dir);
    browser = await launchChromium();
  });

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, ''));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trains a kNN on segments, reads the confusion matrix, plays a track with regions, exports', async () => {
    const page = browser!.page;
    await addFolderByPath(page, served!.url, path.join(dir, 'music'), STYLES.length * CLIPS);

    // Training: kNN (no tensors: the backend says js), 3-s segments, 3-fold CV.
    await page.click('[data-view="training"]');
    await page.waitForSelector('[data-train-state="idle"] [data-testid="train-model"]');
    expect(await page.textContent('[data-testid="split-note"]')).toContain('segments of one track never sit on both sides');
    await page.selectOption('[data-testid="train-model"]', 'knn');
    expect(await page.textContent('[data-testid="train-backend"]')).toBe('js');
    await page.click('[data-testid="train-unit"] [data-value="segments"]');
    await page.fill('[data-testid="train-folds"]', '3');
    // Two columns only, picked by group: with all 57 these synthetic styles separate perfectly.
    await page.click('[data-testid="choose-columns"]');
    await page.click('[data-testid="column-picker"] button:has-text("None")');
    await page.check('[data-group="zero_crossing_rate"] input[type="checkbox"]');
    expect(await page.textContent('.columns-summary')).toContain('2 of 57 columns');
    expect(await page.$eval('[data-train-state]', (e) => (e as HTMLElement).dataset.trainState)).toBe('idle');
    // Ctrl+Enter trains, from anywhere in the view (here: the folds field).
    await page.press('[data-testid="train-folds"]', 'Control+Enter');
    await page.waitForSelector('[data-train-state="done"]', { timeout: 120_000 });
    await page.waitForSelector('[data-confusion-ready="true"]');

    // Segment level first: 9 cells, one count per segment, rows are the true labels.
    const seg = await cells(page);
    expect(seg).toHaveLength(STYLES.length ** 2);
    expect(new Set(seg.map((c) => c.t))).toEqual(new Set(STYLES));
    expect(seg.reduce((n, c) => n + c.count, 0)).toBe(STYLES.length * CLIPS * SEGMENTS_PER_TRACK);
    for (const s of STYLES) {
      expect(seg.filter((c) => c.t === s).reduce((n, c) => n + c.count, 0)).toBe(CLIPS * SEGMENTS_PER_TRACK);
    }
    // The accuracy shown is the diagonal's share.
    const diag = seg.filter((c) => c.t === c.p).reduce((n, c) => n + c.count, 0);
    const shown = (await page.textContent('[data-testid="run-accuracy"] .figure-value'))!;
    expect(shown).toBe(`${((diag / seg.reduce((n, c) => n + c.count, 0)) * 100).toFixed(1)} %`);

    // Track level: one count per track.
    await page.click('[data-testid="level-toggle"] [data-value="track"]');
    await page.waitForSelector('[data-confusion-ready="true"][data-unit="tracks"]');
    expect((await cells(page)).reduce((n, c) => n + c.count, 0)).toBe(STYLES.length * CLIPS);
    await page.click('[data-testid="level-toggle"] [data-value="segment"]');
    await page.waitForSelector('[data-confusion-ready="true"][data-unit="segments"]');

    // Hover says what a cell holds; row-normalised colouring shows shares.
    const first = seg.find((c) => c.count > 0)!;
    await page.hover(`.cm-cell[data-true="${first.t}"][data-pred="${first.p}"]`);
    expect(await page.textContent('.cm-tip')).toMatch(new RegExp(`^true ${first.t} predicted as ${first.p}: ${first.count} segments? \\(\\d+\\.\\d %\\)$`));
    await page.click('[data-testid="normalise-toggle"] [data-value="row"]');
    await page.waitForSelector('[data-confusion-ready="true"][data-normalised="true"]');
    await page.click('[data-testid="normalise-toggle"] [data-value="count"]');

    // Open the fullest off-diagonal cell (this seeded setup makes a few mistakes on two columns).
    const wrong = seg.filter((c) => c.t !== c.p && c.count > 0).sort((a, b) => b.count - a.count);
    expect(wrong.length).toBeGreaterThan(0);
    const pick = wrong[0]!;
    await page.click(`.cm-cell[data-true="${pick.t}"][data-pred="${pick.p}"]`);
    await page.waitForSelector('[data-testid="cell-tracks"] [data-pred-index]');
    const listed = await page.$$eval('[data-testid="cell-tracks"] [data-pred-index]', (rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('[role="cell"]'), (c) => c.textContent ?? '')),
    );
    // Every listed track has the row's true label; the "segments here" add up to the cell's count.
    for (const cellsText of listed) expect(cellsText[1]).toBe(pick.t);
    expect(listed.reduce((n, c) => n + Number(c[4]!.split(' / ')[0]), 0)).toBe(pick.count);

    // Open the first track: it plays, with the wrong segments as regions, from the first wrong one.
    await page.click('[data-testid="cell-tracks"] [data-pred-index]');
    await page.waitForSelector('[data-waveform-state="playing"]', { timeout: 30_000 });
    // A track in an off-diagonal cell has at least one wrong segment: a region in the predicted
    // genre's colour, named in the legend; playback starts at the first wrong segment.
    const regions = Number(await page.getAttribute('[data-testid="waveform"]', 'data-regions'));
    expect(regions).toBeGreaterThanOrEqual(1);
    expect(regions).toBeLessThanOrEqual(SEGMENTS_PER_TRACK);
    expect(await page.textContent('[data-testid="wave-legend"]')).toContain(`predicted ${pick.p}`);
    // The misclassified list names every wrong track with its prediction and confidence.
    const mis = Number(await page.getAttribute('[data-testid="misclassified"]', 'data-rows'));
    const trackCells = await (async () => {
      await page.click('[data-testid="level-toggle"] [data-value="track"]');
      await page.waitForSelector('[data-confusion-ready="true"][data-unit="tracks"]');
      const c = await cells(page);
      await page.click('[data-testid="level-toggle"] [data-value="segment"]');
      return c;
    })();
    expect(mis).toBe(trackCells.filter((c) => c.t !== c.p).reduce((n, c) => n + c.count, 0));

    // Exports: PNG and SVG of the matrix, its CSV, the predictions CSV.
    mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
    const png = await download(page, 'export-png');
    expect(png.name).toMatch(/confusion\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    writeFileSync(path.join(repoRoot, 'test-results', 'training-confusion.png'), png.bytes);
    // A 3 × 3 matrix compresses to ~6 KB (flat cells), so the size alone says little: decode it and
    // find the colour of the fullest cell (viridis at 1.0 = #fde725, matplotlib's table) and more.
    expect(png.bytes.length).toBeGreaterThan(4_000);
    const img0 = decodePng(png.bytes);
    expect(img0.width).toBeGreaterThan(250);
    expect(img0.height).toBeGreaterThan(250);
    let top = 0;
    for (let i = 0; i < img0.width * img0.height; i++) {
      const o = i * img0.channels;
      if (img0.pixels[o] === 0xfd && img0.pixels[o + 1] === 0xe7 && img0.pixels[o + 2] === 0x25) top++;
    }
    expect(top).toBeGreaterThan(500);
    expect(imageStats(img0).colours).toBeGreaterThan(20);
    const svg = (await download(page, 'export-svg')).bytes.toString('utf8');
    expect(svg).toMatch(/^<svg|^<\?xml/);
    for (const s of STYLES) expect(svg).toContain(s);
    const csv = (await download(page, 'export-confusion-csv')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toBe(['true \\ predicted', ...[...STYLES].sort()].join(','));
    expect(csv).toHaveLength(STYLES.length + 1);
    // The exported counts are the matrix on screen (segment level, as toggled).
    const sorted = [...STYLES].sort();
    csv.slice(1).forEach((line, i) => {
      const [label, ...counts] = line.split(',');
      expect(label).toBe(sorted[i]);
      counts.forEach((n, j) => expect(Number(n)).toBe(seg.find((c) => c.t === sorted[i] && c.p === sorted[j])!.count));
    });
    const preds = (await download(page, 'export-predictions')).bytes.toString('utf8').trim().split('\n');
    expect(preds[0]).toBe(['filename', 'label', 'predicted', 'confidence', ...sorted].join(','));
    expect(preds).toHaveLength(STYLES.length * CLIPS + 1);
    const metrics = JSON.parse((await download(page, 'export-metrics')).bytes.toString('utf8')) as { accuracy: number; unit: string };
    expect(metrics.unit).toBe('segment');
    expect(`${(metrics.accuracy * 100).toFixed(1)} %`).toBe(shown);

    const shot = path.join(repoRoot, 'test-results', 'training.png');
    const img = decodePng(await page.screenshot({ path: shot }));
    expect(imageStats(img).colours).toBeGreaterThan(200);
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 240_000);

  it('trains a dense network for 5 epochs and draws its curves', async () => {
    const page = browser!.page;
    await page.selectOption('[data-testid="train-model"]', 'dense');
    await page.click('[data-testid="train-unit"] [data-value="tracks"]');
    await page.fill('[data-param="hidden"]', '32, 32');
    await page.fill('[data-param="maxEpochs"]', '5');
    await page.click('[data-testid="train-button"]');
    await page.waitForSelector('[data-train-state="done"]', { timeout: 180_000 });
    await page.waitForSelector('[data-run-state="ready"] [data-confusion-ready="true"]');
    expect(await page.textContent('[data-testid="train-backend"]')).toMatch(/^(tensorflow|wasm|cpu)$/);
    // The run's curves: 3 folds × 5 epochs of training loss, drawn as SVG paths.
    const paths = await page.$$eval('svg[data-chart="loss"] path[data-series]', (els) =>
      els.map((e) => ({ key: e.getAttribute('data-series')!, n: Number(e.getAttribute('data-points')), d: e.getAttribute('d') ?? '' })),
    );
    const train = paths.filter((p) => p.key.endsWith('-train'));
    expect(train).toHaveLength(3);
    for (const p of train) {
      expect(p.n).toBe(5);
      expect(p.d.match(/[ML]/g)).toHaveLength(5);
    }
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'training-dense.png') });

    // Save the model into a folder on the server's machine (browser mode: a typed path).
    const modelDir = path.join(dir, 'saved-model');
    await page.click('[data-testid="save-model"]');
    await page.fill('[data-testid="save-model-dir"]', modelDir);
    await page.press('[data-testid="save-model-dir"]', 'Enter');
    await page.waitForSelector('.notice:has-text("Saved the model")');
    const manifest = JSON.parse(readFileSync(path.join(modelDir, 'genrelab-model.json'), 'utf8')) as { kind: string; labels: string[] };
    expect(manifest.kind).toBe('dense');
    expect(manifest.labels).toEqual([...STYLES].sort());
  }, 300_000);

  it('lists both runs in the Runs view, compares them, opens and deletes one', async () => {
    const page = browser!.page;
    await page.click('[data-view="runs"]');
    await page.waitForSelector('[data-runs-count="2"]');
    const rows = await page.$$eval('[data-testid="runs-table"] tbody tr', (trs) =>
      trs.map((tr) => ({
        id: Number((tr as HTMLElement).dataset.runId),
        model: (tr as HTMLElement).dataset.model,
        cells: Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? ''),
      })),
    );
    // Columns: tick, run, model · features, evaluation, accuracy, macro-F1, track accuracy, n, backend, time.
    expect(rows.map((r) => r.model).sort()).toEqual(['dense', 'knn']);
    expect(rows.find((r) => r.model === 'knn')!.cells[2]).toContain('3-s segments');
    await page.click(`tr[data-run-id="${rows[0]!.id}"] [data-testid="compare-tick"]`);
    await page.click(`tr[data-run-id="${rows[1]!.id}"] [data-testid="compare-tick"]`);
    await page.click('[data-testid="compare-runs"]');
    await page.waitForSelector('[data-testid="compare"]');
    // The accuracies compared are those in the table, with their difference.
    const acc = await page.$$eval('[data-testid="compare-metrics"] tr[data-figure="accuracy"] td', (tds) => tds.map((td) => td.textContent));
    const byId = new Map(rows.map((r) => [r.id, r.cells[4]]));
    const heads = await page.$$eval('[data-testid="compare-metrics"] thead th.compare-run', (ths) => ths.map((th) => Number(/#(\d+)/.exec(th.textContent ?? '')![1])));
    expect(acc.slice(1, 3)).toEqual(heads.map((id) => byId.get(id)));
    expect(acc[3]).toMatch(/^([+\u2212]\d+\.\d pp|±0\.0 pp)$/);
    const classes = await page.$$eval('[data-testid="compare-classes"] tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.label));
    expect(classes).toEqual([...STYLES].sort());

    // Open a run: the same panel as after training; then back.
    await page.click(`tr[data-run-id="${rows[0]!.id}"] [data-testid="open-run"]`);
    await page.waitForSelector(`[data-run-id="${rows[0]!.id}"][data-run-state="ready"] [data-confusion-ready="true"]`);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'runs-open.png') });
    await page.click('[data-testid="runs-back"]');
    await page.waitForSelector('[data-runs-count="2"]');
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'runs.png') });

    // Delete asks first, then the list updates (runs.changed).
    await page.click(`tr[data-run-id="${rows[1]!.id}"] [data-testid="delete-run"]`);
    await page.click(`tr[data-run-id="${rows[1]!.id}"] [data-testid="confirm-delete"]`);
    await page.waitForSelector('[data-runs-count="1"]');
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 120_000);

  it('draws live curves while a dense network trains, cancels it, and the engine stays up', async () => {
    const page = browser!.page;
    await page.click('[data-view="training"]');
    await page.waitForSelector('[data-train-state="done"] [data-testid="train-model"]');
    await page.selectOption('[data-testid="train-model"]', 'dense');
    await page.fill('[data-param="maxEpochs"]', '100000');
    await page.fill('[data-param="patience"]', '100000');
    await page.click('[data-testid="train-button"]');
    await page.waitForSelector('[data-train-state="training"]');
    // Live: the curves grow while it trains, and the progress bar is there.
    await page.waitForFunction(() => Number(document.querySelector('svg[data-chart="loss"]')?.getAttribute('data-points') ?? 0) >= 6, undefined, {
      timeout: 120_000,
    });
    expect(await page.isVisible('[data-testid="train-live"] [role="progressbar"]')).toBe(true);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'training-live.png') });
    await page.click('[data-testid="train-cancel"]:not([disabled])');
    await page.waitForSelector('[data-train-state="cancelled"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="train-message"]')).toMatch(/cancelled/);
    // The engine is still there: a reloaded page connects and is ready.
    await page.reload();
    await page.waitForSelector('body[data-app-state="ready"]', { timeout: 20_000 });
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 240_000);
});
