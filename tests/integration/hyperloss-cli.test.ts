// `genrelab train --loss hyperbolic --embedding ...` as a user runs it, on a small table and a small
// embedding written here: metrics.json's loss fields checked against distances computed in the test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poincare2 as dist, tinyTable, TINY_GENRES as names, TINY_VECTORS as vectors } from '../helpers/hyperloss-fixture';
import { repoRoot } from '../helpers/shared';

let dir: string;
const bin = join(repoRoot, 'bin', 'genrelab.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, GENRELAB_DATA_DIR: join(dir, 'data') }, timeout: 300_000 });

// The table's labels are HipHop, Rock, Jazz (Jazz mapped to bebop by the label map).
// Class order is the sorted labels: HipHop, Jazz, Rock → hip hop, bebop, rock.
const genreOf = [0, 4, 1];
const D = genreOf.map((a) => genreOf.map((b) => dist(vectors[a]!, vectors[b]!)));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genrelab-hyperloss-cli-'));
  // 3 labels × 30 rows, 4 noisy features with the class in one of them.
  writeFileSync(join(dir, 'table.csv'), tinyTable(['HipHop', 'Rock', 'Jazz'], 30, 0.9, 7));
  writeFileSync(join(dir, 'emb.json'), JSON.stringify({ model: 'poincare', dim: 2, names, vectors }));
  writeFileSync(join(dir, 'emb.tsv'), names.map((n, i) => [n, ...vectors[i]!.map(String)].join('\t')).join('\n') + '\n');
  writeFileSync(join(dir, 'map.csv'), 'label,genre\nJazz,bebop\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PARAMS = '{"hidden":[8],"maxEpochs":15}';

describe('genrelab train --loss hyperbolic', () => {
  it('trains with the weighted loss and a same-fold baseline; metrics.json carries severity, baseline and ΔF1', () => {
    const out = join(dir, 'w');
    const r = run('train', '--features', join(dir, 'table.csv'), '--model', 'dense', '--cv', '3', '--params', PARAMS, '--loss', 'hyperbolic', '--embedding', join(dir, 'emb.json'), '--lambda', '1.5', '--label-map', join(dir, 'map.csv'), '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(printed.mistakeSeverity).toBe(m.mistakeSeverity);
    expect(m.labels).toEqual(['HipHop', 'Jazz', 'Rock']);
    expect(m.loss).toBe('hyperbolic-weighted');
    expect(m.lambda).toBe(1.5);
    expect(m.labelMap).toEqual({ HipHop: 'hip hop', Jazz: 'bebop', Rock: 'rock' });
    // Severity: mean of D[true, predicted] over the off-diagonal counts of the confusion matrix.
    let n = 0;
    let sum = 0;
    m.confusion.forEach((row: number[], t: number) => row.forEach((c, p) => { if (t !== p) { n += c; sum += c * D[t]![p]!; } }));
    expect(n).toBeGreaterThan(0);
    expect(m.mistakeSeverity).toBeCloseTo(sum / n, 10);
    expect(m.baseline).toMatchObject({ source: 'same-job' });
    for (const k of ['accuracy', 'macroF1', 'mistakeSeverity']) expect(Number.isFinite(m.baseline[k])).toBe(true);
    expect(m.deltaF1).toHaveLength(3);
    m.deltaF1.forEach((p: { label: string; deltaF1: number; meanDistance: number }, c: number) => {
      expect(p.label).toBe(m.labels[c]);
      expect(p.meanDistance).toBeCloseTo((D[c]!.reduce((a, b) => a + b, 0) - D[c]![c]!) / 2, 10);
      // ΔF1 = this run's F1 − the baseline's, so the baseline's F1 (this F1 − ΔF1) is a valid F1.
      expect(m.perClass[p.label].f1 - p.deltaF1).toBeGreaterThanOrEqual(0);
      expect(m.perClass[p.label].f1 - p.deltaF1).toBeLessThanOrEqual(1);
    });
    // ... and their mean is the baseline's macro-F1.
    const baseF1 = m.deltaF1.map((p: { label: string; deltaF1: number }) => m.perClass[p.label].f1 - p.deltaF1);
    expect(baseF1.reduce((a: number, b: number) => a + b, 0) / 3).toBeCloseTo(m.baseline.macroF1, 10);
    expect(m.deltaF1Correlation === null || Math.abs(m.deltaF1Correlation) <= 1).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'genrelab-model.json'), 'utf8'));
    expect(manifest.extra.loss.kind).toBe('hyperbolic-weighted');
    expect(manifest.extra.loss.costs[1]).toBeCloseTo(D[0]![1]! / Math.max(...D.flat()), 6);
  });

  it('--hyperbolic-mode expected with a TSV embedding and --no-baseline; the text output reports the mapping', () => {
    const out = join(dir, 'e');
    const r = run('train', '--features', join(dir, 'table.csv'), '--model', 'dense', '--cv', '3', '--params', PARAMS, '--loss', 'hyperbolic', '--hyperbolic-mode', 'expected', '--embedding', join(dir, 'emb.tsv'), '--no-baseline', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/loss: hyperbolic-expected \(λ 1\)/);
    // Without the label map "Jazz" finds "jazz" by name.
    expect(r.stdout).toMatch(/HipHop → hip hop, Jazz → jazz, Rock → rock/);
    expect(r.stdout).toMatch(/mistake severity: \d+\.\d{3} over \d+ mistakes/);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.loss).toBe('hyperbolic-expected');
    expect(m.baseline).toBeUndefined();
    expect(m.deltaF1).toBeUndefined();
  });

  it('an embedding alone attaches severity to a plain run; a plain run says "loss": "ce"', () => {
    const a = run('train', '--features', join(dir, 'table.csv'), '--model', 'knn', '--cv', '3', '--embedding', join(dir, 'emb.json'), '--out', join(dir, 'k'), '--json');
    expect(a.status, a.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'k', 'metrics.json'), 'utf8'));
    expect(m.loss).toBe('ce');
    expect(Number.isFinite(m.mistakeSeverity)).toBe(true);
    const b = run('train', '--features', join(dir, 'table.csv'), '--model', 'knn', '--cv', '3', '--out', join(dir, 'k2'), '--json');
    expect(b.status, b.stderr).toBe(0);
    const m2 = JSON.parse(readFileSync(join(dir, 'k2', 'metrics.json'), 'utf8'));
    expect(m2.loss).toBe('ce');
    expect(m2.mistakeSeverity).toBeUndefined();
  });

  it('--baseline-run compares with a stored run: its figures, severity on this run\'s distances', () => {
    const base = run('train', '--features', join(dir, 'table.csv'), '--model', 'dense', '--cv', '3', '--params', PARAMS, '--out', join(dir, 'b0'));
    expect(base.status, base.stderr).toBe(0);
    const id = Number(/\(run #(\d+)\)/.exec(base.stdout)![1]);
    const b0 = JSON.parse(readFileSync(join(dir, 'b0', 'metrics.json'), 'utf8'));
    const r = run('train', '--features', join(dir, 'table.csv'), '--model', 'dense', '--cv', '3', '--params', PARAMS, '--loss', 'hyperbolic', '--distance-norm', 'range', '--embedding', join(dir, 'emb.json'), '--label-map', join(dir, 'map.csv'), '--baseline-run', String(id), '--out', join(dir, 'b1'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'b1', 'metrics.json'), 'utf8'));
    expect(m.distanceNorm).toBe('range');
    expect(m.baseline).toMatchObject({ source: 'run', runId: id, accuracy: b0.accuracy, macroF1: b0.macroF1 });
    let n = 0;
    let sum = 0;
    b0.confusion.forEach((row: number[], t: number) => row.forEach((c, p) => { if (t !== p) { n += c; sum += c * D[t]![p]!; } }));
    expect(m.baseline.mistakeSeverity).toBeCloseTo(sum / n, 10);
    // ΔF1 is this run's F1 minus the stored run's, class by class.
    m.deltaF1.forEach((p: { label: string; deltaF1: number }) => expect(p.deltaF1).toBeCloseTo(m.perClass[p.label].f1 - b0.perClass[p.label].f1, 12));
  });

  it('says what is wrong: no embedding, a model without cross-entropy, a bad label map', () => {
    const t = ['train', '--features', join(dir, 'table.csv'), '--cv', '3', '--out', join(dir, 'x')];
    const a = run(...t, '--model', 'dense', '--loss', 'hyperbolic');
    expect(a.status).not.toBe(0);
    expect(a.stderr).toMatch(/needs --embedding/);
    const b = run(...t, '--model', 'knn', '--loss', 'hyperbolic', '--embedding', join(dir, 'emb.json'));
    expect(b.status).not.toBe(0);
    expect(b.stderr).toMatch(/cross-entropy/);
    writeFileSync(join(dir, 'bad.csv'), 'Jazz,bebop,extra\n');
    const c = run(...t, '--model', 'dense', '--loss', 'hyperbolic', '--embedding', join(dir, 'emb.json'), '--label-map', join(dir, 'bad.csv'));
    expect(c.status).not.toBe(0);
    expect(c.stderr).toMatch(/label map line 1/);
  });
});
