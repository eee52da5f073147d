// The Training and Runs views' pure helpers: the form (column groups, parameter fields, the
// TrainRequest), curve geometry, the confusion matrix for display (against scikit-learn and
// matplotlib), the tracks behind a cell, regions, run comparison and exported bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppInfo, EpochPoint, LevelReport, ModelInfo, RunDetail, RunMetrics, TrackPrediction } from '../../../src/shared/types';
import type { LossReport } from '../../../src/shared/loss';
import { listProfiles } from '../../../src/main/engine/features';
import { registry } from '../../../src/main/engine/models';
import { chartGeometry, curveSeries, linearScale, pathData, thinPoints } from '../../../src/renderer/src/lib/chart';
import {
  cellText,
  firstWrongStart,
  labelColour,
  levelReport,
  levelsOf,
  matrixView,
  misclassified,
  nextMisSort,
  tracksInCell,
  wrongRegions,
} from '../../../src/renderer/src/lib/confusion';
import { compareRuns, deltaTone, exportedBytes, formatDelta } from '../../../src/renderer/src/lib/runs';
import {
  buildTrainRequest,
  columnGroups,
  initialForm,
  paramApplies,
  parseParam,
  profileOptions,
  toggleColumns,
} from '../../../src/renderer/src/lib/training';
import { repoRoot } from '../../helpers/shared';

interface Ref {
  labels: string[];
  tracks: Array<{ name: string; label: string; segments: TrackPrediction['segments'] & object }>;
  counts: number[][];
  shares: number[][];
  fillCounts: string[][];
  fillShares: string[][];
}
// Made by tests/fixtures/ui/make_ui_training_ref.py (scikit-learn confusion_matrix, matplotlib viridis).
const REF: Ref = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/ui/ui_training_ref.json'), 'utf8'));

const profile = (name: string) => listProfiles().find((p) => p.name === name)!.columns;

describe('feature column groups', () => {
  it('groups the gtzan57 and meyda columns by family, every column exactly once', () => {
    const g57 = columnGroups(profile('gtzan57'));
    expect(g57.map((g) => [g.name, g.columns.length])).toEqual([
      ['chroma_stft', 2],
      ['rms', 2],
      ['spectral', 4],
      ['rolloff', 2],
      ['zero_crossing_rate', 2],
      ['harmony', 2],
      ['perceptr', 2],
      ['tempo', 1],
      ['mfcc', 40],
    ]);
    const meyda = columnGroups(profile('meyda'));
    expect(meyda.map((g) => [g.name, g.columns.length])).toEqual([
      ['mfcc', 40],
      ['chroma', 24],
      ['spectral', 8],
      ['zcr', 2],
      ['rms', 2],
    ]);
    for (const cols of [profile('gtzan57'), profile('meyda')]) {
      expect(columnGroups(cols).flatMap((g) => g.columns).sort()).toEqual([...cols].sort());
    }
  });

  it('toggles columns in profile order; all chosen is null again', () => {
    const all = profile('gtzan57');
    const spectral = columnGroups(all).find((g) => g.name === 'spectral')!.columns;
    const without = toggleColumns(all, null, spectral, false)!;
    expect(without).toHaveLength(all.length - 4);
    expect(without).toEqual(all.filter((c) => !c.startsWith('spectral_')));
    expect(toggleColumns(all, without, spectral, true)).toBeNull();
    expect(toggleColumns(all, null, all, false)).toEqual([]);
    expect(toggleColumns(all, [], ['tempo', 'rms_mean'], true)).toEqual(['rms_mean', 'tempo']);
  });
});

describe('parameter fields', () => {
  const spec = (type: ModelInfo['params'][number]['type'], extra: Partial<ModelInfo['params'][number]> = {}) => ({
    key: 'x', label: 'X', type, default: null, ...extra,
  });
  it('parses each schema type and rejects what resolveParams would', () => {
    expect(parseParam(spec('int', { min: 1, max: 10 }), ' 5 ')).toEqual({ ok: true, value: 5 });
    expect(parseParam(spec('int', { min: 1, max: 10 }), '5.5').ok).toBe(false);
    expect(parseParam(spec('int', { min: 1, max: 10 }), '0').ok).toBe(false);
    expect(parseParam(spec('int'), '1e3').ok).toBe(false);
    expect(parseParam(spec('number', { min: 0, max: 1 }), '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseParam(spec('number', { min: 0, max: 1 }), '').ok).toBe(false);
    expect(parseParam(spec('number', { min: 0, max: 1 }), '1.5').ok).toBe(false);
    expect(parseParam(spec('int-list', { min: 1 }), '256, 128 64')).toEqual({ ok: true, value: [256, 128, 64] });
    expect(parseParam(spec('int-list', { min: 1 }), ' ').ok).toBe(false);
    expect(parseParam(spec('int-list', { min: 1 }), '256, 0').ok).toBe(false);
    expect(parseParam(spec('enum', { options: ['a', 'b'] }), 'b')).toEqual({ ok: true, value: 'b' });
    expect(parseParam(spec('enum', { options: ['a', 'b'] }), 'c').ok).toBe(false);
    expect(parseParam(spec('boolean'), true)).toEqual({ ok: true, value: true });
    expect(parseParam(spec('members'), '[{"kind":"knn"}]')).toEqual({ ok: true, value: [{ kind: 'knn' }] });
    expect(parseParam(spec('members'), '[]').ok).toBe(false);
    expect(parseParam(spec('members'), '[{').ok).toBe(false);
    // A type the contract does not list yet: lists of numbers, and anything else as JSON.
    const numList = spec('int-list', { min: 0 });
    (numList as { type: string }).type = 'number-list';
    expect(parseParam(numList, '0.03, 1e-1 3')).toEqual({ ok: true, value: [0.03, 0.1, 3] });
    expect(parseParam(numList, '0.03, -1').ok).toBe(false);
    const other = spec('int');
    (other as { type: string }).type = 'future-type';
    expect(parseParam(other, '{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });
});

const INFO: AppInfo = {
  version: 't', transport: 'browser', dbPath: '', dataDir: '', defaultProfile: 'gtzan57', workers: 2, backend: 'none',
  demoPath: '', canPickFolder: false,
  profiles: listProfiles().map((p) => ({ name: p.name, description: p.description, columns: [...p.columns] })),
};
// The registry's parameter types may run ahead of the contract's ('number-list'), hence the cast.
const MODELS = registry.list().map((m) => ({ name: m.name, label: m.label, description: m.description, params: m.params.map((p) => ({ ...p })) })) as ModelInfo[];
const folder = (id: number, profile: string) => ({ id, path: `/m/${id}`, addedAt: '', tracks: 3, failed: 0, profile, synthetic: false });

describe('the training form', () => {
  it('offers the folders’ profile first, then the others', () => {
    const opts = profileOptions(INFO, [folder(1, 'meyda'), folder(2, 'meyda'), folder(3, 'table:x.csv')]);
    expect(opts.map((o) => [o.name, o.folders])).toEqual([['meyda', 2], ['table:x.csv', 1], ['gtzan57', 0], ['logmel', 0]]);
    expect(opts[1]!.columns).toBeNull();
    expect(initialForm(INFO, [], MODELS).profile).toBe('gtzan57');
  });

  it('turns the default form of every registered model into exactly its default parameters', () => {
    const form = initialForm(INFO, [folder(1, 'gtzan57')], MODELS);
    for (const m of MODELS) {
      const { request, errors } = buildTrainRequest({ ...form, model: m.name }, MODELS);
      expect(errors).toEqual({});
      // every parameter that applies under the defaults, at its default (the rest are not sent)
      const applying = m.params.filter((p) => paramApplies(p, m.params, form.params[m.name]));
      expect(request!.params).toEqual(Object.fromEntries(applying.map((p) => [p.key, registry.defaults(m.name)[p.key]])));
      expect(request).toMatchObject({ model: m.name, profile: 'gtzan57', segments: false, evaluation: { kind: 'cv', folds: 10 }, groupBy: 'track', seed: 1 });
      expect(request!.columns).toBeUndefined();
      expect(request!.folderIds).toBeUndefined();
    }
  });

  it('says what is wrong, field by field', () => {
    const form = initialForm(INFO, [], MODELS);
    const bad = buildTrainRequest(
      { ...form, model: 'knn', folds: '1', seed: '-3', columns: [], folderIds: [], params: { ...form.params, knn: { ...form.params.knn!, k: '0' } } },
      MODELS,
    );
    expect(bad.request).toBeNull();
    expect(Object.keys(bad.errors).sort()).toEqual(['columns', 'folders', 'folds', 'param.k', 'seed']);
    const held = buildTrainRequest({ ...form, model: 'knn', evaluation: 'holdout', testFraction: '0.25', groupByFolder: true, segments: true, name: '  mine ' }, MODELS);
    expect(held.request).toMatchObject({ evaluation: { kind: 'holdout', testFraction: 0.25 }, groupBy: 'folder', segments: true, name: 'mine' });
    expect(buildTrainRequest({ ...form, evaluation: 'holdout', testFraction: '1' }, MODELS).errors.testFraction).toMatch(/Held-out/);
  });

  it('hides a parameter whose condition does not hold, through a chain, and neither checks nor sends it', () => {
    const form = initialForm(INFO, [], MODELS);
    const pn = MODELS.find((m) => m.name === 'per-node')!;
    const shown = (inputs: Record<string, string | boolean>) =>
      pn.params.filter((p) => paramApplies(p, pn.params, { ...form.params['per-node'], ...inputs })).map((p) => p.key);
    // defaults: hierarchical, super-genres by UMAP + HDBSCAN, logistic nodes
    expect(shown({})).toEqual(['structure', 'superMethod', 'umapNeighbors', 'minClusterSize', 'minSamples', 'base', 'C']);
    expect(shown({ superMethod: 'linkage', base: 'dense' })).toEqual(['structure', 'superMethod', 'superGenres', 'linkage', 'metric', 'base', 'denseHidden']);
    // flat: no super-genres at all (superMethod hidden, and so everything that depends on it)
    expect(shown({ structure: 'flat', superMethod: 'linkage' })).toEqual(['structure', 'base', 'C']);
    // a controller that does not parse yet leaves its dependants shown
    const gs = MODELS.find((m) => m.name === 'graphsage')!;
    const gsShown = (inputs: Record<string, string | boolean>) => gs.params.filter((p) => paramApplies(p, gs.params, { ...form.params.graphsage, ...inputs })).map((p) => p.key);
    expect(gsShown({})).not.toContain('components');
    expect(gsShown({ reduce: 'pca' })).toContain('components');
    expect(gsShown({ selectFeatures: 'x' })).toContain('corrThreshold');
    expect(gsShown({ selectFeatures: '0' })).not.toContain('corrThreshold');
    // a hidden parameter with a bad value is not an error, and is not sent
    const r = buildTrainRequest({ ...form, model: 'per-node', params: { ...form.params, 'per-node': { ...form.params['per-node']!, superGenres: 'lots' } } }, MODELS);
    expect(r.errors).toEqual({});
    expect(r.request!.params).not.toHaveProperty('superGenres');
    const shownBad = buildTrainRequest({ ...form, model: 'per-node', params: { ...form.params, 'per-node': { ...form.params['per-node']!, superMethod: 'linkage', superGenres: 'lots' } } }, MODELS);
    expect(Object.keys(shownBad.errors)).toEqual(['param.superGenres']);
  });
});

describe('curves', () => {
  const pts: EpochPoint[] = [
    { fold: 1, epoch: 1, loss: 0.5, acc: 0.7, valLoss: Number.NaN, valAcc: Number.NaN },
    { fold: 0, epoch: 1, loss: 0.9, acc: 0.6, valLoss: 1.0, valAcc: 0.5 },
    { fold: 0, epoch: 0, loss: 1.2, acc: 0.4, valLoss: 1.3, valAcc: 0.3 },
    { fold: 1, epoch: 0, loss: 0.8, acc: 0.5, valLoss: null as unknown as number, valAcc: 0.2 },
  ];
  it('makes one series per fold and kind, epochs from 1, missing validation left out', () => {
    const loss = curveSeries(pts, 'loss');
    expect(loss.map((s) => [s.key, s.points])).toEqual([
      ['f0-train', [[1, 1.2], [2, 0.9]]],
      ['f0-val', [[1, 1.3], [2, 1.0]]],
      ['f1-train', [[1, 0.8], [2, 0.5]]],
    ]);
    const acc = curveSeries(pts, 'acc');
    expect(acc.find((s) => s.key === 'f1-val')!.points).toEqual([[1, 0.2]]);
    expect(curveSeries([{ ...pts[0]!, member: 2 }], 'loss')[0]!.key).toBe('f1m2-train');
  });

  it('maps data to pixels linearly (closed form) with ticks that bracket the data', () => {
    const x = linearScale(2, 6, 100, 300);
    expect([x(2), x(4), x(6), x(7)]).toEqual([100, 200, 300, 350]);
    expect(linearScale(3, 3, 0, 10)(3)).toBe(5);
    expect(pathData([[2, 0], [4, 1]], x, (v) => 50 - 10 * v)).toBe('M100,50 L200,40');

    const frame = { width: 400, height: 200, margin: { top: 10, right: 10, bottom: 30, left: 40 } };
    const g = chartGeometry(curveSeries(pts, 'loss'), frame);
    const [y0, y1] = g.yDomain;
    expect(y0).toBeLessThanOrEqual(0.5);
    expect(y1).toBeGreaterThanOrEqual(1.3);
    expect(g.plot).toEqual({ x: 40, y: 10, width: 350, height: 160 });
    expect(g.xDomain).toEqual([1, 2]);
    // Every path vertex at x = 40 + 350·(e − 1), y = 10 + 160·(1 − (v − y0)/(y1 − y0)).
    const series = curveSeries(pts, 'loss');
    g.paths.forEach((p, i) => {
      const want = series[i]!.points.map(([e, v], k) => `${k ? 'L' : 'M'}${Math.round((40 + 350 * (e - 1)) * 100) / 100},${Math.round((10 + 160 * (1 - (v - y0) / (y1 - y0))) * 100) / 100}`);
      expect(p.d).toBe(want.join(' '));
      expect(p.points).toBe(series[i]!.points.length);
    });
    for (const t of g.yTicks) expect(t.px).toBeCloseTo(10 + 160 * (1 - (t.value - y0) / (y1 - y0)), 2);
    expect(g.xTicks.map((t) => t.value)).toEqual([1, 2]);
    // Accuracy on a fixed [0, 1] axis: 0 at the bottom, 1 at the top.
    const a = chartGeometry([{ key: 'a', points: [[1, 0], [3, 1]] }], frame, { yRange: [0, 1] });
    expect(a.paths[0]!.d).toBe('M40,170 L390,10');
    expect(a.yTicks[0]!.value).toBe(0);
    expect(a.yTicks[a.yTicks.length - 1]!.value).toBe(1);
  });

  it('thins long lines to at most 1,500 points, keeping the ends', () => {
    const long = Array.from({ length: 100_000 }, (_, i) => i);
    const t = thinPoints(long, 1500);
    expect(t).toHaveLength(1500);
    expect([t[0], t[t.length - 1]]).toEqual([0, 99_999]);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    expect(thinPoints([1, 2, 3], 1500)).toEqual([1, 2, 3]);
    const g = chartGeometry([{ key: 'l', points: long.map((i) => [i + 1, i] as [number, number]) }], { width: 300, height: 100, margin: { top: 0, right: 0, bottom: 0, left: 0 } });
    expect(g.paths[0]!.points).toBe(1500);
  });
});

/** Track predictions from the fixture: a track is predicted by its most frequent segment label. */
function predictions(): TrackPrediction[] {
  return REF.tracks.map((t, i) => {
    const votes = REF.labels.map((l) => t.segments.filter((s) => s.predicted === l).length);
    const best = votes.indexOf(Math.max(...votes));
    return {
      trackId: i + 1, name: t.name, label: t.label, predicted: REF.labels[best]!, confidence: votes[best]! / t.segments.length,
      probs: votes.map((v) => v / t.segments.length), fold: i % 3, segments: t.segments,
    };
  });
}

describe('confusion matrix for display', () => {
  it('has the row shares of sklearn’s normalize="true" and matplotlib’s viridis colours', () => {
    const counts = matrixView(REF.counts, false);
    const rows = matrixView(REF.counts, true);
    REF.counts.forEach((row, t) =>
      row.forEach((n, p) => {
        expect(counts.cells[t]![p]!.count).toBe(n);
        expect(rows.cells[t]![p]!.share).toBeCloseTo(REF.shares[t]![p]!, 12);
        expect(counts.cells[t]![p]!.fill).toBe(REF.fillCounts[t]![p]);
        expect(rows.cells[t]![p]!.fill).toBe(REF.fillShares[t]![p]);
      }),
    );
    expect(counts.scaleMax).toBe(Math.max(...REF.counts.flat()));
    expect(rows.scaleMax).toBe(1);
    // Ink by WCAG contrast: white on viridis' dark purple, dark on its yellow.
    expect(matrixView([[0, 1]], false).cells[0]!.map((c) => c.ink)).toEqual(['#ffffff', '#10131a']);
    // An empty row has shares of 0, not NaN.
    expect(matrixView([[0, 0], [1, 1]], true).cells[0]!.map((c) => c.share)).toEqual([0, 0]);
    const c = counts.cells[0]![1]!;
    expect(cellText(REF.labels, c, 'segments')).toBe(
      `true blues predicted as classical: ${REF.counts[0]![1]} segments (${(REF.shares[0]![1]! * 100).toFixed(1)} %)`,
    );
    expect(cellText(REF.labels, { ...c, count: 1, share: 0.5 }, 'tracks')).toBe('true blues predicted as classical: 1 track (50.0 %)');
  });

  it('lists the tracks behind each cell: their segments add up to sklearn’s counts, tracks to the track matrix', () => {
    const preds = predictions();
    REF.labels.forEach((tl, t) =>
      REF.labels.forEach((pl, p) => {
        const seg = tracksInCell(preds, 'segment', tl, pl);
        expect(seg.reduce((n, x) => n + x.inCell, 0)).toBe(REF.counts[t]![p]);
        for (const x of seg) expect(x.pred.label).toBe(tl);
        const trk = tracksInCell(preds, 'track', tl, pl);
        expect(trk.length).toBe(preds.filter((x) => x.label === tl && x.predicted === pl).length);
        for (const x of trk) expect([x.pred.label, x.pred.predicted, x.inCell]).toEqual([tl, pl, 1]);
      }),
    );
  });

  it('chooses the level: segment runs have both, whole-track runs one', () => {
    const lvl = (n: number): LevelReport => ({ accuracy: n, macroF1: n, macroPrecision: n, macroRecall: n, perClass: [], confusion: [[n]], n: 1 });
    const seg = { ...lvl(0.5), unit: 'segment', trackLevel: lvl(0.9) } as unknown as RunMetrics;
    expect(levelsOf(seg)).toEqual(['segment', 'track']);
    expect(levelReport(seg, 'track').accuracy).toBe(0.9);
    expect(levelReport(seg, 'segment').accuracy).toBe(0.5);
    const whole = { ...lvl(0.7), unit: 'track', trackLevel: null } as unknown as RunMetrics;
    expect(levelsOf(whole)).toEqual(['track']);
    expect(levelReport(whole, 'segment').accuracy).toBe(0.7);
  });

  it('lists the misclassified tracks, sorted', () => {
    const preds = predictions();
    const rows = misclassified(preds, { key: 'confidence', dir: 'desc' });
    expect(rows.map((r) => r.index).sort((a, b) => a - b)).toEqual(preds.flatMap((x, i) => (x.predicted !== x.label ? [i] : [])));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.pred.confidence).toBeLessThanOrEqual(rows[i - 1]!.pred.confidence);
    for (const r of rows) expect(r.wrong).toBe(r.pred.segments!.filter((s) => s.predicted !== r.pred.label).length);
    const byName = misclassified(preds, { key: 'name', dir: 'asc' }).map((r) => r.pred.name);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(nextMisSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(nextMisSort({ key: 'name', dir: 'asc' }, 'confidence')).toEqual({ key: 'confidence', dir: 'desc' });
  });
});

describe('regions of wrong segments', () => {
  const seg = (i: number, predicted: string, confidence = 0.8) => ({ index: i, start: 3 * i, end: 3 * i + 3, predicted, confidence });
  const base: TrackPrediction = {
    trackId: 1, name: 'a.wav', label: 'blues', predicted: 'jazz', confidence: 0.6, probs: [], fold: 0,
    segments: [seg(0, 'jazz', 0.9), seg(1, 'jazz', 0.7), seg(2, 'blues'), seg(3, 'rock', 0.6)],
  };
  it('merges adjacent wrong segments with the same prediction, clips to the duration, colours by label', () => {
    const labels = ['blues', 'jazz', 'rock'];
    const r = wrongRegions(base, labels, 10.5);
    expect(r.map((x) => [x.start, x.end, x.label, x.colour])).toEqual([
      [0, 6, 'jazz', '#ff7f0e'],
      [9, 10.5, 'rock', '#2ca02c'],
    ]);
    expect(r[0]!.title).toBe('0–6 s predicted jazz (mean confidence 80 %)');
    expect(firstWrongStart(base)).toBe(0);
    const later = { ...base, segments: [seg(0, 'blues'), seg(1, 'rock')] };
    expect(firstWrongStart(later)).toBe(3);
    const right = { ...base, segments: [seg(0, 'blues')] };
    expect([wrongRegions(right, labels), firstWrongStart(right)]).toEqual([[], 0]);
    // Tableau 10 (matplotlib "tab10") in label order, grey for an unknown label.
    expect(labels.map((l) => labelColour(labels, l))).toEqual(['#1f77b4', '#ff7f0e', '#2ca02c']);
    expect(labelColour(labels, 'metal')).toBe('#8690a0');
  });
});

describe('runs side by side', () => {
  const report = (acc: number, f1: Record<string, number>): LevelReport => ({
    accuracy: acc, macroF1: acc - 0.01, macroPrecision: acc, macroRecall: acc, confusion: [],
    perClass: Object.entries(f1).map(([label, v]) => ({ label, precision: v, recall: v, f1: v, support: 3 })), n: 18,
  });
  const run = (id: number, m: RunMetrics): RunDetail =>
    ({ id, accuracy: m.accuracy, macroF1: m.macroF1, n: m.n, seconds: m.seconds, metrics: m } as unknown as RunDetail);
  it('compares the figures and per-track F1 of two runs (differences are B − A)', () => {
    const a = run(1, { ...report(0.5, { blues: 0.4, rock: 0.6 }), unit: 'segment', trackLevel: report(0.75, { blues: 0.7, rock: 0.8 }), folds: 3, seconds: 2, labels: [], foldAccuracy: [], backend: 'js', warnings: [] });
    const b = run(2, { ...report(0.8, { blues: 0.9, jazz: 0.5 }), unit: 'track', trackLevel: null, folds: 5, seconds: 1.5, labels: [], foldAccuracy: [], backend: 'wasm', warnings: [] });
    const c = compareRuns(a, b);
    const row = (k: string) => c.rows.find((r) => r.key === k)!;
    expect(row('accuracy').delta).toBeCloseTo(0.3, 12);
    expect(row('trackAccuracy')).toMatchObject({ a: 0.75, b: 0.8 });
    expect(row('trackAccuracy').delta).toBeCloseTo(0.05, 12);
    expect(row('folds').delta).toBe(2);
    expect(row('seconds').delta).toBe(-0.5);
    expect(c.classes).toEqual([
      { label: 'blues', a: 0.7, b: 0.9, delta: expect.closeTo(0.2, 12) },
      { label: 'jazz', a: null, b: 0.5, delta: null },
      { label: 'rock', a: 0.8, b: null, delta: null },
    ]);
    expect(formatDelta(0.032, 'pct')).toBe('+3.2 pp');
    expect(formatDelta(-0.0412, 'score')).toBe('\u22120.041');
    expect(formatDelta(0.0001, 'pct')).toBe('±0.0 pp');
    expect(formatDelta(-0.5, 'seconds')).toBe('\u22120.5 s');
    expect(deltaTone(-0.5, false)).toBe('better');
    expect(deltaTone(0.05, true)).toBe('better');
    expect(deltaTone(0, true)).toBe('same');
    expect(deltaTone(2, null)).toBe('same');
  });

  it('compares mistake severity (lower is better) when the runs share a genre embedding, and says when they do not', () => {
    const emb = { id: 4, name: 'spotify poincaré', model: 'poincare', dim: 10, nodes: 100 };
    const hyper = (sev: number, track: number | null, e = emb) => ({ embedding: e, mistakeSeverity: sev, trackMistakeSeverity: track }) as unknown as LossReport;
    const m = (h?: LossReport) => ({ ...report(0.7, { blues: 0.7 }), unit: 'segment', trackLevel: null, folds: 1, seconds: 1, labels: [], foldAccuracy: [], backend: 'wasm', warnings: [], hyperbolic: h }) as RunMetrics;
    const c = compareRuns(run(1, m(hyper(6.8, 6.5))), run(2, m(hyper(6.7, 6.6))));
    const row = (k: string) => c.rows.find((r) => r.key === k);
    expect(row('mistakeSeverity')).toMatchObject({ a: 6.8, b: 6.7, higherIsBetter: false, label: 'Mistake severity (own unit)' });
    expect(row('mistakeSeverity')!.delta).toBeCloseTo(-0.1, 12);
    expect(deltaTone(row('mistakeSeverity')!.delta, false)).toBe('better');
    expect(row('trackMistakeSeverity')!.delta).toBeCloseTo(0.1, 12);
    // different embeddings: shown, not coloured
    const d = compareRuns(run(1, m(hyper(6.8, null))), run(2, m(hyper(3.1, null, { ...emb, id: 5, name: 'last.fm' }))));
    expect(d.rows.find((r) => r.key === 'mistakeSeverity')).toMatchObject({ higherIsBetter: null, label: 'Mistake severity (own unit) — different embeddings' });
    expect(d.rows.some((r) => r.key === 'trackMistakeSeverity')).toBe(false);
    // one run without an embedding: its side is empty
    const e = compareRuns(run(1, m()), run(2, m(hyper(6.7, null))));
    expect(e.rows.find((r) => r.key === 'mistakeSeverity')).toMatchObject({ a: null, b: 6.7, delta: null });
    // neither: no row
    expect(compareRuns(run(1, m()), run(2, m())).rows.some((r) => r.key === 'mistakeSeverity')).toBe(false);
  });

  it('decodes exported files to bytes (base64 PNG, UTF-8 text)', () => {
    expect([...exportedBytes({ filename: 'a.png', mime: 'image/png', encoding: 'base64', data: 'iVBORw0KGgo=' })]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect([...exportedBytes({ filename: 'a.csv', mime: 'text/csv', encoding: 'utf8', data: 'é,1' })]).toEqual([0xc3, 0xa9, 0x2c, 0x31]);
  });
});
