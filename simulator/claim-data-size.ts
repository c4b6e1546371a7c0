import { mean } from 'simple-statistics';
import type { Claim, ClaimEvaluation, ClaimsContext } from './claim.ts';
import { claimIdentity, fmt, num } from './claim.ts';
import type { DataSizePoint } from './data-size.ts';

// The analysis's "query performance degrades ~10x when messages exceeds N rows" (kind data-size-factor),
// judged from table-size run records: database time per sync at the smallest measured dataset at or over
// N messages over the one at the largest dataset under N (the step across N), same schema, mean of the
// runs at each size. Without runs on both sides of N
// the verdict says which runs are missing and the commands that make them.

/** The measured factor across `threshold` messages, or null with the sizes that were measured. */
export function measuredFactor(
  points: DataSizePoint[],
  threshold: number,
  schema: 'plain' | 'partitioned',
): { factor: number; below: DataSizePoint[]; above: DataSizePoint[] } | { factor: null; sizes: number[] } {
  const same = points.filter((p) => p.schema === schema);
  const sizes = [...new Set(same.map((p) => p.messages))].sort((a, b) => a - b);
  const low = sizes.filter((s) => s < threshold).at(-1);
  const high = sizes.find((s) => s >= threshold);
  if (low === undefined || high === undefined) return { factor: null, sizes };
  const below = same.filter((p) => p.messages === low);
  const above = same.filter((p) => p.messages === high);
  const factor = mean(above.map((p) => p.dbTimeMsPerSync)) / mean(below.map((p) => p.dbTimeMsPerSync));
  return { factor, below, above };
}

const runsOf = (ps: DataSizePoint[]): string => ps.map((p) => p.run).join(', ');

/** Evaluates a data-size-factor claim from the context's table-size points (pure). */
export function evaluateDataSizeClaim(claim: Claim, ctx: ClaimsContext): ClaimEvaluation {
  const threshold = num(claim.assumptions, 'messages');
  const schemaName = claim.assumptions.schema;
  const schema = schemaName === 'partitioned' ? 'partitioned' : 'plain';
  const points = ctx.dataSizePoints ?? [];
  const m = measuredFactor(points, threshold, schema);
  const base = {
    ...claimIdentity(claim),
    own: { value: null, working: '', matches: null },
  };
  const tolerance = claim.profileTolerance ?? claim.tolerance;
  if (m.factor === null) {
    const measured =
      m.sizes.length > 0 ? `table-size runs measured ${m.sizes.map(fmt).join(', ')} messages; ` : '';
    return {
      ...base,
      profile: { value: null, policy: claim.policy, users: null, working: '', matches: null },
      difference: null,
      verdict: 'not-modelled',
      reason:
        `not measured: ${measured}needs ${schema} table-size runs under and at or over ${fmt(threshold)} messages, e.g. ` +
        `\`atlas-cap run table-size --profile launch-10k --schema ${schema}\` (4M) and \`atlas-cap run table-size --profile scale-100k --schema ${schema}\` (10M), ` +
        'then `atlas-cap simulate --claims --calibration <both run folders>`',
    };
  }
  const low = m.below[0] as DataSizePoint;
  const high = m.above[0] as DataSizePoint;
  const lowMs = mean(m.below.map((p) => p.dbTimeMsPerSync));
  const highMs = mean(m.above.map((p) => p.dbTimeMsPerSync));
  const working = `${schema} table-size runs: ${fmt(lowMs)} ms database time per sync at ${fmt(low.messages)} messages (${runsOf(m.below)}), ${fmt(highMs)} ms at ${fmt(high.messages)} (${runsOf(m.above)})`;
  const claimed = typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0];
  const matches = Math.abs(m.factor - claimed) <= claimed * tolerance;
  const reason = `measured ${fmt(m.factor)}×, ${matches ? '' : `not ${fmt(claimed)}×, `}from ${working}. Predictions do not scale by this factor: they read the pages of the syncing users' working set at the data size of their users (docs/simulator.md "Data size")`;
  return {
    ...base,
    profile: { value: m.factor, policy: claim.policy, users: null, working, matches },
    difference: (m.factor - claimed) / claimed,
    verdict: matches ? 'holds' : 'assumption',
    reason,
  };
}
