// Renderer benchmark: how the Library's track table behaves at 2,000 and 20,000 tracks.
// Part 1 times the pure filter/sort/count helpers in Node. Part 2 runs the real app in browser mode
// (genrelab serve + Debian's Chromium) on a store filled by `genrelab import-features` with copies of
// the published GTZAN table, and measures load, filter, sort and scrolling in the page.
// There is no reference tool for a UI, so there is no Python ratio here; the 20,000/2,000 ratio shows
// how the table scales.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrackRow } from '../src/shared/types';
import { filterTracks, labelCounts, sortTracks } from '../src/renderer/src/lib/tracks';
import {
  CHROMIUM,
  launchChromium,
  makeTempDir,
  repoRoot,
  startServe,
} from '../tests/e2e/e2e-helpers';
import { sharedData } from '../tests/helpers/shared';

const SIZES = [2000, 20000];
const GENRES = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];
const TABLE = path.join(sharedData, 'gtzan-features', 'features_30_sec.csv');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function rows(n: number): TrackRow[] {
  return Array.from({ length: n }, (_, i) => {
    const g = GENRES[i % 10]!;
    const failed = i % 97 === 5;
    return {
      id: i + 1,
      folderId: 1,
      path: `/music/${g}/${g}.${String(i).padStart(5, '0')}.wav`,
      relPath: `${g}/${g}.${String(i).padStart(5, '0')}.wav`,
      label: g,
      labelSource: 'folder',
      duration: failed ? null : 30 - (i % 13) * 0.01,
      sampleRate: failed ? null : 22050,
      channels: failed ? null : 1,
      status: failed ? 'failed' : 'ok',
      reason: failed ? 'corrupt: truncated' : null,
      segments: 10,
    };
  });
}

function timeMedian(fn: () => unknown, reps = 15): number {
  fn();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function pureSection(): string {
  const lines = [
    '### Filter, sort and count in Node (pure functions the table uses)',
    '',
    'Median of 15 runs after one warm-up, `performance.now()`, one thread.',
    '',
    '| operation | 2,000 rows (ms) | 20,000 rows (ms) | ratio |',
    '| --- | ---: | ---: | ---: |',
  ];
  const data = SIZES.map(rows);
  const ops: Array<[string, (r: TrackRow[]) => unknown]> = [
    ['filter `label:jazz`', (r) => filterTracks(r, 'label:jazz')],
    ['filter `blues 0004` (two bare terms)', (r) => filterTracks(r, 'blues 0004')],
    ['sort by path (natural order)', (r) => sortTracks(r, { key: 'relPath', dir: 'asc' })],
    ['sort by duration, descending', (r) => sortTracks(r, { key: 'duration', dir: 'desc' })],
    ['label counts', (r) => labelCounts(r)],
  ];
  for (const [name, fn] of ops) {
    const [a, b] = data.map((d) => timeMedian(() => fn(d)));
    lines.push(`| ${name} | ${ms(a!, 2)} | ${ms(b!, 2)} | ${ms(b! / a!, 1)}× |`);
  }
  // The first sort of a freshly loaded set also ranks the paths with Intl.Collator (then cached).
  const first = SIZES.map((n) => {
    const t: number[] = [];
    for (let r = 0; r < 7; r++) {
      const fresh = rows(n);
      const t0 = performance.now();
      sortTracks(fresh, { key: 'duration', dir: 'asc' });
      t.push(performance.now() - t0);
    }
    return median(t);
  });
  lines.push(`| first sort after a load (paths ranked by the collator) | ${ms(first[0]!, 2)} | ${ms(first[1]!, 2)} | ${ms(first[1]! / first[0]!, 1)}× |`);
  return lines.join('\n');
}

const SCROLL_SCRIPT = `new Promise((resolve) => {
  const body = document.querySelector('.tbody');
  const out = [];
  let last = performance.now();
  let k = 0;
  function step(now) {
    out.push(now - last);
    last = now;
    body.scrollTop = (k * 640) % Math.max(1, body.scrollHeight - body.clientHeight);
    if (++k < 240) requestAnimationFrame(step);
    else resolve(out.slice(2));
  }
  requestAnimationFrame(step);
})`;

interface PageFigures {
  n: number;
  loadMs: number;
  domRows: number;
  filterMs: number;
  clearMs: number;
  sortMs: number;
  frames: number[];
}

async function measurePage(n: number): Promise<PageFigures> {
  const dir = makeTempDir(`bench-ui-${n}`);
  try {
    // A feature table of n rows: copies of the published GTZAN table with distinct file names.
    const [header, ...body] = readFileSync(TABLE, 'utf8').trim().split(/\r?\n/);
    const out = [header!];
    for (let i = 0; out.length <= n; i++) {
      const line = body[i % body.length]!;
      out.push(line.replace(/^([^,]*?)\.wav/, `$1.c${Math.floor(i / body.length)}.wav`));
    }
    const csv = path.join(dir, 'table.csv');
    writeFileSync(csv, out.join('\n') + '\n');
    const imp = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'genrelab.js'), 'import-features', csv, '--db', path.join(dir, 'g.sqlite')], {
      cwd: repoRoot,
      env: { ...process.env, GENRELAB_DATA_DIR: path.join(dir, 'data') },
      encoding: 'utf8',
    });
    if (imp.status !== 0) throw new Error(`import-features failed: ${imp.stderr}`);

    const served = await startServe(dir);
    const browser = await launchChromium();
    try {
      const page = browser.page;
      const t0 = performance.now();
      await page.goto(served.url);
      await page.waitForSelector('body[data-app-state="ready"]', { timeout: 120_000 });
      await page.waitForSelector(`[data-track-count="${n}"] .tbody [data-track-id]`, { timeout: 120_000 });
      const loadMs = performance.now() - t0;
      const domRows = await page.locator('.tbody [data-track-id]').count();

      const t1 = performance.now();
      await page.fill('[data-testid="track-filter"]', 'label:jazz');
      await page.waitForSelector(`[data-visible-count="${n / 10}"]`);
      const filterMs = performance.now() - t1;
      const t2 = performance.now();
      await page.fill('[data-testid="track-filter"]', '');
      await page.waitForSelector(`[data-visible-count="${n}"]`);
      const clearMs = performance.now() - t2;

      const first = await page.getAttribute('.tbody [data-track-id]', 'data-track-id');
      const t3 = performance.now();
      await page.click('[data-sort-key="relPath"]');
      await page.waitForFunction(
        (id) => document.querySelector('.tbody [data-track-id]')?.getAttribute('data-track-id') !== id,
        first,
      );
      const sortMs = performance.now() - t3;

      // Scroll the table 640 px per animation frame for 240 frames and record the frame intervals.
      // (A source string, not a function: tsx's name-keeping helpers do not exist in the page.)
      const frames = (await page.evaluate(SCROLL_SCRIPT)) as number[];
      return { n, loadMs, domRows, filterMs, clearMs, sortMs, frames };
    } finally {
      await browser.close();
      await served.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pageSection(): Promise<string> {
  const why = !existsSync(CHROMIUM)
    ? `${CHROMIUM} is absent`
    : !existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))
      ? 'the renderer is not built (run `npx electron-vite build`)'
      : !existsSync(TABLE)
        ? `${TABLE} is absent (../shared/data not beside the repo)`
        : null;
  if (why) return `### In the page\n\nNot measured: ${why}.`;
  const figs: PageFigures[] = [];
  for (const n of SIZES) figs.push(await measurePage(n));
  const lines = [
    '### In the page (browser mode, headless Chromium, 1440 × 900)',
    '',
    'The store is filled by `genrelab import-features` with copies of `gtzan-features/features_30_sec.csv`',
    '(tracks without audio). Times are wall-clock from the test driver (playwright-core over CDP), so each',
    'includes a few milliseconds of driver round trip; "frame" is the interval between animation frames',
    'while the table scrolls 640 px per frame for 240 frames.',
    '',
    '| tracks | open → table shown (ms) | rows in the DOM | filter `label:jazz` (ms) | clear filter (ms) | sort click (ms) | frame median (ms) | frame p95 (ms) | frames > 33 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const f of figs) {
    lines.push(
      `| ${f.n.toLocaleString('en-US')} | ${ms(f.loadMs, 0)} | ${f.domRows} | ${ms(f.filterMs, 0)} | ${ms(f.clearMs, 0)} | ${ms(f.sortMs, 0)} | ${ms(median(f.frames))} | ${ms(quantile(f.frames, 0.95))} | ${f.frames.filter((x) => x > 33.4).length} / ${f.frames.length} |`,
    );
  }
  const [a, b] = figs;
  if (a && b) {
    lines.push(
      '',
      `Scaling 2,000 → 20,000 tracks: open ${ms(b.loadMs / a.loadMs, 1)}×, filter ${ms(b.filterMs / a.filterMs, 1)}×, sort ${ms(b.sortMs / a.sortMs, 1)}×; the DOM holds ${a.domRows} and ${b.domRows} rows (the table is virtualised).`,
    );
  }
  return lines.join('\n');
}

export default {
  title: 'Renderer: the track table at 2,000 and 20,000 tracks',
  async run(): Promise<string> {
    const parts = [
      'Command: `npm run bench -- ui` (bench/ui.bench.ts). No reference tool exists for a UI, so no Python ratio is taken here.',
      '',
      pureSection(),
      '',
      await pageSection(),
    ];
    return parts.join('\n');
  },
};
