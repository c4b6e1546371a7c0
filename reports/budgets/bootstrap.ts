import { percentileOfCounts, percentileSorted } from '../../core/percentile.ts';
import { seededRandom } from '../../core/seeded-random.ts';

/** Options of {@link bootstrapQuantileRatio}. */
export interface BootstrapOptions {
  /** Quantile compared, in (0, 1): 0.95 for p95. */
  quantile: number;
  /** Bootstrap resamples (more = steadier interval, slower). */
  resamples: number;
  /** Two-sided confidence of the interval, e.g. 0.95. */
  confidence: number;
  /** PRNG seed: same samples and seed, same interval. */
  seed: number;
}

/** The observed ratio of a quantile (current / baseline) and its bootstrap confidence interval. */
export interface RatioInterval {
  current: number;
  baseline: number;
  /** current / baseline of the quantile, from all samples. */
  ratio: number;
  /** Percentile bootstrap interval of the ratio. */
  low: number;
  high: number;
}

/** Sorts a copy ascending, dropping values that are not finite numbers. */
export function sortedFinite(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}

function drawQuantile(
  sorted: readonly number[],
  q: number,
  random: () => number,
  counts: Uint32Array,
): number {
  counts.fill(0);
  const n = sorted.length;
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]! += 1;
  return percentileOfCounts(sorted, counts, q);
}

/**
 * Seeded percentile bootstrap of quantile(current) / quantile(baseline): each resample draws both
 * samples with replacement and takes the ratio of their quantiles. The interval says how far the
 * ratio could move by chance alone, which is what separates a real regression from a noisy machine.
 */
export function bootstrapQuantileRatio(
  current: readonly number[],
  baseline: readonly number[],
  options: BootstrapOptions,
): RatioInterval {
  const a = sortedFinite(current);
  const b = sortedFinite(baseline);
  if (a.length === 0 || b.length === 0) throw new Error('bootstrap needs samples on both sides');
  const random = seededRandom(options.seed);
  const countsA = new Uint32Array(a.length);
  const countsB = new Uint32Array(b.length);
  const ratios = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    const qa = drawQuantile(a, options.quantile, random, countsA);
    const qb = drawQuantile(b, options.quantile, random, countsB);
    ratios[r] = qb > 0 ? qa / qb : Number.POSITIVE_INFINITY;
  }
  ratios.sort();
  const alpha = (1 - options.confidence) / 2;
  const sortedRatios = Array.from(ratios);
  const currentQ = percentileSorted(a, options.quantile);
  const baselineQ = percentileSorted(b, options.quantile);
  return {
    current: currentQ,
    baseline: baselineQ,
    ratio: baselineQ > 0 ? currentQ / baselineQ : Number.POSITIVE_INFINITY,
    low: percentileSorted(sortedRatios, alpha),
    high: percentileSorted(sortedRatios, 1 - alpha),
  };
}
