// Reference: the cpu backend of tfjs 4.22 (@tensorflow/tfjs-backend-cpu), which implements every
// kernel below directly with loops; the wasm results must agree within float32 tolerance.
// Tolerance: |wasm − cpu| ≤ 1e-4 · (1 + max|cpu|) element-wise (float32 sums of ≤ a few hundred terms).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackendInfo, switchBackend, type BackendInfo } from '../../../src/main/engine/ml/backend';
import { WASM_FIXED_KERNELS, WASM_TRAINING_KERNELS } from '../../../src/main/engine/ml/wasm-kernels';
import { mulberry32, normal } from '../../../src/main/engine/random';

let info: BackendInfo;
beforeAll(async () => {
  info = await initBackendInfo();
});

function randn(n: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = normal(rng);
  return a;
}

/** Runs `fn` on the cpu and on the wasm backend and returns both results as flat arrays. */
async function onBoth(fn: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const out: Record<string, Float32Array[]> = {};
  for (const b of ['cpu', 'wasm']) {
    await switchBackend(b);
    const before = tf.memory().numTensors;
    const r = tf.tidy(fn);
    const list = Array.isArray(r) ? r : [r];
    out[b] = list.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(list);
    expect(tf.memory().numTensors).toBe(before);
  }
  await switchBackend(info.name);
  return { cpu: out.cpu!, wasm: out.wasm! };
}

function expectClose(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((ref, k) => {
    const got = b[k]!;
    expect(got.length).toBe(ref.length);
    let scale = 0;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i]! - ref[i]!));
    expect(worst).toBeLessThanOrEqual(1e-4 * (1 + scale));
    expect(scale).toBeGreaterThan(0); // a gradient of all zeros would prove nothing
  });
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

describe('ml backend', () => {
  it('chooses wasm when tfjs-node is absent and registers the missing training kernels', async () => {
    let hasNode = true;
    try {
      await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node'].join('/'));
    } catch {
      hasNode = false;
    }
    expect(info.name).toBe(hasNode ? 'tensorflow' : 'wasm');
    if (info.name === 'wasm') {
      expect(info.skipped.map((s) => s.backend)).toEqual(['tensorflow']);
      for (const k of WASM_TRAINING_KERNELS) expect(tf.getKernel(k, 'wasm')).toBeDefined();
      expect(info.addedKernels.sort()).toEqual([...WASM_TRAINING_KERNELS, ...WASM_FIXED_KERNELS].sort());
    }
  });
});

describe('wasm training kernels vs cpu', () => {
  const convCases: Array<{ x: number[]; f: number[]; s: number | [number, number]; pad: Pad }> = [
    { x: [2, 7, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
    { x: [2, 7, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
    { x: [2, 9, 9, 2], f: [3, 3, 2, 5], s: 2, pad: 'same' },
    { x: [2, 9, 10, 2], f: [3, 2, 2, 5], s: 2, pad: 'valid' },
    { x: [1, 11, 7, 4], f: [5, 3, 4, 2], s: [3, 2], pad: 'same' },
    { x: [3, 6, 6, 1], f: [1, 1, 1, 6], s: 1, pad: 'valid' },
    { x: [2, 8, 7, 3], f: [2, 2, 3, 3], s: [2, 3], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  ];

  type Conv = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D;
  /** y = op(x, f) and the gradients of Σ w·y with respect to x and f, w random. */
  const convAndGrads = (xShape: number[], fShape: number[], op: Conv) => () => {
    const x = tf.tensor4d(randn(xShape.reduce((a, b) => a * b), 1), xShape as [number, number, number, number]);
    const f = tf.tensor4d(randn(fShape.reduce((a, b) => a * b), 2), fShape as [number, number, number, number]);
    const y = op(x, f);
    const w = tf.tensor(randn(y.size, 3), y.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), w)))([x, f]);
    return [y, dx!, df!];
  };

  for (const c of convCases) {
    it(`Conv2DBackpropFilter and Conv2DBackpropInput: x ${c.x} filter ${c.f} stride ${c.s} pad ${JSON.stringify(c.pad)}`, async () => {
      const { cpu, wasm } = await onBoth(convAndGrads(c.x, c.f, (x, f) => tf.conv2d(x, f, c.s, c.pad)));
      expectClose(cpu, wasm);
    });
  }

  it('Conv2DBackpropFilter with NCHW data (transposed to NHWC inside the kernel)', async () => {
    const xv = randn(2 * 3 * 6 * 5, 4);
    const dyv = randn(2 * 4 * 3 * 3, 5);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', dimRoundingMode: undefined, filterShape: [3, 3, 3, 4] };
    // The public conv2d op only takes NHWC on cpu; call the kernel directly, as conv2d's gradient does.
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, [2, 3, 6, 5]), dy: tf.tensor(dyv, [2, 4, 3, 3]) }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const { cpu, wasm } = await onBoth(run);
    expectClose(cpu, wasm);
  });

  const dwCases: Array<{ x: number[]; f: number[]; s: number; pad: 'same' | 'valid' }> = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 2], s: 1, pad: 'same' },
    { x: [2, 9, 8, 4], f: [3, 3, 4, 1], s: 2, pad: 'valid' },
    { x: [1, 8, 8, 2], f: [2, 2, 2, 3], s: 2, pad: 'same' },
  ];
  for (const c of dwCases) {
    it(`DepthwiseConv2dNative backprop filter and input: x ${c.x} filter ${c.f} stride ${c.s} ${c.pad}`, async () => {
      const { cpu, wasm } = await onBoth(convAndGrads(c.x, c.f, (x, f) => tf.depthwiseConv2d(x, f, c.s, c.pad)));
      expectClose(cpu, wasm);
    });
  }

  const poolCases: Array<{ size: [number, number]; s: number; pad: 'same' | 'valid' }> = [
    { size: [2, 2], s: 2, pad: 'valid' },
    { size: [3, 3], s: 2, pad: 'same' },
    { size: [3, 2], s: 1, pad: 'valid' },
  ];
  for (const c of poolCases) {
    it(`MaxPoolGrad and AvgPoolGrad (already in wasm): pool ${c.size} stride ${c.s} ${c.pad}`, async () => {
      const xv = randn(2 * 9 * 8 * 3, 9);
      const { cpu, wasm } = await onBoth(() => {
        const x = tf.tensor4d(xv, [2, 9, 8, 3]);
        const shape = tf.maxPool(x, c.size, c.s, c.pad).shape;
        const w = tf.tensor(randn(shape.reduce((a, b) => a * b), 10), shape);
        const dMax = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.s, c.pad), w)))(x);
        const dAvg = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, c.size, c.s, c.pad), w)))(x);
        return [dMax, dAvg];
      });
      expectClose(cpu, wasm);
    });
  }

  it('FusedBatchNorm gradients (already in wasm) for x, mean, variance, offset and scale', async () => {
    const xv = randn(4 * 5 * 5 * 3, 11);
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor4d(xv, [4, 5, 5, 3]);
      const mean = tf.tensor1d([0.1, -0.2, 0.3]);
      const variance = tf.tensor1d([1.5, 0.7, 2.0]);
      const offset = tf.tensor1d([0.5, 0, -0.5]);
      const scale = tf.tensor1d([1.2, 0.8, 1.0]);
      const w = tf.tensor4d(randn(xv.length, 12), [4, 5, 5, 3]);
      const g = tf.grads((a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
        tf.sum(tf.mul(tf.batchNorm(a, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, 1e-3), w)),
      );
      return g([x, mean, variance, offset, scale]);
    });
    expectClose(cpu, wasm);
  });

  it('OneHot with a float32 dtype (wasm wrote int32 bits; wrapped)', async () => {
    const { cpu, wasm } = await onBoth(() => tf.oneHot(tf.tensor1d([2, 0, 1, 2], 'int32'), 3, 1, 0, 'float32'));
    expectClose(cpu, wasm);
    expect(Array.from(wasm[0]!)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('MaxPoolGrad on windows whose maximum is negative (the wasm kernel dropped them; replaced)', async () => {
    // x = sin(1.7·i) on a 4×4 grid, 2×2 windows: the top-right window is all negative, its
    // maximum sin(3.4) sits at flat index 2, so dx[2] = 1 (hand-checked; cpu agrees).
    const xv = Float32Array.from({ length: 16 }, (_, i) => Math.sin(1.7 * i));
    const { cpu, wasm } = await onBoth(() =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d(xv, [1, 4, 4, 1])),
    );
    expectClose(cpu, wasm);
    expect(Array.from(wasm[0]!)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
  });

  it('UnsortedSegmentSum, directly and as the gradient of gather (embeddings)', async () => {
    const xv = randn(7 * 4, 13);
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor2d(xv, [7, 4]);
      const ids = tf.tensor1d([2, 0, 2, 4, 1, 0, 2], 'int32');
      const seg = tf.unsortedSegmentSum(x, ids, 5);
      const table = tf.tensor2d(randn(6 * 4, 14), [6, 4]);
      const w = tf.tensor2d(randn(7 * 4, 15), [7, 4]);
      const dTable = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), w)))(table);
      const segInt = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5, 6, 7], 'int32'), ids, 5).toFloat();
      return [seg, dTable, segInt];
    });
    expectClose(cpu, wasm);
  });

  const convNets: Array<[string, () => tf.layers.Layer[]]> = [
    [
      'conv/ReLU, batch norm, max pool, separable conv, average pool, dense softmax',
      () => [
        tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.batchNormalization(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.separableConv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }), pointwiseInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        tf.layers.averagePooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ],
    ],
    [
      'strided conv/ELU, leaky ReLU, global average pool, dense tanh, dense softmax',
      () => [
        tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 6, kernelSize: [3, 5], strides: [2, 1], padding: 'same', activation: 'elu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.conv2d({ filters: 4, kernelSize: 2, padding: 'valid', activation: 'selu', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }),
      ],
    ],
  ];
  for (const [name, layers] of convNets) {
    it(`a small conv net (${name}) takes the same Adam steps on wasm as on cpu, without leaking tensors`, async () => {
      const xv = randn(8 * 12 * 12 * 2, 16);
      const yv = Int32Array.from({ length: 8 }, (_, i) => i % 3);
      const { cpu, wasm } = await onBoth(() => {
        const model = tf.sequential({ layers: layers() });
        const opt = tf.train.adam(0.01);
        const x = tf.tensor4d(xv, [8, 12, 12, 2]);
        const y = tf.oneHot(tf.tensor1d(yv, 'int32'), 3);
        const losses: number[] = [];
        for (let step = 0; step < 3; step++) {
          const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
          losses.push(l!.dataSync()[0]!);
        }
        const out = [tf.tensor1d(losses), ...model.getWeights().map((w) => w.clone())];
        opt.dispose();
        model.dispose();
        return out;
      });
      expectClose(cpu, wasm);
    });
  }
});
