import React, { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { clustersAtHeight, cutHeight, fractionHeight, pathToRoot } from '../../lib/dendrogram';
import { drawTree, geometry, visibleRows, xOf, type TreeScene, type TreeView } from './TreeRenderer';

export interface TreeCanvasApi {
  /** The whole tree drawn on a fresh canvas (light background), for a PNG. */
  fullCanvas(): HTMLCanvasElement;
  fit(): void;
  zoom(factor: number): void;
}

interface Hover {
  x: number;
  y: number;
  text: string;
}

const MIN_ROW = 0.05;
const MAX_ROW = 40;
/** The tallest canvas a browser reliably draws (Chromium's limit is 32,767 px). */
const MAX_PNG_HEIGHT = 30_000;

/**
 * The dendrogram canvas: wheel scrolls, Ctrl/⌘ + wheel (or the buttons) zooms about the pointer, a
 * drag pans, dragging the red cut line moves the cut; hovering a row names its genre and cluster.
 */
export function TreeCanvas(props: {
  scene: TreeScene;
  focusTick: number;
  onCut: (k: number) => void;
  apiRef?: React.Ref<TreeCanvasApi | null>;
}): React.JSX.Element {
  const { scene, focusTick, onCut } = props;
  const host = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<TreeView>({ rowH: 14, scroll: 0 });
  const size = useRef({ w: 800, h: 600 });
  const frame = useRef(0);
  const fitted = useRef<unknown>(null);
  const drag = useRef<{ kind: 'pan' | 'cut'; y0: number; scroll0: number } | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  const onCutRef = useRef(onCut);
  onCutRef.current = onCut;
  const n = scene.layout.n;

  const clamp = useCallback(() => {
    const v = view.current;
    const g = geometry(size.current.w, size.current.h);
    const rows = (g.height - g.top) / v.rowH;
    v.scroll = Math.max(-0.5, Math.min(v.scroll, Math.max(-0.5, sceneRef.current.layout.n - rows + 0.5)));
  }, []);

  const draw = useCallback(() => {
    frame.current = 0;
    const c = canvas.current;
    if (!c) return;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = size.current;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const t0 = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    clamp();
    const g = geometry(w, h);
    const counts = drawTree(ctx, g, view.current, sceneRef.current);
    const ms = performance.now() - t0;
    const [r0, r1] = visibleRows(g, view.current, sceneRef.current.layout.n);
    const d = c.dataset;
    d.drawn = String(Number(d.drawn ?? 0) + 1);
    d.drawMs = ms.toFixed(2);
    d.links = String(counts.links);
    d.labels = String(counts.labels);
    d.firstRow = String(r0);
    d.lastRow = String(r1);
    d.rowHeight = view.current.rowH.toFixed(3);
  }, [clamp]);

  const redraw = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  const fit = useCallback(() => {
    const g = geometry(size.current.w, size.current.h);
    const rowH = Math.max(MIN_ROW, Math.min(MAX_ROW, (g.height - g.top) / sceneRef.current.layout.n));
    view.current = { rowH, scroll: 0 };
    redraw();
  }, [redraw]);

  const zoomAt = useCallback(
    (factor: number, py: number) => {
      const v = view.current;
      const g = geometry(size.current.w, size.current.h);
      const row = v.scroll + (py - g.top) / v.rowH;
      v.rowH = Math.max(MIN_ROW, Math.min(MAX_ROW, v.rowH * factor));
      v.scroll = row - (py - g.top) / v.rowH;
      redraw();
    },
    [redraw],
  );

  // Size: follow the host element.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      size.current = { w: Math.max(200, r.width), h: Math.max(160, r.height) };
      if (canvas.current) {
        canvas.current.style.width = `${size.current.w}px`;
        canvas.current.style.height = `${size.current.h}px`;
      }
      if (fitted.current !== sceneRef.current.doc) {
        fitted.current = sceneRef.current.doc;
        fit();
      } else redraw();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [fit, redraw]);

  // A new tree starts fitted; other scene changes (cut, scale, search) redraw.
  useEffect(() => {
    if (fitted.current !== scene.doc) {
      fitted.current = scene.doc;
      fit();
    } else redraw();
  }, [scene, fit, redraw]);

  // Scroll to the focused leaf (search), zoomed in far enough to read its name.
  useEffect(() => {
    const leaf = sceneRef.current.focus;
    if (leaf === null) return;
    const v = view.current;
    const g = geometry(size.current.w, size.current.h);
    v.rowH = Math.max(v.rowH, 14);
    v.scroll = sceneRef.current.layout.y[leaf]! - (g.height - g.top) / v.rowH / 2;
    redraw();
  }, [focusTick, redraw]);

  useImperativeHandle(
    props.apiRef,
    () => ({
      fit,
      zoom: (f: number) => zoomAt(f, size.current.h / 2),
      fullCanvas: () => {
        const s = sceneRef.current;
        const rowH = Math.max(1, Math.min(14, Math.floor(MAX_PNG_HEIGHT / s.layout.n)));
        const w = 1400;
        const g0 = geometry(w, 0);
        const h = g0.top + s.layout.n * rowH + 12;
        const c = document.createElement('canvas');
        c.width = w;
        c.height = h;
        const ctx = c.getContext('2d')!;
        drawTree(ctx, geometry(w, h), { rowH, scroll: 0 }, s, { light: true });
        return c;
      },
    }),
    [fit, zoomAt],
  );

  // Wheel: scroll, or zoom with Ctrl/⌘ (passive listeners cannot preventDefault, hence addEventListener).
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      if (e.ctrlKey || e.metaKey) zoomAt(Math.exp(-e.deltaY * 0.0025), e.clientY - rect.top);
      else {
        view.current.scroll += e.deltaY / view.current.rowH / (e.deltaMode === 1 ? 1 / 16 : 1);
        redraw();
      }
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [zoomAt, redraw]);

  const nearCut = (px: number): boolean => {
    const s = sceneRef.current;
    const g = geometry(size.current.w, size.current.h);
    return Math.abs(px - xOf(g, s, cutHeight(s.doc, s.cut.k))) <= 6;
  };

  const cutAt = (px: number): void => {
    const s = sceneRef.current;
    const g = geometry(size.current.w, size.current.h);
    const f = 1 - (px - g.left) / g.treeW;
    onCutRef.current(clustersAtHeight(s.doc, fractionHeight(f, s.layout.maxHeight, s.scale)));
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { kind: nearCut(px) ? 'cut' : 'pan', y0: e.clientY, scroll0: view.current.scroll };
  };

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const d = drag.current;
    if (d?.kind === 'cut') {
      cutAt(px);
      return;
    }
    if (d?.kind === 'pan') {
      view.current.scroll = d.scroll0 - (e.clientY - d.y0) / view.current.rowH;
      redraw();
      setHover(null);
      return;
    }
    e.currentTarget.style.cursor = nearCut(px) ? 'ew-resize' : 'grab';
    const s = sceneRef.current;
    const g = geometry(size.current.w, size.current.h);
    const row = Math.floor(view.current.scroll + (py - g.top) / view.current.rowH);
    if (py < g.top || row < 0 || row >= s.layout.n) {
      setHover(null);
      return;
    }
    const id = s.layout.leafAt[row]!;
    const c = s.cut.cluster[id]!;
    setHover({ x: px, y: py, text: `${s.doc.labels[id]} · cluster ${c + 1} of ${s.cut.k} (${s.cut.sizes[c]} genres)` });
  };

  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    drag.current = null;
  };

  const label = useMemo(() => `Dendrogram of ${n} leaves cut into ${scene.cut.k} clusters`, [n, scene.cut.k]);
  return (
    <div className="tree-canvas-host" ref={host}>
      <canvas
        ref={canvas}
        className="tree-canvas"
        role="img"
        aria-label={label}
        data-testid="tree-canvas"
        data-leaves={n}
        data-k={scene.cut.k}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
      />
      {hover && (
        <div className="tree-tip" style={{ left: hover.x + 14, top: hover.y + 10 }} data-testid="tree-tip">
          {hover.text}
        </div>
      )}
    </div>
  );
}

/** The nodes from a leaf to the root, as a set (empty without a leaf). */
export function focusPath(scene: Pick<TreeScene, 'layout'>, leaf: number | null): Set<number> {
  return leaf === null ? new Set() : new Set(pathToRoot(scene.layout, leaf));
}
