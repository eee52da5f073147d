// Hyperbolic engine: genre co-occurrence graphs, Poincaré / Euclidean embeddings, evaluation,
// parent retrieval, Ward dendrograms and a hyperbolic-distance-aware loss. Pure: typed arrays in and out.
export * from './cooccurrence';
export * from './graph';
export * from './math';
export * from './poincare';
export * from './evaluate';
export * from './parents';
export * from './ward';
export * from './loss';
export * from './pipeline';
export * from './labelmap';
export * from './training-loss';
