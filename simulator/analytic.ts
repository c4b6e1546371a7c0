import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import { baseLatencyAt } from './base-latency.ts';
import type { Calibration, ServiceDemand } from './calibration.ts';
import type { CpuPlacement, CpuQueues } from './cpu.ts';
import { cpuQueues, cpuSaturation, cpuWaitsOf, hostCpuWait, statementCpuWaitMs } from './cpu.ts';
import {
  logNormalFromMedianP95,
  logNormalMean,
  logNormalSurvival,
  logNormalVariance,
} from './distributions.ts';
import type {
  EndpointPrediction,
  Extrapolation,
  Prediction,
  ResourceName,
  ResourcePrediction,
  VerdictInputs,
} from './prediction.ts';
import type { Latency, Queue } from './queueing.ts';
import {
  latency,
  latencyMean,
  latencyQuantile,
  latencySurvival,
  queue,
  sumMean,
  sumQuantile,
  waitQuantile,
  waitSurvival,
} from './queueing.ts';
import type { AbuseAssumption } from './rate-limit.ts';
import { rateLimitOutcomes } from './rate-limit.ts';
import { chainCpuWait, chainsInFlight } from './rig-chains.ts';
import type { Targets } from './targets.ts';
import type { Workload } from './workload.ts';
import { ENDPOINTS, QUERIES_PER_MESSAGE, SYNC_ENDPOINTS, workloadAt } from './workload.ts';

// The analytical model: each resource is an M/G/c queue fed by the open-model workload.
//   db.cpu            servers = database cores; one arrival per statement, service = its CPU time
//                     (processor sharing, cpu.ts); on the rig `host.cpu` instead: the host's cores
//                     shared by the target, the database, k6 and other processes
//   app.cpu           servers = backend vCPUs (when given and CPU-calibrated); one arrival per request
//   db.pool           servers = policy.database.poolSize; one checkout per statement (PostgREST holds a
//                     connection per request), hold = connection overhead + CPU wait + statement time
//   upstream.sockets  servers = policy.upstream.maxSockets; one per admitted /api/message, hold = the
//                     language-model latency (log-normal from the policy's median and p95)

/** Inputs of one analytical prediction beyond profile, policy and users. */
export interface ModelContext {
  calibration: Calibration;
  targets: Targets;
  /** Database cores of the plan. */
  cores: number;
  abuse: AbuseAssumption;
  /** Where the CPU work runs (default: a deployment). */
  placement?: CpuPlacement;
  /** Backend vCPUs of the app tier; absent or null: the app tier's CPU is not modelled. */
  appCores?: number | null;
}

/** The queues of one prediction, kept for the DES and for composing latencies. */
export interface ModelQueues {
  /** The CPU queue on the statements' path: the database's cores, or the rig's shared host. */
  cpu: Queue;
  /** All CPU resources (database or host, and the app tier) and how a request waits for them. */
  cpus: CpuQueues;
  pool: Queue;
  upstream: Queue;
  /** Statement arrivals per second by kind (sync REST endpoints and api.message). */
  statementRates: Record<string, number>;
  /** Requests per second reaching the app tier (the load a fading base latency is read at). */
  requestsPerSecond: number;
  upstreamLatency: { median: number; p95: number; meanMs: number; scv: number };
}

/** Service demand of a statement kind, falling back to the calibration's default. */
export function demandOf(calibration: Calibration, kind: string): ServiceDemand {
  return calibration.demands[kind] ?? calibration.demands.default;
}

/** Overhead outside the database of one request of an endpoint. */
export function overheadOf(calibration: Calibration, endpoint: string): number {
  return calibration.requestOverheadMs[endpoint] ?? calibration.requestOverheadMs.default;
}

/** Mean and scv of a mixture of service times weighted by rate. */
function mixture(parts: Array<{ rate: number; mean: number; scv: number }>): {
  rate: number;
  mean: number;
  scv: number;
} {
  const rate = parts.reduce((s, p) => s + p.rate, 0);
  if (rate <= 0) return { rate: 0, mean: parts[0]?.mean ?? 0, scv: parts[0]?.scv ?? 1 };
  const mean = parts.reduce((s, p) => s + p.rate * p.mean, 0) / rate;
  const second = parts.reduce((s, p) => s + p.rate * (1 + p.scv) * p.mean * p.mean, 0) / rate;
  return { rate, mean, scv: mean > 0 ? second / (mean * mean) - 1 : 1 };
}

/** Builds the three queues for a workload. */
export function buildQueues(
  policy: Policy,
  workload: Workload,
  ctx: ModelContext,
  admittedMessagesPerSecond: number,
): ModelQueues {
  const cal = ctx.calibration;
  const statementRates: Record<string, number> = {};
  for (const kind of SYNC_ENDPOINTS) statementRates[kind] = workload.requestsPerSecondByEndpoint[kind] ?? 0;
  // Every /api/message runs its statements, even when the upstream call is then refused a socket;
  // rate-limited requests stop before the database.
  statementRates[ENDPOINTS.message] = admittedMessagesPerSecond * QUERIES_PER_MESSAGE;
  const kinds = Object.keys(statementRates);
  const requestRates = { ...workload.requestsPerSecondByEndpoint };
  const cpus = cpuQueues(
    cal,
    ctx.placement ?? { kind: 'deployment' },
    requestRates,
    statementRates,
    ctx.cores,
    ctx.appCores ?? null,
    Object.values(workload.syncsPerSecondByClass),
    workload.requestsPerSecond,
  );
  const cpu = cpus.cpu;
  const holdMix = mixture(
    kinds.map((k) => ({
      rate: statementRates[k]!,
      mean: cal.connectionOverheadMs + statementCpuWaitMs(cpus, cal, k) + demandOf(cal, k).meanMs,
      scv: demandOf(cal, k).scv,
    })),
  );
  const pool = queue(policy.database.poolSize, holdMix.rate, holdMix.mean, holdMix.scv);
  const up = policy.upstream.latencyMs;
  const ln = logNormalFromMedianP95(up.median, up.p95);
  const upMean = logNormalMean(ln);
  const upScv = logNormalVariance(ln) / (upMean * upMean);
  const upstream = queue(policy.upstream.maxSockets, admittedMessagesPerSecond, upMean, upScv);
  return {
    cpu,
    cpus,
    pool,
    upstream,
    statementRates,
    requestsPerSecond: workload.requestsPerSecond,
    upstreamLatency: { median: up.median, p95: up.p95, meanMs: upMean, scv: upScv },
  };
}

function resource(name: ResourceName, q: Queue, source: string): ResourcePrediction {
  return {
    name,
    servers: q.servers,
    arrivalRate: q.arrivalRate,
    serviceTimeMs: q.serviceTimeMs,
    offeredLoad: q.offeredLoad,
    utilisation: q.utilisation,
    probabilityOfWaiting: q.probabilityOfWaiting,
    meanWaitMs: q.meanWaitMs,
    p95WaitMs: waitQuantile(q, 0.95),
    saturated: q.saturated,
    capacityPerSecond: q.capacityPerSecond,
    serviceTimeSource: source,
  };
}

/** The CPU resources of a prediction: the database's (or the rig host's) cores, and the app tier's. */
export function cpuResources(cpus: CpuQueues, cal: Calibration): ResourcePrediction[] {
  const share = `${cal.cpuShareOfDbTime.toPrecision(3)} × statement time (${cal.cpuShareSource ?? 'assumption'})`;
  const out: ResourcePrediction[] = [];
  if (cpus.cpuName === 'host.cpu') {
    const parts = Object.entries(cpus.loadParts)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
    const chains = cpus.chains;
    if (chains) {
      // The wait of the mean request's CPU under the chains, in place of the M/M/c figures.
      const inFlight = chainsInFlight(chains);
      // Built only below saturation (cpuQueues): the queue's figures are replaced, never its saturation.
      const w = chainCpuWait(chains, cpus.cpu.serviceTimeMs);
      const r = resource(
        'host.cpu',
        cpus.cpu,
        `rig: one host's cores shared by everything (processor sharing) under syncs as chains (${inFlight.toFixed(2)} in flight, ${(chains.syncSeconds * 1000).toFixed(1)} ms each, ${chains.backgroundCores.toFixed(2)} cores outside them; ${cal.cpu?.chains?.source ?? ''}); load in cores: ${parts}; statement CPU = ${share}`,
      );
      out.push({
        ...r,
        probabilityOfWaiting: w?.probability ?? 0,
        meanWaitMs: w ? w.probability * w.meanMs : 0,
        p95WaitMs: w && w.probability > 0.05 ? w.meanMs * Math.log(w.probability / 0.05) : 0,
        chains: { inFlight, syncMs: chains.syncSeconds * 1000 },
      });
    } else
      out.push(
        resource(
          'host.cpu',
          cpus.cpu,
          `rig: one host's cores shared by everything (processor sharing); load in cores: ${parts}; statement CPU = ${share}`,
        ),
      );
  } else out.push(resource('db.cpu', cpus.cpu, `statement CPU = ${share}`));
  if (cpus.app)
    out.push(
      resource(
        'app.cpu',
        cpus.app,
        `backend vCPUs; CPU per request ${cal.cpu?.app.source ?? ''} (processor sharing)`,
      ),
    );
  return out;
}

/** Latency, error and timeout shares of one database statement of a kind. */
interface StatementOutcome {
  latency: Latency;
  /** Served statements' latency is bounded by a timeout when a queue is saturated; else null = unbounded. */
  boundedP95Ms: number | null;
  unbounded: boolean;
  errorShare: number;
  timeoutShare: number;
}

function statementOutcome(
  policy: Policy,
  q: ModelQueues,
  cal: Calibration,
  kind: string,
  overheadMs: number,
): StatementOutcome {
  const d = demandOf(cal, kind);
  const waits = [];
  if (!q.pool.saturated)
    waits.push({ probability: q.pool.probabilityOfWaiting, meanMs: q.pool.conditionalWaitMs ?? 0 });
  // One statement; a REST request's own app-tier CPU is on its path too (/api/message adds its once).
  waits.push(...cpuWaitsOf(q.cpus, cal, kind, 1, kind === ENDPOINTS.message ? null : kind));
  // Calibrated: the measured uncontended latency distribution; else a constant overhead plus the statement.
  const base = baseLatencyAt(cal, kind, q.requestsPerSecond);
  let lat: Latency;
  if (base) {
    const ln = logNormalFromMedianP95(base.medianMs, base.p95Ms);
    const m = logNormalMean(ln);
    lat = latency(0, waits, m, logNormalVariance(ln) / (m * m));
  } else lat = latency(overheadMs + cal.connectionOverheadMs, waits, d.meanMs, d.scv);
  const acquire = policy.database.acquireTimeoutMs;
  const stmt = policy.database.statementTimeoutMs;
  // Timeouts in a stable queue: the wait for a connection beyond acquireTimeoutMs (503), and the
  // statement (CPU wait + execution) beyond statement_timeout.
  let timeout = q.pool.saturated ? 0 : waitSurvival(q.pool, acquire);
  if (stmt !== null && !q.cpu.saturated) {
    const w = hostCpuWait(q.cpus, d.meanMs * cal.cpuShareOfDbTime);
    const exec = latency(0, w ? [w] : [], d.meanMs, d.scv);
    timeout = 1 - (1 - timeout) * (1 - latencySurvival(exec, stmt));
  }
  // Saturation: the excess never gets served. A saturated pool turns it into acquire timeouts and
  // served requests wait up to the timeout; a saturated CPU is bounded only by statement_timeout.
  let excess = 0;
  let bounded: number | null = null;
  let unbounded = false;
  if (q.pool.saturated) {
    excess = 1 - (1 - excess) * (1 - q.pool.excessShare);
    bounded = acquire + d.meanMs;
  }
  const cpuSat = cpuSaturation(q.cpus);
  if (cpuSat.saturated) {
    excess = 1 - (1 - excess) * (1 - cpuSat.excessShare);
    if (stmt !== null) bounded = (bounded ?? 0) + stmt;
    else unbounded = true;
  }
  const errorShare = 1 - (1 - excess) * (1 - timeout);
  return { latency: lat, boundedP95Ms: bounded, unbounded, errorShare, timeoutShare: errorShare };
}

/** Extrapolation flags of a workload against a calibration's measured range. */
export function extrapolation(cal: Calibration, queriesPerSecond: number): Extrapolation {
  if (!cal.measuredRange) {
    return {
      beyond2x: false,
      measuredMaxQueriesPerSecond: null,
      ratio: null,
      note: 'uncalibrated: every service time is an assumption',
    };
  }
  const { minQueriesPerSecond: lo, maxQueriesPerSecond: hi } = cal.measuredRange;
  const ratio = hi > 0 ? queriesPerSecond / hi : null;
  const beyond = (ratio !== null && ratio > 2) || queriesPerSecond < lo / 2;
  return {
    beyond2x: beyond,
    measuredMaxQueriesPerSecond: hi,
    ratio,
    note: beyond
      ? `extrapolates: ${queriesPerSecond.toFixed(0)} queries/s is outside 0.5×–2× of the measured ${lo.toFixed(0)}–${hi.toFixed(0)} queries/s`
      : 'within 2× of the measured range',
  };
}

/** Prediction of one policy at one number of users with the closed-form model (cost left to the caller). */
export function predictAnalytic(
  profile: Profile,
  policy: Policy,
  users: number,
  ctx: ModelContext,
): Prediction {
  const cal = ctx.calibration;
  const workload = workloadAt(profile, policy, users);
  const rateLimits = rateLimitOutcomes(policy, workload, profile.messagesPerUserPerMinute, ctx.abuse);
  const admitted = rateLimits.reduce((s, r) => s + r.admittedRate, 0);
  const q = buildQueues(policy, workload, ctx, admitted);
  const defaultSource = (kind: string): string => demandOf(cal, kind).source;
  const resources = [
    resource(
      'db.pool',
      q.pool,
      `connection hold = ${cal.connectionOverheadMs} ms + CPU wait + statement time (${defaultSource('default')})`,
    ),
    resource(
      'upstream.sockets',
      q.upstream,
      `policy ${policy.name}: language-model latency median ${q.upstreamLatency.median} ms, p95 ${q.upstreamLatency.p95} ms (log-normal, mean ${q.upstreamLatency.meanMs.toFixed(0)} ms)`,
    ),
    ...cpuResources(q.cpus, cal),
  ];

  const endpoints: EndpointPrediction[] = [];
  const outcomes: Record<string, StatementOutcome> = {};
  for (const kind of SYNC_ENDPOINTS) {
    const o = statementOutcome(policy, q, cal, kind, overheadOf(cal, kind));
    outcomes[kind] = o;
    endpoints.push({
      endpoint: kind,
      ratePerSecond: workload.requestsPerSecondByEndpoint[kind] ?? 0,
      p50Ms: o.unbounded ? null : o.boundedP95Ms !== null ? o.boundedP95Ms : latencyQuantile(o.latency, 0.5),
      p95Ms: o.unbounded ? null : o.boundedP95Ms !== null ? o.boundedP95Ms : latencyQuantile(o.latency, 0.95),
      meanMs: o.unbounded ? null : o.boundedP95Ms !== null ? o.boundedP95Ms : latencyMean(o.latency),
      errorShare: o.errorShare,
      rateLimitedShare: 0,
      timeoutShare: o.timeoutShare,
    });
  }

  // A whole sync: its requests in sequence (expected counts per sync, rate-weighted over classes).
  const perSync = (kind: string): number =>
    workload.syncsPerSecond > 0
      ? (workload.requestsPerSecondByEndpoint[kind] ?? 0) / workload.syncsPerSecond
      : 0;
  const syncTerms = SYNC_ENDPOINTS.map((k) => ({ latency: outcomes[k]!.latency, count: perSync(k) }));
  const syncUnbounded = SYNC_ENDPOINTS.some((k) => outcomes[k]!.unbounded && perSync(k) > 0);
  const syncBounded = SYNC_ENDPOINTS.some((k) => outcomes[k]!.boundedP95Ms !== null && perSync(k) > 0);
  const syncBoundedMs = SYNC_ENDPOINTS.reduce(
    (s, k) => s + perSync(k) * (outcomes[k]!.boundedP95Ms ?? latencyMean(outcomes[k]!.latency)),
    0,
  );
  const syncOk = SYNC_ENDPOINTS.reduce((s, k) => s * (1 - outcomes[k]!.errorShare) ** perSync(k), 1);
  endpoints.push({
    endpoint: 'sync',
    ratePerSecond: workload.syncsPerSecond,
    p50Ms: syncUnbounded ? null : syncBounded ? syncBoundedMs : sumQuantile(syncTerms, 0.5),
    p95Ms: syncUnbounded ? null : syncBounded ? syncBoundedMs : sumQuantile(syncTerms, 0.95),
    meanMs: syncUnbounded ? null : syncBounded ? syncBoundedMs : sumMean(syncTerms),
    errorShare: 1 - syncOk,
    rateLimitedShare: 0,
    timeoutShare: 1 - syncOk,
  });

  // /api/message: its statements (mean latency each), then a socket wait and the upstream call.
  const msgDb = statementOutcome(policy, q, cal, ENDPOINTS.message, 0);
  const legit = rateLimits.reduce((s, r) => s + r.legitimateRate, 0);
  const legitRejected =
    legit > 0 ? rateLimits.reduce((s, r) => s + r.legitimateRate * r.legitimateRejectedShare, 0) / legit : 0;
  const dbMs = QUERIES_PER_MESSAGE * (msgDb.boundedP95Ms ?? latencyMean(msgDb.latency));
  const upLn = logNormalFromMedianP95(q.upstreamLatency.median, q.upstreamLatency.p95);
  const upWaits = [
    ...(q.upstream.saturated
      ? []
      : [{ probability: q.upstream.probabilityOfWaiting, meanMs: q.upstream.conditionalWaitMs ?? 0 }]),
    // The request's own app-tier CPU (its statements' CPU waits are in dbMs).
    ...cpuWaitsOf(q.cpus, cal, ENDPOINTS.message, 0, ENDPOINTS.message),
  ];
  const msgLatency = latency(
    overheadOf(cal, ENDPOINTS.message) + dbMs,
    upWaits,
    q.upstreamLatency.meanMs,
    q.upstreamLatency.scv,
  );
  const socketTimeout = policy.upstream.socketTimeoutMs;
  const upTimeout = socketTimeout !== null ? logNormalSurvival(upLn, socketTimeout) : 0;
  const msgDbOk = (1 - msgDb.errorShare) ** QUERIES_PER_MESSAGE;
  const msgServedOk = msgDbOk * (1 - q.upstream.excessShare) * (1 - upTimeout);
  const msgUnbounded = msgDb.unbounded || q.upstream.saturated;
  endpoints.push({
    endpoint: ENDPOINTS.message,
    ratePerSecond: workload.messagesPerSecond,
    p50Ms: msgUnbounded ? null : latencyQuantile(msgLatency, 0.5),
    p95Ms: msgUnbounded ? null : latencyQuantile(msgLatency, 0.95),
    meanMs: msgUnbounded ? null : latencyMean(msgLatency),
    errorShare: 1 - (1 - legitRejected) * msgServedOk,
    rateLimitedShare: legitRejected,
    timeoutShare: 1 - msgDbOk * (1 - upTimeout),
  });

  // Request-weighted shares over individual requests (the sync line is a composite, not counted twice).
  const counted = endpoints.filter((e) => e.endpoint !== 'sync');
  const total = counted.reduce((s, e) => s + e.ratePerSecond, 0);
  const share = (pick: (e: EndpointPrediction) => number): number =>
    total > 0 ? counted.reduce((s, e) => s + e.ratePerSecond * pick(e), 0) / total : 0;
  const errorShare = share((e) => e.errorShare);
  const stmt = policy.database.statementTimeoutMs;
  const overStmt =
    stmt === null || q.cpu.saturated
      ? q.cpu.saturated
        ? 1 - 1 / q.cpu.utilisation
        : 0
      : latencySurvival(
          latency(
            0,
            cpuWaitsOf(q.cpus, cal, 'default', 1, null),
            demandOf(cal, 'default').meanMs,
            demandOf(cal, 'default').scv,
          ),
          stmt,
        );

  const verdict = verdictOf(resources, endpoints, errorShare, ctx.targets, users);
  const assumptions = [...cal.notes];
  for (const kind of [...SYNC_ENDPOINTS, ENDPOINTS.message]) {
    const d = demandOf(cal, kind);
    if (d.source.startsWith('assumption')) assumptions.push(`${kind}: ${d.source}`);
  }
  if (policy.database.poolSize > policy.database.maxConnections) {
    assumptions.push(
      `pool ${policy.database.poolSize} exceeds the plan's ${policy.database.maxConnections} connections`,
    );
  }
  return {
    users,
    profile: profile.name,
    policy: policy.name,
    mode: 'analytic',
    workload,
    resources,
    endpoints,
    rateLimits,
    errorShare,
    rateLimitedShare: share((e) => e.rateLimitedShare),
    timeoutShare: share((e) => e.timeoutShare),
    overStatementTimeoutShare: overStmt,
    cost: null,
    cheapest: null,
    verdict,
    calibrated: cal.calibrated,
    extrapolation: extrapolation(cal, workload.queriesPerSecond),
    assumptions,
  };
}

/** Verdict inputs: budgets met, the bottleneck and where it saturates. */
export function verdictOf(
  resources: ResourcePrediction[],
  endpoints: EndpointPrediction[],
  errorShare: number,
  targets: Targets,
  users: number,
): VerdictInputs {
  let worst: number | null = 0;
  for (const e of endpoints) {
    if (e.ratePerSecond <= 0) continue;
    const budget = targets.p95Ms[e.endpoint] ?? targets.p95Ms.default;
    if (e.p95Ms === null) {
      worst = null;
      break;
    }
    worst = Math.max(worst, e.p95Ms / budget);
  }
  const bottleneck = resources.reduce((a, b) => (b.utilisation > a.utilisation ? b : a));
  return {
    meetsLatency: worst !== null && worst <= 1,
    meetsErrors: errorShare <= targets.errorShare,
    bottleneck: bottleneck.name,
    bottleneckUtilisation: bottleneck.utilisation,
    saturationUsers: bottleneck.utilisation > 0 ? users / bottleneck.utilisation : Number.POSITIVE_INFINITY,
    latencyBudgetRatio: worst,
    errorShare,
  };
}
