// The Hyperbolic view's pure pieces: re-centring by a Möbius transformation (closed form in complex
// numbers, and the isometry property), the animated centre path (a geodesic), geodesic arcs on
// screen (canvas angles and SVG sweep flags, checked against the closed-form geodesic and the
// distance's triangle equality), picking, label placement, library-label matching, the dendrogram
// layout, genre-name suggestions and the training form's validation.
import { describe, expect, it } from 'vitest';
import { poincareDistance } from '../../../src/main/engine/hyperbolic/math';
import { mulberry32 } from '../../../src/main/engine/random';
import { dendrogramLayout } from '../../../src/renderer/src/views/hyperbolic/dendrogram';
import {
  declutter,
  diskSvg,
  diskBasis,
  displayCoords,
  fromScreen,
  geodesicAt,
  geodesicMidpoint,
  geodesicPathData,
  libraryMatches,
  pickPoint,
  screenGeodesic,
  toScreen,
  type DiskFrame,
} from '../../../src/renderer/src/views/hyperbolic/disk';
import { buildTrainRequest, INITIAL_TRAIN_FORM } from '../../../src/renderer/src/views/hyperbolic/model';
import { editDistance, normaliseGenre, suggestGenres } from '../../../src/shared/hyperbolic';

const F: DiskFrame = { cx: 100, cy: 100, radius: 100, zoom: 1 };

function ballPoint(rng: () => number, dim: number, rmax: number): Float64Array {
  const x = Float64Array.from({ length: dim }, () => rng() * 2 - 1);
  const n = Math.hypot(...x);
  const r = rmax * Math.sqrt(rng());
  return x.map((v) => (v / n) * r);
}

describe('re-centring', () => {
  it('is the complex Möbius map (z − a)/(1 − ā z) in 2-D (hand-computed values)', () => {
    // a = 0.5: z = 0 ↦ −0.5; z = 0.5i ↦ (−0.5 + 0.5i)/(1 − 0.25i) = (−10 + 6i)/17
    const X = Float64Array.from([0, 0, 0, 0.5, 0.5, 0]);
    const d = displayCoords(X, 3, 2, Float64Array.from([0.5, 0]));
    expect(d[0]).toBeCloseTo(-0.5, 15);
    expect(d[1]).toBeCloseTo(0, 15);
    expect(d[2]).toBeCloseTo(-10 / 17, 15);
    expect(d[3]).toBeCloseTo(6 / 17, 15);
    expect(Math.abs(d[4]!)).toBeLessThan(1e-15);
    expect(Math.abs(d[5]!)).toBeLessThan(1e-15);
    // no centre: the first two coordinates as they are
    expect(Array.from(displayCoords(Float64Array.from([0.1, 0.2, 0.3]), 1, 3, null))).toEqual([0.1, 0.2]);
  });

  it('moves the centre to the origin and keeps every distance (an isometry), in any dimension', () => {
    const rng = mulberry32(5);
    for (const dim of [2, 5, 10]) {
      const n = 30;
      const X = new Float64Array(n * dim);
      for (let i = 0; i < n; i++) X.set(ballPoint(rng, dim, 0.97), i * dim);
      const c = X.slice(7 * dim, 8 * dim);
      const d = displayCoords(X, n, dim, c);
      expect(Math.hypot(d[14]!, d[15]!)).toBeLessThan(1e-12);
      if (dim === 2) {
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const before = poincareDistance(X.subarray(i * 2, i * 2 + 2), X.subarray(j * 2, j * 2 + 2));
            const after = poincareDistance(d.subarray(i * 2, i * 2 + 2), d.subarray(j * 2, j * 2 + 2));
            expect(Math.abs(after - before)).toBeLessThan(1e-8 * Math.max(1, before));
          }
        }
      }
      for (let i = 0; i < n; i++) expect(Math.hypot(d[2 * i]!, d[2 * i + 1]!)).toBeLessThan(1);
    }
  });

  it('draws a >2-D embedding in its principal tangent plane: distances from the centre exact; a planar embedding exactly', () => {
    const rng = mulberry32(13);
    const dim = 10;
    const n = 40;
    // a 2-D embedding placed in a random plane of the 10-D ball (Gram–Schmidt on two random vectors)
    const u = Float64Array.from({ length: dim }, () => rng() - 0.5);
    const w = Float64Array.from({ length: dim }, () => rng() - 0.5);
    const nu = Math.hypot(...u);
    u.forEach((_, k) => (u[k] = u[k]! / nu));
    const uw = u.reduce((a, x, k) => a + x * w[k]!, 0);
    w.forEach((_, k) => (w[k] = w[k]! - uw * u[k]!));
    const nw = Math.hypot(...w);
    w.forEach((_, k) => (w[k] = w[k]! / nw));
    const flat = new Float64Array(n * 2);
    const X = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) {
      const p = ballPoint(rng, 2, 0.95);
      flat.set(p, i * 2);
      for (let k = 0; k < dim; k++) X[i * dim + k] = p[0]! * u[k]! + p[1]! * w[k]!;
    }
    const basis = diskBasis(X, n, dim)!;
    expect(basis).toHaveLength(2 * dim);
    expect(diskBasis(flat, n, 2)).toBeNull();
    for (const centre of [null, X.slice(3 * dim, 4 * dim)]) {
      const d = displayCoords(X, n, dim, centre, undefined, basis);
      // the plane holds every point, so the drawing is the 2-D embedding up to a rotation or
      // reflection: every pairwise Poincaré distance is kept
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const want = poincareDistance(X.subarray(i * dim, (i + 1) * dim), X.subarray(j * dim, (j + 1) * dim));
          const got = poincareDistance(d.subarray(2 * i, 2 * i + 2), d.subarray(2 * j, 2 * j + 2));
          expect(Math.abs(got - want)).toBeLessThan(1e-7 * Math.max(1, want));
        }
      }
    }
    // a genuinely 10-D cloud: the distance of every genre from the centre stays exact
    const Y = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) Y.set(ballPoint(rng, dim, 0.97), i * dim);
    const c = Y.slice(11 * dim, 12 * dim);
    const d = displayCoords(Y, n, dim, c, undefined, diskBasis(Y, n, dim));
    for (let i = 0; i < n; i++) {
      const want = poincareDistance(Y.subarray(i * dim, (i + 1) * dim), c);
      const got = poincareDistance(d.subarray(2 * i, 2 * i + 2), new Float64Array(2));
      expect(Math.abs(got - want)).toBeLessThan(1e-8 * Math.max(1, want));
    }
  });

  it('animates along the geodesic: ends exact, the midpoint halfway in hyperbolic length', () => {
    const rng = mulberry32(9);
    for (let k = 0; k < 20; k++) {
      const a = ballPoint(rng, 4, 0.95);
      const b = ballPoint(rng, 4, 0.95);
      const dab = poincareDistance(a, b);
      expect(poincareDistance(geodesicAt(a, b, 0), a)).toBeLessThan(1e-7);
      expect(poincareDistance(geodesicAt(a, b, 1), b)).toBeLessThan(1e-6);
      const m = geodesicAt(a, b, 0.5);
      expect(poincareDistance(a, m)).toBeCloseTo(dab / 2, 6);
      expect(poincareDistance(m, b)).toBeCloseTo(dab / 2, 6);
      const q = geodesicAt(a, b, 0.25);
      expect(poincareDistance(a, q) + poincareDistance(q, b)).toBeCloseTo(dab, 6);
    }
  });
});

describe('geodesics on screen', () => {
  it('draws the arc bowing towards the origin: closed-form midpoint and SVG sweep flag', () => {
    // p = (0.5, 0), q = (0, 0.5): the carrying circle has centre (1.25, 1.25) and r² = 2·1.25² − 1, so
    // the arc crosses y = x at m = 1.25 − r/√2.
    const g = screenGeodesic([0.5, 0], [0, 0.5], F);
    expect(g.kind).toBe('arc');
    const m = 1.25 - Math.sqrt(2 * 1.25 ** 2 - 1) / Math.SQRT2;
    const [mx, my] = geodesicMidpoint(g);
    expect(mx).toBeCloseTo(100 + 100 * m, 9);
    expect(my).toBeCloseTo(100 - 100 * m, 9);
    // On screen (y down) the angle from the circle's centre grows from p to q: SVG's positive sweep.
    expect(geodesicPathData(g)).toBe('M150,100 A145.77,145.77 0 0 1 100,50');
    expect(geodesicPathData(screenGeodesic([0, 0.5], [0.5, 0], F))).toBe('M100,50 A145.77,145.77 0 0 0 150,100');
  });

  it('puts the drawn midpoint on the hyperbolic geodesic (d(p,m) + d(m,q) = d(p,q)), zoomed or not', () => {
    const rng = mulberry32(3);
    for (const zoom of [1, 3.5]) {
      const f = { cx: 320, cy: 240, radius: 220, zoom };
      for (let k = 0; k < 200; k++) {
        const p = ballPoint(rng, 2, 0.99);
        const q = ballPoint(rng, 2, 0.99);
        const g = screenGeodesic([p[0]!, p[1]!], [q[0]!, q[1]!], f);
        const m = Float64Array.from(fromScreen(...geodesicMidpoint(g), f));
        const d = poincareDistance(p, q);
        expect(Math.abs(poincareDistance(p, m) + poincareDistance(m, q) - d)).toBeLessThan(1e-6 * Math.max(1, d));
      }
    }
    // through the origin: a straight segment
    expect(screenGeodesic([-0.5, 0], [0.5, 0], F).kind).toBe('line');
  });

  it('maps disk and screen coordinates both ways and picks the nearest drawn point', () => {
    const f = { cx: 50, cy: 60, radius: 40, zoom: 2 };
    const [sx, sy] = toScreen(0.25, -0.1, f);
    expect([sx, sy]).toEqual([70, 68]);
    expect(fromScreen(sx, sy, f)).toEqual([0.25, -0.1]);
    const disp = Float64Array.from([0, 0, 0.1, 0, 0.5, 0.5]);
    expect(pickPoint(disp, 3, F, 108, 100, 10)).toBe(1);
    expect(pickPoint(disp, 3, F, 101, 101, 10)).toBe(0);
    expect(pickPoint(disp, 3, F, 10, 10, 10)).toBe(-1);
    expect(pickPoint(disp, 3, F, 101, 101, 10, Uint8Array.from([1, 0, 0]))).toBe(1);
  });
});

describe('labels and library matching', () => {
  it('keeps a label only when it overlaps none kept before, forced ones always', () => {
    const boxes = [
      { x: 0, y: 0, w: 50, h: 10 },
      { x: 40, y: 5, w: 50, h: 10 }, // overlaps the first
      { x: 100, y: 0, w: 20, h: 10 },
      { x: 0, y: 20, w: 10, h: 10 },
    ];
    expect(declutter(boxes)).toEqual([0, 2, 3]);
    expect(declutter(boxes, 2)).toEqual([0, 1, 2, 3]);
  });

  it('matches library labels to genres by normalised name', () => {
    expect(normaliseGenre('Hip-Hop')).toBe('hiphop');
    expect(normaliseGenre('Musique Électronique')).toBe('musiqueelectronique');
    const m = libraryMatches(['hip hop', 'rock', 'r&b', 'pop rock', 'drum and bass'], ['hiphop', 'Rock', 'RnB', 'Drum-and-Bass', '']);
    expect(Array.from(m)).toEqual([1, 1, 0, 0, 1]);
  });

  it('suggests names: exact, normalised, prefix, substring, then close by edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // the textbook example
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3); // early exit above the bound
    const names = ['queens hip hop', 'hip hop', 'east coast hip hop', 'hip pop', 'rock', 'hiphop'];
    expect(suggestGenres(names, 'hip hop')).toEqual(['hip hop', 'hiphop', 'queens hip hop', 'east coast hip hop', 'hip pop']);
    expect(suggestGenres(names, 'qeens hip hop')).toEqual(['queens hip hop']);
    expect(suggestGenres(names, 'zzz')).toEqual([]);
    expect(suggestGenres(names, '  ')).toEqual([]);
  });

  it('writes the disk as an SVG with every genre a circle and names escaped', () => {
    const disp = Float64Array.from([0, 0, 0.5, 0.2, -0.3, -0.6]);
    const svg = diskSvg({ names: ['a<b', 'rock', 'r&b'], disp, n: 3, labelled: [0, 1, 2], forced: 0, library: Uint8Array.from([0, 1, 0]), selected: 0, links: [{ to: 1, kind: 'parent' }], caption: 'test' }, 400);
    expect(svg.startsWith('<svg')).toBe(true);
    expect((svg.match(/<circle [^>]*><title>/g) ?? []).length).toBe(3); // one per genre (besides the rim and the clip)
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('r&amp;b');
    expect(svg).toMatch(/<path d="M[\d.,]+ (A|L)/);
  });
});

describe('dendrogram layout', () => {
  it('places leaves one row apart and merges at the mean row of their children', () => {
    // leaves 0, 1, 2; (0, 2) merge at 1, then with 1 at 3; leaf order 0, 2, 1
    const L = dendrogramLayout([[0, 2, 1, 2], [1, 3, 3, 3]], [0, 2, 1]);
    expect(L.leafRow).toEqual([0, 2, 1]);
    expect(L.maxHeight).toBe(3);
    expect(L.segments).toEqual([
      { x1: 0, y1: 0, x2: 1, y2: 0 },
      { x1: 0, y1: 1, x2: 1, y2: 1 },
      { x1: 1, y1: 0, x2: 1, y2: 1 },
      { x1: 0, y1: 2, x2: 3, y2: 2 },
      { x1: 1, y1: 0.5, x2: 3, y2: 0.5 },
      { x1: 3, y1: 2, x2: 3, y2: 0.5 },
    ]);
  });
});

describe('training form', () => {
  it('builds the request, or names every bad field', () => {
    const ok = buildTrainRequest({ ...INITIAL_TRAIN_FORM, dim: '2', directed: true, tau: '0.25', name: ' x ' }, 3);
    expect(ok.request).toEqual({ graphId: 3, dim: 2, epochs: 50, negatives: 10, burnIn: 10, lr: 0.1, seed: 0, directed: true, tau: 0.25, euclidean: true, name: 'x' });
    const bad = buildTrainRequest({ ...INITIAL_TRAIN_FORM, dim: '1', epochs: '2.5', lr: '0', directed: true, tau: '2' }, null);
    expect(bad.request).toBeNull();
    expect(Object.keys(bad.errors).sort()).toEqual(['dim', 'epochs', 'graph', 'lr', 'tau']);
    expect(buildTrainRequest({ ...INITIAL_TRAIN_FORM, tau: 'x' }, 1).request?.tau).toBeUndefined();
  });
});
