import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { sum } from 'simple-statistics';
import type { SeriesSample } from '../../core/run-record.ts';
import type { CounterSnapshot, ServerSample } from '../collector/collector.ts';
import type { MergedK6 } from '../k6/aggregate.ts';

// Pure helpers that shape a run record's parts from what k6 and the collector measured.

/** The machine the run happened on. */
export function machineInfo(): { cores: number; memoryBytes: number; cpuModel: string } {
  const list = cpus();
  return { cores: Math.max(1, list.length), memoryBytes: totalmem(), cpuModel: list[0]?.model ?? 'unknown' };
}

/** The git commit of the harness and whether the tree had changes (null outside a repository). */
export function gitInfo(cwd: string): { commit: string | null; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: false };
  }
}

/** A second's loop delay in the series' shape (ms beyond the monitor's timer), or null. */
function loopDelayOfSecond(
  s: ServerSample | undefined,
): { mean: number; p90: number; p99: number; max: number } | null {
  const d = s?.loopDelay;
  return d ? { mean: d.meanMs, p90: d.p90Ms, p99: d.p99Ms, max: d.maxMs } : null;
}

/**
 * Joins k6's per-second view and the collector's samples on seconds since `originMs`. Server seconds
 * without a sample stay null; 429s per second are differences of the target's cumulative counter.
 */
export function buildSeries(
  client: MergedK6['series'],
  server: ServerSample[],
  originMs: number,
): SeriesSample[] {
  const bySecond = new Map<number, ServerSample>();
  const limited = new Map<number, number>();
  const gcMs = new Map<number, number>();
  let previous: number | null = null;
  let previousGc: number | null = null;
  for (const s of server) {
    const t = Math.floor((s.atMs - originMs) / 1000);
    if (s.rateLimitedTotal !== null) {
      if (previous !== null && t >= 0)
        limited.set(t, (limited.get(t) ?? 0) + Math.max(0, s.rateLimitedTotal - previous));
      previous = s.rateLimitedTotal;
    }
    if (s.gc) {
      const total = sum(Object.values(s.gc).map((k) => k.seconds));
      if (previousGc !== null && t >= 0)
        gcMs.set(t, (gcMs.get(t) ?? 0) + Math.max(0, total - previousGc) * 1000);
      previousGc = total;
    }
    if (t >= 0) bySecond.set(t, s);
  }
  const hasLoopDelay = server.some((x) => x.loopDelay);
  const seconds = Math.max(client.length, bySecond.size === 0 ? 0 : Math.max(...bySecond.keys()) + 1);
  const out: SeriesSample[] = [];
  for (let t = 0; t < seconds; t++) {
    const c = client[t];
    const s = bySecond.get(t);
    out.push({
      t,
      requests: c?.requests ?? 0,
      endpoints: c?.endpoints ?? {},
      pool: s?.pool ?? null,
      dbConnections: s?.dbConnections ?? null,
      upstream: s?.upstream ?? null,
      rateLimited: s?.rateLimitedTotal === null || s === undefined ? null : (limited.get(t) ?? 0),
      ...(gcMs.size > 0 ? { gcMs: s?.gc ? (gcMs.get(t) ?? 0) : null } : {}),
      ...(hasLoopDelay ? { loopDelayMs: loopDelayOfSecond(s) } : {}),
    });
  }
  return out;
}

/** Query kinds that are not sync work: the /api/message path, injected faults, health checks. */
const NOT_SYNC = /^(message|fault|health)/;

/** Per-kind calls and mean DB time (ms) between two counter snapshots. */
export function queryKindsBetween(
  first: CounterSnapshot | null,
  last: CounterSnapshot | null,
): Record<string, { calls: number; meanMs: number }> {
  if (!first || !last) return {};
  const out: Record<string, { calls: number; meanMs: number }> = {};
  for (const [kind, total] of Object.entries(last.queriesByKind)) {
    const calls = total - (first.queriesByKind[kind] ?? 0);
    if (calls <= 0) continue;
    const seconds = (last.querySecondsByKind[kind] ?? 0) - (first.querySecondsByKind[kind] ?? 0);
    out[kind] = { calls, meanMs: (seconds * 1000) / calls };
  }
  return out;
}

/**
 * Sync statements and their DB time from the target's counters (kinds of the sync path only).
 * /api/message stores the user's message under the same kind as a pushed one (`insert.messages`), so
 * `messageInserts` of them (one per message past the monthly check) are taken off.
 */
export function syncWorkFromCounters(
  kinds: Record<string, { calls: number; meanMs: number }>,
  messageInserts = 0,
): {
  queries: number;
  dbTimeMs: number;
} {
  let queries = 0;
  let dbTimeMs = 0;
  for (const [kind, k] of Object.entries(kinds)) {
    if (NOT_SYNC.test(kind)) continue;
    const calls = kind === 'insert.messages' ? Math.max(0, k.calls - messageInserts) : k.calls;
    queries += calls;
    dbTimeMs += calls * k.meanMs;
  }
  return { queries, dbTimeMs };
}

/**
 * The knee of a ramp: the highest per-second iteration rate reached before the first second whose
 * p95 (any endpoint) passed `p95BudgetMs` or whose error share passed `errorBudget`.
 */
export function kneeOf(
  series: MergedK6['series'],
  p95BudgetMs: number,
  errorBudget: number,
): { iterationsPerSecond: number; requestsPerSecond: number; brokeAtSecond: number | null } {
  let best = { iterationsPerSecond: 0, requestsPerSecond: 0 };
  for (const s of series) {
    const endpoints = Object.values(s.endpoints);
    const errors = endpoints.reduce((n, e) => n + e.errors, 0);
    const broke =
      endpoints.some((e) => e.count >= 5 && e.p95 > p95BudgetMs) ||
      (s.requests >= 5 && errors / s.requests > errorBudget);
    if (broke) return { ...best, brokeAtSecond: s.t };
    if (s.iterations > best.iterationsPerSecond)
      best = { iterationsPerSecond: s.iterations, requestsPerSecond: s.requests };
  }
  return { ...best, brokeAtSecond: null };
}
