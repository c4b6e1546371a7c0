import type { Queue } from './queueing.ts';
import { queue } from './queueing.ts';
import type { Calibration, CpuPlacement } from './types.ts';

// Where CPU work runs and what waiting for a core adds to a request.
//
// A core is shared by time slices (Linux CFS between the target's, PostgreSQL's and k6's processes;
// PostgreSQL backends are processes), so the CPU is a processor-sharing (PS) queue, not FCFS: a request
// needing x ms of CPU is stretched by the others running, in proportion to x. For PS on c cores with
// Poisson arrivals the number of jobs present is that of M/M/c (each job is served at min(1, c/n) of a
// core), so by Little the mean response per unit of work is that of M/M/c: 1 + C(c, A)/(c − A), with
// A the offered load in cores and C Erlang C. A request with x ms on the path therefore waits, in the
// mean, C·x/(c − A); the model gives that wait the M/M/c shape (with probability C, exponential with
// mean x/(c − A)), which is exact in the mean and for one core (M/G/1-PS: x/(1 − ρ)), approximate in
// its tail on several. The heaviest request (rest.conversations: ~50 rows to JSON) is stretched most,
// which is what the measurements show first when the host's cores fill up. On the rig, the load
// generator's CPU for a request is on its measured path too (clientCpuMsOf).

/** A wait that happens with some probability and is then exponential with a mean (the latency model's term). */
export interface CpuWait {
  probability: number;
  meanMs: number;
}

/** Processor-sharing wait of a job with `cpuMs` of CPU on the path through `q` (none when saturated or no work). */
export function processorSharingWait(q: Queue, cpuMs: number): CpuWait | null {
  if (q.saturated || cpuMs <= 0 || q.probabilityOfWaiting <= 0) return null;
  return { probability: q.probabilityOfWaiting, meanMs: cpuMs / (q.servers - q.offeredLoad) };
}

/** Database CPU of one statement of a kind, ms (statement time × the CPU share of database time). */
export function dbCpuMsOf(cal: Calibration, kind: string): number {
  return (cal.demands[kind] ?? cal.demands.default).meanMs * cal.cpuShareOfDbTime;
}

/** The app tier's (target's) CPU for one request of an endpoint, ms; 0 without a CPU calibration. */
export function appCpuMsOf(cal: Calibration, endpoint: string): number {
  if (!cal.cpu) return 0;
  return cal.cpu.appMsPerRequest[endpoint] ?? cal.cpu.appMsPerRequest.default;
}

/**
 * The load generator's (k6's) CPU for one request, ms; 0 without a CPU calibration. On the rig it is on
 * the measured latency's path: k6 timestamps the response only once its own goroutine runs on a core.
 */
export function clientCpuMsOf(cal: Calibration): number {
  return cal.cpu?.loadGenerator.perUnit ?? 0;
}

/** What the model's CPU resources are at one load. */
export interface CpuQueues {
  placement: CpuPlacement;
  /** Deployment: the database's cores; rig: the host's cores (everything on them). */
  cpu: Queue;
  /** Deployment with backend vCPUs and a CPU calibration: the app tier; else null. */
  app: Queue | null;
  /** What `cpu` is: `db.cpu` or `host.cpu`. */
  cpuName: 'db.cpu' | 'host.cpu';
  /** How the offered load of `cpu` was made up (cores), for the source line. */
  loadParts: Record<string, number>;
}

/**
 * The CPU queues of a workload. `requestRates`: requests per second by endpoint reaching the target;
 * `statementRates`: statements per second by demand kind (admitted ones). Deployment: `db.cpu` on
 * `databaseCores`, fed by statement CPU, and `app.cpu` on `appCores` when given and calibrated. Rig:
 * one `host.cpu` on the rig's cores fed by the target's, the database's and k6's CPU per request plus
 * their fixed parts and the host's other load, all measured (needs `cal.cpu`).
 */
export function cpuQueues(
  cal: Calibration,
  placement: CpuPlacement,
  requestRates: Record<string, number>,
  statementRates: Record<string, number>,
  databaseCores: number,
  appCores: number | null,
): CpuQueues {
  const statementCount = Object.values(statementRates).reduce((s, r) => s + r, 0);
  const dbCores = Object.entries(statementRates).reduce((s, [k, r]) => s + (r * dbCpuMsOf(cal, k)) / 1000, 0);
  const requestCount = Object.values(requestRates).reduce((s, r) => s + r, 0);
  const appLoad = Object.entries(requestRates).reduce((s, [e, r]) => s + (r * appCpuMsOf(cal, e)) / 1000, 0);
  if (placement.kind === 'rig') {
    const c = cal.cpu;
    if (!c) throw new RangeError('predicting the rig needs a CPU calibration (run records with `cpu`)');
    const parts = {
      target: appLoad + c.app.fixedCores,
      database: dbCores + c.database.fixedCores,
      loadGenerator: (requestCount * c.loadGenerator.perUnit) / 1000 + c.loadGenerator.fixedCores,
      other: placement.otherCores ?? c.otherCores,
    };
    const load = parts.target + parts.database + parts.loadGenerator + parts.other;
    // One arrival per request; the fixed parts and other processes ride on them as extra work (they
    // compete for the same slices). With no requests, the fixed load alone as one arrival per second.
    const rate = requestCount > 0 ? requestCount : 1;
    return {
      placement,
      cpu: queue(Math.max(1, Math.round(placement.cores)), rate, (load * 1000) / rate, 1),
      app: null,
      cpuName: 'host.cpu',
      loadParts: parts,
    };
  }
  const dbMean = statementCount > 0 ? (dbCores * 1000) / statementCount : dbCpuMsOf(cal, 'default');
  const app =
    appCores !== null && cal.cpu && requestCount > 0
      ? queue(Math.max(1, Math.round(appCores)), requestCount, (appLoad * 1000) / requestCount, 1)
      : null;
  return {
    placement,
    cpu: queue(Math.max(1, Math.round(databaseCores)), statementCount, dbMean, 1),
    app,
    cpuName: 'db.cpu',
    loadParts: { database: dbCores },
  };
}

/**
 * CPU waits on the path of one request: the CPU of its `statements` statements of `dbKind` and, when
 * `appEndpoint` is named, the app tier's CPU of one request of it. Deployment: the wait for the
 * database's cores and for the backend's vCPUs (when modelled); rig: the wait for the shared host's
 * cores for all of that work and the load generator's CPU for the request (the client that measures
 * the latency shares those cores). Null entries (no wait) are left out.
 */
export function cpuWaitsOf(
  q: CpuQueues,
  cal: Calibration,
  dbKind: string,
  statements = 1,
  appEndpoint: string | null = dbKind,
): CpuWait[] {
  const db = dbCpuMsOf(cal, dbKind) * statements;
  const app = appEndpoint === null ? 0 : appCpuMsOf(cal, appEndpoint);
  const client = appEndpoint === null ? 0 : clientCpuMsOf(cal);
  const waits =
    q.placement.kind === 'rig'
      ? [processorSharingWait(q.cpu, db + app + client)]
      : [processorSharingWait(q.cpu, db), q.app ? processorSharingWait(q.app, app) : null];
  return waits.filter((w): w is CpuWait => w !== null);
}

/** Mean time a statement of a kind is stretched by waiting for cores (added to its connection hold), ms. */
export function statementCpuWaitMs(q: CpuQueues, cal: Calibration, kind: string): number {
  const w = processorSharingWait(q.cpu, dbCpuMsOf(cal, kind));
  return w ? w.probability * w.meanMs : 0;
}

/** True when a CPU resource on the path is saturated; with its excess share (the work never served). */
export function cpuSaturation(q: CpuQueues): { saturated: boolean; excessShare: number } {
  const qs = [q.cpu, ...(q.app ? [q.app] : [])];
  const excess = 1 - qs.reduce((s, x) => s * (1 - x.excessShare), 1);
  return { saturated: qs.some((x) => x.saturated), excessShare: excess };
}
