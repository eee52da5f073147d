// The latent engine on the real GTZAN feature tables (../shared/data; skipped when absent).
// Reference figures: ../shared/REFERENCE.md (scikit-learn 1.2.1 TSNE, perplexity 30, PCA init,
// 1,000 iterations, standardised features: trustworthiness@10 = 0.974 on features_30_sec.csv).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/main/engine/random';
import { clusteringAccuracy } from '../../../src/main/engine/latent/hungarian';
import { kmeans } from '../../../src/main/engine/latent/kmeans';
import { standardize } from '../../../src/main/engine/latent/linalg';
import { pca } from '../../../src/main/engine/latent/pca';
import { trustworthiness } from '../../../src/main/engine/latent/quality';
import { TSNE } from '../../../src/main/engine/latent/tsne';
import { loadGtzanTable, sharedData } from './latent-helpers';

const data = sharedData();
if (!data) console.warn('latent-gtzan: ../shared/data is absent; skipping the real-data tests');

describe.skipIf(!data)('latent engine on features_30_sec.csv', () => {
  const table = data ? loadGtzanTable(path.join(data, 'gtzan-features/features_30_sec.csv')) : null;

  it('3-D Barnes–Hut t-SNE: trustworthiness@10 within 0.01 of scikit-learn\'s 0.974', () => {
    const { X, n, d } = table!;
    expect([n, d]).toEqual([1000, 57]);
    const Xs = standardize(X, n, d);
    const t = new TSNE({ dim: 3, perplexity: 30, method: 'barnes-hut' }).init(Xs, n, d);
    const Y = t.run();
    expect(t.warnings).toEqual([]);
    expect(trustworthiness(Xs, n, d, Y, 3, 10)).toBeGreaterThan(0.974 - 0.01);
  });

  it('PCA explains most variance in few axes and k-means recovers genres far above chance', () => {
    const { X, n, d, labels } = table!;
    const Xs = standardize(X, n, d);
    const p = pca(Xs, n, d, { nComponents: 10 });
    for (let c = 1; c < 10; c++) expect(p.explainedVarianceRatio[c]).toBeLessThanOrEqual(p.explainedVarianceRatio[c - 1]);
    expect(p.explainedVarianceRatio.reduce((s, v) => s + v, 0)).toBeGreaterThan(0.6);
    const km = kmeans(Xs, n, d, 10, { rng: mulberry32(0) });
    const acc = clusteringAccuracy(labels, km.labels);
    expect(acc.mapping.length).toBe(10);
    expect(acc.accuracy).toBeGreaterThan(0.3); // chance is 0.1 for 10 balanced genres
  });
});
