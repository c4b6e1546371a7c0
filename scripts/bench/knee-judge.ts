import type { RunRecord } from '../../core/run-record.ts';
import type { ValidationLevel } from '../../simulator/index.ts';

// The goals of `npm run bench:knee` (issue 12, done-when), as pure functions of measured and predicted
// levels: below the knee the model must match, past it the measurement must show saturation, and the
// bottleneck the model names must be the resource measured busiest there.

/** p95 of every endpoint within this relative error below the knee. */
export const P95_TOLERANCE = 0.25;
/** Throughput within this relative error below the knee. */
export const THROUGHPUT_TOLERANCE = 0.03;
/** Past the knee: achieved this far short of offered, or ... */
export const SHORTFALL_FOR_SATURATION = 0.03;
/** ... the named bottleneck at least this busy, counts as saturated. */
export const BUSY_FOR_SATURATION = 0.9;
/** Fractions of the predicted knee the bench runs at; the goals apply to the first three and to 1.1. */
export const KNEE_FRACTIONS = [0.6, 0.8, 0.9, 1.1, 1.3] as const;

/** Servers of each measured resource on a run: pool size, sockets, host cores, one event-loop thread. */
export interface Servers {
  'db.pool': number;
  'upstream.sockets': number;
  'host.cpu': number;
  'app.loop': number;
}

/** One line of the verdict: what was checked, PASS or FAIL. */
export interface Check {
  what: string;
  pass: boolean;
}

function rel(predicted: number | null | undefined, measured: number | null | undefined): number | null {
  if (predicted === null || predicted === undefined || measured === null || measured === undefined)
    return null;
  return measured > 0 ? (predicted - measured) / measured : null;
}

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** Below the knee: throughput within 3 % and every measured endpoint's p95 within 25 %. */
export function belowKneeChecks(level: ValidationLevel): Check[] {
  const t = rel(level.predicted.throughput, level.measured.throughput);
  const checks: Check[] = [
    {
      what: `throughput ${level.measured.throughput.toFixed(2)} measured, ${level.predicted.throughput.toFixed(2)} predicted (${pct(t)})`,
      pass: t !== null && Math.abs(t) <= THROUGHPUT_TOLERANCE,
    },
  ];
  for (const [endpoint, m] of Object.entries(level.measured.p95Ms)) {
    if (endpoint === 'healthz' || m === null) continue;
    const p = level.predicted.p95Ms[endpoint];
    const e = rel(p, m);
    checks.push({
      what: `p95 ${endpoint} ${m.toFixed(2)} ms measured, ${p === null || p === undefined ? 'unbounded' : p.toFixed(2)} predicted (${pct(e)})`,
      pass: e !== null && Math.abs(e) <= P95_TOLERANCE,
    });
  }
  return checks;
}

/** Measured busy share of each resource the run measured (busy servers over servers). */
export function measuredShares(level: ValidationLevel, servers: Servers): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [r, busy] of Object.entries(level.measured.busy)) {
    const n = servers[r as keyof Servers];
    if (n > 0) out[r] = busy / n;
  }
  return out;
}

/**
 * Iterations per second a run completed but failed (an error answer is not achieved throughput: the
 * target sheds its excess with 503s once its in-flight bound is reached, and k6 counts those
 * iterations as done). One /api/message or /healthz request is one iteration, so their errors count
 * one each; a sync's requests are several, so its failed syncs are counted at their fewest (every
 * request of a failed sync failing): sync-request errors over requests per sync.
 */
export function failedIterationsPerSecond(record: RunRecord): number {
  const seconds = Math.max(1e-9, record.durationSeconds);
  const perSync = record.sync?.requestsPerSync ?? 0;
  let single = 0;
  let sync = 0;
  for (const [e, s] of Object.entries(record.endpoints)) {
    const errors = s.count * s.errorRate;
    if (e.startsWith('rest.')) sync += errors;
    else single += errors;
  }
  return (single + (perSync > 0 ? sync / perSync : 0)) / seconds;
}

/**
 * Past the knee (1.1K): saturation measured (achieved, less failed iterations, 3 % or more short of
 * offered, or the named bottleneck 90 % or more busy), and the named bottleneck the busiest measured
 * resource.
 */
export function pastKneeChecks(
  level: ValidationLevel,
  offered: number,
  bottleneck: string | null,
  servers: Servers,
  failedPerSecond = 0,
): Check[] {
  const shares = measuredShares(level, servers);
  const served = level.measured.throughput - failedPerSecond;
  const shortfall = offered > 0 ? 1 - served / offered : 0;
  const named = bottleneck === null ? undefined : shares[bottleneck];
  const busiest = Object.entries(shares).sort((a, b) => b[1] - a[1])[0];
  const list = Object.entries(shares)
    .map(([r, s]) => `${r} ${(s * 100).toFixed(0)}%`)
    .join(', ');
  return [
    {
      what: `saturated: achieved ${level.measured.throughput.toFixed(2)}${failedPerSecond > 0 ? ` (${failedPerSecond.toFixed(2)} of them failed)` : ''} of ${offered.toFixed(2)} offered (${(shortfall * 100).toFixed(1)}% short), ${bottleneck ?? 'no bottleneck'} ${named === undefined ? 'not measured' : `${(named * 100).toFixed(0)}% busy`}`,
      pass: shortfall >= SHORTFALL_FOR_SATURATION || (named !== undefined && named >= BUSY_FOR_SATURATION),
    },
    {
      what: `bottleneck named ${bottleneck ?? 'none'}, busiest measured ${busiest ? busiest[0] : 'none'} (${list})`,
      pass: busiest !== undefined && busiest[0] === bottleneck,
    },
  ];
}
