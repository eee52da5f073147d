// Filtering, sorting and counting of library rows. Pure functions over TrackRow arrays.
import type { TrackRow } from '../../../shared/types';

export type SortKey = 'relPath' | 'label' | 'duration' | 'sampleRate' | 'channels' | 'status' | 'reason';
export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  key: SortKey;
  dir: SortDir;
}

const FIELDS = ['path', 'label', 'status', 'reason'] as const;
type Field = (typeof FIELDS)[number];

interface Term {
  field: Field | null;
  text: string;
}

/**
 * Parse a filter query: whitespace-separated terms, all of which must match (case-insensitive
 * substring). A term may name its field, `label:blues`, `status:failed`, `path:disc1`, `reason:short`;
 * a bare term matches path, label, status or reason. Quotes group words: `"hip hop"`.
 */
export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  const re = /(\w+:)?(?:"([^"]*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query)) !== null) {
    const prefix = m[1]?.slice(0, -1).toLowerCase();
    const text = (m[2] ?? m[3] ?? '').toLowerCase();
    const field = prefix && (FIELDS as readonly string[]).includes(prefix) ? (prefix as Field) : null;
    const full = field === null && prefix ? `${prefix}:${text}` : text;
    if (full) terms.push({ field, text: full });
  }
  return terms;
}

function fieldText(t: TrackRow, f: Field): string {
  switch (f) {
    case 'path':
      return t.relPath.toLowerCase();
    case 'label':
      return (t.label ?? '').toLowerCase();
    case 'status':
      return t.status;
    case 'reason':
      return (t.reason ?? '').toLowerCase();
  }
}

export function filterTracks(tracks: readonly TrackRow[], query: string): TrackRow[] {
  const terms = parseQuery(query);
  if (terms.length === 0) return tracks.slice();
  return tracks.filter((t) =>
    terms.every((term) =>
      term.field
        ? fieldText(t, term.field).includes(term.text)
        : FIELDS.some((f) => fieldText(t, f).includes(term.text)),
    ),
  );
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Path order, computed with the (slow) collator once per set of rows and then reused: every sort
 * compares numbers. Ranks carry the generation that computed them, so ranks from different sets
 * are never compared with each other.
 */
const pathRanks = new WeakMap<TrackRow, { gen: number; rank: number }>();
let pathGen = 0;

function ensurePathRanks(tracks: readonly TrackRow[]): void {
  const first = tracks.length ? pathRanks.get(tracks[0]!) : undefined;
  if (first && tracks.every((t) => pathRanks.get(t)?.gen === first.gen)) return;
  const gen = ++pathGen;
  const order = tracks.slice().sort((a, b) => collator.compare(a.relPath, b.relPath) || a.id - b.id);
  order.forEach((t, rank) => pathRanks.set(t, { gen, rank }));
}

/** A numeric sort key per row for `key` (NaN for a missing value). */
function numericKeys(tracks: readonly TrackRow[], key: SortKey): Float64Array {
  const out = new Float64Array(tracks.length);
  switch (key) {
    case 'relPath':
      tracks.forEach((t, i) => (out[i] = pathRanks.get(t)!.rank));
      return out;
    case 'duration':
    case 'sampleRate':
    case 'channels':
      tracks.forEach((t, i) => (out[i] = t[key] ?? Number.NaN));
      return out;
    default: {
      // Few distinct values: rank them with the collator, then compare ranks.
      const distinct = [...new Set(tracks.map((t) => t[key]).filter((v): v is string => v !== null))];
      distinct.sort((a, b) => collator.compare(a, b));
      const rank = new Map(distinct.map((v, i) => [v, i]));
      tracks.forEach((t, i) => {
        const v = t[key];
        out[i] = v === null ? Number.NaN : rank.get(v)!;
      });
      return out;
    }
  }
}

/** Stable sort; missing values (null) go last in either direction; ties broken by path. */
export function sortTracks(tracks: readonly TrackRow[], spec: SortSpec): TrackRow[] {
  ensurePathRanks(tracks);
  const keys = numericKeys(tracks, spec.key);
  const paths = numericKeys(tracks, 'relPath');
  const sign = spec.dir === 'asc' ? 1 : -1;
  const idx = Array.from({ length: tracks.length }, (_, i) => i);
  idx.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn !== yn) return xn ? 1 : -1;
    return (xn ? 0 : sign * (x - y)) || paths[a]! - paths[b]! || a - b;
  });
  return idx.map((i) => tracks[i]!);
}

/** Clicking a header: a new column sorts ascending, the same column flips direction. */
export function nextSort(current: SortSpec, key: SortKey): SortSpec {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

export interface LabelCount {
  label: string | null;
  count: number;
}

/** Tracks per label, most frequent first (ties alphabetical); unlabelled last. Failed tracks excluded. */
export function labelCounts(tracks: readonly TrackRow[]): LabelCount[] {
  const counts = new Map<string | null, number>();
  for (const t of tracks) {
    if (t.status === 'failed') continue;
    counts.set(t.label, (counts.get(t.label) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => {
      if ((a.label === null) !== (b.label === null)) return a.label === null ? 1 : -1;
      return b.count - a.count || collator.compare(a.label ?? '', b.label ?? '');
    });
}

/** The visible window of a virtualised list with fixed row height. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  rowCount: number,
  overscan: number,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(rowCount, Math.max(0, first - overscan));
  const end = Math.min(rowCount, first + count + overscan);
  return { start, end: Math.max(start, end) };
}
