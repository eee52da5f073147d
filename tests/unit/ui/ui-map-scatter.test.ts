// The Map view's point buffers (src/renderer/src/lib/scatter.ts): decoding frames, fitting the
// cloud into the unit ball, projection to the screen against three.js's own Vector3.project,
// picking and box selection against brute force, colouring and the paint buffer, and the
// segment times of points named by the maps service.
import { PerspectiveCamera, OrthographicCamera, Vector3, Matrix4 } from 'three';
import { describe, expect, it } from 'vitest';
import type { MapPoint } from '../../../src/shared/types';
import { mulberry32 } from '../../../src/main/engine/random';
import { pointsFromDataset } from '../../../src/main/services/maps';
import type { Dataset } from '../../../src/main/services/dataset';
import { labelColour } from '../../../src/renderer/src/lib/confusion';
import {
  categorise,
  cssRgb,
  decodeFloat32,
  FLAG_EMPHASIS,
  FLAG_HIDDEN,
  FLAG_NORMAL,
  FLAG_SELECTED,
  fitPositions,
  hasPredictions,
  nearestPoint,
  paintAll,
  paintPoints,
  pointSize,
  pointsInRect,
  projectPoints,
  segmentOf,
  tracksOfPoints,
} from '../../../src/renderer/src/lib/scatter';

const rng = mulberry32(7);
const randn = (): number => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());

describe('decodeFloat32', () => {
  it('reads the base64 Float32 the service sends (Node Buffer encoding as the reference)', () => {
    const values = Float32Array.from([0, 1.5, -2.25, 3.4028234663852886e38, 1e-38, Math.PI]);
    const b64 = Buffer.from(values.buffer).toString('base64');
    expect(Array.from(decodeFloat32(b64))).toEqual(Array.from(values));
    expect(decodeFloat32('').length).toBe(0);
  });
});

describe('fitPositions', () => {
  it('centres on the bounding box and puts the farthest point on the unit sphere (closed form)', () => {
    // Box centre (1, 2, 0); every corner is √5 from it, so each lands at distance 1.
    const out = fitPositions(Float32Array.from([0, 0, 0, 2, 0, 0, 0, 4, 0]), 3, 3);
    const s = 1 / Math.sqrt(5);
    const want = [-1 * s, -2 * s, 0, 1 * s, -2 * s, 0, -1 * s, 2 * s, 0];
    out.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('writes 2-D maps with z = 0 and reuses the buffer it is given (frames update in place)', () => {
    const buf = new Float32Array(9).fill(7);
    const out = fitPositions([0, 0, 4, 0, 2, 3], 3, 2, buf);
    expect(out).toBe(buf);
    expect([out[2], out[5], out[8]]).toEqual([0, 0, 0]);
    expect(Math.max(...[0, 1, 2].map((i) => Math.hypot(out[i * 3]!, out[i * 3 + 1]!)))).toBeCloseTo(1, 6);
    // Too short a buffer is not written past its end: a new one is made.
    expect(fitPositions([0, 0, 1, 1], 2, 2, new Float32Array(3)).length).toBe(6);
  });

  it('is invariant to translation and positive scaling (property), and survives NaN and one point', () => {
    const n = 200;
    const X = Float32Array.from({ length: n * 3 }, () => randn() * 3);
    const moved = X.map((v, i) => 4.5 * v + [10, -3, 7][i % 3]!);
    const a = fitPositions(X, n, 3);
    const b = fitPositions(moved, n, 3);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    let r = 0;
    for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(a[i * 3]!, a[i * 3 + 1]!, a[i * 3 + 2]!));
    expect(r).toBeCloseTo(1, 5);
    const withNaN = fitPositions([NaN, 1, 2, 3, 4, 5], 2, 3);
    expect(Array.from(withNaN).every(Number.isFinite)).toBe(true);
    expect(Array.from(fitPositions([5, 5, 5], 1, 3))).toEqual([0, 0, 0]);
  });
});

describe('projectPoints', () => {
  const W = 640;
  const H = 480;
  /** three.js r187's Vector3.project, then NDC → CSS pixels (origin top left). */
  const threeScreen = (cam: PerspectiveCamera | OrthographicCamera, x: number, y: number, z: number) => {
    const v = new Vector3(x, y, z).project(cam);
    return [((v.x + 1) / 2) * W, ((1 - v.y) / 2) * H, v.z];
  };
  const viewProj = (cam: PerspectiveCamera | OrthographicCamera) => {
    cam.updateMatrixWorld();
    return new Matrix4().multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse).elements;
  };

  it('matches three.js Vector3.project for a perspective and an orthographic camera (1e-3 px)', () => {
    const persp = new PerspectiveCamera(45, W / H, 0.01, 100);
    persp.position.set(1.5, 0.8, 2.2);
    persp.lookAt(0, 0, 0);
    persp.updateProjectionMatrix();
    const ortho = new OrthographicCamera(-1.5, 1.5, 1.1, -1.1, -10, 10);
    ortho.position.set(0.2, -0.1, 5);
    ortho.zoom = 1.7;
    ortho.updateProjectionMatrix();
    const n = 300;
    const pos = Float32Array.from({ length: n * 3 }, () => rng() * 2 - 1);
    for (const cam of [persp, ortho]) {
      const out = projectPoints(pos, n, viewProj(cam), W, H, new Float32Array(n * 3));
      for (let i = 0; i < n; i++) {
        const want = threeScreen(cam, pos[i * 3]!, pos[i * 3 + 1]!, pos[i * 3 + 2]!);
        expect(out[i * 3]).toBeCloseTo(want[0]!, 3);
        expect(out[i * 3 + 1]).toBeCloseTo(want[1]!, 3);
        expect(out[i * 3 + 2]).toBeCloseTo(want[2]!, 5);
      }
    }
  });

  it('marks points behind the camera as NaN', () => {
    const cam = new PerspectiveCamera(45, W / H, 0.01, 100);
    cam.position.set(0, 0, 2);
    cam.lookAt(0, 0, 0);
    const out = projectPoints(Float32Array.from([0, 0, 0, 0, 0, 3]), 2, viewProj(cam), W, H, new Float32Array(6));
    expect(out[0]).toBeCloseTo(W / 2, 6);
    expect(out[1]).toBeCloseTo(H / 2, 6);
    expect(Number.isNaN(out[3]!)).toBe(true);
  });
});

describe('picking', () => {
  const n = 500;
  const screen = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) screen.set([rng() * 400, rng() * 300, rng() * 2 - 1], i * 3);
  const paint = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) paint[i * 4 + 3] = i % 7 === 0 ? FLAG_HIDDEN : FLAG_NORMAL;

  it('nearestPoint finds the nearest shown point within the radius (brute force as the reference)', () => {
    for (let q = 0; q < 200; q++) {
      const x = rng() * 400;
      const y = rng() * 300;
      const radius = 3 + rng() * 20;
      let want = -1;
      let best = radius * radius;
      for (let i = 0; i < n; i++) {
        if (paint[i * 4 + 3] === FLAG_HIDDEN) continue;
        const d = (screen[i * 3]! - x) ** 2 + (screen[i * 3 + 1]! - y) ** 2;
        if (d < best || (d === best && want >= 0 && screen[i * 3 + 2]! < screen[want * 3 + 2]!)) {
          best = d;
          want = i;
        }
      }
      expect(nearestPoint(screen, n, paint, x, y, radius)).toBe(want);
    }
  });

  it('prefers the point in front when two project to the same pixel, and never picks a hidden one', () => {
    const s = Float32Array.from([10, 10, 0.5, 10, 10, -0.2, 50, 50, 0]);
    expect(nearestPoint(s, 3, null, 10, 10, 5)).toBe(1);
    const p = new Uint8Array(12).fill(FLAG_NORMAL);
    p[7] = FLAG_HIDDEN;
    expect(nearestPoint(s, 3, p, 10, 10, 5)).toBe(0);
    expect(nearestPoint(s, 3, p, 30, 30, 5)).toBe(-1);
  });

  it('pointsInRect lists the shown points inside a box given by any two corners (brute force)', () => {
    const r = { x0: 300, y0: 40, x1: 120, y1: 220 };
    const want: number[] = [];
    for (let i = 0; i < n; i++) {
      const [x, y] = [screen[i * 3]!, screen[i * 3 + 1]!];
      if (paint[i * 4 + 3] !== FLAG_HIDDEN && x >= 120 && x <= 300 && y >= 40 && y <= 220) want.push(i);
    }
    expect(want.length).toBeGreaterThan(20);
    expect(pointsInRect(screen, n, paint, r)).toEqual(want);
    expect(pointsInRect(screen, n, null, { x0: -1, y0: -1, x1: 401, y1: 301 })).toHaveLength(n);
  });
});

const meta = (rows: Array<[string, string | null]>, trackIds = true): MapPoint[] =>
  rows.map(([label, predicted], i) => ({ trackId: trackIds ? 100 + (i >> 1) : null, name: `${label}/${i}.wav`, label, predicted }));

describe('categorise', () => {
  it('colours labels as the Training view does, in the map’s label order, and counts them', () => {
    const m = meta([['rock', null], ['jazz', null], ['rock', null], ['blues', null]]);
    const c = categorise(m, ['blues', 'jazz', 'rock'], 'label');
    expect(c.categories.map((x) => [x.key, x.colour, x.count])).toEqual([
      ['label:blues', labelColour(['blues', 'jazz', 'rock'], 'blues'), 1],
      ['label:jazz', labelColour(['blues', 'jazz', 'rock'], 'jazz'), 1],
      ['label:rock', labelColour(['blues', 'jazz', 'rock'], 'rock'), 2],
    ]);
    expect(Array.from(c.index)).toEqual([2, 1, 2, 0]);
    expect(hasPredictions(m)).toBe(false);
  });

  it('colours predictions (a label only predicted is added; none is grey) and flags wrong ones', () => {
    const m = meta([['rock', 'rock'], ['jazz', 'rock'], ['rock', 'pop'], ['jazz', null]]);
    const p = categorise(m, ['jazz', 'rock'], 'predicted');
    expect(p.categories.map((x) => [x.key, x.count])).toEqual([['label:jazz', 0], ['label:rock', 2], ['label:pop', 1], ['none', 1]]);
    const k = categorise(m, ['jazz', 'rock'], 'correctness');
    expect(k.categories.map((x) => [x.key, x.count])).toEqual([['correct', 1], ['wrong', 2], ['none', 1]]);
    expect(Array.from(k.emphasis)).toEqual([0, 1, 1, 0]);
    expect(hasPredictions(m)).toBe(true);
  });

  it('numbers clusters from 1 and names each by its most common label with its share', () => {
    const m = meta([['rock', null], ['rock', null], ['jazz', null], ['jazz', null], ['jazz', null], ['rock', null]]);
    const c = categorise(m, ['jazz', 'rock'], 'cluster', [0, 0, 1, 1, 1, 1]);
    expect(c.categories.map((x) => [x.name, x.count, x.note])).toEqual([
      ['Cluster 1', 2, '100 % rock'],
      ['Cluster 2', 4, '75 % jazz'],
    ]);
    // Without cluster labels of the right length it falls back to labels.
    expect(categorise(m, ['jazz', 'rock'], 'cluster', [0, 1]).categories[0]!.key).toBe('label:jazz');
  });
});

describe('paint buffer', () => {
  it('cssRgb reads hex and the golden-angle hsl() labels get beyond ten (Python colorsys as the reference)', () => {
    // /usr/bin/python3 -c "import colorsys; print(colorsys.hls_to_rgb(h/360, 0.58, 0.62))" for h = 295, 73, 210, 348, 198
    const ref: Array<[number, [number, number, number]]> = [
      [10, [0.797, 0.3196, 0.8404]],
      [11, [0.72756, 0.8404, 0.3196]],
      [12, [0.3196, 0.58, 0.8404]],
      [13, [0.8404, 0.3196, 0.42376]],
      [25, [0.3196, 0.68416, 0.8404]],
    ];
    const labels = Array.from({ length: 30 }, (_, i) => `g${i}`);
    for (const [i, want] of ref) {
      const got = cssRgb(labelColour(labels, `g${i}`));
      got.forEach((v, c) => expect(v).toBeCloseTo(want[c]!, 6));
    }
    expect(cssRgb('#1f77b4')).toEqual([31 / 255, 119 / 255, 180 / 255]);
    // CSS Color 4: hsl(120 100% 25%) is rgb(0 127.5 0).
    cssRgb('hsl(120 100% 25%)').forEach((v, c) => expect(v).toBeCloseTo([0, 0.5, 0][c]!, 12));
  });

  it('writes colour bytes and flags: hidden categories 0, wrong predictions 2, the selection 3', () => {
    const m = meta([['rock', 'rock'], ['jazz', 'rock'], ['rock', 'rock'], ['jazz', 'jazz']]);
    const col = categorise(m, ['jazz', 'rock'], 'correctness');
    const paint = new Uint8Array(16);
    paintPoints(col, new Set(), new Set([2]), paint);
    expect([3, 7, 11, 15].map((o) => paint[o])).toEqual([FLAG_NORMAL, FLAG_EMPHASIS, FLAG_SELECTED, FLAG_NORMAL]);
    expect(Array.from(paint.subarray(4, 7))).toEqual([0xff, 0x4d, 0x4f]);
    paintPoints(col, new Set(['correct']), null, paint);
    expect([3, 7, 11, 15].map((o) => paint[o])).toEqual([FLAG_HIDDEN, FLAG_EMPHASIS, FLAG_HIDDEN, FLAG_HIDDEN]);
    paintAll('#7c9cff', 4, paint);
    expect(Array.from(paint.subarray(12, 16))).toEqual([0x7c, 0x9c, 0xff, FLAG_NORMAL]);
  });

  it('pointSize shrinks as maps grow, within 2.5 and 10 px', () => {
    const sizes = [1, 24, 500, 5_000, 20_000, 200_000].map(pointSize);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(sizes[0]).toBe(10);
    expect(pointSize(20_000)).toBeCloseTo(3, 12);
    expect(sizes[sizes.length - 1]).toBe(2.5);
  });
});

describe('points and tracks', () => {
  it('segmentOf reads back the segment times the maps service writes into point names', () => {
    // A dataset of two tracks, the second as three 3-second segments, through the service's own naming.
    const ds: Dataset = {
      X: new Float32Array(4 * 2).fill(1),
      rows: 4,
      cols: 2,
      columns: ['a', 'b'],
      rowLabels: ['rock', 'jazz', 'jazz', 'jazz'],
      rowTrack: Int32Array.from([0, 1, 1, 1]),
      rowSegment: Int32Array.from([-1, 0, 1, 2]),
      groups: ['t1', 't2', 't2', 't2'],
      tracks: [
        { key: 't1', trackId: 1, name: 'rock/a.wav', label: 'rock' },
        { key: 't2', trackId: 2, name: 'jazz/b.wav', label: 'jazz' },
      ],
      segments: true,
      segmentSeconds: 3,
      unlabelled: 0,
    };
    const ps = pointsFromDataset(ds, 'test');
    expect(ps.meta.map((p) => segmentOf(p.name))).toEqual([
      { start: 0, end: null },
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 9 },
    ]);
    expect(tracksOfPoints(ps.meta, [3, 1, 0, 2]).map((t) => [t.point.trackId, t.points, t.index])).toEqual([
      [2, 3, 3],
      [1, 1, 0],
    ]);
  });

  it('tracksOfPoints keeps table rows (no track id) apart by name', () => {
    const m = meta([['a', null], ['b', null]], false);
    expect(tracksOfPoints(m, [0, 1, 9]).map((t) => t.points)).toEqual([1, 1]);
  });
});
