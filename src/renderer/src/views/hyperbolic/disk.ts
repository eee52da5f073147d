// Poincaré-disk geometry for the Hyperbolic view: re-centring every genre by a Möbius transformation
// (in the embedding's full dimension; a higher-dimensional embedding is then drawn by its two
// principal tangent directions, each genre at its true distance from the centre), the animated move of
// the centre along a geodesic, screen transforms, picking, geodesic arcs for canvas and SVG, and the
// SVG picture of the disk. Pure functions, no DOM.
import { geodesicArc2D, mobiusAdd, mobiusScale } from '../../../../main/engine/hyperbolic/math';
import { symmetricEigen } from '../../../../main/engine/latent/linalg';
import { normaliseGenre } from '../../../../shared/hyperbolic';

/** Where the unit disk sits on screen: centre (px), radius of the unit circle (px) and zoom. */
export interface DiskFrame {
  cx: number;
  cy: number;
  radius: number;
  zoom: number;
}

/**
 * How an embedding of more than two dimensions is drawn: the two principal directions (rows of a
 * 2 × dim matrix) of its tangent vectors at the origin, log₀(x) = artanh(‖x‖) x / ‖x‖ (principal
 * components of their covariance). Null for 1-D and 2-D embeddings,
 * which are drawn as they are. Points on or outside the unit sphere (a Euclidean embedding drawn in
 * the disk) count as just inside it.
 */
export function diskBasis(X: Float64Array, n: number, dim: number): Float64Array | null {
  if (dim <= 2) return null;
  // log₀ of every row, then their covariance (centred: a direction all genres share would
  // otherwise win the first axis and draw every genre on one side)
  const V = new Float64Array(n * dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    let r = 0;
    for (let k = 0; k < dim; k++) r += X[o + k]! * X[o + k]!;
    r = Math.sqrt(r);
    if (!(r > 0)) continue;
    const s = Math.atanh(Math.min(r, 1 - 1e-9)) / r;
    for (let k = 0; k < dim; k++) {
      V[o + k] = s * X[o + k]!;
      mean[k] += V[o + k]! / n;
    }
  }
  const M = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let a = 0; a < dim; a++) {
      const va = V[o + a]! - mean[a]!;
      for (let b = a; b < dim; b++) M[a * dim + b] += va * (V[o + b]! - mean[b]!);
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) M[a * dim + b] = M[b * dim + a]!;
  return symmetricEigen(M, dim).vectors.slice(0, 2 * dim);
}

/**
 * Display coordinates (n × 2) of every row of X (n × dim) after the Möbius transformation
 * z ↦ (−c) ⊕ z that moves `centre` to the origin (an isometry of the ball, in the full dimension).
 * Without a basis: the first two coordinates of the moved points (exact for a 2-D embedding). With a
 * basis (diskBasis): each moved point keeps its Euclidean norm — so its hyperbolic distance from the
 * centre is exact — in the direction of its projection onto the basis plane.
 */
export function displayCoords(
  X: Float64Array,
  n: number,
  dim: number,
  centre: Float64Array | null,
  out: Float64Array = new Float64Array(2 * n),
  basis: Float64Array | null = null,
): Float64Array {
  let cc = 0;
  if (centre) for (let k = 0; k < dim; k++) cc += centre[k]! * centre[k]!;
  const moved = cc > 0;
  const b = 1 - cc;
  const z = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    if (moved) {
      // (−c) ⊕ x with ⟨c, x⟩, ‖c‖² hoisted: ((1 − 2⟨c,x⟩ + ‖x‖²)(−c) + (1 − ‖c‖²) x) / (1 − 2⟨c,x⟩ + ‖c‖²‖x‖²)
      let cx = 0;
      let xx = 0;
      for (let k = 0; k < dim; k++) {
        const x = X[o + k]!;
        cx += centre![k]! * x;
        xx += x * x;
      }
      const a = 1 - 2 * cx + xx;
      const den = Math.max(1 - 2 * cx + cc * xx, 1e-15);
      for (let k = 0; k < dim; k++) z[k] = (-a * centre![k]! + b * X[o + k]!) / den;
    } else {
      for (let k = 0; k < dim; k++) z[k] = X[o + k]!;
    }
    if (!basis) {
      out[2 * i] = z[0]!;
      out[2 * i + 1] = dim > 1 ? z[1]! : 0;
      continue;
    }
    let r = 0;
    let p0 = 0;
    let p1 = 0;
    for (let k = 0; k < dim; k++) {
      r += z[k]! * z[k]!;
      p0 += basis[k]! * z[k]!;
      p1 += basis[dim + k]! * z[k]!;
    }
    r = Math.sqrt(r);
    const pr = Math.hypot(p0, p1);
    // a point square to the plane has no direction in it: drawn on the first axis, at its radius
    out[2 * i] = pr > 1e-12 ? (r * p0) / pr : r;
    out[2 * i + 1] = pr > 1e-12 ? (r * p1) / pr : 0;
  }
  return out;
}

/** The point at t ∈ [0, 1] of the geodesic from a to b: a ⊕ (t ⊗ ((−a) ⊕ b)). */
export function geodesicAt(a: Float64Array, b: Float64Array, t: number): Float64Array {
  const negA = a.map((x) => -x);
  return mobiusAdd(a, mobiusScale(t, mobiusAdd(negA, b)));
}

/** Smooth start and stop (cubic ease in-out). */
export function easeInOut(t: number): number {
  const x = Math.min(1, Math.max(0, t));
  return x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2;
}

export function toScreen(x: number, y: number, f: DiskFrame): [number, number] {
  const s = f.radius * f.zoom;
  return [f.cx + s * x, f.cy - s * y];
}

export function fromScreen(px: number, py: number, f: DiskFrame): [number, number] {
  const s = f.radius * f.zoom;
  return [(px - f.cx) / s, (f.cy - py) / s];
}

/** Index of the point drawn nearest to (px, py) within maxPx (visible points only), or -1. */
export function pickPoint(disp: Float64Array, n: number, f: DiskFrame, px: number, py: number, maxPx: number, hidden?: Uint8Array | null): number {
  let best = -1;
  let bestD = maxPx * maxPx;
  const s = f.radius * f.zoom;
  for (let i = 0; i < n; i++) {
    if (hidden && hidden[i]) continue;
    const dx = f.cx + s * disp[2 * i]! - px;
    const dy = f.cy - s * disp[2 * i + 1]! - py;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Dot size and opacity by the displayed norm: genres near the centre of the view are drawn larger. */
export function dotStyle(x: number, y: number): { r: number; alpha: number } {
  const c = Math.max(0, 1 - (x * x + y * y));
  return { r: 1.4 + 4.2 * c, alpha: 0.22 + 0.73 * c };
}

/** A geodesic on screen: a straight segment, or a circular arc in canvas terms (angles in screen space). */
export type ScreenGeodesic =
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number }
  | { kind: 'arc'; x1: number; y1: number; x2: number; y2: number; cx: number; cy: number; r: number; start: number; end: number; anticlockwise: boolean };

/** The geodesic between two display points, on screen. */
export function screenGeodesic(p: readonly [number, number], q: readonly [number, number], f: DiskFrame): ScreenGeodesic {
  const [x1, y1] = toScreen(p[0], p[1], f);
  const [x2, y2] = toScreen(q[0], q[1], f);
  const g = geodesicArc2D(p[0], p[1], q[0], q[1]);
  if (g.kind === 'line') return { kind: 'line', x1, y1, x2, y2 };
  const [cx, cy] = toScreen(g.cx, g.cy, f);
  // y flips on screen, so angles change sign and the turning direction reverses twice (canvas angles
  // grow clockwise on screen): a mathematically anticlockwise arc stays `anticlockwise` for canvas.
  return { kind: 'arc', x1, y1, x2, y2, cx, cy, r: g.r * f.radius * f.zoom, start: -g.start, end: -g.end, anticlockwise: g.anticlockwise };
}

/** SVG path data of a screen geodesic. */
export function geodesicPathData(g: ScreenGeodesic): string {
  const r2 = (v: number) => Math.round(v * 100) / 100;
  if (g.kind === 'line') return `M${r2(g.x1)},${r2(g.y1)} L${r2(g.x2)},${r2(g.y2)}`;
  // The arc inside the disk spans less than π; canvas-anticlockwise (decreasing screen angle) is SVG sweep 0.
  return `M${r2(g.x1)},${r2(g.y1)} A${r2(g.r)},${r2(g.r)} 0 0 ${g.anticlockwise ? 0 : 1} ${r2(g.x2)},${r2(g.y2)}`;
}

/** The screen point halfway along the drawn arc (for tests and for placing labels). */
export function geodesicMidpoint(g: ScreenGeodesic): [number, number] {
  if (g.kind === 'line') return [(g.x1 + g.x2) / 2, (g.y1 + g.y2) / 2];
  let delta = g.end - g.start;
  // canvas: anticlockwise = decreasing angle
  if (g.anticlockwise) {
    while (delta > 0) delta -= 2 * Math.PI;
  } else {
    while (delta < 0) delta += 2 * Math.PI;
  }
  const mid = g.start + delta / 2;
  return [g.cx + g.r * Math.cos(mid), g.cy + g.r * Math.sin(mid)];
}

/** Which genres carry one of the library's labels, matched by normalised name ("hiphop" meets "hip hop"). */
export function libraryMatches(names: readonly string[], labels: readonly string[]): Uint8Array {
  const keys = new Set(labels.map(normaliseGenre).filter((k) => k !== ''));
  return Uint8Array.from(names, (n) => (keys.has(normaliseGenre(n)) ? 1 : 0));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface DiskPicture {
  names: readonly string[];
  disp: Float64Array;
  n: number;
  /** Genres that may be named, most important first (overlapping names are left out)… */
  labelled: readonly number[];
  /** …except the first `forced`, always named. */
  forced: number;
  /** Library labels (highlighted). */
  library: Uint8Array;
  selected: number | null;
  /** Geodesics from the selected genre: [index, kind]. */
  links: ReadonlyArray<{ to: number; kind: 'neighbour' | 'parent' }>;
  caption: string;
}

export const DISK_COLOURS = {
  background: '#0b0d12',
  rim: '#323a49',
  dot: '#7c9cff',
  library: '#e0b252',
  selected: '#ffffff',
  neighbour: '#4cc38a',
  parent: '#f2706a',
  text: '#e3e7ee',
};

/** The disk as an SVG document (the same picture as the canvas, vector). */
export function diskSvg(pic: DiskPicture, size: number, zoom = 1): string {
  const f: DiskFrame = { cx: size / 2, cy: size / 2, radius: size / 2 - 12, zoom };
  const c = DISK_COLOURS;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 24}" viewBox="0 0 ${size} ${size + 24}" font-family="system-ui, sans-serif">`);
  out.push(`<rect width="100%" height="100%" fill="${c.background}"/>`);
  out.push(`<clipPath id="disk"><circle cx="${f.cx}" cy="${f.cy}" r="${f.radius}"/></clipPath>`);
  out.push(`<circle cx="${f.cx}" cy="${f.cy}" r="${f.radius}" fill="none" stroke="${c.rim}" stroke-width="1.5"/>`);
  out.push('<g clip-path="url(#disk)">');
  const sel = pic.selected;
  if (sel !== null) {
    const p: [number, number] = [pic.disp[2 * sel]!, pic.disp[2 * sel + 1]!];
    for (const l of pic.links) {
      const g = screenGeodesic(p, [pic.disp[2 * l.to]!, pic.disp[2 * l.to + 1]!], f);
      out.push(`<path d="${geodesicPathData(g)}" fill="none" stroke="${l.kind === 'parent' ? c.parent : c.neighbour}" stroke-width="1.4" stroke-opacity="0.85"/>`);
    }
  }
  for (let i = 0; i < pic.n; i++) {
    const x = pic.disp[2 * i]!;
    const y = pic.disp[2 * i + 1]!;
    const [sx, sy] = toScreen(x, y, f);
    const st = dotStyle(x, y);
    const fill = i === sel ? c.selected : pic.library[i] ? c.library : c.dot;
    out.push(`<circle cx="${sx.toFixed(2)}" cy="${sy.toFixed(2)}" r="${(st.r * (pic.library[i] ? 1.3 : 1)).toFixed(2)}" fill="${fill}" fill-opacity="${st.alpha.toFixed(3)}"><title>${esc(pic.names[i]!)}</title></circle>`);
  }
  const boxes = pic.labelled.map((i) => {
    const [sx, sy] = toScreen(pic.disp[2 * i]!, pic.disp[2 * i + 1]!, f);
    return { x: sx + 6, y: sy - 16, w: 6.2 * pic.names[i]!.length, h: 13 };
  });
  for (const k of declutter(boxes, pic.forced)) {
    const i = pic.labelled[k]!;
    const b = boxes[k]!;
    out.push(`<text x="${b.x.toFixed(2)}" y="${(b.y + 11).toFixed(2)}" font-size="11" fill="${pic.library[i] ? c.library : c.text}">${esc(pic.names[i]!)}</text>`);
  }
  out.push('</g>');
  out.push(`<text x="8" y="${size + 16}" font-size="11" fill="${c.text}">${esc(pic.caption)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * The genres to name on the disk, most important first: the selected, hovered and linked ones, the
 * library's labels, then the genres nearest the centre of the view (up to `central`).
 */
export function labelledGenres(disp: Float64Array, n: number, always: Iterable<number>, library: Uint8Array, central = 40, maxLibrary = 60): number[] {
  const out = new Set<number>();
  for (const i of always) if (i >= 0 && i < n) out.add(i);
  let lib = 0;
  for (let i = 0; i < n && lib < maxLibrary; i++) {
    if (library[i]) {
      out.add(i);
      lib++;
    }
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) idx.push(i);
  const r2 = (i: number) => disp[2 * i]! ** 2 + disp[2 * i + 1]! ** 2;
  idx.sort((a, b) => r2(a) - r2(b));
  for (const i of idx.slice(0, central)) out.add(i);
  return [...out];
}

export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Greedy label placement: in priority order, keep a label when its box overlaps none kept before
 * (the first `forced` are always kept). Returns the positions kept, in order.
 */
export function declutter(boxes: readonly LabelBox[], forced = 0): number[] {
  const kept: number[] = [];
  for (let k = 0; k < boxes.length; k++) {
    const b = boxes[k]!;
    const hit = k >= forced && kept.some((j) => {
      const o = boxes[j]!;
      return b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h;
    });
    if (!hit) kept.push(k);
  }
  return kept;
}
