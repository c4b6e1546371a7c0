import type { Policy } from '../../core/policy.ts';
import type { Profile } from '../../core/profile.ts';
import type { ModelContext } from '../analytic.ts';
import { cpuSaturation } from '../cpu.ts';
import { contextAtUsers } from '../data-size-context.ts';
import { diskResources } from '../disk-resource.ts';
import { llmResources } from '../llm.ts';
import { buildQueues, cpuResources } from '../model-queues.ts';
import type { EndpointPrediction, Prediction, ResourcePrediction } from '../prediction.ts';
import { rateLimitOutcomes } from '../rate-limit.ts';
import { extrapolation, verdictOf } from '../verdict-inputs.ts';
import { ENDPOINTS, messagesPerMinuteByTierOf, SYNC_ENDPOINTS, workloadAt } from '../workload.ts';
import type { DesOptions } from './des-config.ts';
import { desConfigFor, POOL, UPSTREAM } from './des-config.ts';
import type { DesResult } from './engine.ts';
import { runDes } from './engine.ts';
import { POISSON } from './patterns.ts';

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
  context: ModelContext,
  options: Partial<DesOptions> = {},
): Prediction {
  // The demands at the data these users hold (unchanged without a data-size carry).
  const ctx = contextAtUsers(context, users);
  const opts: DesOptions = {
    seed: options.seed ?? 1,
    durationSeconds: options.durationSeconds ?? 120,
    warmupSeconds: options.warmupSeconds ?? 20,
    pattern: options.pattern ?? POISSON,
    sampleEverySeconds: options.sampleEverySeconds ?? 1,
  };
  const workload = workloadAt(profile, policy, users);
  const rateLimits = rateLimitOutcomes(policy, workload, messagesPerMinuteByTierOf(profile), ctx.abuse);
  const admitted = rateLimits.reduce((s, r) => s + r.admittedRate, 0);
  // The CPU is not a DES resource: its queue is computed analytically and its mean wait joins each hold.
  const q = buildQueues(policy, workload, ctx, admitted);
  // The calibration at this load (on the rig, the database's CPU at its solved busy connections).
  const cal = q.calibration;
  const config = desConfigFor(policy, workload, { ...ctx, calibration: cal }, admitted, opts, q.cpus);
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
    ...diskResources(cal, q.statementRates, ctx.dataSize?.memory),
    ...llmResources(rateLimits, ctx.llm),
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
            `${q.cpus.db?.saturated ? `database CPU (its ${q.cpus.db.servers} core(s) on the rig) saturated (${(q.cpus.db.utilisation * 100).toFixed(0)}%)` : `${q.cpus.cpuName === 'host.cpu' ? 'host' : 'database'} CPU saturated (${(q.cpu.utilisation * 100).toFixed(0)}%)`}: DES latencies exclude the CPU queue; errors include its excess`,
          ]
        : []),
    ],
  };
}
