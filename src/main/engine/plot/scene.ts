// A figure as a list of shapes in pixel coordinates, rendered two ways with the same geometry:
// as SVG text (vector, real fonts) and onto a Raster (bitmap fonts) for PNG. Text is laid out with
// a conservative width: the larger of the bitmap font's and the SVG sans-serif font's, so labels
// fit in both outputs.
import { parseColour } from './colour';
import { codePointsOf, getFont, type FontName } from './font';
import { Raster, baselineOffset, type TextAnchor, type TextBaseline, type TextRotation } from './raster';
import { SANS_CODE_POINTS, SANS_WIDTHS_BOLD, SANS_WIDTHS_REGULAR } from './sans-widths';

export interface RectShape {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: string;
  /** Stroke drawn inside the rectangle. */
  stroke?: string;
  strokeWidth?: number;
}
export interface PathShape {
  kind: 'path';
  /** x0, y0, x1, y1, …; a non-finite coordinate breaks the path. */
  points: number[];
  stroke: string;
  width: number;
}
export interface DiscShape {
  kind: 'disc';
  cx: number;
  cy: number;
  r: number;
  fill: string;
}
/** A vertical colour ramp: colours[0] at the bottom, the last at the top, linear in between. */
export interface RampShape {
  kind: 'ramp';
  x: number;
  y: number;
  w: number;
  h: number;
  colours: string[];
}
export interface TextShape {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  font: FontName;
  colour: string;
  anchor: TextAnchor;
  baseline: TextBaseline;
  rotate?: TextRotation;
}
export type Shape = RectShape | PathShape | DiscShape | RampShape | TextShape;

export interface Scene {
  width: number;
  height: number;
  background: string;
  /** Accessible title of the SVG document. */
  title: string;
  shapes: Shape[];
}

export const SVG_FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
/** Cap height of the SVG fonts as a fraction of the em (Helvetica 0.718, DejaVu Sans 0.729). */
const SVG_CAP_EM = 0.71;

/** SVG font size (px) whose capital letters are as tall as the bitmap font's. */
export function svgFontSize(font: FontName): number {
  return Math.round((getFont(font).capHeight / SVG_CAP_EM) * 10) / 10;
}

let sansIndex: Map<number, number> | undefined;

/** Width in px of `text` in the SVG sans-serif font of `font`'s size and weight (upper bound over
 *  Liberation Sans and DejaVu Sans; unknown characters count as 1 em). */
export function svgTextWidth(text: string, font: FontName): number {
  if (!sansIndex) {
    sansIndex = new Map();
    SANS_CODE_POINTS.forEach((cp, i) => sansIndex!.set(cp, i));
  }
  const widths = getFont(font).bold ? SANS_WIDTHS_BOLD : SANS_WIDTHS_REGULAR;
  let units = 0;
  for (const cp of codePointsOf(text)) {
    const i = sansIndex.get(cp);
    units += i === undefined ? 1000 : widths[i]!;
  }
  return (units / 1000) * svgFontSize(font);
}

/** Layout width of a text: the larger of its bitmap and SVG widths, rounded up to a pixel. */
export function textWidth(text: string, font: FontName): number {
  return Math.ceil(Math.max(codePointsOf(text).length * getFont(font).width, svgTextWidth(text, font)));
}

/** `text`, shortened with a trailing ellipsis (…) if needed so that textWidth ≤ maxWidth. */
export function fitText(text: string, maxWidth: number, font: FontName): string {
  if (textWidth(text, font) <= maxWidth) return text;
  const cps = [...text];
  let lo = 0;
  let hi = cps.length;
  // Largest prefix length n with prefix + '…' fitting (monotone in n).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(cps.slice(0, mid).join('').trimEnd() + '…', font) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '…' : cps.slice(0, lo).join('').trimEnd() + '…';
}

// ---------------------------------------------------------------------------------------------
// SVG

/** Escapes text for XML content and attribute values, and replaces characters XML 1.0 forbids
 *  (C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) with U+FFFD. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return clean.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A number for SVG attributes: at most 2 decimals, no trailing zeros, never NaN. */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite coordinate ${v} in a figure`);
  const r = Math.round(v * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

function svgColour(c: string): string {
  const [r, g, b, a] = parseColour(c);
  const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  return a === 255 ? `fill="${hex}"` : `fill="${hex}" fill-opacity="${num(a / 255)}"`;
}

function strokeAttrs(c: string): string {
  return svgColour(c).replace('fill=', 'stroke=').replace('fill-opacity=', 'stroke-opacity=');
}

function pathData(points: number[]): string {
  let d = '';
  let pen = false;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i]!, y = points[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    // A lone point between breaks is drawn as a zero-length segment (a dot with round caps).
    const nx = points[i + 2], ny = points[i + 3];
    const nextOk = nx !== undefined && ny !== undefined && Number.isFinite(nx) && Number.isFinite(ny);
    if (!pen) d += `M${num(x)} ${num(y)}${nextOk ? '' : 'h0'}`;
    else d += `L${num(x)} ${num(y)}`;
    pen = true;
  }
  return d;
}

/** Attributes shared by a text and its neighbours (grouped into one <g> in the SVG). */
function textGroupKey(s: TextShape): string {
  const f = getFont(s.font);
  const anchor = s.anchor === 'middle' ? ' text-anchor="middle"' : s.anchor === 'end' ? ' text-anchor="end"' : '';
  return `font-size="${num(svgFontSize(s.font))}"${f.bold ? ' font-weight="bold"' : ''}${anchor}`;
}

function svgText(s: TextShape): string {
  const f = getFont(s.font);
  // Baseline shift so that the SVG text sits where the bitmap text does.
  const dy = f.ascent - baselineOffset(f, 1, s.baseline);
  const body = xmlEscape(s.text);
  if (!s.rotate) return `<text x="${num(s.x)}" y="${num(s.y + dy)}" ${svgColour(s.colour)}>${body}</text>`;
  return `<text transform="translate(${num(s.x)} ${num(s.y)}) rotate(${s.rotate})" x="0" y="${num(dy)}" ${svgColour(s.colour)}>${body}</text>`;
}

/** The scene as a standalone SVG 1.1 document (rectangles crisp, lines and discs smooth). */
export function sceneToSvg(scene: Scene): string {
  const out: string[] = [];
  const W = num(scene.width), H = num(scene.height);
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${xmlEscape(SVG_FONT_FAMILY)}" shape-rendering="crispEdges">`);
  out.push(`<title>${xmlEscape(scene.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" ${svgColour(scene.background)}/>`);
  let gradients = 0;
  let group: string | null = null;
  const smooth = 'shape-rendering="geometricPrecision"';
  for (const s of scene.shapes) {
    const key = s.kind === 'text' ? textGroupKey(s) : null;
    if (key !== group) {
      if (group !== null) out.push('</g>');
      if (key !== null) out.push(`<g ${key}>`);
      group = key;
    }
    switch (s.kind) {
      case 'rect': {
        if (s.w <= 0 || s.h <= 0) break;
        if (s.fill) out.push(`<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" ${svgColour(s.fill)}/>`);
        if (s.stroke) {
          const t = s.strokeWidth ?? 1;
          out.push(`<rect x="${num(s.x + t / 2)}" y="${num(s.y + t / 2)}" width="${num(s.w - t)}" height="${num(s.h - t)}" fill="none" ${strokeAttrs(s.stroke)} stroke-width="${num(t)}"/>`);
        }
        break;
      }
      case 'path': {
        const d = pathData(s.points);
        if (d) out.push(`<path d="${d}" fill="none" ${strokeAttrs(s.stroke)} stroke-width="${num(s.width)}" stroke-linejoin="round" stroke-linecap="round" ${smooth}/>`);
        break;
      }
      case 'disc':
        out.push(`<circle cx="${num(s.cx)}" cy="${num(s.cy)}" r="${num(s.r)}" ${svgColour(s.fill)} ${smooth}/>`);
        break;
      case 'ramp': {
        const id = `ramp${gradients++}`;
        const n = s.colours.length;
        const stops = s.colours.map((c, i) => `<stop offset="${num(n > 1 ? i / (n - 1) : 0)}" stop-color="${c.slice(0, 7)}"/>`).join('');
        out.push(`<defs><linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>`);
        out.push(`<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="url(#${id})"/>`);
        break;
      }
      case 'text':
        out.push(svgText(s));
        break;
    }
  }
  if (group !== null) out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Raster

/** The scene drawn on a Raster (1 figure pixel = 1 image pixel). */
export function sceneToRaster(scene: Scene): Raster {
  const r = new Raster(Math.ceil(scene.width), Math.ceil(scene.height), scene.background);
  for (const s of scene.shapes) {
    switch (s.kind) {
      case 'rect':
        if (s.fill) r.fillRect(s.x, s.y, s.w, s.h, s.fill);
        if (s.stroke) r.strokeRect(s.x, s.y, s.w, s.h, s.stroke, s.strokeWidth ?? 1);
        break;
      case 'path':
        r.polyline(s.points, s.stroke, { width: s.width });
        break;
      case 'disc':
        r.disc(s.cx, s.cy, s.r, s.fill);
        break;
      case 'ramp': {
        const y0 = Math.round(s.y), y1 = Math.round(s.y + s.h);
        const cols = s.colours.map(parseColour);
        for (let py = y0; py < y1; py++) {
          // Position of the pixel centre from the bottom (0) to the top (1).
          const t = y1 - y0 > 1 ? (y1 - 1 - py) / (y1 - y0 - 1) : 0;
          const x = t * (cols.length - 1);
          const i = Math.min(cols.length - 2, Math.floor(x));
          const f = x - Math.max(0, i);
          const p = cols[Math.max(0, i)]!, q = cols[Math.min(cols.length - 1, i + 1)]!;
          const hex = '#' + [0, 1, 2].map((k) => Math.round(p[k]! + (q[k]! - p[k]!) * f).toString(16).padStart(2, '0')).join('');
          r.fillRect(s.x, py, s.w, 1, hex);
        }
        break;
      }
      case 'text':
        r.text(s.text, s.x, s.y, { font: s.font, colour: s.colour, anchor: s.anchor, baseline: s.baseline, rotate: s.rotate ?? 0 });
        break;
    }
  }
  return r;
}
