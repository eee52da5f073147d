// Plotting engine benchmark: PNG encoding (ours vs Pillow = libpng/zlib) and whole figures
// (confusion matrices of 10 and 40 classes, a 3-series training-curve chart; ours vs matplotlib
// with the Agg and SVG backends), measured in the same run. Python is spawned from here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { confusionPng, confusionSvg, type ConfusionOptions } from '../src/main/engine/plot/confusion';
import { lineChartSvg, linePng, type LineChartOptions } from '../src/main/engine/plot/lines';
import { encodePng } from '../src/main/engine/plot/png';
import { mulberry32 } from '../src/main/engine/random';

const PYTHON = '/usr/bin/python3';
const REPS = 7;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (s: number | null | undefined) => (s == null || !Number.isFinite(s) ? 'n/a' : (s * 1000).toFixed(1));
const ratio = (a: number | null | undefined, b: number) => (a == null || !Number.isFinite(a) ? 'n/a' : `${(a / b).toFixed(2)}×`);

/** Median CPU seconds (user + system) of fn over REPS runs after one warm-up; the last result. */
function timeIt<T>(fn: () => T): { s: number; out: T } {
  let out = fn();
  const ts: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const c = process.cpuUsage();
    out = fn();
    const d = process.cpuUsage(c);
    ts.push((d.user + d.system) / 1e6);
  }
  return { s: median(ts), out };
}

function labels(n: number): string[] {
  const g = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'];
  return Array.from({ length: n }, (_, i) => (n > 10 ? `${g[i % 10]} ${i}` : g[i]!));
}

function matrix(n: number, seed: number): number[][] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 50 + Math.floor(rng() * 50) : rng() < 0.4 ? Math.floor(rng() * 15) : 0)));
}

// The Python side: median CPU seconds for the same jobs, matplotlib drawn the way scikit-learn's
// ConfusionMatrixDisplay draws (imshow + per-cell text + colorbar), at 100 dpi.
const PY = String.raw`
import io, json, sys, time
import numpy as np
cfg = json.load(sys.stdin)
reps = cfg["reps"]
def timeit(fn):
    fn()
    ts = []
    for _ in range(reps):
        t = time.process_time(); fn(); ts.append(time.process_time() - t)
    return float(np.median(ts))
out = {}
from PIL import Image
raw = open(cfg["rawFile"], "rb").read()
w, h = cfg["rawSize"]
img = Image.frombytes("RGBA", (w, h), raw)
def pil():
    b = io.BytesIO(); img.save(b, "PNG"); return b
out["pil_s"] = timeit(pil)
out["pil_bytes"] = len(pil().getvalue())
t0 = time.process_time()
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
out["mpl_import_s"] = time.process_time() - t0
def confusion(m, labels, fmt):
    m = np.array(m)
    n = len(labels)
    size = max(4.0, 0.35 * n + 2)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    im = ax.imshow(m, cmap="viridis")
    thresh = (m.max() + m.min()) / 2.0
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=8 if n > 20 else 10,
                    color="black" if m[i, j] > thresh else "white")
    fig.colorbar(im, ax=ax)
    ax.set(xticks=np.arange(n), yticks=np.arange(n), xticklabels=labels, yticklabels=labels,
           ylabel="True label", xlabel="Predicted label", title="Confusion")
    plt.setp(ax.get_xticklabels(), rotation=90)
    b = io.BytesIO(); fig.savefig(b, format=fmt, dpi=100); plt.close(fig); return b
def lines(series, fmt):
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    for s in series:
        ax.plot(s["x"], s["y"], label=s["name"])
    ax.set(xlabel="Epoch", ylabel="Loss", title="Training")
    ax.grid(True); ax.legend()
    b = io.BytesIO(); fig.savefig(b, format=fmt, dpi=100); plt.close(fig); return b
for key, c in cfg["confusion"].items():
    for fmt in ("png", "svg"):
        out["conf_%s_%s" % (key, fmt)] = timeit(lambda: confusion(c["matrix"], c["labels"], fmt))
for fmt in ("png", "svg"):
    out["lines_" + fmt] = timeit(lambda: lines(cfg["lines"], fmt))
print(json.dumps(out))
`;

export default {
  title: 'Plotting (PNG encoder, confusion matrices, line charts)',
  async run(): Promise<string> {
    const lines: string[] = [];
    // 1. PNG encoding of a 1000×1000 figure-like image (a 40-class confusion matrix raster, cropped/padded).
    const conf40: ConfusionOptions = { title: 'Confusion', labels: labels(40), matrix: matrix(40, 2) };
    const conf10: ConfusionOptions = { title: 'Confusion', labels: labels(10), matrix: matrix(10, 1) };
    const { sceneToRaster } = await import('../src/main/engine/plot/scene');
    const { confusionScene } = await import('../src/main/engine/plot/confusion');
    const r = sceneToRaster(confusionScene(conf40).scene);
    const W = Math.min(1000, r.width), H = Math.min(1000, r.height);
    const rgba = new Uint8Array(W * H * 4);
    for (let y = 0; y < H; y++) rgba.set(r.data.subarray(y * r.width * 4, y * r.width * 4 + W * 4), y * W * 4);
    const encAdaptive = timeIt(() => encodePng(rgba, W, H));
    const encNone = timeIt(() => encodePng(rgba, W, H, { filter: 'none' }));

    const epochs = Array.from({ length: 100 }, (_, i) => i + 1);
    const lineOpts: LineChartOptions = {
      title: 'Training',
      xLabel: 'Epoch',
      yLabel: 'Loss',
      series: [
        { name: 'training loss', x: epochs, y: epochs.map((e) => 2.3 * Math.exp(-e / 15) + 0.3) },
        { name: 'validation loss', x: epochs, y: epochs.map((e) => 2.3 * Math.exp(-e / 18) + 0.5 + 0.00005 * e * e) },
        { name: 'validation accuracy', x: epochs, y: epochs.map((e) => 0.78 - 0.65 * Math.exp(-e / 12)) },
      ],
    };
    const ours = {
      conf10png: timeIt(() => confusionPng(conf10)),
      conf10svg: timeIt(() => confusionSvg(conf10)),
      conf40png: timeIt(() => confusionPng(conf40)),
      conf40svg: timeIt(() => confusionSvg(conf40)),
      linesPng: timeIt(() => linePng(lineOpts)),
      linesSvg: timeIt(() => lineChartSvg(lineOpts)),
    };

    // Reference run.
    let py: Record<string, number> | null = null;
    let pyNote = '';
    if (!existsSync(PYTHON)) {
      pyNote = `${PYTHON} not found: no reference figures in this run.`;
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'plot-bench-'));
      try {
        const rawFile = path.join(dir, 'img.rgba');
        writeFileSync(rawFile, rgba);
        const cfg = {
          reps: REPS,
          rawFile,
          rawSize: [W, H],
          confusion: { '10': { matrix: conf10.matrix, labels: conf10.labels }, '40': { matrix: conf40.matrix, labels: conf40.labels } },
          lines: lineOpts.series.map((s) => ({ name: s.name, x: Array.from(s.x), y: Array.from(s.y) })),
        };
        const res = spawnSync(PYTHON, ['-c', PY], { input: JSON.stringify(cfg), encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, maxBuffer: 1 << 24 });
        if (res.status === 0) py = JSON.parse(res.stdout) as Record<string, number>;
        else pyNote = `Reference run failed: ${(res.stderr || '').trim().split('\n').slice(-1)[0]}`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    lines.push('Median CPU time (user + system) of 7 runs after a warm-up, one process each side, measured by');
    lines.push('`npm run bench -- plot` (bench/plot.bench.ts). Reference: Debian python3-pil 9.4 (libpng/zlib) and');
    lines.push('python3-matplotlib 3.6.3 (Agg / SVG backends, 100 dpi), spawned by the benchmark in the same run;');
    lines.push('ratio = ours ÷ reference (below 1 = faster).');
    if (pyNote) lines.push('', `**${pyNote}**`);
    lines.push('');
    lines.push(`### PNG encoding, ${W}×${H} RGBA (a rendered confusion matrix)`);
    lines.push('');
    lines.push('| encoder | ms | bytes | time ratio | size ratio |');
    lines.push('| --- | ---: | ---: | ---: | ---: |');
    lines.push(`| ours, adaptive filters, zlib level 6 | ${ms(encAdaptive.s)} | ${encAdaptive.out.length} | ${py ? ratio(encAdaptive.s, py.pil_s!) : 'n/a'} | ${py ? ratio(encAdaptive.out.length, py.pil_bytes!) : 'n/a'} |`);
    lines.push(`| ours, filter 0, zlib level 6 | ${ms(encNone.s)} | ${encNone.out.length} | ${py ? ratio(encNone.s, py.pil_s!) : 'n/a'} | ${py ? ratio(encNone.out.length, py.pil_bytes!) : 'n/a'} |`);
    lines.push(`| Pillow \`Image.save(PNG)\` (defaults) | ${ms(py?.pil_s)} | ${py?.pil_bytes ?? 'n/a'} | 1 | 1 |`);
    lines.push('');
    lines.push('### Whole figures (build + render + encode)');
    lines.push('');
    lines.push('| figure | ours PNG ms | matplotlib PNG ms | ratio | ours SVG ms | matplotlib SVG ms | ratio |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const row = (name: string, a: { s: number }, b: { s: number }, pa?: number, pb?: number) =>
      lines.push(`| ${name} | ${ms(a.s)} | ${ms(pa)} | ${pa ? (a.s / pa).toFixed(2) + '×' : 'n/a'} | ${ms(b.s)} | ${ms(pb)} | ${pb ? (b.s / pb).toFixed(2) + '×' : 'n/a'} |`);
    row('confusion, 10 classes', ours.conf10png, ours.conf10svg, py?.conf_10_png, py?.conf_10_svg);
    row('confusion, 40 classes', ours.conf40png, ours.conf40svg, py?.conf_40_png, py?.conf_40_svg);
    row('3 training curves × 100 epochs', ours.linesPng, ours.linesSvg, py?.lines_png, py?.lines_svg);
    if (py) lines.push('', `matplotlib's import (once per process, not in the table): ${ms(py.mpl_import_s)} ms.`);
    lines.push('', `Output sizes (ours): confusion 10 classes ${ours.conf10png.out.length} B PNG / ${ours.conf10svg.out.length} B SVG; 40 classes ${ours.conf40png.out.length} B / ${ours.conf40svg.out.length} B; curves ${ours.linesPng.out.length} B / ${ours.linesSvg.out.length} B.`);
    return lines.join('\n');
  },
};
