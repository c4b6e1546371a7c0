import type { RunRecord } from '../core/run-record.ts';

// What makes runs replicates of one level: the same traffic (scenario, users, policy, profile, length)
// on the same machine (its cores, and the database's when limited). A run with its cores kept busy
// (machine.busyCores) is of its level too: that is what it is compared with. Pure.

/** The key that runs of one level share. */
export function runLevelKey(r: RunRecord): string {
  return [
    r.scenario,
    r.users,
    r.policy.name,
    r.profile.name,
    r.machine.cores,
    r.machine.dbCores ?? '',
    r.durationSeconds,
  ].join('|');
}
