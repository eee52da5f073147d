// The k smallest of a stream of candidates, kept sorted: k-NN search in kNN classification, the
// k-NN graph and the placement of new points.

/**
 * Offer candidate i at distance v to the k best so far (bd ascending, bi their indices; start from
 * Infinity / −1). Offered in index order, ties keep the lower index first, as a stable sort would.
 */
export function insertTopK(bd: Float64Array, bi: Int32Array, v: number, i: number): void {
  const k = bd.length;
  if (v >= bd[k - 1]!) return;
  let p = k - 1;
  while (p > 0 && bd[p - 1]! > v) {
    bd[p] = bd[p - 1]!;
    bi[p] = bi[p - 1]!;
    p--;
  }
  bd[p] = v;
  bi[p] = i;
}
