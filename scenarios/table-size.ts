import type { Options } from 'k6/options';
import { awaitArrival } from './lib/await-arrival.ts';
import { envNumber, envString } from './lib/env.ts';
import { arrival, present } from './lib/open-model.ts';
import { NAMES, restGet } from './lib/rest.ts';
import { deltaSync } from './lib/sync.ts';
import { SYNC_USERS } from './lib/sync-plan.ts';
import { userOfIteration } from './lib/users.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// Delta-sync latency at a fixed low rate, far from any pool limit, so what changes between runs is the
// dataset: message count and plain vs partitioned schema (analysis: "~10x slower past 10M rows").
// The runner seeds each dataset and tags the run with DATASET. Each iteration also opens the user's
// first conversation at its latest page (the chat screen's read, HISTORY_PAGE rows): a delta over a
// 30 s window on a dataset seeded as of now mostly finds nothing new, so without it a run could read
// no message at all, and the claim is about reading messages (session 9: three runs at 1-12M messages
// sent no messages query). The page returns the same rows at every size.

/** Syncs per second: low enough that queueing plays no part (assumption: 5/s on a 2-core machine). */
const RATE = envNumber('TABLE_RATE', 5);
const DATASET = envString('DATASET', 'default');
const USERS = [...SYNC_USERS.active, ...SYNC_USERS.recent, ...SYNC_USERS.inactive];
/** Rows of the conversation page each iteration reads (assumption: a chat screen's first page). */
const HISTORY_PAGE = envNumber('HISTORY_PAGE', 50);

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

/** One delta sync (30 s window) of the next user, then the latest page of their first conversation. */
export function sync(): void {
  awaitArrival();
  const user = userOfIteration(USERS);
  const tags = { dataset: DATASET };
  deltaSync(user, 30, tags);
  if (user.firstConversationId)
    restGet(
      `messages?select=*&conversation_id=eq.${user.firstConversationId}&order=created_at.desc&limit=${HISTORY_PAGE}`,
      user,
      NAMES.messages,
      tags,
      'none',
    );
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  sync();
}
