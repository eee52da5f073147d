// End to end in browser mode: `genrelab serve` + Debian's Chromium. A folder of generated WAVs in
// genre sub-folders (plus one broken file) is added by typing its path; the table shows folder
// labels and the broken file's reason; a track plays and pauses; an ingest of a bigger folder is
// cancelled. Every wait is on a named app state (data-app-state, data-waveform-state,
// data-track-count), never on a sleep.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  browserSkipReason,
  decodePng,
  imageStats,
  launchChromium,
  makeTempDir,
  repoRoot,
  startServe,
  writeWav,
  type Browser,
  type Served,
  screenshotOnFailure,
} from './e2e-helpers';

const skip = browserSkipReason();
if (skip) console.warn(`[e2e] skipping library.e2e: ${skip}`);

interface RowInfo {
  id: number;
  relPath: string;
  label: string;
  status: string;
  reason: string;
}

const SMALL: Array<[string, Parameters<typeof writeWav>[1]]> = [
  ['blues/blues.a.wav', { seconds: 12, freq: 196, noise: 0.05 }],
  ['blues/blues.b.wav', { seconds: 3.5, freq: 147, noise: 0.1 }],
  ['rock/rock.a.wav', { seconds: 4, freq: 330, noise: 0.4 }],
  ['rock/rock.b.wav', { seconds: 3, freq: 0, noise: 0.6 }],
  ['classical/classical.a.wav', { seconds: 5, freq: 440, sampleRate: 44100, channels: 2 }],
];
const BAD = 'rock/broken.wav';

describe.skipIf(skip !== null)('library in browser mode', () => {
  let dir = '';
  let served: Served | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    assertBuilt();
    dir = makeTempDir('library');
    const music = path.join(dir, 'music');
    SMALL.forEach(([rel, spec], i) => writeWav(path.join(music, rel), spec, i + 1));
    // A file that claims to be a WAV but is not one.
    mkdirSync(path.join(music, 'rock'), { recursive: true });
    writeFileSync(path.join(music, BAD), Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk that is not a fmt chunk', 'latin1'));
    // A bigger folder for the cancel test: 80 clips of 8 s.
    for (let i = 0; i < 80; i++) {
      const genre = ['jazz', 'metal', 'pop', 'disco'][i % 4]!;
      writeWav(path.join(dir, 'big', genre, `${genre}.${String(i).padStart(3, '0')}.wav`), { seconds: 8, freq: 110 + 7 * i, noise: 0.2 }, 100 + i);
    }
    served = await startServe(dir);
    browser = await launchChromium();
  });

  // On failure, keep a screenshot and the page's errors for diagnosis.
  beforeEach((ctx) => screenshotOnFailure(ctx, () => browser, ''));

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a typed folder, labels tracks by folder, shows the failure, plays and pauses a track', async () => {
    const page = browser!.page;
    await page.goto(served!.url);
    await page.waitForSelector('body[data-app-state="ready"]');
    // The token has left the address bar.
    expect(page.url()).not.toContain('token=');
    // An empty library shows its empty state.
    await page.getByText('Drag a music folder here, or load the demo library').waitFor();
    await page.getByText(/demo clips are synthetic/).waitFor();

    // A folder dropped in a browser has no path the page can see: the app says so and focuses the path box.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'my-music'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    });
    expect(await page.textContent('[data-testid="drop-hint"]')).toMatch(/cannot tell Genrelab where “my-music” lives.*Type or paste/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('path-input');

    const music = path.join(dir, 'music');
    await page.fill('[data-testid="path-input"]', music);
    await page.press('[data-testid="path-input"]', 'Enter');
    await page.waitForSelector('[data-testid="job-summary"]', { timeout: 120_000 });
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.waitForSelector(`[data-track-count="${SMALL.length + 1}"]`);
    const summary = await page.textContent('[data-testid="job-summary"]');
    expect(summary).toMatch(/finished: extracted 5, unchanged 0, failed 1/);

    const rows: RowInfo[] = await page.$$eval('.tbody [data-track-id]', (els) =>
      els.map((el) => {
        const cells = el.querySelectorAll('[role="cell"]');
        return {
          id: Number((el as HTMLElement).dataset.trackId),
          relPath: cells[0]!.textContent ?? '',
          label: cells[1]!.textContent ?? '',
          status: (el as HTMLElement).dataset.status ?? '',
          reason: cells[6]!.textContent ?? '',
        };
      }),
    );
    expect(rows.map((r) => r.relPath).sort()).toEqual([...SMALL.map(([p]) => p), BAD].sort());
    for (const r of rows) expect(r.label).toBe(r.relPath.split('/')[0]);
    const bad = rows.find((r) => r.relPath === BAD)!;
    expect(bad.status).toBe('failed');
    expect(bad.reason).toMatch(/^(corrupt|unsupported|too-short|unreadable|invalid-samples):/);
    for (const r of rows.filter((x) => x.relPath !== BAD)) {
      expect(r.status).toBe('ok');
      expect(r.reason).toBe('');
    }
    // Label chips count the playable tracks per label.
    expect(await page.textContent('[data-label="blues"]')).toMatch(/blues\s*2/);
    expect(await page.textContent('[data-label="rock"]')).toMatch(/rock\s*2/);

    // The broken file cannot be played, and the panel says why.
    await page.click(`[data-track-id="${bad.id}"]`);
    await page.waitForSelector(`[data-waveform-state="error"][data-track-id="${bad.id}"]`);
    expect(await page.textContent('.wave-error')).toContain(bad.reason);

    // A good one plays; space pauses it.
    const good = rows.find((r) => r.relPath === 'blues/blues.a.wav')!;
    await page.click(`[data-track-id="${good.id}"]`);
    await page.waitForSelector(`[data-waveform-state="playing"][data-track-id="${good.id}"]`, { timeout: 30_000 });
    expect(await page.textContent('.wave-name')).toBe(good.relPath);
    expect(await page.textContent('.wave-meta')).toContain('blues');
    // The playhead moves: wait until the clock reads at least 0:01.
    await page.waitForFunction(() => /^0:0[1-9]/.test(document.querySelector('[data-testid="wave-time"]')?.textContent ?? ''));
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-waveform-state="paused"]');
    // The arrow keys seek 5 s: ← back to the start, → to 0:05, → to 0:10.
    const clock = () => page.textContent('[data-testid="wave-time"]');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => (document.querySelector('[data-testid="wave-time"]')?.textContent ?? '').startsWith('0:00 /'));
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => (document.querySelector('[data-testid="wave-time"]')?.textContent ?? '').startsWith('0:05 /'));
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => (document.querySelector('[data-testid="wave-time"]')?.textContent ?? '').startsWith('0:10 /'));
    expect(await clock()).toBe('0:10 / 0:12');
    expect(await page.getAttribute('[data-waveform-state]', 'data-waveform-state')).toBe('paused');

    // Filtering and sorting.
    await page.fill('[data-testid="track-filter"]', 'status:failed');
    await page.waitForSelector('[data-visible-count="1"]');
    await page.fill('[data-testid="track-filter"]', '');
    await page.waitForSelector(`[data-visible-count="${SMALL.length + 1}"]`);
    await page.click('[data-sort-key="duration"]');
    const durations = await page.$$eval('.tbody [data-track-id] [role="cell"]:nth-child(3)', (els) => els.map((e) => e.textContent));
    expect(durations).toEqual(['0:03', '0:03', '0:04', '0:05', '0:12', '–']);

    // Export the features as CSV: a real download of the table the server made, one row per playable track.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(csv[0]).toMatch(/^filename,length,.*,label$/);
    expect(csv.length - 1).toBe(SMALL.length);
    expect(csv.slice(1).map((line) => line.split(',').pop()).sort()).toEqual(['blues', 'blues', 'classical', 'rock', 'rock']);

    // A screenshot that is not blank: a blank page (the control) has one colour and no variance.
    const shotPath = path.join(repoRoot, 'test-results', 'library.png');
    mkdirSync(path.dirname(shotPath), { recursive: true });
    const png = decodePng(await page.screenshot({ path: shotPath }));
    expect([png.width, png.height]).toEqual([1440, 900]);
    const stats = imageStats(png);
    const blankPage = await browser!.context.newPage();
    await blankPage.setViewportSize({ width: 320, height: 200 });
    const blank = imageStats(decodePng(await blankPage.screenshot()));
    await blankPage.close();
    expect(blank.colours).toBe(1);
    expect(blank.lumaStd).toBe(0);
    expect(stats.colours).toBeGreaterThan(200);
    expect(stats.lumaStd).toBeGreaterThan(8);
    expect(browser!.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 180_000);

  it('cancels a running ingest: the app returns to ready and says it was cancelled', async () => {
    const page = browser!.page;
    await page.waitForSelector('body[data-app-state="ready"]');
    const before = Number(await page.getAttribute('[data-track-count]', 'data-track-count'));
    await page.fill('[data-testid="path-input"]', path.join(dir, 'big'));
    await page.click('[data-testid="add-folder"]');
    await page.waitForSelector('body[data-app-state="busy"]');
    await page.waitForSelector('[data-testid="job-progress"]');
    await page.click('[data-testid="cancel-job"]:not([disabled])');
    await page.waitForSelector('body[data-app-state="ready"]', { timeout: 30_000 });
    const summary = await page.textContent('[data-testid="job-summary"]');
    expect(summary).toMatch(/cancelled/i);
    const after = Number(await page.getAttribute('[data-track-count]', 'data-track-count'));
    expect(after).toBeLessThan(before + 80);
  }, 120_000);

  it('loads the synthetic demo library and says it is synthetic', async () => {
    const page = browser!.page;
    await page.waitForSelector('body[data-app-state="ready"]');
    const before = Number(await page.getAttribute('[data-track-count]', 'data-track-count'));
    expect(await page.getAttribute('[data-testid="load-demo"]', 'title')).toMatch(/synthetic/);
    await page.click('[data-testid="load-demo"]');
    await page.waitForSelector('body[data-app-state="busy"]');
    await page.waitForSelector('body[data-app-state="ready"]', { timeout: 240_000 });
    const summary = await page.textContent('[data-testid="job-summary"]');
    expect(summary).toMatch(/^Demo library finished: extracted (\d+), unchanged 0, failed 0/);
    const extracted = Number(/extracted (\d+)/.exec(summary!)![1]);
    expect(extracted).toBeGreaterThan(0);
    await page.waitForSelector(`[data-track-count="${before + extracted}"]`);
    // The demo folder appears in the folder list, under the server's data directory.
    expect(await page.textContent('.folder-list')).toContain('demo-library');
  }, 300_000);

  it('rescans a folder (a changed file is extracted again) and removes a folder', async () => {
    const page = browser!.page;
    await page.waitForSelector('body[data-app-state="ready"]');
    const folderItem = (name: string) =>
      page.locator('.folder[data-folder-id]', { has: page.locator('.folder-name', { hasText: new RegExp(`^${name}$`) }) });

    // Change one file, then rescan: only that one is extracted again.
    writeWav(path.join(dir, 'music', 'blues', 'blues.a.wav'), { seconds: 6, freq: 262, noise: 0.05 }, 77);
    await folderItem('music').hover();
    await folderItem('music').locator('button[title^="Rescan"]').click();
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.waitForSelector('[data-testid="job-summary"]:has-text("Rescan finished")', { timeout: 120_000 });
    expect(await page.textContent('[data-testid="job-summary"]')).toMatch(/Rescan finished: extracted 1, unchanged \d+/);
    await page.fill('[data-testid="track-filter"]', 'path:blues.a');
    await page.waitForSelector('[data-visible-count="1"]');
    expect(await page.textContent('.tbody [data-track-id] [role="cell"]:nth-child(3)')).toBe('0:06');
    await page.fill('[data-testid="track-filter"]', '');

    // Remove the partly ingested big folder: its tracks leave the table, its files stay on disk.
    const before = Number(await page.getAttribute('[data-track-count]', 'data-track-count'));
    const bigTracks = Number((/^(\d+) tracks?/.exec((await folderItem('big').locator('.folder-counts').textContent()) ?? '') ?? [])[1]);
    await folderItem('big').hover();
    await folderItem('big').locator('button[title^="Remove"]').click();
    await folderItem('big').getByRole('button', { name: 'Remove?' }).click();
    await page.waitForSelector(`[data-track-count="${before - bigTracks}"]`);
    expect(await folderItem('big').count()).toBe(0);
    expect(existsSync(path.join(dir, 'big', 'jazz', 'jazz.000.wav'))).toBe(true);
  }, 180_000);
});
