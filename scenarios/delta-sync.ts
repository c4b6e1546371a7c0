import type { Options } from 'k6/options';
import { awaitArrival } from './lib/await-arrival.ts';
import { present } from './lib/open-model.ts';
import { syncOnce, syncScenarios } from './lib/sync-plan.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// deltaSync (storage-architecture-analysis.md 1.1): conversations updated since the user's last sync
// (limit 100), the new messages of those, then the push; per-user last-sync state; the policy's
// interval per activity class (fixed 30 s, or adaptive 30 s / 5 min / 30 min).

export const options: Options = {
  scenarios: present(syncScenarios('sync', 'delta')),
  thresholds: {
    // Open model: every sync the model scheduled must start, or the offered load was not sent.
    dropped_iterations: ['count==0'],
    // A failed request is a client falling behind; 1% is the error budget of the readiness targets.
    http_req_failed: ['rate<0.01'],
    // Delta queries are indexed and small: a p95 past 1 s means the database or pool is saturated.
    'http_req_duration{name:rest.conversations}': ['p(95)<1000'],
  },
  // Only the tags the run record groups by: keeps the raw output small at high rates.
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code'],
};

/** One delta sync of one user. */
export function sync(): void {
  awaitArrival();
  syncOnce('delta');
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  syncOnce('delta');
}
