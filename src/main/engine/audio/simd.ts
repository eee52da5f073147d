// WebAssembly SIMD kernel for the rational polyphase resampler (resample.ts): the same
// arithmetic as the JavaScript loop — out[n] = Σ_k x[i0(n) + k] · table[p(n)·taps + k] with
// i0, p stepped by the reduced ratio — but four multiply-adds per instruction.
// The module is assembled below from named opcodes (no build step, no binary blob); when the
// runtime lacks WebAssembly SIMD, `simdPolyphase` is null and resample.ts keeps its JS loop.
// Accumulation is in float32 lanes (two vectors, eight taps per step); the taps count must be a
// multiple of 8.

// ---------------------------------------------------------------- a tiny assembler

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  i32LtU: [0x49],
  f32Add: [0x92],
  f32Store: [0x38, 2, 0], // align 4, offset 0
  v128Load: (offset: number) => [0xfd, 0x00, 2, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
  lane: (i: number) => [0xfd, 0x1f, i], // f32x4.extract_lane
};

// Parameters: 0 xPtr, 1 tabPtr, 2 outPtr, 3 outLen, 4 taps, 5 up, 6 down, 7 p (start phase).
// Locals: 8 n, 9 i0, 10 xi, 11 hi, 12 hEnd, 13 q, 14 acc0 (v128), 15 acc1 (v128).
const [X, TAB, OUT, LEN, TAPS, UP, DOWN, P, N, I0, XI, HI, HEND, Q, ACC0, ACC1] = Array.from({ length: 16 }, (_, i) => i);

const body = [
  ...op.block,
  ...op.loop,
  // if (n >= outLen) break
  ...op.get(N), ...op.get(LEN), ...op.i32GeU, ...op.brIf(1),
  // xi = xPtr + i0·4; hi = tabPtr + p·taps·4; hEnd = hi + taps·4
  ...op.get(X), ...op.get(I0), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.set(XI),
  ...op.get(TAB), ...op.get(P), ...op.get(TAPS), ...op.i32Mul, ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.set(HI),
  ...op.get(HI), ...op.get(TAPS), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.set(HEND),
  ...op.v128Zero, ...op.set(ACC0),
  ...op.v128Zero, ...op.set(ACC1),
  ...op.loop,
  // acc0 += x[xi..xi+4) · h[hi..hi+4); acc1 += the next four
  ...op.get(ACC0), ...op.get(XI), ...op.v128Load(0), ...op.get(HI), ...op.v128Load(0), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC0),
  ...op.get(ACC1), ...op.get(XI), ...op.v128Load(16), ...op.get(HI), ...op.v128Load(16), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC1),
  ...op.get(XI), ...op.i32(32), ...op.i32Add, ...op.set(XI),
  ...op.get(HI), ...op.i32(32), ...op.i32Add, ...op.set(HI),
  ...op.get(HI), ...op.get(HEND), ...op.i32LtU, ...op.brIf(0),
  ...op.end,
  // out[n] = sum of the eight lanes
  ...op.get(OUT), ...op.get(N), ...op.i32(2), ...op.i32Shl, ...op.i32Add,
  ...op.get(ACC0), ...op.get(ACC1), ...op.f32x4Add, ...op.set(ACC0),
  ...op.get(ACC0), ...op.lane(0), ...op.get(ACC0), ...op.lane(1), ...op.f32Add,
  ...op.get(ACC0), ...op.lane(2), ...op.get(ACC0), ...op.lane(3), ...op.f32Add, ...op.f32Add,
  ...op.f32Store,
  // p += down; if (p >= up) { q = p / up; i0 += q; p -= q·up }
  ...op.get(P), ...op.get(DOWN), ...op.i32Add, ...op.set(P),
  ...op.get(P), ...op.get(UP), ...op.i32GeU,
  ...op.if,
  ...op.get(P), ...op.get(UP), ...op.i32DivU, ...op.set(Q),
  ...op.get(I0), ...op.get(Q), ...op.i32Add, ...op.set(I0),
  ...op.get(P), ...op.get(Q), ...op.get(UP), ...op.i32Mul, ...op.i32Sub, ...op.set(P),
  ...op.end,
  ...op.get(N), ...op.i32(1), ...op.i32Add, ...op.set(N),
  ...op.br(0),
  ...op.end,
  ...op.end,
];
const locals = vec([[6, I32], [2, V128]].map(([count, type]) => [...uleb(count), type]));
const funcBody = [...locals, ...body, ...op.end];

const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, ...vec(new Array(8).fill([I32])), 0x00]])), // type: (i32 ×8) → ()
  ...section(3, vec([[0x00]])), // function 0 has type 0
  ...section(5, vec([[0x00, 0x01]])), // one memory, min 1 page
  ...section(7, vec([[...str('run'), 0x00, 0x00], [...str('mem'), 0x02, 0x00]])),
  ...section(10, vec([[...uleb(funcBody.length), ...funcBody]])),
]);

// ---------------------------------------------------------------- runner

interface Instance {
  run: (x: number, tab: number, out: number, len: number, taps: number, up: number, down: number, p: number) => void;
  mem: WebAssembly.Memory;
}

let instance: Instance | null | undefined;

function load(): Instance | null {
  if (instance !== undefined) return instance;
  try {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MODULE)) return (instance = null);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(MODULE));
    instance = inst.exports as unknown as Instance;
  } catch {
    instance = null;
  }
  return instance;
}

/** Outputs per call: bounds the wasm memory to a few MB whatever the input length. */
const CHUNK = 1 << 15;

/**
 * out[n] = Σ_k xp[i0(n) + 1 + k] · table[p(n)·taps + k], i0/p stepped by down/up from 0 —
 * the rational path of resample.ts. Returns false (and does nothing) without SIMD support.
 */
export function simdPolyphase(xp: Float32Array, table: Float32Array, taps: number, up: number, down: number, out: Float32Array): boolean {
  const w = load();
  if (!w || taps % 8 !== 0) return false;
  const maxIn = Math.ceil(((CHUNK - 1) * down) / up) + 1 + taps + 8;
  const need = (table.length + maxIn + CHUNK) * 4;
  if (w.mem.buffer.byteLength < need) w.mem.grow(Math.ceil((need - w.mem.buffer.byteLength) / 65536));
  const tabPtr = 0;
  const xPtr = table.length * 4;
  const outPtr = xPtr + maxIn * 4;
  new Float32Array(w.mem.buffer, tabPtr, table.length).set(table);
  for (let n0 = 0; n0 < out.length; n0 += CHUNK) {
    const len = Math.min(CHUNK, out.length - n0);
    // Position of output n0: i0 = floor(n0·down/up), phase p = n0·down mod up (exact in doubles).
    const pos = n0 * down;
    const i0 = Math.floor(pos / up);
    const p = pos - i0 * up;
    const last = Math.floor(((n0 + len - 1) * down) / up);
    const inLen = Math.min(last - i0 + taps, xp.length - (i0 + 1));
    const mem = w.mem.buffer;
    new Float32Array(mem, xPtr, inLen).set(xp.subarray(i0 + 1, i0 + 1 + inLen));
    w.run(xPtr, tabPtr, outPtr, len, taps, up, down, p);
    out.set(new Float32Array(mem, outPtr, len), n0);
  }
  return true;
}
