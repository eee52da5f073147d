// Model specs of the hierarchical and graph classifiers, for the model registry (the lead registers
// them: `for (const s of HIERARCHY_SPECS) registry.register(s)`).
import type { ModelSpec } from '../ml/registry';
import { GRAPHSAGE_LABEL, GRAPHSAGE_PARAMS, GraphSageClassifier } from '../graph/graphsage';
import { PERNODE_LABEL, PERNODE_PARAMS, PerNodeClassifier } from './pernode';
import { STACKNET_LABEL, STACKNET_PARAMS, StackNetClassifier } from './stacknet';
import { TIERGRU_LABEL, TIERGRU_PARAMS, TierGruClassifier } from './tiergru';

export const STACKNET_SPEC: ModelSpec = {
  name: 'stacknet',
  label: STACKNET_LABEL,
  description: 'Genre tree from the training genres (agglomerative clustering of their mean standardised features), cut into tiers; one dense net per tier, coarse to fine, each fed the features plus the previous tiers\' predicted distributions; the last tier is the genres.',
  params: STACKNET_PARAMS,
  usesTensors: true,
  create: (p) => new StackNetClassifier(p),
  load: (dir, m) => StackNetClassifier.load(dir, m),
};

export const TIERGRU_SPEC: ModelSpec = {
  name: 'tier-gru',
  label: TIERGRU_LABEL,
  description: 'Bidirectional GRU with one time step per tier of the genre tree; each step predicts the child of its parent cluster (labels relative to the parent, as wide as the largest branching factor); P(genre) is the product along its path.',
  params: TIERGRU_PARAMS,
  usesTensors: true,
  create: (p) => new TierGruClassifier(p),
  load: (dir, m) => TierGruClassifier.load(dir, m),
};

export const PERNODE_SPEC: ModelSpec = {
  name: 'per-node',
  label: PERNODE_LABEL,
  description: 'Super-genres found by clustering (UMAP to 2-D + HDBSCAN over tracks, or a cut of the genre tree); one binary classifier per super-genre and per genre within its super-genre; P(genre) = P(super) × P(genre | super). structure = flat gives the one-vs-rest baseline.',
  params: PERNODE_PARAMS,
  usesTensors: false,
  create: (p) => new PerNodeClassifier(p),
  load: (dir, m) => PerNodeClassifier.load(dir, m),
};

export const GRAPHSAGE_SPEC: ModelSpec = {
  name: 'graphsage',
  label: GRAPHSAGE_LABEL,
  description: 'GraphSAGE with the mean aggregator over a k-nearest-neighbour graph of the training tracks (Euclidean, cosine, Manhattan or Jaccard), optional group-lasso feature selection or PCA first; new tracks join their k nearest training tracks, without retraining.',
  params: GRAPHSAGE_PARAMS,
  usesTensors: true,
  create: (p) => new GraphSageClassifier(p),
  load: (dir, m) => GraphSageClassifier.load(dir, m),
};

/** All four, in the order a model list should show them. */
export const HIERARCHY_SPECS: readonly ModelSpec[] = [STACKNET_SPEC, TIERGRU_SPEC, PERNODE_SPEC, GRAPHSAGE_SPEC];
