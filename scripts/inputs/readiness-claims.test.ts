import { describe, expect, it } from 'vitest';
import { seedCostEstimates } from '../../simulator/index.ts';
import { loadReadinessClaims } from './readiness-claims.ts';

describe('fixtures/targets/readiness.yaml', () => {
  it('holds every monthly cost the seed documents state, once (copied by hand from their tables)', () => {
    // launch-readiness-report.md lines 260 and 266; storage-architecture-analysis.md lines 620-634.
    const expected = [
      ['launch report', 10_000, 85],
      ['launch report', 100_000, 850],
      ['analysis, current V1', 1_000, 0],
      ['analysis, current V1', 10_000, 40],
      ['analysis, current V1', 100_000, 340],
      ['analysis, optimized', 1_000, 0],
      ['analysis, optimized', 10_000, 25],
      ['analysis, optimized', 100_000, 330],
    ];
    const got = seedCostEstimates(loadReadinessClaims()).map((e) => [e.label, e.users, e.usdPerMonth]);
    expect(got).toEqual(expected);
  });
});
