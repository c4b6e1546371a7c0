import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { rigTestCalibration } from '../test/support/rig-calibration.ts';
import type { ModelContext } from './analytic.ts';
import { defaultTargets } from './defaults.ts';
import { metastableLoad } from './metastable-load.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { predictRun, saturationKnee } from './run-prediction.ts';

const profile = loadProfile('ci-smoke');
const base = loadPolicy('current');
// Full syncs on a pool of 6: more busy connections than the 2 cores before the pool saturates.
const policy = {
  ...base,
  sync: { ...base.sync, mode: 'full' as const },
  database: { ...base.database, poolSize: 6 },
};

/** The rig's context with the database's congestion cost κ (none when absent). */
function rig(kappa?: number): ModelContext {
  const calibration = rigTestCalibration();
  if (kappa !== undefined) calibration.cpu!.dbCongestion = { perBusyConnection: kappa, source: 'test' };
  return {
    calibration,
    targets: defaultTargets(),
    cores: 2,
    abuse: NO_ABUSE,
    placement: { kind: 'rig', cores: 2 },
  };
}

const kneeOf = (ctx: ModelContext): number => saturationKnee('full-sync', profile, policy, ctx).users!;
/** The full-sync run's pool saturated at the load asked (k6's VUs aside). */
const poolSaturated = (users: number, ctx: ModelContext): boolean =>
  predictRun(
    { scenario: 'full-sync', users, profile, policy, durationSeconds: 60 },
    ctx,
    undefined,
    false,
  ).saturatedAtAsked.includes('db.pool');

describe('the load from which a full pool stays full (metastable-load.ts)', () => {
  it('without a congestion cost the collapsed state is the calm one: no metastable region (null)', () => {
    const ctx = rig();
    const m = metastableLoad('full-sync', profile, policy, ctx, kneeOf(ctx));
    expect(m.collapsedCpuFactor).toBe(1);
    expect(m.users).toBeNull();
  });

  it('with κ 0.2 the collapsed pool holds itself below K, where the calm pool is not saturated', () => {
    const ctx = rig(0.2);
    const k = kneeOf(ctx);
    const m = metastableLoad('full-sync', profile, policy, ctx, k);
    // By hand: 6 connections busy, 4 past the 2 cores: the CPU per statement × (1 + 0.2 × 4).
    expect(m.collapsedCpuFactor).toBeCloseTo(1.8, 12);
    expect(m.users).not.toBeNull();
    expect(m.users!).toBeLessThan(0.97 * k);
    const collapsed: ModelContext = { ...ctx, poolState: 'collapsed' };
    // The bistable region: just above M the collapsed state is saturated and the calm one is not.
    expect(poolSaturated(m.users! * 1.01, collapsed)).toBe(true);
    expect(poolSaturated(m.users! * 1.01, ctx)).toBe(false);
    // Below M the collapsed state drains too.
    expect(poolSaturated(m.users! * 0.98, collapsed)).toBe(false);
    expect(m.saturatedResources).toContain('db.pool');
  });

  it('a dearer congestion cost makes the collapse hold from a lower load', () => {
    const at = (kappa: number): number => {
      const ctx = rig(kappa);
      return metastableLoad('full-sync', profile, policy, ctx, kneeOf(ctx)).users!;
    };
    expect(at(0.3)).toBeLessThan(at(0.2));
    expect(at(0.2)).toBeLessThan(at(0.1));
  });

  it('no knee, no search: null users', () => {
    const m = metastableLoad('full-sync', profile, policy, rig(0.04), 0);
    expect(m.users).toBeNull();
  });
});
