import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { resolveAssumptions } from '../scripts/inputs/model-inputs.ts';
import { loadPricing } from '../scripts/inputs/pricing.ts';
import { loadReadinessClaims } from '../scripts/inputs/readiness-claims.ts';
import { evaluateClaims } from './claims.ts';
import { modelFor } from './simulate.ts';

// Claims are checked against the Atlas the verdicts model: the profile and policies with the load
// assumptions applied (modelFor), so a --set moves a claim's profile-side value as it moves a verdict.

const profile = loadProfile('ci-smoke');
const pricing = loadPricing();
const policies = Object.fromEntries(['current', 'fixed', 'scale'].map((n) => [n, loadPolicy(n)]));
const claims = loadReadinessClaims();

function profileValues(sets: string[]): Record<string, number | null> {
  const input = {
    profile,
    policies: Object.values(policies),
    users: [],
    pricing,
    assumptions: resolveAssumptions(profile, pricing, sets),
  };
  const rows = evaluateClaims(claims, { profile, policies, pricing, modelFor: (p) => modelFor(input, p) });
  return Object.fromEntries(rows.map((r) => [r.id, r.profile.value]));
}

describe('claims under the load assumptions', () => {
  const base = profileValues([]);
  const half = profileValues([
    `monthlyActiveShare=${resolveAssumptions(profile, pricing, []).monthlyActiveShare.value / 2}`,
  ]);

  it('half the monthly active share: half the syncs per second at the same registered users', () => {
    const syncClaims = claims.filter((c) => c.kind === 'syncs-per-second');
    expect(syncClaims.length).toBeGreaterThan(0);
    for (const c of syncClaims) expect(half[c.id]! / base[c.id]!, c.id).toBeCloseTo(0.5, 9);
  });

  it('half the monthly active share: twice the knee (within the search’s 0.5%)', () => {
    const knees = claims.filter((c) => c.kind === 'knee' || c.kind === 'pool-failure-users');
    expect(knees.length).toBeGreaterThan(0);
    for (const c of knees) {
      expect(base[c.id], c.id).toBeGreaterThan(0);
      expect(half[c.id]! / base[c.id]!, c.id).toBeGreaterThan(2 * 0.99);
      expect(half[c.id]! / base[c.id]!, c.id).toBeLessThan(2 * 1.01);
    }
  });
});
