// The Map view's forms: what to embed and how (→ MapRequest), and the cluster sweep (→ the
// maps.cluster request), with per-field errors in the user's words. Pure functions, no DOM.
import type { AppInfo, LibraryFolder, MapMethod, MapRequest, TrackRow } from '../../../shared/types';
import { foldersForProfile, type FormErrors, parseIntField, parseNumberField, profileOptions, toggleColumns } from './training';

export interface MapForm {
  /** Features of the library, or a trained model's hidden layer (a dense-network or CNN run with its model). */
  source: 'features' | 'run';
  /** The run whose hidden layer to map (source 'run'). */
  runId: number | null;
  profile: string;
  segments: boolean;
  /** Chosen feature columns; null = all of the profile's. */
  columns: string[] | null;
  /** Chosen folders; null = every folder with this profile. */
  folderIds: number[] | null;
  method: MapMethod;
  dims: 2 | 3;
  perplexity: string;
  iterations: string;
  seed: string;
  neighbours: string;
  minDist: string;
  name: string;
}

/** The service's limits (src/main/services/maps.ts `checkMapRequest`). */
export const MAP_LIMITS = {
  perplexity: { min: 2, max: 200 },
  iterations: { min: 50, max: 10_000 },
  neighbours: { min: 2, max: 200 },
  minDist: { min: 0, max: 1 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

/** The part of a features form that names the data: the profile, its chosen columns and folders (null = all). */
export interface FeatureChoice {
  profile: string;
  columns: string[] | null;
  folderIds: number[] | null;
}

/** A change to a feature choice. */
export type FeatureEdit =
  | { kind: 'profile'; profile: string }
  | { kind: 'columns'; all: readonly string[]; columns: readonly string[]; on: boolean }
  | { kind: 'folder'; folders: readonly LibraryFolder[]; folderId: number; on: boolean }
  /** The library's folders changed: chosen folders that are gone drop out. */
  | { kind: 'sync'; folders: readonly LibraryFolder[] };

/**
 * Apply an edit to a feature choice (returns the same object when nothing changes). A new profile
 * starts from all of its columns and folders; toggling keeps the profile's order and returns to
 * null ("all") when everything is chosen again.
 */
export function editFeatureChoice<F extends FeatureChoice>(form: F, e: FeatureEdit): F {
  switch (e.kind) {
    case 'profile':
      return e.profile === form.profile ? form : { ...form, profile: e.profile, columns: null, folderIds: null };
    case 'columns':
      return { ...form, columns: toggleColumns(e.all, form.columns, e.columns, e.on) };
    case 'folder': {
      const all = foldersForProfile(e.folders, form.profile).map((f) => f.id);
      const set = new Set(form.folderIds ?? all);
      if (e.on) set.add(e.folderId);
      else set.delete(e.folderId);
      const ids = all.filter((id) => set.has(id));
      return { ...form, folderIds: ids.length === all.length ? null : ids };
    }
    case 'sync': {
      if (form.folderIds === null) return form;
      const ids = new Set(e.folders.map((f) => f.id));
      const kept = form.folderIds.filter((id) => ids.has(id));
      return kept.length === form.folderIds.length ? form : { ...form, folderIds: kept };
    }
  }
}

export function initialMapForm(info: AppInfo, folders: readonly LibraryFolder[]): MapForm {
  return {
    source: 'features',
    runId: null,
    profile: profileOptions(info, folders)[0]?.name ?? info.defaultProfile,
    segments: false,
    columns: null,
    folderIds: null,
    method: 'tsne',
    dims: 3,
    perplexity: '30',
    iterations: '1000',
    seed: '0',
    neighbours: '15',
    minDist: '0.1',
    name: '',
  };
}

export interface BuiltMapRequest {
  request: MapRequest | null;
  errors: FormErrors;
}

/** The form as a MapRequest, or the reasons it is not one yet. Only the chosen method's fields are read. */
export function buildMapRequest(form: MapForm): BuiltMapRequest {
  const errors: FormErrors = {};
  if (form.source === 'run' && form.runId === null) errors.source = 'Choose a dense-network run (or a CNN run) that kept its model';
  if (form.source === 'features' && form.columns !== null && form.columns.length === 0) errors.columns = 'Choose at least one feature column';
  if (form.source === 'features' && form.folderIds !== null && form.folderIds.length === 0) errors.folders = 'Choose at least one folder';
  const request: MapRequest = {
    source: form.source === 'run' && form.runId !== null ? { kind: 'run', runId: form.runId } : { kind: 'features', profile: form.profile, segments: form.segments },
    method: form.method,
    dims: form.dims,
  };
  if (request.source.kind === 'features') {
    if (form.columns !== null) request.source.columns = [...form.columns];
    if (form.folderIds !== null) request.source.folderIds = [...form.folderIds];
  }
  if (form.method === 'tsne') {
    const p = parseNumberField(form.perplexity, MAP_LIMITS.perplexity);
    if (p.ok) request.perplexity = p.value;
    else errors.perplexity = `Perplexity: ${p.error}`;
    const it = parseIntField(form.iterations, MAP_LIMITS.iterations);
    if (it.ok) request.iterations = it.value;
    else errors.iterations = `Iterations: ${it.error}`;
  } else if (form.method === 'umap') {
    const k = parseIntField(form.neighbours, MAP_LIMITS.neighbours);
    if (k.ok) request.neighbours = k.value;
    else errors.neighbours = `Neighbours: ${k.error}`;
    const d = parseNumberField(form.minDist, MAP_LIMITS.minDist);
    if (d.ok) request.minDist = d.value;
    else errors.minDist = `Min distance: ${d.error}`;
  }
  if (form.method !== 'pca') {
    const s = parseIntField(form.seed, MAP_LIMITS.seed);
    if (s.ok) request.seed = s.value;
    else errors.seed = `Seed: ${s.error}`;
  }
  if (form.name.trim()) request.name = form.name.trim();
  return Object.keys(errors).length ? { request: null, errors } : { request, errors };
}

/**
 * How many points the form would map: usable tracks of the chosen folders of the profile (one
 * point each, or one per stored 3-second segment).
 */
export function pointCount(form: MapForm, folders: readonly LibraryFolder[], tracks: readonly TrackRow[]): number {
  const ids = new Set(folders.filter((f) => f.profile === form.profile && (form.folderIds === null || form.folderIds.includes(f.id))).map((f) => f.id));
  let n = 0;
  for (const t of tracks) {
    if (!ids.has(t.folderId) || t.status === 'failed') continue;
    n += form.segments ? Math.max(1, t.segments) : 1;
  }
  return n;
}

/** A note on the form's settings for n points (t-SNE needs n > 3 × perplexity; the service lowers it). */
export function perplexityNote(form: MapForm, n: number): string | null {
  if (form.method !== 'tsne' || n <= 0) return null;
  const p = Number(form.perplexity);
  if (!Number.isFinite(p)) return null;
  // As the t-SNE engine does (src/main/engine/latent/tsne.ts): 3·perplexity must not exceed n − 1.
  if (n > 1 && 3 * p > n - 1) return `${n} points are few for perplexity ${p}: it will be lowered to ${Number(Math.max(1, (n - 1) / 3).toFixed(2))}.`;
  return null;
}

// ---- the cluster sweep ----------------------------------------------------------------------

export interface ClusterForm {
  kMin: string;
  kMax: string;
  seeds: string;
  space: 'map' | 'features';
}

export const INITIAL_CLUSTER_FORM: ClusterForm = { kMin: '2', kMax: '12', seeds: '5', space: 'map' };

export interface ClusterRequest {
  kMin: number;
  kMax: number;
  seeds: number;
  space: 'map' | 'features';
}

export function buildClusterRequest(form: ClusterForm): { request: ClusterRequest | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const a = parseIntField(form.kMin, { min: 2, max: 50 });
  const b = parseIntField(form.kMax, { min: 2, max: 50 });
  const s = parseIntField(form.seeds, { min: 1, max: 20 });
  if (!a.ok) errors.kMin = `Smallest k: ${a.error}`;
  if (!b.ok) errors.kMax = `Largest k: ${b.error}`;
  if (a.ok && b.ok && b.value < a.value) errors.kMax = 'Largest k: at least the smallest k';
  if (!s.ok) errors.seeds = `Seeds: ${s.error}`;
  if (!a.ok || !b.ok || !s.ok || errors.kMax) return { request: null, errors };
  return { request: { kMin: a.value, kMax: b.value, seeds: s.value, space: form.space }, errors };
}

/** Models whose hidden layer can be mapped: the dense network's penultimate layer, the CNN's embedding layer. */
export const MAPPABLE_MODELS: ReadonlySet<string> = new Set(['dense', 'cnn']);

/** Runs whose hidden layer can be mapped: dense networks and CNNs that kept their model. */
export function mappableRuns<R extends { model: string; hasModel: boolean }>(runs: readonly R[]): R[] {
  return runs.filter((r) => MAPPABLE_MODELS.has(r.model) && r.hasModel);
}
