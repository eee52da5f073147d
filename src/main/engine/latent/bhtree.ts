// Barnes–Hut space-partitioning tree for t-SNE's repulsive forces: a quadtree in 2-D, an octree
// in 3-D (2^dim children per cell), stored flat in typed arrays with no per-node objects.
//
// Layout: nodes are numbered in depth-first pre-order, so a cell's subtree is the contiguous
// range [node, next[node]) and the traversal needs no stack: descend with node + 1, skip a
// summarised cell with next[node]. Each node records its centre of mass, point count and the
// squared largest side of the tight bounding box of its points. Points are permuted into tree
// order (`perm`, with a copy of their coordinates in `pos`) so leaves and consecutive queries
// touch contiguous memory. All buffers are kept and reused between iterations.
// A cell is split at the centre of its bounding box until it holds at most `leafSize` points;
// identical points, and points so close that the midpoint cannot separate them, stay together in
// one leaf, whose members interact exactly (so every split has two or more non-empty children and
// there are fewer than 2n nodes).

/** Bound on the recursion depth (splits always separate points, so this only caps degenerate input). */
const MAX_DEPTH = 48;

export class BHTree {
  readonly dim: number;
  /** Points per leaf before a cell is split. */
  readonly leafSize: number;
  nNodes = 0;
  /** Per node: dim coordinates of the centre of mass, then count, then squared width (stride dim + 2). */
  node: Float64Array;
  next: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Tree order of the points, and their coordinates in that order. */
  perm: Int32Array;
  pos: Float64Array;
  private n: number;
  private tmp: Int32Array;
  private code: Int32Array;
  private lo: Float64Array;
  private hi: Float64Array;

  /**
   * @param shared allocate the arrays in SharedArrayBuffers, so worker threads can read the tree
   *   (parallel.ts).
   */
  constructor(n: number, dim: number, leafSize = 1, shared = false) {
    if (dim < 1 || dim > 3) throw new RangeError('BHTree: dim must be 1, 2 or 3');
    this.dim = dim;
    this.n = n;
    this.leafSize = Math.max(1, leafSize | 0);
    // Every split has at least two non-empty children and there are at most n leaves, so fewer
    // than 2n nodes.
    const cap = 2 * n + 1;
    const f64 = (len: number) => new Float64Array(shared ? new SharedArrayBuffer(len * 8) : new ArrayBuffer(len * 8));
    const i32 = (len: number) => new Int32Array(shared ? new SharedArrayBuffer(len * 4) : new ArrayBuffer(len * 4));
    this.node = f64(cap * (dim + 2));
    this.next = i32(cap);
    this.start = i32(cap);
    this.end = i32(cap);
    this.perm = i32(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.pos = f64(n * dim);
    this.tmp = new Int32Array(n);
    this.code = new Int32Array(n);
    this.lo = new Float64Array(dim);
    this.hi = new Float64Array(dim);
  }

  /** Rebuild the tree over Y (n × dim). The previous permutation seeds the new one. */
  build(Y: Float64Array): void {
    this.nNodes = 0;
    if (this.n > 0) this.buildNode(Y, 0, this.n, 0);
    const { perm, pos, dim } = this;
    for (let p = 0; p < this.n; p++) {
      const i = perm[p];
      for (let a = 0; a < dim; a++) pos[p * dim + a] = Y[i * dim + a];
    }
  }

  private buildNode(Y: Float64Array, s: number, e: number, depth: number): void {
    const { dim, perm, lo, hi } = this;
    const id = this.nNodes++;
    const stride = dim + 2;
    const nb = id * stride;
    const node = this.node;
    for (let a = 0; a < dim; a++) {
      lo[a] = Infinity;
      hi[a] = -Infinity;
      node[nb + a] = 0;
    }
    for (let p = s; p < e; p++) {
      const o = perm[p] * dim;
      for (let a = 0; a < dim; a++) {
        const v = Y[o + a];
        node[nb + a] += v;
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    }
    const cnt = e - s;
    let w = 0;
    for (let a = 0; a < dim; a++) {
      node[nb + a] /= cnt;
      if (hi[a] - lo[a] > w) w = hi[a] - lo[a];
    }
    node[nb + dim] = cnt;
    node[nb + dim + 1] = w * w;
    this.start[id] = s;
    this.end[id] = e;
    if (cnt <= this.leafSize || w === 0 || depth >= MAX_DEPTH) {
      this.next[id] = id + 1;
      return;
    }
    // Split at the centre of the bounding box into 2^dim cells (counting sort by cell code).
    const nc = 1 << dim;
    const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    const mid0 = (lo[0] + hi[0]) / 2;
    const mid1 = dim > 1 ? (lo[1] + hi[1]) / 2 : 0;
    const mid2 = dim > 2 ? (lo[2] + hi[2]) / 2 : 0;
    const code = this.code;
    for (let p = s; p < e; p++) {
      const o = perm[p] * dim;
      let c = Y[o] > mid0 ? 1 : 0;
      if (dim > 1 && Y[o + 1] > mid1) c |= 2;
      if (dim > 2 && Y[o + 2] > mid2) c |= 4;
      code[p] = c;
      counts[c + 1]++;
    }
    for (let c = 0; c < nc; c++) {
      // Points closer than the rounding of the midpoint cannot be split: keep them in one leaf.
      if (counts[c + 1] === cnt) {
        this.next[id] = id + 1;
        return;
      }
    }
    for (let c = 0; c < nc; c++) counts[c + 1] += counts[c];
    const bounds = counts.slice(0, nc + 1);
    const tmp = this.tmp;
    for (let p = s; p < e; p++) tmp[s + counts[code[p]]++] = perm[p];
    perm.set(tmp.subarray(s, e), s);
    for (let c = 0; c < nc; c++) {
      if (bounds[c + 1] > bounds[c]) this.buildNode(Y, s + bounds[c], s + bounds[c + 1], depth + 1);
    }
    this.next[id] = this.nNodes;
  }

  /**
   * Repulsive forces of the Cauchy kernel q = 1 / (1 + |yi − yj|²): for every point i,
   * rep[i] = Σ_{j≠i} q_ij² (yi − yj), approximated with the Barnes–Hut criterion
   * width / distance < theta. Returns Z = Σ_{i≠j} q_ij (same approximation).
   * `rep` is indexed by the ORIGINAL point order (n × dim). [t0, t1) restricts the work to
   * those positions in tree order (for splitting it between threads); Z is then partial.
   */
  repulsion(theta: number, rep: Float64Array, t0 = 0, t1 = this.n): number {
    const kernel = this.dim === 3 ? repulsionKernel3 : repulsionKernel;
    return kernel(this.node, this.next, this.start, this.end, this.perm, this.pos, this.nNodes, this.dim, t0, t1, theta, rep);
  }
}

// The kernels are self-contained functions of their arguments (no closure, no module state):
// parallel.ts ships their source text to worker threads.

/** Repulsion over tree positions [t0, t1) of a built tree's arrays; returns the partial Z. */
export type RepulsionKernel = (
  node: Float64Array,
  next: Int32Array,
  start: Int32Array,
  end: Int32Array,
  perm: Int32Array,
  pos: Float64Array,
  nNodes: number,
  dim: number,
  t0: number,
  t1: number,
  theta: number,
  rep: Float64Array,
) => number;

/** Barnes–Hut repulsion for tree positions [t0, t1), any dimension; returns the partial Z. */
export const repulsionKernel: RepulsionKernel = function (node, next, start, end, perm, pos, nNodes, dim, t0, t1, theta, rep) {
  const th2 = theta * theta;
  const stride = dim + 2;
  const f = new Float64Array(dim);
  const diff = new Float64Array(dim);
  let Z = 0;
  for (let t = t0; t < t1; t++) {
    const o = t * dim;
    f.fill(0);
    let z = 0;
    let id = 0;
    while (id < nNodes) {
      const b = id * stride;
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        const u = pos[o + a] - node[b + a];
        diff[a] = u;
        d2 += u * u;
      }
      const nx = next[id];
      if (node[b + dim + 1] < th2 * d2) {
        const q = 1 / (1 + d2);
        const cq = node[b + dim] * q;
        z += cq;
        const m = cq * q;
        for (let a = 0; a < dim; a++) f[a] += m * diff[a];
        id = nx;
      } else if (nx === id + 1) {
        for (let p = start[id], pe = end[id]; p < pe; p++) {
          if (p === t) continue;
          let e2 = 0;
          for (let a = 0; a < dim; a++) {
            const u = pos[o + a] - pos[p * dim + a];
            diff[a] = u;
            e2 += u * u;
          }
          const q = 1 / (1 + e2);
          z += q;
          const q2 = q * q;
          for (let a = 0; a < dim; a++) f[a] += q2 * diff[a];
        }
        id = nx;
      } else {
        id++;
      }
    }
    const i = perm[t];
    for (let a = 0; a < dim; a++) rep[i * dim + a] = f[a];
    Z += z;
  }
  return Z;
};

/** The same for 3-D, unrolled (the hot loop of a 3-D t-SNE). `dim` is ignored (always 3). */
export const repulsionKernel3: RepulsionKernel = function (node, next, start, end, perm, pos, nNodes, dim, t0, t1, theta, rep) {
  const th2 = theta * theta;
  let Z = 0;
  for (let t = t0; t < t1; t++) {
    const yx = pos[3 * t];
    const yy = pos[3 * t + 1];
    const yz = pos[3 * t + 2];
    let fx = 0;
    let fy = 0;
    let fz = 0;
    let z = 0;
    let id = 0;
    while (id < nNodes) {
      const b = id * 5;
      const dx = yx - node[b];
      const dy = yy - node[b + 1];
      const dz = yz - node[b + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      const nx = next[id];
      if (node[b + 4] < th2 * d2) {
        const q = 1 / (1 + d2);
        const cq = node[b + 3] * q;
        z += cq;
        const m = cq * q;
        fx += m * dx;
        fy += m * dy;
        fz += m * dz;
        id = nx;
      } else if (nx === id + 1) {
        for (let p = start[id], pe = end[id]; p < pe; p++) {
          if (p === t) continue;
          const ex = yx - pos[3 * p];
          const ey = yy - pos[3 * p + 1];
          const ez = yz - pos[3 * p + 2];
          const q = 1 / (1 + ex * ex + ey * ey + ez * ez);
          z += q;
          const q2 = q * q;
          fx += q2 * ex;
          fy += q2 * ey;
          fz += q2 * ez;
        }
        id = nx;
      } else {
        id++;
      }
    }
    const i = perm[t];
    rep[3 * i] = fx;
    rep[3 * i + 1] = fy;
    rep[3 * i + 2] = fz;
    Z += z;
  }
  return Z;
};
