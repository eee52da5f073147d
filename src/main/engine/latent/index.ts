// Latent-space engine: t-SNE (exact and Barnes–Hut), PCA, clustering (k-means, Gaussian
// mixtures), clustering indices, Hungarian matching and embedding quality. Pure functions and
// step-wise optimisers over row-major Float64Arrays (n × d with explicit n and d).

export { TSNE, estimateTsneMemory, type TSNEOptions } from './tsne';
export { pca, pcaTransform, type PCAModel, type PCAOptions, type PCAResult } from './pca';
export { kmeans, kmeansPlusPlus, type KMeansOptions, type KMeansResult } from './kmeans';
export { gaussianMixture, type CovarianceType, type GMMOptions, type GMMResult } from './gmm';
export {
  calinskiHarabasz,
  daviesBouldin,
  encodeLabels,
  type LabelValue,
  pairwiseDistances,
  silhouetteSamples,
  silhouetteScore,
} from './indices';
export { clusteringAccuracy, linearSumAssignment, type Assignment, type MatchedAccuracy } from './hungarian';
export { neighborhoodPreservation, trustworthiness } from './quality';
export { knnExact, type KnnResult } from './knn';
export { conditionalP, symmetrize, type SparseP } from './affinity';
export { BHTree } from './bhtree';
export { choleskyInPlace, columnMeans, standardize, symmetricEigen, type SymmetricEigen } from './linalg';
export {
  clusterSweep,
  stat,
  type ClusterMethod,
  type Stat,
  type SweepBest,
  type SweepCell,
  type SweepOptions,
  type SweepResult,
} from './sweep';
export { featureMatrix, type FeatureMatrix } from './table';
