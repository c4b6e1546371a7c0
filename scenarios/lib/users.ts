import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { envNumber, envString } from './env.ts';

// The seeded users the seeder exports (`id,tier,activity,conversations,last_activity,
// first_conversation_id`), loaded once per k6 process into read-only memory shared by every VU.

/** One seeded user as the scenarios need it. */
export interface SeededUser {
  id: string;
  tier: 'free' | 'core' | 'studio';
  activity: 'active' | 'recent' | 'inactive';
  conversations: number;
  lastActivity: string;
  firstConversationId: string;
  /** Access token the runner signed for this user (optional column `token`); else k6 signs one. */
  token?: string;
}

/** Path of the users CSV (absolute, from the runner; k6 resolves relative paths against the script). */
export const USERS_CSV = envString('USERS_CSV', './users.csv');

/** Parses the users CSV text (header line first); blank lines are ignored. */
export function parseUsersCsv(text: string): SeededUser[] {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = (lines.shift() ?? '').split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`users CSV ${USERS_CSV} has no column ${name}`);
    return i;
  };
  const [id, tier, activity, conversations, last, first] = [
    col('id'),
    col('tier'),
    col('activity'),
    col('conversations'),
    col('last_activity'),
    col('first_conversation_id'),
  ];
  const token = header.indexOf('token');
  return lines.map((line) => {
    const f = line.split(',');
    const user: SeededUser = {
      id: f[id]!,
      tier: f[tier] as SeededUser['tier'],
      activity: f[activity] as SeededUser['activity'],
      conversations: Number(f[conversations]),
      lastActivity: f[last]!,
      firstConversationId: f[first]!,
    };
    if (token >= 0 && f[token]) user.token = f[token];
    return user;
  });
}

/** Users whose tier is in `tiers` and activity class in `classes` (all when a list is empty), shared. */
export function loadUsers(tiers: string[], classes: string[]): SeededUser[] {
  const key = `users:${tiers.join('+')}:${classes.join('+')}`;
  return new SharedArray(key, () =>
    parseUsersCsv(open(USERS_CSV)).filter(
      (u) =>
        (tiers.length === 0 || tiers.includes(u.tier)) &&
        (classes.length === 0 || classes.includes(u.activity)),
    ),
  ) as unknown as SeededUser[];
}

/**
 * Users a VU keeps decoded, per list: a SharedArray JSON-decodes an element on every access (~20 us for
 * a user with a token), so each VU decodes a user once and then reuses it. Bounded: at ~1 KB a user,
 * 300 VUs hold at most ~1.2 GB; past the bound an access decodes again (correct, only slower).
 */
export const USER_CACHE = Math.max(0, envNumber('USER_CACHE', 4096));

const decoded = new WeakMap<SeededUser[], Map<number, SeededUser>>();

/** `users[index]`, decoded once per VU (up to USER_CACHE users per list). */
export function userAt(users: SeededUser[], index: number): SeededUser {
  let cache = decoded.get(users);
  if (cache === undefined) {
    cache = new Map();
    decoded.set(users, cache);
  }
  let user = cache.get(index);
  if (user === undefined) {
    user = users[index]!;
    if (cache.size < USER_CACHE) cache.set(index, user);
  }
  return user;
}

/**
 * The user of this iteration: iterations of a scenario walk its users round robin, so at a rate of
 * `users / interval` every user acts exactly once per interval, across VUs and execution segments.
 * `iteration` is `exec.scenario.iterationInTest` (~6 us per read: callers that have it pass it).
 */
export function userOfIteration(
  users: SeededUser[],
  offset = 0,
  iteration: number = exec.scenario.iterationInTest,
): SeededUser {
  if (users.length === 0) throw new Error('no users match this scenario (check USERS_CSV and the tiers)');
  return userAt(users, (iteration + offset) % users.length);
}
