import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { AssumptionError, applyAssignments, defaultAssumptions, parseAssignment } from './assumptions.ts';
import { decide } from './decide.ts';
import { judge } from './decision-rule.ts';
import { defaultTargets } from './defaults.ts';
import { applyLoad, onlineShareOf, peakRateByTier } from './load.ts';
import type { ResourcePrediction } from './prediction.ts';
import { simulate } from './simulate.ts';

const profile = loadProfile('ci-smoke');
const fixed = loadPolicy('fixed');
const caps = { free: 300, core: 3000, studio: 10_000 };

function res(
  name: ResourcePrediction['name'],
  servers: number,
  u: number,
  pWait: number,
): ResourcePrediction {
  return {
    name,
    servers,
    arrivalRate: 1,
    serviceTimeMs: 1,
    offeredLoad: u * servers,
    utilisation: u,
    probabilityOfWaiting: pWait,
    meanWaitMs: 0,
    p95WaitMs: 0,
    saturated: u >= 1,
    capacityPerSecond: 1,
    serviceTimeSource: 'test',
  };
}

describe('the load assumptions', () => {
  it('bounds each tier by its monthly cap (hand arithmetic)', () => {
    const a = defaultAssumptions();
    // 0.2 online share of MAU × 6 h × 60 min × 30 days = 2,160 peak minutes per active user and month.
    const r = peakRateByTier(a, caps);
    expect(r.free).toBeCloseTo(300 / 2160, 12);
    expect(r.core).toBeCloseTo(3000 / 2160, 12);
    expect(r.studio).toBe(2); // 2 × 2,160 = 4,320 < 10,000: uncapped
    expect(onlineShareOf(a)).toBeCloseTo(0.5 * 0.2, 12);
  });

  it('rejects unknown names and values outside the domain, naming them', () => {
    expect(() => parseAssignment('nope=1')).toThrow(/unknown assumption 'nope'/);
    expect(() => parseAssignment('peakConcurrentShare=1.5')).toThrow(AssumptionError);
    expect(() => parseAssignment('freeTierSyncs=0.5')).toThrow(/whole number/);
    expect(parseAssignment('messagesPerMinuteAtPeak=3')).toEqual({
      name: 'messagesPerMinuteAtPeak',
      value: 3,
    });
  });

  it('changes the workload as the model says: online users scale with peakConcurrentShare', () => {
    const base = defaultAssumptions({ profile });
    const doubled = applyAssignments(base, ['peakConcurrentShare=0.4']);
    const p1 = applyLoad(profile, fixed, base).profile;
    const p2 = applyLoad(profile, fixed, doubled).profile;
    expect(p2.onlineShare).toBeCloseTo(2 * p1.onlineShare, 12);
  });
});

describe('the decision rule', () => {
  const targets = defaultTargets();
  it('accepts a large pool above the 80% ceiling when Erlang C says it rarely waits', () => {
    // The example: 200 sockets at 83%, P(wait) 0.007.
    const rule = judge(
      { resources: [res('upstream.sockets', 200, 0.83, 0.007)], endpoints: [], errorShare: 0 },
      targets,
    );
    expect(rule.accepted).toBe(true);
  });
  it('rejects a small pool above the ceiling and names it as binding', () => {
    const rule = judge(
      {
        resources: [res('db.pool', 10, 0.85, 0.6), res('db.cpu', 2, 0.3, 0.14)],
        endpoints: [],
        errorShare: 0,
      },
      targets,
    );
    expect(rule.accepted).toBe(false);
    expect(rule.bindingResource).toBe('db.pool');
  });
});

describe('decide', () => {
  const assumptions = defaultAssumptions({ profile });
  const input = { profile, assumptions };

  it('gives exactly the numbers simulate gives for the same inputs', () => {
    const sim = simulate({ ...input, policies: [fixed], users: [10_000] });
    const d = decide({ ...input, policy: fixed, users: 10_000 });
    expect(JSON.stringify(d.prediction)).toBe(JSON.stringify(sim.predictions[0]));
    expect(d.knee).toEqual(sim.knees[0]);
  });

  it('base verdicts carry no abusive traffic; the stress row does, labelled', () => {
    const base = decide({ ...input, policy: fixed, users: 10_000, knee: false });
    expect(base.prediction.rateLimits.every((r) => r.abusiveRate === 0)).toBe(true);
    expect(base.stress).toBeNull();
    const stress = decide({ ...input, policy: fixed, users: 10_000, knee: false, stress: true });
    const free = stress.prediction.rateLimits.find((r) => r.tier === 'free')!;
    // 10,000 × 10% online × 90% free × 5% abusive × 200/min ÷ 60 = 15 abusive sends per second.
    expect(free.abusiveRate).toBeCloseTo((10_000 * 0.1 * 0.9 * 0.05 * 200) / 60, 9);
    expect(
      stress.prediction.rateLimits.filter((r) => r.tier !== 'free').every((r) => r.abusiveRate === 0),
    ).toBe(true);
    expect(stress.stress).toBe('with 5% of free users sending 200/min');
  });

  it('the knee is the largest N the rule accepts (a sweep)', () => {
    const d = decide({ ...input, policy: fixed, users: 1000 });
    const knee = d.knee!.users!;
    for (const f of [0.25, 0.5, 0.9, 0.99]) {
      expect(decide({ ...input, policy: fixed, users: Math.floor(knee * f), knee: false }).verdict).toBe(
        'GO',
      );
    }
    for (const f of [1.01, 1.1, 2, 4]) {
      expect(decide({ ...input, policy: fixed, users: Math.ceil(knee * f), knee: false }).verdict).toBe(
        'NO-GO',
      );
    }
  });
});

describe('assumptions from the CLI move the verdicts as the model says', () => {
  it('doubling the monthly active share doubles the load per registered user, so the knee halves', () => {
    // Caps do not depend on the monthly active share (they bound messages per active user), so every
    // rate per registered user doubles: the largest N the rule accepts halves (bisection within 0.5%).
    const base = defaultAssumptions({ profile });
    const knee = (a: typeof base): number =>
      decide({ profile, assumptions: a, policy: fixed, users: 1000 }).knee!.users!;
    const k1 = knee(applyAssignments(base, ['monthlyActiveShare=0.4']));
    const k2 = knee(applyAssignments(base, ['monthlyActiveShare=0.8']));
    expect(k1 / k2).toBeGreaterThan(2 / 1.011);
    expect(k1 / k2).toBeLessThan(2 * 1.011);
  });
});
