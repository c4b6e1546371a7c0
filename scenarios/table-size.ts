import type { Options } from 'k6/options';
import { envNumber, envString } from './lib/env.ts';
import { arrival, present } from './lib/open-model.ts';
import { deltaSync } from './lib/sync.ts';
import { SYNC_USERS } from './lib/sync-plan.ts';
import { userOfIteration } from './lib/users.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// Delta-sync latency at a fixed low rate, far from any pool limit, so what changes between runs is the
// dataset: message count and plain vs partitioned schema (analysis: "~10x slower past 10M rows").
// The runner seeds each dataset and tags the run with DATASET.

/** Syncs per second: low enough that queueing plays no part (assumption: 5/s on a 2-core machine). */
const RATE = envNumber('TABLE_RATE', 5);
const DATASET = envString('DATASET', 'default');
const USERS = [...SYNC_USERS.active, ...SYNC_USERS.recent, ...SYNC_USERS.inactive];

export const options: Options = {
  scenarios: present({ sync: arrival('sync', RATE, 0.2, { kind: 'sync', dataset: DATASET }) }),
  thresholds: {
    // Open model: every sync scheduled must start, or the latency was measured at a lower rate.
    dropped_iterations: ['count==0'],
    // Errors would make the latency comparison meaningless.
    http_req_failed: ['rate<0.01'],
  },
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code'],
};

/** One delta sync (30 s window) of the next user. */
export function sync(): void {
  deltaSync(userOfIteration(USERS), 30, { dataset: DATASET });
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  sync();
}
