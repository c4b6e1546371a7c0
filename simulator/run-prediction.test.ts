import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { k6Vus, syncIterationEstimateSeconds } from './load-generator.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { predictRun } from './run-prediction.ts';

const ctx = { calibration: defaultCalibration(), targets: defaultTargets(), cores: 2, abuse: NO_ABUSE };
const run = {
  scenario: 'full-sync',
  users: 3000,
  profile: loadProfile('ci-smoke'),
  policy: loadPolicy('current'),
  durationSeconds: 60,
};

describe('a run predicted as it was run', () => {
  it("sends the scenario's traffic only: full-sync has syncs and no /api/message", () => {
    const p = predictRun(run, ctx);
    // 3,000 ci-smoke users, 10 % paid, every 30 s: 10 syncs/s, all achieved with k6's default VUs.
    expect(p.askedThroughput).toBeCloseTo(10, 9);
    expect(p.throughput).toBeCloseTo(10, 9);
    expect(p.achievedShare).toBe(1);
    expect(p.droppedIterations).toBe(0);
    expect(p.p95Ms['api.message']).toBeUndefined();
    expect(p.prediction.workload.messagesPerSecond).toBe(0);
  });

  it('turns closed when the syncs outlast the VUs: achieved = maxVUs / sync time, the rest dropped', () => {
    // 20,000 users (inactive: 46.7 syncs/s of ~0.3 s uncalibrated: ~14 in flight) with a cap of 1 VU per k6
    // scenario: each class's stream keeps at most one sync in flight.
    const p = predictRun({ ...run, users: 20_000 }, ctx, 1);
    expect(p.achievedShare).toBeLessThan(1);
    expect(p.saturated).toBe(true);
    for (const s of p.streams.filter((x) => x.askedPerSecond > 0)) {
      expect(s.busyVUs).toBeLessThanOrEqual(1 + 1e-9);
      expect(s.droppedPerSecond).toBeCloseTo(s.askedPerSecond - s.achievedPerSecond, 12);
    }
    // Every stream with syncs runs its one VU full (achieved × sync time = 1) or keeps its rate.
    const binding = p.streams.reduce((a, b) => (b.askedPerSecond > a.askedPerSecond ? b : a));
    expect(binding.busyVUs).toBeCloseTo(1, 9);
    expect(p.throughput).toBeCloseTo(p.askedThroughput * p.achievedShare, 2);
    expect(p.droppedIterations).toBeCloseTo((p.askedThroughput - p.throughput) * 60, 6);
    // k6's own sizing at the default cap: 4× Little's law on the runner's estimate, plenty here.
    const estimate = syncIterationEstimateSeconds('full', 50);
    expect(k6Vus(binding.askedPerSecond, estimate).maxVUs).toBeGreaterThan(1);
  });
});
