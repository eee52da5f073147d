import type React from 'react';
import type { AppModel } from '../state/app';
import type { LibraryModel } from '../state/library';
import type { MapModel } from '../state/map';
import type { RunsModel } from '../state/runs';
import type { TrainingModel } from '../state/training';
import type { TreeModel } from '../state/tree';
import { IconDream, IconHyperbolic, IconLibrary, IconMap, IconRuns, IconTraining, IconTree } from './icons';
import { IconProbe } from '../views/probes/icon';

/** Everything a view may use. Later views add their models here. */
export interface Models {
  app: AppModel;
  library: LibraryModel;
  training: TrainingModel;
  runs: RunsModel;
  map: MapModel;
  tree: TreeModel;
}

export type ViewId = 'library' | 'training' | 'runs' | 'map' | 'hyperbolic' | 'dream' | 'tree' | 'probes';

export interface ViewDef {
  id: ViewId;
  title: string;
  /** The plain key (outside text fields) that opens it. */
  key: string;
  icon: (p: { size?: number }) => React.JSX.Element;
  /** What the view is for, shown as its tooltip and while it is not built yet. */
  blurb: string;
  /** False until the view is built; such views are listed but cannot be opened. */
  available: boolean;
}

/** The views of the workbench, in sidebar order. A new view sets `available` and adds itself to `ViewHost`. */
export const VIEWS: readonly ViewDef[] = [
  { id: 'library', title: 'Library', key: '1', icon: IconLibrary, available: true, blurb: 'Music folders, tracks and their features' },
  { id: 'training', title: 'Training', key: '2', icon: IconTraining, available: true, blurb: 'Train genre classifiers and read the confusion matrix' },
  { id: 'runs', title: 'Runs', key: '3', icon: IconRuns, available: true, blurb: 'Saved training runs, side by side' },
  { id: 'map', title: 'Map', key: '4', icon: IconMap, available: true, blurb: 't-SNE, UMAP and PCA maps of the library in 3-D' },
  { id: 'hyperbolic', title: 'Hyperbolic', key: '5', icon: IconHyperbolic, available: true, blurb: 'Genre neighbourhoods in the Poincaré ball' },
  { id: 'dream', title: 'Dream', key: '6', icon: IconDream, available: true, blurb: 'Dream up audio for a genre with a trained CNN' },
  { id: 'tree', title: 'Tree', key: '7', icon: IconTree, available: true, blurb: 'Genre trees: dendrograms with a movable cut, tiers and per-tier accuracy' },
  { id: 'probes', title: 'Probes', key: '8', icon: IconProbe, available: true, blurb: 'Latent probes: how pitch and tempo shifts move a model’s embeddings' },
];

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '');
  const v = VIEWS.find((x) => x.id === id && x.available);
  return v ? v.id : 'library';
}
