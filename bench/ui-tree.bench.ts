// Tree view benchmark on the Spotify per-genre table (../shared/data/spotify-genres/data_by_genres.csv,
// ~2,970 genres). Part 1 times the view's pure helpers in Node (layout, cut, SVG of the whole tree).
// Part 2 runs the real app in browser mode (genrelab serve + Debian's Chromium, canvas 2-D on the CPU):
// for each of the five linkages, the time from clicking "Build tree" until the dendrogram is drawn
// (table read and linkage in a worker, the tree sent to the page, layout, first draw); then, on the
// Ward tree, the time of each redraw and the frame rate while scrolling and zooming with real wheel
// events for about 2 s each, dragging the cut, and finding a genre.
// There is no reference tool for a UI; the build times can be read beside scipy's linkage times in the
// hierarchy section. Run alone with: npx electron-vite build && npm run bench -- ui-tree
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseCsv } from '../src/main/engine/features/csv';
import { treeFromTable } from '../src/main/engine/hierarchy/tree-params';
import type { TreeDoc } from '../src/shared/types';
import { cutTree, layoutTree, treeSvg } from '../src/renderer/src/lib/dendrogram';
import { CHROMIUM, launchChromium, makeTempDir, repoRoot, startServe } from '../tests/e2e/e2e-helpers';
import { sharedData } from '../tests/helpers/shared';

const SPOTIFY = path.join(sharedData, 'spotify-genres', 'data_by_genres.csv');
const LINKAGES = ['single', 'complete', 'average', 'weighted', 'ward'] as const;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' / ');

/** Milliseconds per call, the median of 5 batches of at least 50 ms. */
function perCall(fn: () => unknown): number {
  fn();
  let reps = 1;
  for (let t = 0; t < 50; reps *= 2) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    t = performance.now() - t0;
  }
  const out: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    out.push((performance.now() - t0) / reps);
  }
  return median(out);
}

function pureSection(): string {
  const doc = treeFromTable(parseCsv(readFileSync(SPOTIFY, 'utf8')), { linkage: 'ward' }) as unknown as TreeDoc;
  const n = doc.labels.length;
  const layout = layoutTree(doc);
  const lay = perCall(() => layoutTree(doc));
  const cut8 = perCall(() => cutTree(doc, layout, 8));
  const cut1000 = perCall(() => cutTree(doc, layout, 1000));
  const svg = perCall(() => treeSvg(doc, { k: 8 }));
  const bytes = treeSvg(doc, { k: 8 }).length;
  return [
    `### Pure helpers (Node ${process.version}), Ward tree of ${n} genres`,
    '',
    '| step | ms per call |',
    '| --- | --- |',
    `| layoutTree (rows, heights, spans, parents) | ${ms(lay, 2)} |`,
    `| cutTree at k = 8 | ${ms(cut8, 2)} |`,
    `| cutTree at k = 1,000 | ${ms(cut1000, 2)} |`,
    `| treeSvg, the whole tree (${(bytes / 1e6).toFixed(2)} MB) | ${ms(svg, 1)} |`,
  ].join('\n');
}

async function browserSection(): Promise<string> {
  if (!existsSync(CHROMIUM)) return `_Browser part skipped: ${CHROMIUM} is absent._`;
  if (!existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) return '_Browser part skipped: build first (npx electron-vite build)._';
  const dir = makeTempDir('bench-tree');
  const served = await startServe(dir);
  const b = await launchChromium();
  const page = b.page;
  const lines: string[] = [];
  try {
    await page.goto(served.url);
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.click('[data-view="tree"]');
    await page.click('[data-testid="tree-source"] [data-value="table"]');
    await page.fill('[data-testid="tree-path"]', SPOTIFY);
    const startLoad = load();
    const builds: Array<{ linkage: string; ms: number; draw: number; leaves: number }> = [];
    for (const linkage of LINKAGES) {
      await page.selectOption('[data-testid="tree-linkage"]', linkage);
      const t0 = Date.now();
      await page.click('[data-testid="tree-build"]');
      await page.waitForSelector(`[data-tree-state="ready"] [data-testid="tree-facts"]:has-text("${linkage} linkage")`, { timeout: 120_000 });
      await page.waitForFunction(() => Number((document.querySelector('[data-testid="tree-canvas"]') as HTMLElement | null)?.dataset.drawn ?? 0) > 0);
      const wall = Date.now() - t0;
      const d = await page.$eval('[data-testid="tree-canvas"]', (c) => ({ draw: Number((c as HTMLElement).dataset.drawMs), leaves: Number((c as HTMLElement).dataset.leaves) }));
      builds.push({ linkage, ms: wall, draw: d.draw, leaves: d.leaves });
    }
    lines.push(
      `### In the page: Spotify per-genre table, ${builds[0]?.leaves ?? '?'} genres, Chromium ${b.context.browser()?.version() ?? ''} headless, 1440 × 900, canvas 2-D on the CPU`,
      '',
      `Load average at start: ${startLoad}.`,
      '',
      '| linkage | click → tree drawn (ms) | of which the first draw (ms) |',
      '| --- | --- | --- |',
      ...builds.map((r) => `| ${r.linkage} | ${r.ms} | ${ms(r.draw, 1)} |`),
      '',
      '"Click → tree drawn" includes reading the CSV and the linkage in a worker (the IHCT build), sending the tree to the page, its layout and the first draw of the whole tree (every leaf row visible, 2,972 links).',
    );

    // Interaction on the Ward tree: redraw times and frame rate under real wheel events.
    const measure = async (label: string, act: () => Promise<void>): Promise<string> => {
      // A string, not a function: tsx's name helper (__name) does not exist in the page.
      await page.evaluate(`(() => {
        const w = window;
        w.__draws = [];
        w.__frames = [];
        const c = document.querySelector('[data-testid="tree-canvas"]');
        w.__obs = new MutationObserver(() => w.__draws.push(Number(c.dataset.drawMs)));
        w.__obs.observe(c, { attributes: true, attributeFilter: ['data-drawn'] });
        w.__tick = (t) => {
          w.__frames.push(t);
          w.__raf = requestAnimationFrame(w.__tick);
        };
        w.__raf = requestAnimationFrame(w.__tick);
      })()`);
      const t0 = Date.now();
      await act();
      const seconds = (Date.now() - t0) / 1000;
      const r = (await page.evaluate(`(() => {
        const w = window;
        w.__obs.disconnect();
        cancelAnimationFrame(w.__raf);
        return { draws: w.__draws, frames: w.__frames };
      })()`)) as { draws: number[]; frames: number[] };
      const gaps = r.frames.slice(1).map((t, i) => t - r.frames[i]!);
      const fps = gaps.length ? 1000 / median(gaps) : NaN;
      return `| ${label} | ${r.draws.length} | ${ms(median(r.draws), 2)} | ${ms(quantile(r.draws, 0.95), 2)} | ${ms(fps, 0)} | ${ms(quantile(gaps, 0.95), 1)} | ${seconds.toFixed(1)} |`;
    };
    const box = (await page.$('[data-testid="tree-canvas"]'))!;
    const bb = (await box.boundingBox())!;
    await page.mouse.move(bb.x + bb.width * 0.6, bb.y + bb.height / 2);
    const rows: string[] = [];
    rows.push(
      await measure('scroll the whole tree (wheel, 60 steps)', async () => {
        for (let i = 0; i < 60; i++) await page.mouse.wheel(0, i < 30 ? 40 : -40);
      }),
    );
    await page.keyboard.down('Control');
    rows.push(
      await measure('zoom in to readable names (Ctrl + wheel, 40 steps)', async () => {
        for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -60);
      }),
    );
    await page.keyboard.up('Control');
    rows.push(
      await measure('scroll at 14+ px rows, names drawn (wheel, 60 steps)', async () => {
        for (let i = 0; i < 60; i++) await page.mouse.wheel(0, 120);
      }),
    );
    // Drag the cut line: find it from the k shown (the line is drawn at the cut height).
    rows.push(
      await measure('drag the cut across the tree (40 pointer moves)', async () => {
        await page.fill('[data-testid="tree-k"]', '8');
        // The cut marker: the red square on the axis (see TreeRenderer), found by its colour 20 px down.
        const x0 = (await page.evaluate(`(() => {
          const c = document.querySelector('[data-testid="tree-canvas"]');
          const dpr = window.devicePixelRatio || 1;
          const d = c.getContext('2d').getImageData(0, Math.round(20 * dpr), c.width, 1).data;
          for (let x = 0; x < c.width; x++) if (d[x * 4] > 230 && d[x * 4 + 1] < 130 && d[x * 4 + 2] < 130) return x / dpr + 2;
          return -1;
        })()`)) as number;
        if (x0 < 0) return;
        await page.mouse.move(bb.x + x0, bb.y + 200);
        await page.mouse.down();
        for (let i = 1; i <= 40; i++) await page.mouse.move(bb.x + x0 - i * 6, bb.y + 200);
        await page.mouse.up();
      }),
    );
    const k = await page.getAttribute('.treeview', 'data-tree-k');
    const t0 = Date.now();
    await page.fill('[data-testid="tree-search"]', 'jazz');
    await page.waitForSelector('[data-testid="tree-matches"]:has-text("1 /")');
    const search = Date.now() - t0;
    lines.push(
      '',
      'Interaction on the Ward tree (draw times read from the canvas after every redraw; frame gaps from requestAnimationFrame while the wheel events arrive):',
      '',
      '| action | redraws | median draw (ms) | p95 draw (ms) | frame rate (median gap, fps) | p95 frame gap (ms) | seconds |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `After the drag the cut stood at k = ${k}. Typing a genre ("jazz") in the search box to its first match highlighted and scrolled to: ${search} ms (Playwright fill → the match count shown). Load average at end: ${load()}.`,
    );
  } finally {
    await b.close();
    await served.stop();
  }
  return lines.join('\n');
}

export default {
  title: 'Tree view: the Spotify per-genre table (~2,970 genres)',
  run: async (): Promise<string> => {
    if (!existsSync(SPOTIFY)) return `_Skipped: ${SPOTIFY} is absent._`;
    const parts = [pureSection(), await browserSection()];
    return `${parts.join('\n\n')}\n\nCommand: \`npx electron-vite build && npm run bench -- ui-tree\`.`;
  },
};
