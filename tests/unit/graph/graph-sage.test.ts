import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { createRegistry } from '../../../src/main/engine/ml/registry';
import type { Matrix } from '../../../src/main/engine/ml/types';
import { aggregate, aggregator, GraphSageClassifier, sageLayer } from '../../../src/main/engine/graph/graphsage';
import { connect, knnGraph, meanAggregate, type GraphMetric, type KnnGraph } from '../../../src/main/engine/graph/knn-graph';
import { crossEntropyGradient, groupLasso, selectFeatures } from '../../../src/main/engine/graph/select';
import { GRAPHSAGE_SPEC } from '../../../src/main/engine/hierarchy/specs';
import { mulberry32, normal } from '../../../src/main/engine/random';

// scikit-learn 1.2.1 NearestNeighbors (brute) for four metrics, written by tests/fixtures/hierarchy/make_knn.py.
const KNN = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hierarchy/knn.json'), 'utf8')) as {
  X: number[]; n: number; d: number; k: number; cases: Record<GraphMetric, { idx: number[][]; dist: number[][] }>;
};

let tmp: string;
beforeAll(async () => {
  await initBackend();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'genrelab-graph-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// Hand-made graph: 4 nodes, 2 neighbours each, equal weights ½.
//   0 → {1, 2}, 1 → {0, 2}, 2 → {3, 0}, 3 → {2, 1};  H = [[1,0],[0,2],[3,3],[-1,1]]
const hand: KnnGraph = { n: 4, k: 2, neighbours: Int32Array.of(1, 2, 0, 2, 3, 0, 2, 1), distances: new Float64Array(8), weights: new Float32Array(8).fill(0.5) };
const H = [1, 0, 0, 2, 3, 3, -1, 1];
// Hand-computed means: (H1+H2)/2, (H0+H2)/2, (H3+H0)/2, (H2+H1)/2.
const MEANS = [1.5, 2.5, 2, 1.5, 0, 0.5, 1.5, 2.5];

describe('mean aggregation and the GraphSAGE layer on a hand-made graph', () => {
  it('plain, dense-matrix and gather aggregators give the hand-computed means exactly', () => {
    expect(Array.from(meanAggregate(hand, H, 2))).toEqual(MEANS);
    const Ht = tf.tensor2d(H, [4, 2]);
    const dense = aggregator(hand, 4);
    expect('dense' in dense).toBe(true);
    expect(Array.from(aggregate(dense, Ht).dataSync())).toEqual(MEANS);
    const gather = { idx: tf.tensor1d(hand.neighbours, 'int32'), w: tf.tensor3d(hand.weights, [4, 2, 1]), m: 4, k: 2 };
    expect(Array.from(aggregate(gather, Ht).dataSync())).toEqual(MEANS);
  });

  it('one layer: ReLU([h ‖ mean] W + b) with W = [[1,0],[0,1],[1,0],[0,-1]], b = [0, 0.5]', () => {
    // Output per node: [h0 + m0, h1 − m1 + 0.5] then ReLU:
    // node 0: [1+1.5, 0−2.5+0.5] = [2.5, 0];  node 1: [0+2, 2−1.5+0.5] = [2, 1]
    // node 2: [3+0, 3−0.5+0.5] = [3, 3];      node 3: [−1+1.5, 1−2.5+0.5] = [0.5, 0]
    const Ht = tf.tensor2d(H, [4, 2]);
    const out = sageLayer(Ht, aggregate(aggregator(hand, 4), Ht), tf.tensor2d([1, 0, 0, 1, 1, 0, 0, -1], [4, 2]), tf.tensor1d([0, 0.5]));
    expect(Array.from(out.dataSync())).toEqual([2.5, 0, 2, 1, 3, 3, 0.5, 0]);
  });
});

describe('kNN graph vs scikit-learn NearestNeighbors', () => {
  for (const metric of ['euclidean', 'cosine', 'manhattan', 'jaccard'] as const) {
    it(`${metric}: same neighbour distances (1e-9), same neighbours where distances do not tie`, () => {
      const { graph } = knnGraph(KNN.X, KNN.n, KNN.d, KNN.k, metric);
      const ref = KNN.cases[metric];
      for (let i = 0; i < KNN.n; i++) {
        const ours = Array.from(graph.distances.subarray(i * KNN.k, (i + 1) * KNN.k));
        ours.forEach((v, j) => expect(Math.abs(v - ref.dist[i]![j]!)).toBeLessThan(1e-9));
        const ties = new Set(ref.dist[i]!).size < KNN.k;
        if (!ties && metric !== 'jaccard') expect(Array.from(graph.neighbours.subarray(i * KNN.k, (i + 1) * KNN.k))).toEqual(ref.idx[i]);
      }
      for (let r = 0; r < KNN.n; r++) {
        let s = 0;
        for (let j = 0; j < KNN.k; j++) s += graph.weights[r * KNN.k + j]!;
        expect(Math.abs(s - 1)).toBeLessThan(1e-6);
      }
    });
  }

  it('connect: a copy of a training row finds that row at distance 0 first; the graph is not changed', () => {
    const { graph, space } = knnGraph(KNN.X, KNN.n, KNN.d, 3, 'euclidean', 'inverse');
    const before = Int32Array.from(graph.neighbours);
    const q = connect(space, KNN.X, KNN.n, KNN.X.slice(5 * 3, 6 * 3), 1, 3, 3);
    expect(q.neighbours[0]).toBe(5);
    expect(q.distances[0]).toBe(0);
    expect(graph.neighbours).toEqual(before);
  });
});

/** Three Gaussian classes in 6-D, the first two features informative, feature 2 a near copy of feature 0. */
function blobs(rows: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = mulberry32(seed);
  const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
  const X = new Float32Array(rows * 6);
  for (let r = 0; r < rows; r++) {
    const a = [0, 3, -3][y[r]!]! + normal(rng);
    const b = [0, 2, 2][y[r]!]! * (y[r] === 2 ? -1 : 1) + normal(rng);
    X.set([a, b, a + 0.05 * normal(rng), normal(rng), normal(rng), normal(rng)], r * 6);
  }
  return { X: { data: X, rows, cols: 6 }, y };
}

describe('group-lasso feature selection', () => {
  const { X, y } = blobs(300, 2);
  const Xs = Float64Array.from(X.data);

  it('KKT conditions of the group lasso hold at the solution (zero groups: ‖∇_j‖ ≤ λ; others: ∇_j = −λ W_j/‖W_j‖)', () => {
    const lambda = 0.05;
    const fit = groupLasso(Xs, 300, 6, y, 3, lambda, undefined, 5000, 1e-10);
    const { gW, gb } = crossEntropyGradient(Xs, 300, 6, y, 3, fit.W, fit.b);
    for (const g of gb) expect(Math.abs(g)).toBeLessThan(1e-5);
    let zero = 0;
    for (let j = 0; j < 6; j++) {
      const w = Array.from(fit.W.subarray(j * 3, j * 3 + 3));
      const g = Array.from(gW.subarray(j * 3, j * 3 + 3));
      const nw = Math.hypot(...w);
      if (nw === 0) {
        zero++;
        expect(Math.hypot(...g)).toBeLessThanOrEqual(lambda * (1 + 1e-4));
      } else for (let c = 0; c < 3; c++) expect(Math.abs(g[c]! + (lambda * w[c]!) / nw)).toBeLessThan(1e-5);
    }
    expect(zero).toBeGreaterThan(0);
  });

  it('keeps one of the correlated pair (0, 2) and the other informative feature, in path order', () => {
    const sel = selectFeatures(Xs, 300, 6, y, 3, { corrThreshold: 0.9, maxFeatures: 2 });
    expect(sel.kept).toHaveLength(2);
    expect(sel.kept).toContain(1);
    expect(sel.kept.filter((j) => j === 0 || j === 2)).toHaveLength(1);
    const rep = sel.kept.find((j) => j !== 1)!;
    expect(sel.representedBy[0]).toBe(rep);
    expect(sel.representedBy[2]).toBe(rep);
    // λ decreases along the path and the first feature to enter is an informative one.
    for (let i = 1; i < sel.path.lambdas.length; i++) expect(sel.path.lambdas[i]!).toBeLessThan(sel.path.lambdas[i - 1]!);
    expect([0, 1, 2]).toContain(sel.kept[0]);
  });
});

describe('GraphSAGE classifier', () => {
  it('learns separable classes, classifies new rows inductively (each alone = in a batch), saves and loads', async () => {
    const train = blobs(240, 7);
    const test = blobs(60, 8);
    const reg = createRegistry();
    reg.register(GRAPHSAGE_SPEC);
    const clf = reg.create('graphsage', { k: 5, hidden: [16], maxEpochs: 150, learningRate: 0.02, dropout: 0.1, selectFeatures: 3 }) as GraphSageClassifier;
    const info = await clf.fit(train.X, train.y, { seed: 1, labels: ['a', 'b', 'c'], columns: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] });
    expect(info.epochs).toBeGreaterThan(0);
    expect(clf.keptFeatures!.length).toBeGreaterThan(0);
    expect(clf.keptFeatures!.length).toBeLessThanOrEqual(3);
    expect(clf.describe()).toMatch(/kept/);
    const P = clf.predictProba(test.X);
    let ok = 0;
    for (let r = 0; r < 60; r++) {
      const row = Array.from(P.subarray(r * 3, r * 3 + 3));
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      if (row.indexOf(Math.max(...row)) === test.y[r]) ok++;
    }
    expect(ok / 60).toBeGreaterThan(0.8);
    // Inductive: a new row's prediction does not depend on the other new rows.
    const one = clf.predictProba({ data: test.X.data.slice(6 * 7, 6 * 8), rows: 1, cols: 6 });
    Array.from(one).forEach((v, c) => expect(Math.abs(v - P[7 * 3 + c]!)).toBeLessThan(1e-6));
    await clf.save(path.join(tmp, 'gs'));
    const back = await reg.load(path.join(tmp, 'gs'));
    Array.from(back.predictProba(test.X)).forEach((v, i) => expect(Math.abs(v - P[i]!)).toBeLessThan(1e-6));
    back.dispose();
    clf.dispose();
  });
});
