import type { Calibration } from './calibration.ts';

// The rig's database spending more CPU per statement the more of its connections are busy (issue 12).
//
// Measured on the 2-core rig, runs of one load level, the congested against the calm (each run's
// database CPU over its work):
//   session 9  (2026-12-02, full sync 0.9K): 0.55 ms a request in the seconds with the pool at 8-10 in
//              use, 0.37-0.42 in the others (0-5 in use);
//   session 14 (2026-12-02, full sync 0.9K): 31.9 ms a sync in the replicate with 31 syncs in flight,
//              25.2 in the one with 5.2;
//   session 22 (2026-12-03, full sync 0.9K): 21.5 ms a sync in the congested replicate, 18.0 in the calm
//              (about 8.5 and 2.5 connections busy).
// The mechanism is PostgreSQL's backends on a host with fewer cores than busy processes: a busy backend
// is preempted mid-statement and others spin for what it holds (its lightweight locks, buffer pins),
// and each switch refills caches. It needs more busy backends than the database has cores: below that
// none of them is preempted by another. So the CPU per statement is x0·(1 + κ·max(0, B − c)) at B busy
// connections on c database cores (session 25; session 24 had x0·(1 + κB), which charged a calm
// pool of 2-3.5 busy 8-14 % more CPU that the runs did not show: their held levels below the knee came
// out within −22 to +9 % without the cost and up to +71 % with it). With c = 2, the three measurements
// above give κ of 0.056 (B 9 against 2), 0.039 (about 10 against 3: that session counted syncs in flight,
// 31 against 5.2, the pool then full against calm) and 0.033 (8.5 against 2.5) per busy
// connection past the cores (the linear form gave 0.063, 0.042, 0.035). It feeds itself: more CPU per
// statement holds each connection longer, which keeps more busy. The model solves B and the CPU
// together (model-queues.ts buildQueues), at the lowest fixed point (the calm state; near the knee there
// is none below the pool's size, and the pool saturates there). Applied on the rig only: a deployment's
// database has its cores to itself, where this has not been measured. The fit runs' database CPU is
// taken back to no congestion by their own measured B (calibrate.ts) so that the calibration's CPU per
// statement is x0.
// Session 30 (bench:knee full sync 2026-12-04 19:58, one machine state, across levels): the database's
// CPU a sync was 12.4 ms with 2.0 connections busy, 12.1 with 8.3 and 9.3, 10.2 with 9.7: none of the
// cost. The three above compared replicates of one level, where a slower machine state makes both more
// CPU a statement and a fuller pool, so κ was 0 from session 30 to 49. Session 49 (bench:knee full sync
// 2026-12-07 04:33, no stolen time) read it inside single replicates, one machine state each
// (db-congestion-seconds.ts): the seconds with the pool full and requests waiting against the seconds
// with at most 3 busy and none waiting, at about the same rate, cost 18-32 % more of the database's CPU
// a request, κ 0.023, 0.040, 0.038 and 0.032 in four replicates. So κ is 0.03 by default since session
// 50: it barely moves the calm state (re-judged on session 49's runs, 2-3 points at 0.9K), and it is
// what makes the pool's collapsed state hold itself below the knee (metastable-load.ts).

/** κ: the database's CPU per statement grows by this share per busy pool connection past its cores (rig). */
export const DB_CONGESTION_PER_BUSY_CONNECTION = {
  value: 0.03,
  range: { low: 0.02, high: 0.04 },
  source:
    "session 49, bench:knee full sync of 2026-12-07 04:33 on 2 cores, inside single replicates: the database's CPU a request in the seconds with the pool full and requests waiting against those with at most 3 connections busy and none waiting, +18 to +32 %, κ 0.023, 0.032, 0.038, 0.040 per busy connection past the cores (between replicates, sessions 9, 14 and 22: 0.033-0.056, confounded with the machine's state); range 0.02-0.04",
} as const;

/** The rig's congestion cost as a calibration carries it: κ per busy connection past the cores and where it comes from. */
export interface DbCongestion {
  /** Share by which a statement's CPU grows per busy pool connection past the database's cores. */
  perBusyConnection: number;
  source: string;
}

/** The factor on the database's CPU per statement at `busyConnections` busy on `databaseCores` (1 up to the cores). */
export function congestionFactor(
  perBusyConnection: number,
  busyConnections: number,
  databaseCores: number,
): number {
  return 1 + Math.max(0, perBusyConnection) * Math.max(0, busyConnections - Math.max(1, databaseCores));
}

/**
 * The calibration with the database's CPU per statement as it is at `busyConnections` busy on
 * `databaseCores`: each
 * demand's CPU (meanMs × cpuShareOfDbTime) times the factor, its other time unchanged, so a statement
 * lasts longer by its extra CPU and that extra is CPU. The same calibration without a congestion cost.
 */
export function calibrationAtBusyConnections(
  cal: Calibration,
  busyConnections: number,
  databaseCores: number,
): Calibration {
  const kappa = cal.cpu?.dbCongestion?.perBusyConnection;
  if (kappa === undefined) return cal;
  const f = congestionFactor(kappa, busyConnections, databaseCores);
  if (f === 1) return cal;
  const share = cal.cpuShareOfDbTime;
  // meanMs' = meanMs·(1 + share(f − 1)) and share' = share·f/(1 + share(f − 1)): CPU' = CPU·f.
  const stretch = 1 + share * (f - 1);
  const demands = { ...cal.demands };
  for (const k of Object.keys(demands)) demands[k] = { ...demands[k]!, meanMs: demands[k]!.meanMs * stretch };
  return { ...cal, demands, cpuShareOfDbTime: (share * f) / stretch };
}
