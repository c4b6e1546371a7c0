import { baseLatencyAt } from './base-latency.ts';
import type { Calibration } from './calibration.ts';
import { cpuCalibrationAt } from './cpu-at-load.ts';
import { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
import {
  eventLoopQueue,
  type LoopQueue,
  loopPassesOf,
  loopPassWaitMs,
  loopWaitBelowMs,
} from './event-loop.ts';
import { cpuCalibrationAtIdleShare, solveIdleShare } from './idle-vcpu-wake.ts';
import { loopShareOf } from './loop-thread-share.ts';
import type { PathWait, Queue } from './queueing.ts';
import { queue } from './queueing.ts';
import { type ChainLoad, chainCpuWait, rigChainProcesses, withRunnableStretch } from './rig-chains.ts';
import { largerWait, limitsDatabase, requestCoreWaits, rigDatabaseQueue } from './rig-db-cpu.ts';
import { syncDurationCv } from './sync-duration-cv.ts';
import {
  competitionStretch,
  processorSharingWithoutThread,
  type ThreadHost,
  threadCpuWait,
} from './thread-host.ts';
import { SYNC_ENDPOINTS } from './workload.ts';

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
// generator's CPU for a request is on its measured path too (clientCpuMsOf), and when the runs recorded
// their syncs (k6's iterations per scenario and their duration) the rig's wait is that of syncs run as
// chains on k6's schedule instead of independent Poisson requests (rig-chains.ts, hostCpuWait). When
// the rig's database server was limited to fewer cores (`dbCores`), its CPU is also its own queue
// (`db.cpu`) and a statement waits for the larger of the two stretches (rig-db-cpu.ts).

/** Where the modelled CPU work runs. */
export type CpuPlacement =
  /** A deployment: the database's cores (and the backend's vCPUs when given), no load generator. */
  | { kind: 'deployment' }
  /**
   * The measuring rig: target, database, k6 and everything else share `cores` (processor sharing); with
   * `dbCores` below `cores`, the database server is limited to that many of them (`--db-cores`).
   */
  | {
      kind: 'rig';
      cores: number;
      dbCores?: number;
      otherCores?: number;
      /** Cores the hypervisor took during the run predicted (its record's); absent: the calibration's usual. */
      stolenCores?: number;
      /**
       * The database server's shared_buffers, bytes (run.json `database`): a run's prediction carries
       * the pages its data reads from outside them (rig-data-size.ts); absent: the fit runs' data.
       */
      sharedBuffersBytes?: number;
    };

/** A wait for a CPU (or the rig's event loop) on a request's path: the latency model's term (queueing.ts). */
export type CpuWait = PathWait;

/**
 * `times` independent waits of one kind as one (times may be fractional: a share of the requests
 * makes the last): met unless none of the whole ones is and the last is not, (1 − p)^⌊times⌋ ·
 * (1 − frac · p), with the same total mean. Null for none.
 */
export function repeatedWait(w: CpuWait | null, times: number): CpuWait | null {
  if (!w || !(times > 0) || !(w.probability > 0)) return null;
  const p = Math.min(1, w.probability);
  const whole = Math.floor(times);
  const probability = 1 - (1 - p) ** whole * (1 - (times - whole) * p);
  return { ...w, probability, meanMs: (times * p * w.meanMs) / probability };
}

/** Processor-sharing wait of a job with `cpuMs` of CPU on the path through `q` (none when saturated or no work). */
export function processorSharingWait(q: Queue, cpuMs: number): CpuWait | null {
  if (q.saturated || cpuMs <= 0 || q.probabilityOfWaiting <= 0) return null;
  return { probability: q.probabilityOfWaiting, meanMs: cpuMs / (q.servers - q.offeredLoad) };
}

/** Database CPU of one statement of a kind, ms ((statement time − its disk wait) × the CPU share of database time). */
export function dbCpuMsOf(cal: Calibration, kind: string): number {
  const d = cal.demands[kind] ?? cal.demands.default;
  return (d.meanMs - (d.ioMs ?? 0)) * cal.cpuShareOfDbTime;
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

/** The rig's event-loop thread's wake-up share of its CPU (thread-wake.ts); 0 when not calibrated. */
function threadWakeOf(cal: Calibration): number {
  return cal.cpu?.threadWake?.stretch ?? 0;
}

/** The event loop's utilisation at most, when a sync's duration reads its wait (rigChainLoad). */
const LOOP_RHO_CAP = 0.99;

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
  /**
   * Rig whose calibration measured its syncs as chains (`cal.cpu.chains`) and whose load has syncs: the
   * chains a request's CPU shares the host with (rig-chains.ts), used instead of the M/M/c wait.
   */
  chains?: ChainLoad;
  /** Rig with a CPU calibration: the target's event loop (one thread, event-loop.ts), else absent. */
  loop?: LoopQueue;
  /** Rig: the host as the target's thread competes for it (without its own work; thread-host.ts). */
  thread?: ThreadHost;
  /** Rig with amortised CPU fits: the calibration with the target's, k6's and the database's CPU at this load (cpu-at-load.ts). */
  atLoad?: Calibration;
  /** Rig whose database server is limited to fewer cores than the host's: its own cores (`db.cpu`), else absent. */
  db?: Queue;
}

/** The wait for a core of `cpuMs` of CPU on `q.cpu`: under chain load when modelled, else processor sharing. */
export function hostCpuWait(q: CpuQueues, cpuMs: number): CpuWait | null {
  // Chains are built only below saturation (cpuQueues), so a saturated host is processor sharing's null.
  return q.chains ? chainCpuWait(q.chains, cpuMs) : processorSharingWait(q.cpu, cpuMs);
}

/**
 * The wait for a core of `cpuMs` of a statement's CPU: the host's (hostCpuWait), or on a rig whose
 * database is limited to its own cores the larger of that and the wait on those cores (rig-db-cpu.ts).
 */
export function statementCpuWait(q: CpuQueues, cpuMs: number): CpuWait | null {
  const host = hostCpuWait(q, cpuMs);
  return q.db ? largerWait(host, processorSharingWait(q.db, cpuMs)) : host;
}

/** CPU on the rig's path of one request of an endpoint: the target's, its statement's, k6's (ms). */
function rigRequestCpuMs(cal: Calibration, endpoint: string): number {
  return appCpuMsOf(cal, endpoint) + dbCpuMsOf(cal, endpoint) + clientCpuMsOf(cal);
}

/**
 * The rig's load as chains at a workload: syncs per second by stream, requests per second by endpoint,
 * the host's total load (cores) and the requests per second reaching the target (for the base latency).
 * A sync lasts its requests' mean latencies (base plus the chain wait) and k6's gap between them, and
 * the wait depends on how many chains are in flight and how long each stays runnable, so the duration
 * and the stretch are found by fixed-point iteration (monotone and bounded below saturation: the
 * stretch never exceeds the runnable count over the cores). With the solved chains, the host as the
 * target's thread sees it (`targetCores`: the target's CPU, thread-host.ts).
 */
function rigChainLoad(
  cal: Calibration,
  streams: number[],
  requestRates: Record<string, number>,
  hostLoad: number,
  cores: number,
  requestsPerSecond: number,
  targetCores: number,
  db?: Queue,
  durationSpread = true,
): { chains: ChainLoad; thread: ThreadHost } | null {
  const gap = cal.cpu?.chains?.gapMsPerRequest;
  const syncs = streams.reduce((s, r) => s + r, 0);
  if (gap === undefined || syncs <= 0) return null;
  const parts = SYNC_ENDPOINTS.map((e) => {
    const base = baseLatencyAt(cal, e, requestsPerSecond);
    const baseMs = base ? logNormalMean(logNormalFromMedianP95(base.medianMs, base.p95Ms)) : 0;
    const appMs = appCpuMsOf(cal, e);
    const dbMs = dbCpuMsOf(cal, e);
    return {
      perSync: (requestRates[e] ?? 0) / syncs,
      cpuMs: rigRequestCpuMs(cal, e),
      appMs,
      dbMs,
      baseMs,
      loopPasses: loopPassesOf(cal, e),
    };
  });
  if (parts.some((p) => p.perSync > 0 && p.baseMs <= 0)) return null;
  const chainCores = parts.reduce((s, p) => s + (p.perSync * syncs * p.cpuMs) / 1000, 0);
  const threadChainCores = parts.reduce((s, p) => s + (p.perSync * syncs * p.appMs) / 1000, 0);
  const clientChainCores = parts.reduce(
    (s, p) => s + (p.perSync * syncs * (p.cpuMs - p.appMs - p.dbMs)) / 1000,
    0,
  );
  // The target's part of the chains runs on its one thread, k6's on its Go scheduler's threads (one
  // per core): each counts for at most that many runnable (rig-chains.ts); the database's is not capped.
  const processes = rigChainProcesses(threadChainCores, clientChainCores, cores);
  // The target's thread sees processor sharing at the host's load less its own, and its wake-up share
  // (thread-host.ts): the same at every sync duration.
  const thread = processorSharingWithoutThread(
    hostLoad,
    targetCores * loopShareOf(cal.cpu ?? {}),
    cores,
    threadWakeOf(cal),
  );
  const requests = parts.reduce((s, p) => s + p.perSync, 0);
  // Syncs last as long as their users' conversations make them (sync-duration-cv.ts): the count of
  // chains in flight spreads around its mean (stream-in-flight.ts). Not in a state of the syncs'
  // population (`durationSpread` false): the population is that spread, so a state holds its count.
  const syncCv = durationSpread ? syncDurationCv(requests) : undefined;
  // Layered: each duration's chains are solved for their runnable stretch (rig-chains.ts), so a longer
  // sync (more chains in flight) and a longer wait on the run queue are found together.
  const at = (syncSeconds: number): ChainLoad =>
    withRunnableStretch({
      streams,
      syncSeconds,
      chainCores,
      backgroundCores: Math.max(0, hostLoad - chainCores),
      cores,
      processes,
      ...(syncCv === undefined ? {} : { syncCv }),
    });
  // A request's turns on the target's event loop (two, one for an empty push: loopPassesOf) are in the
  // sync's duration too: the loop's turns last its CPU × the stretch its thread sees (the others' work,
  // thread-host.ts), the same at every duration, so its wait is read once. Its M/G/1 wait is read with
  // the work's utilisation held below 1 (LOOP_RHO_CAP) so that the iteration stays finite; a loop at or
  // over 1 is reported saturated by the queue built at the same stretch.
  const loopWait = loopWaitBelowMs(
    eventLoopQueue(cal, requestRates, competitionStretch(thread), thread.wakeStretch),
    LOOP_RHO_CAP,
  );
  // The target's part of each request's CPU waits behind the others' work only (thread-host.ts).
  const threadWaits = parts.map((p) => {
    const t = threadCpuWait(thread, p.appMs);
    return t ? t.probability * t.meanMs : 0;
  });
  const durationSeconds = (load: ChainLoad | null): number => {
    const loop = load ? loopWait : 0;
    return (
      parts.reduce((s, p, k) => {
        // With the database on its own cores, the statement's CPU waits for the larger stretch.
        const host = (ms: number): CpuWait | null => (load ? chainCpuWait(load, ms) : null);
        const onDb = db ? processorSharingWait(db, p.dbMs) : null;
        const w = requestCoreWaits(host, onDb, p.cpuMs - p.appMs, p.dbMs);
        const waits = w.reduce((x, v) => x + v.probability * v.meanMs, 0) + (load ? threadWaits[k]! : 0);
        return s + p.perSync * (p.baseMs + loop * p.loopPasses + waits);
      }, requests * gap) / 1000
    );
  };
  let load = at(durationSeconds(null));
  for (let i = 0; i < 100; i++) {
    const next = durationSeconds(load);
    const done = Math.abs(next - load.syncSeconds) <= 1e-9 * next;
    load = at(next);
    if (done) break;
  }
  return { chains: load, thread };
}

/**
 * The CPU queues of a workload. `requestRates`: requests per second by endpoint reaching the target;
 * `statementRates`: statements per second by demand kind (admitted ones). Deployment: `db.cpu` on
 * `databaseCores`, fed by statement CPU, and `app.cpu` on `appCores` when given and calibrated. Rig:
 * one `host.cpu` on the rig's cores fed by the target's, the database's and k6's CPU per request plus
 * their fixed parts and the host's other load, all measured (needs `cal.cpu`); with `syncStreams`
 * (syncs per second by k6 scenario) and a chain calibration (`cal.cpu.chains`), a request waits for a
 * core as in chains (rig-chains.ts; `requestsPerSecond` reaching the target sets the base latency);
 * with `placement.dbCores` below the rig's cores, the database's CPU (statements and its fixed part)
 * is also its own queue `db` of that many cores (rig-db-cpu.ts). `durationSpread` false: the chains
 * in flight are a state of the syncs' population (population-mixture.ts), their count held at its mean
 * (floor or ceil per stream) instead of spread by the syncs' durations (the population is that spread).
 */
export function cpuQueues(
  calibration: Calibration,
  placement: CpuPlacement,
  requestRates: Record<string, number>,
  statementRates: Record<string, number>,
  databaseCores: number,
  appCores: number | null,
  syncStreams: number[] = [],
  requestsPerSecond = 0,
  durationSpread = true,
): CpuQueues {
  const requestCount = Object.values(requestRates).reduce((s, r) => s + r, 0);
  // On the rig, the target's and k6's CPU per request, and the database's per ms of statement time,
  // as they are at this load (cpu-at-load.ts).
  const statementMsPerSecond = Object.entries(statementRates).reduce(
    (s, [k, r]) => s + r * (calibration.demands[k] ?? calibration.demands.default).meanMs,
    0,
  );
  const atLoad =
    placement.kind === 'rig'
      ? cpuCalibrationAt(calibration, requestCount, statementMsPerSecond)
      : calibration;
  const statementCount = Object.values(statementRates).reduce((s, r) => s + r, 0);
  const dbCoresOf = (c: Calibration): number =>
    Object.entries(statementRates).reduce((s, [k, r]) => s + (r * dbCpuMsOf(c, k)) / 1000, 0);
  const appLoadOf = (c: Calibration): number =>
    Object.entries(requestRates).reduce((s, [e, r]) => s + (r * appCpuMsOf(c, e)) / 1000, 0);
  if (placement.kind === 'rig') {
    if (!atLoad.cpu)
      throw new RangeError('predicting the rig needs a CPU calibration (run records with `cpu`)');
    const processCores = (c: NonNullable<Calibration['cpu']>, at: Calibration) => ({
      target: appLoadOf(at) + c.app.fixedCores,
      database: dbCoresOf(at) + c.database.fixedCores,
      loadGenerator: (requestCount * c.loadGenerator.perUnit) / 1000 + c.loadGenerator.fixedCores,
    });
    const others = {
      other: placement.otherCores ?? atLoad.cpu.otherCores,
      stolen: placement.stolenCores ?? atLoad.cpu.stolenCores ?? 0,
    };
    // Each process's CPU with its wake-ups onto idle vCPUs as they are at the host's own load, found
    // with it (idle-vcpu-wake.ts).
    const wake = atLoad.cpu.idleWake;
    const cal = wake
      ? cpuCalibrationAtIdleShare(
          atLoad,
          solveIdleShare(
            wake,
            placement.cores,
            processCores(atLoad.cpu, atLoad),
            others.other + others.stolen,
          ).idleShare,
        )
      : atLoad;
    const c = cal.cpu!;
    const parts = { ...processCores(c, cal), ...others };
    const load = parts.target + parts.database + parts.loadGenerator + parts.other + parts.stolen;
    // One arrival per request; the fixed parts and other processes ride on them as extra work (they
    // compete for the same slices). With no requests, the fixed load alone as one arrival per second.
    const rate = requestCount > 0 ? requestCount : 1;
    const cores = Math.max(1, Math.round(placement.cores));
    // The database server limited to fewer cores (--db-cores): its own queue beside the host's.
    const db = limitsDatabase(cores, placement.dbCores)
      ? rigDatabaseQueue(placement.dbCores, parts.database, statementCount)
      : undefined;
    // Below saturation only: at or above it the host's queue grows without bound (reported apart).
    const chained =
      load < cores
        ? rigChainLoad(
            cal,
            syncStreams,
            requestRates,
            load,
            cores,
            requestsPerSecond,
            parts.target,
            db,
            durationSpread,
          )
        : null;
    const chains = chained?.chains;
    const host = queue(cores, rate, (load * 1000) / rate, 1);
    // The event loop's thread runs at the pace the others' work leaves it (thread-host.ts): its turns
    // last the target's CPU times that stretch (processor sharing's 1 + C/(c − A) at the host's load
    // less the target's, plus its wake-up share).
    const thread =
      chained?.thread ??
      processorSharingWithoutThread(
        load,
        parts.target * loopShareOf(cal.cpu ?? {}),
        cores,
        threadWakeOf(cal),
      );
    const stretch = competitionStretch(thread);
    const loop = Number.isFinite(stretch)
      ? eventLoopQueue(cal, requestRates, stretch, thread.wakeStretch)
      : null;
    return {
      placement,
      cpu: host,
      app: null,
      cpuName: 'host.cpu',
      loadParts: parts,
      ...(chains ? { chains } : {}),
      ...(loop ? { loop } : {}),
      thread,
      ...(db ? { db } : {}),
      ...(cal !== calibration ? { atLoad: cal } : {}),
    };
  }
  const cal = atLoad;
  const dbCores = dbCoresOf(cal);
  const appLoad = appLoadOf(cal);
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
 * the latency shares those cores), the statements' CPU on the database's own cores instead when it is
 * limited to them and they stretch it more (rig-db-cpu.ts). Null entries (no wait) are left out.
 * `passes`: the statement results' passes through the rig's event loop a request makes (default:
 * the endpoint's mean, event-loop.ts loopPassesOf − 1; an empty push 0, a push with a row 1).
 */
export function cpuWaitsOf(
  q: CpuQueues,
  cal: Calibration,
  dbKind: string,
  statements = 1,
  appEndpoint: string | null = dbKind,
  passes: number | null = null,
): CpuWait[] {
  const at = q.atLoad ?? cal;
  const db = dbCpuMsOf(at, dbKind) * statements;
  const app = appEndpoint === null ? 0 : appCpuMsOf(at, appEndpoint);
  const client = appEndpoint === null ? 0 : clientCpuMsOf(at);
  // On the rig a request also waits for the target's event loop on each of its passes: its own, and its
  // statement result's when it runs one (event-loop.ts loopPassesOf).
  const loop = appEndpoint !== null ? loopPassWaits(q.loop) : [];
  const resultPasses = appEndpoint !== null ? (passes ?? loopPassesOf(cal, appEndpoint) - 1) : 0;
  // On the rig, the statement's CPU waits for the larger stretch when the database has its own cores;
  // the target's CPU runs on its thread, which waits behind the others' work only (thread-host.ts).
  const waits =
    q.placement.kind === 'rig'
      ? [
          ...requestCoreWaits(
            (ms) => hostCpuWait(q, ms),
            q.db ? processorSharingWait(q.db, db) : null,
            db + client,
            db,
          ),
          q.thread ? threadCpuWait(q.thread, app) : hostCpuWait(q, app),
          ...loop,
          ...loop.map((w) => repeatedWait(w, resultPasses)),
        ]
      : [processorSharingWait(q.cpu, db), q.app ? processorSharingWait(q.app, app) : null];
  return waits.filter((w): w is CpuWait => w !== null);
}

/**
 * One pass's waits for the rig's event loop: its M/G/1 wait (with its probability of waiting) and, kept
 * apart, its wait for the thread while the thread is preempted (event-loop.ts LoopQueue `stall`). None
 * without a loop or when it is saturated (reported apart).
 */
export function loopPassWaits(loop: LoopQueue | null | undefined): CpuWait[] {
  if (!loop || loop.saturated) return [];
  const waits: CpuWait[] = [];
  if (loop.probabilityOfWaiting > 0)
    waits.push({ probability: loop.probabilityOfWaiting, meanMs: loop.conditionalWaitMs ?? 0 });
  if (loop.stall) waits.push({ ...loop.stall, stall: true });
  return waits;
}

/**
 * Mean time a statement of a kind is stretched by waiting for cores, and (rig) for the event loop's turn
 * that releases its connection (added to its connection hold), ms.
 */
export function statementCpuWaitMs(q: CpuQueues, cal: Calibration, kind: string): number {
  const w = statementCpuWait(q, dbCpuMsOf(q.atLoad ?? cal, kind));
  // Layered: the connection is released only once the result's turn on the event loop has come.
  return (w ? w.probability * w.meanMs : 0) + (loopPassWaitMs(q.loop ?? null) ?? 0);
}

/** True when a CPU resource on the path is saturated; with its excess share (the work never served). */
export function cpuSaturation(q: CpuQueues): { saturated: boolean; excessShare: number } {
  const qs = [q.cpu, ...(q.app ? [q.app] : []), ...(q.loop ? [q.loop] : []), ...(q.db ? [q.db] : [])];
  const excess = 1 - qs.reduce((s, x) => s * (1 - x.excessShare), 1);
  return { saturated: qs.some((x) => x.saturated), excessShare: excess };
}
