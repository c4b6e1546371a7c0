// The arrival spread of every constant-arrival-rate stream. k6 starts such a stream's iterations on a
// fixed beat (one every 1 / rate s), so streams whose rates are in whole ratios (the sync classes at
// 1:2:7, and every stream at a round number of users) start together on every beat and queue behind
// each other, which no population of independent clients does. Each iteration therefore waits a
// uniform random delay in [0, spread) before its first request (lib/await-arrival.ts): placed at random
// within its own beat, a stream loses its phase against the others (two streams meet as often as two
// independent ones would) yet keeps its rate and its even schedule over any stretch longer than its
// beat (the births of simulator/sync-population.ts stay as regular as the schedule's). Pure: the
// runner's aggregator and the simulator's model of k6 read the same figures.

/** Widest spread, in intervals of the stream (1 / rate): one beat, so a stream never bunches past its own schedule. */
export const ARRIVAL_SPREAD_INTERVALS = 1;

/** Widest spread, seconds: a slow stream's spread stays well inside the warm-up and the graceful stop. */
export const ARRIVAL_SPREAD_MAX_S = 1;

/** The k6 Trend of each iteration's arrival delay, ms (scripts/k6/aggregate.ts takes it out of the iteration's time). */
export const ARRIVAL_DELAY_METRIC = 'arrival_delay';

/** Width of the arrival delay of a stream at `perSecond`, s: min(ARRIVAL_SPREAD_INTERVALS / rate, ARRIVAL_SPREAD_MAX_S). */
export function arrivalSpreadSeconds(perSecond: number): number {
  return perSecond > 0 ? Math.min(ARRIVAL_SPREAD_INTERVALS / perSecond, ARRIVAL_SPREAD_MAX_S) : 0;
}

/**
 * Seconds a VU of a stream at `perSecond` is held per iteration of `iterationSeconds` of work: the work
 * plus the arrival delay's mean (uniform over its spread). The delay loads nothing; it only holds the VU.
 */
export function vuSecondsPerIteration(perSecond: number, iterationSeconds: number): number {
  return iterationSeconds + arrivalSpreadSeconds(perSecond) / 2;
}
