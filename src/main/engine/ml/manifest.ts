// Model parameters (schema + defaults, for forms) and the model folder manifest.
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { readJSON, writeJSON } from './io';
import type { Classifier, SaveMeta } from './types';

export type ParamType = 'int' | 'number' | 'boolean' | 'enum' | 'int-list' | 'number-list' | 'members';

/** One model parameter, enough for a UI to render a form field and for the engine to check it. */
export interface ParamSpec {
  key: string;
  label: string;
  type: ParamType;
  default: unknown;
  min?: number;
  max?: number;
  /** 'enum' only. */
  options?: readonly string[];
  help?: string;
  /**
   * Only meaningful when another parameter's value is one of `in` (or none of `notIn`): the form then
   * hides it and does not send it (the model uses its default, which it ignores anyway).
   */
  when?: { key: string; in?: readonly (string | number | boolean)[]; notIn?: readonly (string | number | boolean)[] };
}

export type Params = Record<string, unknown>;

function bad(message: string): AppError {
  return new AppError('bad-request', message);
}

/** Fills defaults and checks types and ranges; unknown keys are an error (typos must not pass silently). */
export function resolveParams<P extends Params>(model: string, specs: readonly ParamSpec[], given: Partial<P> = {}): P {
  const out: Params = {};
  const known = new Set(specs.map((s) => s.key));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw bad(`${model}: unknown parameter "${key}" (known: ${[...known].join(', ')})`);
  }
  for (const s of specs) {
    const v = (given as Params)[s.key] ?? structuredClone(s.default);
    const where = `${model}.${s.key}`;
    const inRange = (x: number) => (s.min === undefined || x >= s.min) && (s.max === undefined || x <= s.max);
    const range = `${s.min ?? '-∞'}..${s.max ?? '∞'}`;
    switch (s.type) {
      case 'int':
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || (s.type === 'int' && !Number.isInteger(v)) || !inRange(v)) {
          throw bad(`${where} must be ${s.type === 'int' ? 'an integer' : 'a number'} in ${range}, got ${JSON.stringify(v)}`);
        }
        break;
      case 'boolean':
        if (typeof v !== 'boolean') throw bad(`${where} must be true or false`);
        break;
      case 'enum':
        if (typeof v !== 'string' || !s.options?.includes(v)) throw bad(`${where} must be one of ${s.options?.join(', ')}`);
        break;
      case 'int-list':
        if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && inRange(x as number))) {
          throw bad(`${where} must be a non-empty list of integers in ${range}`);
        }
        break;
      case 'number-list':
        if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && inRange(x))) {
          throw bad(`${where} must be a non-empty list of numbers in ${range}`);
        }
        break;
      case 'members':
        if (!Array.isArray(v) || v.length === 0) throw bad(`${where} must list at least one member model`);
        break;
    }
    out[s.key] = v;
  }
  return out as P;
}

export const MANIFEST_FILE = 'genrelab-model.json';
export const LABELS_FILE = 'labels.json';
export const SCALER_FILE = 'scaler.json';

export interface ModelManifest {
  format: 'genrelab-model';
  version: 1;
  kind: string;
  label: string;
  description: string;
  params: Params;
  labels: string[];
  /** Feature columns the model expects, in order (null when not given). */
  columns: string[] | null;
  profile: string | null;
  created: string;
  /** Files of this folder that belong to the model. */
  files: string[];
  /** Model-specific figures needed to load (input size, member folders, ...). */
  extra: Record<string, unknown>;
}

/** Writes labels.json and the manifest for a model whose own files are already written. */
export async function writeManifest(
  dir: string,
  clf: Classifier,
  label: string,
  meta: SaveMeta | undefined,
  files: string[],
  extra: Record<string, unknown> = {},
  fittedColumns?: readonly string[] | null,
): Promise<ModelManifest> {
  await writeJSON(path.join(dir, LABELS_FILE), { labels: clf.labels });
  const columns = meta?.columns ?? fittedColumns ?? null;
  const manifest: ModelManifest = {
    format: 'genrelab-model',
    version: 1,
    kind: clf.kind,
    label,
    description: clf.describe(),
    params: { ...clf.params },
    labels: [...clf.labels],
    columns: columns ? [...columns] : null,
    profile: meta?.profile ?? null,
    created: new Date().toISOString(),
    files: [MANIFEST_FILE, LABELS_FILE, ...files],
    extra,
  };
  await writeJSON(path.join(dir, MANIFEST_FILE), manifest);
  return manifest;
}

export async function readManifest(dir: string): Promise<ModelManifest> {
  let m: ModelManifest;
  try {
    m = await readJSON<ModelManifest>(path.join(dir, MANIFEST_FILE));
  } catch (err) {
    throw new AppError('not-found', `${dir} holds no readable ${MANIFEST_FILE}`, err instanceof Error ? err.message : String(err));
  }
  if (m.format !== 'genrelab-model' || m.version !== 1) throw new AppError('unsupported', `${dir}: not a genrelab model folder (format ${m.format} v${m.version})`);
  const labels = await readJSON<{ labels: string[] }>(path.join(dir, LABELS_FILE));
  if (JSON.stringify(labels.labels) !== JSON.stringify(m.labels)) throw new AppError('conflict', `${dir}: labels.json disagrees with the manifest`);
  return m;
}
