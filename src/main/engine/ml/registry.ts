// One registry for every classifier, so later models (hierarchical, graph, hyperbolic loss, CNN)
// slot in without changes to services or UI: a name, a label, a parameter schema with defaults,
// create(params), and load(dir) from a saved model folder.
import { AppError } from '../../../shared/errors';
import { DENSE_LABEL, DENSE_PARAMS, DenseClassifier } from './dense';
import { ENSEMBLE_LABEL, ENSEMBLE_PARAMS, EnsembleClassifier, type ModelFactory } from './ensemble';
import { KERNEL_LABEL, KERNEL_PARAMS, KernelRidgeClassifier } from './kernel';
import { KNN_LABEL, KNN_PARAMS, KnnClassifier } from './knn';
import { readManifest, resolveParams, type ModelManifest, type ParamSpec, type Params } from './manifest';
import { TREE_LABEL, TREE_PARAMS, TreeClassifier } from './tree';
import type { Classifier } from './types';

export interface ModelSpec {
  name: string;
  label: string;
  description: string;
  params: readonly ParamSpec[];
  /** Whether the model trains with tfjs (and so depends on initBackend). */
  usesTensors: boolean;
  create(params?: Params): Classifier;
  load(dir: string, manifest: ModelManifest): Promise<Classifier>;
}

export class ModelRegistry implements ModelFactory {
  private readonly specs = new Map<string, ModelSpec>();

  register(spec: ModelSpec): void {
    if (this.specs.has(spec.name)) throw new Error(`model "${spec.name}" is already registered`);
    this.specs.set(spec.name, spec);
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  get(name: string): ModelSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new AppError('not-found', `unknown model "${name}" (known: ${[...this.specs.keys()].join(', ')})`);
    return spec;
  }

  list(): ModelSpec[] {
    return [...this.specs.values()];
  }

  /** Default parameters of a model, filled from its schema. */
  defaults(name: string): Params {
    const spec = this.get(name);
    return resolveParams(name, spec.params, {});
  }

  create(name: string, params?: Params): Classifier {
    return this.get(name).create(params);
  }

  label(name: string): string {
    return this.get(name).label;
  }

  /** Loads a saved model folder (any registered kind) by its genrelab-model.json manifest. */
  async load(dir: string): Promise<Classifier> {
    const manifest = await readManifest(dir);
    return this.get(manifest.kind).load(dir, manifest);
  }
}

/** The registry with the built-in models: dense, knn, tree, kernel, ensemble. */
export function createRegistry(): ModelRegistry {
  const r = new ModelRegistry();
  r.register({
    name: 'dense',
    label: DENSE_LABEL,
    description: 'Fully connected network (3 × 256 ReLU, 10 % dropout, softmax by default) on standardised features, Adam, early stopping on a validation slice.',
    params: DENSE_PARAMS,
    usesTensors: true,
    create: (p) => new DenseClassifier(p),
    load: (dir, m) => DenseClassifier.load(dir, m),
  });
  r.register({
    name: 'knn',
    label: KNN_LABEL,
    description: 'Majority (or distance-weighted) vote of the k nearest training rows, Euclidean distance on standardised features.',
    params: KNN_PARAMS,
    usesTensors: false,
    create: (p) => new KnnClassifier(p),
    load: (dir, m) => KnnClassifier.load(dir, m),
  });
  r.register({
    name: 'tree',
    label: TREE_LABEL,
    description: 'Binary decision tree grown by Gini impurity, limited in depth and leaf size.',
    params: TREE_PARAMS,
    usesTensors: false,
    create: (p) => new TreeClassifier(p),
    load: (dir, m) => TreeClassifier.load(dir, m),
  });
  r.register({
    name: 'kernel',
    label: KERNEL_LABEL,
    description: 'Least-squares kernel machine: ridge regression of one-hot labels on an RBF kernel, ridge strength and probability temperature chosen by exact leave-one-out on the training rows. Time grows as rows³.',
    params: KERNEL_PARAMS,
    usesTensors: false,
    create: (p) => new KernelRidgeClassifier(p),
    load: (dir, m) => KernelRidgeClassifier.load(dir, m),
  });
  r.register({
    name: 'ensemble',
    label: ENSEMBLE_LABEL,
    description: 'Mean of the class probabilities of several models or seeded copies of one model.',
    params: ENSEMBLE_PARAMS,
    usesTensors: true,
    create: (p) => new EnsembleClassifier(r, p),
    load: (dir, m) => EnsembleClassifier.load(dir, m, r),
  });
  return r;
}

export const registry: ModelRegistry = createRegistry();
