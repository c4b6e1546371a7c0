import type { Options } from 'k6/options';
import { awaitArrival } from './lib/await-arrival.ts';
import { messageOnce, messageScenarios } from './lib/message-plan.ts';
import { present } from './lib/open-model.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// Per-user rate limits on /api/message (launch-readiness-report.md fix #2): every tier sends at the
// legitimate rate (2 messages/min per user), and a few free users send far above their limit. Requests
// carry `class` (legit | abusive) and `tier` tags; the run record counts 429s per class.

export const options: Options = {
  scenarios: present(messageScenarios('message')),
  thresholds: {
    // Open model: every message the model scheduled must start, or the offered load was not sent.
    dropped_iterations: ['count==0'],
    // Legitimate users must never be throttled or fail: the fix must not break normal use.
    'http_req_failed{class:legit}': ['rate<0.01'],
  },
  // Only the tags the run record groups by (class and tier come from the scenarios).
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code'],
};

/** One /api/message of one user. */
export function message(): void {
  awaitArrival();
  messageOnce();
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  messageOnce();
}
