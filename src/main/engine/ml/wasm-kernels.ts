// Training kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, composed from kernels it has.
//
// Each kernel here works on TensorInfos with the wasm backend's own kernel functions (pad, strided
// slice, reshape, batched matMul, ...), so no tensor leaves the wasm heap and nothing is recorded on
// the gradient tape. Intermediate results are released with `backend.disposeData` as soon as they
// are used. Every kernel is checked against the cpu backend in tests/unit/ml/ml-wasm-kernels.test.ts.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const BACKEND = 'wasm';

type Inputs = Record<string, TensorInfo> | TensorInfo[];

/** A kernel function as the wasm backend calls it (tfjs types `backend` as `{}`). */
type Kernel = (args: { inputs: tf.NamedTensorInfoMap; backend: KernelBackend; attrs: NamedAttrMap }) => TensorInfo;

/** Runs one of the backend's registered kernels directly on TensorInfos. */
function run(name: string, inputs: Inputs, backend: KernelBackend, attrs: object = {}): TensorInfo {
  const kernel = tf.getKernel(name, BACKEND);
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  const out = kernel.kernelFunc({
    inputs: inputs as unknown as tf.NamedTensorInfoMap,
    backend,
    attrs: attrs as NamedAttrMap,
  });
  return Array.isArray(out) ? out[0]! : out;
}

function free(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function reshape(backend: KernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return run('Reshape', { x }, backend, { shape });
}

/** Pads an NHWC tensor so that the window offsets [0, need) exist on both spatial axes. */
function padSpatial(
  backend: KernelBackend,
  x: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  needH: number,
  needW: number,
): TensorInfo {
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, needH - info.inHeight - top);
  const right = Math.max(0, needW - info.inWidth - left);
  return run('PadV2', { x }, backend, {
    paddings: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    constantValue: 0,
  });
}

/** The input rows that meet filter tap (kh, kw), as [batch, outH, outW, channels]. */
function tapSlice(
  backend: KernelBackend,
  xPad: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  kh: number,
  kw: number,
): TensorInfo {
  const r0 = kh * info.dilationHeight;
  const c0 = kw * info.dilationWidth;
  return run('StridedSlice', { x: xPad }, backend, {
    begin: [0, r0, c0, 0],
    end: [
      info.batchSize,
      r0 + (info.outHeight - 1) * info.strideHeight + 1,
      c0 + (info.outWidth - 1) * info.strideWidth + 1,
      info.inChannels,
    ],
    strides: [1, info.strideHeight, info.strideWidth, 1],
    beginMask: 0,
    endMask: 0,
    ellipsisMask: 0,
    newAxisMask: 0,
    shrinkAxisMask: 0,
  });
}

/**
 * Runs `perTap` on the strided input slice of every filter tap (row-major over kh, kw), stacks the
 * per-tap results along a new first axis and reshapes them to `filterShape`.
 */
function reduceTaps(
  backend: KernelBackend,
  xPad: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  filterShape: number[],
  perTap: (slice: TensorInfo) => TensorInfo,
): TensorInfo {
  const taps: TensorInfo[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const s = tapSlice(backend, xPad, info, kh, kw);
      taps.push(perTap(s));
      free(backend, s);
    }
  }
  const stacked = taps.length === 1 ? taps[0]! : run('Concat', taps, backend, { axis: 0 });
  const out = reshape(backend, stacked, filterShape);
  free(backend, stacked);
  if (taps.length > 1) free(backend, ...taps);
  return out;
}

function windowExtent(info: tf.backend_util.Conv2DInfo): [number, number] {
  return [
    (info.outHeight - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1,
    (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1,
  ];
}

function toNHWC(backend: KernelBackend, x: TensorInfo, dataFormat: string): TensorInfo {
  if (dataFormat !== 'NCHW') return reshape(backend, x, x.shape.slice());
  return run('Transpose', { x }, backend, { perm: [0, 2, 3, 1] });
}

/**
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} xPad[b, oh·sh + kh, ow·sw + kw, ci] · dy[b,oh,ow,co]:
 * for every filter tap, one strided slice of the padded input and one matMul with dy.
 */
const conv2DBackpropFilter: Kernel = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dataFormat = a.dataFormat ?? 'NHWC';
  const xN = toNHWC(backend, x, dataFormat);
  const dyN = toNHWC(backend, dy, dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    xN.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [needH, needW] = windowExtent(info);
  const xPad = padSpatial(backend, xN, info, needH, needW);
  const n = info.batchSize * info.outHeight * info.outWidth;
  const dy3 = reshape(backend, dyN, [1, n, info.outChannels]);
  const out = reduceTaps(backend, xPad, info, a.filterShape.slice(), (s) => {
    const s3 = reshape(backend, s, [1, n, info.inChannels]);
    const prod = run('BatchMatMul', { a: s3, b: dy3 }, backend, { transposeA: true, transposeB: false });
    free(backend, s3);
    return prod;
  });
  free(backend, xN, dyN, xPad, dy3);
  return out;
};

/**
 * Depthwise filter gradient: dW[kh,kw,ci,m] = Σ xPad[b, oh·sh + kh·dh, ow·sw + kw·dw, ci] ·
 * dy[b,oh,ow,ci·M + m], one strided slice, a broadcast multiply and a sum per tap.
 */
const depthwiseBackpropFilter: Kernel = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  const m = a.filterShape[3];
  const [needH, needW] = windowExtent(info);
  const xPad = padSpatial(backend, x, info, needH, needW);
  const n = info.batchSize * info.outHeight * info.outWidth;
  const dy3 = reshape(backend, dy, [n, info.inChannels, m]);
  const out = reduceTaps(backend, xPad, info, a.filterShape.slice(), (s) => {
    const s3 = reshape(backend, s, [n, info.inChannels, 1]);
    const prod = run('Multiply', { a: s3, b: dy3 }, backend);
    const sum = run('Sum', { x: prod }, backend, { axis: [0], keepDims: true });
    free(backend, s3, prod);
    return sum;
  });
  free(backend, xPad, dy3);
  return out;
};

/**
 * Depthwise input gradient through the ordinary Conv2DBackpropInput kernel, with the depthwise
 * filter spread into the block-diagonal [kh, kw, C, C·M] filter of the equivalent full convolution
 * (C times the arithmetic of a dedicated kernel; fine for the small channel counts used here).
 */
const depthwiseBackpropInput: Kernel = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const dil = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : a.dilations;
  if (dil[0] !== 1 || dil[1] !== 1) {
    throw new Error('DepthwiseConv2dNativeBackpropInput on wasm: dilations > 1 are not supported');
  }
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  const eyeVals = new Float32Array(c * c);
  for (let i = 0; i < c; i++) eyeVals[i * c + i] = 1;
  const eye: TensorInfo = {
    dataId: backend.write(eyeVals, [1, c, c, 1], 'float32'),
    shape: [1, c, c, 1],
    dtype: 'float32',
  };
  const f4 = reshape(backend, filter, [kh * kw, c, 1, m]);
  const blocks = run('Multiply', { a: f4, b: eye }, backend);
  const full = reshape(backend, blocks, [kh, kw, c, c * m]);
  const out = run('Conv2DBackpropInput', { dy, filter: full }, backend, {
    strides: a.strides,
    pad: a.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: a.dimRoundingMode,
    inputShape: a.inputShape,
  });
  free(backend, eye, f4, blocks, full);
  return out;
};

/** out[s, ...] = Σ_{i: ids[i] = s} x[i, ...], as oneHot(ids)ᵀ · x (ids outside [0, S) are dropped). */
const unsortedSegmentSum: Kernel = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const n = segmentIds.shape.reduce((p, d) => p * d, 1);
  const rest = x.shape.slice(segmentIds.shape.length);
  const r = rest.reduce((p, d) => p * d, 1);
  const ids = reshape(backend, segmentIds, [n]);
  const hot = run('OneHot', { indices: ids }, backend, {
    depth: numSegments,
    onValue: 1,
    offValue: 0,
    dtype: 'int32',
  });
  const hot3 = castTo(backend, hot, [1, n, numSegments]);
  const xf = x.dtype === 'float32' ? reshape(backend, x, [1, n, r]) : castTo(backend, x, [1, n, r]);
  const prod = run('BatchMatMul', { a: hot3, b: xf }, backend, { transposeA: true, transposeB: false });
  let out = reshape(backend, prod, [numSegments, ...rest]);
  if (x.dtype !== 'float32') {
    const cast = run('Cast', { x: out }, backend, { dtype: x.dtype });
    free(backend, out);
    out = cast;
  }
  free(backend, ids, hot, hot3, xf, prod);
  return out;
};

function castTo(backend: KernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  const c = run('Cast', { x }, backend, { dtype: 'float32' });
  const r = reshape(backend, c, shape);
  free(backend, c);
  return r;
}

/**
 * Max-pool gradient in plain JS over the input (replaces the wasm kernel of tfjs 4.22, which drops
 * the gradient of windows whose maximum is negative). Same rule as the cpu backend: each output's
 * gradient goes to the first maximum of its window in row-major order; padding never wins.
 */
const maxPoolGrad: Kernel = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const x = backend.readSync(input.dataId) as Float32Array;
  const g = backend.readSync(dy.dataId) as Float32Array;
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const dx = new Float32Array(nb * h * w * c);
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < nb; b++) {
    for (let r = 0; r < oh; r++) {
      const r0 = r * info.strideHeight - top;
      const rLo = Math.max(0, r0);
      const rHi = Math.min(h, r0 + info.effectiveFilterHeight);
      for (let q = 0; q < ow; q++) {
        const c0 = q * info.strideWidth - left;
        const cLo = Math.max(0, c0);
        const cHi = Math.min(w, c0 + info.effectiveFilterWidth);
        const gBase = ((b * oh + r) * ow + q) * c;
        for (let d = 0; d < c; d++) {
          let best = -Infinity;
          let at = -1;
          for (let i = rLo; i < rHi; i++) {
            for (let j = cLo; j < cHi; j++) {
              const k = ((b * h + i) * w + j) * c + d;
              if (x[k]! > best) {
                best = x[k]!;
                at = k;
              }
            }
          }
          if (at >= 0) dx[at] += g[gBase + d]!;
        }
      }
    }
  }
  return { dataId: backend.write(dx, input.shape, 'float32'), shape: input.shape.slice(), dtype: 'float32' };
};

/** The wasm OneHot kernel writes int32 values whatever dtype it is asked for; cast afterwards. */
function oneHotWithDtype(original: Kernel): Kernel {
  return ({ inputs, backend, attrs }) => {
    const dtype = (attrs as unknown as tf.OneHotAttrs).dtype;
    if (dtype === 'int32') return original({ inputs, backend, attrs });
    const ints = original({ inputs, backend, attrs: { ...attrs, dtype: 'int32' } });
    const out = run('Cast', { x: ints }, backend, { dtype });
    free(backend, ints);
    return out;
  };
}

/**
 * The wasm BatchMatMul and _FusedMatMul kernels are 5–10× slower with transposeA/transposeB than
 * without (dW = xᵀ·dy of a 256-unit layer at batch 64: 5.5 ms against 0.6 ms on an idle machine;
 * bench/ml.bench.ts measures it), and every dense or conv gradient asks for a transpose.
 * Transposing the operand explicitly first and multiplying plainly is much faster.
 */
function plainMatMul(original: Kernel): Kernel {
  return ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original({ inputs, backend, attrs });
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const swapLast = (x: TensorInfo) => {
      const perm = x.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      return run('Transpose', { x }, backend, { perm });
    };
    const at = transposeA ? swapLast(a) : a;
    const bt = transposeB ? swapLast(b) : b;
    const out = original({ inputs: { ...inputs, a: at, b: bt }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    if (transposeA) free(backend, at);
    if (transposeB) free(backend, bt);
    return out;
  };
}

const KERNELS: Array<[string, Kernel]> = [
  ['Conv2DBackpropFilter', conv2DBackpropFilter],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput],
  ['UnsortedSegmentSum', unsortedSegmentSum],
];

/** Kernels wasm has but gets wrong or slow: replaced (MaxPoolGrad) or wrapped (the others). */
const FIXES: Array<[string, (original: Kernel) => Kernel]> = [
  ['MaxPoolGrad', () => maxPoolGrad],
  ['OneHot', oneHotWithDtype],
  ['BatchMatMul', plainMatMul],
  ['_FusedMatMul', plainMatMul],
];

/** Names of the kernels this module adds to the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = KERNELS.map(([name]) => name);
/** Names of the wasm kernels this module replaces or wraps (wrong results, or slow paths). */
export const WASM_FIXED_KERNELS: readonly string[] = FIXES.map(([name]) => name);

const installed = new Set<unknown>();
const originals = new Map<string, tf.KernelFunc>();

/** The wasm kernel a fix replaced or wrapped (for benchmarks comparing the two), if any. */
export function originalWasmKernel(name: string): tf.KernelFunc | undefined {
  return originals.get(name);
}

/**
 * Registers the missing training kernels for 'wasm' and replaces the faulty ones (idempotent).
 * Call after the wasm backend has been initialised. Returns the names it changed in this call.
 */
export function registerWasmTrainingKernels(): string[] {
  const changed: string[] = [];
  for (const [kernelName, kernelFunc] of KERNELS) {
    if (tf.getKernel(kernelName, BACKEND)) continue;
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    installed.add(kernelFunc);
    changed.push(kernelName);
  }
  for (const [kernelName, make] of FIXES) {
    const config = tf.getKernel(kernelName, BACKEND);
    if (!config || installed.has(config.kernelFunc)) continue;
    originals.set(kernelName, config.kernelFunc);
    const kernelFunc = make(config.kernelFunc as unknown as Kernel) as unknown as tf.KernelFunc;
    tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc, setupFunc: config.setupFunc, disposeFunc: config.disposeFunc });
    installed.add(kernelFunc);
    changed.push(kernelName);
  }
  return changed;
}
