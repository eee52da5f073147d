// Genre co-occurrence graphs from item tables (artists with lists of genres) or plain edge lists.
//
// Item tables: a `genres` column holding either a Python list literal ("['a', \"b's\"]", as pandas
// wrote the Spotify tables) or a plain comma-separated string (`a, b, "c"`, as in data_w_genres.csv).
// Two genres co-occur when they share an item. Undirected graph: weight = number of shared items.
// Directed graph: i → j when j is listed on at least a fraction τ of i's items (so "pop rock → rock"
// but not back); the weight is still the number of shared items.
// Edge lists: a header with `source` and `target` (and optionally `weight`) columns.
import { parseCsv } from '../features/csv';

/** A weighted graph over named genres. Undirected graphs hold each edge once, with src < dst. */
export interface GenreGraph {
  names: string[];
  /** Items listing each genre (item tables) or the weighted degree (edge lists). */
  itemCounts: Float64Array;
  directed: boolean;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
}

export interface CooccurrenceReport {
  format: 'items' | 'edges';
  /** Data rows read (header excluded). */
  rows: number;
  /** Rows whose genre list parsed and held at least one genre. */
  itemsWithGenres: number;
  /** Rows with an empty list (`[]`, empty field). */
  rowsWithoutGenres: number;
  /** Rows skipped because their genre list (or edge row) did not parse. */
  malformed: number;
  /** File line numbers (1-based, the header is line 1) of the first malformed rows (up to 50). */
  malformedLines: number[];
  /** First reasons, aligned with malformedLines. */
  malformedReasons: string[];
  /** Repeated genre names within one row, counted once and the repeats dropped. */
  duplicateMentions: number;
  /** Edges from a genre to itself (edge lists) dropped. */
  selfLoopsDropped: number;
  /** Rows written as Python list literals / as plain comma-separated strings. */
  pythonListRows: number;
  plainListRows: number;
  nodes: number;
  edges: number;
  /** Genres with no edge in either direction. */
  isolated: number;
  isolatedNames: string[];
  /** Connected components of the undirected version (isolated genres count as components). */
  components: number;
  largestComponent: number;
  /** Largest genres by item count (up to 20). */
  topGenres: Array<{ name: string; items: number }>;
}

export interface CooccurrenceOptions {
  /** Build the directed graph (default false). */
  directed?: boolean;
  /** Directed threshold τ in (0, 1]: i → j when shared(i, j) ≥ τ · items(i). Default 0.5. */
  tau?: number;
  /** Keep an edge only when the genres share at least this many items (default 1). */
  minShared?: number;
  /** Column holding the genre lists (default `genres`). */
  genreColumn?: string;
  /** Lower-case genre names (default false). */
  lowercase?: boolean;
}

export interface CooccurrenceResult {
  graph: GenreGraph;
  report: CooccurrenceReport;
}

export type GenreListParse = { ok: true; genres: string[]; python: boolean } | { ok: false; error: string };

const PY_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0',
};

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Parse a Python list literal of strings: `['a', "b's", 'c\'d']`. */
function parsePythonList(s: string): GenreListParse {
  let i = 0;
  const n = s.length;
  const skip = (): void => {
    while (i < n && isSpace(s[i])) i++;
  };
  skip();
  if (s[i] !== '[') return { ok: false, error: 'a list literal must start with [' };
  i++;
  const out: string[] = [];
  for (;;) {
    skip();
    if (i >= n) return { ok: false, error: 'unterminated list (no closing ])' };
    if (s[i] === ']') {
      i++;
      break;
    }
    if (out.length > 0) {
      if (s[i] !== ',') return { ok: false, error: `expected , or ] at character ${i + 1}` };
      i++;
      skip();
      if (s[i] === ']') {
        i++;
        break; // trailing comma
      }
    }
    if ((s[i] === 'u' || s[i] === 'U') && (s[i + 1] === "'" || s[i + 1] === '"')) i++;
    const q = s[i];
    if (q !== "'" && q !== '"') return { ok: false, error: `expected a quoted string at character ${i + 1}` };
    i++;
    let name = '';
    for (;;) {
      if (i >= n) return { ok: false, error: 'unterminated string in list' };
      const c = s[i];
      if (c === q) {
        i++;
        break;
      }
      if (c === '\\') {
        const e = s[i + 1];
        if (e === undefined) return { ok: false, error: 'dangling backslash' };
        if (e === 'x' || e === 'u') {
          const len = e === 'x' ? 2 : 4;
          const hex = s.slice(i + 2, i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return { ok: false, error: `bad \\${e} escape` };
          name += String.fromCharCode(parseInt(hex, 16));
          i += 2 + len;
          continue;
        }
        const mapped = PY_ESCAPES[e];
        // Python keeps an unknown escape as backslash + character.
        name += mapped ?? '\\' + e;
        i += 2;
        continue;
      }
      name += c;
      i++;
    }
    out.push(name);
  }
  skip();
  if (i < n) return { ok: false, error: `unexpected text after the list at character ${i + 1}` };
  return { ok: true, genres: out, python: true };
}

/** Parse a plain comma-separated list: `comedy rock, comic, "childrens music"`. */
function parsePlainList(s: string): GenreListParse {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && isSpace(s[i])) i++;
    if (i >= n) break;
    let name: string;
    if (s[i] === '"') {
      const q = s.indexOf('"', i + 1);
      if (q < 0) return { ok: false, error: 'unterminated quoted name' };
      name = s.slice(i + 1, q);
      i = q + 1;
      while (i < n && isSpace(s[i])) i++;
      if (i < n && s[i] !== ',') return { ok: false, error: `unexpected text after a quoted name at character ${i + 1}` };
    } else {
      let j = s.indexOf(',', i);
      if (j < 0) j = n;
      name = s.slice(i, j);
      i = j;
    }
    i++; // the comma
    name = name.trim();
    if (name) out.push(name);
  }
  return { ok: true, genres: out, python: false };
}

/**
 * Parse one `genres` field: a Python list literal when it starts with `[`, otherwise a plain
 * comma-separated string. Names are trimmed; empty names are dropped; order and repeats are kept.
 */
export function parseGenreList(field: string): GenreListParse {
  const t = field.trim();
  if (t === '') return { ok: true, genres: [], python: false };
  if (t[0] === '[') {
    const r = parsePythonList(t);
    if (r.ok) r.genres = r.genres.map((g) => g.trim()).filter((g) => g !== '');
    return r;
  }
  return parsePlainList(t);
}

class Interner {
  readonly names: string[] = [];
  private readonly map = new Map<string, number>();
  id(name: string): number {
    let k = this.map.get(name);
    if (k === undefined) {
      k = this.names.length;
      this.map.set(name, k);
      this.names.push(name);
    }
    return k;
  }
}

/** File line number of every row (header = row 0), counting line breaks inside quoted fields. */
function rowLines(rows: string[][]): Int32Array {
  const lines = new Int32Array(rows.length);
  let line = 1;
  for (let r = 0; r < rows.length; r++) {
    lines[r] = line;
    let extra = 0;
    for (const f of rows[r]) for (let k = f.indexOf('\n'); k >= 0; k = f.indexOf('\n', k + 1)) extra++;
    line += 1 + extra;
  }
  return lines;
}

function emptyReport(format: 'items' | 'edges'): CooccurrenceReport {
  return {
    format, rows: 0, itemsWithGenres: 0, rowsWithoutGenres: 0, malformed: 0, malformedLines: [], malformedReasons: [],
    duplicateMentions: 0, selfLoopsDropped: 0, pythonListRows: 0, plainListRows: 0, nodes: 0, edges: 0,
    isolated: 0, isolatedNames: [], components: 0, largestComponent: 0, topGenres: [],
  };
}

function noteMalformed(rep: CooccurrenceReport, line: number, reason: string): void {
  rep.malformed++;
  if (rep.malformedLines.length < 50) {
    rep.malformedLines.push(line);
    rep.malformedReasons.push(reason);
  }
}

/** Fill nodes/edges/isolated/components/topGenres of a report from a finished graph. */
export function describeGraph(graph: GenreGraph, rep: CooccurrenceReport): void {
  const n = graph.names.length;
  rep.nodes = n;
  rep.edges = graph.src.length;
  const deg = new Int32Array(n);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let e = 0; e < graph.src.length; e++) {
    const a = graph.src[e];
    const b = graph.dst[e];
    deg[a]++;
    deg[b]++;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  }
  const size = new Int32Array(n);
  let components = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (size[r] === 0) components++;
    size[r]++;
    if (size[r] > largest) largest = size[r];
  }
  rep.components = components;
  rep.largestComponent = largest;
  rep.isolated = 0;
  rep.isolatedNames = [];
  for (let i = 0; i < n; i++) {
    if (deg[i] === 0) {
      rep.isolated++;
      if (rep.isolatedNames.length < 20) rep.isolatedNames.push(graph.names[i]);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => graph.itemCounts[b] - graph.itemCounts[a] || a - b);
  rep.topGenres = order.slice(0, 20).map((i) => ({ name: graph.names[i], items: graph.itemCounts[i] }));
}

function buildFromItems(rows: string[][], opts: CooccurrenceOptions): CooccurrenceResult {
  const rep = emptyReport('items');
  const header = rows[0].map((h) => h.trim());
  const col = header.indexOf(opts.genreColumn ?? 'genres');
  if (col < 0) throw new Error(`co-occurrence: no "${opts.genreColumn ?? 'genres'}" column in the header`);
  const lines = rowLines(rows);
  const names = new Interner();
  const items: Int32Array[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    // A blank line parses as one empty field; it is not an item.
    if (row.length === 1 && row[0] === '' && header.length > 1) continue;
    rep.rows++;
    if (row.length !== header.length) {
      noteMalformed(rep, lines[r], `expected ${header.length} fields, found ${row.length}`);
      continue;
    }
    const p = parseGenreList(row[col]);
    if (!p.ok) {
      noteMalformed(rep, lines[r], p.error);
      continue;
    }
    if (p.python) rep.pythonListRows++;
    else if (p.genres.length > 0) rep.plainListRows++;
    const seen = new Set<number>();
    for (const g of p.genres) {
      const id = names.id(opts.lowercase ? g.toLowerCase() : g);
      if (seen.has(id)) rep.duplicateMentions++;
      else seen.add(id);
    }
    if (seen.size === 0) {
      rep.rowsWithoutGenres++;
      continue;
    }
    rep.itemsWithGenres++;
    items.push(Int32Array.from(seen).sort());
  }
  const n = names.names.length;
  const counts = new Float64Array(n);
  const shared = new Map<number, number>(); // key a * n + b with a < b
  for (const it of items) {
    for (let x = 0; x < it.length; x++) {
      counts[it[x]]++;
      for (let y = x + 1; y < it.length; y++) {
        const key = it[x] * n + it[y];
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const minShared = opts.minShared ?? 1;
  const tau = opts.tau ?? 0.5;
  if (opts.directed && !(tau > 0 && tau <= 1)) throw new RangeError(`co-occurrence: tau must lie in (0, 1], got ${tau}`);
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  const keys = Array.from(shared.keys()).sort((a, b) => a - b);
  for (const key of keys) {
    const c = shared.get(key)!;
    if (c < minShared) continue;
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (!opts.directed) {
      src.push(a);
      dst.push(b);
      w.push(c);
    } else {
      // a → b when b covers at least τ of a's items, and likewise b → a.
      if (c >= tau * counts[a]) {
        src.push(a);
        dst.push(b);
        w.push(c);
      }
      if (c >= tau * counts[b]) {
        src.push(b);
        dst.push(a);
        w.push(c);
      }
    }
  }
  const graph: GenreGraph = {
    names: names.names, itemCounts: counts, directed: !!opts.directed,
    src: Int32Array.from(src), dst: Int32Array.from(dst), weight: Float64Array.from(w),
  };
  describeGraph(graph, rep);
  return { graph, report: rep };
}

function buildFromEdges(rows: string[][], opts: CooccurrenceOptions): CooccurrenceResult {
  const rep = emptyReport('edges');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const si = header.indexOf('source');
  const ti = header.indexOf('target');
  const wi = header.indexOf('weight');
  const lines = rowLines(rows);
  const names = new Interner();
  const acc = new Map<string, number>();
  const order: Array<[number, number]> = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length === 1 && row[0] === '') continue;
    rep.rows++;
    if (row.length !== header.length) {
      noteMalformed(rep, lines[r], `expected ${header.length} fields, found ${row.length}`);
      continue;
    }
    let s = row[si].trim();
    let t = row[ti].trim();
    if (opts.lowercase) {
      s = s.toLowerCase();
      t = t.toLowerCase();
    }
    const wt = wi >= 0 && row[wi].trim() !== '' ? Number(row[wi]) : 1;
    if (!s || !t) {
      noteMalformed(rep, lines[r], 'empty source or target');
      continue;
    }
    if (!Number.isFinite(wt) || wt < 0) {
      noteMalformed(rep, lines[r], `weight is not a non-negative number: ${JSON.stringify(row[wi])}`);
      continue;
    }
    let a = names.id(s);
    let b = names.id(t);
    if (a === b) {
      rep.selfLoopsDropped++;
      continue;
    }
    if (!opts.directed && a > b) [a, b] = [b, a];
    const key = `${a} ${b}`;
    const prev = acc.get(key);
    if (prev === undefined) order.push([a, b]);
    else rep.duplicateMentions++;
    acc.set(key, (prev ?? 0) + wt);
  }
  const n = names.names.length;
  const counts = new Float64Array(n);
  order.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  const minShared = opts.minShared ?? 0;
  for (const [a, b] of order) {
    const wt = acc.get(`${a} ${b}`)!;
    if (wt < minShared) continue;
    src.push(a);
    dst.push(b);
    w.push(wt);
    counts[a] += wt;
    counts[b] += wt;
  }
  rep.itemsWithGenres = src.length;
  const graph: GenreGraph = {
    names: names.names, itemCounts: counts, directed: !!opts.directed,
    src: Int32Array.from(src), dst: Int32Array.from(dst), weight: Float64Array.from(w),
  };
  describeGraph(graph, rep);
  return { graph, report: rep };
}

/**
 * Build a genre graph from CSV text: an item table (a `genres` column, see the file comment) or an
 * edge list (`source,target[,weight]` header). Malformed rows are counted, their line numbers
 * reported, and skipped; nothing in the report is ever NaN.
 */
export function cooccurrenceFromCsv(text: string, opts: CooccurrenceOptions = {}): CooccurrenceResult {
  const rows = parseCsv(text);
  if (rows.length === 0) {
    const rep = emptyReport('items');
    return { graph: { names: [], itemCounts: new Float64Array(0), directed: !!opts.directed, src: new Int32Array(0), dst: new Int32Array(0), weight: new Float64Array(0) }, report: rep };
  }
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const isEdges = header.includes('source') && header.includes('target') && !header.includes((opts.genreColumn ?? 'genres').toLowerCase());
  return isEdges ? buildFromEdges(rows, opts) : buildFromItems(rows, opts);
}

/** The graph restricted to genres with at least one edge; `index[k]` is the old id of new node k. */
export function dropIsolated(graph: GenreGraph): { graph: GenreGraph; index: Int32Array } {
  const n = graph.names.length;
  const used = new Uint8Array(n);
  for (let e = 0; e < graph.src.length; e++) {
    used[graph.src[e]] = 1;
    used[graph.dst[e]] = 1;
  }
  const remap = new Int32Array(n).fill(-1);
  const index: number[] = [];
  for (let i = 0; i < n; i++) if (used[i]) {
    remap[i] = index.length;
    index.push(i);
  }
  const src = graph.src.map((a) => remap[a]);
  const dst = graph.dst.map((b) => remap[b]);
  return {
    graph: {
      names: index.map((i) => graph.names[i]), itemCounts: Float64Array.from(index, (i) => graph.itemCounts[i]),
      directed: graph.directed, src, dst, weight: graph.weight.slice(),
    },
    index: Int32Array.from(index),
  };
}
