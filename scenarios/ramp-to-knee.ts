import type { Options } from 'k6/options';
import { DURATION_S, envNumber, WARMUP_S } from './lib/env.ts';
import { integerRate, vusFor } from './lib/open-model.ts';
import { deltaSync, fullSync } from './lib/sync.ts';
import { INTERVAL_S, SYNC_MODE, SYNC_USERS } from './lib/sync-plan.ts';
import { userOfIteration } from './lib/users.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// A ramping arrival rate of syncs (the policy's mode) from RAMP_START_RATE to RAMP_END_RATE per second
// over DURATION_S (after WARMUP_S held at the start rate: the warm-up the runner leaves out), stopped
// early once the latency or error budget breaks. The runner reads the knee (the highest rate sustained
// within budget) from the per-second series of the run record.

const START = envNumber('RAMP_START_RATE', 1);
const END = envNumber('RAMP_END_RATE', 200);
/** p95 budget of a sync request, ms (assumption: the readiness targets' 1 s for REST reads). */
const P95_BUDGET_MS = envNumber('P95_BUDGET_MS', 1000);
/** Error budget (share of failed requests) past which the knee is behind us. */
const ERROR_BUDGET = envNumber('ERROR_BUDGET', 0.05);
const ITER_S = envNumber('SYNC_ITER_S', SYNC_MODE === 'full' ? 1 : 0.1);
const USERS = [...SYNC_USERS.active, ...SYNC_USERS.recent, ...SYNC_USERS.inactive];
const unit = integerRate(END);
const startRate = Math.round(START * Number.parseInt(unit.timeUnit, 10));
const ramp = { target: unit.rate, duration: `${DURATION_S - WARMUP_S}s` };

export const options: Options = {
  scenarios: {
    ramp: {
      executor: 'ramping-arrival-rate',
      exec: 'sync',
      startRate,
      timeUnit: unit.timeUnit,
      stages: WARMUP_S > 0 ? [{ target: startRate, duration: `${WARMUP_S}s` }, ramp] : [ramp],
      ...vusFor(END, ITER_S),
      // Bounded wind-down: iterations still running 10 s after the end are interrupted.
      gracefulStop: '10s',
      tags: { kind: 'sync' },
    },
  },
  thresholds: {
    // Past the knee latency explodes: stop the ramp (after 10 s of data) instead of burying the target.
    http_req_duration: [{ threshold: `p(95)<${P95_BUDGET_MS}`, abortOnFail: true, delayAbortEval: '10s' }],
    // Errors past the budget also mark the knee.
    http_req_failed: [{ threshold: `rate<${ERROR_BUDGET}`, abortOnFail: true, delayAbortEval: '10s' }],
  },
  // Only the tags the run record groups by: keeps the raw output small at high rates.
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code'],
};

/** One sync of the next user (round robin over all syncing users). */
export function sync(): void {
  const user = userOfIteration(USERS);
  if (SYNC_MODE === 'full') fullSync(user);
  else deltaSync(user, INTERVAL_S.active);
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  sync();
}
