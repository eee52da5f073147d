// A compact HDBSCAN (Campello, Moulavi & Sander 2013; McInnes et al.'s hdbscan conventions) for
// small low-dimensional point sets such as a 2-D UMAP of tracks: core distances (the distance to the
// minSamples-th nearest point, the point itself counted first), mutual reachability
// max(core a, core b, d(a, b)), its minimum spanning tree (Prim, O(n²)), the single-linkage tree of
// that MST, the condensed tree (splits smaller than minClusterSize are points falling out), cluster
// stability Σ_p (λ_p − λ_birth) with λ = 1 / distance, and excess-of-mass selection (the root is
// never selected). Points outside every selected cluster are noise (label −1).

export interface HdbscanOptions {
  minClusterSize?: number;
  /** Default: minClusterSize. */
  minSamples?: number;
}

export interface HdbscanResult {
  /** Cluster per point, 0..clusters−1, or −1 for noise. */
  labels: Int32Array;
  clusters: number;
  /** Stability of each selected cluster (same order as the labels). */
  stability: number[];
  /** How strongly each point belongs to its cluster: λ_p / max λ of the cluster (0 for noise). */
  membership: Float64Array;
}

function euclid(X: ArrayLike<number>, d: number, a: number, b: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = X[a * d + j]! - X[b * d + j]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

interface CondensedCluster {
  parent: number;
  birth: number; // λ at which it appeared
  /** Points that fell out of this cluster itself, with their λ. */
  points: number[];
  lambdas: number[];
  children: number[];
  /** Points at birth. */
  size: number;
}

export function hdbscan(X: ArrayLike<number>, n: number, d: number, opts: HdbscanOptions = {}): HdbscanResult {
  const mcs = opts.minClusterSize ?? 5;
  const ms = opts.minSamples ?? mcs;
  if (X.length !== n * d) throw new Error(`hdbscan: ${X.length} values cannot be ${n} × ${d}`);
  if (!Number.isInteger(mcs) || mcs < 2) throw new Error('hdbscan: minClusterSize must be an integer ≥ 2');
  if (!Number.isInteger(ms) || ms < 1) throw new Error('hdbscan: minSamples must be an integer ≥ 1');
  const empty: HdbscanResult = { labels: new Int32Array(n).fill(-1), clusters: 0, stability: [], membership: new Float64Array(n) };
  if (n < 2) return empty;

  // Core distances: the ms-th smallest distance, the point itself (0) counted first.
  const core = new Float64Array(n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = euclid(X, d, i, j);
    row.sort();
    core[i] = row[Math.min(ms, n) - 1]!;
  }
  // Prim's MST over mutual reachability.
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const from = new Int32Array(n).fill(-1);
  const edges: Array<[number, number, number]> = [];
  let cur = 0;
  inTree[0] = 1;
  for (let step = 1; step < n; step++) {
    let next = -1;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const mr = Math.max(core[cur]!, core[j]!, euclid(X, d, cur, j));
      if (mr < best[j]!) {
        best[j] = mr;
        from[j] = cur;
      }
      if (next < 0 || best[j]! < best[next]!) next = j;
    }
    inTree[next] = 1;
    edges.push([from[next]!, next, best[next]!]);
    cur = next;
  }
  edges.sort((a, b) => a[2] - b[2]);

  // Single-linkage tree: node n+i joins children at height edges[i].
  const uf = new Int32Array(2 * n - 1);
  for (let i = 0; i < uf.length; i++) uf[i] = i;
  const find = (x: number) => {
    while (uf[x] !== x) x = uf[x] = uf[uf[x]!]!;
    return x;
  };
  const left = new Int32Array(n - 1);
  const right = new Int32Array(n - 1);
  const height = new Float64Array(n - 1);
  const size = new Int32Array(2 * n - 1).fill(1);
  edges.forEach(([a, b, h], i) => {
    const ra = find(a);
    const rb = find(b);
    left[i] = ra;
    right[i] = rb;
    height[i] = h;
    size[n + i] = size[ra]! + size[rb]!;
    uf[ra] = n + i;
    uf[rb] = n + i;
  });
  const leaves = (node: number, out: number[]) => {
    const stack = [node];
    while (stack.length) {
      const v = stack.pop()!;
      if (v < n) out.push(v);
      else stack.push(left[v - n]!, right[v - n]!);
    }
    return out;
  };

  // Condensed tree, walked from the root.
  const clusters: CondensedCluster[] = [{ parent: -1, birth: 0, points: [], lambdas: [], children: [], size: n }];
  const stack: Array<[number, number]> = [[2 * n - 2, 0]]; // [tree node, condensed cluster]
  while (stack.length) {
    const [node, c] = stack.pop()!;
    if (node < n) continue; // not reached: only subtrees of ≥ minClusterSize ≥ 2 points are pushed
    const i = node - n;
    const lambda = height[i]! > 0 ? 1 / height[i]! : Infinity;
    const a = left[i]!;
    const b = right[i]!;
    const big = (v: number) => size[v]! >= mcs;
    const fallOut = (v: number) => {
      for (const p of leaves(v, [])) {
        clusters[c]!.points.push(p);
        clusters[c]!.lambdas.push(lambda);
      }
    };
    if (big(a) && big(b)) {
      for (const v of [a, b]) {
        clusters.push({ parent: c, birth: lambda, points: [], lambdas: [], children: [], size: size[v]! });
        clusters[c]!.children.push(clusters.length - 1);
        stack.push([v, clusters.length - 1]);
      }
    } else if (big(a)) {
      fallOut(b);
      stack.push([a, c]);
    } else if (big(b)) {
      fallOut(a);
      stack.push([b, c]);
    } else {
      fallOut(a);
      fallOut(b);
    }
  }

  // Stability of each cluster: its own points, plus its children's sizes at the split λ.
  const finite = (l: number, birth: number) => (Number.isFinite(l) ? l : birth); // duplicate points (λ = ∞) add nothing
  const stab = clusters.map((cl) => {
    let s = 0;
    for (const l of cl.lambdas) s += finite(l, cl.birth) - cl.birth;
    for (const ch of cl.children) s += (finite(clusters[ch]!.birth, cl.birth) - cl.birth) * clusters[ch]!.size;
    return s;
  });
  // Excess of mass, bottom-up (children have larger indices than their parents).
  const selected = new Uint8Array(clusters.length);
  const value = Float64Array.from(stab);
  for (let c = clusters.length - 1; c >= 1; c--) {
    const kids = clusters[c]!.children;
    if (kids.length === 0) {
      selected[c] = 1;
      continue;
    }
    const sub = kids.reduce((s, k) => s + value[k]!, 0);
    if (stab[c]! >= sub) {
      selected[c] = 1;
      const q = [...kids];
      while (q.length) {
        const k = q.pop()!;
        selected[k] = 0;
        q.push(...clusters[k]!.children);
      }
    } else value[c] = sub;
  }
  const labels = new Int32Array(n).fill(-1);
  const membership = new Float64Array(n);
  const stability: number[] = [];
  let next = 0;
  for (let c = 1; c < clusters.length; c++) {
    if (!selected[c]) continue;
    const id = next++;
    stability.push(stab[c]!);
    const q = [c];
    const pts: number[] = [];
    const lams: number[] = [];
    while (q.length) {
      const k = q.pop()!;
      pts.push(...clusters[k]!.points);
      lams.push(...clusters[k]!.lambdas);
      q.push(...clusters[k]!.children);
    }
    let maxL = 0;
    for (const l of lams) if (Number.isFinite(l)) maxL = Math.max(maxL, l);
    pts.forEach((p, t) => {
      labels[p] = id;
      membership[p] = maxL > 0 ? Math.min(1, (Number.isFinite(lams[t]!) ? lams[t]! : maxL) / maxL) : 1;
    });
  }
  return { labels, clusters: next, stability, membership };
}
