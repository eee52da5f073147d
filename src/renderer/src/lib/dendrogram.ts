// The Tree view's dendrogram as numbers: leaf rows, node positions, the cut into k clusters, the
// clusters' colours, tier lists, search, and the whole tree as SVG. Pure functions, no DOM.
// A tree is scipy's linkage matrix: N leaves (ids 0..N−1) and N − 1 merges; merge r makes id N + r.
import type { TreeDoc } from '../../../shared/types';
import { TAB10 } from '../../../main/engine/plot/colour';

export interface TreeLayout {
  /** Leaves. */
  n: number;
  /** Row (0 = top) of every node id (0..2N−2): leaves by dendrogram order, merges at their children's mean. */
  y: Float64Array;
  /** Height of every node id (leaves 0). */
  h: Float64Array;
  /** First and last leaf row under every node id. */
  lo: Int32Array;
  hi: Int32Array;
  /** Leaf id at each row. */
  leafAt: Int32Array;
  /** Children of merge r: [a, b] at 2r, 2r + 1. */
  kids: Int32Array;
  /** Parent of every node id (−1 for the root). */
  parent: Int32Array;
  maxHeight: number;
}

export function layoutTree(doc: TreeDoc): TreeLayout {
  const n = doc.labels.length;
  const total = 2 * n - 1;
  const y = new Float64Array(total);
  const h = new Float64Array(total);
  const lo = new Int32Array(total);
  const hi = new Int32Array(total);
  const kids = new Int32Array(2 * Math.max(0, n - 1));
  const parent = new Int32Array(total).fill(-1);
  const index = new Map(doc.labels.map((l, i) => [l, i]));
  const leafAt = new Int32Array(n);
  const used = new Uint8Array(n);
  // Duplicate names (possible in a table) are matched to leaves in id order.
  const dup = new Map<string, number[]>();
  doc.labels.forEach((l, i) => dup.set(l, [...(dup.get(l) ?? []), i]));
  doc.order.forEach((name, row) => {
    const ids = dup.get(name);
    const id = ids?.find((i) => !used[i]) ?? index.get(name) ?? row;
    used[id] = 1;
    leafAt[row] = id;
    y[id] = row;
    lo[id] = row;
    hi[id] = row;
  });
  let maxHeight = 0;
  doc.merges.forEach(([a, b, height], r) => {
    const id = n + r;
    kids[2 * r] = a;
    kids[2 * r + 1] = b;
    parent[a] = id;
    parent[b] = id;
    y[id] = (y[a]! + y[b]!) / 2;
    h[id] = height;
    lo[id] = Math.min(lo[a]!, lo[b]!);
    hi[id] = Math.max(hi[a]!, hi[b]!);
    if (height > maxHeight) maxHeight = height;
  });
  return { n, y, h, lo, hi, leafAt, kids, parent, maxHeight };
}

/**
 * The height at which a vertical cut leaves k clusters: midway between the merge that would join
 * the last k clusters and the one below it (merges sorted by height, as linkage gives them).
 */
export function cutHeight(doc: TreeDoc, k: number): number {
  const n = doc.labels.length;
  const hs = doc.merges.map((m) => m[2]).sort((a, b) => a - b);
  if (n <= 1) return 0;
  const kk = Math.max(1, Math.min(n, Math.round(k)));
  if (kk === 1) return hs[hs.length - 1]! * 1.02 || 1;
  const above = hs[n - kk]!; // the (k−1)-th highest merge: undone by the cut
  const below = kk < n ? hs[n - kk - 1]! : 0;
  return (above + below) / 2;
}

/** Clusters left by a cut at height t (merges strictly above t are undone), clamped to 1..N. */
export function clustersAtHeight(doc: TreeDoc, t: number): number {
  let above = 0;
  for (const m of doc.merges) if (m[2] > t) above++;
  return Math.max(1, Math.min(doc.labels.length, above + 1));
}

export interface Cut {
  k: number;
  /** Cluster (0..k−1, numbered left to right) of every node id below the cut; −1 above it. */
  cluster: Int32Array;
  /** Leaves per cluster. */
  sizes: number[];
}

/** Cut the tree into k clusters: the first N − k merges (by height order) stay joined. */
export function cutTree(doc: TreeDoc, layout: TreeLayout, k: number): Cut {
  const n = doc.labels.length;
  const kk = Math.max(1, Math.min(n, Math.round(k)));
  const order = doc.merges.map((_, r) => r).sort((a, b) => doc.merges[a]![2] - doc.merges[b]![2] || a - b);
  const keep = new Uint8Array(Math.max(0, n - 1));
  for (let i = 0; i < n - kk; i++) keep[order[i]!] = 1;
  const cluster = new Int32Array(2 * n - 1).fill(-1);
  // Roots of the kept forest: a node below the cut whose parent is above it (or the root).
  const below = (id: number) => id < n || keep[id - n] === 1;
  const roots: number[] = [];
  for (let id = 0; id < 2 * n - 1; id++) {
    if (!below(id)) continue;
    const p = layout.parent[id]!;
    if (p < 0 || !below(p)) roots.push(id);
  }
  roots.sort((a, b) => layout.lo[a]! - layout.lo[b]!);
  const sizes: number[] = [];
  roots.forEach((root, c) => {
    const stack = [root];
    let size = 0;
    while (stack.length) {
      const id = stack.pop()!;
      cluster[id] = c;
      if (id < n) size++;
      else stack.push(layout.kids[2 * (id - n)]!, layout.kids[2 * (id - n) + 1]!);
    }
    sizes.push(size);
  });
  return { k: roots.length, cluster, sizes };
}

/** Colour of cluster c of k (the categorical palette of the other views; hues beyond ten). */
export function clusterColour(c: number): string {
  if (c < 0) return '#8b93a3';
  if (c < TAB10.length) return TAB10[c]!;
  return `hsl(${Math.round((c * 137.508) % 360)} 62% 48%)`;
}

/** Tier sizes of the tier models: pow2 (2, 4, 8, … below N, then N) and halving (N, ⌈N/2⌉, … 2). */
export function tierLists(n: number): { pow2: number[]; halving: number[] } {
  const pow2: number[] = [];
  for (let k = 2; k < n; k *= 2) pow2.push(k);
  if (n >= 2) pow2.push(n);
  const halving: number[] = [];
  for (let k = n; k >= 2; k = k === 2 ? 1 : Math.ceil(k / 2)) halving.push(k);
  return { pow2, halving: [...new Set(halving)].sort((a, b) => a - b) };
}

/** Leaf ids whose name matches the query (case-insensitive): exact names first, then prefixes, then substrings. */
export function searchLeaves(doc: TreeDoc, query: string, limit = 200): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const rank = (name: string): number => {
    const l = name.toLowerCase();
    if (l === q) return 0;
    if (l.startsWith(q)) return 1;
    return l.includes(q) ? 2 : 3;
  };
  return doc.labels
    .map((name, id) => ({ id, r: rank(name) }))
    .filter((x) => x.r < 3)
    .sort((a, b) => a.r - b.r || doc.labels[a.id]!.localeCompare(doc.labels[b.id]!))
    .slice(0, limit)
    .map((x) => x.id);
}

/** The node ids from a leaf up to the root. */
export function pathToRoot(layout: TreeLayout, leaf: number): number[] {
  const out: number[] = [];
  for (let id = leaf; id >= 0; id = layout.parent[id]!) out.push(id);
  return out;
}

export type HeightScale = 'linear' | 'sqrt';

/** Fraction (0 = leaves, 1 = root) of the horizontal extent a height takes. */
export function heightFraction(h: number, max: number, scale: HeightScale): number {
  if (!(max > 0)) return 0;
  const f = Math.max(0, Math.min(1, h / max));
  return scale === 'sqrt' ? Math.sqrt(f) : f;
}

/** Height of a horizontal fraction (inverse of heightFraction). */
export function fractionHeight(f: number, max: number, scale: HeightScale): number {
  const c = Math.max(0, Math.min(1, f));
  return (scale === 'sqrt' ? c * c : c) * max;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The whole dendrogram as an SVG document: root on the left, leaves on the right with their names,
 * links coloured by their cluster at the cut, the cut as a dashed line.
 */
export function treeSvg(doc: TreeDoc, o: { k: number; scale?: HeightScale; rowHeight?: number; width?: number; title?: string }): string {
  const layout = layoutTree(doc);
  const cut = cutTree(doc, layout, o.k);
  const scale = o.scale ?? 'linear';
  const rowH = o.rowHeight ?? 14;
  const treeW = o.width ?? 600;
  const labelW = Math.min(360, 16 + 6.2 * Math.max(...doc.labels.map((l) => l.length), 4));
  const top = o.title ? 40 : 16;
  const left = 16;
  const W = left + treeW + labelW;
  const H = top + layout.n * rowH + 16;
  const x = (h: number) => left + treeW * (1 - heightFraction(h, layout.maxHeight, scale));
  const yOf = (id: number) => top + (layout.y[id]! + 0.5) * rowH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="${Math.max(6, Math.min(12, rowH - 2))}">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  if (o.title) parts.push(`<text x="${left}" y="24" font-size="14" font-weight="600" fill="#1b2030">${esc(o.title)}</text>`);
  for (let r = 0; r < layout.n - 1; r++) {
    const id = layout.n + r;
    const a = layout.kids[2 * r]!;
    const b = layout.kids[2 * r + 1]!;
    const colour = clusterColour(cut.cluster[id]!);
    const xp = x(layout.h[id]!).toFixed(2);
    parts.push(
      `<path d="M${x(layout.h[a]!).toFixed(2)} ${yOf(a).toFixed(2)}H${xp}V${yOf(b).toFixed(2)}H${x(layout.h[b]!).toFixed(2)}" fill="none" stroke="${colour}" stroke-width="1.2"/>`,
    );
  }
  const ct = x(cutHeight(doc, cut.k));
  parts.push(`<line x1="${ct.toFixed(2)}" y1="${top - 4}" x2="${ct.toFixed(2)}" y2="${H - 8}" stroke="#d62728" stroke-dasharray="4 3"/>`);
  for (let row = 0; row < layout.n; row++) {
    const id = layout.leafAt[row]!;
    parts.push(`<text x="${left + treeW + 6}" y="${(yOf(id) + 4).toFixed(2)}" fill="${clusterColour(cut.cluster[id]!)}">${esc(doc.labels[id]!)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The tree as `genrelab tree` writes it (labels, merges, linkage, metric, order, tiers). */
export function treeJson(doc: TreeDoc): string {
  return JSON.stringify(doc, null, 1);
}
