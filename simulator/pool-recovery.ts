import type { SeriesSample } from '../core/run-record.ts';
import { isCongestedSecond } from './db-congestion-seconds.ts';

// How a run's pool came back from a burst that filled it (the pool-burst fault): whether it drained
// back to calm or stayed full, read from its per-second series (issue 12; metastable-load.ts says
// which to expect). Pure.

/** Seconds in a row with no request waiting for a connection that count as the pool calm again. */
export const CALM_RUN_SECONDS = 5;

/** What a run's pool did after a burst. */
export interface PoolRecovery {
  /** Seconds from the burst's end to the first of CALM_RUN_SECONDS in a row with none waiting (null: not within the window). */
  calmAfterSeconds: number | null;
  /** Share of the seconds from the burst's end to the window's end with the pool full and requests waiting. */
  congestedShare: number;
  /** Seconds of the series from the burst's end to the window's end (with the pool sampled). */
  seconds: number;
}

/**
 * The pool's recovery after a burst that ended `burstEndSecond` seconds into the window (the series'
 * `t`); null when the series has no pool samples after it.
 */
export function poolRecovery(series: readonly SeriesSample[], burstEndSecond: number): PoolRecovery | null {
  const after = series.filter((s) => s.pool !== null && s.t >= burstEndSecond).sort((a, b) => a.t - b.t);
  if (after.length === 0) return null;
  let calmAfterSeconds: number | null = null;
  for (let i = 0; i + CALM_RUN_SECONDS <= after.length && calmAfterSeconds === null; i++)
    if (after.slice(i, i + CALM_RUN_SECONDS).every((s) => s.pool!.waiting === 0))
      calmAfterSeconds = after[i]!.t - burstEndSecond;
  return {
    calmAfterSeconds,
    congestedShare: after.filter(isCongestedSecond).length / after.length,
    seconds: after.length,
  };
}
