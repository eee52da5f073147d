// Issue 8 walked as a user in browser mode (`genrelab serve` + Debian's Chromium), every step through
// the UI: add the shared GTZAN clips of classical, jazz and rock with the logmel profile; train the
// CNN in the Training view (held-out 25 %, Ctrl+Enter); map its embedding layer (PCA) and place the
// blues clips (never seen) into the map; dream jazz from noise with the Dream view's defaults, play
// it, export the WAV; cancel a long dream; dream "this classical track, more rock"; run the probe on
// the CNN run. The figures are read from the page; screenshots go to test-results/walk-*.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium, makeTempDir, repoRoot, startServe } from '../tests/e2e/e2e-helpers';

const AUDIO = path.resolve(repoRoot, '../shared/data/gtzan-audio');
const SHOTS = path.join(repoRoot, 'test-results');

async function dreamFigures(page: Page): Promise<{ p: string; drop: string; nearest: string; audio: string; seconds: string }> {
  const text = (await page.textContent('[data-testid="dream-figures"]')) ?? '';
  return {
    nearest: /nearest genre mean: (\w+)/.exec(text)?.[1] ?? '?',
    p: /with probability ([\d.]+ %)/.exec(text)?.[1] ?? '?',
    drop: /\(−([\d.]+ %)\)/.exec(text)?.[1] ?? '?',
    audio: /audio: (RMS [^,]+, peak [^,]+, \d+ clipped samples)/.exec(text)?.[1] ?? '?',
    seconds: /steps [\d.]+\. (.+?) on wasm/.exec(text)?.[1] ?? '?',
  };
}

export default {
  title: 'Genre dreams in the app: issue 8 walked in browser mode',
  async run(): Promise<string> {
    if (!existsSync(AUDIO)) return `Skipped: ${AUDIO} is absent (../shared/data is not beside this checkout).\n`;
    if (!existsSync(CHROMIUM)) return `Skipped: ${CHROMIUM} is absent.\n`;
    if (!existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) return 'Skipped: build first (npx electron-vite build).\n';
    mkdirSync(SHOTS, { recursive: true });
    const rows: string[] = [];
    const add = (step: string, figure: string, seconds: number) => rows.push(`| ${step} | ${figure} | ${seconds.toFixed(1)} s |`);
    const started = loadavg().map((x) => x.toFixed(1)).join(' / ');
    const dir = makeTempDir('walk');
    const served = await startServe(dir);
    const b = await launchChromium();
    const page = b.page;
    const shot = (name: string, fullPage = false) => page.screenshot({ path: path.join(SHOTS, `walk-${name}.png`), fullPage });
    try {
      await page.goto(served.url);
      await page.waitForSelector('body[data-app-state="ready"]');
      let t = performance.now();
      let count = 0;
      for (const g of ['classical', 'jazz', 'rock']) {
        await page.selectOption('[data-testid="add-profile"]', 'logmel');
        await page.fill('[data-testid="path-input"]', path.join(AUDIO, g));
        await page.press('[data-testid="path-input"]', 'Enter');
        await page.waitForSelector('[data-testid="job-progress"]', { timeout: 30_000 });
        await page.waitForSelector('[data-testid="job-progress"]', { state: 'detached', timeout: 300_000 });
        await page.waitForSelector(`[data-track-count="${(count += 16)}"]`);
      }
      add('Library: add 3 folders (48 clips) with the logmel profile', `${count} tracks`, (performance.now() - t) / 1000);
      await shot('library');

      await page.click('[data-view="training"]');
      await page.waitForSelector('[data-train-state="idle"] [data-testid="train-model"]');
      await page.selectOption('[data-testid="train-model"]', 'cnn');
      await page.click('[data-testid="train-evaluation"] [data-value="holdout"]');
      await page.fill('[data-testid="train-fraction"]', '0.25');
      t = performance.now();
      await page.press('[data-testid="train-fraction"]', 'Control+Enter');
      await page.waitForSelector('[data-train-state="done"]', { timeout: 900_000 });
      await page.waitForSelector('[data-run-state="ready"] [data-confusion-ready="true"]');
      const figure = async (id: string) => ((await page.textContent(`[data-testid="${id}"]`)) ?? '?').replace(/%\s*(\w+)/, '% ($1)').trim();
      const segAcc = await figure('run-accuracy');
      const trackAcc = await figure('run-track-accuracy');
      add('Training: CNN at its defaults, held-out 25 % of tracks (Ctrl+Enter)', `accuracy ${segAcc}, ${trackAcc}`, (performance.now() - t) / 1000);
      await shot('training');

      await page.click('[data-view="map"]');
      await page.waitForSelector('[data-map-state="idle"] [data-testid="map-build"]');
      await page.click('[data-testid="map-source"] [data-value="run"]');
      await page.click('[data-testid="map-method"] [data-value="pca"]');
      t = performance.now();
      await page.click('[data-testid="map-build"]');
      await page.waitForSelector('[data-map-state="ready"]', { timeout: 120_000 });
      add('Map: PCA 3-D of the CNN embedding layer', `${await page.getAttribute('[data-testid="map-canvas"]', 'data-points')} points`, (performance.now() - t) / 1000);
      await page.click('[data-testid="place-source"] [data-value="path"]');
      await page.fill('[data-testid="place-path"]', path.join(AUDIO, 'blues'));
      t = performance.now();
      await page.click('[data-testid="place-run"]');
      await page.waitForSelector('[data-testid="place-panel"][data-placements="1"][data-place-state="idle"]', { timeout: 120_000 });
      const landing = (await page.textContent('[data-testid="place-panel"]')) ?? '';
      add('Map: place the blues clips (out of domain)', /nearest map points: [\w ,]+/.exec(landing)?.[0]?.trim() ?? '?', (performance.now() - t) / 1000);
      await shot('map');

      await page.click('[data-view="dream"]');
      await page.waitForSelector('[data-dream-state="idle"] [data-testid="dream-button"]');
      await page.selectOption('[data-testid="dream-genre"]', 'jazz');
      t = performance.now();
      await page.press('[data-testid="dream-seed"]', 'Control+Enter');
      await page.waitForSelector('[data-dream-state="ready"]', { timeout: 300_000 });
      await page.waitForSelector('[data-testid="dream-waveform"][data-spectrogram-state="ready"]', { timeout: 30_000 });
      const jazz = await dreamFigures(page);
      add('Dream: jazz from noise, view defaults (5 s, 300 + 40 steps, confident)', `nearest ${jazz.nearest}, p ${jazz.p}, distance −${jazz.drop}; ${jazz.audio}; job ${jazz.seconds}`, (performance.now() - t) / 1000);
      await shot('dream-jazz', true);
      await page.click('[data-testid="dream-play"]');
      await page.waitForSelector('[data-testid="dream-waveform"][data-waveform-state="playing"]', { timeout: 15_000 });
      await page.click('[data-testid="dream-play"]');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="dream-export-wav"]')]);
      const wav = readFileSync((await dl.path())!);
      add('Dream: play, export WAV', `${dl.suggestedFilename()}, ${wav.length.toLocaleString('en')} bytes, ${wav.subarray(0, 4).toString('latin1')}/${wav.subarray(8, 12).toString('latin1')}`, 0);
      await page.fill('[data-testid="dream-steps"]', '5000');
      await page.click('[data-testid="dream-button"]');
      await page.waitForSelector('[data-testid="dream-chart"]:not([data-points="0"])', { timeout: 60_000 });
      t = performance.now();
      await page.click('[data-testid="dream-cancel"]');
      await page.waitForSelector('[data-dream-state="ready"] [data-testid="dream-message"]', { timeout: 15_000 });
      add('Dream: cancel a 5000-step dream', `“${await page.textContent('[data-testid="dream-message"]')}” (gallery: ${await page.getAttribute('[data-testid="dream-gallery"]', 'data-dreams-count')} dream)`, (performance.now() - t) / 1000);
      await page.fill('[data-testid="dream-steps"]', '300');
      await page.selectOption('[data-testid="dream-genre"]', 'rock');
      const options = await page.$$eval('[data-testid="dream-from"] option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
      const from = options.find(([, text]) => text.includes('classical'))!;
      await page.selectOption('[data-testid="dream-from"]', from[0]!);
      t = performance.now();
      await page.click('[data-testid="dream-button"]');
      await page.waitForSelector('[data-dream-state="running"]');
      await page.waitForSelector('[data-dream-state="ready"]', { timeout: 300_000 });
      await page.waitForSelector('[data-testid="dream-waveform"][data-spectrogram-state="ready"]', { timeout: 30_000 });
      const rock = await dreamFigures(page);
      add(`Dream: rock from ${from[1]!.trim()}`, `nearest ${rock.nearest}, p ${rock.p}, distance −${rock.drop}; ${rock.audio}; job ${rock.seconds}`, (performance.now() - t) / 1000);
      await shot('dream-from-track', true);

      await page.click('[data-view="probes"]');
      await page.waitForSelector('[data-probe-state="idle"] [data-testid="probe-run-button"]');
      t = performance.now();
      await page.press('[data-testid="probe-run"]', 'Control+Enter');
      await page.waitForSelector('[data-probe-state="ready"] [data-testid="probe-table"]', { timeout: 600_000 });
      // the affine row's cells: transform, then MSE, R², NN-acc for pitch and for tempo
      const affine = await page.$$eval('[data-testid="probe-table"] tr', (trs) =>
        Array.from(trs.find((tr) => /^\s*affine/.test(tr.querySelector('td')?.textContent ?? ''))?.querySelectorAll('td') ?? [], (td) => (td.textContent ?? '').trim()),
      );
      add('Probes: the CNN run, pitch and tempo +50 %, held out', `affine fit: NN-accuracy pitch ${affine[3] ?? '?'}, tempo ${affine[6] ?? '?'}; R² ${affine[2] ?? '?'} / ${affine[5] ?? '?'}`, (performance.now() - t) / 1000);
      await shot('probes', true);
      if (b.errors.length) rows.push(`| page errors | ${b.errors.join('; ')} | |`);
    } finally {
      await b.close();
      await served.stop();
    }
    return [
      `Command: \`npx electron-vite build && npm run bench -- ui-dream-walk\` (bench/ui-dream-walk.bench.ts). Browser mode, Debian's Chromium headless, fresh database, 2 worker threads, wasm backend; load average at the start ${started}. Each time is the wall clock of the step as the user waits for it in the page; screenshots: \`test-results/walk-*.png\`.`,
      '',
      '| step | what the page showed | wall |',
      '| --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  },
};
