// Split the Barnes–Hut repulsion of one t-SNE iteration over worker threads. The tree, the point
// positions and the output live in SharedArrayBuffers; the helpers run the same kernel as the
// calling thread (its source text is shipped to them) on their share of the points in tree
// order, and the calling thread blocks on Atomics until they are done, so TSNE.step() stays
// synchronous. Each point's force is computed by exactly the same arithmetic as single-threaded;
// only the summation order of Z differs (by partial sums per thread).
import { Worker } from 'node:worker_threads';
import { repulsionKernel, repulsionKernel3, type BHTree } from './bhtree';

// ctrl: [0] generation (bumped to start a round; −1 = quit), [1] helpers done, [2] node count,
//       [3] error flag
const GEN = 0;
const DONE = 1;
const NODES = 2;
const ERR = 3;

/** The helpers' program: the kernels' own source text plus a wait–compute–report loop. */
function source(): string {
  return `
'use strict';
const { workerData } = require('node:worker_threads');
const kernel3 = (${repulsionKernel3.toString()});
const kernelN = (${repulsionKernel.toString()});
const { ctrl, params, node, next, start, end, perm, pos, rep, dim, n, index, threads } = workerData;
const kernel = dim === 3 ? kernel3 : kernelN;
const t0 = Math.floor((n * index) / threads);
const t1 = Math.floor((n * (index + 1)) / threads);
let gen = 0;
for (;;) {
  Atomics.wait(ctrl, ${GEN}, gen);
  gen = Atomics.load(ctrl, ${GEN});
  if (gen < 0) break;
  try {
    params[index] = kernel(node, next, start, end, perm, pos, Atomics.load(ctrl, ${NODES}), dim, t0, t1, params[0], rep);
  } catch (e) {
    Atomics.store(ctrl, ${ERR}, 1);
  }
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}
`;
}

export class RepulsionPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly ctrl: Int32Array;
  /** [0] theta, [i] partial Z of helper i (1 ≤ i < threads). */
  private readonly params: Float64Array;
  private disposed = false;

  /**
   * @param tree a BHTree built with `shared = true`
   * @param rep the output forces (n × dim), backed by a SharedArrayBuffer
   * @param threads total threads including the caller (≥ 2)
   */
  constructor(
    private readonly tree: BHTree,
    private readonly rep: Float64Array,
    threads: number,
    private readonly n: number,
  ) {
    if (!(rep.buffer instanceof SharedArrayBuffer) || !(tree.node.buffer instanceof SharedArrayBuffer)) {
      throw new RangeError('RepulsionPool: the tree and the output must use SharedArrayBuffers');
    }
    this.threads = threads;
    this.ctrl = new Int32Array(new SharedArrayBuffer(16));
    this.params = new Float64Array(new SharedArrayBuffer(8 * threads));
    const code = source();
    for (let index = 1; index < threads; index++) {
      const w = new Worker(code, {
        eval: true,
        workerData: {
          ctrl: this.ctrl,
          params: this.params,
          node: tree.node,
          next: tree.next,
          start: tree.start,
          end: tree.end,
          perm: tree.perm,
          pos: tree.pos,
          rep,
          dim: tree.dim,
          n,
          index,
          threads,
        },
      });
      w.unref(); // an abandoned pool must not keep the process alive
      this.workers.push(w);
    }
  }

  /** Same contract as BHTree.repulsion over all points, the work split between the threads. */
  repulsion(theta: number): number {
    if (this.disposed) throw new Error('RepulsionPool: used after dispose()');
    const { ctrl, params, threads, n } = this;
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, NODES, this.tree.nNodes);
    params[0] = theta;
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    let Z = this.tree.repulsion(theta, this.rep, 0, Math.floor(n / threads));
    for (;;) {
      const done = Atomics.load(ctrl, DONE);
      if (done >= threads - 1) break;
      // A helper that died (it cannot report through the blocked event loop) must not hang us.
      if (Atomics.wait(ctrl, DONE, done, 60_000) === 'timed-out') {
        throw new Error('t-SNE worker thread did not answer within 60 s');
      }
    }
    if (Atomics.load(ctrl, ERR)) throw new Error('t-SNE worker thread failed');
    for (let i = 1; i < threads; i++) Z += params[i];
    return Z;
  }

  /** Stop and release the helper threads (idempotent). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctrl, GEN, -1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) void w.terminate();
  }
}
