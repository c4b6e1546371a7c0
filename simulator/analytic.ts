import type { Policy } from '../core/policy.ts';
import type { Profile } from '../core/profile.ts';
import type { Assumptions } from './assumptions.ts';
import { baseLatencyAt } from './base-latency.ts';
import type { Calibration } from './calibration.ts';
import type { CpuPlacement } from './cpu.ts';
import { cpuSaturation, cpuWaitsOf, statementCpuWait } from './cpu.ts';
import { contextAtUsers } from './data-size-context.ts';
import type { DataSizeContext } from './data-size-demand.ts';
import { diskResources } from './disk-resource.ts';
import {
  logNormalFromMedianP95,
  logNormalMean,
  logNormalSurvival,
  logNormalVariance,
} from './distributions.ts';
import type { LlmLoad } from './llm.ts';
import { llmResources } from './llm.ts';
import type { ModelQueues } from './model-queues.ts';
import {
  buildQueues,
  connectionShareOf,
  cpuResources,
  demandOf,
  overheadOf,
  resource,
} from './model-queues.ts';
import type { EndpointPrediction, Prediction } from './prediction.ts';
import { hasPushPaths, PUSH_PATHS } from './push-paths.ts';
import type { Latency } from './queueing.ts';
import {
  latency,
  latencyMean,
  latencyMixture,
  latencyQuantile,
  latencySurvival,
  sumMean,
  sumQuantile,
  waitSurvival,
} from './queueing.ts';
import type { AbuseAssumption } from './rate-limit.ts';
import { rateLimitOutcomes } from './rate-limit.ts';
import type { Targets } from './targets.ts';
import { extrapolation, verdictOf } from './verdict-inputs.ts';
import {
  ENDPOINTS,
  messagesPerMinuteByTierOf,
  QUERIES_PER_MESSAGE,
  SYNC_ENDPOINTS,
  workloadAt,
} from './workload.ts';

// The analytical model: one prediction from the queues of model-queues.ts, composed into latencies,
// error shares and the verdict's inputs.

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
  /** The language-model provider's limits and tokens per message (absent: not modelled). */
  llm?: LlmLoad;
  /** The assumptions the prediction's load came from (costs read the daily profile and caps). */
  assumptions?: Assumptions;
  /**
   * Carries `calibration` to the data size of each prediction's users (data-size-context.ts
   * contextAtUsers; deployments only). `calibration` itself is then the carry at the profile's own
   * users, for what reads the context without a number of users (the per-user loads of a knee surface).
   */
  dataSize?: DataSizeContext;
  /** Syncs per second times this, the users unchanged (a state of the rig's sync population; default 1). */
  syncRateScale?: number;
  /**
   * The rig's syncs in flight are a state of their population (predictRun mixes over it,
   * population-mixture.ts): the chains' count is held at the state's mean instead of spread by the
   * syncs' durations (cpu.ts cpuQueues), so the spread is not counted twice. Default false.
   */
  populationState?: boolean;
  /**
   * On the rig with a congestion cost (db-congestion.ts): `collapsed` builds the queues with every
   * pooled connection busy (the pool's collapsed state, metastable-load.ts) instead of at the lowest
   * fixed point from none busy (`calm`, the default).
   */
  poolState?: 'calm' | 'collapsed';
}

/** The rig's congestion cost at the solved busy connections (db-congestion.ts), for the pool's source line; '' without. */
function congestionNote(q: ModelQueues): string {
  const c = q.calibration.cpu?.dbCongestion;
  if (!c || q.congestion === undefined) return '';
  const { busyConnections, databaseCores, factor } = q.congestion;
  return `; the database's CPU per statement × ${factor.toFixed(3)} at ${busyConnections.toFixed(2)} busy connections on ${databaseCores} core(s) (1 + ${c.perBusyConnection} per busy connection past the cores: ${c.source})`;
}

/** Each prediction's endpoint latencies as distributions (population-mixture.ts mixes them over states). */
const latenciesOf = new WeakMap<Prediction, Record<string, Latency>>();

/**
 * The latency distribution of each endpoint of an analytic prediction whose p95 it gives (left out:
 * endpoints bounded by a timeout or unbounded, and the composite sync); undefined for other predictions.
 */
export function endpointLatencies(p: Prediction): Record<string, Latency> | undefined {
  return latenciesOf.get(p);
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

/** A measured base latency (log-normal from its median and p95) with queue waits added. */
function measuredLatency(
  base: { medianMs: number; p95Ms: number },
  waits: Array<{ probability: number; meanMs: number }>,
): Latency {
  const ln = logNormalFromMedianP95(base.medianMs, base.p95Ms);
  const m = logNormalMean(ln);
  return latency(0, waits, m, logNormalVariance(ln) / (m * m));
}

/**
 * The push as its two paths on the rig (push-paths.ts): an empty batch (its own base latency, its
 * request's CPU waits, no statement, connection or result pass) or, with probability `rowShare` (the
 * scenario's: the profile's change share), a batch with a row (its base latency, the wait for a
 * connection, the statements of all pushes on it, one result pass); the latency is their mixture.
 */
function pushPathsLatency(q: ModelQueues, cal: Calibration, kind: string, rowShare: number): Latency {
  // The push's statements per request are the fit runs' own, so a push with a row carries them over
  // the share that carried one there (not the scenario's probability, which the runs sampled).
  const fitShare = cal.batchShare![PUSH_PATHS.rows]!.share;
  const empty = baseLatencyAt(cal, PUSH_PATHS.empty, q.requestsPerSecond)!;
  const rows = baseLatencyAt(cal, PUSH_PATHS.rows, q.requestsPerSecond)!;
  const emptyLatency = measuredLatency(empty, cpuWaitsOf(q.cpus, cal, kind, 0, kind, 0));
  const poolWait = q.pool.saturated
    ? []
    : [{ probability: q.pool.probabilityOfWaiting, meanMs: q.pool.conditionalWaitMs ?? 0 }];
  const rowsLatency = measuredLatency(rows, [
    ...poolWait,
    ...cpuWaitsOf(q.cpus, cal, kind, fitShare > 0 ? 1 / fitShare : 0, kind, 1),
  ]);
  return latencyMixture(emptyLatency, rowShare, rowsLatency);
}

function statementOutcome(
  policy: Policy,
  q: ModelQueues,
  cal: Calibration,
  kind: string,
  overheadMs: number,
  connectionShare = 1,
  pushRowShare: number | null = null,
): StatementOutcome {
  const d = demandOf(cal, kind);
  const waits = [];
  // Only the requests that take a connection can wait for one (connectionShareOf).
  if (!q.pool.saturated)
    waits.push({
      probability: q.pool.probabilityOfWaiting * connectionShare,
      meanMs: q.pool.conditionalWaitMs ?? 0,
    });
  // One statement; a REST request's own app-tier CPU is on its path too (/api/message adds its once).
  waits.push(...cpuWaitsOf(q.cpus, cal, kind, 1, kind === ENDPOINTS.message ? null : kind));
  // Calibrated: the measured uncontended latency distribution; else a constant overhead plus the statement.
  const base = pushRowShare !== null ? null : baseLatencyAt(cal, kind, q.requestsPerSecond);
  let lat: Latency;
  if (pushRowShare !== null) lat = pushPathsLatency(q, cal, kind, pushRowShare);
  else if (base) lat = measuredLatency(base, waits);
  else lat = latency(overheadMs + cal.connectionOverheadMs, waits, d.meanMs, d.scv);
  const acquire = policy.database.acquireTimeoutMs;
  const stmt = policy.database.statementTimeoutMs;
  // Timeouts in a stable queue: the wait for a connection beyond acquireTimeoutMs (503), and the
  // statement (CPU wait + execution) beyond statement_timeout.
  let timeout = q.pool.saturated ? 0 : waitSurvival(q.pool, acquire) * connectionShare;
  if (stmt !== null && !q.cpu.saturated) {
    const w = statementCpuWait(q.cpus, (d.meanMs - (d.ioMs ?? 0)) * (q.cpus.atLoad ?? cal).cpuShareOfDbTime);
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

/**
 * How much of a prediction to compute: `full`, or `rule`, only what the decision rule reads (its
 * resources, p95s and error share) for searches that keep the verdict alone: medians are NaN and the
 * share over statement_timeout 0.
 */
export type PredictionDetail = 'full' | 'rule';

/** Prediction of one policy at one number of users with the closed-form model (cost left to the caller). */
export function predictAnalytic(
  profile: Profile,
  policy: Policy,
  users: number,
  context: ModelContext,
  detail: PredictionDetail = 'full',
): Prediction {
  // The demands at the data these users hold (unchanged without a data-size carry).
  const ctx = contextAtUsers(context, users, detail);
  const full = detail === 'full';
  const median = (l: Latency): number => (full ? latencyQuantile(l, 0.5) : Number.NaN);
  const workload = workloadAt(
    profile,
    policy,
    users,
    ctx.syncRateScale === undefined ? {} : { syncRateScale: ctx.syncRateScale },
  );
  const rateLimits = rateLimitOutcomes(policy, workload, messagesPerMinuteByTierOf(profile), ctx.abuse);
  const admitted = rateLimits.reduce((s, r) => s + r.admittedRate, 0);
  const q = buildQueues(policy, workload, ctx, admitted);
  // The calibration at this load (on the rig, the database's CPU at its solved busy connections).
  const cal = q.calibration;
  const defaultSource = (kind: string): string => demandOf(cal, kind).source;
  const resources = [
    resource(
      'db.pool',
      q.pool,
      `connection hold = ${cal.connectionOverheadMs} ms + CPU wait + statement time (${defaultSource('default')})${congestionNote(q)}`,
    ),
    resource(
      'upstream.sockets',
      q.upstream,
      `policy ${policy.name}: language-model latency median ${q.upstreamLatency.median} ms, p95 ${q.upstreamLatency.p95} ms (log-normal, mean ${q.upstreamLatency.meanMs.toFixed(0)} ms)`,
    ),
    ...cpuResources(q.cpus, cal),
    ...diskResources(cal, q.statementRates, ctx.dataSize?.memory),
    ...llmResources(rateLimits, ctx.llm),
  ];

  const endpoints: EndpointPrediction[] = [];
  const outcomes: Record<string, StatementOutcome> = {};
  for (const kind of SYNC_ENDPOINTS) {
    const o = statementOutcome(
      policy,
      q,
      cal,
      kind,
      overheadOf(cal, kind),
      connectionShareOf(cal, ctx, kind),
      // The share of pushes with a row is the probability the scenario sends one with (the profile's
      // change share, scripts/run/plan.ts PUSH_SHARE), not the fit runs' count of it: a count off by
      // one point moves the p95 on the gap between the paths by 15-30 %.
      kind === ENDPOINTS.push && ctx.placement?.kind === 'rig' && hasPushPaths(cal)
        ? profile.changeSharePer30s
        : null,
    );
    outcomes[kind] = o;
    endpoints.push({
      endpoint: kind,
      ratePerSecond: workload.requestsPerSecondByEndpoint[kind] ?? 0,
      p50Ms: o.unbounded ? null : o.boundedP95Ms !== null ? o.boundedP95Ms : median(o.latency),
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
    p50Ms: syncUnbounded
      ? null
      : syncBounded
        ? syncBoundedMs
        : full
          ? sumQuantile(syncTerms, 0.5)
          : Number.NaN,
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
    p50Ms: msgUnbounded ? null : median(msgLatency),
    p95Ms: msgUnbounded ? null : latencyQuantile(msgLatency, 0.95),
    meanMs: msgUnbounded ? null : latencyMean(msgLatency),
    errorShare: 1 - (1 - legitRejected) * msgServedOk,
    rateLimitedShare: legitRejected,
    timeoutShare: 1 - msgDbOk * (1 - upTimeout),
    ...(msgDb.unbounded
      ? {}
      : {
          outsideUpstreamMeanMs:
            latencyMean(msgLatency) -
            q.upstreamLatency.meanMs -
            (q.upstream.saturated
              ? 0
              : q.upstream.probabilityOfWaiting * (q.upstream.conditionalWaitMs ?? 0)),
        }),
  });

  // Request-weighted shares over individual requests (the sync line is a composite, not counted twice).
  const counted = endpoints.filter((e) => e.endpoint !== 'sync');
  const total = counted.reduce((s, e) => s + e.ratePerSecond, 0);
  const share = (pick: (e: EndpointPrediction) => number): number =>
    total > 0 ? counted.reduce((s, e) => s + e.ratePerSecond * pick(e), 0) / total : 0;
  const errorShare = share((e) => e.errorShare);
  const stmt = policy.database.statementTimeoutMs;
  const overStmt = !full
    ? 0
    : stmt === null || q.cpu.saturated
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
  const out: Prediction = {
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
  const latencies: Record<string, Latency> = {};
  for (const kind of SYNC_ENDPOINTS) {
    const o = outcomes[kind]!;
    if (!o.unbounded && o.boundedP95Ms === null) latencies[kind] = o.latency;
  }
  if (!msgUnbounded) latencies[ENDPOINTS.message] = msgLatency;
  latenciesOf.set(out, latencies);
  return out;
}
