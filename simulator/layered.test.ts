import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { predictAnalytic } from './analytic.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import { connectionShareOf } from './model-queues.ts';
import { NO_ABUSE } from './rate-limit.ts';

// The layers solved together, worked by hand (docs/simulator.md, "Layered resources"): a pooled
// connection is held for its statement's non-CPU time, its CPU and its wait for a core; the pool's
// wait is Erlang C on that hold.

describe('a connection held across the CPU queue (deployment, one database core)', () => {
  it('holds non-CPU + CPU stretched by processor sharing, and waits for a connection by Erlang C', () => {
    const cal = defaultCalibration();
    cal.connectionOverheadMs = 0;
    cal.cpuShareOfDbTime = 0.6;
    for (const k of Object.keys(cal.demands)) cal.demands[k] = { meanMs: 1.0, scv: 1, source: 'test' };
    // 1,000 users of ci-smoke syncing fully: 10 % paid, every 30 s → 3.333 syncs/s of 1 + 50 + 1 requests.
    const profile = { ...loadProfile('ci-smoke'), messagesPerUserPerMinute: 0 };
    const base = loadPolicy('current');
    const policy = {
      ...base,
      sync: { ...base.sync, mode: 'full' as const },
      database: { ...base.database, poolSize: 2 },
    };
    const p = predictAnalytic(profile, policy, 1000, {
      calibration: cal,
      targets: defaultTargets(),
      cores: 1,
      abuse: NO_ABUSE,
    });
    const pool = p.resources.find((r) => r.name === 'db.pool')!;
    const cpu = p.resources.find((r) => r.name === 'db.cpu')!;
    const statements = pool.arrivalRate;
    // CPU: ρ = λ·0.6 ms on one core; processor sharing stretches 0.6 ms to 0.6/(1 − ρ).
    const rho = (statements * 0.6) / 1000;
    expect(cpu.utilisation).toBeCloseTo(rho, 12);
    const hold = 0.4 + 0.6 / (1 - rho);
    expect(pool.serviceTimeMs).toBeCloseTo(hold, 9);
    // Pool: A = λ·hold on 2 connections; Erlang C for two servers in closed form (from the Erlang B
    // recursion): C(2, A) = A² / (A² + (2 − A)(1 + A)).
    const a = (statements * hold) / 1000;
    expect(pool.offeredLoad).toBeCloseTo(a, 9);
    expect(pool.probabilityOfWaiting).toBeCloseTo((a * a) / (a * a + (2 - a) * (1 + a)), 9);
  });
});

describe('connectionShareOf (requests that take a connection)', () => {
  it("is the calibrated statement share on the rig, 1 for a deployment's PostgREST or without one", () => {
    const cal = {
      ...defaultCalibration(),
      statementShare: { 'rest.push': { share: 81 / 1605, source: 'test' } },
    };
    const rig = { placement: { kind: 'rig' as const, cores: 2 } };
    expect(connectionShareOf(cal, rig, 'rest.push')).toBeCloseTo(0.0505, 4);
    expect(connectionShareOf(cal, rig, 'rest.messages')).toBe(1);
    expect(connectionShareOf(cal, { placement: { kind: 'deployment' } }, 'rest.push')).toBe(1);
    expect(connectionShareOf(cal, {}, 'rest.push')).toBe(1);
  });
});
