import { sleep } from 'k6';
import { Trend } from 'k6/metrics';
import { ARRIVAL_DELAY_METRIC } from './arrival-spread.ts';

// The wait at the start of an iteration of a constant-arrival-rate stream (lib/arrival-spread.ts): it
// holds a VU but loads nothing, so it is recorded and taken back out of the iteration's time.

const arrivalDelay = new Trend(ARRIVAL_DELAY_METRIC, true);

/** Waits this iteration's random arrival delay, uniform in [0, the scenario's ARRIVAL_SPREAD_S); none when 0 or absent. */
export function awaitArrival(): void {
  const spread = Number(__ENV.ARRIVAL_SPREAD_S ?? 0);
  if (!(spread > 0)) return;
  const delay = Math.random() * spread;
  sleep(delay);
  arrivalDelay.add(delay * 1000);
}
