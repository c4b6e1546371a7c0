import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReview } from '../scripts/commands/review.ts';
import { runSimulate } from '../scripts/commands/simulate.ts';
import { REVIEW_FIXTURES } from './fixtures/review/review-input.ts';

// `simulate` and `review` read the same inputs the same way (scripts/inputs/model-inputs.ts) and decide
// with the same rule, so for the same profile, policies, users, runs and --set they agree to the digit.

const runs = join(REVIEW_FIXTURES, 'runs');
const sets = ['peakConcurrentShare=0.3', 'messagesPerMinuteAtPeak=3'];

describe('simulate and review agree', () => {
  it('gives the same knees, costs and latencies for the same inputs', async () => {
    const sim = runSimulate({
      profile: 'ci-smoke',
      policy: 'current,fixed,scale',
      users: '1000,10000,100000',
      mode: 'analytic',
      calibration: [runs],
      claims: false,
      seed: '1',
      pattern: 'poisson',
      duration: '120',
      'abusive-share': '0',
      'abusive-rate': '1000',
      'base-latency': 'fading',
      json: true,
      set: sets,
    }).result;
    const { review } = await runReview({
      live: false,
      runs: [runs],
      out: mkdtempSync(join(tmpdir(), 'atlas-agree-')),
      profile: 'ci-smoke',
      policies: ['current', 'fixed', 'scale'],
      users: [1000, 10_000, 100_000],
      liveSeconds: 15,
      sets,
    });
    expect(review.knees.map((k) => [k.policy, k.users, k.limitedBy])).toEqual(
      sim.knees.map((k) => [k.policy, k.users, k.limitedBy]),
    );
    for (const cell of review.predicted) {
      const p = sim.predictions.find((x) => x.policy === cell.policy && x.users === cell.users)!;
      expect(cell.monthlyUsd).toBe(p.cost?.monthlyUsd ?? null);
      expect(cell.cheapestUsd).toBe(p.cheapest?.monthlyUsd ?? null);
      expect(cell.queriesPerSecond).toBe(p.workload.queriesPerSecond);
      for (const e of p.endpoints) expect(cell.p95ByEndpoint[e.endpoint]).toBe(e.p95Ms);
    }
    // The base verdicts carry no abuse; the stress row names share, rate and tiers.
    expect(sim.predictions.every((p) => p.rateLimits.every((r) => r.abusiveRate === 0))).toBe(true);
    expect(review.stress[0]?.label).toBe('with 5% of free users sending 200/min');
    expect(review.load).toMatch(/^Users are registered users: 50% active in a month, 30% of those online/);
  });
});
