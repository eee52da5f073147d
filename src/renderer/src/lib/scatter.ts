// The Map view's point cloud as typed buffers: decoding frames, fitting the cloud into the unit
// ball, colouring points by label, prediction, cluster or correctness, and screen-space picking
// (hover, click, box selection). Pure functions over typed arrays; no DOM, no three.js.
import type { MapPoint } from '../../../shared/types';
import { parseColour } from '../../../main/engine/plot/colour';
import { labelColour } from './confusion';

/** A little-endian Float32Array from base64 (the wire form of map points and frames). */
export function decodeFloat32(b64: string): Float32Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length - (bin.length % 4));
  for (let i = 0; i < bytes.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/**
 * Write n points of `dims` (2 or 3) coordinates into `out` (n × 3, z = 0 for 2-D), centred on
 * their bounding box and scaled so the farthest point lies on the unit sphere. Reuses `out` when
 * it is long enough (frames update the point buffer in place) and returns the buffer written.
 */
export function fitPositions(points: ArrayLike<number>, n: number, dims: number, out?: Float32Array): Float32Array {
  const buf = out && out.length >= n * 3 ? out : new Float32Array(n * 3);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < dims && c < 3; c++) {
      const v = points[i * dims + c]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  }
  const centre = [0, 1, 2].map((c) => (c < dims && Number.isFinite(lo[c]!) ? (lo[c]! + hi[c]!) / 2 : 0));
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < dims && c < 3; c++) {
      const v = points[i * dims + c]!;
      if (Number.isFinite(v)) s += (v - centre[c]!) ** 2;
    }
    if (s > r2) r2 = s;
  }
  const scale = r2 > 0 ? 1 / Math.sqrt(r2) : 1;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = c < dims ? points[i * dims + c]! : 0;
      buf[i * 3 + c] = c < dims && Number.isFinite(v) ? (v - centre[c]!) * scale : 0;
    }
  }
  return buf;
}

// ---- colouring ------------------------------------------------------------------------------

export type ColourBy = 'label' | 'predicted' | 'cluster' | 'correctness';

export interface Category {
  /** Stable key (for toggling): `label:rock`, `cluster:3`, `correct`, `wrong`, `none`. */
  key: string;
  name: string;
  /** CSS colour. */
  colour: string;
  count: number;
  /** A second line in the legend (a cluster's majority label). */
  note?: string;
}

export interface Colouring {
  by: ColourBy;
  categories: Category[];
  /** The category of every point. */
  index: Int32Array;
  /** Points drawn larger and on top (wrong predictions when colouring by correctness). */
  emphasis: Uint8Array;
}

const GREY = '#8690a0';
const CORRECT = '#4d5a6e';
const WRONG = '#ff4d4f';

/** Whether the map's points carry predictions (maps of a trained model do). */
export function hasPredictions(meta: readonly MapPoint[]): boolean {
  return meta.some((m) => m.predicted !== null);
}

/**
 * Categories and the category of each point. Labels use the same colours as the Training view
 * (Tableau 10 in the map's label order, then golden-angle hues); clusters are numbered from 1 and
 * named by their most common label.
 */
export function categorise(
  meta: readonly MapPoint[],
  labels: readonly string[],
  by: ColourBy,
  clusterLabels?: ArrayLike<number> | null,
): Colouring {
  const n = meta.length;
  const index = new Int32Array(n);
  const emphasis = new Uint8Array(n);
  const categories: Category[] = [];
  const add = (c: Omit<Category, 'count'>) => categories.push({ ...c, count: 0 }) - 1;

  if (by === 'cluster' && clusterLabels && clusterLabels.length === n) {
    let k = 0;
    for (let i = 0; i < n; i++) k = Math.max(k, clusterLabels[i]! + 1);
    const order = Array.from({ length: k }, (_, c) => `${c + 1}`);
    for (let c = 0; c < k; c++) add({ key: `cluster:${c}`, name: `Cluster ${c + 1}`, colour: labelColour(order, `${c + 1}`) });
    const mix: Array<Map<string, number>> = Array.from({ length: k }, () => new Map());
    for (let i = 0; i < n; i++) {
      const c = clusterLabels[i]!;
      index[i] = c;
      const m = mix[c]!;
      m.set(meta[i]!.label, (m.get(meta[i]!.label) ?? 0) + 1);
    }
    for (let c = 0; c < k; c++) {
      const best = [...mix[c]!].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      const size = [...mix[c]!.values()].reduce((a, b) => a + b, 0);
      if (best && size > 0) categories[c]!.note = `${Math.round((100 * best[1]) / size)} % ${best[0]}`;
    }
  } else if (by === 'correctness') {
    const ok = add({ key: 'correct', name: 'Correct', colour: CORRECT });
    const bad = add({ key: 'wrong', name: 'Wrong', colour: WRONG });
    const none = add({ key: 'none', name: 'No prediction', colour: GREY });
    for (let i = 0; i < n; i++) {
      const m = meta[i]!;
      index[i] = m.predicted === null ? none : m.predicted === m.label ? ok : bad;
      emphasis[i] = index[i] === bad ? 1 : 0;
    }
  } else {
    const field = by === 'predicted' ? 'predicted' : 'label';
    const names = [...labels];
    for (const m of meta) {
      const v = m[field];
      if (v !== null && !names.includes(v)) names.push(v);
    }
    const at = new Map<string, number>();
    for (const name of names) at.set(name, add({ key: `label:${name}`, name, colour: labelColour(names, name) }));
    let none = -1;
    for (let i = 0; i < n; i++) {
      const v = meta[i]![field];
      if (v === null) {
        if (none < 0) none = add({ key: 'none', name: 'No prediction', colour: GREY });
        index[i] = none;
      } else index[i] = at.get(v)!;
    }
  }
  for (let i = 0; i < n; i++) categories[index[i]!]!.count++;
  return { by, categories, index, emphasis };
}

/** Point flags for the shader (the paint buffer's fourth byte): 0 hidden, 1 normal, 2 emphasised, 3 selected. */
export const FLAG_HIDDEN = 0;
export const FLAG_NORMAL = 1;
export const FLAG_EMPHASIS = 2;
export const FLAG_SELECTED = 3;

/** '#rrggbb', '#rgb' or 'hsl(h s% l%)' as r, g, b in [0, 1]. */
export function cssRgb(colour: string): [number, number, number] {
  const m = /^hsl\(\s*([\d.]+)(?:deg)?[\s,]+([\d.]+)%[\s,]+([\d.]+)%\s*\)$/i.exec(colour);
  if (m) {
    const h = (((Number(m[1]) % 360) + 360) % 360) / 360;
    const s = Number(m[2]) / 100;
    const l = Number(m[3]) / 100;
    // CSS Color 4's hslToRgb.
    const f = (k0: number) => {
      const k = (k0 + h * 12) % 12;
      const a = s * Math.min(l, 1 - l);
      return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    };
    return [f(0), f(8), f(4)];
  }
  const [r, g, b] = parseColour(colour);
  return [r / 255, g / 255, b / 255];
}

/**
 * Fill the paint buffer (n × 4 bytes: sRGB red, green, blue, then the point's flag) from a
 * colouring: points of hidden categories get flag 0, emphasised points 2, `selected` points 3.
 * One byte attribute per point keeps what the GPU reads per vertex small. Writes in place.
 */
export function paintPoints(col: Colouring, hidden: ReadonlySet<string>, selected: ReadonlySet<number> | null, paint: Uint8Array): void {
  const rgb = col.categories.map((c) => cssRgb(c.colour).map((v) => Math.round(v * 255)));
  const off = col.categories.map((c) => hidden.has(c.key));
  const n = col.index.length;
  for (let i = 0; i < n; i++) {
    const c = col.index[i]!;
    const [r, g, b] = rgb[c]!;
    paint[i * 4] = r!;
    paint[i * 4 + 1] = g!;
    paint[i * 4 + 2] = b!;
    paint[i * 4 + 3] = off[c] ? FLAG_HIDDEN : selected?.has(i) ? FLAG_SELECTED : col.emphasis[i] ? FLAG_EMPHASIS : FLAG_NORMAL;
  }
}

/** Paint every point one colour (as while the optimiser runs), all shown. */
export function paintAll(colour: string, n: number, paint: Uint8Array): void {
  const [r, g, b] = cssRgb(colour).map((v) => Math.round(v * 255));
  for (let i = 0; i < n; i++) {
    paint[i * 4] = r!;
    paint[i * 4 + 1] = g!;
    paint[i * 4 + 2] = b!;
    paint[i * 4 + 3] = FLAG_NORMAL;
  }
}

// ---- screen space ---------------------------------------------------------------------------

/**
 * Project n points (n × 3) with a column-major 4 × 4 view-projection matrix (three.js's
 * `Matrix4.elements`) to CSS pixels of a `width` × `height` canvas (origin top left). Writes
 * x, y and the normalised depth per point into `out` (n × 3); points behind the camera or
 * outside the depth range get NaN.
 */
export function projectPoints(pos: Float32Array, n: number, m: ArrayLike<number>, width: number, height: number, out: Float32Array): Float32Array {
  for (let i = 0; i < n; i++) {
    const x = pos[i * 3]!;
    const y = pos[i * 3 + 1]!;
    const z = pos[i * 3 + 2]!;
    const w = m[3]! * x + m[7]! * y + m[11]! * z + m[15]!;
    const cx = (m[0]! * x + m[4]! * y + m[8]! * z + m[12]!) / w;
    const cy = (m[1]! * x + m[5]! * y + m[9]! * z + m[13]!) / w;
    const cz = (m[2]! * x + m[6]! * y + m[10]! * z + m[14]!) / w;
    if (!(w > 0) || cz < -1 || cz > 1) {
      out[i * 3] = NaN;
      out[i * 3 + 1] = NaN;
      out[i * 3 + 2] = NaN;
      continue;
    }
    out[i * 3] = ((cx + 1) / 2) * width;
    out[i * 3 + 1] = ((1 - cy) / 2) * height;
    out[i * 3 + 2] = cz;
  }
  return out;
}

/**
 * The visible point nearest to (x, y) within `radius` pixels, or -1. Among points at the same
 * distance the one in front (smaller depth) wins.
 */
export function nearestPoint(screen: Float32Array, n: number, paint: Uint8Array | null, x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  let bestZ = Infinity;
  for (let i = 0; i < n; i++) {
    if (paint && paint[i * 4 + 3] === FLAG_HIDDEN) continue;
    const dx = screen[i * 3]! - x;
    const dy = screen[i * 3 + 1]! - y;
    const d = dx * dx + dy * dy;
    if (!(d <= bestD)) continue;
    const z = screen[i * 3 + 2]!;
    if (d < bestD || z < bestZ) {
      best = i;
      bestD = d;
      bestZ = z;
    }
  }
  return best;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Visible points whose projection falls inside the rectangle (corners in any order), ascending. */
export function pointsInRect(screen: Float32Array, n: number, paint: Uint8Array | null, r: Rect): number[] {
  const xa = Math.min(r.x0, r.x1);
  const xb = Math.max(r.x0, r.x1);
  const ya = Math.min(r.y0, r.y1);
  const yb = Math.max(r.y0, r.y1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (paint && paint[i * 4 + 3] === FLAG_HIDDEN) continue;
    const x = screen[i * 3]!;
    const y = screen[i * 3 + 1]!;
    if (x >= xa && x <= xb && y >= ya && y <= yb) out.push(i);
  }
  return out;
}

/** Point size in CSS pixels for a cloud of n points: larger for small maps, 3 px at 20,000. */
export function pointSize(n: number): number {
  if (n <= 0) return 8;
  return Math.max(2.5, Math.min(10, 3 * Math.sqrt(20_000 / n) ** 0.5));
}

// ---- points and tracks ----------------------------------------------------------------------

/**
 * Where a point's audio starts and ends: segment points are named "<track> [a–b s]" by the maps
 * service; whole-track points start at 0 and have no end.
 */
export function segmentOf(name: string): { start: number; end: number | null } {
  const m = /\[(\d+(?:\.\d+)?)\s*[–-]\s*(\d+(?:\.\d+)?) s\]$/.exec(name);
  if (!m) return { start: 0, end: null };
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** The distinct tracks of a set of points, in first-seen order, with how many points each has. */
export function tracksOfPoints(meta: readonly MapPoint[], indices: readonly number[]): Array<{ index: number; point: MapPoint; points: number }> {
  const seen = new Map<string, { index: number; point: MapPoint; points: number }>();
  for (const i of indices) {
    const p = meta[i];
    if (!p) continue;
    const key = p.trackId !== null ? `t${p.trackId}` : `n${p.name}`;
    const e = seen.get(key);
    if (e) e.points++;
    else seen.set(key, { index: i, point: p, points: 1 });
  }
  return [...seen.values()];
}
