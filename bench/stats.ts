/**
 * Order statistics of timing samples: medians and quartiles, because one scheduler hiccup on a
 * shared machine moves a mean a lot and a median hardly at all.
 * @module
 */

/** The value at quantile `q` (0..1) of `values`, interpolated linearly; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  const high = sorted[above]!;
  return low + (high - low) * (position - below);
}

/** The median of `values`; NaN when empty. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Smallest and largest of `values`. */
export function range(values: readonly number[]): { readonly min: number; readonly max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}
