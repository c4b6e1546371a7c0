import type { Options } from 'k6/options';
import { awaitArrival } from './lib/await-arrival.ts';
import { envNumber } from './lib/env.ts';
import { messageOnce, messageScenarios } from './lib/message-plan.ts';
import { arrival, present } from './lib/open-model.ts';
import { health } from './lib/rest.ts';
import { SYNC_MODE, syncOnce, syncScenarios } from './lib/sync-plan.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// The launch the readiness report describes: syncs (the policy's mode and intervals), /api/message at
// 2 requests/min per user ("10k users × 2 requests/min = 333 requests/sec") and health checks, at once.

/** Health checks per second (a load balancer probing each instance; assumption: 1/s). */
const HEALTH_RATE = envNumber('HEALTH_RATE', 1);

export const options: Options = {
  scenarios: present({
    ...syncScenarios('sync', SYNC_MODE),
    ...messageScenarios('message'),
    health: arrival('healthz', HEALTH_RATE, 0.05, { kind: 'health' }),
  }),
  thresholds: {
    // Open model: every request the model scheduled must start, or the offered load was not sent.
    dropped_iterations: ['count==0'],
    // The readiness targets' error budget, all endpoints together.
    http_req_failed: ['rate<0.01'],
    // /api/message stays usable at launch: p95 within the review's budget, 2× the upstream's own p95
    // (1.5 s in every policy); the upstream alone reaches 1.5 s at p95, so a tighter line fails by design.
    'http_req_duration{name:api.message}': ['p(95)<3000'],
    // Health checks must answer fast even under load, or the platform restarts healthy instances.
    'http_req_duration{name:healthz}': ['p(95)<500'],
  },
  // Only the tags the run record groups by: keeps the raw output small at high rates.
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code'],
};

/** One sync of one user. */
export function sync(): void {
  awaitArrival();
  syncOnce(SYNC_MODE);
}

/** One /api/message. */
export function message(): void {
  awaitArrival();
  messageOnce();
}

/** One health check. */
export function healthz(): void {
  awaitArrival();
  health();
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  syncOnce(SYNC_MODE);
}
