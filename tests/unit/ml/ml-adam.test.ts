import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/main/engine/ml/backend';
import { JsAdam } from '../../../src/main/engine/ml/adam';

beforeAll(async () => {
  await initBackend();
});

/** A small least-squares problem: loss = mean((x·W + b − t)²) for fixed x, t. */
function problem() {
  const x = tf.tensor2d([0.5, -1, 2, 0.3, 1.5, -0.7, -2, 0.1, 0.9, 1.1, -0.4, 0.6], [4, 3]);
  const t = tf.tensor2d([1, -1, 0.5, 2, -0.5, 0, 1.5, 1], [4, 2]);
  const make = () => [tf.variable(tf.tensor2d([0.1, -0.2, 0.3, 0.05, -0.1, 0.2], [3, 2])), tf.variable(tf.tensor1d([0.01, -0.02]))];
  const loss = (w: tf.Variable, b: tf.Variable) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), t))) as tf.Scalar;
  return { x, t, make, loss };
}

describe('JsAdam', () => {
  it('takes the same steps as tf.train.adam (tfjs-core AdamOptimizer), 25 steps, within 1e-5', () => {
    const { x, t, make, loss } = problem();
    const [w1, b1] = make() as [tf.Variable, tf.Variable];
    const [w2, b2] = make() as [tf.Variable, tf.Variable];
    const ref = tf.train.adam(0.05);
    const ours = new JsAdam([w2, b2], { learningRate: 0.05 });
    for (let s = 0; s < 25; s++) {
      ref.minimize(() => loss(w1, b1), false, [w1, b1]);
      const { value, grads } = tf.variableGrads(() => loss(w2, b2), [w2, b2]);
      ours.step([grads[w2.name]!, grads[b2.name]!]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const a = [...w1.dataSync(), ...b1.dataSync()];
    const b = [...w2.dataSync(), ...b2.dataSync()];
    // tfjs rounds every intermediate to float32, JsAdam only the stored m, v, w: ~1e-6 apart after 25 steps.
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
    // And the loss went down (the problem is not degenerate).
    expect(loss(w2, b2).dataSync()[0]!).toBeLessThan(0.5 * loss(...(make() as [tf.Variable, tf.Variable])).dataSync()[0]!);
    tf.dispose([x, t, w1, b1, w2, b2]);
    ref.dispose();
  });

  it('decoupled weight decay: with a zero gradient, weights shrink by (1 − lr·wd) per step, biases do not', () => {
    // Closed form: g = 0 ⇒ m = v = 0 ⇒ the Adam term is 0/(0 + ε) = 0; only the decay acts.
    const w = tf.variable(tf.tensor2d([1, -2, 3, 4], [2, 2]));
    const b = tf.variable(tf.tensor1d([5, 6]));
    const opt = new JsAdam([w, b], { learningRate: 0.1, weightDecay: 0.5 });
    const zero = [tf.zerosLike(w), tf.zerosLike(b)];
    for (let s = 0; s < 3; s++) opt.step(zero);
    const f = 0.95 ** 3;
    Array.from(w.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([1, -2, 3, 4][i]! * f, 6));
    expect(Array.from(b.dataSync())).toEqual([5, 6]);
    tf.dispose([w, b, ...zero]);
  });

  it('snapshot / setValues restore the variables exactly', () => {
    const w = tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const opt = new JsAdam([w], { learningRate: 0.1 });
    const snap = opt.snapshot();
    const g = tf.onesLike(w);
    opt.step([g]);
    expect(Array.from(w.dataSync())).not.toEqual([1, 2, 3, 4]);
    opt.setValues(snap);
    expect(Array.from(w.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([w, g]);
  });
});
