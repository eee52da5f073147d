// End to end in browser mode: `genrelab serve` + Debian's Chromium. Before the server starts, a small
// synthetic library (the project's synthesiser: rock, jazz, classical × 4 clips of 7 s) is ingested
// with the logmel profile and a small CNN is trained on it through the services, into the database the
// server then opens. In the Dream view: the run and its genres are offered; a 3-second jazz dream is
// dreamt while the spectrogram picture and the distance chart update; the result plays in the
// waveform panel (wavesurfer, with its spectrogram plugin drawn); the WAV is exported and checked
// (RIFF header, 16-bit PCM, finite, not silent); the gallery lists it; a long dream is cancelled and
// nothing is stored. Every wait is on a named state (data-app-state, data-dream-state,
// data-waveform-state, data-spectrogram-state), never on a sleep.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeBytes, encodeWav, synthesiseClip, type DemoStyle } from '../../src/main/engine/audio';
import { Services } from '../../src/main/services';
import { assertBuilt, browserSkipReason, launchChromium, makeTempDir, startServe, type Browser, type Served, screenshotOnFailure } from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping dream e2e: ${skip}`);

const STYLES: DemoStyle[] = ['rock', 'jazz', 'classical'];
const CLIPS = 4;

describe.skipIf(skip !== null)('the Dream view in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;
  let runId = 0;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('dream');
    STYLES.forEach((style, si) => {
      for (let i = 0; i < CLIPS; i++) {
        const file = path.join(dir, 'music', style, `${style}.${String(i).padStart(2, '0')}.wav`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, encodeWav(synthesiseClip(style, 700 + 31 * si + i, 7), 22050));
      }
    });
    // the database and data folder `genrelab serve` will use (see startServe)
    const s = new Services({ dbPath: path.join(dir, 'g.sqlite'), dataDir: path.join(dir, 'data'), workers: 2 });
    try {
      await (await s.startIngest(path.join(dir, 'music'), 'logmel')).done;
      const params = { filters: [4, 8], embedding: 8, maxEpochs: 4, validationFraction: 0, batchSize: 8 };
      runId = (await s.startTraining({ model: 'cnn', evaluation: { kind: 'holdout', testFraction: 0.34 }, seed: 2, params, name: 'small CNN (e2e)' }).done).runId;
    } finally {
      await s.close();
    }
    served = await startServe(dir);
    browser = await launchChromium();
  }, 300_000);

  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, 'dream-'));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dreams a short clip, shows it evolving, plays it and exports it', async () => {
    const page = browser!.page;
    await page.goto(served!.url);
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.click('[data-view="dream"]');
    await page.waitForSelector('[data-dream-state="idle"] [data-testid="dream-button"]');
    // the CNN run is offered and chosen; its genres are the choices
    await page.waitForSelector(`[data-testid="dream-run"] option[value="${runId}"]`, { state: 'attached' });
    expect(await page.$eval('[data-testid="dream-run"]', (e) => (e as HTMLSelectElement).value)).toBe(String(runId));
    expect(await page.$$eval('[data-testid="dream-genre"] option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['classical', 'jazz', 'rock']);
    expect(await page.locator('[data-testid="dream-gallery"]').count()).toBe(0); // "No dreams yet."

    await page.selectOption('[data-testid="dream-genre"]', 'jazz');
    await page.fill('[data-testid="dream-seconds"]', '3');
    await page.fill('[data-testid="dream-steps"]', '60');
    await page.fill('[data-testid="dream-refine"]', '4');
    await page.fill('[data-testid="dream-seed"]', '7');
    // Ctrl+Enter dreams, as it trains in the Training view
    await page.press('[data-testid="dream-seed"]', 'Control+Enter');
    await page.waitForSelector('[data-dream-state="running"]');
    // the spectrogram is drawn while the steps arrive, and the distance chart fills
    await page.waitForSelector('[data-testid="dream-live-spectrogram"][data-drawn="yes"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="dream-chart"]:not([data-points="0"])', { timeout: 60_000 });
    await page.waitForSelector('[data-dream-state="ready"]', { timeout: 120_000 });

    // the result: figures, the log-mel picture, the curve of every step (dream + refinement)
    const figures = page.locator('[data-testid="dream-figures"]');
    expect(Number(await figures.getAttribute('data-probability'))).toBeGreaterThanOrEqual(0);
    expect(await page.getAttribute('[data-testid="dream-spectrogram"]', 'data-drawn')).toBe('yes');
    expect(await page.getAttribute('[data-testid="dream-result"] [data-testid="dream-chart"]', 'data-points')).toBe(String(61 + 5));
    expect(await page.getAttribute('[data-testid="dream-gallery"]', 'data-dreams-count')).toBe('1');

    // it plays in the waveform panel, whose spectrogram plugin has drawn
    await page.waitForSelector('[data-testid="dream-waveform"][data-waveform-state="ready"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="dream-waveform"][data-spectrogram-state="ready"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="dream-time"]')).toMatch(/\/ 0:03/);
    await page.click('[data-testid="dream-play"]');
    await page.waitForSelector('[data-testid="dream-waveform"][data-waveform-state="playing"]', { timeout: 15_000 });
    await page.click('[data-testid="dream-play"]');
    await page.waitForSelector('[data-testid="dream-waveform"][data-waveform-state="paused"]');

    // the WAV export: a RIFF/WAVE 16-bit PCM file of 3 s, finite and not silent
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="dream-export-wav"]')]);
    expect(dl.suggestedFilename()).toMatch(/^dream-\d+-jazz\.wav$/);
    const bytes = new Uint8Array(readFileSync((await dl.path())!));
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('RIFF');
    expect(Buffer.from(bytes.subarray(8, 12)).toString('latin1')).toBe('WAVE');
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(dv.getUint16(20, true)).toBe(1);
    expect(dv.getUint16(34, true)).toBe(16);
    const audio = await decodeBytes(bytes, dl.suggestedFilename());
    expect(audio.samples.length).toBe(3 * 22050);
    let sq = 0;
    for (const v of audio.samples) {
      expect(Number.isFinite(v)).toBe(true);
      sq += v * v;
    }
    expect(10 * Math.log10(sq / audio.samples.length)).toBeGreaterThan(-40);
    expect(browser!.errors).toEqual([]);
  });

  it('cancels a long dream; nothing is stored', async () => {
    const page = browser!.page;
    await page.fill('[data-testid="dream-steps"]', '5000');
    await page.click('[data-testid="dream-button"]');
    await page.waitForSelector('[data-dream-state="running"]');
    await page.waitForSelector('[data-testid="dream-chart"]:not([data-points="0"])', { timeout: 60_000 });
    await page.click('[data-testid="dream-cancel"]');
    await page.waitForSelector('[data-dream-state="ready"] [data-testid="dream-message"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="dream-message"]')).toMatch(/cancelled; nothing was stored/);
    expect(await page.getAttribute('[data-testid="dream-gallery"]', 'data-dreams-count')).toBe('1');
  });
});
