import type { SeriesSample } from '../core/run-record.ts';

/** Mean of a per-second series figure over the samples that have it (null: none has). */
export function seriesMean(
  series: SeriesSample[],
  pick: (s: SeriesSample) => number | null | undefined,
): number | null {
  const xs = series.map(pick).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}
