// The Poincaré disk on a 2-D canvas: every genre a dot (size and opacity by its distance from the
// centre of the view), library labels highlighted, geodesic arcs from the selected genre, hover and
// click, wheel zoom, drag to move the centre (a Möbius translation), and the animated re-centring on
// a genre (the centre slides along the geodesic in ~400 ms). Imperative, drawn on demand with
// requestAnimationFrame; `dispose()` removes it.
import {
  DISK_COLOURS,
  type DiskFrame,
  diskSvg,
  diskBasis,
  displayCoords,
  dotStyle,
  easeInOut,
  fromScreen,
  geodesicAt,
  declutter,
  labelledGenres,
  pickPoint,
  screenGeodesic,
  toScreen,
} from './disk';
import { mobiusAdd } from '../../../../main/engine/hyperbolic/math';

export const RECENTRE_MS = 400;

export interface DiskCallbacks {
  onHover(index: number, x: number, y: number): void;
  onClick(index: number): void;
  onDoubleClick(index: number): void;
}

export interface DiskLink {
  to: number;
  kind: 'neighbour' | 'parent';
}

export class DiskRenderer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly ro: ResizeObserver;
  private X: Float64Array = new Float64Array(0);
  private n = 0;
  private dim = 2;
  private names: readonly string[] = [];
  private library: Uint8Array = new Uint8Array(0);
  private disp: Float64Array = new Float64Array(0);
  /** The plane a >2-D embedding is drawn in (diskBasis), null for 2-D. */
  private basis: Float64Array | null = null;
  private centre: Float64Array = new Float64Array(2);
  private centreIndex: number | null = null;
  private anim: { from: Float64Array; to: Float64Array; t0: number; index: number | null } | null = null;
  private zoom = 1;
  private selected: number | null = null;
  private hover = -1;
  private links: DiskLink[] = [];
  private width = 0;
  private height = 0;
  private dpr = 1;
  private raf = 0;
  private drag: { x: number; y: number; moved: boolean; pointer: number } | null = null;
  private disposed = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly cb: DiskCallbacks,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'hyper-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('data-testid', 'hyper-disk');
    host.appendChild(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas context');
    this.ctx = ctx;
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(host);
    this.resize();
    this.canvas.addEventListener('pointerdown', this.onDown);
    this.canvas.addEventListener('pointermove', this.onMove);
    this.canvas.addEventListener('pointerup', this.onUp);
    this.canvas.addEventListener('pointerleave', this.onLeave);
    this.canvas.addEventListener('dblclick', this.onDbl);
    this.canvas.addEventListener('wheel', this.onWheel, { passive: false });
    this.publish();
  }

  get frame(): DiskFrame {
    return { cx: this.width / 2, cy: this.height / 2, radius: Math.max(10, Math.min(this.width, this.height) / 2 - 14), zoom: this.zoom };
  }

  get count(): number {
    return this.n;
  }

  /** New vectors (n × dim): the view starts at the origin, unzoomed. */
  setData(X: Float64Array, n: number, dim: number, names: readonly string[], library: Uint8Array): void {
    this.X = X;
    this.n = n;
    this.dim = dim;
    this.names = names;
    this.library = library;
    this.centre = new Float64Array(dim);
    this.centreIndex = null;
    this.anim = null;
    this.zoom = 1;
    this.selected = null;
    this.links = [];
    this.hover = -1;
    this.basis = diskBasis(X, n, dim);
    this.disp = displayCoords(X, n, dim, null, new Float64Array(2 * n), this.basis);
    this.redraw();
  }

  setLibrary(library: Uint8Array): void {
    this.library = library;
    this.redraw();
  }

  setSelection(index: number | null, links: DiskLink[]): void {
    this.selected = index;
    this.links = links;
    this.redraw();
  }

  /** Move a genre (or, with null, the origin) to the centre, animating along the geodesic. */
  centreOn(index: number | null, animate = true): void {
    const to = index === null ? new Float64Array(this.dim) : this.X.slice(index * this.dim, (index + 1) * this.dim);
    if (!animate) {
      this.anim = null;
      this.setCentre(to, index);
      return;
    }
    this.anim = { from: this.centre.slice(), to, t0: performance.now(), index };
    this.publish();
    this.redraw();
  }

  /** Back to the origin, unzoomed. */
  resetView(): void {
    this.zoom = 1;
    this.centreOn(null);
  }

  private setCentre(c: Float64Array, index: number | null): void {
    this.centre = c;
    this.centreIndex = index;
    displayCoords(this.X, this.n, this.dim, c, this.disp, this.basis);
    this.publish();
    this.redraw();
  }

  /** Display coordinates of genre i (after the current re-centring). */
  displayOf(i: number): [number, number] | null {
    if (i < 0 || i >= this.n) return null;
    return [this.disp[2 * i]!, this.disp[2 * i + 1]!];
  }

  /** Client coordinates where genre i is drawn, or null off the canvas. */
  screenOf(i: number): { x: number; y: number } | null {
    const d = this.displayOf(i);
    if (!d) return null;
    const [sx, sy] = toScreen(d[0], d[1], this.frame);
    if (sx < 0 || sy < 0 || sx > this.width || sy > this.height) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + sx, y: rect.top + sy };
  }

  get animating(): boolean {
    return this.anim !== null;
  }

  /** The named state on the canvas: animation, centred genre and where it is drawn (for tests and styling). */
  private publish(): void {
    const d = this.canvas.dataset;
    d.anim = this.anim ? 'moving' : 'idle';
    d.points = String(this.n);
    d.zoom = this.zoom.toFixed(3);
    d.centre = this.centreIndex === null ? '' : (this.names[this.centreIndex] ?? '');
    if (this.centreIndex !== null && !this.anim) {
      const p = this.displayOf(this.centreIndex)!;
      d.centreX = p[0].toFixed(6);
      d.centreY = p[1].toFixed(6);
    } else {
      delete d.centreX;
      delete d.centreY;
    }
    d.selected = this.selected === null ? '' : (this.names[this.selected] ?? '');
  }

  private resize(): void {
    const r = this.host.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.width = Math.max(50, Math.floor(r.width));
    this.height = Math.max(50, Math.floor(r.height));
    this.canvas.width = Math.round(this.width * this.dpr);
    this.canvas.height = Math.round(this.height * this.dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.redraw();
  }

  redraw(): void {
    if (this.raf || this.disposed) return;
    this.raf = requestAnimationFrame((t) => {
      this.raf = 0;
      this.step(t);
      this.draw();
    });
  }

  private step(now: number): void {
    const a = this.anim;
    if (!a) return;
    const t = Math.min(1, (now - a.t0) / RECENTRE_MS);
    if (t >= 1) {
      this.anim = null;
      this.setCentre(a.to, a.index);
      return;
    }
    this.centre = geodesicAt(a.from, a.to, easeInOut(t));
    displayCoords(this.X, this.n, this.dim, this.centre, this.disp, this.basis);
    this.redraw();
  }

  private draw(): void {
    const ctx = this.ctx;
    const f = this.frame;
    const c = DISK_COLOURS;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, this.width, this.height);
    const R = f.radius * f.zoom;
    ctx.save();
    ctx.beginPath();
    ctx.arc(f.cx, f.cy, R, 0, 2 * Math.PI);
    ctx.fillStyle = '#10131a';
    ctx.fill();
    ctx.strokeStyle = c.rim;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.clip();
    const disp = this.disp;
    const sel = this.selected;
    if (sel !== null && sel < this.n) {
      const p: [number, number] = [disp[2 * sel]!, disp[2 * sel + 1]!];
      ctx.lineWidth = 1.4;
      for (const l of this.links) {
        const g = screenGeodesic(p, [disp[2 * l.to]!, disp[2 * l.to + 1]!], f);
        ctx.strokeStyle = l.kind === 'parent' ? c.parent : c.neighbour;
        ctx.globalAlpha = 0.85;
        ctx.beginPath();
        if (g.kind === 'line') {
          ctx.moveTo(g.x1, g.y1);
          ctx.lineTo(g.x2, g.y2);
        } else ctx.arc(g.cx, g.cy, g.r, g.start, g.end, g.anticlockwise);
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    // Dots: the plain genres first, then the library's labels on top.
    for (const pass of [0, 1]) {
      ctx.fillStyle = pass ? c.library : c.dot;
      for (let i = 0; i < this.n; i++) {
        if ((this.library[i] ? 1 : 0) !== pass) continue;
        const x = disp[2 * i]!;
        const y = disp[2 * i + 1]!;
        const st = dotStyle(x, y);
        const [sx, sy] = toScreen(x, y, f);
        if (sx < -10 || sy < -10 || sx > this.width + 10 || sy > this.height + 10) continue;
        ctx.globalAlpha = st.alpha;
        ctx.beginPath();
        ctx.arc(sx, sy, st.r * (pass ? 1.3 : 1) * Math.min(2, Math.sqrt(f.zoom)), 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
    const ring = (i: number, colour: string, r: number): void => {
      const [sx, sy] = toScreen(disp[2 * i]!, disp[2 * i + 1]!, f);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      ctx.stroke();
    };
    for (const l of sel !== null ? this.links : []) ring(l.to, l.kind === 'parent' ? c.parent : c.neighbour, 5);
    if (sel !== null && sel < this.n) ring(sel, c.selected, 7);
    if (this.hover >= 0 && this.hover < this.n) ring(this.hover, c.text, 6);
    // Names: selected, hovered and linked genres, the library's labels, the genres around the centre.
    const always = [...(sel !== null ? [sel] : []), ...(this.hover >= 0 ? [this.hover] : []), ...(sel !== null ? this.links.map((l) => l.to) : [])];
    const labelled = labelledGenres(disp, this.n, always, this.library);
    ctx.textBaseline = 'bottom';
    const font = (i: number) => (i === sel || i === this.hover ? '600 12px system-ui, sans-serif' : '11px system-ui, sans-serif');
    const boxes = labelled.map((i) => {
      const [sx, sy] = toScreen(disp[2 * i]!, disp[2 * i + 1]!, f);
      ctx.font = font(i);
      return { x: sx + 6, y: sy - 16, w: ctx.measureText(this.names[i] ?? '').width, h: 13 };
    });
    for (const k of declutter(boxes, new Set([sel, this.hover].filter((i) => i !== null && i >= 0)).size)) {
      const i = labelled[k]!;
      const strong = i === sel || i === this.hover;
      ctx.fillStyle = strong ? c.selected : this.library[i] ? c.library : 'rgba(227, 231, 238, 0.78)';
      ctx.font = font(i);
      ctx.fillText(this.names[i] ?? '', boxes[k]!.x, boxes[k]!.y + 13);
    }
    ctx.restore();
  }

  /** The canvas as a PNG. */
  toBlob(): Promise<Blob | null> {
    this.draw();
    return new Promise((resolve) => this.canvas.toBlob((b) => resolve(b), 'image/png'));
  }

  /** The same picture as SVG (vector: dots, arcs and names). */
  toSvg(caption: string): string {
    const sel = this.selected;
    const always = [...(sel !== null ? [sel] : []), ...(sel !== null ? this.links.map((l) => l.to) : [])];
    return diskSvg(
      {
        names: this.names,
        disp: this.disp,
        n: this.n,
        labelled: labelledGenres(this.disp, this.n, always, this.library),
        forced: sel !== null ? 1 : 0,
        library: this.library,
        selected: sel,
        links: sel !== null ? this.links : [],
        caption,
      },
      Math.max(400, Math.min(this.width, this.height)),
      this.zoom,
    );
  }

  // ---- input ------------------------------------------------------------------------------

  private local(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private readonly onDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    const [x, y] = this.local(e);
    this.drag = { x, y, moved: false, pointer: e.pointerId };
    this.canvas.setPointerCapture(e.pointerId);
  };

  private readonly onMove = (e: PointerEvent): void => {
    const [x, y] = this.local(e);
    const d = this.drag;
    if (d) {
      if (!d.moved && Math.hypot(x - d.x, y - d.y) < 4) return;
      d.moved = true;
      // Drag = Möbius translation: the point drawn at −Δ comes to the centre, c ← c ⊕ (−Δ).
      const f = this.frame;
      const s = f.radius * f.zoom;
      const delta = new Float64Array(this.dim);
      delta[0] = -(x - d.x) / s;
      if (this.dim > 1) delta[1] = (y - d.y) / s;
      const norm = Math.hypot(delta[0]!, delta[1] ?? 0);
      if (norm > 0.5) for (let k = 0; k < Math.min(2, this.dim); k++) delta[k] = (delta[k]! * 0.5) / norm;
      d.x = x;
      d.y = y;
      this.anim = null;
      const next = mobiusAdd(this.centre, delta);
      // keep the centre strictly inside the ball
      let sq = 0;
      for (let k = 0; k < this.dim; k++) sq += next[k]! * next[k]!;
      if (sq > 0.999 * 0.999) for (let k = 0; k < this.dim; k++) next[k] = (next[k]! * 0.999) / Math.sqrt(sq);
      this.setCentre(next, null);
      return;
    }
    const i = pickPoint(this.disp, this.n, this.frame, x, y, 10);
    if (i !== this.hover) {
      this.hover = i;
      this.redraw();
    }
    this.cb.onHover(i, x, y);
  };

  private readonly onUp = (e: PointerEvent): void => {
    const d = this.drag;
    this.drag = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    if (!d || d.moved) return;
    const [x, y] = this.local(e);
    const i = pickPoint(this.disp, this.n, this.frame, x, y, 10);
    if (i >= 0) this.cb.onClick(i);
  };

  private readonly onLeave = (): void => {
    if (this.drag) return;
    if (this.hover !== -1) {
      this.hover = -1;
      this.redraw();
    }
    this.cb.onHover(-1, 0, 0);
  };

  private readonly onDbl = (e: MouseEvent): void => {
    const [x, y] = this.local(e);
    const i = pickPoint(this.disp, this.n, this.frame, x, y, 10);
    if (i >= 0) this.cb.onDoubleClick(i);
  };

  private readonly onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const z = Math.min(40, Math.max(1, this.zoom * Math.exp(-e.deltaY * 0.0015)));
    if (z === this.zoom) return;
    this.zoom = z;
    this.publish();
    this.redraw();
  };

  /** The point under client coordinates, in disk coordinates (for tests). */
  diskAt(clientX: number, clientY: number): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return fromScreen(clientX - r.left, clientY - r.top, this.frame);
  }

  dispose(): void {
    this.disposed = true;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.ro.disconnect();
    this.canvas.removeEventListener('pointerdown', this.onDown);
    this.canvas.removeEventListener('pointermove', this.onMove);
    this.canvas.removeEventListener('pointerup', this.onUp);
    this.canvas.removeEventListener('pointerleave', this.onLeave);
    this.canvas.removeEventListener('dblclick', this.onDbl);
    this.canvas.removeEventListener('wheel', this.onWheel);
    this.canvas.remove();
  }
}
