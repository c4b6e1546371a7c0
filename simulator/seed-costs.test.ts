import { describe, expect, it } from 'vitest';
import { type Claim, ClaimSchema } from './claim.ts';
import { seedCostEstimates } from './seed-costs.ts';

const claim = (fields: Partial<Claim> & Pick<Claim, 'id' | 'kind' | 'claimed'>): Claim =>
  ClaimSchema.parse({ document: 'doc.md', line: 7, quote: 'q', unit: 'USD/month', ...fields });

describe('seedCostEstimates', () => {
  it('keeps the monthly-cost claims that name their users, labelled by their table', () => {
    const claims = [
      claim({ id: 'a', kind: 'monthly-cost', claimed: 85, users: 10_000, series: 'launch report' }),
      claim({ id: 'b', kind: 'monthly-cost', claimed: 40, users: 10_000 }),
      claim({ id: 'c', kind: 'database-cost', claimed: 150, users: 100_000 }),
      claim({ id: 'd', kind: 'monthly-cost', claimed: 599 }),
      claim({ id: 'e', kind: 'monthly-cost', claimed: [150, 200], users: 100_000 }),
    ];
    expect(seedCostEstimates(claims)).toEqual([
      { users: 10_000, usdPerMonth: 85, label: 'launch report', source: 'doc.md:7' },
      { users: 10_000, usdPerMonth: 40, label: 'doc.md', source: 'doc.md:7' },
    ]);
  });
});
