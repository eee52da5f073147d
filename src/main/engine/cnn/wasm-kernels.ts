// Faster wasm kernels for training a conv net (tfjs-backend-wasm 4.22), on top of ml/wasm-kernels.ts.
//
// Measured per kernel (CPU ms, batch 32, the CNN's four 3×3 'same' conv layers; bench/cnn.bench.ts
// repeats it) the wasm backend spends most of a training step outside the forward convolutions:
//   - Conv2DBackpropInput: the wasm kernel is a plain loop. The input gradient of a stride-1 conv is a
//     forward conv of dy with the filter rotated 180° and its in/out channels swapped, which runs
//     through XNNPACK like any forward conv (7–11× faster on the 16–64-channel layers).
//   - Conv2DBackpropFilter (ml/wasm-kernels.ts: a strided slice and a matMul per filter tap; the wasm
//     slice copies one channel row at a time). With the batch taken as channels, the filter gradient is
//     itself a 'valid' forward conv of the transposed padded input with dy as the filter (~2× faster).
//   - Tile (batch-norm gradients broadcast per-channel values): the wasm kernel computes every output
//     index; here rows are copied and blocks repeated (~20× faster).
//   - MaxPoolGrad for 2×2 windows with stride 2: a dedicated JS loop instead of the generic one.
// Each kernel falls back to the one it wraps outside the cases it handles, and is checked against the
// cpu backend in tests/unit/cnn/cnn-wasm-kernels.test.ts.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const BACKEND = 'wasm';

type Kernel = (args: { inputs: tf.NamedTensorInfoMap; backend: KernelBackend; attrs: NamedAttrMap }) => TensorInfo | TensorInfo[];

/** The parts of the wasm backend these kernels use (BackendWasm is not exported with types). */
interface WasmBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function call(kernel: Kernel, inputs: object, backend: KernelBackend, attrs: object): TensorInfo {
  const out = kernel({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as NamedAttrMap });
  return Array.isArray(out) ? out[0]! : out;
}

function registered(name: string): Kernel {
  const k = tf.getKernel(name, BACKEND);
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc as unknown as Kernel;
}

function free(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function output(backend: KernelBackend, shape: number[], values: Float32Array): TensorInfo {
  const b = backend as WasmBackend;
  const out = b.makeOutput(shape, 'float32');
  (b.typedArrayFromHeap(out) as Float32Array).set(values);
  return out;
}

function isNHWC(dataFormat: string | undefined): boolean {
  return (dataFormat ?? 'NHWC') === 'NHWC';
}

function oneDilation(d: number | [number, number] | undefined): boolean {
  if (d === undefined) return true;
  return typeof d === 'number' ? d === 1 : d[0] === 1 && d[1] === 1;
}

/** dx of a stride-1 conv: conv2d(dy, rot180(W) with in/out swapped), padded so that dx has x's shape. */
function conv2DBackpropInput(original: Kernel): Kernel {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const strides = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
    if (!isNHWC(a.dataFormat) || strides[0] !== 1 || strides[1] !== 1) return original(args);
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      1,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const w = backend.readSync(filter.dataId) as Float32Array;
    const flipped = new Float32Array(w.length);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = (i * kw + j) * ci * co;
        const dst = ((kh - 1 - i) * kw + (kw - 1 - j)) * co * ci;
        for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) flipped[dst + o * ci + c] = w[src + c * co + o]!;
      }
    }
    const wT = output(backend, [kh, kw, co, ci], flipped);
    // dx[i] = Σ_k dy[i + top − k] w[k]: dy padded by kh − 1 − top before and enough after to give inHeight rows.
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight + kh - 1 - info.outHeight - top;
    const right = info.inWidth + kw - 1 - info.outWidth - left;
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      free(backend, wT);
      return original(args);
    }
    const out = call(registered('Conv2D'), { x: dy, filter: wT }, backend, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    });
    free(backend, wT);
    return out;
  };
}

/**
 * dW of a stride-1 conv as one forward conv through XNNPACK: with the batch as channels,
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} xPad[b, oh + kh, ow + kw, ci] · dy[b, oh, ow, co] is the 'valid' conv of
 * xPad transposed to [ci, H', W', b] with dy transposed to a [oh, ow, b, co] filter: out [ci, kh, kw, co].
 */
function conv2DBackpropFilter(original: Kernel): Kernel {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const strides = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
    if (!isNHWC(a.dataFormat) || strides[0] !== 1 || strides[1] !== 1) return original(args);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, 1, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    const { top, left } = info.padInfo;
    const bottom = info.outHeight + info.filterHeight - 1 - info.inHeight - top;
    const right = info.outWidth + info.filterWidth - 1 - info.inWidth - left;
    if (bottom < 0 || right < 0) return original(args);
    const xPad = call(registered('PadV2'), { x }, backend, {
      paddings: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      constantValue: 0,
    });
    const xT = call(registered('Transpose'), { x: xPad }, backend, { perm: [3, 1, 2, 0] });
    const dyT = call(registered('Transpose'), { x: dy }, backend, { perm: [1, 2, 0, 3] });
    const conv = call(registered('Conv2D'), { x: xT, filter: dyT }, backend, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
    const out = call(registered('Transpose'), { x: conv }, backend, { perm: [1, 2, 0, 3] });
    free(backend, xPad, xT, dyT, conv);
    return out;
  };
}

/**
 * Max-pool gradient for 2×2 windows with stride 2 and no padding (the CNN's pools), in one JS pass;
 * the same rule as the cpu backend (the first maximum of a window in row-major order takes the gradient).
 */
function maxPoolGrad(original: Kernel): Kernel {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const a = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const plain = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2;
    if (!plain || info.padInfo.top !== 0 || info.padInfo.left !== 0) return original(args);
    const x = backend.readSync(input.dataId) as Float32Array;
    const g = backend.readSync(dy.dataId) as Float32Array;
    const { batchSize: nb, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
    const b = backend as WasmBackend;
    const out = b.makeOutput(input.shape.slice(), 'float32');
    const dx = b.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    const row = w * c;
    for (let n = 0; n < nb; n++) {
      for (let r = 0; r < oh; r++) {
        const base = (n * h + 2 * r) * row;
        for (let q = 0; q < ow; q++) {
          const k0 = base + 2 * q * c;
          const gBase = ((n * oh + r) * ow + q) * c;
          for (let d = 0; d < c; d++) {
            const k00 = k0 + d;
            const k01 = k00 + c;
            const k10 = k00 + row;
            const k11 = k10 + c;
            let at = k00;
            if (x[k01]! > x[at]!) at = k01;
            if (x[k10]! > x[at]!) at = k10;
            if (x[k11]! > x[at]!) at = k11;
            dx[at] = g[gBase + d]!;
          }
        }
      }
    }
    return out;
  };
}

/** Tile by copying runs: the innermost axis row by row, then each outer axis as whole blocks. */
function tile(original: Kernel): Kernel {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const reps = (attrs as unknown as tf.TileAttrs).reps;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
    let shape = x.shape.slice();
    let data = backend.readSync(x.dataId) as Float32Array | Int32Array;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const r = reps[axis]!;
      if (r === 1) continue;
      const block = shape.slice(axis).reduce((s, d) => s * d, 1);
      const outer = data.length / block;
      const next = new (data.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(data.length * r);
      for (let o = 0; o < outer; o++) {
        const src = data.subarray(o * block, (o + 1) * block);
        for (let k = 0; k < r; k++) next.set(src, (o * r + k) * block);
      }
      data = next;
      shape = shape.map((d, i) => (i === axis ? d * r : d));
    }
    const b = backend as WasmBackend;
    const out = b.makeOutput(shape, x.dtype);
    b.typedArrayFromHeap(out).set(data);
    return out;
  };
}

const FIXES: Array<[string, (original: Kernel) => Kernel]> = [
  ['Conv2DBackpropInput', conv2DBackpropInput],
  ['Conv2DBackpropFilter', conv2DBackpropFilter],
  ['Tile', tile],
  ['MaxPoolGrad', maxPoolGrad],
];

/** Names of the wasm kernels this module wraps for conv-net training. */
export const CNN_WASM_KERNELS: readonly string[] = FIXES.map(([name]) => name);

const mine = new Set<unknown>();
const originals = new Map<string, tf.KernelFunc>();

/** The kernel a CNN fix wrapped (for benchmarks and tests comparing the two), if any. */
export function originalCnnWasmKernel(name: string): tf.KernelFunc | undefined {
  return originals.get(name);
}

/**
 * Wraps the wasm kernels above (idempotent; call once the wasm backend is active, after
 * registerWasmTrainingKernels so that Conv2DBackpropFilter exists). Returns the names changed now.
 */
export function registerCnnWasmKernels(): string[] {
  const changed: string[] = [];
  for (const [kernelName, make] of FIXES) {
    const config = tf.getKernel(kernelName, BACKEND);
    if (!config || mine.has(config.kernelFunc)) continue;
    originals.set(kernelName, config.kernelFunc);
    const kernelFunc = make(config.kernelFunc as unknown as Kernel) as unknown as tf.KernelFunc;
    tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc, setupFunc: config.setupFunc, disposeFunc: config.disposeFunc });
    mine.add(kernelFunc);
    changed.push(kernelName);
  }
  return changed;
}
