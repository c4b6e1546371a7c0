import type { CpuWait } from './cpu.ts';
import { type Queue, queue } from './queueing.ts';

// The rig's database server limited to fewer cores than the host has (`atlas-cap run --db-cores d`,
// `machine.dbCores`; issue 12, item 6). Pure.
//
// taskset pins the server's processes (postmaster and backends) to cores 0..d−1, so its CPU work is its
// own processor-sharing queue of d cores (`db.cpu`): its offered load is the statements' CPU (statements
// per second × CPU per statement) and its fixed part. The host's queue (`host.cpu`, all c cores) still
// carries all the work, the database's included: the target and k6 may run on any core, and Linux's load
// balancing moves them off the database's cores when those are busy, so the database's cores are, when it
// matters, mostly the database's. A statement's CPU therefore waits for whichever of the two queues
// stretches it more, not for both: the larger stretch (by its mean). Adding the two would count the
// database's own load twice (it is in both), and taking the host's alone would miss that the database's
// backends cannot use the idle cores outside their d. The database's queue is fed by statements as
// independent (Poisson) arrivals: on one core M/G/1-PS, a statement of x ms of CPU takes x/(1 − ρ) in the
// mean; the chains (rig-chains.ts) stay the host's model. The work outside the database on a request's
// path (the target's, k6's) waits for the host's cores as before.

/** The database's own cores on the rig: processor sharing of `loadCores` (its statements' CPU + fixed part) on `dbCores`. */
export function rigDatabaseQueue(dbCores: number, loadCores: number, statementsPerSecond: number): Queue {
  // One arrival per statement; the fixed part rides on them as extra work (one arrival a second without).
  const rate = statementsPerSecond > 0 ? statementsPerSecond : 1;
  return queue(Math.max(1, Math.round(dbCores)), rate, (Math.max(0, loadCores) * 1000) / rate, 1);
}

/** The database's cores on the rig: the host's, or fewer when its server was limited (`dbCores`). */
export function rigDatabaseCores(cores: number, dbCores: number | undefined): number {
  return Math.max(1, Math.min(Math.round(cores), Math.round(dbCores ?? cores)));
}

/** True when `dbCores` limits the database to fewer cores than the host's `cores` (absent: not limited). */
export function limitsDatabase(cores: number, dbCores: number | undefined): dbCores is number {
  return dbCores !== undefined && Math.round(dbCores) < Math.max(1, Math.round(cores));
}

/** Mean of a CPU wait over all jobs, ms (0 for none). */
export function meanWaitMs(w: CpuWait | null): number {
  return w ? w.probability * w.meanMs : 0;
}

/** The larger of a statement's two CPU waits by mean: on the host's cores or on the database's own. */
export function largerWait(host: CpuWait | null, database: CpuWait | null): CpuWait | null {
  return meanWaitMs(database) > meanWaitMs(host) ? database : host;
}

/**
 * A request's waits for cores: its `cpuMs` of CPU on the path wait for the host's (`host(ms)`, linear
 * in ms), but the `dbMs` of it that are the database's wait `database` (that CPU's wait on the
 * database's own cores) instead when that is the larger; the rest (the target's, k6's) the host's.
 */
export function requestCoreWaits(
  host: (cpuMs: number) => CpuWait | null,
  database: CpuWait | null,
  cpuMs: number,
  dbMs: number,
): CpuWait[] {
  const waits =
    meanWaitMs(database) > meanWaitMs(host(dbMs)) ? [host(cpuMs - dbMs), database] : [host(cpuMs)];
  return waits.filter((w): w is CpuWait => w !== null);
}
