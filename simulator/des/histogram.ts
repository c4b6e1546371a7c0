// A log-bucketed histogram of non-negative values (ms): 1% relative resolution from 1 µs to ~28 h, in
// one Float64Array, so recording is an index computation and an increment.

const MIN = 1e-3;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(1e8 / MIN) / LOG_GROWTH) + 2;

/** Counts of values in buckets 1% wide; quantiles are bucket midpoints (error <= 0.5%). */
export class LogHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private zeros = 0;
  /** Values recorded. */
  count = 0;
  /** Sum of the values recorded. */
  sum = 0;
  /** Largest value recorded. */
  max = 0;

  /** Records one value. */
  record(value: number): void {
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
    if (value < MIN) {
      this.zeros++;
      return;
    }
    let i = Math.floor(Math.log(value / MIN) / LOG_GROWTH) + 1;
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]!++;
  }

  /** Mean of the values (0 when empty). */
  mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  /** Share of values below 1 µs (for waits: the share that did not wait). */
  zeroShare(): number {
    return this.count > 0 ? this.zeros / this.count : 0;
  }

  /** p-quantile (0 when empty). */
  quantile(p: number): number {
    if (this.count === 0) return 0;
    const rank = p * this.count;
    let seen = this.zeros;
    if (seen >= rank) return 0;
    for (let i = 1; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, MIN * GROWTH ** (i - 1) * Math.sqrt(GROWTH));
    }
    return this.max;
  }
}
