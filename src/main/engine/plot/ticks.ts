// "Nice" axis ticks: a port of matplotlib's MaxNLocator.tick_values (matplotlib 3.6,
// lib/matplotlib/ticker.py; default steps [1, 2, 2.5, 5, 10], min_n_ticks 2,
// axes.autolimit_mode 'data'), including Python's float floor-division semantics, so that tick
// positions match matplotlib's for the same (vmin, vmax, nbins). Plus a tick-label formatter.

/** Python's divmod for floats (Objects/floatobject.c float_divmod). */
function pyDivmod(a: number, b: number): [number, number] {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  } else {
    mod = b < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = a / b < 0 ? -0 : 0;
  }
  return [floordiv, mod];
}

const pyFloorDiv = (a: number, b: number): number => pyDivmod(a, b)[0];

/** matplotlib.transforms.nonsingular with MaxNLocator's expander 1e-13 and tiny 1e-14. */
function nonsingular(vmin: number, vmax: number, expander = 1e-13, tiny = 1e-14): [number, number] {
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) return [-expander, expander];
  if (vmax < vmin) [vmin, vmax] = [vmax, vmin];
  const maxabs = Math.max(Math.abs(vmin), Math.abs(vmax));
  if (maxabs < (1e6 / tiny) * 2.2250738585072014e-308) return [-expander, expander];
  if (vmax - vmin <= maxabs * tiny) {
    if (vmax === 0 && vmin === 0) return [-expander, expander];
    return [vmin - expander * Math.abs(vmin), vmax + expander * Math.abs(vmax)];
  }
  return [vmin, vmax];
}

function scaleRange(vmin: number, vmax: number, n: number, threshold = 100): [number, number] {
  const dv = Math.abs(vmax - vmin);
  const meanv = (vmax + vmin) / 2;
  let offset = 0;
  if (Math.abs(meanv) / dv >= threshold) offset = Math.sign(meanv) * 10 ** Math.floor(Math.log10(Math.abs(meanv)));
  const scale = 10 ** Math.floor(Math.log10(dv / n));
  return [scale, offset];
}

class EdgeInteger {
  private readonly offset: number;
  constructor(
    private readonly step: number,
    offset: number,
  ) {
    this.offset = Math.abs(offset);
  }
  private closeTo(ms: number, edge: number): boolean {
    let tol = 1e-10;
    if (this.offset > 0) {
      const digits = Math.log10(this.offset / this.step);
      tol = Math.min(0.4999, Math.max(1e-10, 10 ** (digits - 12)));
    }
    return Math.abs(ms - edge) < tol;
  }
  le(x: number): number {
    const [d, m] = pyDivmod(x, this.step);
    return this.closeTo(m / this.step, 1) ? d + 1 : d;
  }
  ge(x: number): number {
    const [d, m] = pyDivmod(x, this.step);
    return this.closeTo(m / this.step, 0) ? d : d + 1;
  }
}

export interface TickOptions {
  /** Maximum number of intervals (matplotlib's nbins); default 9. */
  nbins?: number;
  /** Only integer steps (matplotlib's integer=True), e.g. for epochs. */
  integer?: boolean;
  /** Allowed step mantissas (ascending, 1 ≤ s ≤ 10); default [1, 2, 2.5, 5, 10]. */
  steps?: number[];
}

/**
 * Tick positions covering [vmin, vmax] (the first tick ≤ vmin, the last ≥ vmax, as MaxNLocator
 * returns them before the axis clips them). Non-finite input gives the ticks of [-1e-13, 1e-13].
 */
export function niceTicks(vmin: number, vmax: number, opts: TickOptions = {}): number[] {
  const nbins = Math.max(1, Math.floor(opts.nbins ?? 9));
  const steps = opts.steps ?? [1, 2, 2.5, 5, 10];
  const minNTicks = 2;
  const extended = [...steps.slice(0, -1).map((s) => 0.1 * s), ...steps, 10 * steps[1]!];
  [vmin, vmax] = nonsingular(vmin, vmax);
  const [scale, offset] = scaleRange(vmin, vmax, nbins);
  const _vmin = vmin - offset;
  const _vmax = vmax - offset;
  const rawStep = (_vmax - _vmin) / nbins;
  let st = extended.map((s) => s * scale);
  if (opts.integer) st = st.filter((s) => s < 1 || Math.abs(s - Math.round(s)) < 0.001);
  let istep = st.findIndex((s) => s >= rawStep);
  if (istep < 0) istep = st.length - 1;
  let ticks: number[] = [];
  for (let i = istep; i >= 0; i--) {
    let step = st[i]!;
    if (opts.integer && Math.floor(_vmax) - Math.ceil(_vmin) >= minNTicks - 1) step = Math.max(1, step);
    const bestVmin = pyFloorDiv(_vmin, step) * step;
    const edge = new EdgeInteger(step, offset);
    const low = edge.le(_vmin - bestVmin);
    const high = edge.ge(_vmax - bestVmin);
    ticks = [];
    for (let k = low; k <= high; k++) ticks.push(k * step + bestVmin);
    const n = ticks.filter((t) => t <= _vmax && t >= _vmin).length;
    if (n >= minNTicks) break;
  }
  return ticks.map((t) => t + offset);
}

/** Decimal places needed to print every tick exactly (to 1e-6 of the spacing), at most 12. */
export function tickDecimals(ticks: number[]): number {
  if (ticks.length < 2) return ticks.length && !Number.isInteger(ticks[0]) ? 2 : 0;
  const step = Math.abs(ticks[1]! - ticks[0]!) || 1;
  for (let d = 0; d <= 12; d++) {
    const p = 10 ** d;
    if (ticks.every((t) => Math.abs(Math.round(t * p) / p - t) < step * 1e-6)) return d;
  }
  return 12;
}

/** Tick label: fixed decimals, a true minus sign (U+2212), no "-0"; exponent form for very large
 *  or very small magnitudes. */
export function formatTick(v: number, decimals: number, maxAbs = Math.abs(v)): string {
  if (!Number.isFinite(v)) return '';
  if (maxAbs >= 1e7 || (maxAbs > 0 && maxAbs < 1e-4)) {
    if (v === 0) return '0';
    return v.toExponential(1).replace('e+', 'e').replace(/-/g, '\u2212');
  }
  let s = v.toFixed(Math.min(20, decimals));
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s.replace('-', '\u2212');
}

/** Labels for a set of ticks (shared decimals). */
export function formatTicks(ticks: number[]): string[] {
  const d = tickDecimals(ticks);
  const maxAbs = Math.max(0, ...ticks.map(Math.abs));
  return ticks.map((t) => formatTick(t, d, maxAbs));
}
