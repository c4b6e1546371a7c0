import type { Claim } from './claim.ts';

// The seed documents' monthly costs, derived from their claims (fixtures/targets/readiness.yaml, the
// one place each figure is written with its quoted line), to set beside the predicted costs.

/** A monthly cost a seed document states for a number of users: a quotation, not a measurement. */
export interface SeedCostEstimate {
  users: number;
  usdPerMonth: number;
  /** Which document and table, e.g. `launch report` or `analysis, optimized`. */
  label: string;
  /** Document and line, e.g. `launch-readiness-report.md:260`. */
  source: string;
}

/** The `monthly-cost` claims that name their users, as cost estimates, in the claims' order. */
export function seedCostEstimates(claims: readonly Claim[]): SeedCostEstimate[] {
  return claims.flatMap((c) =>
    c.kind === 'monthly-cost' && c.users !== undefined && typeof c.claimed === 'number'
      ? [
          {
            users: c.users,
            usdPerMonth: c.claimed,
            label: c.series ?? c.document,
            source: `${c.document}:${c.line}`,
          },
        ]
      : [],
  );
}
