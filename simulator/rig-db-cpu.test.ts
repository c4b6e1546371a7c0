import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../core/policy.ts';
import { loadProfile } from '../core/profile.ts';
import { rigTestCalibration } from '../test/support/rig-calibration.ts';
import { syntheticRunRecord } from '../test/support/run-record-fixture.ts';
import type { ModelContext } from './analytic.ts';
import { predictAnalytic } from './analytic.ts';
import { cpuQueues, cpuSaturation, cpuWaitsOf, statementCpuWait } from './cpu.ts';
import { defaultTargets } from './defaults.ts';
import { NO_ABUSE } from './rate-limit.ts';
import { largerWait, limitsDatabase, requestCoreWaits } from './rig-db-cpu.ts';
import { saturationKnee } from './run-prediction.ts';
import { machineContext, measuredFigures, runContext } from './validate.ts';

/** The shared rig calibration (test/support/rig-calibration.ts). */
const cal = rigTestCalibration;

const mean = (w: { probability: number; meanMs: number } | null | undefined): number =>
  w ? w.probability * w.meanMs : 0;

describe('the rig with the database server on fewer cores (--db-cores)', () => {
  const c = cal();
  const requests = { 'rest.conversations': 20, 'rest.messages': 1000, 'rest.push': 20 };
  // By hand: the database's load (20·0.3 + 1000·0.3 + 20·0.6)/1000 + 0.01 = 0.328 cores; the host's
  // 0.328 + target (1,040·0.05/1000 + 0.02 = 0.072) + k6 (0.052 + 0.03 = 0.082) + other 0.05 = 0.532.
  const one = cpuQueues(c, { kind: 'rig', cores: 2, dbCores: 1 }, requests, requests, 2, null);

  it('one core: a statement of x ms of CPU takes x/(1 − ρ) on it (M/G/1-PS), the larger of the two stretches', () => {
    expect(one.db!.servers).toBe(1);
    expect(one.db!.offeredLoad).toBeCloseTo(0.328, 12);
    expect(one.cpu.offeredLoad).toBeCloseTo(0.532, 12);
    // A messages statement: 0.3 ms of CPU → 0.3/(1 − 0.328) = 0.446429 ms on the one core; on the host
    // it would wait only C·x/(2 − A) with C = A²/(2 + A) = 0.111779: 0.022843 ms.
    const w = statementCpuWait(one, 0.3);
    expect(0.3 + mean(w)).toBeCloseTo(0.3 / (1 - 0.328), 12);
    const host = cpuQueues(c, { kind: 'rig', cores: 2 }, requests, requests, 2, null);
    expect(mean(statementCpuWait(host, 0.3))).toBeCloseTo((0.532 ** 2 / 2.532) * (0.3 / 1.468), 12);
    // A request: k6's 0.05 ms on the host, its statement's 0.3 ms on the database core, and the
    // target's 0.05 ms on its one thread, which competes with the others' work only (thread-host.ts:
    // A' = 0.532 − 0.072 = 0.46, C' = 0.46²/2.46).
    const [h, d, t] = cpuWaitsOf(one, c, 'rest.messages');
    expect(mean(h)).toBeCloseTo((0.532 ** 2 / 2.532) * (0.05 / 1.468), 12);
    expect(mean(d)).toBeCloseTo((0.3 * 0.328) / 0.672, 12);
    expect(mean(t)).toBeCloseTo((0.46 ** 2 / 2.46) * (0.05 / 1.54), 12);
  });

  it('a host busier than the database core: the host’s stretch is the larger and is kept', () => {
    const busy = cpuQueues(
      c,
      { kind: 'rig', cores: 2, dbCores: 1, otherCores: 1.3 },
      requests,
      requests,
      2,
      null,
    );
    // A = 1.782: C = 1.782²/3.782 = 0.839634, wait C·0.3/0.218 = 1.155460 ms > 0.146429 on the core.
    expect(mean(statementCpuWait(busy, 0.3))).toBeCloseTo((1.782 ** 2 / 3.782) * (0.3 / 0.218), 9);
    expect(largerWait(null, null)).toBeNull();
    expect(requestCoreWaits(() => null, null, 1, 0.5)).toEqual([]);
  });

  it('absent or all the cores: nothing changes', () => {
    const base = cpuQueues(c, { kind: 'rig', cores: 2 }, requests, requests, 2, null);
    const all = cpuQueues(c, { kind: 'rig', cores: 2, dbCores: 2 }, requests, requests, 2, null);
    expect(all.db).toBeUndefined();
    expect(cpuWaitsOf(all, c, 'rest.messages')).toEqual(cpuWaitsOf(base, c, 'rest.messages'));
    expect(limitsDatabase(2, undefined)).toBe(false);
    expect(limitsDatabase(2, 2)).toBe(false);
    expect(limitsDatabase(2, 1)).toBe(true);
  });

  it('the one core saturating is a saturation of its own (db.cpu), the host below its cores', () => {
    const heavy = { ...requests, 'rest.messages': 3500 };
    // Database: (6 + 1,050 + 12)/1000 + 0.01 = 1.078 cores on 1; host 1.078 + 0.197 + 0.207 + 0.05 = 1.532 on 2.
    const q = cpuQueues(c, { kind: 'rig', cores: 2, dbCores: 1 }, heavy, heavy, 2, null);
    expect(q.db!.offeredLoad).toBeCloseTo(1.078, 12);
    expect(q.cpu.saturated).toBe(false);
    expect(cpuSaturation(q).saturated).toBe(true);
    expect(cpuSaturation(q).excessShare).toBeCloseTo(1 - 1 / 1.078, 12);
  });

  it('the saturation knee names db.cpu when the one-core database saturates before the host (hand-worked)', () => {
    // A full sync of ci-smoke: 1 conversations + 50 messages + 1 push statement = 26.5 ms, 15.9 ms of
    // database CPU, and users / 300 syncs a second. One core: 0.01 + N/300 · 0.0159 = 1 at
    // N = 0.99 · 300 / 0.0159 = 18,679 users, where the host carries 0.11 + 62.26 · 0.0211 = 1.42 of its
    // 2 cores (15.9 ms + 52 requests × 0.1 ms a sync). The database's wait grows as 1/(1 − ρ) on the
    // way, so the syncs lengthen until k6's VUs run out: the knee is at most that, within 1 % under it.
    const policy = loadPolicy('current');
    const big = { ...policy, database: { ...policy.database, poolSize: 100_000, maxConnections: 100_000 } };
    const ctx = (dbCores?: number): ModelContext => ({
      calibration: c,
      targets: defaultTargets(),
      cores: 2,
      abuse: NO_ABUSE,
      placement: { kind: 'rig', cores: 2, ...(dbCores ? { dbCores } : {}) },
    });
    const profile = loadProfile('ci-smoke');
    const k = saturationKnee('full-sync', profile, big, ctx(1));
    const n = (0.99 * 300) / 0.0159;
    expect(k.bottleneck).toBe('db.cpu');
    expect(k.users!).toBeLessThanOrEqual(n);
    expect(k.users!).toBeGreaterThan(0.99 * n);
    // The resource is in the prediction, with the database's cores as its servers (syncs only).
    const p = predictAnalytic({ ...profile, messagesPerUserPerMinute: 0 }, big, 0.5 * n, ctx(1));
    const db = p.resources.find((r) => r.name === 'db.cpu')!;
    expect(db.servers).toBe(1);
    expect(db.offeredLoad).toBeCloseTo(0.01 + (0.5 * n * 0.0159) / 300, 6);
    // On both cores the host saturates first, further out: 0.11 + N/300 · 0.0211 = 2 at 26,872 users.
    const two = saturationKnee('full-sync', profile, big, ctx(2));
    expect(two.bottleneck).toBe('host.cpu');
    expect(two.users!).toBeGreaterThan(1.2 * n);
    expect(two.users!).toBeLessThanOrEqual((1.89 * 300) / 0.0211);
  });

  it("a run record's machine.dbCores reaches the model (runContext) and its database cores are measured busy", () => {
    const group = (cores: number) => ({
      cpuSeconds: cores * 60,
      cpuPercentMean: cores * 100,
      cpuPercentMax: cores * 100,
      processes: 'x',
    });
    const record = (dbCores?: number) =>
      syntheticRunRecord({
        id: 'r',
        scenario: 'full-sync',
        users: 3000,
        endpoints: {},
        machine: { cores: 2, memoryBytes: 1e9, cpuModel: 'synthetic', ...(dbCores ? { dbCores } : {}) },
        cpu: {
          windowSeconds: 60,
          host: { cpuSeconds: 60, cpuPercentMean: 100, cpuPercentMax: 100 },
          target: group(0.2),
          database: group(0.45),
          loadGenerator: group(0.1),
          runner: null,
        },
      });
    expect(runContext(c, record(1)).placement).toEqual({ kind: 'rig', cores: 2, dbCores: 1 });
    expect(runContext(c, record()).placement).toEqual({ kind: 'rig', cores: 2 });
    // A run that recorded stolen time is predicted with it (6 s of 60 stolen: 0.1 cores); the machine
    // as it usually is (what a knee is predicted on) without.
    const stolen = record();
    const withSteal = { ...stolen, cpu: { ...stolen.cpu!, host: { ...stolen.cpu!.host, stealSeconds: 6 } } };
    expect(runContext(c, withSteal).placement).toEqual({ kind: 'rig', cores: 2, stolenCores: 0.1 });
    expect(machineContext(c, withSteal).placement).toEqual({ kind: 'rig', cores: 2 });
    expect(measuredFigures(record(1), []).busy['db.cpu']).toBeCloseTo(0.45, 12);
    expect(measuredFigures(record(2), []).busy['db.cpu']).toBeUndefined();
  });
});
