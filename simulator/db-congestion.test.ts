import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import type { Calibration } from './calibration.ts';
import { dbCpuMsOf } from './cpu.ts';
import { calibrationAtBusyConnections, congestionFactor } from './db-congestion.ts';
import { defaultCalibration, defaultTargets } from './defaults.ts';
import type { Prediction } from './prediction.ts';
import { NO_ABUSE } from './rate-limit.ts';

/** A rig calibration (numbers chosen, not measured) with κ per busy connection (none when absent). */
function rig(kappa?: number): Calibration {
  const c = defaultCalibration();
  c.cpuShareOfDbTime = 0.6;
  for (const k of Object.keys(c.demands)) c.demands[k] = { meanMs: 0.5, scv: 1, source: 'test' };
  c.demands['rest.conversations'] = { meanMs: 2, scv: 1, source: 'test' };
  const fit = { fixedCores: 0, r2: null, source: 'test' };
  c.cpu = {
    appMsPerRequest: { default: 0.3 },
    app: { ...fit, perUnit: 0.3, fixedCores: 0.02 },
    database: { ...fit, perUnit: 0.6, fixedCores: 0.01 },
    loadGenerator: { ...fit, perUnit: 0.2, fixedCores: 0.03 },
    otherCores: 0.05,
    rigCores: 2,
    appSplit: 'test',
    ...(kappa === undefined ? {} : { dbCongestion: { perBusyConnection: kappa, source: 'test' } }),
  };
  return c;
}

const profile = { ...loadProfile('ci-smoke'), messagesPerUserPerMinute: 0 };
const base = loadPolicy('current');
// A pool of 6: more busy connections than the 2 cores at 10,000 users, where the congestion matters.
const policy = {
  ...base,
  sync: { ...base.sync, mode: 'full' as const },
  database: { ...base.database, poolSize: 6 },
};

const context = (calibration: Calibration): ModelContext => ({
  calibration,
  targets: defaultTargets(),
  cores: 2,
  abuse: NO_ABUSE,
  placement: { kind: 'rig', cores: 2 },
});
const pool = (p: Prediction) => p.resources.find((r) => r.name === 'db.pool')!;
const host = (p: Prediction) => p.resources.find((r) => r.name === 'host.cpu')!;

describe('the database CPU per statement at its busy connections (db-congestion.ts)', () => {
  it('by hand: κ 0.04 at 5 busy on 2 cores is × 1.12 on the CPU; the statement lasts its extra CPU longer', () => {
    // 3 busy past the 2 cores: 1 + 0.04 × 3.
    expect(congestionFactor(0.04, 5, 2)).toBeCloseTo(1.12, 12);
    // On one core, 4 past it.
    expect(congestionFactor(0.04, 5, 1)).toBeCloseTo(1.16, 12);
    // Up to the cores no backend is preempted by another: no cost.
    expect(congestionFactor(0.04, 2, 2)).toBe(1);
    expect(congestionFactor(0.04, -1, 2)).toBe(1);
    const cal = rig(0.04);
    const at = calibrationAtBusyConnections(cal, 5, 2);
    // 2 ms of conversations, 1.2 of it CPU: the CPU 1.344, the statement 2 + 0.144 = 2.144 ms.
    expect(dbCpuMsOf(at, 'rest.conversations')).toBeCloseTo(1.344, 12);
    expect(at.demands['rest.conversations']!.meanMs).toBeCloseTo(2.144, 12);
    expect(dbCpuMsOf(at, 'rest.messages')).toBeCloseTo(0.336, 12);
    // Without a congestion cost, or within the cores: the same calibration.
    expect(calibrationAtBusyConnections(rig(), 5, 2)).toEqual(rig());
    expect(calibrationAtBusyConnections(cal, 1.5, 2)).toBe(cal);
  });

  it('the rig solves its busy connections and the CPU together: a fixed point of the model at that CPU', () => {
    // At 8,000 users 1.56 connections are busy, fewer than the cores: no cost, the same prediction.
    const calm = predictAnalytic(profile, policy, 8000, context(rig(0.04)));
    expect(pool(calm).offeredLoad).toBeLessThan(2);
    expect(pool(calm).offeredLoad).toBe(
      pool(predictAnalytic(profile, policy, 8000, context(rig()))).offeredLoad,
    );
    const users = 10000;
    const p = predictAnalytic(profile, policy, users, context(rig(0.04)));
    const busy = pool(p).offeredLoad;
    const plain = predictAnalytic(profile, policy, users, context(rig()));
    expect(busy).toBeGreaterThan(pool(plain).offeredLoad * 1.02);
    expect(host(p).offeredLoad).toBeGreaterThan(host(plain).offeredLoad);
    // The same model with the CPU per statement held at that many busy connections gives them back.
    const held = calibrationAtBusyConnections(rig(0.04), busy, 2);
    held.cpu = { ...held.cpu!, dbCongestion: undefined };
    delete held.cpu.dbCongestion;
    const again = predictAnalytic(profile, policy, users, context(held));
    expect(pool(again).offeredLoad).toBeCloseTo(busy, 2);
    expect(pool(p).serviceTimeSource).toMatch(/× 1\.\d+ at \d+\.\d+ busy connections/);
  });

  it('the pool saturates at fewer users with it, and a deployment is not given it', () => {
    const saturatesAt = (cal: Calibration): number => {
      for (let users = 1000; users < 40000; users += 250)
        if (pool(predictAnalytic(profile, policy, users, context(cal))).saturated) return users;
      return Number.POSITIVE_INFINITY;
    };
    const withCost = saturatesAt(rig(0.04));
    const without = saturatesAt(rig());
    expect(withCost).toBeLessThan(without);
    const deployment = (cal: Calibration) =>
      predictAnalytic(profile, policy, 4000, { ...context(cal), placement: { kind: 'deployment' } });
    expect(pool(deployment(rig(0.04))).offeredLoad).toBeCloseTo(pool(deployment(rig())).offeredLoad, 12);
  });
});
