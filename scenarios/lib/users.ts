import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { envString } from './env.ts';

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

/** What an iteration needs of a user (the rest of the export only selects users at load time). */
export type ActingUser = Pick<SeededUser, 'id' | 'conversations' | 'firstConversationId' | 'token'>;

/**
 * One user as the SharedArray stores it: `[id, firstConversationId, conversations, token?]`. A
 * SharedArray JSON-decodes and deep-freezes an element on every access (the largest single cost of a
 * delta-sync iteration, ~10 us): an array of a few strings decodes faster than an object with the same
 * fields, and fields no iteration reads (tier, activity, last activity) are left out. An element must
 * not be a bare string: k6 decodes a top-level JSON string ~6x slower than the same string in an array.
 */
export type PackedUser = readonly (string | number)[];

/** Users of a scenario as loaded (shared, read-only): `userAt` turns an element into an ActingUser. */
export type UserList = readonly PackedUser[];

/** The packed form of a user (what loadUsers stores). */
export function packUser(u: SeededUser): PackedUser {
  const row: (string | number)[] = [u.id, u.firstConversationId, u.conversations];
  if (u.token !== undefined) row.push(u.token);
  return row;
}

/** Users whose tier is in `tiers` and activity class in `classes` (all when a list is empty), shared. */
export function loadUsers(tiers: string[], classes: string[]): UserList {
  const key = `users:${tiers.join('+')}:${classes.join('+')}`;
  return new SharedArray(key, () =>
    parseUsersCsv(open(USERS_CSV))
      .filter(
        (u) =>
          (tiers.length === 0 || tiers.includes(u.tier)) &&
          (classes.length === 0 || classes.includes(u.activity)),
      )
      .map(packUser),
  ) as unknown as UserList;
}

/**
 * `users[index]` as an ActingUser. Decoded on every call, never cached per VU: measured, a per-VU cache
 * of decoded users grows every VU's heap and costs more in garbage collection than it saves.
 */
export function userAt(users: UserList, index: number): ActingUser {
  const r = users[index]!;
  const user: ActingUser = {
    id: r[0] as string,
    firstConversationId: r[1] as string,
    conversations: r[2] as number,
  };
  if (r[3] !== undefined) user.token = r[3] as string;
  return user;
}

let scenarioInfo: typeof exec.scenario | undefined;

/**
 * This VU's `exec.scenario`. Reading `exec.scenario` builds a new object of live getters each time
 * (~2 KB of garbage, ~6 us); its getters read the VU's state when called, so one object per VU gives
 * the current name and iterationInTest in every iteration (checked across scenarios sharing VUs).
 */
export function currentScenario(): typeof exec.scenario {
  if (scenarioInfo === undefined) scenarioInfo = exec.scenario;
  return scenarioInfo;
}

/**
 * The user of this iteration: iterations of a scenario walk its users round robin, so at a rate of
 * `users / interval` every user acts exactly once per interval, across VUs and execution segments.
 * `iteration` is the scenario's iterationInTest (callers that already read it pass it).
 */
export function userOfIteration(
  users: UserList,
  offset = 0,
  iteration: number = currentScenario().iterationInTest,
): ActingUser {
  if (users.length === 0) throw new Error('no users match this scenario (check USERS_CSV and the tiers)');
  return userAt(users, (iteration + offset) % users.length);
}
