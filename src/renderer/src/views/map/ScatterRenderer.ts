// The map's point cloud in three.js: one THREE.Points whose position, colour and flag attributes
// are updated in place, a perspective camera with orbit controls (3-D) or an orthographic one with
// pan and zoom (2-D), screen-space picking for hover and click, shift-drag box selection, an fps
// meter, PNG snapshots and an explicit dispose(). Owned by MapCanvas; no React here.
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  Matrix4,
  MOUSE,
  OrthographicCamera,
  PerspectiveCamera,
  Points,
  Scene,
  ShaderMaterial,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import {
  type Colouring,
  FLAG_HIDDEN,
  fitPositions,
  nearestPoint,
  paintAll,
  paintPoints,
  pointSize,
  pointsInRect,
  projectPoints,
  type Rect,
} from '../../lib/scatter';

export interface ScatterHandlers {
  /** The point under the pointer (-1: none), with the pointer's position in the canvas. */
  onHover(index: number, x: number, y: number): void;
  onClick(index: number): void;
  /** A box being dragged (null when it ends). */
  onBox(rect: Rect | null): void;
  onSelect(indices: number[]): void;
}

const BACKGROUND = '#0b0d12';
const CAMERA_DISTANCE = 2.8;
const ORTHO_HALF = 1.12;

// Branch-free shaders: software renderers (SwiftShader) pay per vertex for every branch.
const VERTEX = /* glsl */ `
attribute vec4 paint;
uniform float uSize;
uniform float uPixelRatio;
uniform float uPerspective;
uniform float uRef;
varying vec3 vColor;
varying float vRing;
void main() {
  float flag = floor(paint.a * 255.0 + 0.5);
  float shown = step(0.5, flag);
  vColor = paint.rgb;
  vRing = step(2.5, flag);
  vec4 mv = modelViewMatrix * vec4(position, 1.0);
  // Hidden points are moved outside the clip volume.
  gl_Position = mix(vec4(2.0, 2.0, 2.0, 1.0), projectionMatrix * mv, shown);
  float grow = 1.0 + 0.45 * step(1.5, flag) + 0.45 * vRing;
  float att = mix(1.0, clamp(uRef / max(-mv.z, 0.001), 0.55, 2.2), uPerspective);
  gl_PointSize = max(1.0, uSize * grow * att * uPixelRatio);
}`;

const FRAGMENT = /* glsl */ `
varying vec3 vColor;
varying float vRing;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = dot(c, c);
  if (r > 1.0) discard;
  vec3 body = vColor * (1.0 - 0.22 * r) * (1.0 - 0.45 * step(0.78, r));
  vec3 ring = mix(vColor, vec3(1.0), step(0.5, r));
  gl_FragColor = vec4(mix(body, ring, vRing), 1.0);
}`;

export class ScatterRenderer {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly material: ShaderMaterial;
  private geometry = new BufferGeometry();
  private readonly points: Points;
  private camera: PerspectiveCamera | OrthographicCamera;
  private controls: OrbitControls;
  private dims: 2 | 3 = 3;
  private n = 0;
  private positions = new Float32Array(0);
  /** n × 4 bytes: sRGB colour and flag of every point. */
  private paint = new Uint8Array(0);
  /** Screen positions (x, y, depth) of every point, valid while `screenValid`. */
  private screen = new Float32Array(0);
  private screenValid = false;
  private dirty = true;
  private raf = 0;
  private width = 1;
  private height = 1;
  private readonly resize: ResizeObserver;
  private readonly viewProj = new Matrix4();
  private fps: { stamps: number[] } | null = null;
  private down: { x: number; y: number; t: number; box: boolean; id: number } | null = null;
  private hoverAt: { x: number; y: number } | null = null;
  private disposed = false;
  private readonly off: Array<() => void> = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly handlers: ScatterHandlers,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'map-canvas';
    this.canvas.dataset.testid = 'map-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Map of the library: no points yet');
    // Throws where WebGL is unavailable; MapCanvas says so.
    this.renderer = new WebGLRenderer({ canvas: this.canvas, antialias: false, alpha: false, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.setClearColor(new Color(BACKGROUND), 1);
    container.appendChild(this.canvas);
    this.material = new ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uSize: { value: 6 },
        uPixelRatio: { value: this.renderer.getPixelRatio() },
        uPerspective: { value: 1 },
        uRef: { value: CAMERA_DISTANCE },
      },
      depthTest: true,
      depthWrite: true,
      transparent: false,
    });
    this.points = new Points(this.geometry, this.material);
    this.points.frustumCulled = false;
    this.scene.add(this.points);
    this.camera = this.makeCamera(3);
    this.controls = this.makeControls();
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(container);
    this.fit();
    this.listen();
    this.loop();
  }

  // ---- data ---------------------------------------------------------------------------------

  /** New coordinates (n × dims): fitted into the unit ball and written into the position buffer in place. */
  setCloud(points: Float32Array, n: number, dims: 2 | 3): void {
    if (dims !== this.dims) this.setDims(dims);
    if (n !== this.n || !this.geometry.getAttribute('position')) {
      this.n = n;
      this.positions = new Float32Array(n * 3);
      this.paint = new Uint8Array(n * 4);
      paintAll('#7c9cff', n, this.paint);
      this.screen = new Float32Array(n * 3);
      const old = this.geometry;
      this.geometry = new BufferGeometry();
      this.geometry.setAttribute('position', new BufferAttribute(this.positions, 3));
      this.geometry.setAttribute('paint', new BufferAttribute(this.paint, 4, true));
      this.points.geometry = this.geometry;
      old.dispose();
      this.material.uniforms.uSize!.value = pointSize(n);
    }
    fitPositions(points, n, dims, this.positions);
    (this.geometry.getAttribute('position') as BufferAttribute).needsUpdate = true;
    this.canvas.dataset.points = String(n);
    this.canvas.setAttribute('aria-label', `Map of ${n.toLocaleString('en')} points in ${dims}-D`);
    this.screenValid = false;
    this.dirty = true;
  }

  /** Colours and flags from a colouring (null: one neutral colour, as while the optimiser runs). */
  setPaint(col: Colouring | null, hidden: ReadonlySet<string>, selected: ReadonlySet<number> | null, neutral = '#7c9cff'): void {
    if (this.n === 0) return;
    if (col && col.index.length === this.n) paintPoints(col, hidden, selected, this.paint);
    else paintAll(neutral, this.n, this.paint);
    (this.geometry.getAttribute('paint') as BufferAttribute).needsUpdate = true;
    this.dirty = true;
  }

  get count(): number {
    return this.n;
  }

  /** Back to the initial view of the whole cloud. */
  resetView(): void {
    this.controls.reset();
    this.dirty = true;
  }

  private setDims(dims: 2 | 3): void {
    this.dims = dims;
    this.controls.dispose();
    this.camera = this.makeCamera(dims);
    this.controls = this.makeControls();
    this.material.uniforms.uPerspective!.value = dims === 3 ? 1 : 0;
    this.fit();
  }

  private makeCamera(dims: 2 | 3): PerspectiveCamera | OrthographicCamera {
    if (dims === 3) {
      const cam = new PerspectiveCamera(45, this.width / this.height, 0.01, 100);
      cam.position.set(CAMERA_DISTANCE * 0.55, CAMERA_DISTANCE * 0.3, CAMERA_DISTANCE * 0.78);
      cam.lookAt(0, 0, 0);
      return cam;
    }
    const cam = new OrthographicCamera(-1, 1, 1, -1, -10, 10);
    cam.position.set(0, 0, 5);
    cam.lookAt(0, 0, 0);
    return cam;
  }

  private makeControls(): OrbitControls {
    const c = new OrbitControls(this.camera, this.canvas);
    c.enableDamping = true;
    c.dampingFactor = 0.12;
    c.zoomSpeed = 1.1;
    if (this.dims === 2) {
      c.enableRotate = false;
      c.screenSpacePanning = true;
      c.mouseButtons = { LEFT: MOUSE.PAN, MIDDLE: MOUSE.DOLLY, RIGHT: MOUSE.PAN };
      c.minZoom = 0.3;
      c.maxZoom = 60;
    } else {
      c.minDistance = 0.2;
      c.maxDistance = 20;
      c.rotateSpeed = 0.8;
    }
    c.saveState();
    c.addEventListener('change', () => {
      this.dirty = true;
      this.screenValid = false;
    });
    return c;
  }

  private fit(): void {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.width = w;
    this.height = h;
    this.renderer.setSize(w, h, false);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const aspect = w / h;
    if (this.camera instanceof PerspectiveCamera) {
      this.camera.aspect = aspect;
    } else {
      const hh = aspect >= 1 ? ORTHO_HALF : ORTHO_HALF / aspect;
      this.camera.left = -hh * aspect;
      this.camera.right = hh * aspect;
      this.camera.top = hh;
      this.camera.bottom = -hh;
    }
    this.camera.updateProjectionMatrix();
    this.screenValid = false;
    this.dirty = true;
  }

  // ---- drawing ------------------------------------------------------------------------------

  private loop = (): void => {
    if (this.disposed) return;
    this.raf = requestAnimationFrame((t) => {
      this.controls.update();
      if (this.fps) {
        this.fps.stamps.push(t);
        this.dirty = true;
      }
      if (this.dirty) this.render();
      this.loop();
    });
  };

  private render(): void {
    this.renderer.render(this.scene, this.camera);
    this.dirty = false;
  }

  /** The canvas as PNG (drawn again just before, so the drawing buffer holds the current frame). */
  toBlob(): Promise<Blob | null> {
    this.render();
    return new Promise((resolve) => this.canvas.toBlob((b) => resolve(b), 'image/png'));
  }

  /** Start recording requestAnimationFrame timestamps (every frame is drawn while recording). */
  startFps(): void {
    this.fps = { stamps: [] };
  }

  /** Frames per second since `startFps()`, also written to the canvas's `data-fps`. */
  stopFps(): { fps: number; frames: number; seconds: number } {
    const stamps = this.fps?.stamps ?? [];
    this.fps = null;
    const seconds = stamps.length > 1 ? (stamps[stamps.length - 1]! - stamps[0]!) / 1000 : 0;
    const fps = seconds > 0 ? (stamps.length - 1) / seconds : 0;
    this.canvas.dataset.fps = fps.toFixed(1);
    return { fps, frames: stamps.length, seconds };
  }

  // ---- picking ------------------------------------------------------------------------------

  private projectAll(): Float32Array {
    if (!this.screenValid) {
      this.camera.updateMatrixWorld();
      this.viewProj.multiplyMatrices(this.camera.projectionMatrix, this.camera.matrixWorldInverse);
      projectPoints(this.positions, this.n, this.viewProj.elements, this.width, this.height, this.screen);
      this.screenValid = true;
    }
    return this.screen;
  }

  /** Where point i is drawn, in canvas CSS pixels (null when hidden or off screen). */
  screenOf(i: number): { x: number; y: number } | null {
    if (!(i >= 0 && i < this.n) || this.paint[i * 4 + 3] === FLAG_HIDDEN) return null;
    const s = this.projectAll();
    const x = s[i * 3]!;
    const y = s[i * 3 + 1]!;
    if (!Number.isFinite(x) || x < 0 || y < 0 || x > this.width || y > this.height) return null;
    return { x, y };
  }

  /** The visible point under canvas position (x, y), or -1. */
  pick(x: number, y: number): number {
    if (this.n === 0) return -1;
    const radius = Math.max(6, (this.material.uniforms.uSize!.value as number) * 0.9);
    return nearestPoint(this.projectAll(), this.n, this.paint, x, y, radius);
  }

  private local(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private listen(): void {
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const p = this.local(e);
      const box = e.shiftKey;
      this.down = { ...p, t: performance.now(), box, id: e.pointerId };
      if (box) {
        // Box selection: the orbit controls must not see this drag.
        e.stopPropagation();
        e.preventDefault();
        this.container.setPointerCapture(e.pointerId);
        this.handlers.onBox({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
      }
    };
    const onMove = (e: PointerEvent) => {
      const p = this.local(e);
      if (this.down?.box) {
        this.handlers.onBox({ x0: this.down.x, y0: this.down.y, x1: p.x, y1: p.y });
        return;
      }
      if (this.down) return;
      this.hoverAt = p;
    };
    const onUp = (e: PointerEvent) => {
      const d = this.down;
      this.down = null;
      if (!d) return;
      const p = this.local(e);
      if (d.box) {
        if (this.container.hasPointerCapture(d.id)) this.container.releasePointerCapture(d.id);
        this.handlers.onBox(null);
        const moved = Math.abs(p.x - d.x) + Math.abs(p.y - d.y) > 3;
        this.handlers.onSelect(moved ? pointsInRect(this.projectAll(), this.n, this.paint, { x0: d.x, y0: d.y, x1: p.x, y1: p.y }) : []);
        return;
      }
      if (Math.hypot(p.x - d.x, p.y - d.y) <= 4 && performance.now() - d.t < 800) {
        const i = this.pick(p.x, p.y);
        if (i >= 0) this.handlers.onClick(i);
      }
    };
    const onLeave = () => {
      this.hoverAt = null;
      this.handlers.onHover(-1, 0, 0);
    };
    this.container.addEventListener('pointerdown', onDown, { capture: true });
    this.container.addEventListener('pointermove', onMove);
    this.container.addEventListener('pointerup', onUp);
    this.canvas.addEventListener('pointerleave', onLeave);
    this.off.push(
      () => this.container.removeEventListener('pointerdown', onDown, { capture: true }),
      () => this.container.removeEventListener('pointermove', onMove),
      () => this.container.removeEventListener('pointerup', onUp),
      () => this.canvas.removeEventListener('pointerleave', onLeave),
    );
    // Hover is resolved once per animation frame, not on every pointer event.
    let lastHover = -2;
    const tick = () => {
      if (this.disposed) return;
      const h = this.hoverAt;
      if (h) {
        this.hoverAt = null;
        const i = this.pick(h.x, h.y);
        if (i !== lastHover || i >= 0) this.handlers.onHover(i, h.x, h.y);
        lastHover = i;
      }
      hoverRaf = requestAnimationFrame(tick);
    };
    let hoverRaf = requestAnimationFrame(tick);
    this.off.push(() => cancelAnimationFrame(hoverRaf));
  }

  // ---- teardown -----------------------------------------------------------------------------

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    cancelAnimationFrame(this.raf);
    for (const f of this.off.splice(0)) f();
    this.resize.disconnect();
    this.controls.dispose();
    this.scene.remove(this.points);
    this.geometry.dispose();
    this.material.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.canvas.remove();
  }
}
