import type { LoadedRun } from '../../core/run-record.ts';
import type { MeasuredRun } from './review-types.ts';

/** Scenarios whose load is the open model's steady rate at the run's users: they can confirm or overrule a GO. */
export const STEADY_SCENARIOS: readonly string[] = ['delta-sync', 'full-sync', 'launch-mix', 'rate-limit'];

/** Share a / b, 0 when b is 0. */
function share(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/**
 * The figures the review shows for one run record: rates from its counts and duration, pool usage
 * from its per-second samples, percentiles as the record states them (computed from raw samples).
 */
export function summariseRun(run: LoadedRun): MeasuredRun {
  const r = run.record;
  const duration = r.durationSeconds > 0 ? r.durationSeconds : 1;
  const endpoints = Object.entries(r.endpoints);
  const requests = endpoints.reduce((s, [, e]) => s + e.count, 0);
  const failed = endpoints.reduce((s, [, e]) => s + e.errorRate * e.count, 0);
  const limited = endpoints.reduce((s, [, e]) => s + (e.statuses['429'] ?? 0), 0);
  const syncsPerSecond = r.sync ? r.iterations.rate : null;
  const queryCalls = Object.values(r.queryKinds).reduce((s, q) => s + q.calls, 0);
  const queriesPerSecond =
    queryCalls > 0
      ? queryCalls / duration
      : r.sync && r.sync.queriesPerSync !== null && syncsPerSecond !== null
        ? r.sync.queriesPerSync * syncsPerSecond
        : null;
  const pools = run.series.flatMap((s) => (s.pool ? [s.pool] : []));
  const pool =
    pools.length > 0
      ? {
          size: Math.max(...pools.map((p) => p.total)),
          meanInUse: pools.reduce((s, p) => s + p.inUse, 0) / pools.length,
          maxInUse: Math.max(...pools.map((p) => p.inUse)),
          maxWaiting: Math.max(...pools.map((p) => p.waiting)),
        }
      : null;
  const health = r.endpoints['healthz'];
  return {
    id: r.id,
    dir: run.dir,
    scenario: r.scenario,
    users: r.users,
    policy: r.policy.name,
    startedAt: r.startedAt,
    durationSeconds: r.durationSeconds,
    syncsPerSecond,
    queriesPerSecond,
    queriesPerSync: r.sync?.queriesPerSync ?? null,
    syncMode: r.sync?.mode ?? null,
    requestsPerSecond: requests / duration,
    pool,
    p95ByEndpoint: Object.fromEntries(endpoints.map(([name, e]) => [name, e.p95])),
    errorRate: share(failed, requests),
    rateLimitedRate: share(limited, requests),
    errorRateExcluding429: share(Math.max(0, failed - limited), requests),
    droppedIterations: r.iterations.dropped,
    loadGeneratorSaturated: r.loadGenerator.saturated,
    steadyState: STEADY_SCENARIOS.includes(r.scenario) && !r.faults,
    healthzOk: health && health.count > 0 ? health.errorRate === 0 : null,
    notes: r.notes,
  };
}
