import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import type { ModelContext } from '../analytic.ts';
import { predictAnalytic } from '../analytic.ts';
import { defaultCalibration, defaultTargets } from '../defaults.ts';
import type { Prediction } from '../prediction.ts';
import { NO_ABUSE } from '../rate-limit.ts';
import { DIURNAL_RAMP, JITTERED_TIMERS, THUNDERING_HERD } from './patterns.ts';
import { predictDes } from './predict.ts';

const profile = loadProfile('launch-10k');
const ctx: ModelContext = {
  calibration: defaultCalibration(),
  targets: defaultTargets(),
  cores: 2,
  abuse: NO_ABUSE,
};

function within(
  actual: number | null | undefined,
  expected: number | null | undefined,
  tolerance: number,
): void {
  expect(actual).not.toBeNull();
  expect(expected).not.toBeNull();
  expect(Math.abs((actual as number) / (expected as number) - 1)).toBeLessThan(tolerance);
}

function endpoint(p: Prediction, name: string) {
  return p.endpoints.find((e) => e.endpoint === name)!;
}

describe('DES vs the analytical model, Poisson arrivals, steady state', () => {
  for (const [policyName, users] of [
    ['current', 2000],
    ['fixed', 5000],
  ] as const) {
    it(`${policyName} at ${users} users: utilisation, throughput and latencies within 5%`, () => {
      const policy = loadPolicy(policyName);
      const a = predictAnalytic(profile, policy, users, ctx);
      const d = predictDes(profile, policy, users, ctx, { seed: 5, durationSeconds: 300, warmupSeconds: 30 });
      for (const name of ['db.pool', 'upstream.sockets'] as const) {
        const x = a.resources.find((r) => r.name === name)!;
        const y = d.resources.find((r) => r.name === name)!;
        within(y.utilisation, x.utilisation, 0.05);
        within(y.arrivalRate, x.arrivalRate, 0.05);
      }
      // Syncs are few (2.2 a second at 5,000 users: ~590 in the 270 s measured), so their count carries
      // Poisson noise of 1/√n (4 %): three of those, not 5 %.
      const syncs = endpoint(a, 'sync').ratePerSecond * 270;
      within(endpoint(d, 'sync').ratePerSecond, endpoint(a, 'sync').ratePerSecond, 3 / Math.sqrt(syncs));
      within(endpoint(d, 'sync').meanMs, endpoint(a, 'sync').meanMs, 0.05);
      within(endpoint(d, 'rest.conversations').meanMs, endpoint(a, 'rest.conversations').meanMs, 0.05);
      within(endpoint(d, 'api.message').meanMs, endpoint(a, 'api.message').meanMs, 0.05);
      within(endpoint(d, 'api.message').p50Ms, endpoint(a, 'api.message').p50Ms, 0.05);
      within(endpoint(d, 'api.message').p95Ms, endpoint(a, 'api.message').p95Ms, 0.05);
    });
  }
});

describe('DES patterns', () => {
  it('synchronised 30 s timers (no jitter) queue far more than jittered timers at the same mean rate', () => {
    const policy = loadPolicy('current');
    const herd = predictDes(profile, policy, 3000, ctx, {
      seed: 2,
      durationSeconds: 89,
      warmupSeconds: 0,
      pattern: THUNDERING_HERD,
    });
    const jittered = predictDes(profile, policy, 3000, ctx, {
      seed: 2,
      durationSeconds: 89,
      warmupSeconds: 0,
      pattern: JITTERED_TIMERS,
    });
    const herdQueue = Math.max(...herd.series!.queued['db.pool']!);
    const jitterQueue = Math.max(...jittered.series!.queued['db.pool']!);
    // 300 paying clients fire at t = 0, 30 and 60 s, each holding a connection per request.
    expect(endpoint(herd, 'sync').p95Ms!).toBeGreaterThan(3 * endpoint(jittered, 'sync').p95Ms!);
    expect(herd.resources[0]!.p95WaitMs!).toBeGreaterThan(jittered.resources[0]!.p95WaitMs! + 10);
    expect(herd.series!.t.length).toBe(89);
    expect(herdQueue).toBeGreaterThanOrEqual(jitterQueue);
    // Same mean rate either way.
    within(endpoint(herd, 'sync').ratePerSecond, endpoint(jittered, 'sync').ratePerSecond, 0.1);
  });

  it('a diurnal ramp moves the upstream sockets in use between trough and peak (0.5× and 1.5× the mean rate)', () => {
    const policy = loadPolicy('fixed');
    const d = predictDes(profile, policy, 4000, ctx, {
      seed: 4,
      durationSeconds: 3600,
      warmupSeconds: 0,
      pattern: DIURNAL_RAMP,
      sampleEverySeconds: 60,
    });
    const busy = d.series!.busy['upstream.sockets']!;
    // Phase −900 s: the trough is at t = 0 and the peak half an hour later.
    const trough = (busy[0]! + busy[1]! + busy[59]!) / 3;
    const peak = (busy[29]! + busy[30]! + busy[31]!) / 3;
    expect(peak / Math.max(1, trough)).toBeGreaterThan(2);
    // The mean rate over the cycle is the workload's.
    within(endpoint(d, 'api.message').ratePerSecond, d.workload.messagesPerSecond, 0.05);
  });

  it('same seed, same prediction', () => {
    const policy = loadPolicy('fixed');
    const a = predictDes(profile, policy, 2000, ctx, { seed: 9, durationSeconds: 60, warmupSeconds: 5 });
    const b = predictDes(profile, policy, 2000, ctx, { seed: 9, durationSeconds: 60, warmupSeconds: 5 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
