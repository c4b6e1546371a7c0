import type { Scenario } from 'k6/options';
import { envNumber, envString } from './env.ts';
import { arrival } from './open-model.ts';
import { deltaSync, fullSync } from './sync.ts';
import { currentScenario, loadUsers, type UserList, userOfIteration } from './users.ts';

// Sync traffic by activity class: one constant-arrival-rate scenario per class (active, recent,
// inactive), at the class's rate from the open model (simulator workloadAt → SYNC_RATE_<CLASS>), over
// the seeded users of the syncing tiers in that class.

/** Activity classes of the adaptive sync (launch-readiness-report.md fix #3). */
export const CLASSES = ['active', 'recent', 'inactive'] as const;
/** One activity class. */
export type SyncClass = (typeof CLASSES)[number];

/** Tiers whose clients sync (policy sync.tiers; analysis: paid only). */
export const SYNC_TIERS = envString('SYNC_TIERS', 'core,studio').split(',').filter(Boolean);

/** full | delta: which sync the iterations run (policy sync.mode; the scenario may fix it). */
export const SYNC_MODE = envString('SYNC_MODE', 'delta') === 'full' ? 'full' : 'delta';

/** Interval by class, seconds (policy sync.interval; fixed 30 s by default, analysis section 1). */
export const INTERVAL_S: Record<SyncClass, number> = {
  active: envNumber('SYNC_INTERVAL_ACTIVE_S', 30),
  recent: envNumber('SYNC_INTERVAL_RECENT_S', 30),
  inactive: envNumber('SYNC_INTERVAL_INACTIVE_S', 30),
};

/** Seeded syncing users by class, shared read-only between VUs. */
export const SYNC_USERS: Record<SyncClass, UserList> = {
  active: loadUsers(SYNC_TIERS, ['active']),
  recent: loadUsers(SYNC_TIERS, ['recent']),
  inactive: loadUsers(SYNC_TIERS, ['inactive']),
};

/** Syncs per second of a class: SYNC_RATE_<CLASS> from the runner, else every seeded user once per interval. */
export function syncRate(cls: SyncClass): number {
  return envNumber(`SYNC_RATE_${cls.toUpperCase()}`, SYNC_USERS[cls].length / INTERVAL_S[cls]);
}

/** Expected seconds per sync iteration for Little's law (the runner passes its estimate). */
export function syncIterationSeconds(mode: 'full' | 'delta'): number {
  // full: ~50 sequential requests of a few ms each; delta: 2-3 requests (simulator syncCost).
  return envNumber('SYNC_ITER_S', mode === 'full' ? 1 : 0.1);
}

/** The three class scenarios (rate 0 classes omitted), all running the exported function `exec`. */
export function syncScenarios(
  execName: string,
  mode: 'full' | 'delta',
): Record<string, Scenario | undefined> {
  const out: Record<string, Scenario | undefined> = {};
  for (const cls of CLASSES) {
    out[`sync_${cls}`] = arrival(execName, syncRate(cls), syncIterationSeconds(mode), {
      activity: cls,
      kind: 'sync',
    });
  }
  return out;
}

const CLASS_OF_SCENARIO: Record<string, SyncClass> = {
  sync_active: 'active',
  sync_recent: 'recent',
  sync_inactive: 'inactive',
};

/** Runs one sync of the class this scenario serves, for this iteration's user. */
export function syncOnce(mode: 'full' | 'delta'): void {
  const scenario = currentScenario();
  const cls = CLASS_OF_SCENARIO[scenario.name] ?? 'active';
  const user = userOfIteration(SYNC_USERS[cls], 0, scenario.iterationInTest);
  if (mode === 'full') fullSync(user);
  else deltaSync(user, INTERVAL_S[cls]);
}
