// Map view benchmark. Part 1 times the pure point-buffer helpers the view runs per optimiser frame
// (decode + fit), per hover (project + nearest) and per box selection, in Node, at 20,000 and 200,000
// points, against numpy doing the same projection and nearest search (spawned in the same run).
// Part 2 runs the real app in browser mode (genrelab serve + Debian's Chromium, WebGL through
// SwiftShader, i.e. on the CPU) on stored synthetic maps of 2,000, 20,000 and 100,000 points: the
// time to open a stored map from the list until its points are in the canvas, and the frame rate
// while orbiting with real pointer drags for about 2 s (requestAnimationFrame timestamps).
// Run alone with: npm run bench -- ui-map
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Matrix4, PerspectiveCamera } from 'three';
import { openDatabase } from '../src/main/store/db';
import { MapStore } from '../src/main/store/maps';
import { mulberry32 } from '../src/main/engine/random';
import type { MapPoint } from '../src/shared/types';
import { categorise, decodeFloat32, fitPositions, nearestPoint, paintPoints, pointsInRect, projectPoints } from '../src/renderer/src/lib/scatter';
import { CHROMIUM, launchChromium, makeTempDir, repoRoot, startServe } from '../tests/e2e/e2e-helpers';

const PYTHON = '/usr/bin/python3';
const PURE_SIZES = [20_000, 200_000];
const GL_SIZES = [2_000, 20_000, 100_000];
const W = 800;
const H = 600;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' / ');

/**
 * Milliseconds per call: calls are repeated in batches of at least 50 ms (sub-millisecond operations
 * are below a single timer tick otherwise), and the median of 5 batches is reported.
 */
function perCall(fn: () => unknown): number {
  fn();
  let reps = 1;
  for (let t = 0; t < 50; reps *= 2) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    t = performance.now() - t0;
  }
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    batches.push((performance.now() - t0) / reps);
  }
  return median(batches);
}

/** n points in 10 Gaussian blobs in 3-D (seeded), with labels. */
function blobs(n: number, seed = 1): { points: Float32Array; meta: MapPoint[]; labels: string[] } {
  const rng = mulberry32(seed);
  const g = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const points = new Float32Array(n * 3);
  const meta: MapPoint[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    const a = (2 * Math.PI * c) / 10;
    points.set([10 * Math.cos(a) + 1.6 * g(), 10 * Math.sin(a) + 1.6 * g(), (c % 3) * 6 - 6 + 1.6 * g()], i * 3);
    meta.push({ trackId: null, name: `p${i}`, label: `class${c}`, predicted: null });
  }
  return { points, meta, labels: Array.from({ length: 10 }, (_, c) => `class${c}`) };
}

function viewProj(): Float32Array {
  const cam = new PerspectiveCamera(45, W / H, 0.01, 100);
  cam.position.set(1.5, 0.8, 2.2);
  cam.lookAt(0, 0, 0);
  cam.updateProjectionMatrix();
  cam.updateMatrixWorld();
  return Float32Array.from(new Matrix4().multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse).elements);
}

// numpy: the same projection (homogeneous 4×4, divide by w, to pixels) and nearest-point search.
const PY = String.raw`
import json, sys, time
import numpy as np
cfg = json.load(sys.stdin)
M = np.array(cfg["m"], dtype=np.float64).reshape(4, 4).T  # three.js elements are column-major
W, H = cfg["w"], cfg["h"]
out = {}
for n in cfg["sizes"]:
    rng = np.random.default_rng(1)
    P = rng.uniform(-1, 1, (n, 3)).astype(np.float32)
    Ph = np.hstack([P, np.ones((n, 1), np.float32)])
    def project():
        c = Ph @ M.T
        w = c[:, 3:4]
        ndc = c[:, :3] / w
        return np.stack([(ndc[:, 0] + 1) / 2 * W, (1 - ndc[:, 1]) / 2 * H, ndc[:, 2]], axis=1)
    S = project()
    def nearest():
        d = (S[:, 0] - W / 2) ** 2 + (S[:, 1] - H / 2) ** 2
        return int(np.argmin(d))
    def timed(fn):
        fn(); reps = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(reps): fn()
            if time.perf_counter() - t0 >= 0.05: break
            reps *= 2
        t = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(reps): fn()
            t.append((time.perf_counter() - t0) / reps)
        return float(np.median(t)) * 1000
    out[str(n)] = {"project": timed(project), "nearest": timed(nearest)}
print(json.dumps(out))
`;

function numpyTimes(m: Float32Array): Record<string, { project: number; nearest: number }> | null {
  if (!existsSync(PYTHON)) return null;
  const r = spawnSync(PYTHON, ['-c', PY], {
    input: JSON.stringify({ m: Array.from(m), w: W, h: H, sizes: PURE_SIZES }),
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as Record<string, { project: number; nearest: number }>;
}

function pureSection(): string {
  const m = viewProj();
  const py = numpyTimes(m);
  const lines = [
    '### Point-buffer helpers in Node (src/renderer/src/lib/scatter.ts)',
    '',
    `Per call: the median of 5 batches of calls (each batch at least 50 ms), \`performance.now()\`, one thread; ${W}×${H} px screen. numpy (\`${PYTHON}\`, OMP/OpenBLAS 1 thread) does the same projection and nearest search in the same run${py ? '' : ' — **not run: Python or numpy is missing here**'}. Load average ${load()}.`,
    '',
    '| operation (when the view runs it) | ' + PURE_SIZES.map((n) => `${n.toLocaleString('en')} pts (ms)`).join(' | ') + ' | ' + PURE_SIZES.map((n) => `numpy ${n.toLocaleString('en')} (ms)`).join(' | ') + ' | Genrelab / numpy |',
    '| --- | ' + PURE_SIZES.map(() => '---:').join(' | ') + ' | ' + PURE_SIZES.map(() => '---:').join(' | ') + ' | ---: |',
  ];
  const data = PURE_SIZES.map((n) => {
    const rng = mulberry32(1);
    const pos = Float32Array.from({ length: n * 3 }, () => rng() * 2 - 1);
    const b = blobs(n);
    const b64 = Buffer.from(b.points.buffer).toString('base64');
    const screen = projectPoints(pos, n, m, W, H, new Float32Array(n * 3));
    const col = categorise(b.meta, b.labels, 'label');
    return { n, pos, b, b64, screen, col, out: new Float32Array(n * 3), paint: new Uint8Array(n * 4) };
  });
  const ops: Array<[string, (d: (typeof data)[number]) => unknown, 'project' | 'nearest' | null]> = [
    ['decode a frame (base64 → Float32)', (d) => decodeFloat32(d.b64), null],
    ['fit a frame into the unit ball, in place (per frame)', (d) => fitPositions(d.b.points, d.n, 3, d.out), null],
    ['project all points to the screen (per camera move, then cached)', (d) => projectPoints(d.pos, d.n, m, W, H, d.out), 'project'],
    ['nearest point to the pointer (per hover)', (d) => nearestPoint(d.screen, d.n, d.paint, W / 2, H / 2, 1e9), 'nearest'],
    ['points in a box (box selection)', (d) => pointsInRect(d.screen, d.n, d.paint, { x0: 200, y0: 150, x1: 600, y1: 450 }), null],
    ['categorise by label (per colouring change)', (d) => categorise(d.b.meta, d.b.labels, 'label'), null],
    ['paint colours and flags (per legend toggle / selection)', (d) => paintPoints(d.col, new Set(['label:class3']), null, d.paint), null],
  ];
  for (const d of data) d.paint.fill(1);
  for (const [name, fn, ref] of ops) {
    const t = data.map((d) => perCall(() => fn(d)));
    const ref_ = ref && py ? PURE_SIZES.map((n) => py[String(n)]![ref]) : null;
    const numpyCols = ref_ ? ref_.map((x) => ms(x)) : PURE_SIZES.map(() => '–');
    const ratio = ref_ ? t.map((x, i) => `${(x / ref_[i]!).toFixed(2)}×`).join(' / ') : '–';
    lines.push(`| ${name} | ${t.map((x) => ms(x)).join(' | ')} | ${numpyCols.join(' | ')} | ${ratio} |`);
  }
  return lines.join('\n');
}

async function glSection(): Promise<string> {
  if (!existsSync(CHROMIUM)) return `### In the browser\n\nNot run: ${CHROMIUM} is absent.`;
  if (!existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) return '### In the browser\n\nNot run: build first (`npx electron-vite build`).';
  const dir = makeTempDir('bench-map');
  const db = openDatabase(path.join(dir, 'g.sqlite'));
  const store = new MapStore(db);
  for (const n of GL_SIZES) {
    const b = blobs(n, n);
    store.insert({ name: `bench-${n}-points`, method: 'pca', dims: 3, source: 'synthetic', request: { source: { kind: 'features' }, method: 'pca', dims: 3 }, points: b.points, meta: b.meta, labels: b.labels, warnings: [], trustworthiness: null, seconds: 0 });
  }
  db.close();
  const served = await startServe(dir);
  const browser = await launchChromium();
  const rows: string[] = [];
  let renderer = 'unknown';
  let canvas = '';
  try {
    const page = browser.page;
    await page.goto(`${served.url}#/map`);
    await page.waitForSelector('body[data-app-state="ready"]');
    await page.waitForSelector('[data-testid="map-list"] [data-testid="open-map"]');
    renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'no WebGL';
    });
    for (const n of GL_SIZES) {
      // Timed in the page: from the click to the canvas holding the points (a MutationObserver on data-points).
      const button = page.locator(`[data-testid="map-list"] li:has-text("bench-${n}-points") [data-testid="open-map"]`);
      await button.waitFor();
      const open = await button.evaluate(
        (el, count) =>
          new Promise<number>((resolve) => {
            const canvas = document.querySelector('[data-testid="map-canvas"]')!;
            const t0 = performance.now();
            const obs = new MutationObserver(() => {
              if (canvas.getAttribute('data-points') === String(count)) {
                obs.disconnect();
                // The first frame with the new points is drawn on the next animation frame.
                requestAnimationFrame(() => resolve(performance.now() - t0));
              }
            });
            obs.observe(canvas, { attributes: true, attributeFilter: ['data-points'] });
            (el as HTMLButtonElement).click();
          }),
        n,
      );
      await page.waitForSelector(`[data-map-state="ready"] [data-testid="map-canvas"][data-points="${n}"]`, { timeout: 60_000 });
      const box = (await page.locator('[data-testid="map-canvas"]').boundingBox())!;
      canvas = `${Math.round(box.width)}×${Math.round(box.height)}`;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      const fps: number[] = [];
      for (let rep = 0; rep < 2; rep++) {
        await page.mouse.move(cx, cy);
        await page.evaluate(() => window.__genrelabMap!.startFps());
        const s = Date.now();
        await page.mouse.down();
        for (let k = 0; Date.now() - s < 2000; k++) await page.mouse.move(cx + 160 * Math.sin(k / 6), cy + 40 * Math.cos(k / 9));
        await page.mouse.up();
        fps.push((await page.evaluate(() => window.__genrelabMap!.stopFps())).fps);
      }
      rows.push(`| ${n.toLocaleString('en')} | ${ms(open, 0)} | ${fps.map((x) => x.toFixed(1)).join(', ')} | ${load()} |`);
    }
  } finally {
    await browser.close();
    await served.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    '### In the browser: open a stored map, orbit it',
    '',
    `Browser mode (\`genrelab serve\` + \`${CHROMIUM}\` headless, 1440×900 window, ${canvas} canvas), renderer: ${renderer}. ` +
      '"open" is timed in the page from the click in the stored-maps list until the canvas holds the points and the next animation frame ' +
      '(maps.get over the WebSocket, base64 decode, fit, colouring, first paint). The frame rate is requestAnimationFrame timestamps while orbiting with real pointer drags for about 2 s, ' +
      'every frame drawn; two runs each. SwiftShader renders on the CPU, so these figures measure this shared machine, not a GPU.',
    '',
    '| points | open (ms) | fps while orbiting | load average 1 / 5 / 15 min |',
    '| ---: | ---: | --- | --- |',
    ...rows,
  ].join('\n');
}

export default {
  title: 'Map view: point buffers, opening stored maps, frame rate',
  run: async (): Promise<string> => {
    const parts = [pureSection(), await glSection()];
    return `${parts.join('\n\n')}\n\nCommand: \`npx electron-vite build && npm run bench -- ui-map\`.`;
  },
};
