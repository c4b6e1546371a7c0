import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import { ACTIVITY_CLASSES } from '../../core/profile.ts';
import type { ModelContext } from '../analytic.ts';
import { buildQueues, cpuResources, demandOf, extrapolation, overheadOf, verdictOf } from '../analytic.ts';
import { baseLatencyAt } from '../base-latency.ts';
import type { CpuQueues, CpuWait } from '../cpu.ts';
import { cpuSaturation, cpuWaitsOf, statementCpuWaitMs } from '../cpu.ts';
import { logNormalFromMeanScv, logNormalFromMedianP95 } from '../distributions.ts';
import type { EndpointPrediction, Prediction, ResourcePrediction } from '../prediction.ts';
import { rateLimitOutcomes } from '../rate-limit.ts';
import type { Workload } from '../workload.ts';
import { ENDPOINTS, QUERIES_PER_MESSAGE, SYNC_ENDPOINTS, workloadAt } from '../workload.ts';
import type { DesArrivals, DesConfig, DesJob, DesResult, DesStep, HoldDistribution } from './engine.ts';
import { runDes } from './engine.ts';
import type { DesPattern } from './patterns.ts';
import { POISSON } from './patterns.ts';

/** DES run options of one prediction. */
export interface DesOptions {
  seed: number;
  durationSeconds: number;
  warmupSeconds: number;
  pattern: DesPattern;
  sampleEverySeconds: number;
}

const POOL = 0;
const UPSTREAM = 1;

function holdOf(meanMs: number, scv: number): HoldDistribution {
  if (scv === 0) return { kind: 'constant', ms: meanMs };
  if (scv === 1) return { kind: 'exponential', meanMs };
  const ln = logNormalFromMeanScv(meanMs, scv);
  return { kind: 'lognormal', mu: ln.mu, sigma: ln.sigma };
}

/** Several exponential waits merged into one as the analytical latency does: 1 − Π(1 − p), same mean. */
function merged(waits: CpuWait[]): { probability: number; meanMs: number; totalMeanMs: number } {
  const p = 1 - waits.reduce((s, w) => s * (1 - w.probability), 1);
  const total = waits.reduce((s, w) => s + w.probability * w.meanMs, 0);
  return { probability: p, meanMs: p > 0 ? total / p : 0, totalMeanMs: total };
}

/**
 * The DES configuration of a workload under a policy: pool and upstream resources, sync and message
 * jobs. `cpus` (the analytical CPU queues at this load): the CPU is not a DES resource; a statement's
 * mean CPU wait joins its connection hold, and a request's CPU waits join its latency, as in the
 * analytical model.
 */
export function desConfigFor(
  policy: Policy,
  workload: Workload,
  ctx: ModelContext,
  admittedMessagesPerSecond: number,
  options: DesOptions,
  cpus?: CpuQueues,
): DesConfig {
  const cal = ctx.calibration;
  const stmt = policy.database.statementTimeoutMs;
  const fixedOf = (kind: string): number =>
    cal.connectionOverheadMs + (cpus ? statementCpuWaitMs(cpus, cal, kind) : 0);
  const request = (
    kind: string,
    repeat: number,
    probability: number,
    overheadMs: number,
    appEndpoint: string | null = kind,
  ): DesStep => {
    const d = demandOf(cal, kind);
    const fixedMs = fixedOf(kind);
    const mean = fixedMs + d.meanMs;
    // The connection overhead is constant: the hold keeps the statement's variance, not its scv.
    const scv = d.scv === 1 && fixedMs === 0 ? 1 : (d.scv * d.meanMs * d.meanMs) / (mean * mean);
    const waits = merged(cpus ? cpuWaitsOf(cpus, cal, kind, 1, appEndpoint) : []);
    const step: DesStep = {
      resource: POOL,
      endpoint: kind,
      hold: holdOf(mean, scv),
      // Without a measured latency: overhead + hold, the hold carrying the statement's CPU wait; the
      // rest of the request's CPU wait (the app tier's) is added as its mean.
      overheadMs: overheadMs + Math.max(0, waits.totalMeanMs - (fixedMs - cal.connectionOverheadMs)),
      repeat,
      probability,
      timeoutMs: stmt,
    };
    // Calibrated: the measured latency (log-normal from median and p95) plus the CPU waits, drawn per
    // request, as the analytical model composes them.
    const base = baseLatencyAt(cal, kind, workload.requestsPerSecond);
    if (base) {
      const ln = logNormalFromMedianP95(base.medianMs, base.p95Ms);
      step.overheadMs = 0;
      step.latency = {
        base: { kind: 'lognormal', mu: ln.mu, sigma: ln.sigma },
        waitProbability: waits.probability,
        waitMeanMs: waits.meanMs,
      };
    }
    return step;
  };
  const granularity = options.pattern.granularity ?? 'request';
  const jobs: DesJob[] = [];
  const arrivals: DesArrivals[] = [];
  const jitter = options.pattern.jitter ?? policy.sync.jitter;
  for (const cls of ACTIVITY_CLASSES) {
    const cost = workload.syncCostByClass[cls];
    const rate = workload.syncsPerSecondByClass[cls];
    if (rate <= 0) continue;
    const messages = cost.requestsByEndpoint[ENDPOINTS.messages] ?? 0;
    const full = workload.syncMode === 'full';
    let steps: DesStep[];
    if (granularity === 'request') {
      steps = [
        request(ENDPOINTS.conversations, 1, 1, overheadOf(cal, ENDPOINTS.conversations)),
        // Full: one messages request per conversation; delta: one if anything changed.
        full
          ? request(ENDPOINTS.messages, Math.round(messages), 1, overheadOf(cal, ENDPOINTS.messages))
          : request(ENDPOINTS.messages, 1, messages, overheadOf(cal, ENDPOINTS.messages)),
        request(
          ENDPOINTS.push,
          Math.round(cost.requestsByEndpoint[ENDPOINTS.push] ?? 1),
          1,
          overheadOf(cal, ENDPOINTS.push),
        ),
      ];
    } else {
      // One hold for the whole sync: same connection-seconds, one event pair per sync.
      let mean = 0;
      let variance = 0;
      let overhead = 0;
      for (const [kind, count] of Object.entries(cost.requestsByEndpoint)) {
        const d = demandOf(cal, kind);
        mean += count * (fixedOf(kind) + d.meanMs);
        variance += count * d.scv * d.meanMs * d.meanMs;
        overhead += count * overheadOf(cal, kind);
      }
      steps = [
        {
          resource: POOL,
          endpoint: 'sync.db',
          hold: holdOf(mean, mean > 0 ? variance / (mean * mean) : 0),
          overheadMs: overhead,
          repeat: 1,
          probability: 1,
          timeoutMs: null,
        },
      ];
    }
    const job = jobs.push({ name: `sync.${cls}`, overheadMs: 0, steps }) - 1;
    if (options.pattern.arrivals === 'timers') {
      arrivals.push({
        kind: 'timers',
        job,
        users: Math.round(workload.syncingByClass[cls]),
        periodSeconds: cost.intervalSeconds,
        jitter,
        spreadSeconds: options.pattern.spreadSeconds ?? 0,
      });
    } else {
      arrivals.push({
        kind: 'poisson',
        job,
        ratePerSecond: rate,
        ...(options.pattern.diurnal ? { diurnal: options.pattern.diurnal } : {}),
      });
    }
  }
  if (admittedMessagesPerSecond > 0) {
    const up = logNormalFromMedianP95(policy.upstream.latencyMs.median, policy.upstream.latencyMs.p95);
    const socketTimeout = policy.upstream.socketTimeoutMs;
    const dbSteps =
      granularity === 'request'
        ? [request(ENDPOINTS.message, QUERIES_PER_MESSAGE, 1, 0, null)]
        : [
            {
              ...request(ENDPOINTS.message, 1, 1, 0, null),
              hold: holdOf(
                QUERIES_PER_MESSAGE * (fixedOf(ENDPOINTS.message) + demandOf(cal, ENDPOINTS.message).meanMs),
                demandOf(cal, ENDPOINTS.message).scv / QUERIES_PER_MESSAGE,
              ),
            },
          ];
    const job =
      jobs.push({
        name: ENDPOINTS.message,
        // The request's own app-tier CPU wait (mean), once per message.
        overheadMs:
          overheadOf(cal, ENDPOINTS.message) +
          (cpus ? merged(cpuWaitsOf(cpus, cal, ENDPOINTS.message, 0, ENDPOINTS.message)).totalMeanMs : 0),
        steps: [
          ...dbSteps.map((s) => ({ ...s, endpoint: 'api.message.db' })),
          {
            resource: UPSTREAM,
            endpoint: 'upstream',
            hold: { kind: 'lognormal', mu: up.mu, sigma: up.sigma },
            overheadMs: 0,
            repeat: 1,
            probability: 1,
            timeoutMs: socketTimeout,
          },
        ],
      }) - 1;
    arrivals.push({
      kind: 'poisson',
      job,
      ratePerSecond: admittedMessagesPerSecond,
      ...(options.pattern.diurnal ? { diurnal: options.pattern.diurnal } : {}),
    });
  }
  return {
    resources: [
      {
        name: 'db.pool',
        servers: policy.database.poolSize,
        queueTimeoutMs: policy.database.acquireTimeoutMs,
      },
      { name: 'upstream.sockets', servers: policy.upstream.maxSockets, queueTimeoutMs: null },
    ],
    jobs,
    arrivals,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    seed: options.seed,
    sampleEverySeconds: options.sampleEverySeconds,
  };
}

/** Merges the latency stats of several job kinds (sync classes) weighted by count; percentiles by max (conservative). */
function mergeJobs(
  result: DesResult,
  prefix: string,
): { count: number; errors: number; rate: number; mean: number; p50: number; p95: number } {
  const parts = Object.entries(result.jobs)
    .filter(([name]) => name.startsWith(prefix))
    .map(([, s]) => s);
  const count = parts.reduce((s, p) => s + p.count, 0);
  const errors = parts.reduce((s, p) => s + p.errors, 0);
  const rate = parts.reduce((s, p) => s + p.ratePerSecond, 0);
  const w = (pick: (p: (typeof parts)[number]) => number): number =>
    count > 0 ? parts.reduce((s, p) => s + p.count * pick(p), 0) / count : 0;
  return {
    count,
    errors,
    rate,
    mean: w((p) => p.meanMs),
    p50: w((p) => p.p50Ms),
    p95: Math.max(0, ...parts.map((p) => p.p95Ms)),
  };
}

/** Prediction of one policy at one number of users from a discrete-event simulation. */
export function predictDes(
  profile: Profile,
  policy: Policy,
  users: number,
  ctx: ModelContext,
  options: Partial<DesOptions> = {},
): Prediction {
  const opts: DesOptions = {
    seed: options.seed ?? 1,
    durationSeconds: options.durationSeconds ?? 120,
    warmupSeconds: options.warmupSeconds ?? 20,
    pattern: options.pattern ?? POISSON,
    sampleEverySeconds: options.sampleEverySeconds ?? 1,
  };
  const cal = ctx.calibration;
  const workload = workloadAt(profile, policy, users);
  const rateLimits = rateLimitOutcomes(policy, workload, profile.messagesPerUserPerMinute, ctx.abuse);
  const admitted = rateLimits.reduce((s, r) => s + r.admittedRate, 0);
  // The CPU is not a DES resource: its queue is computed analytically and its mean wait joins each hold.
  const q = buildQueues(policy, workload, ctx, admitted);
  const config = desConfigFor(policy, workload, ctx, admitted, opts, q.cpus);
  const result = runDes(config);
  const fromDes = (i: number, name: 'db.pool' | 'upstream.sockets', source: string): ResourcePrediction => {
    const r = result.resources[i]!;
    const saturated = r.utilisation >= 0.999 || result.truncated;
    return {
      name,
      servers: r.servers,
      arrivalRate: r.arrivalRate,
      serviceTimeMs: r.meanHoldMs,
      offeredLoad: (r.arrivalRate * r.meanHoldMs) / 1000,
      utilisation: (r.arrivalRate * r.meanHoldMs) / 1000 / r.servers,
      probabilityOfWaiting: r.probabilityOfWaiting,
      meanWaitMs: r.meanWaitMs,
      p95WaitMs: r.p95WaitMs,
      saturated,
      capacityPerSecond: r.meanHoldMs > 0 ? (r.servers * 1000) / r.meanHoldMs : Number.POSITIVE_INFINITY,
      serviceTimeSource: source,
    };
  };
  const resources: ResourcePrediction[] = [
    fromDes(
      POOL,
      'db.pool',
      `DES (seed ${opts.seed}, ${opts.durationSeconds} s, ${opts.pattern.arrivals}${opts.pattern.arrivals === 'timers' ? `, jitter ${opts.pattern.jitter ?? policy.sync.jitter}` : ''})`,
    ),
    fromDes(UPSTREAM, 'upstream.sockets', `DES, policy ${policy.name} upstream latency`),
    ...cpuResources(q.cpus, cal).map((r) => ({
      ...r,
      serviceTimeSource: `${r.serviceTimeSource}; analytical (the DES does not queue for CPU)`,
    })),
  ];
  const endpoints: EndpointPrediction[] = [];
  for (const kind of SYNC_ENDPOINTS) {
    const s = result.endpoints[kind];
    if (!s) continue;
    const n = s.count + s.errors;
    endpoints.push({
      endpoint: kind,
      ratePerSecond: s.ratePerSecond,
      p50Ms: s.p50Ms,
      p95Ms: s.p95Ms,
      meanMs: s.meanMs,
      errorShare: n > 0 ? s.errors / n : 0,
      rateLimitedShare: 0,
      timeoutShare: n > 0 ? s.errors / n : 0,
    });
  }
  const sync = mergeJobs(result, 'sync.');
  const syncN = sync.count + sync.errors;
  endpoints.push({
    endpoint: 'sync',
    ratePerSecond: sync.rate,
    p50Ms: sync.p50,
    p95Ms: sync.p95,
    meanMs: sync.mean,
    errorShare: syncN > 0 ? sync.errors / syncN : 0,
    rateLimitedShare: 0,
    timeoutShare: syncN > 0 ? sync.errors / syncN : 0,
  });
  const msg = result.jobs[ENDPOINTS.message];
  const legit = rateLimits.reduce((s, r) => s + r.legitimateRate, 0);
  const legitRejected =
    legit > 0 ? rateLimits.reduce((s, r) => s + r.legitimateRate * r.legitimateRejectedShare, 0) / legit : 0;
  if (msg) {
    const n = msg.count + msg.errors;
    const failed = n > 0 ? msg.errors / n : 0;
    endpoints.push({
      endpoint: ENDPOINTS.message,
      // Measured: admitted messages per second (rate-limited ones never reach the DES).
      ratePerSecond: msg.ratePerSecond,
      p50Ms: msg.p50Ms,
      p95Ms: msg.p95Ms,
      meanMs: msg.meanMs,
      errorShare: 1 - (1 - legitRejected) * (1 - failed),
      rateLimitedShare: legitRejected,
      timeoutShare: failed,
    });
  }
  const cpuSat = cpuSaturation(q.cpus);
  if (cpuSat.saturated) {
    // Without a CPU queue the DES cannot show this; the analytical excess stands in for it.
    for (const e of endpoints) {
      e.errorShare = 1 - (1 - e.errorShare) * (1 - cpuSat.excessShare);
      e.timeoutShare = 1 - (1 - e.timeoutShare) * (1 - cpuSat.excessShare);
    }
  }
  if (result.truncated || (cpuSat.saturated && policy.database.statementTimeoutMs === null)) {
    for (const e of endpoints) {
      e.p50Ms = null;
      e.p95Ms = null;
      e.meanMs = null;
    }
  }
  const counted = endpoints.filter((e) => e.endpoint !== 'sync');
  const total = counted.reduce((s, e) => s + e.ratePerSecond, 0);
  const share = (pick: (e: EndpointPrediction) => number): number =>
    total > 0 ? counted.reduce((s, e) => s + e.ratePerSecond * pick(e), 0) / total : 0;
  const errorShare = share((e) => e.errorShare);
  const poolStats = result.resources[POOL]!;
  return {
    users,
    profile: profile.name,
    policy: policy.name,
    mode: 'des',
    workload,
    resources,
    endpoints,
    rateLimits,
    errorShare,
    rateLimitedShare: share((e) => e.rateLimitedShare),
    timeoutShare: share((e) => e.timeoutShare),
    overStatementTimeoutShare:
      poolStats.arrivalRate > 0
        ? poolStats.holdTimeouts / (poolStats.arrivalRate * result.measuredSeconds)
        : 0,
    cost: null,
    cheapest: null,
    verdict: verdictOf(resources, endpoints, errorShare, ctx.targets, users),
    calibrated: cal.calibrated,
    extrapolation: extrapolation(cal, workload.queriesPerSecond),
    series: result.series,
    assumptions: [
      ...cal.notes,
      `DES: ${result.events} events over ${result.simulatedSeconds} simulated s (first ${opts.warmupSeconds} s discarded)${result.truncated ? '; TRUNCATED: the queue ran away (saturated)' : ''}`,
      ...(cpuSat.saturated
        ? [
            `${q.cpus.cpuName === 'host.cpu' ? 'host' : 'database'} CPU saturated (${(q.cpu.utilisation * 100).toFixed(0)}%): DES latencies exclude the CPU queue; errors include its excess`,
          ]
        : []),
    ],
  };
}
