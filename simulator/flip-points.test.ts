import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { resolveAssumptions } from '../scripts/inputs/model-inputs.ts';
import { loadPricing } from '../scripts/inputs/pricing.ts';
import { analyticDecisionModel } from './analytic-decision-model.ts';
import { decide } from './decide.ts';
import type { DecisionModel, Dial } from './decision-model.ts';
import { baseValues } from './decision-model.ts';
import { flipPoints } from './flip-points.ts';
import { searchKnee } from './knee-search.ts';
import { tornadoes } from './sensitivity.ts';

// A toy whose flip points are known by hand: GO while users <= 1,000 / x.
const x: Dial = { name: 'x', label: 'load factor', unit: '×', low: 0.5, base: 1, high: 4, source: 'test' };
const toy: DecisionModel = {
  dials: [x],
  policies: ['p'],
  scales: [400, 900, 3000],
  accepts: (v, _p, users) => users <= 1000 / v.x!,
  knee: (v, _p, hint, tolerance) => searchKnee((n) => n <= 1000 / v.x!, { hint, tolerance }),
  monthlyUsd: (_v, _p, users) => users.map(() => null),
};

describe('flip points on a toy computed by hand', () => {
  it('finds x = 1,000 / users where the range holds it, and says never where it does not', () => {
    const flips = flipPoints(toy);
    const at = (users: number) => flips.find((f) => f.users === users)!;
    expect(at(400).flips).toHaveLength(1);
    expect(at(400).flips[0]!.value).toBeCloseTo(2.5, 2);
    expect(at(400).flips[0]).toMatchObject({ below: 'GO', above: 'NO-GO' });
    expect(at(900).flips[0]!.value).toBeCloseTo(1000 / 900, 2);
    // 3,000 users need x <= 1/3, below the range's 0.5: NO-GO everywhere.
    expect(at(3000)).toMatchObject({ baseVerdict: 'NO-GO', flips: [] });
    expect(at(3000).summary).toMatch(/^never within/);
  });

  it('reads the same verdicts off the tornado as it asks the rule for', () => {
    expect(flipPoints(toy, tornadoes(toy))).toEqual(flipPoints(toy));
  });
});

describe('flip points of the review model (ci-smoke, current/fixed/scale)', () => {
  const profile = loadProfile('ci-smoke');
  const policies = ['current', 'fixed', 'scale'].map((p) => loadPolicy(p));
  const pricing = loadPricing();
  const assumptions = resolveAssumptions(profile, pricing, []);
  const input = { profile, policies, users: [1000, 10_000, 100_000], pricing, assumptions };
  const model = analyticDecisionModel({ input, policies, scales: input.users });

  it('each reported flip point, re-run at ±2% of its value, gives the two verdicts it separates', () => {
    const flips = flipPoints(model).filter((f) => f.flips.length > 0);
    // The base load turns somewhere within the ranges (e.g. the upstream p95 against the 3 s budget).
    expect(flips.length).toBeGreaterThan(3);
    const base = baseValues(model.dials);
    for (const f of flips) {
      for (const flip of f.flips) {
        const verdict = (v: number) =>
          model.accepts({ ...base, [f.dial]: v }, f.policy, f.users) ? 'GO' : 'NO-GO';
        const label = `${f.dial} ${f.policy}@${f.users} flip ${flip.value}`;
        expect(verdict(flip.value * 0.98), label).toBe(flip.below);
        expect(verdict(flip.value * 1.02), label).toBe(flip.above);
        expect(flip.below).not.toBe(flip.above);
      }
    }
  }, 120_000);

  it('agrees with decide(): the knee within its 0.5% tolerance, the monthly cost to the cent', () => {
    const base = baseValues(model.dials);
    for (const policy of policies) {
      const d = decide({ ...input, policy, users: 10_000 });
      const k = model.knee(base, policy.name);
      expect(k.users, policy.name).not.toBeNull();
      expect(Math.abs(k.users! / d.knee!.users! - 1), policy.name).toBeLessThan(0.01);
      expect(model.monthlyUsd(base, policy.name, [10_000])[0], policy.name).toBe(d.monthlyUsd);
      expect(model.accepts(base, policy.name, 10_000) ? 'GO' : 'NO-GO').toBe(d.verdict);
    }
  }, 60_000);
});
