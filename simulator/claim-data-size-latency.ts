import { mean } from 'simple-statistics';
import type { Claim, ClaimEvaluation, ClaimsContext } from './claim.ts';
import { claimDifference, claimIdentity, fmt, fmtRange, matchesClaim } from './claim.ts';
import type { DataSizePoint } from './data-size.ts';

// The analysis's "with partitioning: constant performance (~100-200ms queries)" (kind data-size-latency,
// `schema` in its assumptions), judged from table-size run records of that schema: the messages query's
// p95 as the client saw it (run.json endpoints rest.messages) at the largest dataset measured, the mean
// of the runs at that size. The reason gives every size measured (p95, database time per messages
// statement and per sync), how much the database time per sync moved from the smallest size to the
// largest (the "constant" part), and the plain schema at the same size when it was measured. Without
// such runs the verdict says what is missing and the commands that make the runs.

const runsOf = (ps: DataSizePoint[]): string => ps.map((p) => p.run).join(', ');
const avg = (ps: DataSizePoint[], pick: (p: DataSizePoint) => number | null): number | null => {
  const xs = ps.map(pick).filter((x): x is number => x !== null);
  return xs.length > 0 ? mean(xs) : null;
};
const ms = (x: number | null): string => (x === null ? 'not counted' : `${fmt(x)} ms`);

/** The points of `schema` that measured a messages query, grouped by data size (ascending). */
export function latencyBySize(
  points: DataSizePoint[],
  schema: 'plain' | 'partitioned',
): { messages: number; points: DataSizePoint[] }[] {
  const same = points.filter((p) => p.schema === schema && p.messagesP95Ms !== null);
  const sizes = [...new Set(same.map((p) => p.messages))].sort((a, b) => a - b);
  return sizes.map((messages) => ({ messages, points: same.filter((p) => p.messages === messages) }));
}

/** Evaluates a data-size-latency claim from the context's table-size points (pure). */
export function evaluateDataSizeLatencyClaim(claim: Claim, ctx: ClaimsContext): ClaimEvaluation {
  const schema = claim.assumptions.schema === 'plain' ? 'plain' : 'partitioned';
  const points = ctx.dataSizePoints ?? [];
  const bySize = latencyBySize(points, schema);
  const base = { ...claimIdentity(claim), own: { value: null, working: '', matches: null } };
  if (bySize.length === 0) {
    const silent = points.filter((p) => p.schema === schema);
    const measured =
      silent.length > 0 ? `${schema} table-size runs ${runsOf(silent)} sent no messages query; ` : '';
    return {
      ...base,
      profile: { value: null, policy: claim.policy, users: null, working: '', matches: null },
      difference: null,
      verdict: 'not-modelled',
      reason:
        `not measured: ${measured}needs ${schema} table-size runs (their messages query p95), e.g. ` +
        `\`atlas-cap run table-size --profile launch-10k --schema ${schema}\`, and the same at a larger \`--users\` for the constant part, ` +
        'then `atlas-cap simulate --claims --calibration <run folders>`',
    };
  }
  const sizes = bySize.map(({ messages, points: ps }) => ({
    messages,
    runs: runsOf(ps),
    p95: avg(ps, (p) => p.messagesP95Ms) as number,
    read: avg(ps, (p) => p.messageReadMs),
    perSync: avg(ps, (p) => p.dbTimeMsPerSync) as number,
  }));
  const largest = sizes.at(-1)!;
  const smallest = sizes[0]!;
  const working =
    `${schema} table-size runs, messages query p95 (database time per messages statement, per sync): ` +
    sizes
      .map(
        (s) => `${fmt(s.p95)} ms at ${fmt(s.messages)} messages (${ms(s.read)}, ${ms(s.perSync)}; ${s.runs})`,
      )
      .join(', ');
  const value = largest.p95;
  const tolerance = claim.profileTolerance ?? claim.tolerance;
  const matches = matchesClaim(claim.claimed, value, tolerance);
  const claimed = `${fmtRange(claim.claimed)} ${claim.unit}`;
  let reason = `measured ${fmt(value)} ms at ${fmt(largest.messages)} messages, ${matches ? 'within' : 'not'} ${claimed}, from ${working}`;
  if (sizes.length > 1)
    reason += `. Database time per sync ${fmt(largest.perSync / smallest.perSync)}× from ${fmt(smallest.messages)} to ${fmt(largest.messages)} messages`;
  const plain =
    schema === 'partitioned'
      ? points.filter((p) => p.schema === 'plain' && p.messages === largest.messages)
      : [];
  const plainP95 = avg(plain, (p) => p.messagesP95Ms);
  if (plain.length > 0) {
    const plainPerSync = mean(plain.map((p) => p.dbTimeMsPerSync));
    reason += `. Plain at the same size: ${plainP95 === null ? 'no messages query' : `p95 ${fmt(plainP95)} ms`}, ${fmt(plainPerSync)} ms per sync (partitioned ${fmt(largest.perSync / plainPerSync)}×; ${runsOf(plain)})`;
  }
  return {
    ...base,
    profile: { value, policy: claim.policy, users: null, working, matches },
    difference: claimDifference(claim.claimed, value),
    verdict: matches ? 'holds' : 'assumption',
    reason,
  };
}
