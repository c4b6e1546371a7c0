import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { predictAnalytic } from './analytic.ts';
import { defaultAssumptions, withAssumption } from './assumptions.ts';
import { matchesClaim } from './claim.ts';
import { judge } from './decision-rule.ts';
import { defaultCalibration } from './defaults.ts';
import { PricingSchema } from './pricing.ts';
import { deploymentCalibration, modelFor, simulate } from './simulate.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'pricing');
const y = (f: string): unknown => parse(readFileSync(join(fixtures, f), 'utf8'));
const pricing = PricingSchema.parse({
  supabase: y('supabase.yaml'),
  backend: (y('railway.yaml') as { backend: unknown }).backend,
  redis: (y('redis.yaml') as { redis: unknown }).redis,
});

describe('simulate', () => {
  const result = simulate({
    profile: loadProfile('launch-10k'),
    policies: ['current', 'fixed', 'scale'].map((n) => loadPolicy(n)),
    users: [1000, 10_000],
    pricing,
  });

  it('predicts every policy × users, with the cost of the policy and of the cheapest configuration', () => {
    expect(result.predictions.map((p) => `${p.policy}@${p.users}`)).toEqual([
      'current@1000',
      'current@10000',
      'fixed@1000',
      'fixed@10000',
      'scale@1000',
      'scale@10000',
    ]);
    for (const p of result.predictions) {
      expect(p.cost!.monthlyUsd).toBeGreaterThan(0);
      expect(p.cost!.items.every((i) => i.source.length > 0)).toBe(true);
      expect(p.cheapest!.monthlyUsd).toBeGreaterThan(0);
    }
    // The cheapest configuration meeting the targets at 10k under `fixed` exists and sizes the sockets
    // above the policy's 200 (at 625 ms mean hold, 333 requests/s need more than 200 sockets).
    const fixed10k = result.predictions.find((p) => p.policy === 'fixed' && p.users === 10_000)!;
    expect(fixed10k.cheapest!.meetsTargets).toBe(true);
    expect(fixed10k.cheapest!.upstreamSockets).toBeGreaterThan(200);
    expect(fixed10k.cost!.meetsTargets).toBe(false);
  });

  it('knees rise with the fixes: current < fixed < scale', () => {
    const knee = (name: string): number => result.knees.find((k) => k.policy === name)!.users!;
    expect(knee('current')).toBeLessThan(knee('fixed'));
    expect(knee('fixed')).toBeLessThan(knee('scale'));
    // The current policy's upstream pool of 50 at a 625 ms mean hold (log-normal, median 500, p95 1,500:
    // 500 × exp(σ²/2), σ = ln 3 / 1.645) may run at the rule's 80% ceiling (at 80% fifty sockets wait with
    // P ≈ 0.2, over the 0.05 the rule allows for large pools): 40 busy / 0.6249 s = 64.0 messages/s =
    // 1,920 users at 2/min. The knee is bisected to 0.5% below it.
    expect(knee('current')).toBeLessThanOrEqual(1921);
    expect(knee('current')).toBeGreaterThan(1900);
  });

  it('is plain data: JSON round trip keeps it', () => {
    const again = JSON.parse(JSON.stringify(result));
    expect(again.predictions).toHaveLength(6);
    expect(again.calibration.calibrated).toBe(false);
  });

  it('rejects bad input', () => {
    expect(() => simulate({ profile: loadProfile('ci-smoke'), policies: [], users: [1] })).toThrow(
      RangeError,
    );
    expect(() =>
      simulate({ profile: loadProfile('ci-smoke'), policies: [loadPolicy('fixed')], users: [0] }),
    ).toThrow(RangeError);
  });
});

describe('matchesClaim', () => {
  it('compares within tolerance, over ranges, and for "at least" claims', () => {
    expect(matchesClaim(166_650, (100_000 / 30) * 50, 0.001)).toBe(true);
    expect(matchesClaim(1000, 3000, 0.1)).toBe(false);
    expect(matchesClaim([50_000, 100_000], 52_000, 0.01)).toBe(true);
    expect(matchesClaim([5, 10], 52, 0.01)).toBe(false);
    expect(matchesClaim(0.8, 0.87, 0.01, true)).toBe(true);
    expect(matchesClaim(0.8, 0.7, 0.01, true)).toBe(false);
  });
});

describe('simulate on the rig', () => {
  const base = { profile: loadProfile('ci-smoke'), policies: [loadPolicy('current')], users: [3000] };

  it('needs a calibration with CPU figures, and sensible cores', () => {
    expect(() => simulate({ ...base, rig: { cores: 2 } })).toThrow(/CPU measurements/);
    expect(() => simulate({ ...base, rig: { cores: 0 } })).toThrow(/at least 1/);
  });

  it('a deployment (the default) has no host CPU and no load generator in it', () => {
    const p = simulate(base).predictions[0]!;
    expect(p.resources.map((r) => r.name)).toEqual(['db.pool', 'upstream.sockets', 'db.cpu']);
  });
});

describe('serviceDemandScale: the deployment against this machine', () => {
  const base = {
    profile: loadProfile('ci-smoke'),
    policies: [loadPolicy('current')],
    users: [50_000],
    databaseCores: 2,
    calibration: defaultCalibration(),
  };
  const busy = (scale: number): Record<string, number> => {
    const assumptions = withAssumption(defaultAssumptions(), 'serviceDemandScale', scale);
    const p = simulate({ ...base, assumptions }).predictions[0]!;
    return Object.fromEntries(p.resources.map((r) => [r.name, r.offeredLoad]));
  };

  it('scales the busy time of what the calibration measured, and nothing the assumptions set', () => {
    const at1 = busy(1);
    const at125 = busy(1.25);
    // Busy cores are rate × CPU time: every statement's CPU × 1.25 at the same rates.
    expect(at125['db.cpu']! / at1['db.cpu']!).toBeCloseTo(1.25, 9);
    // A connection is held for the statement, its overhead (both × 1.25) and its wait for a core, which
    // grows faster than the CPU time as the cores get busier (layered holds).
    expect(at125['db.pool']! / at1['db.pool']!).toBeGreaterThan(1.25);
    // The language-model call's hold is an assumption of its own (upstreamMedianMs), not this machine's.
    expect(at125['upstream.sockets']).toBeCloseTo(at1['upstream.sockets']!, 9);
  });

  it('leaves the rig as its runs measured it', () => {
    const assumptions = withAssumption(defaultAssumptions(), 'serviceDemandScale', 1.25);
    const input = { ...base, assumptions };
    expect(deploymentCalibration({ ...input, rig: { cores: 2 } })).toBe(base.calibration);
    expect(deploymentCalibration(base)).toBe(base.calibration);
    expect(deploymentCalibration(input).demands.default.meanMs).toBeCloseTo(
      base.calibration.demands.default.meanMs * 1.25,
      12,
    );
  });
});

describe("predictAnalytic's 'rule' detail", () => {
  it('judges every policy × users from 10 to 1M users as the full prediction does, with the same p95s', () => {
    const input = { profile: loadProfile('launch-10k'), policies: [], users: [], pricing };
    for (const name of ['current', 'fixed', 'scale']) {
      const { profile, policy, ctx } = modelFor(input, loadPolicy(name));
      for (let users = 10; users <= 1_000_000; users = Math.ceil(users * 1.37)) {
        const full = predictAnalytic(profile, policy, users, ctx);
        const rule = predictAnalytic(profile, policy, users, ctx, 'rule');
        const at = `${name} at ${users}`;
        expect(judge(rule, ctx.targets), at).toEqual(judge(full, ctx.targets));
        expect(
          rule.endpoints.map((e) => e.p95Ms),
          at,
        ).toEqual(full.endpoints.map((e) => e.p95Ms));
        expect(rule.resources, at).toEqual(full.resources);
      }
    }
  });
});
