// Draws a dendrogram on a 2-D canvas: the root on the left, leaves as rows on the right with their
// names, links coloured by their cluster at the cut, the cut as a dashed line, a height axis on top.
// Only the rows in view are labelled and only the links whose leaves reach into view are drawn, so
// thousands of genres stay cheap to redraw while zooming and panning.
import type { TreeDoc } from '../../../../shared/types';
import { clusterColour, cutHeight, heightFraction, type Cut, type HeightScale, type TreeLayout } from '../../lib/dendrogram';

export interface TreeView {
  /** Pixels per leaf row. */
  rowH: number;
  /** The (fractional) leaf row at the top of the tree area. */
  scroll: number;
}

export interface TreeScene {
  doc: TreeDoc;
  layout: TreeLayout;
  cut: Cut;
  scale: HeightScale;
  /** Leaf to mark (a search hit) and the nodes on its way to the root. */
  focus: number | null;
  path: ReadonlySet<number>;
  /** Leaves matched by the search (marked lightly). */
  matches: ReadonlySet<number>;
}

export interface Geometry {
  left: number;
  top: number;
  treeW: number;
  labelX: number;
  width: number;
  height: number;
}

export const AXIS_H = 26;
const PAD = 12;

export function geometry(width: number, height: number): Geometry {
  const labelW = Math.min(300, Math.max(120, width * 0.32));
  const treeW = Math.max(40, width - labelW - 2 * PAD);
  return { left: PAD, top: AXIS_H, treeW, labelX: PAD + treeW + 6, width, height };
}

/** x of a height in the tree area. */
export function xOf(g: Geometry, s: TreeScene, h: number): number {
  return g.left + g.treeW * (1 - heightFraction(h, s.layout.maxHeight, s.scale));
}

export function yOf(g: Geometry, v: TreeView, row: number): number {
  return g.top + (row - v.scroll + 0.5) * v.rowH;
}

/** Visible leaf rows [first, last]. */
export function visibleRows(g: Geometry, v: TreeView, n: number): [number, number] {
  const first = Math.max(0, Math.floor(v.scroll));
  const last = Math.min(n - 1, Math.ceil(v.scroll + (g.height - g.top) / v.rowH));
  return [first, last];
}

const COLOURS = { bg: '#161a21', text: '#e3e7ee', muted: '#8690a0', grid: '#262d39', cut: '#f2706a', band: 'rgba(124, 156, 255, 0.22)', match: 'rgba(224, 178, 82, 0.16)' };

/** Draws the scene; returns how many links and labels were drawn. */
export function drawTree(ctx: CanvasRenderingContext2D, g: Geometry, v: TreeView, s: TreeScene, opts: { light?: boolean } = {}): { links: number; labels: number } {
  const { layout, cut, doc } = s;
  const n = layout.n;
  const colours = opts.light ? { ...COLOURS, bg: '#ffffff', text: '#1b2030', muted: '#5b6473', grid: '#d8dde6' } : COLOURS;
  ctx.fillStyle = colours.bg;
  ctx.fillRect(0, 0, g.width, g.height);
  const [r0, r1] = visibleRows(g, v, n);

  // Search marks and the focused row.
  for (const id of s.matches) {
    const row = layout.y[id]!;
    if (row < r0 || row > r1) continue;
    ctx.fillStyle = id === s.focus ? colours.band : colours.match;
    ctx.fillRect(0, yOf(g, v, row) - v.rowH / 2, g.width, Math.max(1, v.rowH));
  }

  // Links: one elbow per merge whose leaves reach into view.
  ctx.lineWidth = v.rowH >= 4 ? 1.2 : 1;
  let links = 0;
  let lastColour = '';
  for (let r = 0; r < n - 1; r++) {
    const id = n + r;
    if (layout.hi[id]! < r0 - 1 || layout.lo[id]! > r1 + 1) continue;
    const a = layout.kids[2 * r]!;
    const b = layout.kids[2 * r + 1]!;
    const onPath = s.path.has(id);
    const colour = onPath ? colours.text : clusterColour(cut.cluster[id]!);
    if (colour !== lastColour) {
      ctx.strokeStyle = colour;
      lastColour = colour;
    }
    if (onPath) ctx.lineWidth = 2.2;
    const xp = xOf(g, s, layout.h[id]!);
    const ya = yOf(g, v, layout.y[a]!);
    const yb = yOf(g, v, layout.y[b]!);
    ctx.beginPath();
    ctx.moveTo(xOf(g, s, layout.h[a]!), ya);
    ctx.lineTo(xp, ya);
    ctx.lineTo(xp, yb);
    ctx.lineTo(xOf(g, s, layout.h[b]!), yb);
    ctx.stroke();
    if (onPath) ctx.lineWidth = v.rowH >= 4 ? 1.2 : 1;
    links++;
  }

  // Leaf names (when rows are tall enough to read), else a thin tick per cluster colour.
  let labels = 0;
  if (v.rowH >= 7) {
    const size = Math.max(7, Math.min(13, v.rowH - 2));
    ctx.font = `${size}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    for (let row = r0; row <= r1; row++) {
      const id = layout.leafAt[row]!;
      ctx.fillStyle = id === s.focus ? colours.text : clusterColour(cut.cluster[id]!);
      ctx.fillText(doc.labels[id]!, g.labelX, yOf(g, v, row));
      labels++;
    }
  } else {
    for (let row = r0; row <= r1; row++) {
      const id = layout.leafAt[row]!;
      ctx.fillStyle = clusterColour(cut.cluster[id]!);
      ctx.fillRect(g.labelX, yOf(g, v, row) - Math.max(0.5, v.rowH / 2), 10, Math.max(1, v.rowH));
    }
  }

  // Height axis.
  ctx.fillStyle = colours.bg;
  ctx.fillRect(0, 0, g.width, g.top - 2);
  ctx.strokeStyle = colours.grid;
  ctx.fillStyle = colours.muted;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'alphabetic';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(g.left, g.top - 4);
  ctx.lineTo(g.left + g.treeW, g.top - 4);
  ctx.stroke();
  for (let i = 0; i <= 4; i++) {
    const h = (layout.maxHeight * (4 - i)) / 4;
    const x = xOf(g, s, h);
    ctx.beginPath();
    ctx.moveTo(x, g.top - 8);
    ctx.lineTo(x, g.top - 4);
    ctx.stroke();
    const text = h >= 100 ? h.toFixed(0) : h >= 1 ? h.toFixed(2) : h.toPrecision(2);
    ctx.fillText(text, Math.min(Math.max(x - 10, 2), g.left + g.treeW - 30), g.top - 11);
  }

  // The cut.
  const xc = xOf(g, s, cutHeight(doc, cut.k));
  ctx.strokeStyle = colours.cut;
  ctx.setLineDash([5, 4]);
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(xc, g.top - 6);
  ctx.lineTo(xc, g.height);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = colours.cut;
  ctx.fillRect(xc - 4, g.top - 10, 8, 8);
  ctx.font = '600 11px system-ui, sans-serif';
  const text = `k = ${cut.k}`;
  const tx = Math.min(xc + 7, g.left + g.treeW - ctx.measureText(text).width - 2);
  ctx.fillStyle = colours.bg;
  ctx.fillRect(tx - 3, g.top - 24, ctx.measureText(text).width + 6, 15);
  ctx.fillStyle = colours.cut;
  ctx.fillText(text, tx, g.top - 12);
  return { links, labels };
}
