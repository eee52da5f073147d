// The training form: feature-column groups, parameter fields parsed from their schema, and the
// form turned into a TrainRequest with per-field errors. Pure functions, no DOM.
import type { AppInfo, LibraryFolder, ModelInfo, ModelParamSpec, TrainRequest } from '../../../shared/types';
import { unmetRequirement } from './modelRequirements';

// ---- feature columns ------------------------------------------------------------------------

export interface ColumnGroup {
  name: string;
  columns: string[];
}

const STAT_SUFFIX = /_(mean|var|std|min|max|median|skew|kurtosis)$/;

/** The feature a column summarises: `mfcc3_var` → `mfcc3`, `spectral_centroid_mean` → `spectral_centroid`. */
export function columnStem(column: string): string {
  return column.replace(STAT_SUFFIX, '');
}

/**
 * Columns grouped by family for the column picker, in order of first appearance. A family is the
 * stem without its trailing number (`mfcc1`…`mfcc20` → `mfcc`); stems that share a first word with
 * another stem join under that word (`spectral_centroid`, `spectral_bandwidth` → `spectral`), a
 * stem alone keeps its full name (`zero_crossing_rate`).
 */
export function columnGroups(columns: readonly string[]): ColumnGroup[] {
  const base = (c: string) => columnStem(c).replace(/(?<=[a-z])\d+$/i, '');
  const basesByWord = new Map<string, Set<string>>();
  for (const c of columns) {
    const b = base(c);
    const word = b.split('_')[0]!;
    let set = basesByWord.get(word);
    if (!set) basesByWord.set(word, (set = new Set()));
    set.add(b);
  }
  const groups = new Map<string, string[]>();
  for (const c of columns) {
    const b = base(c);
    const word = b.split('_')[0]!;
    const name = basesByWord.get(word)!.size > 1 ? word : b;
    let list = groups.get(name);
    if (!list) groups.set(name, (list = []));
    list.push(c);
  }
  return [...groups].map(([name, cols]) => ({ name, columns: cols }));
}

/** How many of a group's columns are chosen: 'all', 'none' or 'some' (for a tri-state checkbox). */
export function groupSelection(group: ColumnGroup, chosen: ReadonlySet<string>): 'all' | 'none' | 'some' {
  const n = group.columns.filter((c) => chosen.has(c)).length;
  return n === 0 ? 'none' : n === group.columns.length ? 'all' : 'some';
}

/**
 * Toggle columns in a selection where `null` means "all of `all`". Returns null again when every
 * column ends up chosen, and keeps the profile's column order.
 */
export function toggleColumns(
  all: readonly string[],
  chosen: readonly string[] | null,
  columns: readonly string[],
  on: boolean,
): string[] | null {
  const set = new Set(chosen ?? all);
  for (const c of columns) {
    if (on) set.add(c);
    else set.delete(c);
  }
  const out = all.filter((c) => set.has(c));
  return out.length === all.length ? null : out;
}

// ---- model parameters -----------------------------------------------------------------------

/** What a parameter field holds while it is edited: text, or a checkbox state. */
export type ParamInput = string | boolean;

/** How a parameter is edited: a text field, a list of numbers, a choice, a checkbox, or JSON. */
export function paramWidget(spec: ModelParamSpec): 'text' | 'list' | 'enum' | 'boolean' | 'json' {
  const t = typeOf(spec);
  if (t === 'int' || t === 'number') return 'text';
  if (t === 'int-list' || t === 'number-list') return 'list';
  if (t === 'enum' || t === 'boolean') return t;
  return 'json';
}

/**
 * The schema's type as a plain string: the registry may grow types the contract does not list yet
 * ('number-list'); a type this form does not know is edited as JSON.
 */
function typeOf(spec: ModelParamSpec): string {
  return spec.type as string;
}

/** The field content for a parameter value (its default unless given). */
export function paramInput(spec: ModelParamSpec, value: unknown = spec.default): ParamInput {
  switch (typeOf(spec)) {
    case 'boolean':
      return value === true;
    case 'int-list':
    case 'number-list':
      return Array.isArray(value) ? value.join(', ') : String(value ?? '');
    case 'int':
    case 'number':
    case 'enum':
      return value === undefined || value === null ? '' : String(value);
    default:
      return JSON.stringify(value ?? null);
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function rangeText(spec: { min?: number; max?: number }): string {
  if (spec.min !== undefined && spec.max !== undefined) return `from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `of at least ${spec.min}`;
  if (spec.max !== undefined) return `of at most ${spec.max}`;
  return '';
}

function inRange(x: number, spec: { min?: number; max?: number }): boolean {
  return (spec.min === undefined || x >= spec.min) && (spec.max === undefined || x <= spec.max);
}

/** A whole number from a text field (no decimals, no exponent), within the spec's range. */
export function parseIntField(text: string, spec: { min?: number; max?: number } = {}): Parsed<number> {
  const s = text.trim();
  if (!/^[+-]?\d+$/.test(s)) return { ok: false, error: `a whole number ${rangeText(spec)}`.trim() };
  const v = Number(s);
  if (!Number.isSafeInteger(v) || !inRange(v, spec)) return { ok: false, error: `a whole number ${rangeText(spec)}`.trim() };
  return { ok: true, value: v };
}

/** A number from a text field ("0.001", "1e-3"), within the spec's range. */
export function parseNumberField(text: string, spec: { min?: number; max?: number } = {}): Parsed<number> {
  const s = text.trim();
  const v = s === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(v) || !inRange(v, spec)) return { ok: false, error: `a number ${rangeText(spec)}`.trim() };
  return { ok: true, value: v };
}

function parseList(text: string, parse: (s: string) => Parsed<number>, what: string, one: string): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const values: number[] = [];
  for (const p of parts) {
    const r = parse(p);
    if (!r.ok) return { ok: false, error: `${what}, separated by commas` };
    values.push(r.value);
  }
  return values.length ? { ok: true, value: values } : { ok: false, error: `at least one ${one}` };
}

/** The value a field stands for, checked against the parameter's schema. */
export function parseParam(spec: ModelParamSpec, input: ParamInput): Parsed<unknown> {
  switch (typeOf(spec)) {
    case 'boolean':
      return { ok: true, value: input === true };
    case 'int':
      return parseIntField(String(input), spec);
    case 'number':
      return parseNumberField(String(input), spec);
    case 'enum': {
      const v = String(input);
      return spec.options?.includes(v) ? { ok: true, value: v } : { ok: false, error: `one of ${spec.options?.join(', ')}` };
    }
    case 'int-list':
      return parseList(String(input), (x) => parseIntField(x, spec), `whole numbers ${rangeText(spec)}`.trim(), 'whole number');
    case 'number-list':
      return parseList(String(input), (x) => parseNumberField(x, spec), `numbers ${rangeText(spec)}`.trim(), 'number');
    default: {
      let v: unknown;
      try {
        v = JSON.parse(String(input));
      } catch (err) {
        return { ok: false, error: `JSON: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (typeOf(spec) === 'members' && !(Array.isArray(v) && v.length > 0)) return { ok: false, error: 'a JSON list of at least one member' };
      return { ok: true, value: v };
    }
  }
}

// ---- the form -------------------------------------------------------------------------------

export interface TrainForm {
  profile: string;
  segments: boolean;
  /** Chosen feature columns; null = all of the profile's. */
  columns: string[] | null;
  /** Chosen library folders; null = every folder with this profile. */
  folderIds: number[] | null;
  model: string;
  /** Field contents per model and parameter, kept when the user switches model and back. */
  params: Record<string, Record<string, ParamInput>>;
  evaluation: 'cv' | 'holdout';
  folds: string;
  testFraction: string;
  groupByFolder: boolean;
  seed: string;
  name: string;
}

export interface ProfileOption {
  name: string;
  /** The profile's columns, or null for an imported table's own (not listed by the app). */
  columns: string[] | null;
  description: string;
  folders: number;
}

/** Profiles to offer: those of the library's folders first (most folders first), then the rest. */
export function profileOptions(info: AppInfo, folders: readonly LibraryFolder[]): ProfileOption[] {
  const count = new Map<string, number>();
  for (const f of folders) count.set(f.profile, (count.get(f.profile) ?? 0) + 1);
  const known = new Map(info.profiles.map((p) => [p.name, p]));
  const names = [...new Set([...count.keys(), ...known.keys()])];
  const order = (n: string) => (n === info.defaultProfile ? 0 : 1);
  names.sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0) || order(a) - order(b) || a.localeCompare(b));
  return names.map((name) => ({
    name,
    columns: known.get(name)?.columns ?? null,
    description: known.get(name)?.description ?? 'Columns of an imported feature table',
    folders: count.get(name) ?? 0,
  }));
}

export function foldersForProfile(folders: readonly LibraryFolder[], profile: string): LibraryFolder[] {
  return folders.filter((f) => f.profile === profile);
}

export function initialForm(info: AppInfo, folders: readonly LibraryFolder[], models: readonly ModelInfo[]): TrainForm {
  const profile = profileOptions(info, folders)[0]?.name ?? info.defaultProfile;
  return {
    profile,
    segments: false,
    columns: null,
    folderIds: null,
    model: models[0]?.name ?? '',
    params: Object.fromEntries(models.map((m) => [m.name, Object.fromEntries(m.params.map((p) => [p.key, paramInput(p)]))])),
    evaluation: 'cv',
    folds: '10',
    testFraction: '0.2',
    groupByFolder: false,
    seed: '1',
    name: '',
  };
}

/** Field name → what is wrong with it. Parameter fields are named `param.<key>`. */
export type FormErrors = Record<string, string>;

export interface BuiltRequest {
  request: TrainRequest | null;
  errors: FormErrors;
}

/**
 * Whether a parameter applies with the form's current inputs: its `when` condition holds on the
 * controlling parameter's value, and that parameter applies too. A controller whose input does not
 * parse yet leaves its dependants shown.
 */
export function paramApplies(spec: ModelParamSpec, specs: readonly ModelParamSpec[], inputs: Record<string, ParamInput> | undefined, depth = 0): boolean {
  if (!spec.when || depth > specs.length) return true;
  const ctl = specs.find((s) => s.key === spec.when!.key);
  if (!ctl) return true;
  if (!paramApplies(ctl, specs, inputs, depth + 1)) return false;
  const r = parseParam(ctl, inputs?.[ctl.key] ?? paramInput(ctl));
  if (!r.ok) return true;
  const v = r.value as string | number | boolean;
  if (spec.when.in && !spec.when.in.includes(v)) return false;
  if (spec.when.notIn && spec.when.notIn.includes(v)) return false;
  return true;
}

/** The form as a TrainRequest, or the reasons it is not one yet. */
export function buildTrainRequest(form: TrainForm, models: readonly ModelInfo[]): BuiltRequest {
  const errors: FormErrors = {};
  const model = models.find((m) => m.name === form.model);
  if (!model) errors.model = 'Choose a model';
  const unmet = unmetRequirement(form, model);
  if (unmet) errors.model = unmet;
  const params: Record<string, unknown> = {};
  for (const spec of model?.params ?? []) {
    // a parameter that does not apply is neither checked nor sent (the model keeps its default)
    if (!paramApplies(spec, model!.params, form.params[model!.name])) continue;
    const r = parseParam(spec, form.params[model!.name]?.[spec.key] ?? paramInput(spec));
    if (r.ok) params[spec.key] = r.value;
    else errors[`param.${spec.key}`] = `${spec.label}: ${r.error}`;
  }
  if (form.columns !== null && form.columns.length === 0) errors.columns = 'Choose at least one feature column';
  if (form.folderIds !== null && form.folderIds.length === 0) errors.folders = 'Choose at least one folder';
  let evaluation: TrainRequest['evaluation'];
  if (form.evaluation === 'cv') {
    const r = parseIntField(form.folds, { min: 2, max: 100 });
    if (r.ok) evaluation = { kind: 'cv', folds: r.value };
    else errors.folds = `Folds: ${r.error}`;
  } else {
    const r = parseNumberField(form.testFraction, { min: 0.01, max: 0.99 });
    if (r.ok) evaluation = { kind: 'holdout', testFraction: r.value };
    else errors.testFraction = `Held-out fraction: ${r.error}`;
  }
  const seed = parseIntField(form.seed, { min: 0, max: 2 ** 31 - 1 });
  if (!seed.ok) errors.seed = `Seed: ${seed.error}`;
  if (Object.keys(errors).length > 0) return { request: null, errors };
  const request: TrainRequest = {
    profile: form.profile,
    segments: form.segments,
    model: form.model,
    params,
    evaluation,
    groupBy: form.groupByFolder ? 'folder' : 'track',
    seed: seed.ok ? seed.value : 1,
  };
  if (form.columns !== null) request.columns = [...form.columns];
  if (form.folderIds !== null) request.folderIds = [...form.folderIds];
  if (form.name.trim()) request.name = form.name.trim();
  return { request, errors };
}
