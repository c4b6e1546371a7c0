import type { Policy } from '../../core/policy.ts';
import { ACTIVITY_CLASSES } from '../../core/profile.ts';
import type { ModelContext } from '../analytic.ts';
import { baseLatencyAt } from '../base-latency.ts';
import type { CpuQueues, CpuWait } from '../cpu.ts';
import { cpuWaitsOf, statementCpuWaitMs } from '../cpu.ts';
import { logNormalFromMeanScv, logNormalFromMedianP95 } from '../distributions.ts';
import { demandOf, overheadOf } from '../model-queues.ts';
import type { Workload } from '../workload.ts';
import { ENDPOINTS, QUERIES_PER_MESSAGE } from '../workload.ts';
import type { DesArrivals, DesConfig, DesJob, DesStep, HoldDistribution } from './engine.ts';
import type { DesPattern } from './patterns.ts';

// The DES configuration of one prediction: resources and jobs from the workload, the policy and the
// analytical CPU queues.

/** DES run options of one prediction. */
export interface DesOptions {
  seed: number;
  durationSeconds: number;
  warmupSeconds: number;
  pattern: DesPattern;
  sampleEverySeconds: number;
}

/** Index of the connection pool among the DES resources. */
export const POOL = 0;

/** Index of the upstream sockets among the DES resources. */
export const UPSTREAM = 1;

function holdOf(meanMs: number, scv: number): HoldDistribution {
  if (scv === 0) return { kind: 'constant', ms: meanMs };
  if (scv === 1) return { kind: 'exponential', meanMs };
  const ln = logNormalFromMeanScv(meanMs, scv);
  return { kind: 'lognormal', mu: ln.mu, sigma: ln.sigma };
}

/**
 * Several exponential waits merged into one as the analytical latency does: 1 − Π(1 − p), same mean.
 * The event loop's stall (cpu.ts loopPassWaits), which the analytical latency keeps apart, is merged
 * too: the DES draws one wait a request, so it keeps the stall's mean and not its tail.
 */
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
