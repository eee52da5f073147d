// Adam / AdamW with its state in plain Float32Arrays. tfjs's optimizer spends ~12 tensor ops per
// variable per step, which on the wasm backend costs more than the gradients of a small dense net;
// reading the gradients once and updating in a JS loop is several times cheaper and exact.
// Update rule as tf.train.adam (tfjs-core AdamOptimizer): m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g²,
// w ← w − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε). Weight decay is decoupled (AdamW, applied
// before the Adam step as in torch.optim.AdamW); `l2` adds 2·l2·w to the gradient (classic L2 penalty).
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Default 1e-7, tfjs's float32 epsilon (torch uses 1e-8). */
  epsilon?: number;
  weightDecay?: number;
  l2?: number;
  /** Which variables get weight decay / L2 (default: all of rank ≥ 2, i.e. not biases). */
  decay?: (v: tf.Variable) => boolean;
}

export class JsAdam {
  readonly values: Float32Array[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly decays: boolean[];
  private t = 0;
  private readonly o: Required<Omit<AdamOptions, 'decay'>>;

  /** Reads the variables' current values; from then on `values` is the master copy. */
  constructor(
    private readonly vars: tf.Variable[],
    opts: AdamOptions,
  ) {
    this.o = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, l2: 0, ...opts };
    const decay = opts.decay ?? ((v: tf.Variable) => v.shape.length >= 2);
    this.values = vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    this.m = vars.map((v) => new Float32Array(v.size));
    this.v = vars.map((v) => new Float32Array(v.size));
    this.decays = vars.map(decay);
  }

  /** One step from gradients (same order as the variables); writes the new values into the variables. */
  step(grads: tf.Tensor[]): void {
    const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, l2 } = this.o;
    this.t++;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    this.vars.forEach((variable, i) => {
      const g = grads[i]!.dataSync() as Float32Array;
      const w = this.values[i]!;
      const m = this.m[i]!;
      const v = this.v[i]!;
      const decays = this.decays[i]!;
      const shrink = decays && wd > 0 ? 1 - lr * wd : 1;
      const pen = decays ? 2 * l2 : 0;
      for (let j = 0; j < w.length; j++) {
        const gj = g[j]! + pen * w[j]!;
        m[j] = b1 * m[j]! + (1 - b1) * gj;
        v[j] = b2 * v[j]! + (1 - b2) * gj * gj;
        w[j] = w[j]! * shrink - (lr * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + eps);
      }
      this.write(variable, w);
    });
  }

  /** Replaces the values (e.g. restoring the best epoch) and writes them into the variables. */
  setValues(values: Float32Array[]): void {
    values.forEach((src, i) => {
      this.values[i]!.set(src);
      this.write(this.vars[i]!, this.values[i]!);
    });
  }

  snapshot(): Float32Array[] {
    return this.values.map((w) => Float32Array.from(w));
  }

  private write(variable: tf.Variable, w: Float32Array): void {
    const t = tf.tensor(w, variable.shape, 'float32');
    variable.assign(t);
    t.dispose();
  }
}
