// Power to decibels (librosa.power_to_db with ref=1.0, amin=1e-10, top_db=80).

/**
 * In place: x <- 10 log10(max(amin, x)), then floored at (max over the whole array - topDb).
 * Returns the same array.
 */
export function powerToDbInPlace(x: Float64Array, amin = 1e-10, topDb = 80): Float64Array {
  let mx = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = 10 * Math.log10(Math.max(amin, x[i]));
    x[i] = v;
    if (v > mx) mx = v;
  }
  const floor = mx - topDb;
  for (let i = 0; i < x.length; i++) if (x[i] < floor) x[i] = floor;
  return x;
}
