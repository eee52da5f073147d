// The model registry with every classifier Genrelab has: the ML engine's built-in models (dense,
// kNN, tree, ensemble) plus the hierarchical and graph models (StackNet, tier GRU, per-node,
// GraphSAGE). Import the registry from here so that every process (main, CLI, workers) sees them all.
import { HIERARCHY_SPECS } from './hierarchy/specs';
import { registry } from './ml/registry';

for (const spec of HIERARCHY_SPECS) if (!registry.has(spec.name)) registry.register(spec);

export { registry };
