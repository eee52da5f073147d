// Aggregation over frames: mean and population variance (ddof 0), as numpy.mean / numpy.var.

export interface MeanVar {
  mean: number;
  var: number;
}

/** Mean and population variance of x[offset + k*stride], k = 0..count-1 (two-pass, Float64). */
export function meanVar(x: ArrayLike<number>, count = x.length, offset = 0, stride = 1): MeanVar {
  if (count <= 0) return { mean: 0, var: 0 };
  let s = 0;
  for (let k = 0, i = offset; k < count; k++, i += stride) s += x[i];
  const mean = s / count;
  let ss = 0;
  for (let k = 0, i = offset; k < count; k++, i += stride) {
    const d = x[i] - mean;
    ss += d * d;
  }
  return { mean, var: ss / count };
}
