import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { rigTestCalibration } from '../test/support/rig-calibration.ts';
import type { ModelContext } from './analytic.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { k6Vus, syncIterationEstimateSeconds } from './load-generator.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { predictRun, type RunPrediction, saturationKnee, scenarioKnee } from './run-prediction.ts';

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

describe("the syncs' population on the rig: k6's busy VUs", () => {
  const cal = rigTestCalibration();
  const rig: ModelContext = {
    calibration: {
      ...cal,
      calibrated: true,
      cpu: { ...cal.cpu!, chains: { gapMsPerRequest: 0.5, source: 'test' } },
    },
    targets: defaultTargets(),
    cores: 2,
    abuse: NO_ABUSE,
    placement: { kind: 'rig', cores: 2 },
  };
  const syncVUs = (p: RunPrediction) =>
    p.streams.filter((s) => s.name.startsWith('sync_')).reduce((sum, s) => sum + s.busyVUs, 0);

  it('hold the syncs in flight and half a VU a stream for its arrival delay, as the fixed point counts them', () => {
    // 3,000 ci-smoke users: 10 syncs/s in the classes' 1:2:7, so 1, 2 and 7 a second. Each iteration
    // first waits a uniform delay over its stream's beat (1 / rate s), so a stream holds rate × 1 / (2 ×
    // rate) = half a VU in delays: 1.5 VUs beside the syncs in flight (the rig measured 3.13-3.24 VUs
    // with 28.1 syncs/s of 58 ms each, 1.64 in flight: bench:knee 2026-12-07, full sync 0.6K).
    const withPopulation = predictRun({ ...run, users: 3000 }, rig);
    const fixedPoint = predictRun({ ...run, users: 3000 }, rig, undefined, false);
    expect(withPopulation.population).toBeDefined();
    const inFlight = withPopulation.population!.meanInFlight;
    expect(syncVUs(withPopulation)).toBeCloseTo(inFlight + 1.5, 6);
    // Light load: the population sits where the fixed point does, so both count the same VUs.
    expect(syncVUs(withPopulation) / syncVUs(fixedPoint)).toBeGreaterThan(0.95);
    expect(syncVUs(withPopulation) / syncVUs(fixedPoint)).toBeLessThan(1.05);
  });
});

describe('the saturation knee of a run (bench:knee K)', () => {
  it("is where the first resource's offered load reaches its servers: the database's 2 cores (hand-worked)", () => {
    // Defaults: a full sync is 1 conversations (0.5 ms) + 50 messages (0.5 ms) + 1 push (1 ms) statements
    // = 26.5 ms of database CPU (CPU share 1), and ci-smoke sends users / 300 syncs/s (10 % paid, 30 s).
    // With a pool too large to matter, 2 cores saturate at 2,000 / 26.5 = 75.47 syncs/s = 22,642 users.
    // Just below, the syncs' CPU wait (C·x/(2 − A)) lengthens them until k6's VUs run out, a little
    // before the cores: the knee is within 1 % under 22,642.
    const policy = loadPolicy('current');
    const big = { ...policy, database: { ...policy.database, poolSize: 100_000, maxConnections: 100_000 } };
    const k = saturationKnee('full-sync', loadProfile('ci-smoke'), big, ctx);
    const cpuKnee = (300 * 2000) / 26.5;
    expect(k.users).not.toBeNull();
    expect(k.users!).toBeLessThanOrEqual(cpuKnee);
    expect(k.users!).toBeGreaterThan(cpuKnee * 0.99);
    expect(k.bottleneck).toBe('db.cpu');
    // Below the decision rule's 80 % knee? No: the rule's knee is lower (headroom), never higher.
    expect(scenarioKnee('full-sync', loadProfile('ci-smoke'), big, 3000, ctx).users!).toBeLessThan(k.users!);
  });

  it('is where the pool saturates when its hold, stretched by the CPU wait, fills 10 connections first', () => {
    // Pool of 10: hold per sync = 52 × 0.2 ms overhead + 26.5 ms + the statements' CPU wait 26.5·C/(2 − A)
    // (M/M/2: C = A²/(2 + A)), A = 0.0265·λ cores. The pool saturates where λ·hold = 10 connections:
    // 36.9 + 26.5·A²/(4 − A²) = 265/A, solved here by bisection on A (independent of the model's code).
    let lo = 0.5;
    let hi = 1.999;
    const f = (a: number) => 36.9 + (26.5 * a * a) / (4 - a * a) - 265 / a;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < 0) lo = mid;
      else hi = mid;
    }
    const poolKnee = (300 * lo) / 0.0265;
    const k = saturationKnee('full-sync', loadProfile('ci-smoke'), loadPolicy('current'), ctx);
    expect(k.users!).toBeLessThanOrEqual(poolKnee * 1.005);
    expect(k.users!).toBeGreaterThan(poolKnee * 0.97);
    expect(k.bottleneck).toBe('db.pool');
  });
});
