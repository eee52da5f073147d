// Out-of-domain points in the Map view: stored placements appended after a map's own points (so
// colouring, hover, click-to-listen and box selection see them like any point), and a colouring that
// draws each placement as its own group ("out of domain: <folder>") whatever the map is coloured by.
// Pure functions over the map's data; no DOM.
import type { MapPlacement, PlacedPoint } from '../../../../shared/probes';
import type { MapDetail, MapPoint } from '../../../../shared/types';
import { categorise, type ColourBy, type Colouring, decodeFloat32 } from '../../lib/scatter';

/** Colours of out-of-domain groups: outside the label palette (Tableau 10), light and saturated. */
export const OOD_COLOURS = ['#f5f5f5', '#ff5fd2', '#00e5ff', '#c6ff00', '#ffb000'] as const;

export function isPlaced(m: MapPoint): m is PlacedPoint {
  return typeof (m as Partial<PlacedPoint>).group === 'string';
}

/** How many of the map's points are its own (placed points come after them). */
export function ownCount(meta: readonly MapPoint[]): number {
  const i = meta.findIndex(isPlaced);
  return i < 0 ? meta.length : i;
}

/** Base64 of a little-endian Float32Array (the wire form of map points). */
export function encodeFloat32(a: Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

/** The map as stored: its own points only. */
export function withoutPlacements(map: MapDetail): MapDetail {
  const own = ownCount(map.meta);
  if (own === map.meta.length) return map;
  const pts = decodeFloat32(map.points).subarray(0, own * map.dims);
  return { ...map, n: own, meta: map.meta.slice(0, own), points: encodeFloat32(Float32Array.from(pts)) };
}

/** The map with the placements' points appended (placements of another map or shape are ignored). */
export function withPlacements(map: MapDetail, placements: readonly MapPlacement[]): MapDetail {
  const base = withoutPlacements(map);
  const use = placements.filter((p) => p.mapId === map.id && p.dims === map.dims && p.meta.length === p.n);
  if (use.length === 0) return base;
  const own = decodeFloat32(base.points);
  const extra = use.map((p) => decodeFloat32(p.points));
  const total = base.n + use.reduce((a, p) => a + p.n, 0);
  const points = new Float32Array(total * map.dims);
  points.set(own.subarray(0, base.n * map.dims));
  let o = base.n * map.dims;
  for (const e of extra) {
    points.set(e, o);
    o += e.length;
  }
  return { ...base, n: total, meta: [...base.meta, ...use.flatMap((p) => p.meta)], points: encodeFloat32(points) };
}

/** The placement groups drawn on a map, in order. */
export function placedGroups(meta: readonly MapPoint[]): string[] {
  const out: string[] = [];
  for (const m of meta) if (isPlaced(m) && !out.includes(m.group)) out.push(m.group);
  return out;
}

/**
 * `categorise` for the map's own points, then one category per out-of-domain group (key
 * `ood:<group>`), whatever the colouring; placed points are drawn emphasised (larger, on top).
 */
export function categoriseWithGroups(meta: readonly MapPoint[], labels: readonly string[], by: ColourBy, clusterLabels?: ArrayLike<number> | null): Colouring {
  const own = ownCount(meta);
  if (own === meta.length) return categorise(meta, labels, by, clusterLabels);
  const base = categorise(meta.slice(0, own), labels, by, clusterLabels);
  const groups = placedGroups(meta);
  const categories = [...base.categories];
  const at = new Map<string, number>();
  groups.forEach((g, i) => at.set(g, categories.push({ key: `ood:${g}`, name: g, colour: OOD_COLOURS[i % OOD_COLOURS.length]!, count: 0 }) - 1));
  const index = new Int32Array(meta.length);
  const emphasis = new Uint8Array(meta.length);
  index.set(base.index);
  emphasis.set(base.emphasis);
  for (let i = own; i < meta.length; i++) {
    const m = meta[i]!;
    const c = isPlaced(m) ? at.get(m.group)! : 0;
    index[i] = c;
    emphasis[i] = 1;
    categories[c]!.count++;
  }
  return { by: base.by, categories, index, emphasis };
}
