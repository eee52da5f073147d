// Batch normalisation followed by ReLU in training mode, as one op with its own gradient, computed in
// JS loops over the channels-last data. The tfjs composition (moments → batchNormalization → relu)
// records about fifteen full-size kernels per block forward and backward (means, squares, tiles,
// casts, clones for the tape); on the wasm backend these cost more than the convolutions around them.
//
//   forward   μ_c = mean(x), σ²_c = mean((x − μ)²) (population, as tf.moments), x̂ = (x − μ)/√(σ² + ε),
//             y = max(0, γ x̂ + β)
//   backward  g = dy · [y > 0], dβ = Σ g, dγ = Σ g x̂, dx = γ/√(σ² + ε) · (g − dβ/N − x̂ dγ/N)
//
// Each pass is its own small function so that V8 optimises it once for all calls, and the full-size
// JS buffers are reused between steps (`scratch`): first-touching 17 MB of fresh pages per block
// costs more than the arithmetic.
// Tested against tfjs's own gradients of the composition in tests/unit/cnn/cnn-bn-relu.test.ts.
import * as tf from '@tensorflow/tfjs';

export interface BnReluResult {
  y: tf.Tensor;
  /** Batch mean and (population) variance per channel, for the moving averages. */
  mean: Float32Array;
  variance: Float32Array;
}

/** Buffers one call may reuse from the previous step of the same layer. */
export interface BnReluScratch {
  x?: Float32Array;
  dy?: Float32Array;
  out?: Float32Array;
  dx?: Float32Array;
}

interface HeapBackend {
  typedArrayFromHeap?(info: { dataId: object; shape: number[]; dtype: string }): Float32Array;
}

/**
 * The values of a float32 tensor copied into `into` (reused when its length fits). On wasm the copy is
 * one memcpy from the heap; loops then run on an ordinary array (V8 reads a view on wasm memory, which
 * may grow, several times slower).
 */
function values(t: tf.Tensor, into: Float32Array | undefined): Float32Array {
  const b = tf.backend() as unknown as HeapBackend;
  if (tf.getBackend() === 'wasm' && typeof b.typedArrayFromHeap === 'function') {
    const out = buffer(into, t.size);
    out.set(b.typedArrayFromHeap(t));
    return out;
  }
  return t.dataSync() as Float32Array;
}

function buffer(old: Float32Array | undefined, n: number): Float32Array {
  return old && old.length === n ? old : new Float32Array(n);
}

/** Per-channel mean and population variance in one pass (float64 sums of x and x²). */
function channelStats(x: Float32Array, C: number): { mean: Float64Array; variance: Float64Array } {
  const s = new Float64Array(C);
  const q = new Float64Array(C);
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) {
      const v = x[i + c]!;
      s[c] += v;
      q[c] += v * v;
    }
  }
  const n = x.length / C;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    mean[c] = s[c]! / n;
    variance[c] = Math.max(0, q[c]! / n - mean[c]! * mean[c]!);
  }
  return { mean, variance };
}

function affineRelu(x: Float32Array, C: number, scale: Float32Array, shift: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) out[i + c] = Math.max(0, x[i + c]! * scale[c]! + shift[c]!);
  }
}

/** Σ g over the positive outputs, and Σ g·y (zero where y = 0), per channel: y and g only. */
function backSums(y: Float32Array, g: Float32Array, C: number, sumG: Float64Array, sumGY: Float64Array): void {
  for (let i = 0; i < y.length; i += C) {
    for (let c = 0; c < C; c++) {
      const yi = y[i + c]!;
      const gi = g[i + c]!;
      sumGY[c] += gi * yi;
      if (yi > 0) sumG[c] += gi;
    }
  }
}

/** Σ g·x̂ over the positive outputs from x itself (for γ ≈ 0, where x̂ cannot be had from y). */
function backSumGXhat(x: Float32Array, y: Float32Array, g: Float32Array, C: number, mu: Float32Array, inv: Float32Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) if (y[i + c]! > 0) out[c] += g[i + c]! * (x[i + c]! - mu[c]!) * inv[c]!;
  }
}

/** dx = a·g·[y > 0] + p·x + q per channel (the batch-norm input gradient, regrouped). */
function backDx(x: Float32Array, y: Float32Array, g: Float32Array, C: number, a: Float32Array, p: Float32Array, q: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < x.length; i += C) {
    for (let c = 0; c < C; c++) {
      const k = i + c;
      dx[k] = (y[k]! > 0 ? a[c]! * g[k]! : 0) + p[c]! * x[k]! + q[c]!;
    }
  }
}

/**
 * Training-mode batch norm + ReLU over the last axis of x (gamma, beta: [C]). `scratch` (one per
 * layer) keeps the output and gradient buffers for the next call; the result must be differentiated
 * (or dropped) before the same scratch is used again.
 */
export function bnReluTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, scratch: BnReluScratch = {}): BnReluResult {
  const C = x.shape[x.shape.length - 1]!;
  const size = x.size;
  const n = size / C;
  const gam = gamma.dataSync() as Float32Array;
  const bet = beta.dataSync() as Float32Array;
  const out = (scratch.out = buffer(scratch.out, size));
  const xs = (scratch.x = values(x, scratch.x));
  const stats = channelStats(xs, C);
  const variance = Float32Array.from(stats.variance);
  const mu = Float32Array.from(stats.mean);
  const inv = Float32Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
  const scale = Float32Array.from(gam, (g, c) => g * inv[c]!);
  const shift = Float32Array.from(bet, (b, c) => b - mu[c]! * scale[c]!);
  affineRelu(xs, C, scale, shift, out);
  const op = tf.customGrad(((xIn: tf.Tensor, gIn: tf.Tensor, bIn: tf.Tensor, save: tf.GradSaveFunc) => {
    // x is kept for the backward pass (tensors a tape node does not save are freed after the forward).
    save([xIn]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const g = (scratch.dy = values(dy, scratch.dy));
      const x0 = (scratch.x = values(saved[0]!, scratch.x));
      const dBeta = new Float64Array(C);
      const sumGY = new Float64Array(C);
      backSums(out, g, C, dBeta, sumGY);
      // Where y > 0, x̂ = (y − β)/γ, so Σ g x̂ = (Σ g y − β Σ g)/γ; from x itself when γ ≈ 0.
      const dGamma = Float64Array.from(dBeta, (sg, c) => (sumGY[c]! - bet[c]! * sg) / gam[c]!);
      if (gam.some((v) => !(Math.abs(v) > 1e-6))) {
        dGamma.fill(0);
        backSumGXhat(x0, out, g, C, mu, inv, dGamma);
      }
      // dx = s·(g' − dβ/N − x̂ dγ/N), s = γ/√(σ² + ε), x̂ = (x − μ)·inv: s·g' + p·x + q.
      const p = Float32Array.from(scale, (sc, c) => (-sc * inv[c]! * dGamma[c]!) / n);
      const q = Float32Array.from(scale, (sc, c) => (-sc * dBeta[c]!) / n + (sc * inv[c]! * dGamma[c]! * mu[c]!) / n);
      const dx = (scratch.dx = buffer(scratch.dx, size));
      backDx(x0, out, g, C, scale, p, q, dx);
      return [tf.tensor(dx, xIn.shape, 'float32'), tf.tensor(Float32Array.from(dGamma), gIn.shape, 'float32'), tf.tensor(Float32Array.from(dBeta), bIn.shape, 'float32')];
    };
    return { value: tf.tensor(out, xIn.shape, 'float32'), gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return { y: op(x, gamma, beta), mean: mu, variance };
}
