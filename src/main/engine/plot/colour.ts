// Colours: parsing CSS-style hex, colour maps (viridis, Blues), and text contrast (WCAG 2.x).
import { BLUES_HEX, VIRIDIS_HEX } from './colour-maps';

/** r, g, b, a in 0–255. */
export type Rgba = readonly [number, number, number, number];

const parsed = new Map<string, Rgba>();

/** Parses '#rgb', '#rrggbb' or '#rrggbbaa'; throws on anything else. */
export function parseColour(c: string): Rgba {
  let v = parsed.get(c);
  if (v) return v;
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c);
  if (!m) throw new Error(`bad colour ${JSON.stringify(c)} (want #rrggbb)`);
  let h = m[1]!;
  if (h.length === 3) h = h[0]! + h[0] + h[1] + h[1] + h[2] + h[2];
  v = [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), h.length === 8 ? parseInt(h.slice(6, 8), 16) : 255];
  parsed.set(c, v);
  return v;
}

/** '#rrggbb' from 0–255 components (rounded and clamped). */
export function toHex(r: number, g: number, b: number): string {
  const h = (x: number) => Math.max(0, Math.min(255, Math.round(x))).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

function table(hex: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i + 6 <= hex.length; i += 6) {
    out.push([parseInt(hex.slice(i, i + 2), 16), parseInt(hex.slice(i + 2, i + 4), 16), parseInt(hex.slice(i + 4, i + 6), 16)]);
  }
  return out;
}

export type ColourMapName = 'viridis' | 'blues';
/** A colour map: t in [0, 1] (clamped; NaN → 0) to '#rrggbb'. */
export type ColourMap = (t: number) => string;

let viridisLut: string[] | undefined;
let bluesAnchors: [number, number, number][] | undefined;

/**
 * viridis: matplotlib's 256-entry table, looked up as matplotlib does (index = floor(t·256),
 * t = 1 → 255). blues: matplotlib's "Blues", linear RGB interpolation between 9 ColorBrewer
 * anchors (matplotlib samples the same ramp at 256 points; the difference is < 1 level).
 */
export function colourMap(name: ColourMapName): ColourMap {
  if (name === 'viridis') {
    viridisLut ??= table(VIRIDIS_HEX).map(([r, g, b]) => toHex(r, g, b));
    const lut = viridisLut;
    return (t) => {
      const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
      return lut[Math.min(lut.length - 1, Math.floor(x * lut.length))]!;
    };
  }
  if (name === 'blues') {
    bluesAnchors ??= table(BLUES_HEX);
    const a = bluesAnchors;
    return (t) => {
      const x = (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0) * (a.length - 1);
      const i = Math.min(a.length - 2, Math.floor(x));
      const f = x - i;
      const p = a[i]!;
      const q = a[i + 1]!;
      return toHex(p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f, p[2] + (q[2] - p[2]) * f);
    };
  }
  throw new Error(`unknown colour map ${String(name)}`);
}

/** WCAG 2.x relative luminance of an sRGB colour. */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = parseColour(colour);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio (1–21) between two colours. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Of `dark` and `light`, the one with the higher contrast against `background`. */
export function contrastText(background: string, dark = '#1a1a1a', light = '#ffffff'): string {
  return contrastRatio(background, dark) >= contrastRatio(background, light) ? dark : light;
}

/** matplotlib's "tab10" qualitative palette (Tableau 10), for series without a colour. */
export const TAB10 = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
