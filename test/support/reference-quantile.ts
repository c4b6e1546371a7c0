// An oracle for the percentiles the harness reports, written from the definition and not from
// core/percentile.ts: Hyndman & Fan (1996) sample quantile type 7, the one k6 uses (TrendSink.P)
// and R's `quantile()` defaults to. Checked against R's published values in reference-quantile.test.ts.

/** Sample quantile type 7 of `values` at probability `p` (0..1): x[j] + g·(x[j+1] − x[j]), h = (n−1)p. */
export function type7Quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('type7Quantile of no values');
  const x = values.slice().sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const j = Math.floor(h);
  const g = h - j;
  const next = x[Math.min(j + 1, x.length - 1)]!;
  return x[j]! + g * (next - x[j]!);
}
