import type { RunRecord } from '../../core/run-record.ts';
import type { ValidationLevel } from '../../simulator/index.ts';
import { widerThanTolerance } from './pooled-p95.ts';

// The goals of `npm run bench:knee` (issue 12, done-when), as pure functions of measured and predicted
// levels: below the knee the model must match, past it the measurement must show saturation, and the
// bottleneck the model names must be the resource measured busiest there; with --db-cores, the knee
// predicted for the knee levels' database cores from a calibration on other ones must be measured
// within 15 % (transferCheck).

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
/** The transfer to another machine size (issue 12 item 6): the measured knee within this of K. */
export const TRANSFER_TOLERANCE = 0.15;
/** The level that must carry its load for the transfer to pass: just above K / 1.15 (= 0.8696 K). */
export const TRANSFER_BELOW = 0.87;
/** The level that must be saturated for the transfer to pass: 1.15 K. */
export const TRANSFER_ABOVE = 1.15;
/**
 * Fractions of K the bench runs at with --db-cores: 0.6 K (the model below the knee), the two that
 * bracket the measured knee within 15 % of K (0.87 K and 1.15 K), and 1.3 K (past it).
 */
export const TRANSFER_FRACTIONS = [0.6, TRANSFER_BELOW, TRANSFER_ABOVE, 1.3] as const;

/**
 * Servers of each measured resource on a run: pool size, sockets, host cores, one event-loop thread,
 * and the database server's cores when the run limited them (--db-cores).
 */
export interface Servers {
  'db.pool': number;
  'upstream.sockets': number;
  'host.cpu': number;
  'app.loop': number;
  'db.cpu'?: number;
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

/** A measured p95's bootstrap interval and the samples it rests on (pooled-p95.ts), printed beside it. */
export interface P95Interval {
  low: number;
  high: number;
  samples: number;
}

/**
 * Below the knee: throughput within 3 % and every measured endpoint's p95 within 25 %; each p95's
 * interval (when given) is printed beside it, with a warning when it alone is wider than ±25 %.
 */
export function belowKneeChecks(
  level: ValidationLevel,
  intervals: Record<string, P95Interval> = {},
): Check[] {
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
    const i = intervals[endpoint];
    const wide = i !== undefined && widerThanTolerance(i, m, P95_TOLERANCE);
    const interval =
      i === undefined
        ? ''
        : ` [${i.low.toFixed(2)}-${i.high.toFixed(2)}, ${i.samples} samples${wide ? '; the measurement alone is not within ±25%' : ''}]`;
    checks.push({
      what: `p95 ${endpoint} ${m.toFixed(2)} ms measured${interval}, ${p === null || p === undefined ? 'unbounded' : p.toFixed(2)} predicted (${pct(e)})`,
      pass: e !== null && Math.abs(e) <= P95_TOLERANCE,
    });
  }
  return checks;
}

/** Measured busy share of each resource the run measured (busy servers over servers). */
export function measuredShares(level: ValidationLevel, servers: Servers): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [r, busy] of Object.entries(level.measured.busy)) {
    const n = servers[r as keyof Servers] ?? 0;
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

/** Whether a run measured saturation, and the figures it rests on. */
export interface MeasuredSaturation {
  saturated: boolean;
  /** Share of the offered iterations not achieved (failed ones counted as not achieved). */
  shortfall: number;
  /** The named bottleneck's measured busy share (undefined: not measured). */
  named: number | undefined;
}

/**
 * Saturation measured on a run: achieved, less failed iterations, 3 % or more short of offered, or the
 * named bottleneck 90 % or more busy.
 */
export function measuredSaturation(
  level: ValidationLevel,
  offered: number,
  bottleneck: string | null,
  servers: Servers,
  failedPerSecond = 0,
): MeasuredSaturation {
  const served = level.measured.throughput - failedPerSecond;
  const shortfall = offered > 0 ? 1 - served / offered : 0;
  const named = bottleneck === null ? undefined : measuredShares(level, servers)[bottleneck];
  return {
    saturated: shortfall >= SHORTFALL_FOR_SATURATION || (named !== undefined && named >= BUSY_FOR_SATURATION),
    shortfall,
    named,
  };
}

/**
 * Past the knee (1.1K): saturation measured (measuredSaturation), and the named bottleneck the
 * busiest measured resource.
 */
export function pastKneeChecks(
  level: ValidationLevel,
  offered: number,
  bottleneck: string | null,
  servers: Servers,
  failedPerSecond = 0,
): Check[] {
  const shares = measuredShares(level, servers);
  const { saturated, shortfall, named } = measuredSaturation(
    level,
    offered,
    bottleneck,
    servers,
    failedPerSecond,
  );
  const busiest = Object.entries(shares).sort((a, b) => b[1] - a[1])[0];
  const list = Object.entries(shares)
    .map(([r, s]) => `${r} ${(s * 100).toFixed(0)}%`)
    .join(', ');
  return [
    {
      what: `saturated: achieved ${level.measured.throughput.toFixed(2)}${failedPerSecond > 0 ? ` (${failedPerSecond.toFixed(2)} of them failed)` : ''} of ${offered.toFixed(2)} offered (${(shortfall * 100).toFixed(1)}% short), ${bottleneck ?? 'no bottleneck'} ${named === undefined ? 'not measured' : `${(named * 100).toFixed(0)}% busy`}`,
      pass: saturated,
    },
    {
      what: `bottleneck named ${bottleneck ?? 'none'}, busiest measured ${busiest ? busiest[0] : 'none'} (${list})`,
      pass: busiest !== undefined && busiest[0] === bottleneck,
    },
  ];
}

/** One level of the transfer's judgement: its users and whether it measured saturation. */
export interface TransferLevel {
  users: number;
  saturated: boolean;
}

/**
 * The transfer to another machine size (issue 12 item 6: "the one-core calibration predicts the
 * two-core knee within 15 %"): PASS when the level at 0.87 K carries its load (not saturated) and the
 * level at 1.15 K is saturated, i.e. the measured knee lies within (K / 1.15, 1.15 K].
 */
export function transferCheck(
  k: number,
  below: TransferLevel,
  above: TransferLevel,
  what = 'transfer',
): Check {
  const state = (l: TransferLevel): string => (l.saturated ? 'saturated' : 'not saturated');
  return {
    what: `${what}: measured knee within (K/${TRANSFER_ABOVE}, ${TRANSFER_ABOVE}K] = (${Math.round(k / TRANSFER_ABOVE)}, ${Math.round(k * TRANSFER_ABOVE)}] users of K = ${k}: ${TRANSFER_BELOW}K (${below.users} users) ${state(below)}, ${TRANSFER_ABOVE}K (${above.users} users) ${state(above)}`,
    pass: !below.saturated && above.saturated,
  };
}
