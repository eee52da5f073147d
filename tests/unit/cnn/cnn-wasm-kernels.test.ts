// The CNN's wasm kernels (src/main/engine/cnn/wasm-kernels.ts) against the cpu backend of tfjs 4.22,
// which computes every kernel below with plain loops. Tolerance: |wasm − cpu| ≤ 1e-4 · (1 + max|cpu|)
// element-wise (float32 sums of up to a few thousand products). Cases cover the CNN's own layers
// (3×3 'same', stride 1, 1 and 16 input channels) and the fallbacks (strided, explicit padding, pools
// that are not 2×2/2), so a wrapped kernel can never silently change another model's results.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend, switchBackend } from '../../../src/main/engine/ml/backend';
import { CNN_WASM_KERNELS, originalCnnWasmKernel, registerCnnWasmKernels } from '../../../src/main/engine/cnn';
import { mulberry32, normal } from '../../../src/main/engine/random';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
  if (backend === 'wasm') registerCnnWasmKernels();
});

function gaussian(shape: number[], seed: number): tf.Tensor {
  const rng = mulberry32(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => normal(rng)), shape);
}

/** `fn` evaluated on cpu and on wasm (tensors freed), as flat arrays. */
async function cpuAndWasm(fn: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const results: Float32Array[][] = [];
  for (const name of ['cpu', 'wasm']) {
    await switchBackend(name);
    const start = tf.memory().numTensors;
    const ts = tf.tidy(fn);
    results.push(ts.map((t) => Float32Array.from(t.dataSync())));
    tf.dispose(ts);
    expect(tf.memory().numTensors).toBe(start);
  }
  await switchBackend(backend);
  return [results[0]!, results[1]!];
}

function agree(cpu: Float32Array[], wasm: Float32Array[]): void {
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((ref, k) => {
    const got = wasm[k]!;
    expect(got.length).toBe(ref.length);
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(scale).toBeGreaterThan(0); // all-zero results would prove nothing
    const worst = ref.reduce((m, v, i) => Math.max(m, Math.abs(got[i]! - v)), 0);
    expect(worst).toBeLessThanOrEqual(1e-4 * (1 + scale));
  });
}

describe('CNN wasm kernels vs cpu', () => {
  it('wraps its kernels once on wasm', () => {
    expect(backend).toBe('wasm');
    for (const k of CNN_WASM_KERNELS) expect(originalCnnWasmKernel(k)).toBeDefined();
    expect(registerCnnWasmKernels()).toEqual([]);
  });

  type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  const convCases: Array<{ x: number[]; f: number[]; s: number | [number, number]; pad: Pad }> = [
    { x: [3, 16, 20, 1], f: [3, 3, 1, 4], s: 1, pad: 'same' },
    { x: [2, 9, 11, 16], f: [3, 3, 16, 8], s: 1, pad: 'same' },
    { x: [2, 7, 8, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
    { x: [2, 8, 7, 3], f: [2, 2, 3, 3], s: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { x: [2, 9, 9, 2], f: [3, 3, 2, 5], s: 2, pad: 'same' },
    { x: [1, 11, 7, 4], f: [5, 3, 4, 2], s: [3, 2], pad: 'valid' },
  ];
  for (const c of convCases) {
    it(`conv gradients (Conv2DBackpropInput, Conv2DBackpropFilter): x ${c.x} filter ${c.f} stride ${c.s} pad ${JSON.stringify(c.pad)}`, async () => {
      const [cpu, wasm] = await cpuAndWasm(() => {
        const x = gaussian(c.x, 1) as tf.Tensor4D;
        const f = gaussian(c.f, 2) as tf.Tensor4D;
        const w = gaussian(tf.conv2d(x, f, c.s, c.pad).shape, 3);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), w)))([x, f]);
        return [dx!, df!];
      });
      agree(cpu, wasm);
    });
  }

  it('Tile of float32 and int32 tensors', async () => {
    const [cpu, wasm] = await cpuAndWasm(() => [
      tf.tile(gaussian([1, 1, 1, 5], 4), [3, 4, 2, 1]),
      tf.tile(gaussian([2, 3], 5), [2, 3]),
      tf.tile(tf.tensor1d([1, -2, 3], 'int32'), [4]).toFloat(),
    ]);
    agree(cpu, wasm);
  });

  for (const c of [
    { size: 2, s: 2, pad: 'valid' as const, x: [2, 9, 13, 3] },
    { size: 3, s: 2, pad: 'same' as const, x: [2, 9, 8, 3] },
  ]) {
    it(`MaxPoolGrad: pool ${c.size} stride ${c.s} ${c.pad} on x ${c.x} (odd sizes drop the last row/column)`, async () => {
      const [cpu, wasm] = await cpuAndWasm(() => {
        const x = gaussian(c.x, 6) as tf.Tensor4D;
        const w = gaussian(tf.maxPool(x, c.size, c.s, c.pad).shape, 7);
        return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.s, c.pad), w)))(x)];
      });
      agree(cpu, wasm);
    });
  }

  it('MaxPoolGrad ties go to the first maximum of the window (row-major), as on cpu', async () => {
    const xv = Float32Array.from([1, 3, 3, 0, 2, 2, 2, 2, -1, -1, -5, -1, 0, 0, 0, 0]);
    const [cpu, wasm] = await cpuAndWasm(() => [tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d(xv, [1, 4, 4, 1]))]);
    expect(Array.from(wasm[0]!)).toEqual(Array.from(cpu[0]!));
    expect(Array.from(wasm[0]!)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]) // maxima: (0,1), (0,2), first 0 of row 3, its third 0;
  });
});
