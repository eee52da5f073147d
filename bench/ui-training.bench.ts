// Training and Runs views: the cost of what the views recompute, timed in Node on synthetic data
// of realistic size. Live curves are recomputed on every flush of epoch points (every 120 ms while
// a tensor model trains); the matrix, cell lists and misclassified list when a run opens or a cell
// is clicked. There is no reference tool for a UI, so there is no Python ratio here.
import type { EpochPoint, TrackPrediction } from '../src/shared/types';
import { mulberry32 } from '../src/main/engine/random';
import { chartGeometry, curveSeries } from '../src/renderer/src/lib/chart';
import { matrixView, misclassified, tracksInCell } from '../src/renderer/src/lib/confusion';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function time(fn: () => unknown, reps: number): number {
  fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function epochs(folds: number, n: number): EpochPoint[] {
  const r = mulberry32(1);
  const out: EpochPoint[] = [];
  for (let f = 0; f < folds; f++) {
    for (let e = 0; e < n; e++) {
      const l = 2 / (1 + e / 20) + 0.05 * r();
      out.push({ fold: f, epoch: e, loss: l, acc: 1 - l / 2.2, valLoss: l * 1.1, valAcc: 1 - l / 2 });
    }
  }
  return out;
}

function predictions(tracks: number, segments: number, labels: string[]): TrackPrediction[] {
  const r = mulberry32(2);
  return Array.from({ length: tracks }, (_, i) => {
    const label = labels[i % labels.length]!;
    const pick = () => (r() < 0.7 ? label : labels[Math.floor(r() * labels.length)]!);
    const segs = Array.from({ length: segments }, (_, s) => ({ index: s, start: 3 * s, end: 3 * s + 3, predicted: pick(), confidence: r() }));
    return { trackId: i + 1, name: `${label}/${label}.${i}.wav`, label, predicted: pick(), confidence: r(), probs: [], fold: i % 10, segments: segs };
  });
}

export default {
  title: 'Training and Runs views: recomputation costs',
  async run(): Promise<string> {
    const frame = { width: 520, height: 190, margin: { top: 12, right: 14, bottom: 30, left: 46 } };
    const curveRows: string[] = [];
    for (const [folds, n] of [[10, 200], [10, 2000], [3, 100_000]] as const) {
      const pts = epochs(folds, n);
      const ms = time(() => {
        chartGeometry(curveSeries(pts, 'loss'), frame);
        chartGeometry(curveSeries(pts, 'acc'), frame, { yRange: [0, 1] });
      }, n >= 100_000 ? 5 : 20);
      curveRows.push(`| ${folds} × ${n.toLocaleString('en-US')} | ${(folds * n).toLocaleString('en-US')} | ${ms.toFixed(2)} |`);
    }
    const runRows: string[] = [];
    for (const [k, tracks, segs] of [[10, 1000, 10], [10, 10_000, 10], [40, 10_000, 10]] as const) {
      const labels = Array.from({ length: k }, (_, i) => `genre${String(i).padStart(2, '0')}`);
      const preds = predictions(tracks, segs, labels);
      const matrix = labels.map(() => labels.map(() => Math.floor(tracks / k / k)));
      const mv = time(() => matrixView(matrix, true), 20);
      const cell = time(() => tracksInCell(preds, 'segment', labels[0]!, labels[1]!), 20);
      const mis = time(() => misclassified(preds, { key: 'confidence', dir: 'desc' }), 10);
      runRows.push(`| ${k} | ${tracks.toLocaleString('en-US')} × ${segs} | ${mv.toFixed(3)} | ${cell.toFixed(2)} | ${mis.toFixed(2)} |`);
    }
    return [
      'Measured with `npm run bench -- ui-training` (median of repeated calls in Node, after a warm-up; synthetic data from a seeded generator).',
      'No reference tool exists for these UI computations, so there is no Python ratio.',
      '',
      'Live curves: loss and accuracy geometry for every line (train and validation per fold), as recomputed on each flush of epoch points. Lines longer than 1,500 points are thinned for drawing; the flush interval grows with the points drawn (120 ms, then 1 ms per 20 points, at most 2 s), so a refresh stays a small share of the time between refreshes.',
      '',
      '| folds × epochs | epoch points | ms per refresh (both charts) |',
      '| --- | --- | --- |',
      ...curveRows,
      '',
      'A run: matrix colours (row-normalised), the tracks behind one cell at segment level, and the sorted misclassified list.',
      '',
      '| labels | tracks × segments | matrix ms | cell tracks ms | misclassified ms |',
      '| --- | --- | --- | --- | --- |',
      ...runRows,
      '',
    ].join('\n');
  },
};
