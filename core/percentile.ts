// The project's one quantile definition: exact percentiles the way k6 computes them (TrendSink.P),
// linear interpolation between the closest ranks of the sorted samples (Hyndman-Fan type 7, R's and
// numpy's default), so a percentile computed here equals the one k6 prints for the same data. The run
// records, the k6 merge, the thresholds and the CI gate's bootstrap all use it.

/** The `p`-quantile (0..1) of ascending-sorted `sorted`; 0 for no samples. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0]!;
  const i = p * (n - 1);
  const lo = sorted[Math.floor(i)]!;
  const hi = sorted[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** Sorts a copy of `values` ascending (numeric). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** The `p`-quantile (0..1) of unsorted `values`. */
export function percentile(values: ArrayLike<number>, p: number): number {
  return percentileSorted(sortedCopy(values), p);
}

/**
 * The `p`-quantile (this file's definition) of a resample of ascending `sorted` given by how often each
 * element was drawn (`counts`, summing to `total`): walks the counts instead of sorting the resample,
 * so one resample costs O(n) rather than O(n log n). 0 for an empty resample.
 */
export function percentileOfCounts(
  sorted: ArrayLike<number>,
  counts: ArrayLike<number>,
  p: number,
  total: number = sorted.length,
): number {
  if (total <= 0) return 0;
  const position = (total - 1) * p;
  const lowerRank = Math.floor(position);
  const upperRank = Math.ceil(position);
  let seen = 0;
  let lower = Number.NaN;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (Number.isNaN(lower) && seen > lowerRank) lower = sorted[i]!;
    if (seen > upperRank) return lower + (position - lowerRank) * (sorted[i]! - lower);
  }
  return sorted[sorted.length - 1]!;
}
