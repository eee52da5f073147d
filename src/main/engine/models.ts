// The model registry with every classifier Genrelab has: the ML engine's built-in models (dense,
// kNN, tree, ensemble) plus the hierarchical and graph models (StackNet, tier GRU, per-node,
// GraphSAGE). Import the registry from here so that every process (main, CLI, workers) sees them all.
import { HIERARCHY_SPECS } from './hierarchy/specs';
import { registry } from './ml/registry';
import { CNN_SPEC } from './cnn/model';

for (const spec of HIERARCHY_SPECS) if (!registry.has(spec.name)) registry.register(spec);
if (!registry.has(CNN_SPEC.name)) registry.register(CNN_SPEC);

export { registry };
