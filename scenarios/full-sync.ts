import type { Options } from 'k6/options';
import { awaitArrival } from './lib/await-arrival.ts';
import { present } from './lib/open-model.ts';
import { syncOnce, syncScenarios } from './lib/sync-plan.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// fullSync (storage-architecture-analysis.md section 1): all conversations, then the messages of every
// conversation one request each, then the push of local changes, every interval for every syncing user.

export const options: Options = {
  scenarios: present(syncScenarios('sync', 'full')),
  thresholds: {
    // Open model: every sync the model scheduled must start, or the offered load was not sent.
    dropped_iterations: ['count==0'],
    // A failed request is a client falling behind; 1% is the error budget of the readiness targets.
    http_req_failed: ['rate<0.01'],
    // One per-conversation messages query should stay fast; past 1 s the pool is queueing.
    'http_req_duration{name:rest.messages}': ['p(95)<1000'],
  },
  // Only the tags the run record groups by: keeps the raw output small at high rates.
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code'],
};

/** One full sync of one user. */
export function sync(): void {
  awaitArrival();
  syncOnce('full');
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  syncOnce('full');
}
