import { percentile } from '../../core/percentile.ts';
import type { DurationSample } from './settled-p95.ts';

// How often a perfect model would pass bench:knee's p95 check at one level, from many replicates of
// that level alone (bench:repeatability). The oracle predicts the level's p95 exactly: the p95 of every
// replicate's window pooled. bench:knee measures a level with a few replicates (2, up to 4) and passes
// an endpoint when the prediction is within ±25 % of their pooled p95; so over every group of that many
// replicates, the share of groups in which the oracle passes is the most any model can expect. The
// groups are drawn from the same replicates the oracle pools, which leans toward passing: an upper bound.

/** One endpoint's pooled p95 over the groups of one size. */
export interface EndpointOracle {
  /** p95 of every replicate's samples pooled: the oracle's prediction. */
  oracleMs: number;
  /** Smallest and largest pooled p95 of a group. */
  lowestMs: number;
  highestMs: number;
  /** Share of the groups whose pooled p95 the oracle is within the tolerance of. */
  passShare: number;
}

/** The oracle's pass shares at one group size. */
export interface OraclePass {
  groupSize: number;
  /** Relative error within which a prediction passes (0.25: bench:knee's P95_TOLERANCE). */
  tolerance: number;
  groups: number;
  byEndpoint: Record<string, EndpointOracle>;
  /** Share of the groups in which the oracle passes every endpoint at once (the level's verdict). */
  allPassShare: number;
}

/** Every `k`-subset of 0..n-1, in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number): void => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= n - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  if (k >= 1 && k <= n) walk(0);
  return out;
}

/** Each replicate's durations of one endpoint. */
function durationsOf(replicates: readonly (readonly DurationSample[])[], endpoint: string): number[][] {
  return replicates.map((r) => r.filter((s) => s.endpoint === endpoint).map((s) => s.ms));
}

/**
 * The oracle's pass shares for groups of `groupSize` replicates (every such group), each endpoint's
 * prediction passing when |oracle − group| / group ≤ `tolerance`, as knee-judge.ts judges a p95.
 * Endpoints in `skip` are left out (health checks are not judged). Pure.
 */
export function oraclePass(
  replicates: readonly (readonly DurationSample[])[],
  groupSize: number,
  tolerance: number,
  skip: readonly string[] = ['healthz'],
): OraclePass {
  if (!(Number.isInteger(groupSize) && groupSize >= 1 && groupSize <= replicates.length))
    throw new RangeError(
      `group size must be a whole number from 1 to ${replicates.length}, got ${groupSize}`,
    );
  const endpoints = [...new Set(replicates.flatMap((r) => r.map((s) => s.endpoint)))]
    .filter((e) => !skip.includes(e))
    .sort();
  const groups = combinations(replicates.length, groupSize);
  const passesAll = groups.map(() => true);
  const byEndpoint: Record<string, EndpointOracle> = {};
  for (const endpoint of endpoints) {
    const each = durationsOf(replicates, endpoint);
    const oracleMs = percentile(each.flat(), 0.95);
    let lowestMs = Number.POSITIVE_INFINITY;
    let highestMs = 0;
    let passed = 0;
    groups.forEach((g, i) => {
      const measured = percentile(
        g.flatMap((r) => each[r]!),
        0.95,
      );
      lowestMs = Math.min(lowestMs, measured);
      highestMs = Math.max(highestMs, measured);
      const pass = measured > 0 && Math.abs(oracleMs - measured) / measured <= tolerance;
      if (pass) passed++;
      else passesAll[i] = false;
    });
    byEndpoint[endpoint] = { oracleMs, lowestMs, highestMs, passShare: passed / groups.length };
  }
  return {
    groupSize,
    tolerance,
    groups: groups.length,
    byEndpoint,
    allPassShare: passesAll.filter(Boolean).length / groups.length,
  };
}

/** One line per group size: the level's share and each endpoint's, with its groups' range. */
export function oraclePassLines(results: readonly OraclePass[]): string[] {
  return results.map((r) => {
    const endpoints = Object.entries(r.byEndpoint)
      .map(
        ([e, o]) =>
          `${e} ${pct(o.passShare)} (oracle ${o.oracleMs.toFixed(2)} ms; groups ${o.lowestMs.toFixed(2)}-${o.highestMs.toFixed(2)})`,
      )
      .join(', ');
    return `groups of ${r.groupSize} (${r.groups}): every endpoint within ±${pct(r.tolerance)} in ${pct(r.allPassShare)} of them; ${endpoints}`;
  });
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)} %`;
}
