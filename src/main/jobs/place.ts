// Out-of-domain placement, run in a worker: new points into a stored map. PCA projects them onto the
// map's own components (recomputed from its points' source vectors and checked against the stored
// coordinates); UMAP uses umap-js's transform against the stored layout; t-SNE (which has no
// transform) puts each at the distance-weighted mean of its k nearest map points in the source space.
import { UMAP } from 'umap-js';
import type { MapMethod } from '../../shared/types';
import { pca, pcaTransform } from '../engine/latent/pca';
import { knnPlace, nearestLabels } from '../engine/probe/place';
import { mulberry32 } from '../engine/random';

export interface PlacePayload {
  method: MapMethod;
  /** n × d map points in the space the map was made from. */
  X: Float64Array;
  n: number;
  d: number;
  /** n × dims stored map coordinates. */
  Y: Float32Array;
  dims: 2 | 3;
  /** m × d new points, in the same space. */
  Q: Float64Array;
  m: number;
  k: number;
  /** The map's label of each of its n points (for `nearest`). */
  labels: string[];
  neighbours: number;
  minDist: number;
  seed: number;
}

export interface PlaceResult {
  points: Float32Array;
  method: 'pca-projection' | 'umap-transform' | 'knn-mean';
  note: string;
  nearest: string[];
  warnings: string[];
}

export async function placeTask(p: PlacePayload): Promise<PlaceResult> {
  const warnings: string[] = [];
  const knn = knnPlace(p.X, p.n, p.d, p.Y, p.dims, p.Q, p.m, p.k);
  const nearest = nearestLabels(knn, p.m, p.labels);
  const knnNote = `each new track sits at the distance-weighted mean of the map positions of its ${knn.k} nearest map points in the ${p.d}-dimensional source space (t-SNE has no transform for new points)`;
  if (p.method === 'pca') {
    const model = pca(p.X, p.n, p.d, { nComponents: Math.min(p.dims, p.n, p.d) });
    // The recomputed projection must reproduce the stored map (up to float32 storage).
    let worst = 0;
    let spread = 0;
    const k = model.nComponents;
    for (let i = 0; i < p.n; i++) {
      for (let c = 0; c < k; c++) {
        worst = Math.max(worst, Math.abs(model.scores[i * k + c]! - p.Y[i * p.dims + c]!));
        spread = Math.max(spread, Math.abs(p.Y[i * p.dims + c]!));
      }
    }
    if (worst <= 1e-3 * Math.max(spread, 1e-12)) {
      const S = pcaTransform(model, p.Q, p.m);
      const points = new Float32Array(p.m * p.dims);
      for (let i = 0; i < p.m; i++) for (let c = 0; c < k; c++) points[i * p.dims + c] = S[i * k + c]!;
      return { points, method: 'pca-projection', note: `projected onto the map's ${k} principal axes (exact: PCA is linear)`, nearest, warnings };
    }
    warnings.push(`the map's principal axes could not be recomputed from its points (largest difference ${worst.toPrecision(3)}): placed by nearest neighbours instead`);
  } else if (p.method === 'umap') {
    const neighbours = Math.max(2, Math.min(p.neighbours, p.n - 1));
    if (p.n > neighbours + 1) {
      try {
        const rows = Array.from({ length: p.n }, (_, i) => Array.from(p.X.subarray(i * p.d, (i + 1) * p.d)));
        const u = new UMAP({ nComponents: p.dims, nNeighbors: neighbours, minDist: p.minDist, random: mulberry32(p.seed ^ 0x0d0d) });
        u.initializeFit(rows);
        // transform() optimises the new points against the fitted graph and `embedding`: the stored layout.
        (u as unknown as { embedding: number[][] }).embedding = Array.from({ length: p.n }, (_, i) => Array.from(p.Y.subarray(i * p.dims, (i + 1) * p.dims)));
        const queries = Array.from({ length: p.m }, (_, i) => Array.from(p.Q.subarray(i * p.d, (i + 1) * p.d)));
        const out = u.transform(queries);
        const points = Float32Array.from(out.flat());
        if (points.length === p.m * p.dims && points.every((v) => Number.isFinite(v))) {
          return { points, method: 'umap-transform', note: "placed by umap-js's transform against the stored layout (its neighbour graph rebuilt from the map's points)", nearest, warnings };
        }
        warnings.push('UMAP transform gave non-finite coordinates: placed by nearest neighbours instead');
      } catch (err) {
        warnings.push(`UMAP transform failed (${(err as Error).message}): placed by nearest neighbours instead`);
      }
    } else warnings.push(`the map has too few points for UMAP's transform: placed by nearest neighbours instead`);
  }
  return { points: Float32Array.from(knn.points), method: 'knn-mean', note: knnNote, nearest, warnings };
}
