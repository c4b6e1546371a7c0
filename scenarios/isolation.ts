import { check } from 'k6';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { awaitArrival } from './lib/await-arrival.ts';
import { envNumber } from './lib/env.ts';
import { arrival, present } from './lib/open-model.ts';
import { jsonRows, NAMES, restGet, restInsert, restPatch } from './lib/rest.ts';
import { currentScenario, loadUsers, userOfIteration } from './lib/users.ts';
import { uuidv4 } from './lib/uuid.ts';

// k6 logs the load's start from setup(), just before the scenarios start (lib/start-mark.ts).
export { setup } from './lib/start-mark.ts';

// Row-level security under load: every iteration, a user reads and writes another user's profile,
// conversations and messages. Any success is a breach and fails the run; reading one's own rows must
// work, so a target that refuses everything does not pass by accident.

/** Attempts per second (a steady trickle: this checks correctness under concurrency, not capacity). */
const RATE = envNumber('ISOLATION_RATE', 5);
const USERS = loadUsers([], []);

/** Cross-user reads or writes that succeeded: must stay 0. */
const breaches = new Counter('isolation_breaches');

export const options: Options = {
  scenarios: present({ isolation: arrival('attempt', RATE, 0.2, { kind: 'isolation' }) }),
  thresholds: {
    // Any row of another user read or written is a data leak: zero tolerance.
    isolation_breaches: ['count==0'],
    // Own reads must succeed, or the zero above proves nothing.
    'checks{check:own rows readable}': ['rate==1'],
    // Open model: every attempt scheduled must start.
    dropped_iterations: ['count==0'],
  },
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response', 'error_code', 'check'],
};

/** One user trying five ways into another user's data. */
export function attempt(): void {
  awaitArrival();
  const iteration = currentScenario().iterationInTest;
  const me = userOfIteration(USERS, 0, iteration);
  const victim = userOfIteration(USERS, Math.max(1, Math.floor(USERS.length / 2)), iteration);
  if (victim.id === me.id) return;
  const tags = { kind: 'isolation' };
  const own = jsonRows(
    restGet(`conversations?select=id&user_id=eq.${me.id}&limit=1`, me, NAMES.conversations, tags),
  );
  check(own, { 'own rows readable': (rows) => me.conversations === 0 || rows.length > 0 });

  const leaks = [
    jsonRows(restGet(`profiles?select=id&id=eq.${victim.id}`, me, NAMES.profiles, tags)).length,
    jsonRows(restGet(`conversations?select=id&user_id=eq.${victim.id}`, me, NAMES.conversations, tags))
      .length,
    jsonRows(
      restGet(
        `messages?select=id&conversation_id=eq.${victim.firstConversationId}`,
        me,
        NAMES.messages,
        tags,
      ),
    ).length,
  ];
  for (const n of leaks) if (n > 0) breaches.add(1, { how: 'read' });

  const row = {
    id: uuidv4(),
    conversation_id: victim.firstConversationId,
    role: 'user',
    content: 'x',
    created_at: new Date().toISOString(),
  };
  const insert = restInsert('messages', [row], me, NAMES.push, tags);
  if (insert.status >= 200 && insert.status < 300) breaches.add(1, { how: 'insert' });

  const patch = restPatch(
    `conversations?id=eq.${victim.firstConversationId}`,
    { title: 'isolation probe' },
    me,
    NAMES.push,
    tags,
  );
  // 204 whether or not a row matched; Content-Range `*/N` (count=exact) says how many changed.
  const range = patch.headers['Content-Range'] ?? '';
  if (patch.status >= 200 && patch.status < 300 && /\/[1-9]/.test(range)) breaches.add(1, { how: 'update' });
}

/** Default entry point (k6 inspect, plain `k6 run`). */
export default function (): void {
  attempt();
}
