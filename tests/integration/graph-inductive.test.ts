// Inductive GraphSAGE from the command line: `genrelab train --model graphsage` on real GTZAN rows
// (three genres of the 30-second table), then `genrelab predict --model <dir>/model table.csv`:
// the saved model keeps its training graph; predicting the training table connects each row to its
// k nearest training tracks and agrees with the model's own in-graph predictions; a new row gets its
// neighbours from the training graph, which is left as it was.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/engine/features/csv';
import type { GraphSageClassifier } from '../../src/main/engine/graph/graphsage';
import { initBackend } from '../../src/main/engine/ml/backend';
import { registry } from '../../src/main/engine/models';
import { repoRoot, sharedPath } from '../helpers/shared';

const table = sharedPath('gtzan-features/features_30_sec.csv', 'GraphSAGE inductive prediction');
const GENRES = ['classical', 'jazz', 'rock'];
let dir = '';
const bin = join(repoRoot, 'bin', 'genrelab.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, GENRELAB_DATA_DIR: join(dir, 'data') }, timeout: 600_000 });

beforeAll(() => {
  if (!table) return;
  dir = mkdtempSync(join(tmpdir(), 'genrelab-sage-'));
  const rows = parseCsv(readFileSync(table, 'utf8')).filter((r) => r.length > 1);
  const li = rows[0]!.indexOf('label');
  const keep = rows.slice(1).filter((r) => GENRES.includes(r[li]!));
  writeFileSync(join(dir, 'three.csv'), [rows[0]!, ...keep].map((r) => r.join(',')).join('\n') + '\n');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!table)('GraphSAGE: inductive prediction with the saved training graph', () => {
  it('train, then predict the training table and new rows from the saved model', async () => {
    const out = join(dir, 'sage');
    // No validation slice: every training row is a node of the graph, in table order.
    const r = run('train', '--features', join(dir, 'three.csv'), '--model', 'graphsage', '--k-neighbours', '5', '--params', '{"validationFraction":0,"maxEpochs":120}', '--cv', '3', '--db', join(dir, 'g.sqlite'), '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect((metrics.confusion as number[][]).flat().reduce((s, v) => s + v, 0)).toBe(300);
    const p = run('predict', '--model', join(out, 'model'), join(dir, 'three.csv'), '--out', join(dir, 'pred.csv'), '--json');
    expect(p.status, p.stderr).toBe(0);
    const pred = parseCsv(readFileSync(join(dir, 'pred.csv'), 'utf8')).filter((x) => x.length > 1);
    const labels = pred[0]!.slice(4);
    expect(labels).toEqual(GENRES);
    const body = pred.slice(1);
    expect(body).toHaveLength(300);

    // The saved model: its graph has every training row as a node, k = 5 neighbours each.
    await initBackend();
    const model = (await registry.load(join(out, 'model'))) as GraphSageClassifier;
    const g = model.trainingGraph!;
    expect(g.n).toBe(300);
    expect(g.k).toBe(5);
    for (let i = 0; i < g.n; i++) for (let j = 0; j < g.k; j++) expect(g.neighbours[i * g.k + j]).not.toBe(i);

    // predict (each row joins its 5 nearest training rows, itself at distance 0 among them) against
    // the in-graph predictions (its 5 nearest other rows, as in training): the same genre for ≥ 95 % of rows.
    const inGraph = model.trainingProba();
    const argmax = (a: ArrayLike<number>, o: number) => [0, 1, 2].reduce((b, c) => (a[o + c]! > a[o + b]! ? c : b), 0);
    const names = body.map((x) => x[0]!);
    const tableRows = parseCsv(readFileSync(join(dir, 'three.csv'), 'utf8')).filter((x) => x.length > 1).slice(1);
    const order = tableRows.map((x) => names.indexOf(x[0]!));
    let agree = 0;
    let right = 0;
    order.forEach((pi, ti) => {
      const probs = body[pi]!.slice(4).map(Number);
      const predicted = argmax(probs, 0);
      if (predicted === argmax(inGraph, ti * 3)) agree++;
      if (labels[predicted] === body[pi]![1]) right++;
    });
    expect(agree / 300).toBeGreaterThanOrEqual(0.95);
    // Training rows are predicted at least as well as the out-of-fold predictions of the same model kind.
    expect(right / 300).toBeGreaterThanOrEqual(metrics.accuracy);

    // The CLI's probabilities are the loaded model's (same code path, to float32 rounding of the CSV).
    const cols = tableRows[0]!.length - 3;
    const X = Float32Array.from(tableRows.flatMap((x) => x.slice(2, 2 + cols).map(Number)));
    const P = model.predictProba({ data: X, rows: 300, cols });
    order.forEach((pi, ti) => body[pi]!.slice(4).forEach((v, c) => expect(Math.abs(Number(v) - P[ti * 3 + c]!)).toBeLessThan(2e-6)));

    // A new row: training row 17 nudged by 1e-4 of each value finds row 17 first; every neighbour is a training row.
    const nudged = Float32Array.from(X.subarray(17 * cols, 18 * cols), (v) => v * (1 + 1e-4));
    const before = Int32Array.from(g.neighbours);
    const q = model.neighbours({ data: nudged, rows: 1, cols });
    expect(q.k).toBe(5);
    expect(q.neighbours[0]).toBe(17);
    for (const j of q.neighbours) expect(j >= 0 && j < 300).toBe(true);
    expect(Array.from(model.trainingGraph!.neighbours)).toEqual(Array.from(before));
    const pNew = model.predictProba({ data: nudged, rows: 1, cols });
    expect(argmax(pNew, 0)).toBe(argmax(P, 17 * 3));
    model.dispose();
  });
});
