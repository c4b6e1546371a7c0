import type { Scenario } from 'k6/options';
import { arrivalSpreadSeconds, vuSecondsPerIteration } from './arrival-spread.ts';
import { DURATION_S, MAX_VUS } from './env.ts';

// Open workload model: users become arrival rates (iterations per second), never one VU per user.
// VUs are sized by Little's law: busy VUs = arrival rate × iteration time.

/**
 * Head-room over Little's law for preAllocatedVUs: latency varies, a VU must be free when due, and a VU
 * k6 has to create mid-run takes long enough (script compile) to drop the iterations meanwhile.
 */
export const VU_SAFETY = 2;

/**
 * Iterations per `timeUnit` as an integer: k6 wants an integer rate, so low rates get a long time unit
 * (3.3333/s → 3333 per 1000 s) and keep their precision.
 */
export function integerRate(perSecond: number): { rate: number; timeUnit: string } {
  for (const unit of [1, 10, 100, 1000]) {
    const rate = Math.round(perSecond * unit);
    if (rate >= 1000) return { rate, timeUnit: `${unit}s` };
  }
  return { rate: Math.round(perSecond * 10000), timeUnit: '10000s' };
}

/**
 * preAllocatedVUs and maxVUs for a rate and an expected (mean) iteration time. Little's law gives the
 * mean number of busy VUs L = λ·W; the number in progress fluctuates around L by about √L (M/G/∞), so
 * VUs are allocated for L + 4√L (and at least 2 L), never more than MAX_VUS.
 */
export function vusFor(
  perSecond: number,
  iterationSeconds: number,
): { preAllocatedVUs: number; maxVUs: number } {
  const busy = perSecond * iterationSeconds;
  const pre = Math.min(MAX_VUS, Math.ceil(Math.max(busy * VU_SAFETY, busy + 4 * Math.sqrt(busy))) + 1);
  // 4× Little's law lets a latency spike be absorbed before iterations drop; never more than MAX_VUS.
  const max = Math.min(MAX_VUS, Math.max(pre, Math.ceil(busy * 4) + 2));
  return { preAllocatedVUs: pre, maxVUs: max };
}

/**
 * A constant-arrival-rate scenario running `exec` at `perSecond` for DURATION_S (absent when rate 0).
 * Its iterations start after a random delay of up to arrivalSpreadSeconds (passed to the scenario as
 * ARRIVAL_SPREAD_S; lib/await-arrival.ts waits it), and its VUs count that delay's mean.
 */
export function arrival(
  exec: string,
  perSecond: number,
  iterationSeconds: number,
  tags: Record<string, string> = {},
): Scenario | undefined {
  if (!(perSecond > 0)) return undefined;
  const { rate, timeUnit } = integerRate(perSecond);
  if (rate < 1) return undefined;
  const spread = arrivalSpreadSeconds(perSecond);
  return {
    executor: 'constant-arrival-rate',
    exec,
    rate,
    timeUnit,
    duration: `${DURATION_S}s`,
    ...vusFor(perSecond, vuSecondsPerIteration(perSecond, iterationSeconds)),
    env: { ARRIVAL_SPREAD_S: String(spread) },
    // Bounded wind-down: iterations still running 10 s after the end are interrupted.
    gracefulStop: '10s',
    tags,
  };
}

/** Drops the absent scenarios of a map (rate 0), keeping k6's options valid. */
export function present(scenarios: Record<string, Scenario | undefined>): Record<string, Scenario> {
  const out: Record<string, Scenario> = {};
  for (const [name, scenario] of Object.entries(scenarios)) if (scenario) out[name] = scenario;
  return out;
}
