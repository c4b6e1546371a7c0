import { describe, expect, it } from 'vitest';
import type { ClaimEvaluation } from '../../simulator/index.ts';
import { claimRow } from './claim-rows.ts';

const evaluation: ClaimEvaluation = {
  id: 'A-syncs-per-second-100k',
  document: 'storage-architecture-analysis.md',
  line: 179,
  quote: '100k users = **3,333 syncs/second**',
  unit: 'syncs/s',
  claimed: 3333,
  own: { value: 3333.3333, working: '100,000 × 1 / 30 s', matches: true },
  profile: { value: 333.33, policy: 'current', users: 100000, working: '10% of users sync', matches: false },
  difference: -0.9,
  verdict: 'assumption',
  reason: 'only paid users sync',
};

describe('claim rows', () => {
  it('shows the claim, both computed values with their working, and the verdict in words', () => {
    expect(claimRow(evaluation)).toEqual({
      id: 'A-syncs-per-second-100k',
      claim: '100k users = **3,333 syncs/second**',
      source: 'storage-architecture-analysis.md line 179',
      claimed: '3,333 syncs/s',
      underOwnAssumptions: '3,333 syncs/s',
      ownWorking: '100,000 × 1 / 30 s',
      underProfile: '333 syncs/s (current, 100k users)',
      profileWorking: '10% of users sync',
      verdict: 'assumption does not hold',
      reason: 'only paid users sync',
    });
    const range = claimRow({
      ...evaluation,
      claimed: [50_000, 100_000],
      verdict: 'arithmetic',
      profile: { ...evaluation.profile, value: null },
    });
    expect(range).toMatchObject({
      claimed: '50,000-100,000 syncs/s',
      underProfile: '-',
      verdict: 'arithmetic error',
    });
  });
});
