// Layout of a dendrogram from a scipy-style linkage (rows [a, b, height, size]) and its leaf order:
// leaves one row apart, each merge at the mean row of its two children and at its height. Pure.

export interface DendroSegment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DendroLayout {
  /** Row (0 = top) of every leaf k. */
  leafRow: number[];
  /** Elbow segments (child → merge height, then the vertical joining the two children). */
  segments: DendroSegment[];
  maxHeight: number;
}

/**
 * Positions in "data" units: x = merge height (leaves at 0), y = row. The caller scales x (flipped,
 * leaves on the right) and y (row height).
 */
export function dendrogramLayout(Z: readonly (readonly number[])[], order: readonly number[]): DendroLayout {
  const m = order.length;
  const leafRow = new Array<number>(m).fill(0);
  order.forEach((leaf, row) => {
    leafRow[leaf] = row;
  });
  const y = new Array<number>(2 * m - 1).fill(0);
  const h = new Array<number>(2 * m - 1).fill(0);
  for (let k = 0; k < m; k++) y[k] = leafRow[k]!;
  const segments: DendroSegment[] = [];
  let maxHeight = 0;
  Z.forEach((row, r) => {
    const a = row[0]!;
    const b = row[1]!;
    const height = Math.max(row[2]!, h[a]!, h[b]!);
    const id = m + r;
    h[id] = height;
    y[id] = (y[a]! + y[b]!) / 2;
    maxHeight = Math.max(maxHeight, height);
    segments.push({ x1: h[a]!, y1: y[a]!, x2: height, y2: y[a]! });
    segments.push({ x1: h[b]!, y1: y[b]!, x2: height, y2: y[b]! });
    segments.push({ x1: height, y1: y[a]!, x2: height, y2: y[b]! });
  });
  return { leafRow, segments, maxHeight };
}
