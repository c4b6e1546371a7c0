import { median, mean as ssMean } from 'simple-statistics';
import { PolicySchema } from '../core/policy.ts';
import { ProfileSchema } from '../core/profile.ts';
import type { RunRecord, SeriesSample } from '../core/run-record.ts';
import { type BaseLatencyPoint, type BaseLatencyShape, fitBaseLatency } from './base-latency.ts';
import {
  type CpuCalibration,
  calibrateCpu,
  chainGapMsOf,
  fitLinearNonNegative,
  measuredChainLoad,
  measuredProcessorSharingWait,
  runDatabaseCoreWait,
  runRequestsPerSecond,
  syncStreamsOf,
  withoutCpuWait,
} from './calibrate-cpu.ts';
import type { Calibration, ServiceDemand } from './calibration.ts';
import { type CpuWait, loopPassWaits, repeatedWait } from './cpu.ts';
import { fitAmortisedCpu } from './cpu-at-load.ts';
import { congestionFactor, DB_CONGESTION_PER_BUSY_CONNECTION } from './db-congestion.ts';
import { defaultCalibration } from './defaults.ts';
import { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
import { withoutDisturbedRuns } from './disturbed-runs.ts';
import { eventLoopQueue, type LoopQueue, loopPassesOf, loopPassWaitMs } from './event-loop.ts';
import { calibrateIdleWake, toFitIdleShare } from './idle-vcpu-wake.ts';
import { calibrateLoopThreadShare, loopShareOf } from './loop-thread-share.ts';
import { PUSH_PATHS, pushPathOf, pushRowShareOf } from './push-paths.ts';
import { chainCpuWait } from './rig-chains.ts';
import { type FitRunData, ownPageReadsOf } from './rig-data-size.ts';
import { largerWait, requestCoreWaits, rigDatabaseCores } from './rig-db-cpu.ts';
import { runLevelKey } from './run-level.ts';
import { seriesMean } from './series-mean.ts';
import {
  competitionStretch,
  processorSharingWithoutThread,
  type ThreadHost,
  threadCpuWait,
} from './thread-host.ts';
import { calibrateThreadWake, type ThreadWake, type ThreadWakeRun } from './thread-wake.ts';
import type { UslFit } from './usl.ts';
import { fitUsl } from './usl.ts';
import { ENDPOINTS, QUERIES_PER_MESSAGE } from './workload.ts';

// Calibration from run records (core/run-record.ts): service demand per statement kind, the time a
// request spends outside the database, queries per sync, and a USL curve of throughput against the
// concurrency the database saw. Pure: the records are read at the edge (scripts/inputs/run-records.ts).

/** One run as calibration reads it. */
export interface CalibrationRun {
  record: RunRecord;
  series: SeriesSample[];
  /**
   * A run near the predicted knee (bench:knee's knee probe): its target's, k6's and the database's CPU
   * join their CPU-at-load curves and, when no requests waited for a connection, its REST latencies join
   * the base latencies' fit; nothing else (statement times, the database's linear share and the other
   * load stay the fit runs').
   */
  kneeProbe?: boolean;
}

/** The target's label of /api/message's user-message insert (backend/message-route.ts), shared with pushed rows. */
const MESSAGE_WRITE_KIND = 'insert.messages';

/** One run's statements by demand key (runStatements): `all` holds every workload statement once more. */
interface RunStatementEntry {
  key: string;
  kind: string;
  calls: number;
  ms: number;
}

/**
 * A run's workload statements by the simulator's demand key (demandKeyOf), with their total time. The
 * target labels the user message of /api/message `insert.messages` like a pushed row, so in runs with
 * /api/message that many writes are the message's; the rest are the push's (`pushCalls`).
 */
function runStatements(record: RunRecord): { entries: RunStatementEntry[]; pushCalls: number } {
  const entries: RunStatementEntry[] = [];
  const message = record.endpoints[ENDPOINTS.message];
  let messageWrites = message ? message.count * (1 - message.errorRate) : 0;
  let pushCalls = 0;
  for (const [kind, v] of Object.entries(record.queryKinds)) {
    const key = demandKeyOf(kind);
    if (key === null || v.calls <= 0) continue;
    entries.push({ key: 'all', kind, calls: v.calls, ms: v.calls * v.meanMs });
    if (key === ENDPOINTS.push) {
      const toMessage = kind === MESSAGE_WRITE_KIND ? Math.min(v.calls, messageWrites) : 0;
      messageWrites -= toMessage;
      if (toMessage > 0)
        entries.push({ key: ENDPOINTS.message, kind, calls: toMessage, ms: toMessage * v.meanMs });
      const rest = v.calls - toMessage;
      pushCalls += rest;
      if (rest > 0) entries.push({ key: ENDPOINTS.push, kind, calls: rest, ms: rest * v.meanMs });
    } else entries.push({ key, kind, calls: v.calls, ms: v.calls * v.meanMs });
  }
  return { entries, pushCalls };
}

/** Mean of the waiting requests above which a run counts as contended (its statement times include waits). */
const CONTENDED_WAITING = 0.5;

/**
 * The simulator's demand key of a target query kind (backend/db-pool.ts labels): `select.conversations`
 * → rest.conversations, `select.messages` → rest.messages, writes → rest.push, `message.*` →
 * api.message; health checks and injected faults are not workload.
 */
export function demandKeyOf(kind: string): string | null {
  if (
    kind === ENDPOINTS.conversations ||
    kind === ENDPOINTS.messages ||
    kind === ENDPOINTS.push ||
    kind === ENDPOINTS.message
  )
    return kind;
  if (/^(health|fault)/.test(kind)) return null;
  if (/^message\./.test(kind)) return ENDPOINTS.message;
  if (/^select\.conversations/.test(kind)) return ENDPOINTS.conversations;
  if (/^select\.messages/.test(kind)) return ENDPOINTS.messages;
  if (/^(insert|upsert|update)\./.test(kind)) return ENDPOINTS.push;
  return 'default';
}

/** Requests waiting for a connection, in the mean over a run, above which the run was congested. */
const CONGESTED_WAITING = 0.1;

/** A freed demand keeps at least this share of its measured time (a wait model gone wrong cannot zero it). */
const MIN_FREED_SHARE = 0.2;

/**
 * The wait the model puts into one statement's measured time on a fit run: its database CPU (`dbCpuMs`)
 * waiting for a core under the run's measured load (its chains, else processor sharing at its host
 * load; when the run limited the database to fewer cores, `machine.dbCores`, the larger of that and
 * processor sharing of the database's measured busy cores on its own cores, rig-db-cpu.ts) and one turn
 * of the event loop (the result's continuation, which stops the target's timer), whose turns last their
 * CPU × the stretch the target's thread saw (runThreadHost, event-loop.ts). ms.
 */
export function statementWaitOnRun(
  record: RunRecord,
  cpu: CpuCalibration,
  rigCpuMs: (endpoint: string) => number,
  dbCpuMs: number,
  host: { busyCores: number; cores: number },
): number {
  const chains = cpu.chains ? measuredChainLoad(record, rigCpuMs, host.busyCores, host.cores, cpu) : null;
  const onHost = chains
    ? chainCpuWait(chains, dbCpuMs)
    : measuredProcessorSharingWait(dbCpuMs, host.busyCores, host.cores);
  const w = largerWait(onHost, runDatabaseCoreWait(record, dbCpuMs));
  const loop = runLoopQueue(record, cpu, host);
  const loopWait = loopPassWaitMs(loop) ?? 0;
  return (w ? w.probability * w.meanMs : 0) + loopWait;
}

/**
 * The host as the target's thread saw it on a fit run (thread-host.ts): processor sharing at the run's
 * host load less the target's measured (or fitted) CPU, with the calibration's wake-up share.
 */
export function runThreadHost(
  record: RunRecord,
  cpu: CpuCalibration,
  host: { busyCores: number; cores: number },
): ThreadHost {
  const seconds = Math.max(1e-9, record.durationSeconds);
  const appMs = (e: string): number => cpu.appMsPerRequest[e] ?? cpu.appMsPerRequest.default;
  const measured = record.cpu?.target ? record.cpu.target.cpuSeconds / record.cpu.windowSeconds : null;
  const fitted =
    Object.entries(record.endpoints)
      .filter(([e, s]) => e !== 'healthz' && s.count > 0)
      .reduce((sum, [e, s]) => sum + (s.count / seconds) * (appMs(e) / 1000), 0) + cpu.app.fixedCores;
  // The thread's own CPU: as measured (schedstat), else its share of the process's (loop-thread-share.ts).
  const thread = record.cpu?.targetThread;
  const threadCores =
    thread && thread.windowSeconds > 0 && thread.cpuSeconds > 0
      ? thread.cpuSeconds / thread.windowSeconds
      : (measured ?? fitted) * loopShareOf(cpu);
  return processorSharingWithoutThread(host.busyCores, threadCores, host.cores, cpu.threadWake?.stretch ?? 0);
}

/**
 * The thread's wake-up share over the fit runs that recorded the target's main thread
 * (`cpu.targetThread`): each run's CPU and run-queue shares beside the stretch processor sharing gives
 * it at the run's load (runThreadHost without a wake-up share; thread-wake.ts). Null when none did.
 */
function threadWakeOfRuns(
  records: RunRecord[],
  cpuFit: NonNullable<ReturnType<typeof calibrateCpu>>,
): ThreadWake | null {
  const { threadWake: _, ...withoutWake } = cpuFit.cpu;
  const points: ThreadWakeRun[] = [];
  for (const record of records) {
    const thread = record.cpu?.targetThread;
    const host = cpuFit.hostLoad[record.id];
    if (!thread || !host || thread.windowSeconds <= 0) continue;
    points.push({
      cpuShare: thread.cpuSeconds / thread.windowSeconds,
      runQueueShare: thread.runQueueSeconds / thread.windowSeconds,
      competitionStretch: competitionStretch(runThreadHost(record, withoutWake, host)),
    });
  }
  return calibrateThreadWake(points);
}

/**
 * The target's event loop on a fit run as the model sees it: the run's requests per second, each
 * pass's CPU stretched as its thread saw the host (runThreadHost; event-loop.ts).
 */
export function runLoopQueue(
  record: RunRecord,
  cpu: CpuCalibration,
  host: { busyCores: number; cores: number },
): LoopQueue | null {
  const thread = runThreadHost(record, cpu, host);
  const seconds = Math.max(1e-9, record.durationSeconds);
  const rates: Record<string, number> = {};
  for (const [e, s] of Object.entries(record.endpoints))
    if (e !== 'healthz' && s.count > 0) rates[e] = s.count / seconds;
  return eventLoopQueue({ cpu }, rates, competitionStretch(thread), thread.wakeStretch);
}

/**
 * Frees the demands of the fit runs' own waits (statementWaitOnRun) and refits the database's CPU share.
 * The database's CPU per statement is fitted first, on statements per second weighted by each kind's
 * mean time over the fit runs (so CPU follows the statements run, not their contended times, which
 * grow with the load beside them and bent the old fit: fewer ms of CPU per ms, a larger fixed part);
 * each kind's demand is then its statements' mean time less the wait the model gives each run's
 * measured load, and the CPU share = that CPU over the freed time. With a congestion cost
 * (db-congestion.ts), each run's CPU and statement times are first taken back to no busy connection by
 * its own mean busy connections (its series). Changes `demands` and `cpuFit` in place; notes the change.
 */
function uncontendedDemands(
  used: CalibrationRun[],
  perRun: Map<string, Map<string, { calls: number; ms: number }>>,
  demands: Calibration['demands'],
  cpuFit: NonNullable<ReturnType<typeof calibrateCpu>>,
  notes: string[],
  kneeProbes: CalibrationRun[] = [],
): void {
  const runs = used.filter(({ record }) => cpuFit.hostLoad[record.id] && perRun.has(record.id));
  if (runs.length === 0) return;
  // Statement-weighted measured mean per key over the runs (the push's demand is per push request,
  // not per statement, so each demand is scaled by its statements' freed / measured time).
  const timed = new Map<string, { calls: number; ms: number }>();
  for (const { record } of runs)
    for (const [key, a] of perRun.get(record.id)!) {
      const t = timed.get(key) ?? { calls: 0, ms: 0 };
      t.calls += a.calls;
      t.ms += a.ms;
      timed.set(key, t);
    }
  const meanOf = (key: string): number => {
    const t = timed.get(key);
    return t && t.calls > 0 ? t.ms / t.calls : 0;
  };
  // Each run's database CPU per statement as it was at its own busy connections (db-congestion.ts):
  // the fit is taken back to none busy.
  const kappa = cpuFit.cpu.dbCongestion?.perBusyConnection ?? 0;
  const factorFor = ({ record, series }: CalibrationRun): number =>
    congestionFactor(
      kappa,
      seriesMean(series, (s) => s.pool?.inUse) ?? 0,
      rigDatabaseCores(record.machine.cores, record.machine.dbCores),
    );
  const factorOf = new Map(runs.map((r) => [r.record.id, factorFor(r)]));
  // A run's database cores against its statements' time per second, each kind at the fit runs' mean
  // time (so CPU follows the statements run), taken to the fits' idle share and back to no busy
  // connection.
  const pointOf = (
    record: RunRecord,
    byKey: Iterable<[string, { calls: number }]>,
    factor: number,
  ): { x: number; y: number } => {
    const x =
      ([...byKey].filter(([key]) => key !== 'all').reduce((s, [key, a]) => s + a.calls * meanOf(key), 0) /
        1000) *
      factor;
    const c = record.cpu!;
    const cores = c.database!.cpuSeconds / c.windowSeconds;
    return {
      x: x / Math.max(1e-9, record.durationSeconds),
      y: toFitIdleShare(record, 'database', cores, cpuFit.cpu.idleWake),
    };
  };
  const points = runs.map(({ record }) => pointOf(record, perRun.get(record.id)!, factorOf.get(record.id)!));
  const fit = fitLinearNonNegative(points);
  // CPU of one statement of a key, ms: CPU per ms of (mean) statement time × its mean time.
  const cpuMsOf = (key: string): number => fit.perUnit * meanOf(key);
  const freed = new Map<string, { calls: number; ms: number }>();
  for (const { record } of runs) {
    const host = cpuFit.hostLoad[record.id]!;
    const factor = factorOf.get(record.id)!;
    const rigCpuMs = (endpoint: string): number =>
      (cpuFit.cpu.appMsPerRequest[endpoint] ?? cpuFit.cpu.appMsPerRequest.default) +
      cpuMsOf(timed.has(endpoint) ? endpoint : 'all') * factor +
      cpuFit.cpu.loadGenerator.perUnit;
    for (const [key, a] of perRun.get(record.id)!) {
      if (a.calls <= 0) continue;
      const wait = statementWaitOnRun(record, cpuFit.cpu, rigCpuMs, cpuMsOf(key) * factor, host);
      const t = a.ms / a.calls;
      // The statement's extra CPU at the run's busy connections is taken off with its wait.
      const extra = cpuMsOf(key) * (factor - 1);
      const f = freed.get(key) ?? { calls: 0, ms: 0 };
      f.calls += a.calls;
      f.ms += a.calls * Math.max(t * MIN_FREED_SHARE, t - wait - extra);
      freed.set(key, f);
    }
  }
  let cpu = 0;
  let time = 0;
  const changes: string[] = [];
  for (const [key, f] of freed) {
    const d = key === 'all' ? demands.default : demands[key];
    const t = timed.get(key)!;
    if (!d || f.calls <= 0 || t.ms <= 0) continue;
    const meanMs = d.meanMs * (f.ms / t.ms);
    changes.push(`${key === 'all' ? 'default' : key} ${d.meanMs.toFixed(3)} -> ${meanMs.toFixed(3)} ms`);
    const next = {
      ...d,
      meanMs,
      source: `${d.source}; freed of each fit run's own waits (CPU and event loop, model of its measured load): ${d.meanMs.toFixed(3)} -> ${meanMs.toFixed(3)} ms`,
    };
    if (key === 'all') demands.default = next;
    else {
      demands[key] = next;
      cpu += t.calls * cpuMsOf(key);
      time += f.ms;
    }
  }
  const share = time > 0 ? cpu / time : cpuFit.cpuShareOfDbTime;
  cpuFit.cpu.database = {
    perUnit: share,
    fixedCores: fit.fixed,
    r2: fit.r2,
    source: `calibrated: the database server's cores against statements per second (each kind weighted by its mean time) over ${points.length} run(s), least squares, fixed ${fit.fixed.toFixed(3)} cores${fit.r2 === null ? '' : `, R² ${fit.r2.toFixed(3)}`}; per ms of uncontended statement time ${share.toFixed(3)}`,
  };
  cpuFit.cpuShareOfDbTime = share;
  cpuFit.cpuShareSource = cpuFit.cpu.database.source;
  notes.push(
    `statement demands freed of the fit runs' own waits (${changes.join(', ')}); database CPU share ${share.toFixed(3)}`,
  );
  // Its wake-ups amortised with load (cpu-at-load.ts), as the target's and k6's are, where the runs
  // show it: over the fit runs and the knee probes (each probe's CPU taken back to the fit runs'
  // machine speed), each load level weighed once, and kept as a line (w = 0) when a probe joined, so
  // the probe is never dropped. The curve's unit is a ms of statement time at the
  // fit runs' means; × share / fit.perUnit, a ms of the freed (uncontended) time the model predicts.
  const probeRuns = kneeProbes.filter(({ record }) => cpuFit.hostLoad[record.id] && record.cpu?.database);
  const probePoints = probeRuns.map((run) => {
    const byKey = new Map<string, { calls: number }>();
    for (const e of runStatements(run.record).entries)
      byKey.set(e.key, { calls: (byKey.get(e.key)?.calls ?? 0) + e.calls });
    const p = pointOf(run.record, byKey, factorFor(run));
    return { ...p, y: p.y / (cpuFit.probeDurationScale[run.record.id] ?? 1) };
  });
  const levels = [...runs, ...probeRuns].map((r) => runLevelKey(r.record));
  const perLevel = new Map<string, number>();
  for (const l of levels) perLevel.set(l, (perLevel.get(l) ?? 0) + 1);
  const amortised = fitAmortisedCpu(
    [...points, ...probePoints].map((p, i) => ({
      requestsPerSecond: p.x * 1000,
      cores: p.y,
      weight: 1 / perLevel.get(levels[i]!)!,
    })),
    probePoints.length > 0,
  );
  if (amortised && fit.perUnit > 0) {
    const r = share / fit.perUnit;
    cpuFit.cpu.database.amortised = {
      fixedCores: amortised.fixedCores,
      msPerRequest: amortised.msPerRequest * r,
      wakeMsPerRequest: amortised.wakeMsPerRequest * r,
      source: `calibrated: cores = F + λ(x + w(1 − cores)), λ the ms of statement time per second (each kind at the fit runs' mean), over ${levels.length} run(s)${probePoints.length > 0 ? ` with ${probePoints.length} knee probe(s)` : ''}, each load level weighed once, least squares with F, w >= 0: F ${amortised.fixedCores.toFixed(3)} cores, x ${(amortised.msPerRequest * r).toFixed(3)} and w ${(amortised.wakeMsPerRequest * r).toFixed(3)} ms of CPU per ms of uncontended statement time`,
    };
  }
}

/** Mean of values, 0 for none. */
function mean(values: number[]): number {
  return values.length > 0 ? ssMean(values) : 0;
}

/** Mean busy + waiting connections over a run's steady part (the first 10% of samples skipped). */
export function meanConcurrency(series: SeriesSample[]): number | null {
  const pool = series.filter((s) => s.pool !== null);
  if (pool.length === 0) return null;
  const steady = pool.slice(Math.floor(pool.length / 10));
  return mean(steady.map((s) => s.pool!.inUse + s.pool!.waiting));
}

function meanWaiting(series: SeriesSample[]): number {
  const pool = series.filter((s) => s.pool !== null);
  return mean(pool.map((s) => s.pool!.waiting));
}

/** Database statements per second a run completed (workload kinds only), else requests per second. */
export function runQueriesPerSecond(record: RunRecord): number {
  const d = Math.max(1e-9, record.durationSeconds);
  const kinds = Object.entries(record.queryKinds).filter(([k]) => demandKeyOf(k) !== null);
  if (kinds.length > 0) return kinds.reduce((s, [, v]) => s + v.calls, 0) / d;
  return Object.values(record.endpoints).reduce((s, e) => s + e.count, 0) / d;
}

/** Choices of calibrate(). */
export interface CalibrateOptions {
  /** Shape of the base latency against load (base-latency.ts); default `fading` (flat when the runs cannot show a fade). */
  baseLatency?: BaseLatencyShape;
  /**
   * How a request waits for the measuring host's cores: `chains` (rig-chains.ts: syncs as chains of
   * requests on k6's schedule; needs runs that recorded their iterations' streams and durations, else
   * processor sharing) or `processor-sharing` (independent Poisson requests, M/M/c). Default `chains`.
   */
  hostWait?: HostWait;
  /**
   * κ, the share by which the rig's database CPU per statement grows per busy pool connection
   * (db-congestion.ts); 0 turns it off. Default DB_CONGESTION_PER_BUSY_CONNECTION.value.
   */
  dbCongestion?: number;
}

/** How the rig's requests wait for the host's cores (CalibrateOptions.hostWait). */
export type HostWait = 'chains' | 'processor-sharing';

/**
 * Each run's data as the working-set model reads it (its profile, policy, users and shared_buffers)
 * with its statements by demand key, for the runs whose record names its database and whose profile
 * and policy parse.
 */
function fitRunData(
  used: CalibrationRun[],
  perRun: Map<string, Map<string, { calls: number }>>,
): FitRunData[] {
  return used.flatMap(({ record }) => {
    const profile = ProfileSchema.safeParse(record.profile);
    const policy = PolicySchema.safeParse(record.policy);
    if (!record.database || !profile.success || !policy.success) return [];
    const calls = Object.fromEntries([...(perRun.get(record.id) ?? [])].map(([k, v]) => [k, v.calls]));
    return [
      {
        id: record.id,
        profile: { ...profile.data, name: record.profile.name },
        policy: { ...policy.data, name: record.policy.name },
        users: record.users,
        sharedBuffersBytes: record.database.sharedBuffersBytes,
        calls,
      },
    ];
  });
}

/**
 * Service demands and scalability from run records. Statement times come from uncontended runs (no
 * requests waiting for a connection) so they are service, not waits; with none, from every run.
 * With no runs, the defaults (assumptions with named sources).
 */
export function calibrate(given: CalibrationRun[], options: CalibrateOptions = {}): Calibration {
  const base = defaultCalibration();
  if (given.length === 0) return base;
  const notes: string[] = [];
  // Runs measured on a disturbed machine are set aside (disturbed-runs.ts); knee probes apart.
  const {
    kept: runs,
    setAside,
    disturbedThroughout,
  } = withoutDisturbedRuns(given.filter((r) => !r.kneeProbe));
  for (const d of setAside) notes.push(`set aside ${d.id}: ${d.reason}`);
  const probed = withoutDisturbedRuns(given.filter((r) => r.kneeProbe));
  for (const d of probed.setAside) notes.push(`set aside ${d.id}: ${d.reason}`);
  // Probes all measured on a disturbed machine are dropped, unless the fit runs were too.
  const kneeProbes = probed.disturbedThroughout && !disturbedThroughout ? [] : probed.kept;
  if (probed.kept.length > 0 && kneeProbes.length === 0)
    notes.push(
      `set aside every knee probe (${probed.kept.map((r) => r.record.id).join(', ')}): measured on a disturbed machine`,
    );
  if (kneeProbes.length > 0)
    notes.push(
      `knee probes: ${kneeProbes.map((r) => r.record.id).join(', ')} join the CPU-at-load curves (and, uncontended, the REST base latencies)`,
    );
  if (runs.length === 0) return { ...base, notes: [...base.notes, ...notes] };
  if (disturbedThroughout)
    notes.push(
      'every run was measured on a disturbed machine (stolen time or CPU per request above its replicates): all kept, the fits carry the disturbance',
    );
  const uncontended = runs.filter((r) => meanWaiting(r.series) <= CONTENDED_WAITING);
  const used = uncontended.length > 0 ? uncontended : runs;
  if (uncontended.length === 0)
    notes.push('every run had requests waiting for a connection: statement times may include contention');
  const ids = used.map((r) => r.record.id).join(', ');

  // Statement demands, calls-weighted over runs. The target labels the user message of /api/message
  // `insert.messages` like a pushed row, so in runs with /api/message that many writes are the
  // message's; the rest are the push's, and the push's demand is per push request (an empty push
  // sends no statement), which is how the model counts it (one pool checkout per push request).
  const acc = new Map<string, { calls: number; ms: number; kinds: Set<string> }>();
  // Per run and demand key: statements and their total time (to free each run of its own waits).
  const perRun = new Map<string, Map<string, { calls: number; ms: number }>>();
  let current = new Map<string, { calls: number; ms: number }>();
  const add = (key: string, calls: number, ms: number, kind: string): void => {
    const a = acc.get(key) ?? { calls: 0, ms: 0, kinds: new Set<string>() };
    a.calls += calls;
    a.ms += ms;
    a.kinds.add(kind);
    acc.set(key, a);
    const r = current.get(key) ?? { calls: 0, ms: 0 };
    r.calls += calls;
    r.ms += ms;
    current.set(key, r);
  };
  let pushRequests = 0;
  let pushStatements = 0;
  for (const { record } of used) {
    current = new Map();
    perRun.set(record.id, current);
    const { entries, pushCalls } = runStatements(record);
    for (const e of entries) add(e.key, e.calls, e.ms, e.kind);
    const push = record.endpoints[ENDPOINTS.push];
    if (push && push.count > 0) pushRequests += push.count;
    else pushRequests += pushCalls;
    pushStatements += pushCalls;
  }
  const statementShare: NonNullable<Calibration['statementShare']> = {};
  if (pushRequests > 0 && pushStatements < pushRequests)
    statementShare[ENDPOINTS.push] = {
      share: pushStatements / pushRequests,
      source: `calibrated: ${Math.round(pushStatements)} write statements for ${Math.round(pushRequests)} push requests in runs ${ids} (an empty batch runs none)`,
    };
  // The share of pushes on the path with a row, where the records keep the two paths apart (push-paths.ts).
  const pushRows = pushRowShareOf(used.map(({ record }) => record));
  const batchShare: NonNullable<Calibration['batchShare']> = pushRows ? { [PUSH_PATHS.rows]: pushRows } : {};
  const pushAcc = acc.get(ENDPOINTS.push);
  if (pushAcc && pushRequests > 0) pushAcc.calls = pushRequests;
  else if (!pushAcc && pushRequests > 0 && acc.has('all'))
    acc.set(ENDPOINTS.push, { calls: pushRequests, ms: 0, kinds: new Set(['no statement']) });
  const demands: Calibration['demands'] = { ...base.demands };
  const measured = (a: { calls: number; ms: number; kinds: Set<string> }): ServiceDemand => ({
    meanMs: a.ms / a.calls,
    // Only the mean is measured (pg counters); exponential variability is the assumption.
    scv: 1,
    source: `calibrated: ${Math.round(a.calls)} statements (${[...a.kinds].join(', ')}) in runs ${ids}; variability assumed exponential`,
  });
  for (const [key, a] of acc) {
    if (key === 'all') demands.default = measured(a);
    else demands[key] = measured(a);
  }
  if (acc.size === 0) {
    // No per-kind counters: the per-sync totals give one mean per sync statement.
    const withSync = used.flatMap((r) => {
      const s = r.record.sync;
      return s && s.queriesPerSync !== null && s.queriesPerSync > 0 && s.dbTimeMsPerSync !== null
        ? [{ queries: s.queriesPerSync, dbTimeMs: s.dbTimeMsPerSync }]
        : [];
    });
    if (withSync.length > 0) {
      const per = mean(withSync.map((s) => s.dbTimeMs / s.queries));
      const d: ServiceDemand = {
        meanMs: per,
        scv: 1,
        source: `calibrated: DB time per sync / queries per sync in runs ${ids}`,
      };
      demands[ENDPOINTS.conversations] = d;
      demands[ENDPOINTS.messages] = d;
      demands[ENDPOINTS.push] = d;
      demands.default = d;
    } else notes.push('no query kinds or sync counters in the runs: statement demands stay assumptions');
  }

  // Time outside the database per endpoint (mean latency minus the statement), request-weighted over
  // the uncontended runs.
  const overhead: Calibration['requestOverheadMs'] = { ...base.requestOverheadMs };
  const outside = new Map<string, { n: number; ms: number }>();
  for (const { record } of used) {
    for (const [endpoint, s] of Object.entries(record.endpoints)) {
      if (s.count === 0) continue;
      let o: number;
      if (endpoint === ENDPOINTS.message) {
        const up = record.policy['upstream'] as { latencyMs?: { median: number; p95: number } } | undefined;
        if (!up?.latencyMs) continue;
        const upMean = logNormalMean(logNormalFromMedianP95(up.latencyMs.median, up.latencyMs.p95));
        const db = QUERIES_PER_MESSAGE * (demands[ENDPOINTS.message] ?? demands.default).meanMs;
        o = s.mean - upMean - db;
      } else o = s.mean - (demands[endpoint] ?? demands.default).meanMs;
      const a = outside.get(endpoint) ?? { n: 0, ms: 0 };
      a.n += s.count;
      a.ms += s.count * o;
      outside.set(endpoint, a);
    }
  }
  const restOverheads: number[] = [];
  for (const [endpoint, a] of outside) {
    const o = Math.max(0, a.ms / a.n);
    overhead[endpoint] = o;
    if (endpoint.startsWith('rest.')) restOverheads.push(o);
  }
  if (restOverheads.length > 0) overhead.default = mean(restOverheads);

  // CPU per request where it runs (runs with CPU measurements, all of them: CPU per request does not
  // depend on contention), and the database's CPU share of its statement time.
  // The cost of waking work onto an idle vCPU, from the busy-core runs (set aside above) against the
  // kept plain runs of their level (idle-vcpu-wake.ts).
  // A busy-core run whose requests queued for a connection was congested: its CPU per request holds
  // the congestion's cost (db-congestion.ts; on 2026-12-04 a 5,000-user one had the pool at 4.5 busy
  // and 0.7 waiting, its database's CPU per sync 63 % over the plain run's), not the wake-ups' saving
  // alone, so it is not read for them.
  const busyRuns = given
    .filter((r) => r.record.machine.busyCores !== undefined)
    .map((r) => ({ record: r.record, waiting: seriesMean(r.series, (s) => s.pool?.waiting) ?? 0 }));
  for (const { record, waiting } of busyRuns)
    if (waiting > CONGESTED_WAITING)
      notes.push(
        `not read for the idle-vCPU wake cost: ${record.id}, congested (${waiting.toFixed(2)} requests waiting for a connection in the mean)`,
      );
  const idleWake = calibrateIdleWake(
    [
      ...busyRuns.filter((r) => r.waiting <= CONGESTED_WAITING).map((r) => r.record),
      ...runs.map((r) => r.record),
    ],
    runs.map((r) => r.record),
  );
  if (idleWake) notes.push(`idle-vCPU wake-ups: ${idleWake.source}`);
  const cpuFit = calibrateCpu(
    runs.map((r) => r.record),
    overhead,
    (k) => demandKeyOf(k) !== null,
    idleWake,
    kneeProbes.map((r) => r.record),
  );
  // The share of the target's CPU its event loop runs (loop-thread-share.ts), before anything reads
  // the loop: the fit runs' freed waits and the thread's wake-up share use it as the model does.
  const loopThread = cpuFit ? calibrateLoopThreadShare(runs.map((r) => r.record)) : null;
  if (cpuFit && loopThread) {
    cpuFit.cpu.loopThread = loopThread;
    notes.push(`event loop's share of the target's CPU: ${loopThread.source}`);
  }
  let cpuShareOfDbTime = cpuFit?.cpuShareOfDbTime ?? base.cpuShareOfDbTime;
  // The request's CPU on the path on the measuring host: the target's, its statement's, k6's.
  const rigCpuMs = (endpoint: string): number =>
    cpuFit
      ? (cpuFit.cpu.appMsPerRequest[endpoint] ?? cpuFit.cpu.appMsPerRequest.default) +
        (demands[endpoint] ?? demands.default).meanMs * cpuShareOfDbTime +
        cpuFit.cpu.loadGenerator.perUnit
      : 0;
  // Syncs as chains (rig-chains.ts) when every run with CPU measurements recorded its chains: k6's gap
  // between a sync's requests is then measured (median over those runs).
  const chainRuns = used.filter(({ record }) => cpuFit?.hostLoad[record.id]);
  const gaps = chainRuns.map(({ record }) => chainGapMsOf(record));
  const chained =
    cpuFit !== null &&
    (options.hostWait ?? 'chains') === 'chains' &&
    chainRuns.length > 0 &&
    gaps.every((g) => g !== null) &&
    chainRuns.every(({ record }) => syncStreamsOf(record) !== null);
  if (cpuFit && chained) {
    const gap = median(gaps as number[]);
    cpuFit.cpu.chains = {
      gapMsPerRequest: gap,
      source: `calibrated: a sync's mean duration over its requests less their mean latency, median over ${chainRuns.length} run(s): ${gap.toFixed(3)} ms per request`,
    };
  } else if (cpuFit && (options.hostWait ?? 'chains') === 'chains')
    notes.push(
      'host CPU wait as processor sharing of independent requests: the runs did not all record their sync streams and durations',
    );
  // The event loop's thread's wake-up share (thread-wake.ts), from the fit runs' measured main
  // thread: before the demands and base latencies are freed of the thread's waits on those runs.
  if (cpuFit) {
    const wake = threadWakeOfRuns(
      runs.map((r) => r.record),
      cpuFit,
    );
    if (wake) {
      cpuFit.cpu.threadWake = wake;
      notes.push(`event loop's thread beyond processor sharing: ${wake.source}`);
    }
  }
  // Uncontended demands (issue 12): a fit run's statement times hold the waits of its own load (the
  // database's CPU waiting for a core, the result waiting for the event loop's turn), so they are
  // freed of the waits the model gives that run's measured load, and the database's CPU share is
  // refitted on the freed times (CPU per ms of uncontended statement): else the demands grow with the
  // fit levels' contention and the CPU share shrinks, and a prediction counts the waits twice.
  const kappa = options.dbCongestion ?? DB_CONGESTION_PER_BUSY_CONNECTION.value;
  if (cpuFit && kappa > 0)
    cpuFit.cpu.dbCongestion = {
      perBusyConnection: kappa,
      source:
        options.dbCongestion === undefined
          ? DB_CONGESTION_PER_BUSY_CONNECTION.source
          : `set: ${kappa} per busy connection past the cores`,
    };
  if (cpuFit && acc.size > 0) {
    uncontendedDemands(used, perRun, demands, cpuFit, notes, kneeProbes);
    cpuShareOfDbTime = cpuFit.cpuShareOfDbTime;
  }
  if (cpuFit) {
    const c = cpuFit.cpu;
    notes.push(
      `CPU per request: target ${c.app.perUnit.toFixed(3)} ms, k6 ${c.loadGenerator.perUnit.toFixed(3)} ms; database CPU ${c.database.perUnit.toFixed(3)} × statement time; other load on the host ${c.otherCores.toFixed(2)} cores and ${(c.stolenCores ?? 0).toFixed(2)} stolen by the hypervisor (median over the runs; a run predicted as run uses its own) (${c.rigCores} cores)`,
    );
    // The rig reads the target's, k6's and the database's CPU at its load when it falls with load
    // (cpu-at-load.ts).
    for (const [who, fit] of [
      ['target', c.app],
      ['k6', c.loadGenerator],
      ['the database', c.database],
    ] as const)
      if (fit.amortised)
        notes.push(`${who}'s CPU with its wake-ups amortised on the rig: ${fit.amortised.source}`);
  }

  // The measured latency distribution (median, p95) of each REST endpoint, flat or fading with load
  // (base-latency.ts). With CPU measurements, each run's figures are first freed of the wait for the
  // host's cores at that run's measured load (the wait of the request's CPU under the run's chains,
  // rig-chains.ts, or processor sharing, cpu.ts), so the base is the latency with no core wait and the
  // model adds the wait of the load it predicts.
  // Knee probes join them when they too had no requests waiting for a connection (session 34): the
  // base is then read between measured loads, not carried past the fit's, as the CPU curves are; each
  // probe's figures taken back to the fit runs' machine speed as its CPU is.
  const baseProbes = kneeProbes.filter((r) => meanWaiting(r.series) <= CONTENDED_WAITING);
  if (baseProbes.length > 0)
    notes.push(
      `knee probes ${baseProbes.map((r) => r.record.id).join(', ')} join the REST base latencies (no requests waiting for a connection)`,
    );
  const basePoints = new Map<string, { n: number; points: BaseLatencyPoint[] }>();
  for (const { record } of [...used, ...baseProbes]) {
    const speedScale = cpuFit?.probeDurationScale[record.id] ?? 1;
    const load = cpuFit?.hostLoad[record.id];
    const requestsPerSecond = runRequestsPerSecond(record);
    // The run's host as its requests met it, once per run: its chains, the target's thread's view of
    // it (thread-host.ts) and its event loop's wait per turn.
    const run =
      load && cpuFit
        ? (() => {
            const chains = chained
              ? measuredChainLoad(record, rigCpuMs, load.busyCores, load.cores, cpuFit.cpu)
              : null;
            const loop = runLoopQueue(record, cpuFit.cpu, load);
            return {
              load,
              cpu: cpuFit.cpu,
              chains,
              thread: runThreadHost(record, cpuFit.cpu, load),
              loopWaits: loopPassWaits(loop),
            };
          })()
        : null;
    // Each REST endpoint, and each path of one whose requests the record keeps apart by batch, with its
    // statement CPU and its results' passes through the loop: `rest.push/empty` none, `rest.push/rows`
    // all of the push's statements (its demand is per push request) and one pass.
    const pushRowShare = pushRows?.share;
    const entries = [
      ...Object.entries(record.endpoints).map(([key, s]) => ({
        key,
        endpoint: key,
        s,
        dbScale: 1,
        passes: null,
      })),
      ...Object.entries(record.batches ?? {}).flatMap(([key, s]) => {
        const path = pushPathOf(key);
        if (!path || pushRowShare === undefined || pushRowShare <= 0) return [];
        return [
          {
            key,
            endpoint: path.endpoint,
            s,
            dbScale: path.rows ? 1 / pushRowShare : 0,
            passes: path.rows ? 1 : 0,
          },
        ];
      }),
    ];
    for (const { key, endpoint, s, dbScale, passes } of entries) {
      if (s.count === 0 || !endpoint.startsWith('rest.')) continue;
      let m = { medianMs: s.p50, p95Ms: s.p95 };
      if (run && s.p95 > s.p50 && s.p50 > 0) {
        const { chains, load: l } = run;
        // The target's part of its CPU waits behind the others' work only (thread-host.ts).
        const appMs = run.cpu.appMsPerRequest[endpoint] ?? run.cpu.appMsPerRequest.default;
        const endpointDbMs = (demands[endpoint] ?? demands.default).meanMs * cpuShareOfDbTime;
        const dbMs = endpointDbMs * dbScale;
        const cpuMs = rigCpuMs(endpoint) - appMs - endpointDbMs + dbMs;
        const onHost = (ms: number): CpuWait | null =>
          chains ? chainCpuWait(chains, ms) : measuredProcessorSharingWait(ms, l.busyCores, l.cores);
        // Its statement's CPU on the database's own cores instead, when the run limited them and they
        // stretch it more (rig-db-cpu.ts).
        const cpuWaits = requestCoreWaits(onHost, runDatabaseCoreWait(record, dbMs), cpuMs, dbMs);
        const threadWait = threadCpuWait(run.thread, appMs);
        // And of its turns' waits on the target's event loop at the run's load (the model adds them
        // at the load it predicts, so leaving them in would count them twice): its own, and its
        // statement result's when it runs one (event-loop.ts loopPassesOf).
        const resultPasses = passes ?? loopPassesOf({ statementShare }, endpoint) - 1;
        const waits = [
          ...cpuWaits,
          threadWait,
          ...run.loopWaits,
          ...run.loopWaits.map((w) => repeatedWait(w, resultPasses)),
        ].filter((w): w is CpuWait => w !== null);
        m = withoutCpuWait(m, waits.length > 0 ? waits : null);
      }
      if (speedScale !== 1) m = { medianMs: m.medianMs / speedScale, p95Ms: m.p95Ms / speedScale };
      const a = basePoints.get(key) ?? { n: 0, points: [] };
      a.n += s.count;
      a.points.push({ requestsPerSecond, ...m });
      basePoints.set(key, a);
    }
  }
  // A fade is a load effect only when the runs differ in load alone: one scenario under one policy.
  const mixes = new Set(used.map(({ record }) => `${record.scenario} / ${record.policy.name}`));
  let shape = options.baseLatency ?? 'fading';
  if (shape === 'fading' && mixes.size > 1) {
    shape = 'flat';
    notes.push(
      `base latency flat: the runs mix ${[...mixes].join(', ')}, so a fade with load could not be told from the mix`,
    );
  }
  const baseLatency: NonNullable<Calibration['baseLatency']> = {};
  for (const [endpoint, a] of basePoints) {
    const b = fitBaseLatency(
      a.points,
      shape,
      `calibrated: median and p95 of ${Math.round(a.n)} requests in runs ${[ids, ...baseProbes.map((r) => r.record.id)].join(', ')}${cpuFit ? ", each without its run's wait for the host's cores" : ''}`,
    );
    if (b.fade || (b.medianMs > 0 && b.p95Ms > b.medianMs)) baseLatency[endpoint] = b;
  }

  // Queries per sync by mode.
  const queriesPerSync: Calibration['queriesPerSync'] = {};
  for (const mode of ['full', 'delta'] as const) {
    const xs = runs.flatMap((r) =>
      r.record.sync?.mode === mode && r.record.sync.queriesPerSync !== null
        ? [r.record.sync.queriesPerSync]
        : [],
    );
    if (xs.length > 0) queriesPerSync[mode] = mean(xs);
  }

  // USL: throughput (statements/s) against the concurrency at the database, one point per run.
  let usl: UslFit | null = null;
  const points = runs
    .map((r) => ({ n: meanConcurrency(r.series), x: runQueriesPerSecond(r.record) }))
    .filter((p): p is { n: number; x: number } => p.n !== null && p.n > 0 && p.x > 0);
  if (points.length >= 3) {
    try {
      usl = fitUsl(points);
      notes.push(
        `USL over ${points.length} runs: σ=${usl.sigma.toPrecision(3)}, κ=${usl.kappa.toPrecision(3)}, R²=${usl.r2.toFixed(3)}`,
      );
    } catch (error) {
      notes.push(`USL fit failed: ${(error as Error).message}`);
    }
  } else notes.push(`USL not fitted: ${points.length} run(s) with pool samples, 3 needed`);

  const rates = runs.map((r) => runQueriesPerSecond(r.record));
  const machines = [...new Set(runs.map((r) => `${r.record.machine.cores} × ${r.record.machine.cpuModel}`))];
  notes.push(
    `service demands measured on ${machines.join('; ')} and applied unchanged to the modelled database plan`,
  );
  // The database server's cores per run (--db-cores): each run's statements were freed of the wait on
  // its own cores (statementWaitOnRun), so runs of different sizes can be fitted together.
  const dbSizes = [
    ...new Set(
      runs.map(({ record: r }) =>
        (r.machine.dbCores ?? r.machine.cores) < r.machine.cores ? r.machine.dbCores : undefined,
      ),
    ),
  ];
  if (dbSizes.some((d) => d !== undefined))
    notes.push(
      `database server limited on the fit runs (machine.dbCores): ${dbSizes.map((d) => (d === undefined ? 'all cores' : `${d} core(s)`)).join(', ')}; each run's statement times freed of the wait on its own database cores`,
    );
  notes.push(
    "statement times are the target's (round trip to the database included): no connection overhead added",
  );
  // The fit runs' own page reads from outside shared_buffers are in their statement times already.
  const ownPageReads = ownPageReadsOf(fitRunData(used, perRun));
  if (ownPageReads) notes.push(ownPageReads.source);
  return {
    demands,
    ...(Object.keys(statementShare).length > 0 ? { statementShare } : {}),
    ...(Object.keys(batchShare).length > 0 ? { batchShare } : {}),
    // The target times each statement around client.query, so its round trip is already in the demand.
    connectionOverheadMs: 0,
    requestOverheadMs: overhead,
    baseLatency,
    cpuShareOfDbTime,
    ...(cpuFit ? { cpuShareSource: cpuFit.cpuShareSource, cpu: cpuFit.cpu } : {}),
    queriesPerSync,
    usl,
    measuredRange: { minQueriesPerSecond: Math.min(...rates), maxQueriesPerSecond: Math.max(...rates) },
    runs: runs.map((r) => r.record.id),
    calibrated: true,
    ...(ownPageReads ? { ownPageReads } : {}),
    notes,
  };
}
